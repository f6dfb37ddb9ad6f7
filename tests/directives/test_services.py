import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from campaign_portal.exceptions import PortalError
from directives.deliveries import delivery_acknowledge, delivery_mark_done, delivery_mark_not_applicable
from directives.enums import AddresseeMode, DeliveryOutcome, DocumentType, LinkKind
from directives.models import Delivery, Document, Register
from directives.services import (
    attachment_add,
    document_draft_implementing,
    document_issue,
    document_legal_bases,
    document_update,
    draft_data_from,
)
from organizations.enums import UnitKind
from tests.upload_samples import pdf_bytes

from .conftest import at, draft_data

pytestmark = pytest.mark.django_db


def test_issue_numbers_per_unit_and_year_with_leading_zero(tree, make_document):
    first = make_document(unit=tree.city, by=tree.admin, issue=True)
    second = make_document(unit=tree.city, by=tree.admin, issue=True, doc_type=DocumentType.CONG_VAN)
    other_unit = make_document(unit=tree.federation, by=tree.city_officer, issue=True, doc_type=DocumentType.HUONG_DAN)
    next_year = make_document(unit=tree.city, by=tree.admin, issue=True, issued_on=dt.date(2020, 1, 2))
    assert [first.number_symbol, second.number_symbol] == ["01/KH-UBND", "02/UBND"]
    assert other_unit.number_symbol == "01/HD-LĐLĐ"
    assert next_year.number_symbol == "01/KH-UBND"


def test_issue_takes_number_in_register_of_issue_year_and_redates_draft(tree, make_document):
    for day in (dt.date(2025, 3, 2), dt.date(2025, 12, 29)):
        make_document(
            unit=tree.federation, by=tree.city_officer, issue=True, issued_on=day, doc_type=DocumentType.CONG_VAN
        )
    draft = make_document(
        unit=tree.federation,
        by=tree.city_officer,
        issued_on=dt.date(2025, 12, 30),
        doc_type=DocumentType.CONG_VAN,
        tasks=[("Báo cáo", dt.date(2026, 1, 30))],
    )
    issued = document_issue(document=draft, by=tree.city_head, now=at(dt.date(2026, 1, 2), 8))
    assert (issued.number, issued.number_symbol, issued.issued_on) == (1, "01/LĐLĐ", dt.date(2026, 1, 2))
    assert (issued.register.year, issued.register.unit) == (2026, tree.federation)
    second = make_document(
        unit=tree.federation,
        by=tree.city_officer,
        issue=True,
        issued_on=dt.date(2026, 1, 5),
        doc_type=DocumentType.CONG_VAN,
        tasks=[("Báo cáo", dt.date(2026, 1, 30))],
    )
    assert (second.number_symbol, second.register_id) == ("02/LĐLĐ", issued.register_id)
    assert sorted(Register.objects.filter(unit=tree.federation).values_list("year", "last_number")) == [
        (2025, 2),
        (2026, 2),
    ]
    assert Document.objects.get(pk=issued.pk).issued_on == dt.date(2026, 1, 2)


def test_issue_year_is_the_year_in_hanoi(tree, make_document):
    """17:30 UTC on 31 December is already 00:30 on 1 January in Hanoi: the new year's register."""
    draft = make_document(
        unit=tree.federation,
        by=tree.city_officer,
        issued_on=dt.date(2025, 12, 31),
        tasks=[("Báo cáo", dt.date(2026, 3, 1))],
    )
    issued = document_issue(document=draft, by=tree.city_head, now=dt.datetime(2025, 12, 31, 17, 30, tzinfo=dt.UTC))
    assert (issued.register.year, issued.number_symbol, issued.issued_on) == (2026, "01/KH-LĐLĐ", dt.date(2026, 1, 1))


def test_issue_keeps_date_within_issue_year(tree, make_document):
    draft = make_document(
        unit=tree.federation,
        by=tree.city_officer,
        issued_on=dt.date(2026, 1, 3),
        tasks=[("Báo cáo", dt.date(2026, 3, 1))],
    )
    issued = document_issue(document=draft, by=tree.city_head, now=at(dt.date(2026, 1, 5)))
    assert (issued.issued_on, issued.register.year) == (dt.date(2026, 1, 3), 2026)


