"""The one official-document header (organizations.documents): from the unit tree, as it stood on the document's date."""

import datetime as dt

import pytest
from django.utils import timezone

from organizations.documents import (
    BLANK_NUMBER,
    DocumentType,
    number_symbol_format,
    official_header,
    unit_issuer_symbol,
)
from organizations.services import unit_update, units_move
from reporting.exports import official_context

pytestmark = pytest.mark.django_db

MOVED_ON = dt.date(2025, 7, 1)


def test_number_symbol_format_type_issuer_and_suffix():
    assert number_symbol_format(doc_type=DocumentType.KE_HOACH, issuer="UBND", number=33) == "33/KH-UBND"
    assert number_symbol_format(doc_type=DocumentType.HUONG_DAN, issuer="LĐLĐ", number=3) == "03/HD-LĐLĐ"
    assert number_symbol_format(doc_type=DocumentType.CONG_VAN, issuer="LĐLĐ", number=153) == "153/LĐLĐ"
    assert (
        number_symbol_format(doc_type=DocumentType.CONG_VAN, issuer="UBND", number=12, drafting_suffix="VX")
        == "12/UBND-VX"
    )
    assert number_symbol_format(doc_type=DocumentType.BAO_CAO, issuer="LĐLĐ") == f"{BLANK_NUMBER}/BC-LĐLĐ"


def test_unit_issuer_symbol_abbreviation_else_code(tree):
    assert unit_issuer_symbol(tree.gialam) == "LĐLĐ"
    assert unit_issuer_symbol(tree.gl1) == "HN-LDLD-GIALAM-0001"


def test_official_header_parent_from_the_tree(tree):
    assert official_header(unit=tree.gialam, on=None, number_symbol="05/KH-LĐLĐ") == {
        "parent_body": "LIÊN ĐOÀN LAO ĐỘNG THÀNH PHỐ HÀ NỘI",
        "issuing_body": "LIÊN ĐOÀN LAO ĐỘNG HUYỆN GIA LÂM",
        "number_symbol": "05/KH-LĐLĐ",
        "place": "Gia Lâm",
    }


def test_official_header_root_has_no_parent(tree):
    unit_update(unit=tree.city, document_name="Ủy ban nhân dân Thành phố Hà Nội")
    header = official_header(unit=tree.city, on=None)
    assert (header["parent_body"], header["issuing_body"]) == ("", "ỦY BAN NHÂN DÂN THÀNH PHỐ HÀ NỘI")


def test_official_header_document_parent_name_wins(tree):
    unit_update(unit=tree.federation, document_parent_name="Tổng Liên đoàn Lao động Việt Nam")
    header = official_header(unit=tree.federation, on=None)
    assert (header["parent_body"], header["issuing_body"]) == (
        "TỔNG LIÊN ĐOÀN LAO ĐỘNG VIỆT NAM",
        "LIÊN ĐOÀN LAO ĐỘNG THÀNH PHỐ HÀ NỘI",
    )


def test_official_header_parent_of_the_document_date_after_a_move(tree):
    units_move(units=[tree.gl1], new_parent=tree.donganh, effective_on=MOVED_ON, by=tree.admin)
    tree.gl1.refresh_from_db()
    before = official_header(unit=tree.gl1, on=MOVED_ON - dt.timedelta(days=1))
    after = official_header(unit=tree.gl1, on=MOVED_ON)
    assert before["parent_body"] == "LIÊN ĐOÀN LAO ĐỘNG HUYỆN GIA LÂM"
    assert after["parent_body"] == "LIÊN ĐOÀN LAO ĐỘNG HUYỆN ĐÔNG ANH"
    assert official_header(unit=tree.gl1, on=None)["parent_body"] == "LIÊN ĐOÀN LAO ĐỘNG HUYỆN ĐÔNG ANH"
    # A lineage frozen at issue (a directive's) wins over the placement.
    frozen = official_header(unit=tree.gl1, on=MOVED_ON, lineage="/HN/HN-LDLD/HN-LDLD-GIALAM/HN-LDLD-GIALAM-0001/")
    assert frozen["parent_body"] == "LIÊN ĐOÀN LAO ĐỘNG HUYỆN GIA LÂM"


def test_official_header_names_the_units_bore_on_the_document_date(tree):
    """Renamed in 2025: a 2019 document keeps the old names, a 2025 one the new (the clock of each
    rename set through simple-history's _history_date)."""
    for unit, day in ((tree.gialam, dt.date(2019, 1, 1)), (tree.gl1, dt.date(2019, 1, 1))):
        unit._history_date = timezone.make_aware(dt.datetime.combine(day, dt.time(9)))
        unit_update(unit=unit, place_name=unit.place_name)
    tree.gialam._history_date = timezone.make_aware(dt.datetime.combine(MOVED_ON, dt.time(9)))
    unit_update(unit=tree.gialam, name="Liên đoàn Lao động xã Gia Lâm")
    tree.gl1._history_date = timezone.make_aware(dt.datetime.combine(MOVED_ON, dt.time(9)))
    unit_update(unit=tree.gl1, name="Công đoàn cơ sở UBND xã Gia Lâm")
    old = official_header(unit=tree.gl1, on=dt.date(2019, 3, 1))
    new = official_header(unit=tree.gl1, on=dt.date(2025, 8, 1))
    assert (old["parent_body"], old["issuing_body"]) == (
        "LIÊN ĐOÀN LAO ĐỘNG HUYỆN GIA LÂM",
        "CÔNG ĐOÀN CƠ SỞ UBND THỊ TRẤN TRÂU QUỲ",
    )
    assert (new["parent_body"], new["issuing_body"]) == (
        "LIÊN ĐOÀN LAO ĐỘNG XÃ GIA LÂM",
        "CÔNG ĐOÀN CƠ SỞ UBND XÃ GIA LÂM",
    )


def test_official_header_committee_under_its_unit(tree):
    header = official_header(unit=tree.gialam, on=None, committee="BAN TỔ CHỨC CUỘC THI")
    assert (header["parent_body"], header["issuing_body"], header["place"]) == (
        "LIÊN ĐOÀN LAO ĐỘNG HUYỆN GIA LÂM",
        "BAN TỔ CHỨC CUỘC THI",
        "Gia Lâm",
    )


# ---------------------------------------------------------------- the reporting "Báo cáo"


def test_report_header_from_the_tree_and_signer_authority_from_the_unit(tree, q1_2019):
    unit_update(unit=tree.gialam, signer_authority="TM. BAN THƯỜNG VỤ")
    context = official_context(unit=tree.gialam, period=q1_2019)
    assert (context["parent_body"], context["issuing_body"], context["number_symbol"], context["place"]) == (
        "LIÊN ĐOÀN LAO ĐỘNG THÀNH PHỐ HÀ NỘI",
        "LIÊN ĐOÀN LAO ĐỘNG HUYỆN GIA LÂM",
        f"{BLANK_NUMBER}/BC-LĐLĐ",
        "Gia Lâm",
    )
    assert (context["doc_type_label"], context["signer_authority"]) == ("BÁO CÁO", "TM. BAN THƯỜNG VỤ")
    # A unit without the setting signs without an authority line.
    assert official_context(unit=tree.donganh, period=q1_2019)["signer_authority"] == ""


def test_report_header_names_the_parent_of_the_period(tree, q1_2019):
    """A grassroots union moved in 2025: its 2019 report is headed by the 2019 parent."""
    units_move(units=[tree.gl1], new_parent=tree.donganh, effective_on=MOVED_ON, by=tree.admin)
    tree.gl1.refresh_from_db()
    context = official_context(unit=tree.gl1, period=q1_2019)
    assert context["parent_body"] == "LIÊN ĐOÀN LAO ĐỘNG HUYỆN GIA LÂM"


def test_implementing_draft_takes_the_units_signer_authority(tree):
    from directives.enums import AddresseeMode
    from directives.models import Delivery
    from directives.services import document_create, document_draft_implementing, document_issue
    from tests.directives.conftest import at, draft_data

    unit_update(unit=tree.gialam, signer_authority="TM. BAN THƯỜNG VỤ")
    plan = document_create(
        issuing_unit=tree.federation, by=tree.city_officer, data=draft_data(addressee_mode=AddresseeMode.SUBTREE)
    )
    plan = document_issue(document=plan, by=tree.city_officer, now=at(plan.issued_on))
    gialam = document_draft_implementing(
        delivery=Delivery.objects.get(document=plan, unit=tree.gialam), by=tree.gialam_officer
    )
    donganh = document_draft_implementing(
        delivery=Delivery.objects.get(document=plan, unit=tree.donganh), by=tree.donganh_head
    )
    assert (gialam.signer_authority, donganh.signer_authority) == ("TM. BAN THƯỜNG VỤ", "")
