import rules
from django.utils.translation import gettext as _

from campaign_portal.navigation import nav_url
from campaign_portal.registry import NavLink

from .enums import ACTIVE_ASSIGNMENT_STATES, AssignmentState


def nav_links(user) -> list[NavLink]:
    return [
        NavLink(nav_url("contest:index"), _("Cuộc thi"), None),
        NavLink(nav_url("contest:judge_queue"), _("Chấm thi"), "contest.judge_any"),
    ]


def home_panels(user) -> list[dict]:
    from .models import Assignment, Entry
    from .selectors import contests_managed_by

    managed = contests_managed_by(user)
    judging = None
    if rules.has_perm("contest.judge_any", user):
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


def public_home_sections() -> list[dict]:
    """The contest on the public home page: the contests open for entries, each with its deadline."""
    from .selectors import contests_receiving_entries

    return [{"template": "contest/_public_home.html", "context": {"open_contests": contests_receiving_entries()}}]
