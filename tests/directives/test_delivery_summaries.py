"""The delivery summaries are kept true by the services themselves: after every kind of change a delivery goes
through, `manage.py portal_summaries` finds nothing to repair; a corrupted row is reported and rebuilt."""

import datetime as dt
import io
import re
from unittest import mock

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone

from directives.deliveries import delivery_acknowledge, delivery_mark_done, delivery_mark_not_applicable, delivery_open
from directives.enums import AddresseeMode
from directives.models import Delivery, DeliverySummary
from directives.selectors import CascadeFilters, cascade_levels, cascade_summaries, cascade_totals
from directives.services import document_draft_implementing, document_issue
from organizations.enums import Role, UnitKind

from ..factories import UserFactory, make_unit, member
from .conftest import at

pytestmark = pytest.mark.django_db

DUE = dt.date(2019, 9, 30)
TODAY = dt.date(2019, 10, 10)


@pytest.fixture
def frozen_today():
    with mock.patch.object(timezone, "now", return_value=at(TODAY, 10)):
        yield


def _delivery(document, unit):
    return Delivery.objects.get(document=document, unit=unit)


def _summaries(document) -> dict[str, tuple]:
    rows = DeliverySummary.objects.filter(document=document).select_related("unit")
    return {
        row.unit.code: (row.is_read, row.is_acknowledged, row.is_implemented, row.due_on, row.completed_on)
        for row in rows
    }


def _directives_lines(out: io.StringIO) -> str:
    """The command's output without the other apps' summaries' lines (reporting's)."""
    return "".join(line for line in out.getvalue().splitlines(keepends=True) if not line.startswith("reporting"))


def _check() -> str:
    out = io.StringIO()
    call_command("portal_summaries", stdout=out)
    return _directives_lines(out)


@pytest.fixture
def worked_plan(tree, make_document, frozen_today):
    """The federation's plan (due 30/09/2019) down the whole tree, worked on through every service: read,
    acknowledged, done on time, done late (just after midnight in Hanoi, still the 30th in UTC), not applicable,
    and implemented by Gia Lâm's own guidance (itself delivered to its two grassroots unions)."""
    plan = make_document(unit=tree.federation, by=tree.city_officer, issue=True)
    delivery_open(delivery=_delivery(plan, tree.gl1), by=tree.gl1_officer, now=at(dt.date(2019, 2, 1)))
    delivery_acknowledge(delivery=_delivery(plan, tree.donganh), by=tree.donganh_head, now=at(dt.date(2019, 2, 2)))
    delivery_mark_done(
        delivery=_delivery(plan, tree.gl2), by=tree.gl2_officer, result_note="Đã tuyên truyền", now=at(DUE, 16)
    )
    delivery_mark_done(
        delivery=_delivery(plan, tree.da1),
        by=tree.da1_officer,
        result_note="Đã tuyên truyền muộn",
        now=dt.datetime(2019, 10, 1, 0, 30, tzinfo=at(DUE).tzinfo),
    )
    direct_officer = member(tree.direct, Role.OFFICER, UserFactory(email="direct.officer@example.vn"))
    delivery_mark_not_applicable(delivery=_delivery(plan, tree.direct), by=direct_officer, reason="Đã giải thể")
    guidance = document_draft_implementing(
        delivery=_delivery(plan, tree.gialam), by=tree.gialam_officer, today=dt.date(2019, 3, 1)
    )
    guidance = document_issue(document=guidance, by=tree.gialam_officer, now=at(dt.date(2019, 3, 1)))
    return plan, guidance


