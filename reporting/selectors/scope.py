"""Who had to report, and under whom, on a date: the tree of a period's reference date (its ends_on, the data
cut-off) from UnitPlacement. For a current period that is the live tree; for 2019 the 2019 tree."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone

from organizations.models import Unit, UnitPlacement
from organizations.selectors import valid_on_q

from ..models import LockException, Period, ReportingCycle


# ---------------------------------------------------------------- scope
def expected_units_q(cycle: ReportingCycle, prefix: str = "") -> Q:
    """Units that must report in a cycle on the live tree: by kind and/or inside a subtree, not dissolved.
    For figures about a period use expected_placements() (the tree as it stood then)."""
    q = Q(**{f"{prefix}dissolved_on__isnull": True})
    if cycle.scope_kinds:
        q &= Q(**{f"{prefix}kind__in": cycle.scope_kinds})
    if cycle.scope_root_id:
        q &= Q(**{f"{prefix}path__startswith": cycle.scope_root.path})
    return q


def unit_is_expected(cycle: ReportingCycle, unit: Unit) -> bool:
    """On the live tree (filing now); see unit_was_expected() for a period's date."""
    if unit.dissolved_on is not None:
        return False
    if cycle.scope_kinds and unit.kind not in cycle.scope_kinds:
        return False
    return not (cycle.scope_root_id and not unit.path.startswith(cycle.scope_root.path))


def unit_files_period(*, period: Period, unit: Unit, today: dt.date | None = None) -> bool:
    """Whether the period's filing page exists for the unit: the unit must report in the cycle (live tree)
    and the period has begun. Whether it may still change its report is services.check_can_file's."""
    today = today or timezone.localdate()
    return unit_is_expected(period.cycle, unit) and period.starts_on <= today


def placements_on(on: dt.date) -> QuerySet[UnitPlacement]:
    return UnitPlacement.objects.filter(valid_on_q(on))


class Lineages:
    """The lineages a few units (a viewed unit, cycles' scope roots) had over time, from one query."""

    def __init__(self, units):
        ids = {u.pk if isinstance(u, Unit) else u for u in units if u is not None}
        self._live = {u.pk: u.lineage for u in units if isinstance(u, Unit)}
        self._placements: dict[int, list] = {}
        for unit_id, lineage, valid_from, valid_to in UnitPlacement.objects.filter(unit_id__in=ids).values_list(
            "unit_id", "lineage", "valid_from", "valid_to"
        ):
            self._placements.setdefault(unit_id, []).append((lineage, valid_from, valid_to))

    def on(self, unit_id: int, on: dt.date) -> str | None:
        """The unit's lineage on the date; None when it did not stand in the tree then (not yet
        created, or dissolved). A unit without any placement (made outside the services) keeps its
        live lineage."""
        placements = self._placements.get(unit_id)
        if not placements:
            return self._live.get(unit_id)
        return next((lineage for lineage, start, end in placements if start <= on and (end is None or end > on)), None)


@dataclass
class Scope:
    """Who was expected to report under a unit for one period, on the tree of its reference date."""

    on: dt.date
    unit_lineage: str | None  # the viewed unit's lineage then (None: it did not stand in the tree)
    prefix: str | None  # lineage prefix of the expected units (None: nobody)
    kinds: list

    def expects(self, *, lineage: str | None, kind: str) -> bool:
        return (
            self.prefix is not None
            and lineage is not None
            and lineage.startswith(self.prefix)
            and (not self.kinds or kind in self.kinds)
        )


def scope_on(*, cycle: ReportingCycle, unit: Unit | None, on: dt.date, lineages: Lineages | None = None) -> Scope:
    """The period's scope under a unit (None: the whole cycle): the deeper of the unit's and the
    cycle's scope root's lineages on the date, when one contains the other."""
    lineages = lineages or Lineages([unit, cycle_scope_root(cycle)])
    unit_lineage = lineages.on(unit.pk, on) if unit is not None else "/"
    prefix = unit_lineage
    if cycle.scope_root_id and prefix is not None:
        root_lineage = lineages.on(cycle.scope_root_id, on)
        if root_lineage is None or not (root_lineage.startswith(prefix) or prefix.startswith(root_lineage)):
            prefix = None
        else:
            prefix = max(prefix, root_lineage, key=len)
    return Scope(on=on, unit_lineage=unit_lineage, prefix=prefix, kinds=list(cycle.scope_kinds or []))


def placements_in_scope(placements: QuerySet[UnitPlacement], *, prefix: str, kinds: list) -> QuerySet[UnitPlacement]:
    placements = placements.filter(lineage__startswith=prefix)
    return placements.filter(unit__kind__in=kinds) if kinds else placements


def expected_placements(scope: Scope) -> QuerySet[UnitPlacement]:
    """The placements, on the scope's date, of the units that had to report."""
    if scope.prefix is None:
        return UnitPlacement.objects.none()
    return placements_in_scope(placements_on(scope.on), prefix=scope.prefix, kinds=scope.kinds)


def cycle_scope_root(cycle: ReportingCycle) -> Unit | None:
    return cycle.scope_root if cycle.scope_root_id else None


def unit_was_expected(*, cycle: ReportingCycle, unit: Unit, on: dt.date) -> bool:
    """Whether the unit had to report for a period whose reference date is `on` (two small queries)."""
    lineages = Lineages([unit, cycle_scope_root(cycle)])
    return scope_on(cycle=cycle, unit=None, on=on, lineages=lineages).expects(
        lineage=lineages.on(unit.pk, on), kind=unit.kind
    )


def period_is_locked_for(*, period: Period, unit: Unit, today: dt.date | None = None) -> bool:
    today = today or timezone.localdate()
    if today < period.locks_on:
        return False
    return not LockException.objects.filter(period=period, unit=unit, until__gte=today).exists()
