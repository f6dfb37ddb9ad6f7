import datetime as dt
import io
from unittest import mock

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from directives.enums import AddresseeMode, DeliveryOutcome, DocumentStatus
from directives.models import Delivery, Document
from directives.services import deliveries_create
from organizations.enums import UnitKind
from organizations.models import Unit

from ..factories import make_unit
from ..upload_samples import pdf_bytes, png_bytes
from .conftest import at

pytestmark = pytest.mark.django_db


def _form(**overrides):
    data = {
        "issuing_unit": "",
        "doc_type": "HD",
        "place": "Gia Lâm",
        "issued_on": "2019-04-01",
        "subject": "Triển khai Kế hoạch 33",
        "addressee_mode": "children_of_kind",
        "addressee_kinds": ["grassroots_union"],
        "body": "I. MỤC ĐÍCH\n- <b>Tuyên truyền</b>",
        "tasks_text": "30/09/2019 | Báo cáo kết quả",
        "signer_position": "CHỦ TỊCH",
        "signer_name": "Nguyễn Đức Thế",
    }
    data.update(overrides)
    return data


def test_officer_drafts_and_issues(tree, login):
    client = login(tree.gialam_officer)
    response = client.post("/directives/new/", _form(issuing_unit=tree.gialam.pk))
    document = Document.objects.get()
    assert response.status_code == 302
    assert document.kinh_gui == "Các công đoàn cơ sở trực thuộc"
    response = client.post(f"/directives/{document.pk}/issue/")
    document.refresh_from_db()
    assert (document.status, document.number_symbol) == (DocumentStatus.ISSUED, "01/HD-LĐLĐ")
    page = client.get(f"/directives/{document.pk}/").content.decode()
    assert "&lt;b&gt;Tuyên truyền&lt;/b&gt;" in page and "<b>Tuyên truyền</b>" not in page
    assert client.get(f"/directives/{document.pk}/edit/").status_code == 404  # immutable


