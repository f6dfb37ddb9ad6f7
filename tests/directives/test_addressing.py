"""The ticked kinds of unit hold in every addressing mode, and a subtree's root never receives its own document."""

import datetime as dt

import pytest

from campaign_portal.exceptions import PortalError
from directives.enums import AddresseeMode
from directives.models import Delivery
from directives.services import document_addressees, document_issue
from organizations.enums import UnitKind
from organizations.models import AdministrativeArea
from tests.conftest import BAT_TRANG

GRASSROOTS = [UnitKind.GRASSROOTS_UNION]


def _codes(units) -> set[str]:
    return set(units.values_list("code", flat=True))


def _delivered(document) -> set[str]:
    return set(Delivery.objects.filter(document=document).values_list("unit__code", flat=True))


def test_subtree_of_a_district_with_only_grassroots_unions_ticked(tree, make_document):
    # The reported case: the city ticks "Công đoàn cơ sở" under Gia Lâm; the district federation is not one.
    document = make_document(
        unit=tree.city,
        by=tree.admin,
        addressee_mode=AddresseeMode.SUBTREE,
        addressee_root=tree.gialam,
        addressee_kinds=GRASSROOTS,
    )
    assert _codes(document_addressees(document)) == {"HN-LDLD-GIALAM-0001", "HN-LDLD-GIALAM-0002"}
    assert document.kinh_gui == "Các công đoàn cơ sở thuộc Liên đoàn Lao động huyện Gia Lâm"
    document_issue(document=document, by=tree.admin)
    assert _delivered(document) == {"HN-LDLD-GIALAM-0001", "HN-LDLD-GIALAM-0002"}


def test_subtree_root_never_receives_its_own_subtree(tree, make_document):
    document = make_document(
        unit=tree.city, by=tree.admin, addressee_mode=AddresseeMode.SUBTREE, addressee_root=tree.gialam
    )
    assert _codes(document_addressees(document)) == {"HN-LDLD-GIALAM-0001", "HN-LDLD-GIALAM-0002"}


def test_subtree_of_the_issuer_filtered_by_kind(tree, make_document):
    document = make_document(
        unit=tree.federation,
        by=tree.city_officer,
        addressee_mode=AddresseeMode.SUBTREE,
        addressee_kinds=[UnitKind.DISTRICT_FEDERATION],
    )
    assert _codes(document_addressees(document)) == {"HN-LDLD-GIALAM", "HN-LDLD-DONGANH"}


def test_children_of_kind_only_direct_children_of_the_ticked_kind(tree, make_document):
    document = make_document(
        unit=tree.federation,
        by=tree.city_officer,
        addressee_mode=AddresseeMode.CHILDREN_OF_KIND,
        addressee_kinds=GRASSROOTS,
    )
    assert _codes(document_addressees(document)) == {"HN-LDLD-0001"}


def test_chosen_units_of_any_kind_when_none_is_ticked(tree, make_document):
    document = make_document(
        unit=tree.federation,
        by=tree.city_officer,
        addressee_mode=AddresseeMode.UNITS,
        addressee_units=[tree.gialam, tree.gl1],
    )
    assert _codes(document_addressees(document)) == {"HN-LDLD-GIALAM", "HN-LDLD-GIALAM-0001"}


def test_chosen_unit_outside_the_ticked_kinds_refused(tree, make_document):
    with pytest.raises(PortalError) as error:
        make_document(
            unit=tree.federation,
            by=tree.city_officer,
            addressee_mode=AddresseeMode.UNITS,
            addressee_units=[tree.gialam, tree.gl1],
            addressee_kinds=GRASSROOTS,
        )
    assert (str(error.value), error.value.field) == (
        "Đơn vị không thuộc loại đơn vị nhận đã chọn: Liên đoàn Lao động huyện Gia Lâm.",
        "addressee_units",
    )
    document = make_document(
        unit=tree.federation,
        by=tree.city_officer,
        addressee_mode=AddresseeMode.UNITS,
        addressee_units=[tree.gl1, tree.gl2],
        addressee_kinds=GRASSROOTS,
    )
    assert _codes(document_addressees(document)) == {"HN-LDLD-GIALAM-0001", "HN-LDLD-GIALAM-0002"}


def test_area_with_only_commune_unions_ticked(communes, make_document):
    document = make_document(
        unit=communes.federation,
        by=communes.city_officer,
        issued_on=dt.date(2025, 9, 15),
        tasks=[],
        addressee_mode=AddresseeMode.AREA,
        addressee_area=AdministrativeArea.objects.get(code=BAT_TRANG),
        addressee_kinds=[UnitKind.COMMUNE_UNION],
    )
    assert _codes(document_addressees(document)) == {"HN-LDLD-CDX-GIALAM"}
