"""The one number reader: a table of what officers type and how each is read or refused."""

from decimal import Decimal

import pytest
from django.utils import translation

from campaign_portal.fields import NumberField
from campaign_portal.numbers import NumberInputError, format_number, parse_number
from campaign_portal.templatetags.numbers import rollup_figure

READ = [
    ("vi", "1.000", Decimal("1000")),
    ("vi", "1 000", Decimal("1000")),
    ("vi", "1\u00a0000", Decimal("1000")),
    ("vi", "1000", Decimal("1000")),
    ("vi", "85,5", Decimal("85.5")),
    ("vi", "0,5", Decimal("0.5")),
    ("vi", "1.234.567,89", Decimal("1234567.89")),
    ("vi", "1 234 567,89", Decimal("1234567.89")),
    ("vi", "1.000,5", Decimal("1000.5")),
    ("vi", "-3", Decimal("-3")),
    ("vi", "7,5", Decimal("7.5")),
    ("vi", "0,125", Decimal("0.125")),
    ("vi", "  42 ", Decimal("42")),
    ("en", "1,000", Decimal("1000")),
    ("en", "85.5", Decimal("85.5")),
    ("en", "1,234,567.89", Decimal("1234567.89")),
    ("en", "1 000", Decimal("1000")),
]

REFUSED = [
    ("vi", "85.5", "hai cách"),
    ("vi", "1.5", "hai cách"),
    ("vi", "1,000", "hai cách"),
    ("vi", "12,345", "hai cách"),
    ("vi", "1.00", "hai cách"),
    ("vi", "1,234.5", "hai cách"),
    ("vi", "1,2,3", "hai cách"),
    ("vi", "12 34", "không phải là số viết đúng cách"),
    ("vi", "abc", "không phải là số"),
    ("vi", "1e5", "không phải là số"),
    ("vi", "NaN", "không phải là số"),
    ("vi", "5,", "thiếu chữ số"),
    ("en", "85,5", "two ways"),
    ("en", "1.000", "two ways"),
]


@pytest.mark.parametrize(("language", "text", "expected"), READ)
def test_parse_number_reads_as_typed(language, text, expected):
    assert parse_number(text, language=language) == expected


@pytest.mark.parametrize(("language", "text", "fragment"), REFUSED)
def test_parse_number_refuses_what_could_be_read_two_ways(language, text, fragment):
    with pytest.raises(NumberInputError) as error:
        parse_number(text, language=language)
    assert fragment in error.value.message


def test_parse_number_blank_is_none():
    assert parse_number("  ", language="vi") is None


def test_parse_number_percent_and_currency_suffixes():
    assert parse_number("85,5%", language="vi", percent=True) == Decimal("85.5")
    assert parse_number("100.000.000đ", language="vi", currency=True) == Decimal("100000000")
    with pytest.raises(NumberInputError):
        parse_number("85,5%", language="vi")


@pytest.mark.parametrize(
    ("language", "value", "expected"),
    [
        ("vi", Decimal("1000"), "1.000"),
        ("vi", Decimal("85.50"), "85,5"),
        ("vi", Decimal("1234567.89"), "1.234.567,89"),
        ("vi", Decimal("-1000.25"), "-1.000,25"),
        ("vi", 12, "12"),
        ("en", Decimal("1234567.89"), "1,234,567.89"),
    ],
)
def test_format_number_as_typed(language, value, expected):
    assert format_number(value, language=language) == expected


def test_format_then_parse_round_trips():
    for value in (Decimal("0.5"), Decimal("1000"), Decimal("999999999999.9999"), Decimal("-12.25")):
        for language in ("vi", "en"):
            assert parse_number(format_number(value, language=language), language=language) == value


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("101", "Tối đa 100."),
        ("-1", "Tối thiểu 0."),
        ("85,5555", "Tối đa 2 chữ số sau dấu thập phân."),
        ("1" * 21, "Số quá lớn"),
    ],
)
def test_number_field_plain_vietnamese_errors(text, error):
    field = NumberField(min_value=0, max_value=100, decimal_places=2, max_digits=16)
    with translation.override("vi"), pytest.raises(Exception) as raised:
        field.clean(text)
    assert error in " ".join(raised.value.messages)


def test_number_field_whole_numbers_and_display():
    field = NumberField(min_value=0, decimal_places=0)
    with translation.override("vi"):
        assert field.clean("1.000") == 1000
        assert field.prepare_value(Decimal("1000")) == "1.000"
        assert field.prepare_value("1.0x") == "1.0x"  # what was typed comes back untouched
        assert field.widget.attrs["inputmode"] == "numeric"
        assert field.bounds_text == "Số nguyên, tối thiểu 0"


@pytest.mark.parametrize(
    ("language", "value", "expected"),
    [
        ("vi", Decimal("1234.5"), "1.234,5"),
        ("en", Decimal("1234.5"), "1,234.5"),
        ("vi", Decimal("85.5000"), "85,5"),
        ("vi", True, "Có"),
        ("en", True, "Yes"),
        ("en", False, "No"),
        ("vi", None, "—"),
    ],
)
def test_rollup_figure_shows_a_number_yes_no_or_a_dash(language, value, expected):
    with translation.override(language):
        assert rollup_figure(value) == expected
