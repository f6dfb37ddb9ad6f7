"""Time-true reporting: every figure about a past period is computed on the tree as it stood then.

A 2019 history is built through the services only (on-time, late, returned, approved and draft
reports, a unit dissolved in 2019, one created in 2020), every reporting page and export that shows
its figures is read, Hanoi's reorganisation of 1 July 2025 is applied through organizations.services
only, and everything is read again: the figures do not change. New work follows the new tree."""

import datetime as dt
import html
import io
import re

import openpyxl
import pypdf
import pytest
from django.urls import reverse
from django.utils import timezone

from organizations.enums import Role, UnitKind
from organizations.models import Unit
from organizations.services import unit_create, unit_dissolve, unit_move
from reporting import cycles, selectors, services
from reporting.enums import PeriodType
from reporting.models import Report
from tests.factories import make_unit, member

from .conftest import clock, file

REORGANISED_ON = dt.date(2025, 7, 1)
SCOPE = [UnitKind.DISTRICT_FEDERATION, UnitKind.GRASSROOTS_UNION]


def _approve(report, by):
    return services.report_approve(report=report, by=by)


@pytest.fixture
def history(tree, form_version):
    """Four quarters of 2019 for district federations and grassroots unions of the city federation."""
    tree.donganh_officer = member(tree.donganh, Role.OFFICER)
    tree.direct_officer = member(tree.direct, Role.OFFICER)
    tree.da2 = make_unit(tree.donganh, code="HN-LDLD-DONGANH-0002", name="Công đoàn cơ sở UBND xã Vân Nội")
    tree.da2_officer = member(tree.da2, Role.OFFICER)
    # Founded in 2020: never expected in 2019.
    tree.gl3 = make_unit(
        tree.gialam,
        code="HN-LDLD-GIALAM-0003",
        name="Công đoàn cơ sở Trường Mầm non Kiêu Kỵ",
        active_from=dt.date(2020, 1, 1),
    )
    cycle = cycles.cycle_open(
        name="Báo cáo quý năm 2019",
        form_version=form_version,
        period_type=PeriodType.QUARTER,
        year=2019,
        scope_kinds=SCOPE,
        scope_root=tree.federation,
        by=tree.admin,
    )
    periods = list(cycle.periods.order_by("starts_on"))
    for i, period in enumerate(periods):
        n = i + 1
        late = period.due_on + dt.timedelta(days=2)
        with clock(period.ends_on):
            _approve(
                file(period, tree.gl1, tree.gl1_officer, meeting_sessions=n, meeting_reached=10 * n), tree.gialam_head
            )
            if i % 2 == 0:
                _approve(file(period, tree.gl2, tree.gl2_officer, meeting_sessions=2 * n), tree.gialam_head)
            if i < 2:
                _approve(file(period, tree.da1, tree.da1_officer, meeting_reached=7 * n), tree.donganh_head)
            elif i == 2:
                file(period, tree.da1, tree.da1_officer, submit=False)
            if i == 0:
                _approve(file(period, tree.da2, tree.da2_officer, meeting_sessions=9), tree.donganh_head)
            if i < 2:
                _approve(file(period, tree.direct, tree.direct_officer, meeting_reached=500 + n), tree.city_head)
            gialam = file(period, tree.gialam, tree.gialam_officer, meeting_sessions=10 + n)
            if i % 2 == 0:
                _approve(gialam, tree.city_head)
            if i == 0:
                _approve(file(period, tree.donganh, tree.donganh_officer, meeting_sessions=30), tree.city_head)
                file(period, tree.federation, tree.city_officer, submit=False, meeting_sessions=20)
        with clock(late):
            if i % 2:
                report = file(period, tree.gl2, tree.gl2_officer, meeting_sessions=2 * n)
                services.report_return(report=report, by=tree.gialam_head, comment="Thiếu minh chứng.")
            if i == 2:
                file(period, tree.direct, tree.direct_officer, meeting_reached=503)
    # Merged away in May 2019: expected in the first quarter only.
    unit_dissolve(unit=tree.da2, effective_on=dt.date(2019, 5, 1))
    tree.cycle, tree.periods = cycle, periods
    return tree


