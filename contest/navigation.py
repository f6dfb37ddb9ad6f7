from django.urls import reverse
from django.utils.translation import gettext as _

from .enums import ACTIVE_ASSIGNMENT_STATES, MANAGING_ROLES, AssignmentState, StaffRole
from .rules import staff_roles


def nav_links(user) -> list[dict]:
    links = [{"url": reverse("contest:index"), "label": _("Cuộc thi")}]
    if not getattr(user, "is_authenticated", False):
        return links
    roles = staff_roles(user)
    if any(StaffRole.JUDGE in r for r in roles.values()):
        links.append({"url": reverse("contest:judge_queue"), "label": _("Chấm thi")})
    return links


def home_panels(user) -> list[dict]:
    from .models import Assignment, Contest, Entry

    roles = staff_roles(user)
    managed = (
        Contest.objects.all()
        if user.is_portal_admin
        else Contest.objects.filter(pk__in=[c for c, r in roles.items() if r & MANAGING_ROLES])
    )
    judging = None
    if any(StaffRole.JUDGE in r for r in roles.values()):
        mine = Assignment.objects.filter(judge=user, state__in=ACTIVE_ASSIGNMENT_STATES)
        judging = {"total": mine.count(), "done": mine.filter(state=AssignmentState.SUBMITTED).count()}
    entries = list(Entry.objects.filter(entrant__user=user).select_related("contest").order_by("-created_at")[:5])
    managed = list(managed[:5])
    if not (managed or judging or entries):
        return []
    return [
        {
            "template": "contest/_home_panel.html",
            "context": {"managed": managed, "judging": judging, "entries": entries},
        }
    ]
