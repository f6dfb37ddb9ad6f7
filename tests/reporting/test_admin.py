"""Django admin: a report's state and a cycle's periods change only through reporting.services."""

from django.urls import reverse

from reporting.enums import PeriodType, ReportStatus
from tests.admin_utils import admin_form_data

from .conftest import file


def _superuser(tree, login):
    tree.admin.is_superuser = True
    tree.admin.save()
    return login(tree.admin)


def test_admin_shows_report_state_and_refuses_changes(tree, login, period):
    report = file(period, tree.gl1, tree.gl1_officer)
    client = _superuser(tree, login)
    url = reverse("admin:reporting_report_change", args=[report.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert report.lineage in page.content.decode()
    response = client.post(url, {"status": ReportStatus.APPROVED, "version": "1"})
    assert response.status_code == 403
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    assert client.get(reverse("admin:reporting_report_add")).status_code == 403


def test_admin_cycle_is_opened_on_the_portal(tree, login, cycle):
    client = _superuser(tree, login)
    assert client.get(reverse("admin:reporting_reportingcycle_add")).status_code == 403
    changelist = client.get(reverse("admin:reporting_reportingcycle_changelist")).content.decode()
    assert f'href="{reverse("reporting:cycle_open")}"' in changelist


def test_admin_cycle_change_keeps_its_kind_and_periods(tree, login, cycle):
    client = _superuser(tree, login)
    url = reverse("admin:reporting_reportingcycle_change", args=[cycle.pk])
    periods = list(cycle.periods.values_list("starts_on", "ends_on", "due_on", "locks_on"))
    data = admin_form_data(
        client.get(url), name="Đợt báo cáo (đã sửa tên)", period_type=PeriodType.QUARTER, year="2019"
    )
    assert client.post(url, data).status_code == 302
    cycle.refresh_from_db()
    assert (cycle.name, cycle.period_type, cycle.year) == ("Đợt báo cáo (đã sửa tên)", PeriodType.ONE_OFF, None)
    assert list(cycle.periods.values_list("starts_on", "ends_on", "due_on", "locks_on")) == periods
