"""Report summaries (reporting.summaries) stay true to the raw rows through every write path: each test drives the
real services, then `manage.py portal_summaries` must find 0 differences (it raises CommandError on any)."""

import datetime as dt
import threading
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone

from organizations.enums import Role, UnitKind
from organizations.services import unit_dissolve, unit_merge, unit_move, unit_update
from reporting import cycles, selectors, services
from reporting.enums import PeriodType
from reporting.models import ReportSummary, ReportSummaryNode
from tests.factories import make_unit, member

from .conftest import clock, file, open_cycle

VALUE_NODES = "reporting.ReportValueNode"
LIST_TEXTS = "reporting.ReportListText"


def _reporting_lines(out: StringIO) -> str:
    """The command's output for the report summaries only (without the directives' deliveries and the roll-up rows
    and texts, whose own tests are in test_value_nodes and test_list_texts)."""
    others = ("directives.", VALUE_NODES, "  report value node", LIST_TEXTS, "  report list text")
    return "".join(line for line in out.getvalue().splitlines(keepends=True) if not line.startswith(others))


def _check() -> str:
    out = StringIO()
    call_command("portal_summaries", stdout=out)
    # Every path these tests drive leaves the roll-up rows and texts exact too.
    assert f"{VALUE_NODES}: 0 differences\n" in out.getvalue()
    assert f"{LIST_TEXTS}: 0 differences\n" in out.getvalue()
    return _reporting_lines(out)


def _failed_check(differences: int) -> str:
    out = StringIO()
    with pytest.raises(CommandError, match=f"{differences} summary rows differ"):
        call_command("portal_summaries", stdout=out)
    return _reporting_lines(out)


def _rebuild() -> str:
    out = StringIO()
    call_command("portal_summaries", "--rebuild", stdout=out)
    return _reporting_lines(out)


def _rows(period) -> dict[str, tuple]:
    return {
        s.unit.code: (s.lineage, s.expected, s.status, s.filed, s.on_time, s.approved)
        for s in ReportSummary.objects.filter(period=period).select_related("unit")
    }


def _nodes(period) -> dict[str, tuple]:
    return {
        node.lineage.removeprefix("/HN/"): (node.expected, node.filed, node.on_time, node.approved)
        for node in ReportSummaryNode.objects.filter(period=period)
    }


def _cells(data) -> dict[str, list[tuple]]:
    return {
        row["unit"].code: [(c.expected, c.submitted, c.on_time, c.approved) for c in row["cells"]]
        for row in data["rows"]
    }


def test_opening_a_cycle_writes_a_row_for_every_expected_unit(tree, period):
    assert _rows(period) == {
        "HN-LDLD": ("/HN/HN-LDLD/", True, "", False, False, False),
        "HN-LDLD-GIALAM": ("/HN/HN-LDLD/HN-LDLD-GIALAM/", True, "", False, False, False),
        "HN-LDLD-DONGANH": ("/HN/HN-LDLD/HN-LDLD-DONGANH/", True, "", False, False, False),
        "HN-LDLD-GIALAM-0001": ("/HN/HN-LDLD/HN-LDLD-GIALAM/HN-LDLD-GIALAM-0001/", True, "", False, False, False),
        "HN-LDLD-GIALAM-0002": ("/HN/HN-LDLD/HN-LDLD-GIALAM/HN-LDLD-GIALAM-0002/", True, "", False, False, False),
        "HN-LDLD-DONGANH-0001": ("/HN/HN-LDLD/HN-LDLD-DONGANH/HN-LDLD-DONGANH-0001/", True, "", False, False, False),
        "HN-LDLD-0001": ("/HN/HN-LDLD/HN-LDLD-0001/", True, "", False, False, False),
    }
    assert _check() == "reporting: 0 differences\n"


