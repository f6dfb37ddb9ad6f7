import datetime as dt

import pytest

from notifications.windows import deadline_window, local_today

from .conftest import DUE, vn


@pytest.mark.parametrize(
    ("today", "phase", "key"),
    [
        (dt.date(2019, 9, 17), "before", "2019-09-20:before"),
        (dt.date(2019, 9, 19), "before", "2019-09-20:before"),
        (dt.date(2019, 9, 20), "on", "2019-09-20:on"),
        (dt.date(2019, 9, 21), "after", "2019-09-20:after+1"),
        (dt.date(2019, 9, 27), "after", "2019-09-20:after+1"),
        (dt.date(2019, 9, 28), "after", "2019-09-20:after+8"),
        (dt.date(2019, 10, 5), "after", "2019-09-20:after+15"),
    ],
)
def test_deadline_window_phases(today, phase, key):
    window = deadline_window(due_on=DUE, today=today)
    assert (window.phase, window.key) == (phase, key)


def test_deadline_window_none_before_three_days():
    assert deadline_window(due_on=DUE, today=dt.date(2019, 9, 16)) is None


def test_deadline_window_days_late_counted():
    assert deadline_window(due_on=DUE, today=dt.date(2019, 9, 23)).days_late == 3


def test_local_today_uses_hanoi_calendar():
    # 17:30 UTC on the 19th is 00:30 on the 20th in Hanoi: the due day.
    now = dt.datetime(2019, 9, 19, 17, 30, tzinfo=dt.UTC)
    assert local_today(now) == dt.date(2019, 9, 20)
    assert deadline_window(due_on=DUE, today=local_today(now)).phase == "on"
    assert local_today(vn(2019, 9, 19, 23, 59)) == dt.date(2019, 9, 19)
