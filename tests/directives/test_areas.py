"""Documents addressed to "every grassroots union in phường X", and the cascade filtered by commune/ward."""

import datetime as dt

import pytest
from django.urls import reverse

from campaign_portal.exceptions import PortalError
from directives.enums import AddresseeMode
from directives.models import Delivery, Document
from directives.selectors import CascadeFilters, cascade_deliveries
from directives.services import document_addressees, document_create, document_issue, document_update, draft_data_from
from organizations.enums import UnitKind
from organizations.models import AdministrativeArea
from organizations.services import unit_coverage_set
from tests.conftest import BAT_TRANG, DONG_DA, GIA_LAM, JULY, KIM_LIEN

from .conftest import draft_data

SEPT = dt.date(2025, 9, 15)


def _area(code):
    return AdministrativeArea.objects.get(code=code)


def _delivered(document) -> set[str]:
    return set(Delivery.objects.filter(document=document).values_list("unit__code", flat=True))


def test_document_to_every_grassroots_union_of_a_ward(communes, make_document):
    # Gia Lâm's first grassroots union covered Kim Liên until September: not on the document's date.
    unit_coverage_set(unit=communes.gl1, area_codes=[KIM_LIEN], valid_from=JULY)
    unit_coverage_set(unit=communes.gl1, area_codes=[], valid_from=dt.date(2025, 9, 1))
    document = make_document(
        unit=communes.federation,
        by=communes.city_officer,
        issue=True,
        issued_on=SEPT,
        tasks=[],
        addressee_mode=AddresseeMode.AREA,
        addressee_area=_area(KIM_LIEN),
    )
    assert _delivered(document) == {"HN-LDLD-CDP-DONGDA-0001", "HN-LDLD-CDP-DONGDA-0002"}
    assert document.kinh_gui == "Các công đoàn cơ sở trên địa bàn phường Kim Liên"
    delivery = Delivery.objects.get(document=document, unit=communes.kl1)
    assert (delivery.lineage, delivery.unit_kind) == (communes.kl1.lineage, UnitKind.GRASSROOTS_UNION)


def test_area_addressing_uses_the_documents_date(communes, make_document):
    unit_coverage_set(unit=communes.gl1, area_codes=[KIM_LIEN], valid_from=JULY)
    unit_coverage_set(unit=communes.gl1, area_codes=[], valid_from=dt.date(2025, 9, 1))
    august = make_document(
        unit=communes.federation,
        by=communes.city_officer,
        issue=True,
        issued_on=dt.date(2025, 8, 20),
        tasks=[],
        addressee_mode=AddresseeMode.AREA,
        addressee_area=_area(KIM_LIEN),
    )
    assert _delivered(august) == {"HN-LDLD-CDP-DONGDA-0001", "HN-LDLD-CDP-DONGDA-0002", "HN-LDLD-GIALAM-0001"}


def test_area_addressing_of_chosen_kinds_within_the_issuers_system(communes, make_document):
    unions = make_document(
        unit=communes.federation,
        by=communes.city_officer,
        issue=True,
        issued_on=SEPT,
        tasks=[],
        addressee_mode=AddresseeMode.AREA,
        addressee_area=_area(BAT_TRANG),
        addressee_kinds=[UnitKind.COMMUNE_UNION, UnitKind.GRASSROOTS_UNION],
    )
    assert _delivered(unions) == {"HN-LDLD-CDX-GIALAM", "HN-LDLD-CDX-GIALAM-0001"}
    assert unions.kinh_gui == "Công đoàn xã, phường, Các công đoàn cơ sở trên địa bàn xã Bát Tràng"
    # A district federation reaches only its own system: nobody of Gia Lâm district covers Đống Đa.
    unit_coverage_set(unit=communes.gl2, area_codes=[GIA_LAM], valid_from=JULY)
    district = make_document(
        unit=communes.gialam,
        by=communes.gialam_officer,
        issued_on=SEPT,
        tasks=[],
        addressee_mode=AddresseeMode.AREA,
        addressee_area=_area(GIA_LAM),
    )
    assert Document.objects.get(pk=district.pk).addressee_area.code == GIA_LAM
    assert set(document_addressees(district).values_list("code", flat=True)) == {"HN-LDLD-GIALAM-0002"}
    document_issue(document=district, by=communes.gialam_officer)
    assert _delivered(district) == {"HN-LDLD-GIALAM-0002"}


def test_area_addressing_needs_an_area_that_exists_on_the_date(communes, make_document):
    with pytest.raises(PortalError, match="Chưa chọn phường, xã") as error:
        make_document(
            unit=communes.federation,
            by=communes.city_officer,
            issued_on=SEPT,
            tasks=[],
            addressee_mode=AddresseeMode.AREA,
        )
    assert error.value.field == "addressee_area"
    with pytest.raises(PortalError, match=r"Vào ngày văn bản \(30/06/2025\) chưa có hoặc không còn Phường Kim Liên"):
        make_document(
            unit=communes.federation,
            by=communes.city_officer,
            issued_on=dt.date(2025, 6, 30),
            tasks=[],
            addressee_mode=AddresseeMode.AREA,
            addressee_area=_area(KIM_LIEN),
        )
    assert Document.objects.count() == 0