def test_summaries_follow_draft_submit_return_approve_unapprove(tree, period):
    lineage = "/HN/HN-LDLD/HN-LDLD-GIALAM/HN-LDLD-GIALAM-0001/"
    report = file(period, tree.gl1, tree.gl1_officer, submit=False)
    assert _rows(period)["HN-LDLD-GIALAM-0001"] == (lineage, True, "draft", False, False, False)
    _check()
    report = services.report_submit(report=report, by=tree.gl1_officer)
    assert _rows(period)["HN-LDLD-GIALAM-0001"] == (lineage, True, "submitted", True, True, False)
    _check()
    report = services.report_return(report=report, by=tree.gialam_head, comment="Thiếu số liệu")
    assert _rows(period)["HN-LDLD-GIALAM-0001"] == (lineage, True, "returned", False, False, False)
    _check()
    report = services.report_submit(report=report, by=tree.gl1_officer)
    report = services.report_approve(report=report, by=tree.gialam_head)
    assert _rows(period)["HN-LDLD-GIALAM-0001"] == (lineage, True, "approved", True, True, True)
    _check()
    services.report_unapprove(report=report, by=tree.gialam_head, comment="Duyệt nhầm")
    assert _rows(period)["HN-LDLD-GIALAM-0001"] == (lineage, True, "submitted", True, True, False)
    assert _check() == "reporting: 0 differences\n"


def test_summaries_follow_two_step_accept(tree, form_version):
    period = open_cycle(form_version, tree, two_step=True, name="Hai bước").periods.get()
    gialam_head_of_gl1 = member(tree.gl1, Role.HEAD)
    report = file(period, tree.gl1, tree.gl1_officer)
    report = services.report_approve(report=report, by=gialam_head_of_gl1)
    services.report_accept(report=report, by=tree.gialam_head)
    assert _rows(period)["HN-LDLD-GIALAM-0001"][2:] == ("accepted", True, True, True)
    _check()


def test_a_late_filing_is_filed_but_not_on_time(tree, period):
    with clock(period.due_on + dt.timedelta(days=1)):
        file(period, tree.da1, tree.da1_officer)
    assert _rows(period)["HN-LDLD-DONGANH-0001"][2:] == ("submitted", True, False, False)
    _check()


def test_a_move_takes_the_unit_and_its_subtree_under_the_new_parent_from_its_date(tree, period, form_version):
    past = open_cycle(form_version, tree, starts=-60, ends=-20, name="Kỳ trước").periods.get()
    file(period, tree.gl1, tree.gl1_officer)
    unit_move(unit=tree.gl1, new_parent=tree.donganh, effective_on=timezone.localdate())
    rows = _rows(period)
    # The report keeps the lineage it stored; the unit is expected under its new parent on the period's date.
    assert rows["HN-LDLD-GIALAM-0001"][:3] == ("/HN/HN-LDLD/HN-LDLD-DONGANH/HN-LDLD-GIALAM-0001/", True, "submitted")
    assert ReportSummary.objects.get(period=period, unit=tree.gl1).report_lineage == (
        "/HN/HN-LDLD/HN-LDLD-GIALAM/HN-LDLD-GIALAM-0001/"
    )
    # The past period stands on the tree of its date.
    assert _rows(past)["HN-LDLD-GIALAM-0001"][0] == "/HN/HN-LDLD/HN-LDLD-GIALAM/HN-LDLD-GIALAM-0001/"
    _check()


def test_a_merge_and_a_dissolution_end_who_is_expected(tree, period):
    file(period, tree.da1, tree.da1_officer)
    unit_merge(sources=[tree.donganh], target=tree.gialam, effective_on=timezone.localdate())
    unit_dissolve(unit=tree.direct, effective_on=timezone.localdate())
    rows = _rows(period)
    assert "HN-LDLD-DONGANH" not in rows
    assert "HN-LDLD-0001" not in rows
    # Kept for its report, now under Gia Lâm.
    assert rows["HN-LDLD-DONGANH-0001"][:3] == ("/HN/HN-LDLD/HN-LDLD-GIALAM/HN-LDLD-DONGANH-0001/", True, "submitted")
    _check()


def test_a_change_of_kind_changes_who_is_expected_and_a_new_unit_is_expected(tree, period):
    unit_update(unit=tree.direct, kind=UnitKind.INDUSTRY_UNION)
    created = make_unit(tree.gialam, kind=UnitKind.GRASSROOTS_UNION)
    rows = _rows(period)
    assert "HN-LDLD-0001" not in rows
    assert rows[created.code][1] is True
    _check()


def test_a_corrupted_summary_is_reported_and_rebuilt(tree, period):
    file(period, tree.gl1, tree.gl1_officer)
    # Corruption, not a domain operation: rows deleted and altered behind the services' back.
    ReportSummary.objects.filter(period=period, unit=tree.gl2).delete()
    ReportSummary.objects.filter(period=period, unit=tree.gl1).update(status="approved", approved=True)
    assert _failed_check(2) == (
        f"  report summary (period {period.pk}, unit {tree.gl1.pk}): differs\n"
        f"  report summary (period {period.pk}, unit {tree.gl2.pk}): missing\n"
        "reporting: 2 differences\n"
    )
    assert _rebuild() == "reporting: 2 rows rewritten\n"
    assert _rows(period)["HN-LDLD-GIALAM-0001"][2:] == ("submitted", True, True, False)
    assert _check() == "reporting: 0 differences\n"


