from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganizationsConfig(AppConfig):
    name = "organizations"
    verbose_name = _("Đơn vị và người dùng")

    def ready(self):
        from django.db.models.signals import post_migrate

        from campaign_portal import registry
        from notifications.enums import NotificationKind

        from . import emails, exports, navigation, pickers, tree_io

        post_migrate.connect(_load_reference_data, sender=self)
        registry.NAV_LINKS.register(navigation.nav_links)
        registry.IMMEDIATE_MAIL.register(NotificationKind.PASSWORD_RESET, emails.password_reset)
        registry.IMMEDIATE_MAIL.register(NotificationKind.ACCOUNT_UNLOCKED, emails.account_unlocked)
        pickers.register_scopes()
        registry.EXPORTS.register(
            tree_io.EXPORT_KIND, registry.Export(allowed=tree_io.tree_export_allowed, build=tree_io.tree_export_build)
        )
        registry.CATCH_UPS.register(exports.exports_catch_up)


def _load_reference_data(sender, apps=None, using="default", **kwargs):
    """The confirmed communes and wards are in every database: after migrate, and after a flush
    (tests that truncate tables), as Django recreates content types."""
    from .data import hanoi_areas_load

    try:
        model = (apps or sender.apps).get_model("organizations", "AdministrativeArea")
    except LookupError:
        return  # migrated back before the areas existed
    hanoi_areas_load(model, using=using)
