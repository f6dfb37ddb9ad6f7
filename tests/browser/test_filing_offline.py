"""Filing through a dropped connection (issue 17, item 4), in Chromium with the portal's service worker:
the officer goes offline in the middle of filing, types, reloads (the service worker serves the kept filing
page), finds what she typed, submits (queued), goes back online, and exactly one report holds her figures."""

from decimal import Decimal

import pytest
from django.urls import reverse

from reporting.demo import standard_form_version
from reporting.enums import ReportStatus
from reporting.models import Report, ReportSubmission, Value
from tests.reporting.conftest import VALID, open_cycle

from .conftest import login, new_page, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SELECTS = {"has_plan", "main_channel"}


@pytest.fixture
def context(browser):
    context = browser.new_context(locale="vi-VN", service_workers="allow")
    yield context
    context.close()


def test_officer_files_through_a_dropped_connection(live_server, context, tree):
    period = open_cycle(standard_form_version(), tree).periods.get()
    base = live_server.url
    assert base.startswith("http://localhost:")  # a secure context: service workers run
    url = f"{base}{reverse('reporting:file_report', args=[period.pk, tree.gl1.code])}"
    page = new_page(context)
    login(page, base, tree.gl1_officer.email, password="pw-123456")
    page.goto(url)
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.reload()  # now under the worker's control, which keeps the filing page (network first)
    page.wait_for_function("navigator.serviceWorker.controller !== null")

    typed = {f"v_{code}": str(value) for code, value in VALID.items() if code not in SELECTS}
    typed |= {"v_media_reached": "1.000", "v_coverage_percent": "85,5"}
    half = list(typed)[:6]
    for name in half:
        page.locator(f"[name={name}]").fill(typed[name])
    page.locator("[name=v_has_plan]").select_option("1")

    context.set_offline(True)
    for name in list(typed)[6:]:
        page.locator(f"[name={name}]").fill(typed[name])
    page.locator("[name=v_main_channel]").select_option(VALID["main_channel"])

    served = []
    page.on("response", lambda r: served.append((r.url.removeprefix(base), r.status, r.from_service_worker)))
    response = page.reload()  # no connection: the worker answers with the page it kept, and its files
    assert (response.status, response.from_service_worker) == (200, True)
    page.wait_for_load_state("load")
    assert sorted(s for s in served if s[0].startswith("/static/")) == [
        ("/static/portal/filing-offline.js", 200, True),
        ("/static/portal/portal.css", 200, True),
        ("/static/portal/portal.js", 200, True),
        ("/static/portal/pwa.js", 200, True),
        ("/static/reporting/paste.js", 200, True),
        ("/static/vendor/bootstrap/bootstrap.bundle.min.js", 200, True),
        ("/static/vendor/bootstrap/bootstrap.min.css", 200, True),
        ("/static/vendor/htmx/htmx.min.js", 200, True),
    ]
    status = page.locator("#filing-offline")
    status.get_by_text("Đã khôi phục số liệu bạn nhập chưa gửi").wait_for()
    for name, value in typed.items():
        assert page.locator(f"[name={name}]").input_value() == value, name
    assert page.locator("[name=v_has_plan]").input_value() == "1"
    assert page.locator("[name=v_main_channel]").input_value() == VALID["main_channel"]

    page.get_by_role("button", name="Nộp báo cáo").click()
    status.locator("[data-state=queued]").get_by_text("Chưa gửi — sẽ tự gửi khi có mạng").wait_for()
    status.get_by_role("button", name="Gửi lại").click()  # still no connection: it stays queued
    status.locator("[data-state=queued]").wait_for()
    screenshot(page, "filing-offline-queued")
    assert Report.objects.count() == 0

    context.set_offline(False)  # the online event sends the queued submission
    status.locator("[data-state=sent]").get_by_text("Đã gửi").wait_for()
    screenshot(page, "filing-offline-sent")
    report = Report.objects.get()
    assert (report.unit, report.status) == (tree.gl1, ReportStatus.SUBMITTED)
    stored = dict(Value.objects.filter(report=report).exclude(number=None).values_list("indicator__code", "number"))
    assert (stored["media_reached"], stored["coverage_percent"], stored["meeting_sessions"]) == (
        Decimal(1000),
        Decimal("85.5"),
        Decimal(2),
    )
    assert ReportSubmission.objects.filter(report=report).count() == 1
    assert page.evaluate("Object.keys(localStorage).filter((k) => k.startsWith('portal-filing:'))") == []


