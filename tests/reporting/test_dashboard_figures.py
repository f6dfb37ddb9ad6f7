"""The dashboard's figures as the page shows them: the rate cells built in Python (rates.rate_cells) read the way
the language writes numbers, and the cached trend chart follows every change made through the services, in the
viewer's language, per unit."""

import re

import pytest
from django.core.cache import cache
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from reporting import services
from reporting.selectors import Rates

from .conftest import file

pytestmark = pytest.mark.django_db

CELLS = [
    Rates(expected=3, submitted=2, on_time=1, approved=0),
    Rates(expected=0),
    Rates(expected=12000, submitted=11999),
]


def _cells(language: str) -> str:
    with translation.override(language):
        return Template("{% load rates %}{{ cells|rate_cells }}").render(Context({"cells": CELLS}))


def test_rate_cells_write_rates_and_counts_the_vietnamese_way():
    assert _cells("vi") == (
        "<td>66,7<br><small>2/3</small></td><td>33,3</td><td>0,0</td>"
        "<td>—<br><small>0/0</small></td><td>—</td><td>—</td>"
        "<td>100,0<br><small>11.999/12.000</small></td><td>0,0</td><td>0,0</td>"
    )


def test_rate_cells_write_rates_and_counts_the_english_way():
    assert _cells("en") == (
        "<td>66.7<br><small>2/3</small></td><td>33.3</td><td>0.0</td>"
        "<td>—<br><small>0/0</small></td><td>—</td><td>—</td>"
        "<td>100.0<br><small>11,999/12,000</small></td><td>0.0</td><td>0.0</td>"
    )


def _chart(client, cycle, unit) -> str:
    response = client.get(reverse("reporting:dashboard", args=[cycle.pk, unit.code]))
    assert response.status_code == 200
    return response.context["chart"]


def _drawing(chart: str) -> str:
    """The chart without the id pygal draws at random for each rendering: what two drawings share."""
    return re.sub(r"chart-[0-9a-f-]{36}", "chart-ID", chart)


def test_trend_chart_follows_a_report_filed_then_approved_through_the_services(tree, quarters, login):
    third, fourth = quarters
    client = login(tree.gialam_head)
    before = _chart(client, fourth.cycle, tree.gialam)
    assert _chart(client, fourth.cycle, tree.gialam) == before  # the same random id: from the cache
    report = file(fourth, tree.gl1, tree.gl1_officer)
    filed = _drawing(_chart(client, fourth.cycle, tree.gialam))
    assert filed != _drawing(before)
    services.report_approve(report=report, by=tree.gialam_head)
    approved = _chart(client, fourth.cycle, tree.gialam)
    assert _drawing(approved) not in (_drawing(before), filed)
    # What the cache served is what a fresh drawing of the same figures gives.
    cache.clear()
    assert _drawing(_chart(client, fourth.cycle, tree.gialam)) == _drawing(approved)


def test_trend_chart_is_drawn_in_the_viewers_language(tree, quarters, login, client):
    cycle = quarters[0].cycle
    login(tree.gialam_head)
    vietnamese = _chart(client, cycle, tree.gialam)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    english = _chart(client, cycle, tree.gialam)
    assert ("Xu hướng qua các kỳ (%)" in vietnamese, "Trend over the periods (%)" in english) == (True, True)
    assert "Xu hướng qua các kỳ (%)" not in english
    client.post(reverse("set_language"), {"language": "vi", "next": "/"})
    assert _chart(client, cycle, tree.gialam) == vietnamese  # the Vietnamese chart, still cached


def test_trend_chart_is_each_units_own(tree, quarters, login):
    third, fourth = quarters
    file(fourth, tree.gl1, tree.gl1_officer)
    client = login(tree.city_head)
    gialam = _chart(client, fourth.cycle, tree.gialam)
    federation = _chart(client, fourth.cycle, tree.federation)
    assert _drawing(gialam) != _drawing(federation)
    assert (_chart(client, fourth.cycle, tree.gialam), _chart(client, fourth.cycle, tree.federation)) == (
        gialam,
        federation,
    )
