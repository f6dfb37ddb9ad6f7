from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Thông báo và nhắc hạn")

    def ready(self):
        # Other apps emit signals; they never import notifications.
        from .receivers import connect_all

        connect_all()
