"""The report pages' one filter for a stored figure (reporting.templatetags.report_values)."""

from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.template import Context, Template
from django.utils import translation

from reporting.enums import IndicatorType


def shown(value, language="vi") -> str:
    with translation.override(language):
        return Template("{% load report_values %}{{ value|stored_value }}").render(Context({"value": value}))


def stored(*, number=None, text="", type=IndicatorType.INTEGER):
    return SimpleNamespace(number=number, text=text, indicator=SimpleNamespace(type=type))


@pytest.mark.parametrize(
    ("value", "language", "expected"),
    [
        (stored(number=Decimal("1000")), "vi", "1.000"),
        (stored(number=Decimal("85.5"), type=IndicatorType.PERCENT), "vi", "85,5"),
        (stored(number=Decimal("1000")), "en", "1,000"),
        (stored(number=Decimal("1"), type=IndicatorType.BOOLEAN), "vi", "Có"),
        (stored(number=Decimal("0"), type=IndicatorType.BOOLEAN), "vi", "Không"),
        (stored(number=Decimal("0"), type=IndicatorType.BOOLEAN), "en", "No"),
        (stored(number=Decimal("0")), "vi", "0"),
        (stored(), "vi", "—"),
        (None, "vi", "—"),
    ],
)
def test_a_stored_figure_is_shown_the_way_it_is_typed(value, language, expected):
    assert shown(value, language) == expected


def test_a_long_text_is_cut_and_escaped():
    result = shown(stored(text="<b>Hội nghị</b> " + "một cửa " * 20))
    assert result.startswith("&lt;b&gt;Hội nghị&lt;/b&gt; một cửa")
    assert result.endswith("…") and "<b>" not in result
