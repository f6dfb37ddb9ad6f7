import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from organizations.enums import Role
from organizations.models import Unit
from organizations.services import unit_move
from reporting import selectors, services
from reporting.models import Report
from tests.factories import make_unit, member

from .conftest import clock, file


@pytest.fixture
def filed(tree, period):
    """Hand-made figures (meeting sessions / people reached / coverage %)."""
    for unit, officer, sessions, reached, coverage in (
        (tree.gl1, tree.gl1_officer, 2, 40, 80),
        (tree.gl2, tree.gl2_officer, 3, 60, 90),
    ):
        report = file(
            period,
            unit,
            officer,
            meeting_sessions=sessions,
            meeting_reached=reached,
            coverage_percent=Decimal(coverage),
        )
        services.report_approve(report=report, by=tree.gialam_head)
    file(period, tree.da1, tree.da1_officer, meeting_sessions=5, meeting_reached=100)  # submitted, not approved
    file(period, tree.gialam, tree.gialam_officer, meeting_sessions=1, meeting_reached=25, coverage_percent=None)
    direct_officer = member(tree.direct, Role.OFFICER)
    direct = file(
        period, tree.direct, direct_officer, meeting_sessions=4, meeting_reached=2000, coverage_percent=Decimal(70)
    )
    services.report_approve(report=direct, by=tree.city_head)
    file(
        period,
        tree.federation,
        tree.city_officer,
        submit=False,
        meeting_sessions=10,
        meeting_reached=500,
        coverage_percent=Decimal(100),
    )
    return period


def _row(data, code):
    return next(r for r in data["rows"] if r.indicator.code == code)


def test_district_rollup_is_own_plus_approved_children(tree, filed):
    data = selectors.rollup(period=filed, unit=tree.gialam)
    sessions = _row(data, "meeting_sessions")
    assert (sessions.own, sessions.children, sessions.total) == (1, 5, 6)
    reached = _row(data, "meeting_reached")
    assert (reached.own, reached.children, reached.total) == (25, 100, 125)
    coverage = _row(data, "coverage_percent")
    assert (coverage.own, coverage.children, coverage.total) == (None, 85, 85)
    assert [c.unit.code for c in data["missing"]] == []
    assert (data["approved_below"], data["filed_below"], data["expected_below"]) == (2, 2, 2)


def test_city_rollup_counts_only_approved_reports_below(tree, filed):
    data = selectors.rollup(period=filed, unit=tree.federation)
    sessions = _row(data, "meeting_sessions")
    assert (sessions.own, sessions.children, sessions.total) == (10, 9, 19)  # 2 + 3 + 4 approved; 5 and 1 not
    reached = _row(data, "meeting_reached")
    assert (reached.own, reached.children, reached.total) == (500, 2100, 2600)
    coverage = _row(data, "coverage_percent")
    assert coverage.total == 85  # (80 + 90 + 70 + 100) / 4
    assert _row(data, "has_plan").total is True
    assert [text for _name, text in _row(data, "results_text").texts] == ["Đã phổ biến Kế hoạch 33/KH-UBND."] * 4
    assert [c.unit.code for c in data["missing"]] == ["HN-LDLD-DONGANH", "HN-LDLD-GIALAM"]
    assert (data["approved_below"], data["filed_below"], data["expected_below"]) == (3, 5, 6)


def test_rollup_uses_lineage_recorded_on_reports(tree, filed):
    """A report keeps the lineage it was made with, and who was expected comes from the placements of the
    period's date: moving a union (through the service) after the period's cut-off changes no figure of it."""
    moved_on = filed.ends_on + dt.timedelta(days=1)
    with clock(moved_on):
        unit_move(unit=tree.gl1, new_parent=tree.donganh, effective_on=moved_on)
    assert Unit.objects.get_parent(Unit.objects.get(pk=tree.gl1.pk)) == tree.donganh
    assert Report.objects.get(unit=tree.gl1).lineage == "/HN/HN-LDLD/HN-LDLD-GIALAM/HN-LDLD-GIALAM-0001/"
    gialam = selectors.rollup(period=filed, unit=tree.gialam)
    assert _row(gialam, "meeting_sessions").children == 5
    assert (gialam["approved_below"], gialam["filed_below"], gialam["expected_below"]) == (2, 2, 2)
    assert [c.unit.code for c in gialam["children"]] == ["HN-LDLD-GIALAM-0002", "HN-LDLD-GIALAM-0001"]
    donganh = selectors.rollup(period=filed, unit=tree.donganh)
    assert _row(donganh, "meeting_sessions").children is None
    assert [c.unit.code for c in donganh["children"]] == ["HN-LDLD-DONGANH-0001"]
    rows = {
        row["unit"].code: row["cells"][0]
        for row in selectors.dashboard(cycle=filed.cycle, unit=tree.federation)["rows"]
    }
    assert (rows["HN-LDLD-GIALAM"].expected, rows["HN-LDLD-GIALAM"].approved) == (3, 2)
    assert (rows["HN-LDLD-DONGANH"].expected, rows["HN-LDLD-DONGANH"].submitted) == (2, 1)


def test_dashboard_rates_per_child_and_totals(tree, filed):
    data = selectors.dashboard(cycle=filed.cycle, unit=tree.federation)
    rows = {row["unit"].code: row["cells"][0] for row in data["rows"]}
    assert [row["unit"].code for row in data["rows"]] == [
        "HN-LDLD",
        "HN-LDLD-0001",
        "HN-LDLD-DONGANH",
        "HN-LDLD-GIALAM",
    ]
    gialam = rows["HN-LDLD-GIALAM"]
    assert (gialam.expected, gialam.submitted, gialam.on_time, gialam.approved) == (3, 3, 3, 2)
    assert (gialam.reporting_rate, gialam.approved_rate) == (100.0, 66.7)
    donganh = rows["HN-LDLD-DONGANH"]
    assert (donganh.expected, donganh.submitted, donganh.approved) == (2, 1, 0)
    total = data["totals"][0]
    assert (total.expected, total.submitted, total.on_time, total.approved) == (7, 5, 5, 3)
    assert (total.reporting_rate, total.on_time_rate, total.approved_rate) == (71.4, 71.4, 42.9)


def test_late_units_lists_units_without_on_time_report_with_officers(tree, filed):
    units = list(selectors.late_units(period=filed, unit=tree.federation))
    assert [u.code for u in units] == ["HN-LDLD", "HN-LDLD-DONGANH"]
    # Its officers as organizations.selectors.unit_officers defines them: officer and head.
    assert [m.user.email for m in units[0].officers] == ["city.head@example.vn", "city.officer@example.vn"]
    assert units[0].report_status == "draft"
    assert units[1].report_status is None


def _count(fn):
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


def test_rollup_and_dashboard_queries_do_not_grow_with_units(tree, filed):
    def run():
        selectors.rollup(period=filed, unit=tree.federation)
        data = selectors.dashboard(cycle=filed.cycle, unit=tree.federation)
        list(selectors.late_units(period=filed, unit=tree.federation))
        selectors.trend_chart(periods=data["periods"], totals=data["totals"])

    small = _count(run)
    for n in range(12):
        unit = make_unit(tree.donganh)
        officer = member(unit, Role.OFFICER)
        report = file(filed, unit, officer)
        if n % 2:
            services.report_approve(report=report, by=tree.donganh_head)
    assert _count(run) == small
    assert small <= 18  # 15, plus one look-up of the viewed unit's lineage on the period's date per selector
