"""The Django admin as the portal's own: its name, Vietnamese section and model names for every app (third-party
ones too), the portal's tasks first, and an index that starts with what the portal's administrators do most.

Third-party model names are mapped here rather than by changing their `_meta`: a changed verbose_name would make
`makemigrations` write migrations into those packages. The apps' own names come from campaign_portal.app_configs."""

from django.contrib import admin
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

# The portal's work first, then accounts and security, then the machinery.
APP_ORDER = [
    "organizations",
    "reporting",
    "signatures",
    "directives",
    "contest",
    "public",
    "notifications",
    "auth",
    "otp_totp",
    "axes",
    "django_celery_beat",
]

# Models listed first in their section: what the portal's administrators open most.
MODELS_FIRST = [("organizations", "Unit"), ("organizations", "User"), ("organizations", "Membership")]

# Models whose own verbose name is English (third-party apps, one of ours without a Meta name).
MODEL_NAMES = {
    ("organizations", "UnitPlacement"): _("Vị trí đơn vị trong cây (theo thời gian)"),
    ("axes", "AccessAttempt"): _("Lần đăng nhập sai đang tính"),
    ("axes", "AccessLog"): _("Nhật ký đăng nhập"),
    ("axes", "AccessFailureLog"): _("Nhật ký đăng nhập sai"),
    ("django_celery_beat", "PeriodicTask"): _("Tác vụ định kỳ"),
    ("django_celery_beat", "ClockedSchedule"): _("Lịch chạy một lần (giờ cố định)"),
    ("django_celery_beat", "CrontabSchedule"): _("Lịch theo giờ, ngày (crontab)"),
    ("django_celery_beat", "IntervalSchedule"): _("Lịch lặp theo khoảng thời gian"),
    ("django_celery_beat", "SolarSchedule"): _("Lịch theo mặt trời (bình minh, hoàng hôn)"),
    ("otp_totp", "TOTPDevice"): _("Thiết bị tạo mã xác thực (TOTP)"),
}


class PortalAdminSite(admin.AdminSite):
    site_header = _("Quản trị Cổng điều hành chiến dịch CCHC")
    site_title = _("Quản trị Cổng điều hành chiến dịch CCHC")
    index_title = _("Trang quản trị")
    site_url = "/me/"  # "Xem trang" goes back to the portal, not to the public home page
    index_template = "admin/portal_index.html"

    def get_app_list(self, request, app_label=None):
        app_list = super().get_app_list(request, app_label)
        for app in app_list:
            for model in app["models"]:
                model["name"] = MODEL_NAMES.get((app["app_label"], model["object_name"]), model["name"])
            first = {key: position for position, key in enumerate(MODELS_FIRST)}
            app["models"].sort(key=lambda model: first.get((app["app_label"], model["object_name"]), len(first)))
        rank = {label: position for position, label in enumerate(APP_ORDER)}
        return sorted(app_list, key=lambda app: (rank.get(app["app_label"], len(rank)), app["name"]))

    def index(self, request, extra_context=None):
        return super().index(request, {"portal_tasks": self.portal_tasks(), **(extra_context or {})})

    def portal_tasks(self) -> list[dict]:
        """The index's first panel: what the portal's administrators do most, each with the count that matters.
        One COUNT query a task, whatever the size of the tree."""
        from organizations.models import Membership, Unit, User
        from reporting.models import ReportingCycle
        from signatures.models import SigningCredential

        def task(label, url, queryset, counted):
            return {"label": label, "url": url, "count": queryset.count(), "counted": counted}

        tasks = [
            task(
                _("Cây đơn vị (thêm, chuyển, sáp nhập, chia tách, giải thể)"),
                reverse("organizations:unit_tree"),
                Unit.objects.filter(dissolved_on__isnull=True),
                _("đơn vị đang hoạt động"),
            ),
            task(
                _("Người dùng"),
                reverse("admin:organizations_user_changelist"),
                User.objects.filter(is_active=True),
                _("tài khoản đang hoạt động"),
            ),
            task(
                _("Phân công cán bộ vào đơn vị"),
                reverse("admin:organizations_membership_changelist"),
                Membership.objects.filter(is_active=True),
                _("phân công đang hiệu lực"),
            ),
        ]
        if self.is_registered(SigningCredential):  # its admin comes with the signing work
            tasks.append(
                task(
                    _("Chứng thư số của đơn vị"),
                    reverse("admin:signatures_signingcredential_changelist"),
                    SigningCredential.objects.all(),
                    _("chứng thư"),
                )
            )
        tasks.append(
            task(
                _("Đợt và kỳ báo cáo"),
                reverse("reporting:cycle_list"),
                ReportingCycle.objects.all(),
                _("đợt báo cáo đã mở"),
            )
        )
        return tasks
