"""Reorganisations seen before they happen: what a move, dissolution, merge or split of a unit will do
(the units that move, how many grassroots unions and members go with them, the effective date), and its
confirmation, applied once through the services however often the confirmation is posted."""

import datetime as dt
from dataclasses import dataclass, field

from django.core import signing
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.db.models.functions import Substr
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from campaign_portal.exceptions import PortalError

from . import services
from .enums import UnitKind
from .models import Membership, Unit, User
from .selectors import unit_live_children

MOVE, DISSOLVE, MERGE, SPLIT = "move", "dissolve", "merge", "split"
STATE_SALT = "organizations.reorganisation"
STATE_MAX_AGE = 60 * 60  # a preview left open longer is shown again before it is applied
NAMES_SHOWN = 10


class ReorganisationAlreadyApplied(PortalError):
    """The unit changed since the preview was made: the confirmation was posted twice, or someone else
    reorganised the unit meanwhile. Nothing was applied."""


@dataclass
class Totals:
    units: int = 0
    grassroots: int = 0
    members: int = 0

    def __add__(self, other: "Totals") -> "Totals":
        return Totals(self.units + other.units, self.grassroots + other.grassroots, self.members + other.members)


@dataclass
class PreviewRow:
    moving: str  # what moves: a unit's name, or "N đơn vị trực thuộc"
    destination: str
    totals: Totals
    names: list[str] = field(default_factory=list)  # the units moving, when several
    more: int = 0  # how many more than those named


@dataclass
class ReorganisationPreview:
    summary: str
    effective_on: dt.date
    rows: list[PreviewRow]
    ended_memberships: int = 0


def _totals_by_prefix(unit: Unit, prefix_len: int) -> dict[str, Totals]:
    """Live units of the subtree grouped by their path's first `prefix_len` characters: one query."""
    rows = (
        Unit.objects.filter(path__startswith=unit.path, depth__gte=unit.depth, dissolved_on__isnull=True)
        .annotate(prefix=Substr("path", 1, prefix_len))
        .order_by()
        .values("prefix")
        .annotate(
            units=Count("id"),
            grassroots=Count("id", filter=Q(kind=UnitKind.GRASSROOTS_UNION)),
            members=Sum("member_count", filter=Q(kind=UnitKind.GRASSROOTS_UNION)),
        )
    )
    return {row["prefix"]: Totals(row["units"], row["grassroots"], row["members"] or 0) for row in rows}


def subtree_totals(unit: Unit) -> Totals:
    """The unit and every live unit below it."""
    return _totals_by_prefix(unit, len(unit.path)).get(unit.path, Totals())


def _children_rows(unit: Unit, groups: list[tuple[str, list[Unit]]]) -> list[PreviewRow]:
    """One row per destination, for the children going there, from one aggregate over the subtree."""
    by_child = _totals_by_prefix(unit, len(unit.path) + Unit.steplen)
    rows = []
    for destination, children in groups:
        totals = sum((by_child.get(child.path, Totals()) for child in children), Totals())
        rows.append(
            PreviewRow(
                moving=_("%(n)s đơn vị trực thuộc") % {"n": len(children)},
                destination=destination,
                totals=totals,
                names=[child.name for child in children[:NAMES_SHOWN]],
                more=max(len(children) - NAMES_SHOWN, 0),
            )
        )
    return rows


def _label(unit: Unit) -> str:
    return f"{unit.name} ({unit.code})"


def reorganisation_preview(
    *,
    action: str,
    unit: Unit,
    effective_on: dt.date,
    target: Unit | None = None,
    parts: list[tuple[services.UnitSpec, list[Unit]]] = (),
) -> ReorganisationPreview:
    """What the confirmation will do, in a few queries whatever the size of the subtree."""
    date = effective_on.strftime("%d/%m/%Y")
    values = {"unit": _label(unit), "target": _label(target) if target else "", "date": date}
    if action == MOVE:
        parent = Unit.objects.get_parent(unit)
        row = PreviewRow(moving=_label(unit), destination=_label(target), totals=subtree_totals(unit))
        values["parent"] = _label(parent) if parent else "—"
        summary = _("%(unit)s chuyển từ %(parent)s về trực thuộc %(target)s, hiệu lực từ %(date)s.") % values
        return ReorganisationPreview(summary=summary, effective_on=effective_on, rows=[row])
    ended = Membership.objects.filter(unit=unit, is_active=True).count()
    children = list(unit_live_children(unit))
    if action == SPLIT:
        groups = [(f"{spec.name} ({spec.code})", sorted(kids, key=lambda u: u.sort_key)) for spec, kids in parts]
        values["n"] = len(parts)
        summary = _("%(unit)s chia tách thành %(n)s đơn vị mới rồi giải thể, hiệu lực từ %(date)s.") % values
    elif action == MERGE:
        groups = [(_label(target), children)] if children else []
        summary = _("%(unit)s sáp nhập vào %(target)s rồi giải thể, hiệu lực từ %(date)s.") % values
    else:
        groups = [(_label(target), children)] if children else []
        summary = _("%(unit)s giải thể, hiệu lực từ %(date)s.") % values
    return ReorganisationPreview(
        summary=summary, effective_on=effective_on, rows=_children_rows(unit, groups), ended_memberships=ended
    )


def _unit_state(unit: Unit) -> str:
    """What a reorganisation changes on the unit itself: its place, and whether it is dissolved."""
    return f"{unit.pk}:{unit.path}:{unit.dissolved_on or ''}"


def reorganisation_token(*, action: str, unit: Unit) -> str:
    """Signed into the preview's confirmation: the unit's state the preview was made from."""
    return signing.dumps({"action": action, "state": _unit_state(unit)}, salt=STATE_SALT)


def reorganisation_already_applied(*, action: str, unit: Unit, token: str) -> bool:
    """A genuine confirmation whose unit has changed since its preview: posted twice (or overtaken)."""
    try:
        signed = signing.loads(token, salt=STATE_SALT, max_age=STATE_MAX_AGE)
    except signing.BadSignature:
        return False
    return signed.get("action") == action and signed.get("state") != _unit_state(unit)


ALREADY_APPLIED = gettext_lazy("Thay đổi này đã được ghi nhận (hoặc đơn vị vừa thay đổi): không thực hiện lại.")


def unit_reorganise(
    *,
    action: str,
    unit: Unit,
    token: str,
    effective_on: dt.date,
    by: User | None = None,
    note: str = "",
    target: Unit | None = None,
    parts: list[tuple[services.UnitSpec, list[Unit]]] = (),
):
    """Applies a confirmed reorganisation through the tree services, once: the unit's row is locked and
    must still be as the preview saw it, so a second confirmation (a double click, a reload) changes nothing."""
    try:
        signed = signing.loads(token, salt=STATE_SALT, max_age=STATE_MAX_AGE)
    except signing.BadSignature:
        raise PortalError(_("Bản xem trước đã hết hạn: hãy xem lại thay đổi rồi xác nhận.")) from None
    common = {"effective_on": effective_on, "by": by, "note": note}
    with transaction.atomic():
        locked = Unit.objects.select_for_update().get(pk=unit.pk)
        if signed.get("action") != action or signed.get("state") != _unit_state(locked):
            raise ReorganisationAlreadyApplied(str(ALREADY_APPLIED))
        if action == MOVE:
            return services.unit_move(unit=locked, new_parent=target, **common)
        if action == DISSOLVE:
            return services.unit_dissolve(unit=locked, children_to=target, **common)
        if action == MERGE:
            return services.unit_merge(sources=[locked], target=target, **common)
        return services.unit_split(unit=locked, parts=list(parts), **common)
