"""AppConfig classes INSTALLED_APPS names instead of the packages' defaults: the portal's admin site, and third-party
apps under Vietnamese names (their labels, models and migrations are the packages' own).

Kept apart from admin_site.py: this module is imported while the app registry loads, before models exist."""

import axes.apps
import django_celery_beat.apps
import django_otp.plugins.otp_totp.apps
from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig
from django.utils.translation import gettext_lazy as _


class PortalAdminConfig(AdminConfig):
    default_site = "campaign_portal.admin_site.PortalAdminSite"


class AxesConfig(axes.apps.AppConfig):
    verbose_name = _("Chống dò mật khẩu")


class PeriodicTasksConfig(django_celery_beat.apps.BeatConfig):
    verbose_name = _("Tác vụ chạy định kỳ")


class TOTPConfig(django_otp.plugins.otp_totp.apps.DefaultConfig):
    verbose_name = _("Xác thực hai lớp")


class HistoryConfig(AppConfig):
    name = "simple_history"
    verbose_name = _("Lịch sử thay đổi")
