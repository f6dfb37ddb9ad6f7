from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Thông báo và nhắc hạn")

    def ready(self):
        # Other apps announce their events through notifications.services (notify, notify_many)
        # with the recipients they decide; this app imports none of them.
        from django.conf import settings
        from django.db.models.signals import post_migrate
        from django.utils.module_loading import import_string

        from campaign_portal import registry

        from . import demo, navigation

        # Resolved first: a misspelt path stops the start before anything is registered.
        extra_providers = [import_string(dotted) for dotted in settings.NOTIFICATIONS_EXTRA_PROVIDERS]
        registry.NAV_LINKS.register(navigation.nav_links)
        registry.HOME_PANELS.register(navigation.home_panels)
        registry.DEMO_LOADERS.register(registry.DemoLoader(load_present=demo.load_demo))
        for due_reminders in extra_providers:
            registry.REMINDER_PROVIDERS.register(registry.ReminderProvider(due_reminders=due_reminders))
        post_migrate.connect(_reminder_source_triggers_install, sender=self)


def _reminder_source_triggers_install(sender, using="default", **kwargs):
    """After migrate (and after a flush): the triggers that tell the reminder sweep a watched table changed."""
    from campaign_portal import registry

    from .sweep_stamp import source_triggers_install

    source_triggers_install(using=using, providers=list(registry.REMINDER_PROVIDERS))