def test_form_error_keeps_input(tree, login, make_document):
    plan = make_document(unit=tree.federation, by=tree.city_officer, issue=True)
    client = login(tree.gialam_officer)
    response = client.post(
        "/directives/new/",
        _form(issuing_unit=tree.gialam.pk, implements=[plan.pk], tasks_text="15/10/2019 | Báo cáo muộn"),
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "muộn hơn thời hạn của văn bản cấp trên" in html
    assert "15/10/2019 | Báo cáo muộn" in html
    response = client.post("/directives/new/", _form(issuing_unit=tree.gialam.pk, addressee_kinds=[]))
    assert "Chưa chọn loại đơn vị nhận (Kính gửi)." in response.content.decode()
    assert Document.objects.filter(issuing_unit=tree.gialam).count() == 0


def test_sibling_and_outsider_cannot_draft_for_unit(tree, login):
    response = login(tree.donganh_head).post("/directives/new/", _form(issuing_unit=tree.gialam.pk))
    assert response.status_code == 200 and Document.objects.count() == 0  # not a valid choice
    assert login(tree.outsider).get("/directives/new/").status_code == 404


def test_draft_private_to_issuing_unit(tree, login, make_document):
    draft = make_document(unit=tree.gialam, by=tree.gialam_officer)
    assert login(tree.gialam_head).get(f"/directives/{draft.pk}/").status_code == 200
    for user in (tree.gl1_officer, tree.city_head, tree.donganh_head, tree.outsider):
        assert login(user).get(f"/directives/{draft.pk}/").status_code == 404
        assert login(user).post(f"/directives/{draft.pk}/issue/").status_code == 404
    assert login(tree.admin).get(f"/directives/{draft.pk}/").status_code == 200


def test_issued_visible_to_addressees_and_ancestors_only(tree, login, make_document):
    document = make_document(
        unit=tree.gialam,
        by=tree.gialam_officer,
        issue=True,
        addressee_mode=AddresseeMode.UNITS,
        addressee_units=[tree.gl1],
    )
    for user in (tree.gl1_officer, tree.gialam_head, tree.city_head):
        assert login(user).get(f"/directives/{document.pk}/").status_code == 200
    for user in (tree.gl2_officer, tree.donganh_head, tree.da1_officer, tree.outsider):
        assert login(user).get(f"/directives/{document.pk}/").status_code == 404
        assert login(user).get(f"/directives/{document.pk}/pdf/").status_code == 404
    # an issuer member may not issue twice; a recipient may not issue at all
    assert login(tree.gl1_officer).post(f"/directives/{document.pk}/issue/").status_code == 404


def test_recipient_acknowledges_and_implements(tree, login, make_document):
    document = make_document(unit=tree.gialam, by=tree.gialam_officer, issue=True)
    delivery = Delivery.objects.get(document=document, unit=tree.gl1)
    assert login(tree.gl2_officer).post(f"/directives/deliveries/{delivery.pk}/acknowledge/").status_code == 404
    client = login(tree.gl1_officer)
    client.post(f"/directives/deliveries/{delivery.pk}/open/")
    client.post(f"/directives/deliveries/{delivery.pk}/acknowledge/")
    response = client.post(
        f"/directives/deliveries/{delivery.pk}/implement/", {"outcome": "not_applicable", "reason": ""}
    )
    assert "Báo “không áp dụng” cần nêu lý do." in response.content.decode()
    response = client.post(
        f"/directives/deliveries/{delivery.pk}/implement/",
        {
            "outcome": "done",
            "result_note": "Đã tuyên truyền",
            "evidence": SimpleUploadedFile("anh.png", png_bytes()),
        },
    )
    assert response.status_code == 302
    delivery.refresh_from_db()
    assert (delivery.outcome, delivery.acknowledged_by, delivery.read_at is not None) == (
        DeliveryOutcome.DONE,
        tree.gl1_officer,
        True,
    )
    assert login(tree.gialam_head).get(f"/directives/deliveries/{delivery.pk}/evidence/").status_code == 200
    assert login(tree.gl2_officer).get(f"/directives/deliveries/{delivery.pk}/evidence/").status_code == 404


def test_attachment_served_as_attachment_with_permission(tree, login, make_document):
    document = make_document(unit=tree.gialam, by=tree.gialam_officer)
    client = login(tree.gialam_officer)
    client.post(f"/directives/{document.pk}/attachments/", {"file": SimpleUploadedFile("kh.pdf", pdf_bytes())})
    response = client.post(
        f"/directives/{document.pk}/attachments/", {"file": SimpleUploadedFile("x.pdf", b"<html><script>")}
    )
    attachment = document.attachments.get()
    response = client.get(f"/directives/attachments/{attachment.pk}/")
    assert response["Content-Disposition"].startswith("attachment")
    assert login(tree.donganh_head).get(f"/directives/attachments/{attachment.pk}/").status_code == 404


def test_get_never_changes_state(tree, login, make_document):
    document = make_document(unit=tree.gialam, by=tree.gialam_officer)
    delivery_doc = make_document(unit=tree.gialam, by=tree.gialam_officer, issue=True)
    delivery = Delivery.objects.get(document=delivery_doc, unit=tree.gl1)
    assert login(tree.gialam_officer).get(f"/directives/{document.pk}/issue/").status_code == 405
    assert login(tree.gl1_officer).get(f"/directives/deliveries/{delivery.pk}/acknowledge/").status_code == 405


def _big_tree(tree, districts: int, per_district: int):
    for _i in range(districts):
        district = make_unit(tree.federation, kind=UnitKind.DISTRICT_FEDERATION)
        for _ in range(per_district):
            make_unit(district, kind=UnitKind.GRASSROOTS_UNION)


@pytest.mark.parametrize("size", [(1, 1), (4, 6)])
def test_cascade_page_bounded_queries(tree, login, make_document, django_assert_max_num_queries, size):
    _big_tree(tree, *size)
    document = make_document(unit=tree.federation, by=tree.city_officer, issue=True)  # due 30/09/2019: all late
    client = login(tree.city_officer)
    with django_assert_max_num_queries(14):
        response = client.get(f"/directives/{document.pk}/cascade/")
    assert response.status_code == 200
    assert response.context["totals"]["late"] == Delivery.objects.filter(document=document).count()
    with django_assert_max_num_queries(15):  # + 1: the unit picker names the chosen unit (among those she may see)
        response = client.get(f"/directives/{document.pk}/cascade/?late=on&within=HN-LDLD-GIALAM&kind=grassroots_union")
    assert [r["d"].unit.code for r in response.context["rows"]] == ["HN-LDLD-GIALAM-0001", "HN-LDLD-GIALAM-0002"]
    with django_assert_max_num_queries(14):
        client.get("/directives/")


def test_cascade_head_sees_her_subtree_and_exports(tree, login, make_document, export_file):
    document = make_document(unit=tree.federation, by=tree.city_officer, issue=True)
    response = login(tree.gialam_head).get(f"/directives/{document.pk}/cascade/")
    levels = response.context["levels"]
    assert [(row["unit_kind"], row["delivered"]) for row in levels] == [
        ("district_federation", 1),
        ("grassroots_union", 2),
    ]
    response = export_file(login(tree.gialam_head), f"/directives/{document.pk}/cascade.xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(response.getvalue())).active
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == [
        "HN-LDLD-GIALAM",
        "HN-LDLD-GIALAM-0001",
        "HN-LDLD-GIALAM-0002",
    ]
    assert login(tree.da1_officer).get(f"/directives/{document.pk}/cascade/").status_code == 200
    assert login(tree.outsider).get(f"/directives/{document.pk}/cascade/").status_code == 404


def test_register_page_and_export(tree, login, make_document):
    make_document(unit=tree.gialam, by=tree.gialam_officer, issue=True)
    client = login(tree.gialam_head)
    response = client.get(f"/directives/register/?unit={tree.gialam.pk}&year=2019")
    assert [d.number_symbol for d in response.context["entries"]] == ["01/KH-LĐLĐ"]
    response = client.get(f"/directives/register.xlsx?unit={tree.gialam.pk}&year=2019")
    sheet = openpyxl.load_workbook(io.BytesIO(response.getvalue())).active
    assert list(sheet.iter_rows(min_row=2, values_only=True))[0][:2] == (1, "01/KH-LĐLĐ")
    assert (
        login(tree.donganh_head).get(f"/directives/register/?unit={tree.gialam.pk}&year=2019").context["entries"] == []
    )


def test_bulk_deliveries_copy_lineage(tree, make_document):
    document = make_document(unit=tree.federation, by=tree.city_officer)
    units = Unit.objects.filter(path__startswith=tree.gialam.path)
    assert deliveries_create(document=document, units=units, now=document.created_at) == 3
    row = Delivery.objects.get(document=document, unit=tree.gl1)
    assert (row.lineage, row.depth, row.unit_kind, row.outcome, row.due_on) == (
        tree.gl1.lineage,
        tree.gl1.depth,
        "grassroots_union",
        DeliveryOutcome.PENDING,
        dt.date(2019, 9, 30),
    )
    assert row.delivered_at == document.created_at


REDATED = (
    "Văn bản được ghi ngày 02/01/2026 (ngày ban hành), không phải ngày 30/12/2025 của dự thảo: "
    "số văn bản lấy trong sổ văn bản đi năm 2026."
)


@pytest.mark.parametrize(
    "drafted_on, issue_day, dated, notice",
    [
        ("2025-12-30", dt.date(2026, 1, 2), dt.date(2026, 1, 2), REDATED),  # another year: re-dated, and said so
        ("2026-01-02", dt.date(2026, 1, 5), dt.date(2026, 1, 2), None),  # the issue year: keeps its date
    ],
)
def test_issue_dates_the_document_in_the_issue_year(tree, login, drafted_on, issue_day, dated, notice):
    client = login(tree.gialam_officer)
    client.post(
        "/directives/new/",
        _form(issuing_unit=tree.gialam.pk, issued_on=drafted_on, tasks_text="30/01/2026 | Báo cáo kết quả"),
    )
    draft = Document.objects.get()
    with mock.patch.object(timezone, "now", return_value=at(issue_day)):
        page = client.get(f"/directives/{draft.pk}/").content.decode()
        assert ("Văn bản được ghi ngày" in page) == bool(notice)
        assert notice is None or notice in page
        response = client.post(f"/directives/{draft.pk}/issue/", follow=True)
    assert [str(m) for m in response.context["messages"]] == ["Đã ban hành văn bản số 01/HD-LĐLĐ.", notice][
        : 2 if notice else 1
    ]
    draft.refresh_from_db()
    assert (draft.issued_on, draft.register.year) == (dated, 2026)


def test_register_lists_by_year_numbers_restart(tree, login, make_document, django_assert_max_num_queries):
    for day in (dt.date(2025, 5, 4), dt.date(2025, 11, 20), dt.date(2026, 1, 2)):
        make_document(
            unit=tree.gialam,
            by=tree.gialam_officer,
            issue=True,
            issued_on=day,
            tasks=[("Báo cáo", dt.date(2026, 12, 1))],
        )
    client = login(tree.gialam_head)
    with django_assert_max_num_queries(10):
        response = client.get(f"/directives/register/?unit={tree.gialam.pk}&year=2025")
    assert [(d.number, d.number_symbol) for d in response.context["entries"]] == [(1, "01/KH-LĐLĐ"), (2, "02/KH-LĐLĐ")]
    assert response.context["years"] == [2026, 2025]
    page = response.content.decode()
    assert f'href="?unit={tree.gialam.pk}&amp;year=2026">Sổ năm 2026</a>' in page
    response = client.get(f"/directives/register/?unit={tree.gialam.pk}&year=2026")
    assert [(d.number, d.issued_on) for d in response.context["entries"]] == [(1, dt.date(2026, 1, 2))]
    assert (
        login(tree.donganh_head).get(f"/directives/register/?unit={tree.gialam.pk}&year=2025").context["entries"] == []
    )
