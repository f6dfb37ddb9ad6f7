"""A unit's member count typed the way officers type it (630.000), and shown that way back."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _form(unit, **overrides) -> dict:
    data = {
        name: getattr(unit, name)
        for name in (
            "name",
            "abbreviation",
            "document_parent_name",
            "document_name",
            "place_name",
            "email",
            "phone",
            "address",
        )
    }
    return {**data, **overrides}


def test_member_count_typed_with_thousands_dots(tree, login):
    client = login(tree.admin)
    url = reverse("organizations:unit_edit", args=[tree.direct.code])
    assert 'value="2.400"' in client.get(url).content.decode()
    response = client.post(url, _form(tree.direct, member_count="2.5"))
    assert response.status_code == 200 and "“2.5” có thể hiểu theo hai cách." in response.content.decode()
    response = client.post(url, _form(tree.direct, member_count="1.000.000.000"))
    assert "Số quá lớn: tối đa 9 chữ số trước dấu thập phân." in response.content.decode()
    assert client.post(url, _form(tree.direct, member_count="2.650")).status_code == 302
    tree.direct.refresh_from_db()
    assert tree.direct.member_count == 2650


@pytest.mark.parametrize(("language", "shown"), [("vi", "2.400"), ("en", "2,400")])
def test_unit_page_shows_member_count_as_typed(tree, login, language, shown):
    client = login(tree.admin)
    url = reverse("organizations:unit_detail", args=[tree.direct.code])
    if language == "en":
        client.post(reverse("set_language"), {"language": "en", "next": url})
    assert f'<div class="stat">{shown}</div>' in client.get(url).content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("multiple", [False, True])
def test_area_select_markup_is_djangos_own(multiple):
    """The commune/ward list renders its <select> in Python (FilterableSelectMixin._select_html): the same markup
    as Django's select templates, with the chosen area still selected and the filter box above it."""
    from django import forms as django_forms
    from django.test.html import parse_html

    from organizations.forms import AreaChoiceField, AreaMultipleChoiceField

    field = (
        AreaMultipleChoiceField(required=False) if multiple else AreaChoiceField(required=False, empty_label="Tất cả")
    )
    chosen = ["00229", "00199"] if multiple else "00229"
    attrs = {"id": "id_area", "class": "form-select"}
    ours = field.widget.render("area", chosen, attrs=attrs)
    djangos = (django_forms.SelectMultiple if multiple else django_forms.Select).render(
        field.widget, "area", chosen, attrs=attrs
    )
    assert ours.startswith('<input type="search"')
    assert '<select name="area" class="form-select" id="id_area"' in ours  # the name first, as Django writes it
    assert parse_html(ours[ours.index("<select") :]) == parse_html(djangos)
    assert ours.count("<option") == 127 - multiple
    assert ours.count(" selected") == (2 if multiple else 1)
