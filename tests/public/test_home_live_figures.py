"""The public home page shows what the portal itself knows today: the campaign's approved results of the latest
closed period and how far the newest city directive has gone, before the city's yearly indicators (of their year)."""

import datetime as dt

import pytest
from django.utils import timezone

from directives.deliveries import delivery_acknowledge
from directives.models import Delivery
from directives.services import document_create, document_issue
from public.models import CityIndicator
from reporting import services
from reporting.canonical_form import standard_form_version
from reporting.selectors import campaign_results, rollup
from tests.directives.conftest import at, draft_data
from tests.reporting.conftest import clock, file, open_cycle


def _closed_period(tree, *, name="Đợt báo cáo đã khóa"):
    """A one-off period that ended forty days ago and is locked for filing today."""
    period = open_cycle(standard_form_version(), tree, starts=-70, ends=-40, name=name).periods.get()
    assert period.locks_on <= timezone.localdate()
    return period


def _file_and_approve(period, unit, officer, head, **values):
    with clock(period.ends_on + dt.timedelta(days=1)):
        report = file(period, unit, officer, **values)
        return services.report_approve(report=report, by=head)


@pytest.fixture
def closed_results(tree):
    period = _closed_period(tree)
    _file_and_approve(period, tree.gl1, tree.gl1_officer, tree.gialam_head, meeting_sessions=2, meeting_reached=1200)
    _file_and_approve(period, tree.gl2, tree.gl2_officer, tree.gialam_head, meeting_sessions=3, meeting_reached=60)
    with clock(period.ends_on + dt.timedelta(days=1)):  # submitted, never approved: not public
        file(period, tree.da1, tree.da1_officer, meeting_sessions=50, meeting_reached=9000)
        file(period, tree.federation, tree.city_officer, submit=False, meeting_sessions=70, meeting_reached=7000)
    return period


@pytest.mark.django_db
def test_anonymous_sees_only_approved_figures_of_the_latest_closed_period(client, tree, closed_results):
    response = client.get("/")
    content = response.content.decode()
    section = content[content.index("data-campaign-results") :]
    assert "Kết quả chiến dịch" in section
    assert closed_results.title in section
    results = campaign_results()
    figures = {figure.label: figure.value for figure in results.figures}
    assert figures["Số buổi hội nghị, hội họp có lồng ghép tuyên truyền"] == 5  # 2 + 3; 50 and 70 not approved
    assert figures["Số lượt đoàn viên, CNVCLĐ tham dự"] == 1260
    assert "1.260" in section and "9.000" not in section and "7.000" not in section
    expected = rollup(period=closed_results, unit=tree.federation)["expected_below"] + 1  # the federation files too
    assert (results.approved_units, results.expected_units) == (2, expected)
    assert f"2/{expected}" in section


@pytest.mark.django_db
def test_a_period_still_open_for_filing_is_not_shown(client, tree, closed_results):
    open_period = open_cycle(standard_form_version(), tree, name="Đợt đang mở").periods.get()
    services.report_approve(report=file(open_period, tree.gl1, tree.gl1_officer), by=tree.gialam_head)
    assert campaign_results().period == closed_results


@pytest.mark.django_db
def test_no_section_without_an_approved_report_of_a_closed_period(client, tree):
    period = _closed_period(tree)
    with clock(period.ends_on + dt.timedelta(days=1)):
        file(period, tree.gl1, tree.gl1_officer)
    assert campaign_results() is None
    assert "data-campaign-results" not in client.get("/").content.decode()


@pytest.mark.django_db
def test_home_validator_changes_when_a_report_is_approved(client, tree, closed_results):
    first = client.get("/")
    assert client.get("/", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    with clock(closed_results.ends_on + dt.timedelta(days=2)):
        report = closed_results.reports.get(unit=tree.da1)
        services.report_approve(report=report, by=tree.donganh_head)
    again = client.get("/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 200
    assert "9.000" not in again.content.decode()  # the total changed, not the single figure
    assert campaign_results().approved_units == 3


def _issue_city_plan(tree, **overrides):
    document = document_create(issuing_unit=tree.federation, by=tree.city_officer, data=draft_data(**overrides))
    return document_issue(document=document, by=tree.city_officer, now=at(document.issued_on))


@pytest.mark.django_db
def test_home_shows_the_newest_city_directive_coverage(client, tree):
    _issue_city_plan(tree, issued_on=dt.date(2019, 1, 29), subject="Kế hoạch cũ năm 2019")
    newest = _issue_city_plan(tree, issued_on=dt.date(2019, 3, 1), subject="Kế hoạch tuyên truyền quý II")
    deliveries = list(Delivery.objects.filter(document=newest).select_related("unit").order_by("lineage"))
    assert len(deliveries) > 1
    delivery_acknowledge(delivery=deliveries[0], by=tree.city_officer, now=at(dt.date(2019, 3, 2)))
    content = client.get("/").content.decode()
    section = content[content.index("data-directive-coverage") :]
    assert newest.number_symbol in section and "Kế hoạch tuyên truyền quý II" in section
    assert "Kế hoạch cũ năm 2019" not in section
    share = round(100 * 1 / len(deliveries), 1)
    assert f"{share:.1f}".replace(".", ",").removesuffix(",0") + "%" in section


@pytest.mark.django_db
def test_city_indicators_say_their_year_and_come_after_the_live_figures(client, tree, closed_results):
    CityIndicator.objects.create(year=2017, par_index_rank=3, pci_rank=14)
    content = client.get("/").content.decode()
    assert "Số liệu năm 2017" in content
    assert content.index("data-campaign-results") < content.index('aria-labelledby="figures"')


@pytest.mark.django_db
def test_home_queries_do_not_grow_with_reports_or_deliveries(
    client, tree, closed_results, django_assert_max_num_queries
):
    _issue_city_plan(tree, issued_on=dt.date(2019, 3, 1))
    CityIndicator.objects.create(year=2017, par_index_rank=3)
    # The page (9), the roll-up (9) and the directive coverage (a few): 24 measured, whatever the data.
    with django_assert_max_num_queries(24) as small:
        client.get("/")
    _file_and_approve(closed_results, tree.direct, *_direct_officer_and_head(tree))
    _issue_city_plan(tree, issued_on=dt.date(2019, 4, 1))
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get("/")


def _direct_officer_and_head(tree):
    from organizations.enums import Role
    from tests.factories import member

    return member(tree.direct, Role.OFFICER), tree.city_head
