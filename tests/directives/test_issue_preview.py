"""Issuing with a look back: a preview that writes nothing, one confirmation that issues once."""

import io

import pypdf
import pytest
from django.contrib.messages import get_messages
from django.utils import timezone

from directives.enums import AddresseeMode, DocumentStatus
from directives.models import Delivery, Document, Register
from directives.services import document_addressees, document_issue
from organizations.enums import UnitKind

from ..factories import make_unit

pytestmark = pytest.mark.django_db


def _draft(tree, make_document, **overrides):
    values = dict(
        unit=tree.federation,
        by=tree.city_officer,
        issued_on=timezone.localdate(),
        tasks=[],
        addressee_mode=AddresseeMode.SUBTREE,
        addressee_kinds=[UnitKind.GRASSROOTS_UNION],
    )
    values.update(overrides)
    return make_document(**values)


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_preview_shows_recipients_expected_number_and_date_and_writes_nothing(tree, login, make_document):
    draft = _draft(tree, make_document)
    client = login(tree.city_officer)
    response = client.get(f"/directives/{draft.pk}/issue/preview/")
    assert response.status_code == 200
    preview = response.context["preview"]
    assert (preview.expected_number_symbol, preview.issue_day, preview.addressee_count) == (
        "01/KH-LĐLĐ",
        timezone.localdate(),
        4,
    )
    shown = [unit.code for unit in response.context["page"]]
    assert sorted(shown) == sorted(document_addressees(draft).values_list("code", flat=True))
    assert sorted(shown) == ["HN-LDLD-0001", "HN-LDLD-DONGANH-0001", "HN-LDLD-GIALAM-0001", "HN-LDLD-GIALAM-0002"]
    assert [(k["kind"], k["count"]) for k in preview.kind_counts] == [(UnitKind.GRASSROOTS_UNION, 4)]
    page = response.content.decode()
    assert f'action="/directives/{draft.pk}/issue/"' in page
    assert "Số dự kiến có thể thay đổi" in page
    assert f'href="/directives/{draft.pk}/pdf/"' in page
    draft.refresh_from_db()
    assert (draft.status, Register.objects.count(), Delivery.objects.count()) == (DocumentStatus.DRAFT, 0, 0)


def test_preview_number_follows_the_register(tree, login, make_document):
    make_document(unit=tree.federation, by=tree.city_officer, issue=True, issued_on=timezone.localdate(), tasks=[])
    draft = _draft(tree, make_document)
    response = login(tree.city_officer).get(f"/directives/{draft.pk}/issue/preview/")
    assert response.context["preview"].expected_number_symbol == "02/KH-LĐLĐ"


def test_draft_pdf_linked_from_the_preview_is_marked_draft(tree, login, make_document):
    draft = _draft(tree, make_document)
    response = login(tree.city_officer).get(f"/directives/{draft.pk}/pdf/")
    text = pypdf.PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert "DỰ THẢO" in text


def test_preview_refused_to_others_and_after_issue(tree, login, make_document):
    draft = _draft(tree, make_document)
    url = f"/directives/{draft.pk}/issue/preview/"
    for user in (tree.gialam_officer, tree.gl1_officer, tree.outsider):
        assert login(user).get(url).status_code == 404
    assert login(tree.city_head).get(url).status_code == 200  # a teammate of the issuing unit
    document_issue(document=draft, by=tree.city_officer)
    assert login(tree.city_officer).get(url).status_code == 404


def test_confirm_issues_once_on_double_submit(tree, login, make_document):
    draft = _draft(tree, make_document)
    client = login(tree.city_officer)
    first = client.post(f"/directives/{draft.pk}/issue/", {"expected_number": "1"})
    assert first.status_code == 302
    assert _messages(first) == ["Đã ban hành văn bản số 01/KH-LĐLĐ."]
    second = client.post(f"/directives/{draft.pk}/issue/", {"expected_number": "1"})
    assert second.status_code == 302
    assert _messages(second)[-1] == "Văn bản đã được ban hành với số 01/KH-LĐLĐ."
    assert Document.objects.get(pk=draft.pk).number == 1
    assert Register.objects.get(unit=tree.federation).last_number == 1
    assert Delivery.objects.filter(document=draft).count() == 4