def test_nodes_count_expected_units_and_reports_under_each_lineage(tree, period):
    file(period, tree.gl1, tree.gl1_officer)
    file(period, tree.da1, tree.da1_officer, submit=False)
    with clock(period.due_on + dt.timedelta(days=1)):
        report = file(period, tree.gl2, tree.gl2_officer)
    services.report_approve(report=report, by=tree.gialam_head)
    assert _nodes(period) == {
        "": (7, 2, 1, 1),
        "HN-LDLD/": (7, 2, 1, 1),
        "HN-LDLD/HN-LDLD-GIALAM/": (3, 2, 1, 1),
        "HN-LDLD/HN-LDLD-GIALAM/HN-LDLD-GIALAM-0001/": (1, 1, 1, 0),
        "HN-LDLD/HN-LDLD-GIALAM/HN-LDLD-GIALAM-0002/": (1, 1, 0, 1),
        "HN-LDLD/HN-LDLD-DONGANH/": (2, 0, 0, 0),
        "HN-LDLD/HN-LDLD-DONGANH/HN-LDLD-DONGANH-0001/": (1, 0, 0, 0),
        "HN-LDLD/HN-LDLD-0001/": (1, 0, 0, 0),
    }
    assert ReportSummaryNode.objects.get(period=period, lineage="/HN/HN-LDLD/HN-LDLD-GIALAM/").parent_lineage == (
        "/HN/HN-LDLD/"
    )
    assert ReportSummaryNode.objects.get(period=period, lineage="/HN/").parent_lineage == ""
    assert _check() == "reporting: 0 differences\n"


def test_a_move_recounts_the_nodes_of_both_parents(tree, period):
    file(period, tree.gl1, tree.gl1_officer)
    unit_move(unit=tree.gl1, new_parent=tree.donganh, effective_on=timezone.localdate())
    nodes = _nodes(period)
    # Expected under Đông Anh now; its report counts under the lineage it stored, in Gia Lâm.
    assert nodes["HN-LDLD/HN-LDLD-GIALAM/"] == (2, 1, 1, 0)
    assert nodes["HN-LDLD/HN-LDLD-DONGANH/"] == (3, 0, 0, 0)
    assert nodes["HN-LDLD/HN-LDLD-DONGANH/HN-LDLD-GIALAM-0001/"] == (1, 0, 0, 0)
    assert nodes["HN-LDLD/HN-LDLD-GIALAM/HN-LDLD-GIALAM-0001/"] == (0, 1, 1, 0)
    assert _check() == "reporting: 0 differences\n"


def test_a_corrupted_node_is_reported_and_rebuilt(tree, period):
    file(period, tree.gl1, tree.gl1_officer)
    # Corruption, not a domain operation.
    ReportSummaryNode.objects.filter(period=period, lineage="/HN/HN-LDLD/").update(filed=0)
    ReportSummaryNode.objects.filter(period=period, lineage="/HN/HN-LDLD/HN-LDLD-0001/").delete()
    assert _failed_check(2) == (
        f"  report summary node (period {period.pk}, /HN/HN-LDLD/): differs or missing\n"
        f"  report summary node (period {period.pk}, /HN/HN-LDLD/HN-LDLD-0001/): differs or missing\n"
        "reporting: 2 differences\n"
    )
    assert _rebuild() == "reporting: 2 rows rewritten\n"
    assert _nodes(period)["HN-LDLD/"] == (7, 1, 1, 0)
    assert _check() == "reporting: 0 differences\n"