def test_summaries_follow_every_service(tree, worked_plan):
    plan, guidance = worked_plan
    assert _summaries(plan) == {
        "HN-LDLD-GIALAM": (True, True, True, DUE, dt.date(2019, 3, 1)),
        "HN-LDLD-DONGANH": (True, True, False, DUE, None),
        "HN-LDLD-GIALAM-0001": (True, False, False, DUE, None),
        "HN-LDLD-GIALAM-0002": (True, True, True, DUE, DUE),
        "HN-LDLD-DONGANH-0001": (True, True, True, DUE, dt.date(2019, 10, 1)),
        "HN-LDLD-0001": (True, True, True, DUE, TODAY),
    }
    assert _summaries(guidance) == {
        "HN-LDLD-GIALAM-0001": (False, False, False, guidance.due_on, None),
        "HN-LDLD-GIALAM-0002": (False, False, False, guidance.due_on, None),
    }
    assert _check() == "directives.DeliverySummary: 0 differences\n"


def test_cascade_counts_read_the_summaries(tree, worked_plan, django_assert_max_num_queries):
    plan, _guidance = worked_plan
    summaries = cascade_summaries(document=plan, user=tree.city_officer, filters=CascadeFilters())
    with django_assert_max_num_queries(1):
        levels = cascade_levels(summaries)
    assert [
        (level["depth"], level["unit_kind"], level["delivered"], level["read"], level["implemented"], level["late"])
        for level in levels
    ] == [
        (3, UnitKind.DISTRICT_FEDERATION, 2, 2, 1, 1),
        (3, UnitKind.GRASSROOTS_UNION, 1, 1, 1, 0),
        (4, UnitKind.GRASSROOTS_UNION, 5, 3, 2, 3),
    ]
    assert cascade_totals(levels) == {
        "delivered": 8,
        "read": 6,
        "acknowledged": 5,
        "implemented": 4,
        "late": 4,
        "implemented_pct": 50.0,
    }


def test_corrupted_summaries_are_reported_then_rebuilt(tree, worked_plan):
    plan, guidance = worked_plan
    altered = DeliverySummary.objects.get(document=plan, unit=tree.gl1)
    # Simulated corruption of the summary table (not a domain operation): one row changed, one row lost.
    DeliverySummary.objects.filter(pk=altered.pk).update(is_implemented=True)
    DeliverySummary.objects.filter(document=guidance, unit=tree.gl2).delete()
    out = io.StringIO()
    with pytest.raises(CommandError, match="^2 summary rows differ from the raw rows$"):
        call_command("portal_summaries", stdout=out)
    lost = _delivery(guidance, tree.gl2)
    assert _directives_lines(out).splitlines()[-1] == "directives.DeliverySummary: 2 differences"
    assert f"  delivery {lost.pk}: stored None, true ({lost.pk}, {guidance.pk}, {tree.gl2.pk}," in out.getvalue()

    out = io.StringIO()
    call_command("portal_summaries", "--rebuild", stdout=out)
    assert _directives_lines(out) == "directives.DeliverySummary: 2 rows rewritten\n"
    assert _summaries(plan)["HN-LDLD-GIALAM-0001"] == (True, False, False, DUE, None)
    assert _check() == "directives.DeliverySummary: 0 differences\n"


def test_migrate_builds_a_summary_table_it_finds_empty(tree, worked_plan):
    """A database migrated to the summaries has deliveries and no summary row yet: the post-migrate step builds
    them, so no page counts from an empty table; once built, another migrate leaves them alone."""
    from django.apps import apps

    from campaign_portal.apps import summaries_build_unbuilt

    plan, _guidance = worked_plan
    expected = _summaries(plan)
    # The state of a database the summaries' migration just ran on (not a domain operation).
    DeliverySummary.objects.all().delete()
    summaries_build_unbuilt(sender=apps.get_app_config("campaign_portal"))
    assert _summaries(plan) == expected
    assert _check() == "directives.DeliverySummary: 0 differences\n"


def _status_cells(html: str) -> list[tuple[str, str, str]]:
    """Each row of the cascade page as (unit code, document, status cell as text)."""
    row = r'<span class="small text-muted">([^<]+)</span></td>\n<td class="small">([^<]*)</td>\n<td>(.*?)\s*</td>'
    badge = r'<span class="badge ([^"]+)">([^<]+)</span>'
    return [(code, number, re.sub(badge, r"[\2|\1]", cell)) for code, number, cell in re.findall(row, html, re.S)]