def reorganise(tree):
    """1 July 2025, through the services: the district federations are dissolved; a grassroots
    union of Gia Lâm joins the new commune union, the others come under the city federation."""
    commune = unit_create(
        parent=tree.federation,
        code="HN-LDLD-XA-GIALAM",
        name="Công đoàn xã Gia Lâm",
        kind=UnitKind.COMMUNE_UNION,
        active_from=REORGANISED_ON,
    )
    for unit in (tree.gl1, tree.gl3):
        unit_move(unit=unit, new_parent=commune, effective_on=REORGANISED_ON)
    for district in (tree.gialam, tree.donganh):
        unit_dissolve(unit=district, effective_on=REORGANISED_ON, children_to=tree.federation)
    for name in ("gl1", "gl2", "gl3", "da1", "gialam", "donganh"):
        getattr(tree, name).refresh_from_db()
    return commune


# ---------------------------------------------------------------- reading every page and export
BLOCK = re.compile(r"<(?:td|th|li|p|h\d|caption|tr|div|br|dt|dd)\b[^>]*>", re.IGNORECASE)


def page_figures(response) -> list[str]:
    """The visible text of the page's main content, one line per block. The SVG chart is left
    out (pygal gives it random ids; its figures are the totals row of the table)."""
    assert response.status_code == 200, response.status_code
    body = response.content.decode()
    main = body[body.index("<main") : body.index("</main>")]
    main = re.sub(r"<svg.*?</svg>", "", main, flags=re.DOTALL)
    # Legitimate change: the late list's contact column shows the unit's officers today (a dissolved
    # unit has none left); the units listed and their statuses are compared.
    rates, late_marker, late = main.partition('<section aria-labelledby="late-h">')
    main = rates + late_marker + re.sub(r"(<td>)(?:(?!</td>).)*(</td></tr>)", r"\1[contacts]\2", late, flags=re.DOTALL)
    text = html.unescape(re.sub(r"<[^>]+>", " ", BLOCK.sub("\n", main)))
    lines = [" ".join(line.split()) for line in text.splitlines()]
    # Legitimate change: a dissolved unit's page may carry a "Đã giải thể …" banner or badge.
    return [line for line in lines if line and "giải thể" not in line.lower()]


def pdf_figures(response) -> list[str]:
    assert response.status_code == 200, response.status_code
    text = "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(response.content)).pages)
    # Legitimate change: the signature is the unit's head today (a dissolved unit has none).
    return [
        " ".join(line.split())
        for line in text.splitlines()
        if line.strip() and not re.search(r"Người dùng Thứ \d+", line)
    ]


def xlsx_figures(response) -> dict:
    assert response.status_code == 200, response.status_code
    workbook = openpyxl.load_workbook(io.BytesIO(response.getvalue()), read_only=True)
    return {sheet.title: [list(row) for row in sheet.iter_rows(values_only=True)] for sheet in workbook.worksheets}


def snapshot(client, tree, export_file) -> dict:
    cycle, periods = tree.cycle, tree.periods
    pages = {}
    districts_and_city = (tree.federation, tree.gialam, tree.donganh)
    for unit in districts_and_city:
        for period in periods:
            url = reverse("reporting:dashboard", args=[cycle.pk, unit.code]) + f"?period={period.pk}"
            pages[f"dashboard {unit.code} {period.label}"] = page_figures(client.get(url))
        pages[f"xlsx {unit.code}"] = xlsx_figures(
            export_file(client, reverse("reporting:export_xlsx", args=[cycle.pk, unit.code]))
        )
    for unit in (*districts_and_city, tree.gl1, tree.da1, tree.direct):
        for period in periods:
            pages[f"rollup {unit.code} {period.label}"] = page_figures(
                client.get(reverse("reporting:rollup", args=[period.pk, unit.code]))
            )
    for unit in (tree.federation, tree.gialam):
        for period in periods:
            pages[f"pdf {unit.code} {period.label}"] = pdf_figures(
                client.get(reverse("reporting:rollup_pdf", args=[period.pk, unit.code]))
            )
    for report in Report.objects.filter(cycle=cycle).select_related("unit", "period").order_by("id"):
        pages[f"report {report.unit.code} {report.period.label}"] = page_figures(
            client.get(reverse("reporting:report_detail", args=[report.pk]))
        )
    pages["review queue"] = page_figures(client.get(reverse("reporting:review_queue")))
    pages["cycles"] = page_figures(client.get(reverse("reporting:cycle_list")))
    return pages


def _differences(before: dict, after: dict) -> dict:
    return {
        key: (before.get(key), after.get(key))
        for key in before.keys() | after.keys()
        if before.get(key) != after.get(key)
    }


