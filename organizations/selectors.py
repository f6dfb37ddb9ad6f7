"""Reads on the unit tree. Each returns a queryset or a small list in a bounded number of queries."""

import datetime as dt

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Substr

from campaign_portal.text import fold

from .enums import UnitKind
from .models import AdministrativeArea, Unit, UnitCoverage, UnitPlacement, User


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
    """Accent-insensitive: "gia lam" finds "Gia Lâm", "ha noi" finds "Hà Nội"."""
    terms = fold(query).split()
    result = within
    for term in terms:
        result = result.filter(search_text__contains=term)
    return result.order_by("sort_key")


def unit_lineage_on(unit: Unit, on: dt.date) -> str:
    """The lineage a unit had on a date: what a record dated then belongs to."""
    placement = (
        UnitPlacement.objects.filter(unit=unit, valid_from__lte=on)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=on))
        .order_by("-valid_from")
        .values_list("lineage", flat=True)
        .first()
    )
    return placement or unit.lineage


def unit_ancestors(unit: Unit) -> list[Unit]:
    return list(Unit.objects.get_ancestors(unit))


def units_by_codes(codes) -> dict[str, Unit]:
    return {u.code: u for u in Unit.objects.filter(code__in=list(codes))}


# ---------------------------------------------------------------- communes and wards


def _valid_on_q(on, prefix: str = "") -> Q:
    """Rows valid on a date (valid_to exclusive); on may be a date or an expression such as OuterRef(…)."""
    return Q(**{f"{prefix}valid_from__lte": on}) & (
        Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gt": on})
    )


def areas_valid_on(on: dt.date) -> QuerySet[AdministrativeArea]:
    """The communes and wards that exist on a date, in Vietnamese order of their proper names."""
    return AdministrativeArea.objects.filter(_valid_on_q(on)).order_by("sort_key", "code")


def areas_search(*, query: str, within: QuerySet[AdministrativeArea] | None = None) -> QuerySet[AdministrativeArea]:
    """Accent-insensitive, by name or code: "kim lien" finds "Phường Kim Liên", "00229" too."""
    result = AdministrativeArea.objects.all() if within is None else within
    for term in fold(query).split():
        result = result.filter(search_text__contains=term)
    return result.order_by("sort_key", "code")


def areas_covered_by(unit: Unit, on: dt.date) -> list[AdministrativeArea]:
    """The communes/wards a unit covered on a date. One query."""
    return list(
        AdministrativeArea.objects.filter(Exists(
            UnitCoverage.objects.filter(_valid_on_q(on), unit=unit, area=OuterRef("pk"))
        )).order_by("sort_key", "code")
    )


def units_in_area_q(area: AdministrativeArea, on, prefix: str = "") -> Q:
    """Units covering an area on a date, as a condition on Unit (prefix "") or on a relation to it
    (prefix "unit__" on Delivery, Report…). on may be a date or an expression of the outer row
    (OuterRef("document__issued_on")): each row is then checked on its own date."""
    covering = UnitCoverage.objects.filter(_valid_on_q(on), unit_id=OuterRef(f"{prefix}pk"), area=area)
    return Q(Exists(covering))


def unit_coverage_history(unit: Unit) -> list[UnitCoverage]:
    """Every coverage row of a unit, latest first. One query."""
    return list(
        UnitCoverage.objects.filter(unit=unit).select_related("area").order_by("-valid_from", "area__sort_key")
    )
