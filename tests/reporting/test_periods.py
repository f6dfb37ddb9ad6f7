import datetime as dt

from reporting.enums import PeriodScheme, PeriodType
from reporting.periods import periods_for

D = dt.date


def test_quarters_cut_off_on_the_14th_by_default():
    quarters = periods_for(period_type=PeriodType.QUARTER, year=2019)
    assert [(p.starts_on, p.ends_on) for p in quarters] == [
        (D(2018, 12, 15), D(2019, 3, 14)),
        (D(2019, 3, 15), D(2019, 6, 14)),
        (D(2019, 6, 15), D(2019, 9, 14)),
        (D(2019, 9, 15), D(2019, 12, 14)),
    ]
    assert quarters[0].label == "Quý 1/2019"


def test_months_half_years_and_year_with_cutoff():
    months = periods_for(period_type=PeriodType.MONTH, year=2019)
    assert (months[0].starts_on, months[0].ends_on) == (D(2018, 12, 15), D(2019, 1, 14))
    assert (months[2].starts_on, months[2].ends_on) == (D(2019, 2, 15), D(2019, 3, 14))
    halves = periods_for(period_type=PeriodType.HALF_YEAR, year=2019)
    assert [(p.starts_on, p.ends_on) for p in halves] == [
        (D(2018, 12, 15), D(2019, 6, 14)),
        (D(2019, 6, 15), D(2019, 12, 14)),
    ]
    (year,) = periods_for(period_type=PeriodType.YEAR, year=2019)
    assert (year.starts_on, year.ends_on) == (D(2018, 12, 15), D(2019, 12, 14))


def test_calendar_scheme_uses_month_ends():
    quarters = periods_for(period_type=PeriodType.QUARTER, year=2020, scheme=PeriodScheme.CALENDAR)
    assert (quarters[0].starts_on, quarters[0].ends_on) == (D(2020, 1, 1), D(2020, 3, 31))
    months = periods_for(period_type=PeriodType.MONTH, year=2020, scheme=PeriodScheme.CALENDAR)
    assert months[1].ends_on == D(2020, 2, 29)