def _dashboard_cells(tree, cycle, unit, period_index: int) -> dict:
    data = selectors.dashboard(cycle=cycle, unit=unit)
    return {
        row["unit"].code: (
            row["cells"][period_index].expected,
            row["cells"][period_index].submitted,
            row["cells"][period_index].on_time,
            row["cells"][period_index].approved,
        )
        for row in data["rows"]
    }


# ---------------------------------------------------------------- tests
def test_past_figures_count_units_as_the_tree_stood_on_the_period_date(history):
    tree = history
    q1, q2 = tree.periods[0], tree.periods[1]
    # Q1: Đông Anh still had its second union (dissolved in May 2019); Gia Lâm's 2020 union did not exist.
    assert _dashboard_cells(tree, tree.cycle, tree.federation, 0) == {
        "HN-LDLD-0001": (1, 1, 1, 1),
        "HN-LDLD-DONGANH": (3, 3, 3, 3),
        "HN-LDLD-GIALAM": (3, 3, 3, 3),
    }
    assert _dashboard_cells(tree, tree.cycle, tree.federation, 1)["HN-LDLD-DONGANH"] == (2, 1, 1, 1)
    assert [c.unit.code for c in selectors.children_status(period=q1, unit=tree.donganh)] == [
        "HN-LDLD-DONGANH-0001",
        "HN-LDLD-DONGANH-0002",
    ]
    assert [c.unit.code for c in selectors.children_status(period=q2, unit=tree.donganh)] == ["HN-LDLD-DONGANH-0001"]
    assert selectors.rollup(period=q1, unit=tree.gialam)["expected_below"] == 2


def test_reorganisation_changes_no_past_page_or_export(history, login, export_file):
    # One clock for both readings: the PDFs are dated today, and a run across midnight in Hanoi must not
    # count the date line as a changed figure.
    with clock(timezone.localdate()):
        _compare_before_and_after_reorganisation(history, login, export_file)


def _compare_before_and_after_reorganisation(history, login, export_file):
    tree = history
    client = login(tree.city_head)
    before = snapshot(client, tree, export_file)
    # The snapshot holds real figures: Gia Lâm's Q1 roll-up and the city's Q1 sheet (each unit with units
    # below it is followed by its subtotal row; Đông Anh's union dissolved in May 2019 is there).
    assert "2 báo cáo cấp dưới đã duyệt, 2 đã nộp, trên 2 đơn vị phải báo cáo" in " ".join(
        before[f"rollup HN-LDLD-GIALAM {tree.periods[0].label}"]
    )
    assert [row[0] for row in before["xlsx HN-LDLD"][tree.periods[0].label.replace("/", "-")][1:]] == [
        "HN-LDLD-0001",
        "HN-LDLD-DONGANH",
        "HN-LDLD-DONGANH",
        "HN-LDLD-DONGANH-0001",
        "HN-LDLD-DONGANH-0002",
        "HN-LDLD-GIALAM",
        "HN-LDLD-GIALAM",
        "HN-LDLD-GIALAM-0001",
        "HN-LDLD-GIALAM-0002",
        None,
    ]

    commune = reorganise(tree)
    assert Unit.objects.get_parent(tree.gl1) == commune
    assert Unit.objects.get_parent(tree.da1) == tree.federation
    assert tree.gialam.dissolved_on == tree.donganh.dissolved_on == REORGANISED_ON

    after = snapshot(client, tree, export_file)
    assert len(after) == len(before) > 60
    assert _differences(before, after) == {}


def test_dissolved_district_past_pages_open(history, login):
    tree = history
    reorganise(tree)
    client = login(tree.city_head)
    q1 = tree.periods[0]
    response = client.get(reverse("reporting:dashboard", args=[tree.cycle.pk, tree.gialam.code]) + f"?period={q1.pk}")
    assert response.status_code == 200
    assert [row["unit"].code for row in response.context["data"]["rows"]] == [
        "HN-LDLD-GIALAM",
        "HN-LDLD-GIALAM-0002",
        "HN-LDLD-GIALAM-0001",
    ]  # itself, then by Vietnamese name
    rollup = client.get(reverse("reporting:rollup", args=[q1.pk, tree.gialam.code])).context
    assert [c.unit.code for c in rollup["children"]] == ["HN-LDLD-GIALAM-0002", "HN-LDLD-GIALAM-0001"]
    assert rollup["expected_below"] == 2


