from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from .enums import DeliveryOutcome


def nav_links(user):
    if not getattr(user, "is_authenticated", False):
        return []
    return [{"url": reverse("directives:index"), "label": _("Văn bản chỉ đạo")}]


def home_panels(user):
    if not getattr(user, "is_authenticated", False) or not user.active_memberships:
        return []
    from .selectors import inbox_for

    today = timezone.localdate()
    pending = list(inbox_for(user).filter(outcome=DeliveryOutcome.PENDING)[:5])
    for delivery in pending:
        delivery.overdue = delivery.overdue_days(today)
    return [{"template": "directives/_home_panel.html", "context": {"pending": pending}}]
