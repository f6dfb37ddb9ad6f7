"""What the grassroots officer and the reviewing head meet: one title per period, one action label for the
reports page and the home panel, overdue badges, the head's digest agreeing with her queue, the next report
after a review, the dashboard one click away, and a one-period trend said in words."""

import pytest
from django.urls import reverse
from django.utils import timezone

from notifications.enums import NotificationKind
from notifications.messages import describe
from notifications.models import Notification
from notifications.services import digest_message, reminders_sweep
from organizations.enums import Role
from reporting import selectors, services

from ..factories import member
from .conftest import file, open_cycle

pytestmark = pytest.mark.django_db

YEAR_END = "Báo cáo nhanh kết quả tuyên truyền CCHC cuối năm"


def _text(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


# ---------------------------------------------------------------- one title per period
def test_period_title_one_off_is_said_once(tree, form_version):
    period = open_cycle(form_version, tree, name=YEAR_END).periods.get()
    assert period.title == YEAR_END


def test_period_title_of_a_quarter_names_cycle_and_quarter(quarters):
    third, _fourth = quarters
    assert third.title == f"Báo cáo quý năm trước – {third.label}"
    assert third.label.startswith("Quý 3/")


def test_filing_form_heading_says_the_one_off_title_once(client, tree, form_version):
    period = open_cycle(form_version, tree, name=YEAR_END).periods.get()
    client.force_login(tree.gl1_officer)
    page = _text(client.get(reverse("reporting:file_report", args=[period.pk, tree.gl1.code])))
    assert f'<h1 class="h4">{YEAR_END}</h1>' in page
    assert f"{YEAR_END} – {YEAR_END}" not in page


def test_returned_report_notification_and_email_say_the_title_once(
    tree, form_version, django_capture_on_commit_callbacks
):
    period = open_cycle(form_version, tree, name=YEAR_END).periods.get()
    report = file(period, tree.gl1, tree.gl1_officer)
    with django_capture_on_commit_callbacks(execute=True):
        services.report_return(report=report, by=tree.gialam_head, comment="Thiếu số liệu.")
    notification = Notification.objects.get(kind=NotificationKind.REPORT_RETURNED, recipient=tree.gl1_officer)
    assert notification.payload["title"] == YEAR_END
    sentence = describe(kind=notification.kind, payload=notification.payload)
    assert sentence.count(YEAR_END) == 1
    message = digest_message(user=tree.gl1_officer, notifications=[notification], language="vi")
    assert message.body.count(YEAR_END) == 1
    assert message.alternatives[0][0].count(YEAR_END) == 1


# ---------------------------------------------------------------- the officer's pages agree
def test_after_a_return_home_panel_and_reports_page_say_the_same(client, tree, form_version):
    period = open_cycle(form_version, tree, name=YEAR_END).periods.get()
    report = file(period, tree.gl1, tree.gl1_officer)
    services.report_return(report=report, by=tree.gialam_head, comment="Thiếu số liệu.")
    client.force_login(tree.gl1_officer)
    file_url = reverse("reporting:file_report", args=[period.pk, tree.gl1.code])
    action = f'href="{file_url}">Tiếp tục</a>'
    for page in (_text(client.get(reverse("home"))), _text(client.get(reverse("reporting:todo")))):
        assert page.count(action) == 1
        assert ">Trả lại</span>" in page
        assert "Lập báo cáo</a>" not in page


def test_todo_item_action_label_before_and_after_a_report(tree, form_version):
    period = open_cycle(form_version, tree).periods.get()
    [before] = [i for i in selectors.todo_for(tree.gl1_officer) if i.period == period]
    assert before.action_label == "Lập báo cáo"
    file(period, tree.gl1, tree.gl1_officer, submit=False)
    [after] = [i for i in selectors.todo_for(tree.gl1_officer) if i.period == period]
    assert after.action_label == "Tiếp tục"


def test_overdue_report_is_badged_on_home_and_reports_page(client, tree, form_version):
    period = open_cycle(form_version, tree, starts=-40, ends=-12).periods.get()
    days = (timezone.localdate() - period.due_on).days
    assert days > 0 and period.locks_on > timezone.localdate()  # due, not yet locked
    client.force_login(tree.gl1_officer)
    badge = f"Quá hạn {days} ngày"
    assert _text(client.get(reverse("home"))).count(badge) == 1
    assert _text(client.get(reverse("reporting:todo"))).count(badge) == 1


def test_report_not_yet_due_has_no_overdue_badge(client, tree, form_version):
    open_cycle(form_version, tree)
    client.force_login(tree.gl1_officer)
    assert "Quá hạn" not in _text(client.get(reverse("reporting:todo")))


@pytest.mark.parametrize("cycles", [1, 6])
def test_officer_home_and_reports_page_queries_do_not_grow(
    client, tree, form_version, cycles, django_assert_max_num_queries
):
    for n in range(cycles):
        period = open_cycle(form_version, tree, starts=-40 - n, ends=-12 + n, name=f"Đợt {n}").periods.get()
        file(period, tree.gl1, tree.gl1_officer, submit=n % 2 == 0)
    client.force_login(tree.gl1_officer)
    with django_assert_max_num_queries(25):
        _text(client.get(reverse("home")))
    with django_assert_max_num_queries(16):
        _text(client.get(reverse("reporting:todo")))


# ---------------------------------------------------------------- the head
def _two_waiting_for_gialam_head(tree, form_version) -> list:
    """Two-step: each grassroots union's own head approves, then the reports wait for Gia Lâm's head."""
    period = open_cycle(form_version, tree, two_step=True).periods.get()
    reports = []
    for unit, officer in ((tree.gl1, tree.gl1_officer), (tree.gl2, tree.gl2_officer)):
        head = member(unit, Role.HEAD)
        reports.append(services.report_approve(report=file(period, unit, officer), by=head))
    return reports


def test_heads_digest_counts_the_reports_waiting_in_her_queue(tree, form_version):
    _two_waiting_for_gialam_head(tree, form_version)
    assert selectors.review_queue_for(tree.gialam_head).count() == 2
    reminders_sweep()
    digest = Notification.objects.get(kind=NotificationKind.REPORT_CHILDREN_DIGEST, recipient=tree.gialam_head)
    assert digest.payload["pending"] == 2
    assert "2 báo cáo đang chờ duyệt" in describe(kind=digest.kind, payload=digest.payload)


def test_heads_digest_one_step_counts_submitted_children(tree, form_version):
    period = open_cycle(form_version, tree).periods.get()
    file(period, tree.gl1, tree.gl1_officer)
    file(period, tree.gl2, tree.gl2_officer)
    assert selectors.review_waiting_counts() == {tree.gialam.path: 2}


def test_review_page_puts_the_figures_before_the_buttons(client, tree, form_version):
    period = open_cycle(form_version, tree).periods.get()
    report = file(period, tree.gl1, tree.gl1_officer)
    client.force_login(tree.gialam_head)
    page = _text(client.get(reverse("reporting:report_detail", args=[report.pk])))
    assert page.index('id="values-h"') < page.index('value="approve"')


def test_after_approving_the_head_is_offered_the_next_report(client, tree, form_version):
    period = open_cycle(form_version, tree).periods.get()
    first = file(period, tree.gl1, tree.gl1_officer)
    second = file(period, tree.gl2, tree.gl2_officer)
    client.force_login(tree.gialam_head)
    queue = _text(client.get(reverse("reporting:review_queue")))
    assert f'id="review-first" href="{reverse("reporting:report_detail", args=[first.pk])}"' in queue
    response = client.post(reverse("reporting:report_review", args=[first.pk]), {"action": "approve"}, follow=True)
    page = _text(response)
    assert "Đã duyệt báo cáo." in page
    next_link = f'href="{reverse("reporting:report_detail", args=[second.pk])}">Báo cáo tiếp theo chờ duyệt: '
    assert page.count(next_link) == 1


def test_last_report_approved_offers_no_next(client, tree, form_version):
    period = open_cycle(form_version, tree).periods.get()
    only = file(period, tree.gl1, tree.gl1_officer)
    client.force_login(tree.gialam_head)
    page = _text(client.post(reverse("reporting:report_review", args=[only.pk]), {"action": "approve"}, follow=True))
    assert 'id="next-report"' not in page


def test_dashboard_is_one_click_from_the_menu_and_home_for_a_head(client, tree, form_version):
    cycle = open_cycle(form_version, tree)
    client.force_login(tree.gialam_head)
    latest = reverse("reporting:dashboard_latest")
    home = _text(client.get(reverse("home")))
    assert f'href="{latest}"' in home
    response = client.get(latest)
    assert response.status_code == 302
    assert response["Location"] == reverse("reporting:dashboard", args=[cycle.pk, tree.gialam.code])


def test_dashboard_link_is_not_offered_to_a_grassroots_officer(client, tree, form_version):
    open_cycle(form_version, tree)
    client.force_login(tree.gl1_officer)
    assert reverse("reporting:dashboard_latest") not in _text(client.get(reverse("home")))
    assert client.get(reverse("reporting:dashboard_latest")).status_code == 404


def test_dashboard_with_one_period_says_so_and_shows_a_table(client, tree, form_version):
    cycle = open_cycle(form_version, tree)
    file(cycle.periods.get(), tree.gl1, tree.gl1_officer)
    client.force_login(tree.gialam_head)
    page = _text(client.get(reverse("reporting:dashboard", args=[cycle.pk, tree.gialam.code])))
    assert "Mới có số liệu một kỳ" in page
    assert 'id="one-period-rates"' in page
    assert "<svg" not in page


def test_dashboard_with_several_periods_draws_the_trend(client, tree, quarters):
    cycle = quarters[0].cycle
    client.force_login(tree.gialam_head)
    response = client.get(reverse("reporting:dashboard", args=[cycle.pk, tree.gialam.code]))
    assert "<svg" in _text(response)
    assert "<script" not in response.context["chart"]
    assert "Mới có số liệu một kỳ" not in _text(response)