def test_new_work_after_reorganisation_follows_the_new_tree(history, form_version):
    tree = history
    commune = reorganise(tree)
    cycle = cycles.cycle_open(
        name="Báo cáo 6 tháng đầu năm 2026",
        form_version=form_version,
        period_type=PeriodType.ONE_OFF,
        starts_on=dt.date(2026, 1, 1),
        ends_on=dt.date(2026, 6, 30),
        scope_kinds=SCOPE,
        scope_root=tree.federation,
        by=tree.admin,
    )
    period = cycle.periods.get()
    with clock(period.ends_on):
        report = file(period, tree.gl1, tree.gl1_officer, meeting_sessions=4)
    assert report.lineage == f"{commune.lineage}HN-LDLD-GIALAM-0001/"
    # The moved units sit under their new parents; the dissolved districts are not expected.
    assert _dashboard_cells(tree, cycle, tree.federation, 0) == {
        "HN-LDLD-XA-GIALAM": (2, 1, 1, 0),
        "HN-LDLD-0001": (1, 0, 0, 0),
        "HN-LDLD-DONGANH-0001": (1, 0, 0, 0),
        "HN-LDLD-GIALAM-0002": (1, 0, 0, 0),
    }
    assert [u.code for u in selectors.late_units(period=period, unit=tree.federation)] == [
        "HN-LDLD-0001",
        "HN-LDLD-DONGANH-0001",
        "HN-LDLD-GIALAM-0002",
        "HN-LDLD-GIALAM-0003",
    ]
    assert selectors.rollup(period=period, unit=commune)["expected_below"] == 2
    assert not selectors.unit_was_expected(cycle=cycle, unit=tree.gialam, on=period.ends_on)
    assert selectors.unit_was_expected(cycle=tree.cycle, unit=tree.gialam, on=tree.periods[0].ends_on)


def _page_queries(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_past_pages_keep_bounded_queries_as_history_grows(history, login, django_assert_max_num_queries):
    tree = history
    reorganise(tree)
    client = login(tree.city_head)
    q1 = tree.periods[0]
    urls = {
        "dashboard": reverse("reporting:dashboard", args=[tree.cycle.pk, tree.federation.code]) + f"?period={q1.pk}",
        "rollup": reverse("reporting:rollup", args=[q1.pk, tree.federation.code]),
        "district dashboard": reverse("reporting:dashboard", args=[tree.cycle.pk, tree.gialam.code]),
    }
    small = {name: _page_queries(client, url) for name, url in urls.items()}
    # Twelve more unions reporting in Q1 2019 (half of them approved), then moved by a 2026 reorganisation.
    extra = []
    for n in range(12):
        unit = make_unit(tree.federation, kind=UnitKind.GRASSROOTS_UNION)
        with clock(q1.ends_on):
            report = file(q1, unit, member(unit, Role.OFFICER))
            if n % 2:
                _approve(report, tree.city_head)
        extra.append(unit)
    second = unit_create(
        parent=tree.federation,
        code="HN-LDLD-XA-2",
        name="Công đoàn phường thử",
        kind=UnitKind.COMMUNE_UNION,
        active_from=dt.date(2026, 1, 1),
    )
    for unit in extra[:6]:
        unit_move(unit=unit, new_parent=second, effective_on=dt.date(2026, 1, 1))
    large = {name: _page_queries(client, url) for name, url in urls.items()}
    assert large == small
    with django_assert_max_num_queries(22):
        client.get(urls["dashboard"])
    with django_assert_max_num_queries(17):
        client.get(urls["rollup"])


def test_past_report_made_after_the_move_belongs_to_the_tree_of_its_period(history):
    """Đông Anh's union never filed for Q4 2019; allowed to file it in 2026, after the reorganisation,
    its report counts where the union stood in 2019, under Đông Anh."""
    tree = history
    q4 = tree.periods[3]
    reorganise(tree)
    before = selectors.rollup(period=q4, unit=tree.donganh)
    cycles.lock_exception_grant(
        period=q4, unit=tree.da1, until=timezone.localdate() + dt.timedelta(days=7), by=tree.admin, reason="Nộp bổ sung"
    )
    report = file(q4, tree.da1, tree.da1_officer, meeting_sessions=3)
    assert report.lineage == "/HN/HN-LDLD/HN-LDLD-DONGANH/HN-LDLD-DONGANH-0001/"
    assert report.is_late
    after = selectors.rollup(period=q4, unit=tree.donganh)
    assert (before["filed_below"], after["filed_below"], after["expected_below"]) == (0, 1, 1)
    assert _dashboard_cells(tree, tree.cycle, tree.federation, 3)["HN-LDLD-DONGANH"] == (2, 1, 0, 0)
