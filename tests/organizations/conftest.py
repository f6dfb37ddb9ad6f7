import datetime as dt

import pytest
from django.utils import timezone

from campaign_portal.calendar import HANOI
from organizations.enums import UnitKind
from reporting import cycles as reporting_cycles
from reporting import services as reporting_services
from reporting.demo import standard_form_version
from reporting.enums import PeriodType
from tests.reporting.conftest import VALID


def vn_dt(*args) -> dt.datetime:
    return dt.datetime(*args, 9, 0, tzinfo=HANOI)


@pytest.fixture
def q1_2019(tree):
    """Quý 1/2019 of a quarterly cycle for district federations and grassroots unions."""
    cycle = reporting_cycles.cycle_open(
        name="Báo cáo quý 2019",
        form_version=standard_form_version(),
        period_type=PeriodType.QUARTER,
        year=2019,
        scope_kinds=[UnitKind.DISTRICT_FEDERATION, UnitKind.GRASSROOTS_UNION],
        scope_root=tree.federation,
        by=tree.admin,
    )
    return cycle.periods.order_by("starts_on").first()


def file_in_2019(*, period, unit, officer, approver, admin, **overrides):
    """Files, submits (in March 2019) and approves a report through the services. The period is long
    locked: the portal's admin reopens it for the unit first, as she would on the portal."""
    reporting_cycles.lock_exception_grant(period=period, unit=unit, until=timezone.localdate(), by=admin)
    report = reporting_services.report_save(
        period=period, unit=unit, values={**VALID, **overrides}, expected_version=0, by=officer
    )
    report = reporting_services.report_submit(report=report, by=officer, now=vn_dt(2019, 3, 16))
    return reporting_services.report_approve(report=report, by=approver)