def test_issue_delivers_to_subtree_with_lineage(tree, make_document):
    document = make_document(unit=tree.federation, by=tree.city_officer, issue=True)
    deliveries = {d.unit.code: d for d in Delivery.objects.filter(document=document).select_related("unit")}
    assert sorted(deliveries) == sorted(
        [
            "HN-LDLD-GIALAM",
            "HN-LDLD-DONGANH",
            "HN-LDLD-GIALAM-0001",
            "HN-LDLD-GIALAM-0002",
            "HN-LDLD-DONGANH-0001",
            "HN-LDLD-0001",
        ]
    )
    assert deliveries["HN-LDLD-GIALAM-0001"].lineage == "/HN/HN-LDLD/HN-LDLD-GIALAM/HN-LDLD-GIALAM-0001/"
    assert deliveries["HN-LDLD-GIALAM-0001"].due_on == dt.date(2019, 9, 30)


def test_issue_children_of_kind_only_direct_children(tree, make_document):
    document = make_document(
        unit=tree.federation,
        by=tree.city_officer,
        issue=True,
        addressee_mode=AddresseeMode.CHILDREN_OF_KIND,
        addressee_kinds=[UnitKind.DISTRICT_FEDERATION],
    )
    assert set(document.deliveries.values_list("unit__code", flat=True)) == {"HN-LDLD-GIALAM", "HN-LDLD-DONGANH"}
    assert document.kinh_gui == "Liên đoàn Lao động các quận, huyện, thị xã"
    assert document.noi_nhan.splitlines() == [
        "- Thường trực Ủy ban nhân dân Thành phố Hà Nội (để b/c);",
        "- Như Kính gửi (để thực hiện);",
        "- Lưu: VT.",
    ]


def test_issue_refuses_missing_addressees(tree, make_document):
    with pytest.raises(PortalError) as error:
        make_document(unit=tree.federation, by=tree.city_officer, addressee_mode=AddresseeMode.UNITS)
    assert str(error.value) == "Chưa chọn đơn vị nhận (Kính gửi)."
    document = make_document(unit=tree.gl1, by=tree.gl1_officer)  # a leaf: its subtree is empty
    with pytest.raises(PortalError) as error:
        document_issue(document=document, by=tree.gl1_officer)
    assert "chưa có nơi nhận" in str(error.value)


def test_issued_document_is_immutable(tree, make_document):
    document = make_document(unit=tree.federation, by=tree.city_officer, issue=True)
    with pytest.raises(PortalError):
        document_update(document=document, by=tree.city_officer, data=draft_data())
    with pytest.raises(PortalError):
        document_issue(document=document, by=tree.city_officer)
    assert Document.objects.get(pk=document.pk).number == 1


def test_implementing_document_legal_basis_and_completion(tree, make_document):
    plan = make_document(unit=tree.federation, by=tree.city_officer, issue=True)
    delivery = Delivery.objects.get(document=plan, unit=tree.gialam)
    draft = document_draft_implementing(delivery=delivery, by=tree.gialam_officer, today=dt.date(2019, 4, 1))
    assert draft == document_draft_implementing(delivery=delivery, by=tree.gialam_officer)  # double click: one draft
    assert draft.addressee_kinds == [UnitKind.GRASSROOTS_UNION]
    assert list(draft.tasks.values_list("deadline", flat=True)) == [dt.date(2019, 9, 30)]
    assert document_legal_bases(draft) == [
        f"Thực hiện Kế hoạch số {plan.number_symbol} ngày 29/01/2019 của Liên đoàn Lao động Thành phố Hà Nội "
        "về Thông tin, tuyên truyền về kiểm soát thủ tục hành chính năm 2019."
    ]
    issued = document_issue(document=draft, by=tree.gialam_head)
    assert issued.number_symbol == "01/HD-LĐLĐ"
    delivery.refresh_from_db()
    assert (delivery.outcome, delivery.implementing_document) == (DeliveryOutcome.BY_DOCUMENT, issued)
    assert set(issued.deliveries.values_list("unit__code", flat=True)) == {"HN-LDLD-GIALAM-0001", "HN-LDLD-GIALAM-0002"}


def test_implementing_deadline_after_parent_refused(tree, make_document):
    plan = make_document(unit=tree.federation, by=tree.city_officer, issue=True)
    with pytest.raises(PortalError) as error:
        make_document(
            unit=tree.gialam, by=tree.gialam_officer, implements=[plan], tasks=[("Báo cáo", dt.date(2019, 10, 15))]
        )
    assert str(error.value) == (
        f"Thời hạn “Báo cáo” (15/10/2019) muộn hơn thời hạn của văn bản cấp trên {plan.number_symbol} (30/09/2019)."
    )


