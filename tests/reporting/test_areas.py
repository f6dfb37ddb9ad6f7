"""The reporting dashboard filtered by commune/ward (?area=<code>): units covering it on each period's end date."""

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from organizations.enums import Role
from organizations.models import AdministrativeArea
from organizations.services import unit_coverage_set
from reporting import selectors
from tests.conftest import DONG_DA, KIM_LIEN
from tests.factories import make_unit, member

from .conftest import file, open_cycle


def _rows(data):
    return [
        (r["unit"].code, r["is_self"], [(c.expected, c.submitted, c.on_time) for c in r["cells"]]) for r in data["rows"]
    ]


def test_dashboard_in_area_counts_the_units_covering_it(communes, period):
    file(period, communes.kl1, communes.kl1_officer)
    kim_lien = AdministrativeArea.objects.get(code=KIM_LIEN)
    data = selectors.dashboard_in_area(cycle=period.cycle, unit=communes.federation, area=kim_lien)
    assert _rows(data) == [("HN-LDLD-CDP-DONGDA", False, [(2, 1, 1)])]
    assert [(t.expected, t.submitted, t.reporting_rate) for t in data["totals"]] == [(2, 1, 50.0)]
    # Seen from the commune union itself, its grassroots unions are the rows (“Trạm” before “Trường”).
    data = selectors.dashboard_in_area(cycle=period.cycle, unit=communes.dongda_union, area=kim_lien)
    assert _rows(data) == [
        ("HN-LDLD-CDP-DONGDA-0002", False, [(1, 0, 0)]),
        ("HN-LDLD-CDP-DONGDA-0001", False, [(1, 1, 1)]),
    ]


def test_dashboard_in_area_uses_the_coverage_on_the_periods_end(communes, form_version):
    today = timezone.localdate()
    past = open_cycle(form_version, communes, starts=-60, ends=-40, name="Đợt đã qua")
    # Gia Lâm's grassroots union takes Kim Liên after that period ended: not counted in it.
    unit_coverage_set(unit=communes.gl1, area_codes=[KIM_LIEN], valid_from=today - dt.timedelta(days=10))
    # Trâu Quỳ's union covered Đống Đa during it, and no longer does.
    unit_coverage_set(unit=communes.gl2, area_codes=[DONG_DA], valid_from=today - dt.timedelta(days=50))
    unit_coverage_set(unit=communes.gl2, area_codes=[], valid_from=today - dt.timedelta(days=20))
    kim_lien, dong_da = (AdministrativeArea.objects.get(code=c) for c in (KIM_LIEN, DONG_DA))
    data = selectors.dashboard_in_area(cycle=past, unit=communes.federation, area=kim_lien)
    assert _rows(data) == [("HN-LDLD-CDP-DONGDA", False, [(2, 0, 0)])]
    data = selectors.dashboard_in_area(cycle=past, unit=communes.federation, area=dong_da)
    assert _rows(data) == [("HN-LDLD-CDP-DONGDA", False, [(1, 0, 0)]), ("HN-LDLD-GIALAM", False, [(1, 0, 0)])]


def _queries(client, url, params):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_dashboard_page_filtered_by_area(communes, period, login, django_assert_max_num_queries):
    file(period, communes.kl1, communes.kl1_officer)
    client = login(communes.city_head)
    url = reverse("reporting:dashboard", args=[period.cycle_id, communes.federation.code])
    with django_assert_max_num_queries(20):
        response = client.get(url, {"area": KIM_LIEN, "period": period.pk})
    assert [r["unit"].code for r in response.context["data"]["rows"]] == ["HN-LDLD-CDP-DONGDA"]
    assert [u.code for u in response.context["late_page"].object_list] == ["HN-LDLD-CDP-DONGDA-0002"]
    html = response.content.decode()
    assert '<option value="00229" selected>Phường Kim Liên (00229)</option>' in html
    assert f"?period={period.pk}&amp;area=00229" in html
    everything = client.get(url)
    assert everything.context["data"]["totals"][0].expected > 2
    # The page's query count does not grow with the units covering the area.
    small = _queries(client, url, {"area": KIM_LIEN})
    for _ in range(5):
        unit = make_unit(communes.dongda_union)
        unit_coverage_set(unit=unit, area_codes=[KIM_LIEN], valid_from=timezone.localdate())
        file(period, unit, member(unit, Role.OFFICER))
    assert _queries(client, url, {"area": KIM_LIEN}) == small
    assert client.get(url, {"area": KIM_LIEN}).context["data"]["totals"][0].expected == 7


def test_dashboard_filter_denied_outside_the_subtree(communes, period, login):
    url = reverse("reporting:dashboard", args=[period.cycle_id, communes.dongda_union.code])
    assert login(communes.gialam_head).get(url, {"area": KIM_LIEN}).status_code == 404