def test_area_is_kept_only_in_area_mode(communes):
    document = document_create(
        issuing_unit=communes.federation,
        by=communes.city_officer,
        data=draft_data(issued_on=SEPT, tasks=[], addressee_mode=AddresseeMode.AREA, addressee_area=_area(KIM_LIEN)),
    )
    assert draft_data_from(document).addressee_area == _area(KIM_LIEN)
    data = draft_data(issued_on=SEPT, tasks=[], addressee_mode=AddresseeMode.SUBTREE, addressee_area=_area(KIM_LIEN))
    document_update(document=document, by=communes.city_officer, data=data)
    document.refresh_from_db()
    assert (document.addressee_mode, document.addressee_area) == (AddresseeMode.SUBTREE, None)


def test_form_offers_the_areas_and_saves_the_choice(communes, login):
    client = login(communes.city_officer)
    page = client.get(reverse("directives:document_create"))
    html = page.content.decode()
    assert 'data-filter-options="id_addressee_area"' in html
    assert '<option value="00229">Phường Kim Liên (00229)</option>' in html
    response = client.post(
        reverse("directives:document_create"),
        {
            "issuing_unit": communes.federation.pk,
            "doc_type": "CV",
            "place": "Hà Nội",
            "issued_on": "2025-09-15",
            "subject": "Tuyên truyền cải cách thủ tục hành chính trên địa bàn",
            "addressee_mode": "area",
            "addressee_area": KIM_LIEN,
            "body": "Đề nghị các công đoàn cơ sở triển khai.",
            "signer_position": "CHỦ TỊCH",
            "signer_name": "Nguyễn Văn A",
        },
    )
    assert response.status_code == 302
    document = Document.objects.get()
    assert (document.addressee_mode, document.addressee_area.code) == (AddresseeMode.AREA, KIM_LIEN)
    edit = client.get(reverse("directives:document_edit", args=[document.pk])).content.decode()
    assert '<option value="00229" selected>Phường Kim Liên (00229)</option>' in edit


def test_form_shows_the_missing_area_beside_its_field(communes, login):
    response = login(communes.city_officer).post(
        reverse("directives:document_create"),
        {
            "issuing_unit": communes.federation.pk,
            "doc_type": "CV",
            "place": "Hà Nội",
            "issued_on": "2025-09-15",
            "subject": "Tuyên truyền",
            "addressee_mode": "area",
            "body": "Nội dung.",
            "signer_position": "CHỦ TỊCH",
            "signer_name": "Nguyễn Văn A",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["addressee_area"] == ["Chưa chọn phường, xã nhận văn bản."]
    assert Document.objects.count() == 0


# ---------------------------------------------------------------- cascade filter


@pytest.fixture
def plan_2025(communes, make_document):
    """A city plan of September 2025 to every grassroots union and commune union of the city system."""
    return make_document(
        unit=communes.federation,
        by=communes.city_officer,
        issue=True,
        issued_on=SEPT,
        tasks=[],
        addressee_mode=AddresseeMode.SUBTREE,
    )


def test_cascade_filtered_by_area_on_the_documents_date(communes, plan_2025):
    filters = CascadeFilters(area=_area(KIM_LIEN))
    codes = set(
        cascade_deliveries(document=plan_2025, user=communes.admin, filters=filters).values_list(
            "unit__code", flat=True
        )
    )
    assert codes == {"HN-LDLD-CDP-DONGDA", "HN-LDLD-CDP-DONGDA-0001", "HN-LDLD-CDP-DONGDA-0002"}
    # A coverage that begins after the document's date does not count for it.
    unit_coverage_set(unit=communes.gl1, area_codes=[KIM_LIEN], valid_from=dt.date(2025, 10, 1))
    assert (
        set(
            cascade_deliveries(document=plan_2025, user=communes.admin, filters=filters).values_list(
                "unit__code", flat=True
            )
        )
        == codes
    )


def test_cascade_page_accepts_area(communes, plan_2025, login, django_assert_max_num_queries, export_file):
    client = login(communes.city_head)
    url = reverse("directives:cascade", args=[plan_2025.pk])
    with django_assert_max_num_queries(25):
        response = client.get(url, {"area": DONG_DA})
    assert response.status_code == 200
    assert [r["d"].unit.code for r in response.context["rows"]] == ["HN-LDLD-CDP-DONGDA", "HN-LDLD-CDP-DONGDA-0003"]
    assert response.context["totals"]["delivered"] == 2
    assert 'data-filter-options="id_area"' in response.content.decode()
    everything = client.get(url)
    assert everything.context["totals"]["delivered"] == Delivery.objects.filter(document=plan_2025).count()
    xlsx = export_file(client, reverse("directives:cascade_xlsx", args=[plan_2025.pk]) + f"?area={DONG_DA}")
    assert xlsx.status_code == 200
    unknown = client.get(url, {"area": "99999"})
    assert unknown.status_code == 200
    assert "area" in unknown.context["form"].errors
