from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContestConfig(AppConfig):
    name = "contest"
    verbose_name = _("Cuộc thi sáng kiến")

    def ready(self):
        from campaign_portal import registry
        from notifications.enums import NotificationKind

        from . import demo, emails, navigation, reminders, scale, selectors, signals, tasks

        registry.NAV_LINKS.register(navigation.nav_links)
        registry.HOME_PANELS.register(navigation.home_panels)
        registry.PUBLIC_HOME_SECTIONS.register(
            registry.PublicHomeSection(sections=navigation.public_home_sections, stamp=selectors.entry_windows_stamp)
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
            registry.DemoLoader(
                load_history=demo.load_history, load_present=demo.load_present, accounts_help=demo.DEMO_ACCOUNTS_HELP
            )
        )
        registry.SCALE_GENERATORS.register(scale.generate)
        registry.CATCH_UPS.register(tasks.signing_catch_up)
        registry.IMMEDIATE_MAIL.register(NotificationKind.CONTEST_VERIFY_EMAIL, emails.verification)
        registry.IMMEDIATE_MAIL.register(NotificationKind.CONTEST_RECEIPT, emails.receipt)
        signals.results_published.connect(
            signals.notify_results_published, dispatch_uid="contest.notify_results_published"
        )
