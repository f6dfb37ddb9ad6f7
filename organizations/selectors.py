"""Reads on the unit tree. Each returns a queryset or a small list in a bounded number of queries."""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Length, StrIndex, Substr
from django.utils.translation import gettext as _

from campaign_portal.search import ranked_search

from .enums import ALLOWED_PARENT_KINDS, UnitChangeKind, UnitKind
from .models import AdministrativeArea, Membership, Unit, UnitChange, UnitCoverage, UnitPlacement, User
from .rules import WORK_ROLES


def units_visible_to(user: User) -> QuerySet[Unit]:
    """Units a user may open: for admins all, else her units and their subtrees."""
    if user.is_portal_admin:
        return Unit.objects.all()
    paths = [m.unit.path for m in user.active_memberships]
    if not paths:
        return Unit.objects.none()
    condition = Q()
    for path in paths:
        condition |= Q(path__startswith=path)
    return Unit.objects.filter(condition)


def unit_officers(*, unit_ids: Iterable[int] | None = None) -> QuerySet[Membership]:
    """The officers of units, the one definition: active memberships in a work role (officer or head),
    the roles `rules.is_officer_of` lets do the unit's work. All units when `unit_ids` is None."""
    memberships = Membership.objects.filter(role__in=WORK_ROLES, is_active=True)
    if unit_ids is not None:
        memberships = memberships.filter(unit_id__in=list(unit_ids))
    return memberships


def unit_officer_ids(*, unit_ids: Iterable[int]) -> list[int]:
    """The user ids of the officers of these units, each once, in id order: one query."""
    return sorted(set(unit_officers(unit_ids=unit_ids).values_list("user_id", flat=True)))


def root_units_for(user: User) -> list[Unit]:
    """The top of the tree a user sees: the roots for admins, her highest units otherwise."""
    if user.is_portal_admin:
        return list(Unit.objects.get_root_nodes())
    units = sorted({m.unit for m in user.active_memberships}, key=lambda u: u.path)
    tops: list[Unit] = []
    for unit in units:
        if not any(unit.path.startswith(top.path) for top in tops):
            tops.append(unit)
    return tops


def unit_children_with_counts(unit: Unit, *, include_dissolved: bool = False) -> list[Unit]:
    """Children sorted the Vietnamese way, each with .descendant_count and
    .grassroots_count, in two queries whatever the size of the subtree."""
    children = Unit.objects.get_children(unit)
    if not include_dissolved:
        children = children.filter(dissolved_on__isnull=True)
    children = list(children.order_by("sort_key"))
    if not children:
        return children
    prefix_len = len(unit.path) + Unit.steplen
    counts = (
        Unit.objects.filter(path__startswith=unit.path, depth__gt=unit.depth + 1, dissolved_on__isnull=True)
        .annotate(prefix=Substr("path", 1, prefix_len))
        .order_by()  # the model's default ordering would split the GROUP BY
        .values("prefix")
        .annotate(
            total=Count("id"),
            grassroots=Count("id", filter=Q(kind=UnitKind.GRASSROOTS_UNION)),
        )
    )
    by_prefix = {row["prefix"]: row for row in counts}
    for child in children:
        row = by_prefix.get(child.path, {"total": 0, "grassroots": 0})
        child.descendant_count = row["total"]
        child.grassroots_count = row["grassroots"]
    return children


def subtree_summary(unit: Unit) -> dict:
    """Counts by kind under a unit, one query."""
    rows = (
        Unit.objects.filter(path__startswith=unit.path, depth__gt=unit.depth, dissolved_on__isnull=True)
        .order_by()
        .values("kind")
        .annotate(n=Count("id"))
    )
    by_kind = {row["kind"]: row["n"] for row in rows}
    return {
        "by_kind": [(UnitKind(k).label, n) for k, n in sorted(by_kind.items())],
        "total": sum(by_kind.values()),
        "grassroots": by_kind.get(UnitKind.GRASSROOTS_UNION, 0),
    }


def units_search(*, query: str, within: QuerySet[Unit]) -> QuerySet[Unit]:
    """Accent-insensitive, at word starts, best first (campaign_portal.search): "dong anh" finds
    "Đông Anh" and never "Thanh Xuân"; "gia l" finds "Gia Lâm"; a code typed exactly comes first."""
    return ranked_search(within, query, order=("sort_key",), padded_column="search_words")


def _outside_subtree_live(unit: Unit) -> QuerySet[Unit]:
    return Unit.objects.filter(dissolved_on__isnull=True).exclude(path__startswith=unit.path)