def test_confirm_says_when_the_number_differs_from_the_expected_one(tree, login, make_document):
    draft = _draft(tree, make_document)
    client = login(tree.city_officer)
    expected = client.get(f"/directives/{draft.pk}/issue/preview/").context["preview"].expected_number
    # Another draft of the unit is issued between the preview and the confirmation.
    make_document(unit=tree.federation, by=tree.city_head, issue=True, issued_on=timezone.localdate(), tasks=[])
    response = client.post(f"/directives/{draft.pk}/issue/", {"expected_number": str(expected)})
    assert _messages(response) == [
        "Đã ban hành văn bản số 02/KH-LĐLĐ.",
        "Số văn bản khác số dự kiến 1 vì đơn vị đã ban hành văn bản khác trước đó.",
    ]


def test_confirm_refused_to_an_outsider(tree, login, make_document):
    draft = _draft(tree, make_document)
    assert login(tree.gialam_officer).post(f"/directives/{draft.pk}/issue/").status_code == 404
    assert Document.objects.get(pk=draft.pk).status == DocumentStatus.DRAFT


def test_after_issue_edit_and_issue_buttons_are_gone_and_edits_refused(tree, login, make_document):
    draft = _draft(tree, make_document)
    client = login(tree.city_officer)
    before = client.get(f"/directives/{draft.pk}/").content.decode()
    assert f"/directives/{draft.pk}/edit/" in before and f"/directives/{draft.pk}/issue/preview/" in before
    client.post(f"/directives/{draft.pk}/issue/")
    page = client.get(f"/directives/{draft.pk}/")
    assert (page.context["can_edit"], page.context["can_issue"]) == (False, False)
    html = page.content.decode()
    assert f"/directives/{draft.pk}/edit/" not in html and f"/directives/{draft.pk}/issue/preview/" not in html
    assert "Sửa dự thảo" not in html and "Ban hành (cấp số)" not in html
    subject = Document.objects.get(pk=draft.pk).subject
    assert client.post(f"/directives/{draft.pk}/edit/", {"subject": "Đổi trích yếu"}).status_code == 404
    assert client.post(f"/directives/{draft.pk}/attachments/").status_code == 404
    assert Document.objects.get(pk=draft.pk).subject == subject


def test_preview_queries_do_not_grow_with_recipients(tree, login, make_document, django_assert_max_num_queries):
    draft = _draft(tree, make_document)
    client = login(tree.city_officer)
    url = f"/directives/{draft.pk}/issue/preview/"
    with django_assert_max_num_queries(14):
        client.get(url)
    for _ in range(30):
        make_unit(tree.gialam, kind=UnitKind.GRASSROOTS_UNION)
    with django_assert_max_num_queries(14) as captured:
        response = client.get(url)
    assert response.context["preview"].addressee_count == 34
    assert len(captured) <= 14


def test_signer_authority_typed_on_two_lines_prints_two_lines(tree, login):
    client = login(tree.gialam_officer)
    response = client.post(
        "/directives/new/",
        {
            "issuing_unit": tree.gialam.pk,
            "doc_type": "HD",
            "place": "Gia Lâm",
            "issued_on": "2019-04-01",
            "subject": "Triển khai Kế hoạch 33",
            "addressee_mode": "children_of_kind",
            "addressee_kinds": ["grassroots_union"],
            "body": "I. MỤC ĐÍCH\n- Tuyên truyền.",
            "signer_authority": "TM. BAN THƯỜNG VỤ\r\nKT. CHỦ TỊCH",
            "signer_position": "PHÓ CHỦ TỊCH",
            "signer_name": "Nguyễn Đức Thế",
        },
    )
    assert response.status_code == 302
    document = Document.objects.get()
    assert document.signer_authority == "TM. BAN THƯỜNG VỤ\nKT. CHỦ TỊCH"
    pdf = client.get(f"/directives/{document.pk}/pdf/").content
    lines = [
        line.strip() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages for line in page.extract_text().split("\n")
    ]
    start = lines.index("TM. BAN THƯỜNG VỤ")
    assert lines[start : start + 3] == ["TM. BAN THƯỜNG VỤ", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]
    # The form shows it again as typed, one line each.
    edit = client.get(f"/directives/{document.pk}/edit/").content.decode()
    assert "TM. BAN THƯỜNG VỤ\nKT. CHỦ TỊCH</textarea>" in edit
