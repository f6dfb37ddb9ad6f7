import datetime as dt
from contextlib import contextmanager
from decimal import Decimal
from unittest import mock

import pytest
from django.utils import timezone

from campaign_portal.calendar import HANOI
from organizations.enums import UnitKind
from reporting import cycles, services
from reporting.canonical_form import standard_form_version
from reporting.enums import PeriodType

VALID = {
    "media_sessions": 1,
    "media_reached": 30,
    "meeting_sessions": 2,
    "meeting_reached": 40,
    "visual_items": 3,
    "visual_reached": 20,
    "interactive_sessions": 1,
    "interactive_reached": 15,
    "documents_disseminated": 2,
    "online_services_members": 5,
    "good_models": 1,
    "feedback_received": 4,
    "feedback_answered": 3,
    "contest_entries": 1,
    "coverage_percent": Decimal(80),
    "has_plan": Decimal(1),
    "main_channel": "Hội nghị, hội họp",
    "results_text": "Đã phổ biến Kế hoạch 33/KH-UBND.",
}


@pytest.fixture
def form_version(db):
    return standard_form_version()


def open_cycle(form_version, tree, *, two_step=False, starts=-30, ends=3, name="Đợt báo cáo thử"):
    today = timezone.localdate()
    return cycles.cycle_open(
        name=name,
        form_version=form_version,
        period_type=PeriodType.ONE_OFF,
        starts_on=today + dt.timedelta(days=starts),
        ends_on=today + dt.timedelta(days=ends),
        scope_kinds=[UnitKind.CITY_FEDERATION, UnitKind.DISTRICT_FEDERATION, UnitKind.GRASSROOTS_UNION],
        scope_root=tree.federation,
        two_step=two_step,
        by=tree.admin,
    )


@pytest.fixture
def cycle(tree, form_version):
    return open_cycle(form_version, tree)


@pytest.fixture
def period(cycle):
    return cycle.periods.get()


def file(period, unit, by, *, submit=True, **overrides):
    """Saves (and submits) a valid report through the services."""
    values = {**VALID, **overrides}
    report = services.report_save(
        period=period, unit=unit, values=values, expected_version=_version(period, unit), by=by
    )
    if submit:
        report = services.report_submit(report=report, by=by)
    return report


def _version(period, unit):
    from reporting.models import Report

    report = Report.objects.filter(period=period, unit=unit).first()
    return report.version if report else 0


def post_data(version=0, action="save", **overrides):
    data = {"version": version, "action": action}
    for code, value in {**VALID, **overrides}.items():
        if code == "has_plan":
            value = "1" if value else "0"
        data[f"v_{code}"] = "" if value is None else str(value)
    return data


@pytest.fixture
def quarters(tree, form_version):
    """Last year's third and fourth quarters of one quarterly cycle, both long locked but reopened for the
    Trâu Quỳ union (an admin's lock exception): a previous period of the same cycle and the one being filed."""
    today = timezone.localdate()
    cycle = cycles.cycle_open(
        name="Báo cáo quý năm trước",
        form_version=form_version,
        period_type=PeriodType.QUARTER,
        year=today.year - 1,
        scope_kinds=[UnitKind.GRASSROOTS_UNION],
        scope_root=tree.federation,
        by=tree.admin,
    )
    third, fourth = list(cycle.periods.order_by("starts_on"))[2:]
    for quarter in (third, fourth):
        cycles.lock_exception_grant(
            period=quarter, unit=tree.gl1, until=today + dt.timedelta(days=5), by=tree.admin, reason="Bổ sung số liệu"
        )
    return third, fourth


@contextmanager
def clock(day: dt.date):
    """The clock lies outside the project: 09:00 in Hanoi on the given day."""
    moment = dt.datetime.combine(day, dt.time(9), tzinfo=HANOI)
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield
