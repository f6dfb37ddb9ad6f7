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