def test_cascade_rows_show_each_units_progress(tree, worked_plan, login, django_assert_max_num_queries):
    """The rows read only the columns they show: every step a delivery went through is on its badge, in both
    languages, and no row loads a column that was left out (the query count is the page's, not the rows')."""
    plan, _guidance = worked_plan
    client = login(tree.city_officer)
    url = reverse("directives:cascade", args=[plan.pk])
    # 12 with the sessions on Redis, 13 where they are read from the database (no REDIS_URL).
    with django_assert_max_num_queries(12 if "cached" in settings.SESSION_ENGINE else 13):
        vietnamese = _status_cells(client.get(url).content.decode())
    late = "[Chậm|text-bg-danger]"
    assert vietnamese == [
        ("HN-LDLD-0001", "01/KH-LĐLĐ", f"[Không áp dụng|text-bg-success] {late}"),
        ("HN-LDLD-DONGANH", "01/KH-LĐLĐ", f"[Đã xác nhận|text-bg-info] {late}"),
        ("HN-LDLD-DONGANH-0001", "01/KH-LĐLĐ", f"[Đã thực hiện|text-bg-success] {late}"),
        ("HN-LDLD-GIALAM", "01/KH-LĐLĐ", "[Đã ban hành văn bản triển khai|text-bg-success]"),
        ("HN-LDLD-GIALAM-0001", "01/KH-LĐLĐ", f"[Đã đọc|text-bg-secondary] {late}"),
        ("HN-LDLD-GIALAM-0001", "01/HD-LĐLĐ", f"[Chưa đọc|text-bg-light border] {late}"),
        ("HN-LDLD-GIALAM-0002", "01/KH-LĐLĐ", "[Đã thực hiện|text-bg-success]"),
        ("HN-LDLD-GIALAM-0002", "01/HD-LĐLĐ", f"[Chưa đọc|text-bg-light border] {late}"),
    ]
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = _status_cells(client.get(url).content.decode())
    assert [status for _code, _number, status in english] == [
        "[Not applicable|text-bg-success] [Late|text-bg-danger]",
        "[Acknowledged|text-bg-info] [Late|text-bg-danger]",
        "[Done|text-bg-success] [Late|text-bg-danger]",
        "[Implementing document issued|text-bg-success]",
        "[Read|text-bg-secondary] [Late|text-bg-danger]",
        "[Unread|text-bg-light border] [Late|text-bg-danger]",
        "[Done|text-bg-success]",
        "[Unread|text-bg-light border] [Late|text-bg-danger]",
    ]


@pytest.mark.parametrize("grassroots", [2, 60])
def test_cascade_page_queries_do_not_grow_with_deliveries(
    tree, make_document, login, frozen_today, django_assert_max_num_queries, grassroots
):
    district = make_unit(tree.federation, kind=UnitKind.DISTRICT_FEDERATION)
    for _ in range(grassroots):
        make_unit(district, kind=UnitKind.GRASSROOTS_UNION)
    plan = make_document(unit=tree.federation, by=tree.city_officer, issue=True, addressee_mode=AddresseeMode.SUBTREE)
    client = login(tree.city_officer)
    late = 7 + grassroots  # every recipient: past the deadline, nothing implemented
    for page in (1, 2):
        with django_assert_max_num_queries(13):
            response = client.get(reverse("directives:cascade", args=[plan.pk]), {"late": "on", "page": page})
        assert response.status_code == 200
        assert response.context["totals"]["late"] == late
        assert response.context["page"].paginator.num_pages == (late + 49) // 50
    # The last page holds what the first did not (a single page is shown again for page 2).
    assert len(response.context["rows"]) == (late - 50 if late > 50 else late)
