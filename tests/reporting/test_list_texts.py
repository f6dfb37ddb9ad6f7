"""The live roll-up texts (reporting.list_texts) through every path that changes them: each test drives the real
services, compares every unit's roll-up texts with the query over the raw values the roll-up ran before the rows
(same texts, same order) and expects `manage.py portal_summaries` to find 0 differences."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Q
from django.utils import timezone

from organizations.enums import Role
from organizations.services import unit_move, unit_update
from reporting import selectors, services
from reporting.enums import APPROVED_STATUSES, Rollup
from reporting.models import ReportListText, Value
from tests.factories import member

from .conftest import file, open_cycle

SUMMARY = "reporting.ReportListText"


def _raw_texts(period, unit, lineage, limit) -> list[tuple]:
    """The unit's own texts (whatever its report's status) and the approved ones below, from every raw value."""
    values = (
        Value.objects.filter(report__period=period, indicator__rollup=Rollup.LIST)
        .filter(
            Q(report__unit=unit) | Q(report__status__in=APPROVED_STATUSES, report__lineage__startswith=lineage),
        )
        .exclude(text="")
        .order_by("indicator_id", "report__unit__sort_key", "report__unit_id")
    )
    return list(values.values_list("indicator__code", "report__unit__name", "text")[:limit])


def _assert_texts_exact(period, units, lineages=None, limit=200) -> None:
    lineages = lineages or {}
    for unit in units:
        data = selectors.rollup(period=period, unit=unit, list_limit=limit)
        shown = [(row.indicator.code, name, text) for row in data["rows"] for name, text in row.texts]
        assert shown == _raw_texts(period, unit, lineages.get(unit, unit.lineage), limit), unit.code
    out = StringIO()
    call_command("portal_summaries", stdout=out)
    assert f"{SUMMARY}: 0 differences\n" in out.getvalue()


def _stored(period) -> list[tuple]:
    return sorted(ReportListText.objects.filter(period=period).values_list("unit__code", "indicator__code", "text"))


@pytest.fixture
def approved(tree, period):
    """Approved grassroots and district reports with their own texts; one submitted, not approved; the city's own
    report saved, not submitted."""
    for unit, officer, channel, results in (
        (tree.gl1, tree.gl1_officer, "Hội nghị", "Trâu Quỳ: 3 buổi."),
        (tree.gl2, tree.gl2_officer, "Pa-nô", "Gia Lâm 2: 5 buổi."),
    ):
        report = file(period, unit, officer, main_channel=channel, results_text=results)
        services.report_approve(report=report, by=tree.gialam_head)
    direct = file(period, tree.direct, member(tree.direct, Role.OFFICER), results_text="Trực thuộc: 1 buổi.")
    services.report_approve(report=direct, by=tree.city_head)
    district = file(period, tree.gialam, tree.gialam_officer, results_text="Quận: tổng kết.")
    services.report_approve(report=district, by=tree.city_head)
    file(period, tree.da1, tree.da1_officer, results_text="Chưa duyệt.")
    file(period, tree.federation, tree.city_officer, submit=False, results_text="Thành phố: kế hoạch.")
    return period


def test_rows_hold_the_texts_of_approved_reports_only(tree, approved):
    stored = _stored(approved)
    assert ("HN-LDLD-GIALAM-0001", "results_text", "Trâu Quỳ: 3 buổi.") in stored
    assert ("HN-LDLD-GIALAM-0002", "main_channel", "Pa-nô") in stored
    assert {code for code, _indicator, _text in stored} == {
        tree.gl1.code,
        tree.gl2.code,
        tree.direct.code,
        tree.gialam.code,
    }
    _assert_texts_exact(approved, [tree.federation, tree.gialam, tree.donganh, tree.gl1, tree.da1])


def test_the_limit_cuts_the_same_texts(tree, approved):
    for limit in (1, 3, 6):
        _assert_texts_exact(approved, [tree.federation, tree.gialam], limit=limit)


def test_unapproving_takes_the_texts_out_and_approving_again_brings_the_new_ones(tree, approved):
    services.report_unapprove(report=approved.reports.get(unit=tree.gialam), by=tree.city_head, comment="Mở lại")
    report = approved.reports.get(unit=tree.gl2)
    services.report_unapprove(report=report, by=tree.gialam_head, comment="Sai số liệu")
    assert not ReportListText.objects.filter(report__unit__in=[tree.gialam, tree.gl2]).exists()
    _assert_texts_exact(approved, [tree.federation, tree.gialam, tree.gl2])
    services.report_return(report=report, by=tree.gialam_head, comment="Sửa lại")
    report = file(approved, tree.gl2, tree.gl2_officer, main_channel="", results_text="Đã sửa.")
    services.report_approve(report=report, by=tree.gialam_head)
    assert sorted(ReportListText.objects.filter(report=report).values_list("text", flat=True)) == ["Đã sửa."]
    _assert_texts_exact(approved, [tree.federation, tree.gialam, tree.gl2])


def test_a_move_keeps_the_texts_where_the_reports_were_made(tree, approved):
    unit_move(unit=tree.gl1, new_parent=tree.donganh, effective_on=timezone.localdate())
    moved = {tree.gl1: selectors.scope_on(cycle=approved.cycle, unit=tree.gl1, on=approved.ends_on).unit_lineage}
    _assert_texts_exact(approved, [tree.federation, tree.gialam, tree.donganh, tree.gl1], moved)


def test_a_rename_reorders_the_texts_by_the_new_name(tree, approved):
    def names():
        data = selectors.rollup(period=approved, unit=tree.gialam)
        return [name for row in data["rows"] if row.indicator.code == "results_text" for name, _text in row.texts]

    before = names()
    first = next(unit for unit in (tree.gl1, tree.gl2, tree.gialam) if unit.name == before[0])
    unit_update(unit=first, name=f"Y {first.name}", by=tree.admin)  # the alphabet's last letter
    assert names() == [*before[1:], f"Y {before[0]}"]
    _assert_texts_exact(approved, [tree.federation, tree.gialam])


def test_two_step_accept_copies_once(tree, form_version):
    period = open_cycle(form_version, tree, two_step=True, name="Hai bước").periods.get()
    report = file(period, tree.gl1, tree.gl1_officer, results_text="Hai bước.")
    report = services.report_approve(report=report, by=member(tree.gl1, Role.HEAD))
    report = services.report_accept(report=report, by=tree.gialam_head)
    assert ReportListText.objects.filter(report=report, indicator__code="results_text").count() == 1
    _assert_texts_exact(period, [tree.federation, tree.gialam, tree.gl1])
    services.report_unapprove(report=report, by=tree.gialam_head, comment="Nhầm")
    _assert_texts_exact(period, [tree.federation, tree.gialam, tree.gl1])


def test_an_approved_own_report_is_read_from_the_rows(tree, approved, django_assert_max_num_queries):
    with django_assert_max_num_queries(9):
        selectors.rollup(period=approved, unit=tree.gialam)
    # The city's own report is not approved: its texts come from its values, one query more.
    with django_assert_max_num_queries(10):
        selectors.rollup(period=approved, unit=tree.federation)
    _assert_texts_exact(approved, [tree.federation, tree.gialam])


def test_a_corrupted_row_is_reported_and_rebuilt(tree, approved):
    # Corruption, not a domain operation: rows altered and deleted behind the services' back.
    ReportListText.objects.filter(unit=tree.gl1).delete()
    ReportListText.objects.filter(unit=tree.gl2, indicator__code="results_text").update(text="Sai.")
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("portal_summaries", stdout=out)
    assert f"{SUMMARY}: 3 differences\n" in out.getvalue()
    out = StringIO()
    call_command("portal_summaries", "--rebuild", stdout=out)
    assert f"{SUMMARY}: 3 rows rewritten\n" in out.getvalue()
    _assert_texts_exact(approved, [tree.federation, tree.gialam])


def test_migrate_builds_the_rows_when_the_table_is_empty(tree, approved):
    """A database the table's migration just ran on has approved reports and no row: `migrate` itself builds them."""
    expected = _stored(approved)
    # The state right after the migration (not a domain operation).
    ReportListText.objects.all().delete()
    call_command("migrate", verbosity=0)
    assert _stored(approved) == expected
    _assert_texts_exact(approved, [tree.federation, tree.gialam])