def test_dashboard_under_a_scope_root_deeper_than_the_viewer(tree, form_version):
    today = timezone.localdate()
    period = cycles.cycle_open(
        name="Gia Lâm",
        form_version=form_version,
        period_type=PeriodType.ONE_OFF,
        starts_on=today - dt.timedelta(days=30),
        ends_on=today + dt.timedelta(days=3),
        scope_kinds=[UnitKind.GRASSROOTS_UNION],
        scope_root=tree.gialam,
        by=tree.admin,
    ).periods.get()
    file(period, tree.gl1, tree.gl1_officer)
    services.report_approve(report=file(period, tree.gl2, tree.gl2_officer), by=tree.gialam_head)
    # Trâu Quỳ leaves Gia Lâm before the period's end: no longer expected, its report still counts where it was filed.
    unit_move(unit=tree.gl1, new_parent=tree.donganh, effective_on=today)
    cycle = period.cycle
    assert _cells(selectors.dashboard(cycle=cycle, unit=tree.city)) == {"HN-LDLD": [(1, 2, 2, 1)]}
    assert _cells(selectors.dashboard(cycle=cycle, unit=tree.federation)) == {"HN-LDLD-GIALAM": [(1, 2, 2, 1)]}
    assert _cells(selectors.dashboard(cycle=cycle, unit=tree.gialam)) == {"HN-LDLD-GIALAM-0002": [(1, 1, 1, 1)]}
    assert _cells(selectors.dashboard(cycle=cycle, unit=tree.donganh)) == {}
    totals = selectors.dashboard(cycle=cycle, unit=tree.city)["totals"]
    assert [(t.expected, t.submitted, t.on_time, t.approved) for t in totals] == [(1, 2, 2, 1)]
    assert _check() == "reporting: 0 differences\n"


def test_dashboard_counts_the_viewers_own_report_apart_from_its_children(tree, period):
    file(period, tree.federation, tree.city_officer)
    file(period, tree.gl1, tree.gl1_officer)
    file(period, tree.direct, member(tree.direct, Role.OFFICER))
    assert _cells(selectors.dashboard(cycle=period.cycle, unit=tree.federation)) == {
        "HN-LDLD": [(1, 1, 1, 0)],
        "HN-LDLD-0001": [(1, 1, 1, 0)],
        "HN-LDLD-DONGANH": [(2, 0, 0, 0)],
        "HN-LDLD-GIALAM": [(3, 1, 1, 0)],
    }
    assert _cells(selectors.dashboard(cycle=period.cycle, unit=tree.city)) == {"HN-LDLD": [(7, 3, 3, 0)]}


def test_an_extra_summary_row_is_reported(tree, period):
    ReportSummary.objects.create(
        cycle=period.cycle,
        period=period,
        unit=tree.city,
        lineage="/HN/",
        tree_order=" HN ",
        unit_kind=tree.city.kind,
        expected=True,
        filed=False,
        on_time=False,
        approved=False,
    )
    _failed_check(1)


def test_dashboard_reads_four_queries_whatever_the_periods_and_reports(tree, quarters, django_assert_max_num_queries):
    third, fourth = quarters
    with clock(fourth.due_on):
        for quarter in (third, fourth):
            file(quarter, tree.gl1, tree.gl1_officer)
    cycle = fourth.cycle
    # The periods, the lineages of the unit and the cycle's root, the nodes of the unit and its children, the children.
    with django_assert_max_num_queries(4):
        data = selectors.dashboard(cycle=cycle, unit=tree.federation)
    gialam = next(row for row in data["rows"] if row["unit"] == tree.gialam)
    assert [(c.expected, c.submitted, c.on_time) for c in gialam["cells"]] == [
        (2, 0, 0),
        (2, 0, 0),
        (2, 1, 0),
        (2, 1, 1),
    ]
    _check()


@pytest.mark.django_db(transaction=True)
def test_the_rebuild_runs_outside_a_transaction(tree, period):
    # As `manage.py portal_summaries --rebuild` runs: the node locks open their own transaction.
    ReportSummaryNode.objects.filter(period=period).delete()
    assert _rebuild() == "reporting: 8 rows rewritten\n"
    assert _check() == "reporting: 0 differences\n"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_filers_under_one_root_add_up_in_the_nodes(tree, period):
    """Each status change adds its difference to the shared nodes (the root, the federation) under their row locks:
    three officers submitting at the same moment, from three connections, leave every node exact."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locking between connections")
    barrier = threading.Barrier(3)
    errors = []

    def submit(unit, officer):
        try:
            barrier.wait()
            file(period, unit, officer)
        except Exception as error:  # noqa: BLE001 — reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=submit, args=(unit, officer))
        for unit, officer in ((tree.gl1, tree.gl1_officer), (tree.gl2, tree.gl2_officer), (tree.da1, tree.da1_officer))
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert _nodes(period)["HN-LDLD/"][1:3] == (3, 3)  # filed, on time
    assert _check() == "reporting: 0 differences\n"
