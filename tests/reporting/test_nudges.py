"""A head's one-tap reminder ("Đôn đốc") to the units late with a period's report, from the dashboard."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from campaign_portal.calendar import HANOI
from campaign_portal.exceptions import PortalError
from notifications.enums import NotificationKind
from notifications.models import Notification
from organizations.enums import Role
from reporting import selectors
from reporting.models import ReportReminder
from reporting.nudges import reports_remind
from tests.factories import UserFactory, member

from .conftest import file, open_cycle


@pytest.fixture
def late_period(tree, form_version):
    """A one-off period whose deadline has just passed (still open for a late filing)."""
    cycle = open_cycle(form_version, tree, starts=-40, ends=-7, name="Đợt đã quá hạn")
    period = cycle.periods.get()
    assert period.due_on < timezone.localdate()
    assert not selectors.period_is_locked_for(period=period, unit=tree.gl1, today=timezone.localdate())
    return period


def _now(hour=10):
    return dt.datetime.combine(timezone.localdate(), dt.time(hour), tzinfo=HANOI)


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def _reminded() -> list[str]:
    return sorted(ReportReminder.objects.values_list("unit__code", flat=True))


def test_remind_logs_and_notifies_officers_and_heads(tree, late_period, django_capture_on_commit_callbacks):
    head = member(tree.gl1, Role.HEAD, UserFactory(email="gl1.head@example.vn"))
    with django_capture_on_commit_callbacks(execute=True):
        result = reports_remind(period=late_period, units=[tree.gl1, tree.gl2], by=tree.gialam_head, now=_now())
    assert result.message == "Đã đôn đốc 2 đơn vị."
    rows = list(
        ReportReminder.objects.order_by("unit__code").values_list(
            "unit__code", "by__email", "by_unit__code", "reminded_on", "recipient_count"
        )
    )
    assert rows == [
        ("HN-LDLD-GIALAM-0001", "gialam.head@example.vn", "HN-LDLD-GIALAM", timezone.localdate(), 2),
        ("HN-LDLD-GIALAM-0002", "gialam.head@example.vn", "HN-LDLD-GIALAM", timezone.localdate(), 1),
    ]
    notes = Notification.objects.filter(kind=NotificationKind.REPORT_REMINDER).order_by("recipient__email")
    assert [(n.recipient.email, n.payload) for n in notes] == [
        (
            email,
            {
                "title": "Đợt đã quá hạn",  # a one-off period: its label is the cycle name, said once
                "unit": unit.name,
                "by_unit": "Liên đoàn Lao động huyện Gia Lâm",
                "due": late_period.due_on.isoformat(),
                "url": reverse("reporting:file_report", args=[late_period.pk, unit.code]),
            },
        )
        for email, unit in (
            (head.email, tree.gl1),
            (tree.gl1_officer.email, tree.gl1),
            (tree.gl2_officer.email, tree.gl2),
        )
    ]


def test_remind_once_per_unit_per_day(tree, late_period):
    reports_remind(period=late_period, units=[tree.gl1], by=tree.gialam_officer, now=_now(9))
    result = reports_remind(period=late_period, units=[tree.gl1, tree.gl2], by=tree.gialam_head, now=_now(15))
    assert result.message == "Đã đôn đốc 1 đơn vị; 1 đơn vị đã được đôn đốc hôm nay."
    assert _reminded() == ["HN-LDLD-GIALAM-0001", "HN-LDLD-GIALAM-0002"]
    tomorrow = _now(9) + dt.timedelta(days=1)
    assert reports_remind(period=late_period, units=[tree.gl1], by=tree.gialam_head, now=tomorrow).reminded == 1


@pytest.mark.parametrize("who", ["gl1_officer", "donganh_head", "outsider"])
def test_remind_refused_to_a_child_a_sibling_and_an_outsider(tree, late_period, who):
    with pytest.raises(PortalError) as error:
        reports_remind(period=late_period, units=[tree.gl1], by=getattr(tree, who), now=_now())
    assert str(error.value) == (
        "Không thể đôn đốc Công đoàn cơ sở UBND thị trấn Trâu Quỳ: "
        "đơn vị không chậm nộp báo cáo kỳ này hoặc bạn không phụ trách."
    )
    assert ReportReminder.objects.count() == 0
    assert Notification.objects.filter(kind=NotificationKind.REPORT_REMINDER).count() == 0


def test_remind_refused_for_a_unit_itself_a_filed_report_and_a_period_not_due(tree, late_period, period):
    with pytest.raises(PortalError):  # the federation's head does not chase her own unit
        reports_remind(period=late_period, units=[tree.federation], by=tree.city_head, now=_now())
    file(period, tree.gl1, tree.gl1_officer)
    with pytest.raises(PortalError):  # not yet due
        reports_remind(period=period, units=[tree.gl2], by=tree.gialam_head, now=_now())
    assert ReportReminder.objects.count() == 0


def test_portal_admin_and_any_level_above_may_remind(tree, late_period):
    assert reports_remind(period=late_period, units=[tree.gl1], by=tree.city_head, now=_now()).reminded == 1
    assert ReportReminder.objects.get().by_unit == tree.federation
    assert reports_remind(period=late_period, units=[tree.gl2], by=tree.admin, now=_now()).reminded == 1
    assert ReportReminder.objects.get(unit=tree.gl2).by_unit == tree.gialam


# ---------------------------------------------------------------- the pages


def _remind_url(period, unit):
    return reverse("reporting:dashboard_remind", args=[period.cycle_id, unit.code])


def _dashboard(period, unit):
    return reverse("reporting:dashboard", args=[period.cycle_id, unit.code]) + f"?period={period.pk}"


def test_dashboard_ticked_subset(tree, late_period, login):
    client = login(tree.gialam_head)
    response = client.post(
        _remind_url(late_period, tree.gialam), {"period": late_period.pk, "unit": [tree.gl2.pk]}, follow=True
    )
    assert _messages(response) == ["Đã đôn đốc 1 đơn vị."]
    assert _reminded() == ["HN-LDLD-GIALAM-0002"]


def test_dashboard_remind_all_and_double_submit(tree, late_period, login):
    client = login(tree.gialam_head)
    first = client.post(_remind_url(late_period, tree.gialam), {"period": late_period.pk, "all": "1"}, follow=True)
    second = client.post(_remind_url(late_period, tree.gialam), {"period": late_period.pk, "all": "1"}, follow=True)
    assert _messages(first) == ["Đã đôn đốc 2 đơn vị."]
    assert _messages(second) == ["Không đôn đốc thêm đơn vị nào: 2 đơn vị đã được đôn đốc hôm nay."]
    assert _reminded() == ["HN-LDLD-GIALAM-0001", "HN-LDLD-GIALAM-0002"]


def test_dashboard_remind_denied(tree, late_period, login, client):
    data = {"period": late_period.pk, "unit": [tree.gl1.pk]}
    response = client.post(_remind_url(late_period, tree.gialam), data)
    assert (response.status_code, response["Location"].startswith("/accounts/login/")) == (302, True)
    # A grassroots officer sees her own dashboard but reminds no one, herself least of all.
    response = login(tree.gl1_officer).post(_remind_url(late_period, tree.gl1), data, follow=True)
    assert _messages(response) == [
        "Không thể đôn đốc Công đoàn cơ sở UBND thị trấn Trâu Quỳ: "
        "đơn vị không chậm nộp báo cáo kỳ này hoặc bạn không phụ trách."
    ]
    # A sibling district's head: Gia Lâm's dashboard is not hers.
    assert login(tree.donganh_head).post(_remind_url(late_period, tree.gialam), data).status_code == 404
    # On her own dashboard, Gia Lâm's unit is out of reach even by a forged id.
    response = login(tree.donganh_head).post(_remind_url(late_period, tree.donganh), data, follow=True)
    assert _messages(response) == ["Chưa chọn đơn vị nào để đôn đốc."]
    assert ReportReminder.objects.count() == 0


def test_dashboard_shows_checkboxes_and_last_reminder_bounded(tree, late_period, login, django_assert_max_num_queries):
    client = login(tree.city_head)
    with django_assert_max_num_queries(20) as small:
        client.get(_dashboard(late_period, tree.federation))
    reports_remind(period=late_period, units=[tree.gl1, tree.gialam, tree.direct], by=tree.city_head, now=_now())
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(_dashboard(late_period, tree.federation))
    rows = {u.code: (u.can_remind, u.last_reminded_at is not None) for u in response.context["late_page"]}
    assert rows == {
        "HN-LDLD": (False, False),
        "HN-LDLD-0001": (True, True),
        "HN-LDLD-DONGANH": (True, False),
        "HN-LDLD-DONGANH-0001": (True, False),
        "HN-LDLD-GIALAM": (True, True),
        "HN-LDLD-GIALAM-0001": (True, True),
        "HN-LDLD-GIALAM-0002": (True, False),
    }
    html = response.content.decode()
    assert html.count('name="unit"') == 6
    assert "Đôn đốc tất cả đơn vị chậm" in html


def test_reminded_unit_sees_it_on_its_todo_list(tree, late_period, login, django_assert_max_num_queries):
    reports_remind(period=late_period, units=[tree.gl1], by=tree.gialam_head, now=_now())
    client = login(tree.gl1_officer)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("reporting:todo"))
    day = timezone.localdate().strftime("%d/%m/%Y")
    assert f"Cấp trên đã đôn đốc ngày {day}" in response.content.decode()
    assert [i.last_reminded_at is not None for i in response.context["items"]] == [True]
    other = login(tree.gl2_officer).get(reverse("reporting:todo")).content.decode()
    assert "Cấp trên đã đôn đốc" not in other


def test_late_units_carry_remindable(tree, late_period, period):
    file(late_period, tree.gl1, tree.gl1_officer)  # filed late: listed, but nothing left to remind
    units = {u.code: u.remindable for u in selectors.late_units(period=late_period, unit=tree.gialam)}
    assert units == {"HN-LDLD-GIALAM": True, "HN-LDLD-GIALAM-0001": False, "HN-LDLD-GIALAM-0002": True}
    assert {u.remindable for u in selectors.late_units(period=period, unit=tree.gialam)} == {False}