def unit_move_parents(unit: Unit) -> QuerySet[Unit]:
    """The units `unit` may move under (what units_move accepts): live, neither itself nor below it, of a kind
    the tree rules allow above its kind, and not its current parent. The move form's choices and its picker's."""
    if unit.is_dissolved:
        return Unit.objects.none()
    allowed = ALLOWED_PARENT_KINDS.get(UnitKind(unit.kind), set())
    return (
        _outside_subtree_live(unit)
        .filter(kind__in=[str(kind) for kind in allowed])
        .exclude(path=unit.path[: -Unit.steplen])
        .order_by("sort_key")
    )


def unit_children_destinations(unit: Unit) -> QuerySet[Unit]:
    """Where the live children of a dissolved or merged unit may go: live units outside its subtree that
    every child's kind may sit under (any live unit outside the subtree when it has no children)."""
    if unit.is_dissolved:
        return Unit.objects.none()
    child_kinds = set(Unit.objects.get_children(unit).filter(dissolved_on__isnull=True).values_list("kind", flat=True))
    units = _outside_subtree_live(unit)
    for kind in child_kinds:
        units = units.filter(kind__in=[str(k) for k in ALLOWED_PARENT_KINDS.get(UnitKind(kind), set())])
    return units.order_by("sort_key")


def unit_merge_targets(unit: Unit) -> QuerySet[Unit]:
    """The units `unit` may merge into: of its own kind, and able to take its children."""
    return unit_children_destinations(unit).filter(kind=unit.kind)


def unit_live_children(unit: Unit) -> QuerySet[Unit]:
    """What a split hands out to the new units."""
    return Unit.objects.get_children(unit).filter(dissolved_on__isnull=True).order_by("sort_key")


def unit_lineage_on(unit: Unit, on: dt.date) -> str:
    """The lineage a unit had on a date: what a record dated then belongs to."""
    placement = (
        UnitPlacement.objects.filter(valid_on_q(on), unit=unit)
        .order_by("-valid_from")
        .values_list("lineage", flat=True)
        .first()
    )
    return placement or unit.lineage


def unit_ancestors(unit: Unit) -> list[Unit]:
    return list(Unit.objects.get_ancestors(unit))


def units_by_codes(codes) -> dict[str, Unit]:
    return {u.code: u for u in Unit.objects.filter(code__in=list(codes))}


@dataclass
class Dissolution:
    """What the banner of a dissolved unit says, read from the UnitChange rows."""

    dissolved_on: dt.date
    message: str
    # Where its children went: (new parent, how many), most first.
    destinations: list[tuple[Unit, int]] = field(default_factory=list)


def unit_dissolution(unit: Unit) -> Dissolution | None:
    """None for a unit that is not dissolved; else the banner, in one query."""
    if unit.dissolved_on is None:
        return None
    moves = list(
        UnitChange.objects.filter(old_parent=unit, effective_on=unit.dissolved_on, new_parent__isnull=False)
        .exclude(kind__in=[UnitChangeKind.CREATE, UnitChangeKind.RENAME])
        .select_related("new_parent", "unit")
        .order_by("id")
    )
    by_parent: dict[int, list] = {}
    for change in moves:
        by_parent.setdefault(change.new_parent_id, [change.new_parent, 0])[1] += 1
    destinations = sorted(((p, n) for p, n in by_parent.values()), key=lambda row: (-row[1], row[0].sort_key))
    date = unit.dissolved_on.strftime("%d/%m/%Y")
    if not destinations:
        message = _("Đã giải thể từ %(date)s.") % {"date": date}
    else:
        grassroots_only = all(change.unit.kind == UnitKind.GRASSROOTS_UNION for change in moves)
        values = {"date": date, "target": destinations[0][0].name, "n": len(destinations)}
        if len(destinations) == 1 and grassroots_only:
            message = _("Đã giải thể từ %(date)s; các công đoàn cơ sở trực thuộc chuyển về %(target)s.") % values
        elif len(destinations) == 1:
            message = _("Đã giải thể từ %(date)s; các đơn vị trực thuộc chuyển về %(target)s.") % values
        elif grassroots_only:
            message = _("Đã giải thể từ %(date)s; các công đoàn cơ sở trực thuộc chuyển về %(n)s đơn vị.") % values
        else:
            message = _("Đã giải thể từ %(date)s; các đơn vị trực thuộc chuyển về %(n)s đơn vị.") % values
    return Dissolution(dissolved_on=unit.dissolved_on, message=message, destinations=destinations)


