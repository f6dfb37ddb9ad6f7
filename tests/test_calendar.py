import datetime as dt

from django.conf import settings

from campaign_portal.calendar import HANOI, add_working_days, is_working_day

D = dt.date


def test_hanoi_is_the_portal_time_zone():
    assert HANOI.key == "Asia/Ho_Chi_Minh"
    assert settings.TIME_ZONE == "Asia/Ho_Chi_Minh"


def test_working_days_skip_weekends():
    assert add_working_days(D(2019, 3, 14), 2) == D(2019, 3, 18)  # Thu → Fri, (weekend), Mon
    assert add_working_days(D(2019, 10, 7), 10) == D(2019, 10, 21)


def test_working_days_skip_tet():
    # Friday 1/2/2019, then Tết 4–8/2/2019: two working days later is Tuesday 12/2, three Wednesday 13/2.
    assert add_working_days(D(2019, 2, 1), 2) == D(2019, 2, 12)
    assert add_working_days(D(2019, 2, 1), 3) == D(2019, 2, 13)


def test_working_days_cross_the_new_year():
    # Monday 30/12/2019 → Tuesday 31/12, (1/1/2020 New Year's Day), Thursday 2/1.
    assert add_working_days(D(2019, 12, 30), 2) == D(2020, 1, 2)


def test_public_holidays_are_not_working_days():
    assert is_working_day(D(2019, 9, 2)) is False  # National Day
    assert is_working_day(D(2019, 9, 3)) is True
    assert is_working_day(D(2019, 9, 7)) is False  # Saturday


def test_zero_working_days_is_the_start():
    assert add_working_days(D(2019, 9, 7), 0) == D(2019, 9, 7)


def test_deadline_at_midnight_is_the_last_minute_of_the_day_before():
    from django.utils import translation

    from campaign_portal.calendar import deadline_text

    closes = dt.datetime(2027, 2, 27, 0, 0, tzinfo=HANOI)
    assert deadline_text(closes) == "hết 23 giờ 59 ngày 26/02/2027"
    assert deadline_text(closes.astimezone(dt.UTC)) == "hết 23 giờ 59 ngày 26/02/2027"  # stored in UTC
    assert deadline_text(dt.datetime(2027, 2, 26, 17, 0, tzinfo=HANOI)) == "hết 16 giờ 59 ngày 26/02/2027"
    assert deadline_text(D(2019, 9, 30)) == "hết ngày 30/09/2019"
    assert deadline_text(None) == ""
    with translation.override("en"):
        assert deadline_text(closes) == "until 23:59 on 26/02/2027"
        assert deadline_text(D(2019, 9, 30)) == "until the end of 30/09/2019"
