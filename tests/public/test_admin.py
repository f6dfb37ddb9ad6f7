"""The city's indicators typed the Vietnamese way in admin, and shown the way they are typed in each language."""

from decimal import Decimal

import pytest
from django.urls import reverse

from public.models import CityIndicator

pytestmark = pytest.mark.django_db

FORM = {
    "year": "2024",
    "par_index_rank": "2",
    "par_index_score": "91,87",
    "sipas_percent": "85,5",
    "papi_rank": "",
    "papi_score": "",
    "pci_rank": "",
    "pci_score": "",
    "ict_rank": "",
    "one_stop_percent": "99,98",
    "on_time_percent": "100",
    "provinces": "63",
    "source": "Bộ Nội vụ",
    "note": "",
}


def test_admin_indicators_typed_with_a_decimal_comma(login, tree):
    client = login(tree.admin)
    url = reverse("admin:public_cityindicator_add")
    response = client.post(url, {**FORM, "sipas_percent": "85.5"})
    assert response.status_code == 200
    assert "“85.5” có thể hiểu theo hai cách." in response.content.decode()
    response = client.post(url, {**FORM, "pci_score": "1.000"})
    assert "Số quá lớn: tối đa 3 chữ số trước dấu thập phân." in response.content.decode()
    assert not CityIndicator.objects.exists()
    assert client.post(url, FORM).status_code == 302
    row = CityIndicator.objects.get()
    assert (row.par_index_score, row.sipas_percent, row.one_stop_percent) == (
        Decimal("91.87"),
        Decimal("85.5"),
        Decimal("99.98"),
    )


@pytest.mark.parametrize(("language", "sipas", "one_stop"), [("vi", "85,5%", "99,98%"), ("en", "85.5%", "99.98%")])
def test_indicators_shown_as_typed_in_each_language(
    login, tree, client, language, sipas, one_stop, django_assert_max_num_queries
):
    login(tree.admin).post(reverse("admin:public_cityindicator_add"), FORM)
    client.logout()
    if language == "en":
        client.post(reverse("set_language"), {"language": "en", "next": "/chi-so/"})
    with django_assert_max_num_queries(6):
        page = client.get("/chi-so/").content.decode()
    assert f"<td>{sipas}</td>" in page
    assert f"<td>{one_stop}</td>" in page
    assert f">{one_stop}</dd>" in client.get("/").content.decode()