def test_implementing_unreceived_document_refused(tree, make_document):
    plan = make_document(
        unit=tree.federation,
        by=tree.city_officer,
        issue=True,
        addressee_mode=AddresseeMode.UNITS,
        addressee_units=[tree.donganh],
    )
    with pytest.raises(PortalError) as error:
        make_document(unit=tree.gialam, by=tree.gialam_officer, implements=[plan])
    assert error.value.field == "implements"
    assert "chưa nhận văn bản" in str(error.value)


def test_amend_links_to_issued_document_of_same_unit(tree, make_document):
    original = make_document(unit=tree.federation, by=tree.city_officer, issue=True)
    fix = make_document(unit=tree.federation, by=tree.city_officer, issue=True, amends=original)
    assert list(original.links_in.values_list("source_id", "kind")) == [(fix.pk, LinkKind.AMENDS)]
    other = make_document(unit=tree.gialam, by=tree.gialam_officer, issue=True)
    with pytest.raises(PortalError):
        make_document(unit=tree.federation, by=tree.city_officer, replaces=other)
    assert original.history.count() == 2  # created, issued


def test_acknowledge_and_complete(tree, make_document):
    plan = make_document(unit=tree.federation, by=tree.city_officer, issue=True)
    delivery = Delivery.objects.get(document=plan, unit=tree.gl1)
    delivery_acknowledge(delivery=delivery, by=tree.gl1_officer)
    delivery_acknowledge(delivery=delivery, by=tree.gl1_officer)
    delivery.refresh_from_db()
    assert delivery.acknowledged_by == tree.gl1_officer
    with pytest.raises(PortalError) as error:
        delivery_mark_done(delivery=delivery, by=tree.gl1_officer, result_note="  ")
    assert str(error.value) == "Hãy ghi ngắn gọn kết quả thực hiện."
    done = delivery_mark_done(delivery=delivery, by=tree.gl1_officer, result_note="Đã tuyên truyền cho 48 ĐV")
    assert done.outcome == DeliveryOutcome.DONE
    other = Delivery.objects.get(document=plan, unit=tree.gl2)
    with pytest.raises(PortalError) as error:
        delivery_mark_not_applicable(delivery=other, by=tree.gl2_officer, reason="")
    assert str(error.value) == "Báo “không áp dụng” cần nêu lý do."


def test_draft_data_roundtrip(tree, make_document):
    document = make_document(
        unit=tree.federation,
        by=tree.city_officer,
        appendix_rows=[
            dict(
                task="In tờ rơi",
                deciding_body="",
                implementing_body="",
                result="",
                media_partner="",
                budget_note="",
                amount=1000,
                period="",
            )
        ],
    )
    data = draft_data_from(document)
    assert data.tasks == [("Báo cáo kết quả", dt.date(2019, 9, 30))]
    assert data.appendix_rows[0]["amount"] == 1000


PDF_BYTES = pdf_bytes()


def test_attachment_type_checked_by_content(tree, make_document):
    document = make_document(unit=tree.federation, by=tree.city_officer)
    ok = attachment_add(
        document=document, by=tree.city_officer, uploaded_file=SimpleUploadedFile("ke-hoach.pdf", PDF_BYTES)
    )
    assert ok.content_type == "application/pdf"
    with pytest.raises(PortalError) as error:
        attachment_add(
            document=document,
            by=tree.city_officer,
            uploaded_file=SimpleUploadedFile("virus.pdf", b"MZ\x90\x00" + b"\x00" * 100),
        )
    assert str(error.value) == (
        "Tệp đính kèm: loại tệp không được chấp nhận (kiểm tra theo nội dung tệp, không theo "
        "tên). Chỉ nhận: PDF, DOCX, XLSX, JPEG, PNG, WEBP."
    )


@override_settings(UPLOAD_MAX_BYTES={"attachment": 1000})
def test_attachment_too_big_refused(tree, make_document):
    document = make_document(unit=tree.federation, by=tree.city_officer)
    with pytest.raises(PortalError) as error:
        attachment_add(
            document=document,
            by=tree.city_officer,
            uploaded_file=SimpleUploadedFile("big.pdf", PDF_BYTES + b"0" * 2000),
        )
    assert str(error.value) == "Tệp đính kèm: tệp quá lớn (0,0 MB); tối đa 0,0 MB."