# ---------------------------------------------------------------- the tree as it stood on a date
def valid_on_q(on, prefix: str = "") -> Q:
    """Effective-dated rows (placements, coverage) in force on a date; valid_to is exclusive. on may be a
    date or an expression of the outer row (OuterRef("period__ends_on"))."""
    return Q(**{f"{prefix}valid_from__lte": on}) & (
        Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gt": on})
    )


def unit_children_on(unit: Unit, on: dt.date) -> list[Unit] | None:
    """The unit's children as they stood on a date, from UnitPlacement (units dissolved since then
    included), each with .kind_counts [(label, n)], .descendant_count and .grassroots_count of its
    subtree on that date. None if the unit did not exist then. Three queries whatever the tree's size."""
    lineage = UnitPlacement.objects.filter(valid_on_q(on), unit=unit).values_list("lineage", flat=True).first()
    if lineage is None:
        return None
    children = [
        placement.unit for placement in UnitPlacement.objects.filter(valid_on_q(on), parent=unit).select_related("unit")
    ]
    children.sort(key=lambda child: child.sort_key)
    # Below each child: the code that follows the unit's lineage in a descendant's lineage then.
    counts = (
        UnitPlacement.objects.filter(valid_on_q(on), lineage__startswith=lineage)
        .annotate(rest=Substr("lineage", len(lineage) + 1))
        .annotate(cut=StrIndex("rest", Value("/")))
        .filter(cut__gt=0, cut__lt=Length("rest"))  # at least two levels below the unit
        .annotate(child_code=Substr("rest", 1, F("cut") - 1))
        .order_by()
        .values("child_code", "unit__kind")
        .annotate(n=Count("id"))
    )
    by_code: dict[str, dict[str, int]] = {}
    for row in counts:
        by_code.setdefault(row["child_code"], {})[row["unit__kind"]] = row["n"]
    for child in children:
        kinds = by_code.get(child.code, {})
        child.kind_counts = [(UnitKind(kind).label, n) for kind, n in sorted(kinds.items())]
        child.descendant_count = sum(kinds.values())
        child.grassroots_count = kinds.get(UnitKind.GRASSROOTS_UNION, 0)
    return children


def summary_of_children_on(children: list[Unit]) -> dict:
    """Counts by kind under a unit on a date, from unit_children_on's result (no query)."""
    by_kind: dict[str, int] = {}
    for child in children:
        by_kind[child.kind] = by_kind.get(child.kind, 0) + 1
    totals = {str(label): n for label, n in ((UnitKind(k).label, n) for k, n in by_kind.items())}
    for child in children:
        for label, n in child.kind_counts:
            totals[str(label)] = totals.get(str(label), 0) + n
    return {"by_kind": sorted(totals.items()), "total": sum(totals.values())}


# ---------------------------------------------------------------- communes and wards


def areas_valid_on(on: dt.date) -> QuerySet[AdministrativeArea]:
    """The communes and wards that exist on a date, in Vietnamese order of their proper names."""
    return AdministrativeArea.objects.filter(valid_on_q(on)).order_by("sort_key", "code")


def areas_search(*, query: str, within: QuerySet[AdministrativeArea] | None = None) -> QuerySet[AdministrativeArea]:
    """Accent-insensitive, by name or code, ranked like units_search: "kim lien" finds "Phường Kim Liên",
    "00229" too."""
    return ranked_search(
        AdministrativeArea.objects.all() if within is None else within, query, order=("sort_key", "code")
    )


def areas_covered_by(unit: Unit, on: dt.date) -> list[AdministrativeArea]:
    """The communes/wards a unit covered on a date. One query."""
    return list(
        AdministrativeArea.objects.filter(
            Exists(UnitCoverage.objects.filter(valid_on_q(on), unit=unit, area=OuterRef("pk")))
        ).order_by("sort_key", "code")
    )


def units_in_area_q(area: AdministrativeArea, on, prefix: str = "") -> Q:
    """Units covering an area on a date, as a condition on Unit (prefix "") or on a relation to it
    (prefix "unit__" on Delivery, Report…). on may be a date or an expression of the outer row
    (OuterRef("document__issued_on")): each row is then checked on its own date."""
    covering = UnitCoverage.objects.filter(valid_on_q(on), unit_id=OuterRef(f"{prefix}pk"), area=area)
    return Q(Exists(covering))


def unit_coverage_history(unit: Unit) -> list[UnitCoverage]:
    """Every coverage row of a unit, latest first. One query."""
    return list(UnitCoverage.objects.filter(unit=unit).select_related("area").order_by("-valid_from", "area__sort_key"))
