import datetime as dt

import pytest

from campaign_portal.calendar import HANOI
from organizations.enums import UnitKind
from reporting.enums import PeriodType
from reporting.models import FormVersion, Period, ReportForm, ReportingCycle

DUE = dt.date(2019, 9, 20)  # a Friday


def vn(*args) -> dt.datetime:
    """An aware datetime on the Hanoi clock."""
    return dt.datetime(*args, tzinfo=HANOI)


@pytest.fixture
def period(tree):
    """Quarter III/2019 for grassroots unions, due 20/09/2019, locking 01/10/2019."""
    form = ReportForm.objects.create(code="tt", name="Báo cáo tuyên truyền")
    version = FormVersion.objects.create(form=form, number=1)
    cycle = ReportingCycle.objects.create(
        name="Báo cáo tuyên truyền CCHC 2019",
        form_version=version,
        period_type=PeriodType.QUARTER,
        year=2019,
        scope_kinds=[UnitKind.GRASSROOTS_UNION],
    )
    return Period.objects.create(
        cycle=cycle,
        label="Quý III/2019",
        starts_on=dt.date(2019, 6, 15),
        ends_on=dt.date(2019, 9, 14),
        due_on=DUE,
        locks_on=dt.date(2019, 10, 1),
    )


def file_report(period, unit, *, at):
    """The unit's officer files the period's report at `at`, through the reporting services."""
    from organizations.selectors import unit_officers
    from reporting.services import report_get_or_create, report_submit

    officer = unit_officers(unit_ids=[unit.pk]).select_related("user").order_by("pk").first().user
    report, _created = report_get_or_create(period=period, unit=unit, by=officer)
    return report_submit(report=report, by=officer, now=at)


def pytest_collection_modifyitems(config, items):
    # pygal's import hook lacks find_spec and warns on every missed import (template
    # tag discovery, optional modules) once anything imports pygal; not our warning.
    for item in items:
        if "tests/notifications/" in str(item.fspath):
            item.add_marker(pytest.mark.filterwarnings("ignore:PluginImportFixer:ImportWarning"))
