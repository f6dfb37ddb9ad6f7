from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectivesConfig(AppConfig):
    name = "directives"
    verbose_name = _("Văn bản chỉ đạo")

    def ready(self):
        from campaign_portal import registry

        from . import demo, models, navigation, public_coverage, reminders, scale, selectors, signals, summaries, xlsx

        registry.NAV_LINKS.register(navigation.nav_links)
        registry.EXPORTS.register(
            xlsx.CASCADE_EXPORT, registry.Export(allowed=xlsx.cascade_export_allowed, build=xlsx.cascade_export_build)
        )
        # The unit pickers of the document form and the register filter offer what these selectors allow.
        registry.UNIT_PICKER_SCOPES.register(
            "drafting_units", lambda *, user, anchor: selectors.units_for_drafting(user)
        )
        registry.UNIT_PICKER_SCOPES.register(
            "register_units", lambda *, user, anchor: selectors.register_units_for(user)
        )
        registry.HOME_PANELS.register(navigation.home_panels)
        registry.PUBLIC_HOME_SECTIONS.register(
            registry.PublicHomeSection(
                sections=navigation.public_home_sections, stamp=public_coverage.directive_coverage_stamp
            )
        )
        registry.REMINDER_PROVIDERS.register(
            registry.ReminderProvider(
                due_reminders=reminders.due_reminders,
                kinds=reminders.KINDS,
                watches=reminders.WATCHES,
                changes_at=reminders.changes_at,
            )
        )
        registry.DEMO_LOADERS.register(
            registry.DemoLoader(load_history=demo.load_history, load_present=demo.load_present)
        )
        registry.SCALE_GENERATORS.register(scale.generate)
        registry.SUMMARIES.register(
            registry.Summary(
                name="directives.DeliverySummary",
                differences=summaries.delivery_summary_differences,
                rebuild=summaries.delivery_summaries_rebuild,
                table=models.DeliverySummary,
                source=models.Delivery,
            )
        )
        signals.document_issued.connect(
            signals.notify_document_issued, dispatch_uid="directives.notify_document_issued"
        )
