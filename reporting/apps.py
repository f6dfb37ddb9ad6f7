from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = _("Báo cáo định kỳ")

    def ready(self):
        from campaign_portal import registry
        from organizations import signals as tree_signals

        from . import (
            demo,
            exports,
            list_texts,
            models,
            navigation,
            reminders,
            scale,
            selectors,
            signals,
            summaries,
            tasks,
            value_nodes,
        )

        registry.NAV_LINKS.register(navigation.nav_links)
        registry.HOME_PANELS.register(navigation.home_panels)
        registry.PUBLIC_HOME_SECTIONS.register(
            registry.PublicHomeSection(sections=navigation.public_home_sections, stamp=selectors.campaign_results_stamp)
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
        registry.CATCH_UPS.register(tasks.signing_catch_up)
        registry.EXPORTS.register(
            exports.CYCLE_EXPORT,
            registry.Export(allowed=exports.cycle_export_allowed, build=exports.cycle_export_build),
        )
        registry.SUMMARIES.register(
            registry.Summary(
                name="reporting",
                differences=summaries.summaries_differences,
                rebuild=summaries.summaries_rebuild,
                table=models.ReportSummary,
                source=models.Period,
            )
        )
        # The roll-up's figures and texts: summaries of the approved reports' values, checked period by period.
        for model, differences, rebuild in (
            (models.ReportValueNode, value_nodes.value_nodes_differences, value_nodes.value_nodes_rebuild),
            (models.ReportListText, list_texts.list_texts_differences, list_texts.list_texts_rebuild),
        ):
            registry.SUMMARIES.register(
                registry.Summary(
                    name=f"reporting.{model.__name__}",
                    differences=differences,
                    rebuild=rebuild,
                    table=model,
                    source=models.Value,
                )
            )
        tree_signals.units_placed.connect(
            summaries.summaries_follow_tree, dispatch_uid="reporting.summaries_follow_tree"
        )
        signals.report_returned.connect(signals.notify_report_returned, dispatch_uid="reporting.notify_report_returned")
