"""The state machines of the contest: every change of an entry's status or a round's state goes through here.

The allowed moves are ENTRY_TRANSITIONS and ROUND_TRANSITIONS (contest.enums); who may make them is in
contest.rules. Each move is saved with update_fields and leaves a history row with its user; many entries
at once go through bulk_update_with_history, so each still gets its own row.
"""

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from campaign_portal.exceptions import PortalError

from .enums import ENTRY_TRANSITIONS, ROUND_TRANSITIONS, EntryStatus, RoundState
from .models import Entry, Round
from .rules import entry_move_allowed, round_move_allowed


def _entry_check(entry: Entry, to: str, by) -> None:
    if to not in ENTRY_TRANSITIONS.get(entry.status, set()):
        raise PortalError(
            _("Bài %(entry)s không thể chuyển từ “%(from)s” sang “%(to)s”.")
            % {"entry": entry, "from": EntryStatus(entry.status).label, "to": EntryStatus(to).label}
        )
    if by is not None and not entry_move_allowed(by, entry, to):
        raise PortalError(_("Bạn không có quyền chuyển trạng thái bài dự thi này."))


def _entries_move(entries: list[Entry], to: str, by, also: Iterable[str] | None) -> list[Entry]:
    if to not in EntryStatus.values:
        raise PortalError(_("Trạng thái bài dự thi không hợp lệ."))
    for entry in entries:
        _entry_check(entry, to, by)
    now = timezone.now()
    for entry in entries:
        entry.status, entry.updated_at = to, now
        if by is not None:
            entry._history_user = by
    if len(entries) == 1:
        # A normal save: its history row comes from simple-history's post_save.
        fields = None if also is None else ["status", "updated_at", *also]
        entries[0].save(update_fields=fields)
    elif entries:
        bulk_update_with_history(entries, Entry, ["status", "updated_at"], batch_size=500, default_user=by)
    return entries


def entry_set_state(*, entry: Entry, to: str, by=None, also: Iterable[str] | None = ()) -> Entry:
    """Move one entry. `also` names the other fields the caller changed with the move (None: all of them)."""
    return _entries_move([entry], to, by, also)[0]


def entries_set_state(*, entries: Iterable[Entry], to: str, by=None) -> list[Entry]:
    """Move many entries at once (all or none): one history row each, with `by` as its user."""
    with transaction.atomic():
        return _entries_move(list(entries), to, by, ())


@transaction.atomic
def round_set_state(*, round_: Round, to: str, by=None) -> Round:
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    if to not in RoundState.values:
        raise PortalError(_("Trạng thái vòng thi không hợp lệ."))
    if to not in ROUND_TRANSITIONS.get(round_.state, set()):
        raise PortalError(
            _("Vòng %(round)s không thể chuyển từ “%(from)s” sang “%(to)s”.")
            % {"round": round_.name, "from": RoundState(round_.state).label, "to": RoundState(to).label}
        )
    if by is not None and not round_move_allowed(by, round_):
        raise PortalError(_("Bạn không có quyền mở hoặc đóng vòng thi này."))
    round_.state = to
    if by is not None:
        round_._history_user = by
    round_.save(update_fields=["state"])
    return round_