def test_restored_figures_can_be_discarded(live_server, context, tree):
    period = open_cycle(standard_form_version(), tree).periods.get()
    base = live_server.url
    url = f"{base}{reverse('reporting:file_report', args=[period.pk, tree.gl1.code])}"
    page = new_page(context)
    login(page, base, tree.gl1_officer.email, password="pw-123456")
    page.goto(url)
    status = page.locator("#filing-offline")
    assert status.is_hidden()
    page.locator("[name=v_media_reached]").fill("1.000")
    page.reload()
    status.get_by_text("Đã khôi phục số liệu bạn nhập chưa gửi").wait_for()
    assert page.locator("[name=v_media_reached]").input_value() == "1.000"
    with page.expect_navigation():  # the page again, as the server has it
        status.get_by_role("button", name="Bỏ số liệu đã khôi phục").click()
    assert page.locator("[name=v_media_reached]").input_value() == ""
    assert status.is_hidden()
    assert page.evaluate("Object.keys(localStorage).filter((k) => k.startsWith('portal-filing:'))") == []

    # Saved online: the server took it, so nothing is kept or restored any more.
    page.locator("[name=v_media_reached]").fill("2.500")
    page.get_by_role("button", name="Lưu nháp").click()
    page.get_by_role("alert").filter(has_text="Đã lưu nháp").wait_for()
    assert page.evaluate("Object.keys(localStorage).filter((k) => k.startsWith('portal-filing:'))") == []
    assert status.is_hidden()
    assert Value.objects.get(report__unit=tree.gl1, indicator__code="media_reached").number == Decimal(2500)


def test_queued_figures_are_kept_when_the_report_was_approved_meanwhile(live_server, context, tree):
    from reporting import services
    from tests.reporting.conftest import file

    period = open_cycle(standard_form_version(), tree).periods.get()
    base = live_server.url
    url = f"{base}{reverse('reporting:file_report', args=[period.pk, tree.gl1.code])}"
    file(period, tree.gl1, tree.gl1_officer, submit=False)
    page = new_page(context)
    login(page, base, tree.gl1_officer.email, password="pw-123456")
    page.goto(url)
    context.set_offline(True)
    page.locator("[name=v_media_reached]").fill("1.000")
    page.get_by_role("button", name="Nộp báo cáo").click()
    status = page.locator("#filing-offline")
    status.locator("[data-state=queued]").wait_for()

    # Meanwhile a colleague submits the draft and the commune union approves it.
    report = services.report_submit(report=Report.objects.get(unit=tree.gl1), by=tree.gl1_officer)
    services.report_approve(report=report, by=tree.gialam_head)
    context.set_offline(False)
    status.locator("[data-state=filed]").get_by_text(
        "Báo cáo đã được nộp hoặc đã duyệt trong lúc chờ gửi nên không sửa được nữa."
        " Số liệu bạn nhập vẫn được giữ trên thiết bị này."
    ).wait_for()
    assert Value.objects.get(report=report, indicator__code="media_reached").number == Decimal(30)
    assert ReportSubmission.objects.count() == 0
    kept = page.evaluate(
        "Object.keys(localStorage).filter((k) => k.startsWith('portal-filing:draft:'))"
        ".map((k) => JSON.parse(localStorage.getItem(k)).v_media_reached)"
    )
    assert kept == ["1.000"]


def test_queued_save_refused_as_stale_shows_why_and_keeps_the_figures(live_server, context, tree):
    from tests.reporting.conftest import file

    period = open_cycle(standard_form_version(), tree).periods.get()
    base = live_server.url
    url = f"{base}{reverse('reporting:file_report', args=[period.pk, tree.gl1.code])}"
    page = new_page(context)
    login(page, base, tree.gl1_officer.email, password="pw-123456")
    page.goto(url)
    context.set_offline(True)
    page.locator("[name=v_media_reached]").fill("1.000")
    page.get_by_role("button", name="Lưu nháp").click()
    status = page.locator("#filing-offline")
    status.locator("[data-state=queued]").wait_for()

    file(period, tree.gl1, tree.gialam_officer, submit=False)  # a colleague saved first
    context.set_offline(False)
    status.locator("[data-state=refused]").wait_for()
    page.get_by_role("alert").filter(has_text="Báo cáo vừa được người khác lưu trước bạn.").wait_for()
    assert page.locator("[name=v_media_reached]").input_value() == "1.000"
    assert Value.objects.get(report__unit=tree.gl1, indicator__code="media_reached").number == Decimal(30)
    assert ReportSubmission.objects.count() == 0
