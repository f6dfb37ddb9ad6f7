"""Appendix amounts typed the way officers type money (100.000.000đ, 1 000 000), through the drafting page."""

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from pypdf import PdfReader

from directives.models import AppendixRow, Document

from .test_views import _form

pytestmark = pytest.mark.django_db

APPENDIX = "\n".join(
    [
        "In tờ rơi | Ban Thường vụ | Ban Tuyên giáo | 5.000 tờ | Báo Lao động Thủ đô | In ấn; phát hành | 100.000.000đ | Quý II",
        "Hội nghị tập huấn | Ban Thường vụ | Văn phòng | 2 hội nghị | | Hội trường | 1 000 000 | Quý III",
        "Pa nô | | Văn phòng | 10 pa nô | | | 250000 | Quý IV",
    ]
)


def _english(client, url):
    client.post(reverse("set_language"), {"language": "en", "next": url})


def test_appendix_amounts_read_as_typed(tree, login):
    client = login(tree.gialam_officer)
    response = client.post("/directives/new/", _form(issuing_unit=tree.gialam.pk, appendix_text=APPENDIX))
    assert response.status_code == 302
    document = Document.objects.get()
    assert list(AppendixRow.objects.filter(document=document).values_list("amount", flat=True)) == [
        Decimal("100000000"),
        Decimal("1000000"),
        Decimal("250000"),
    ]
    # Typed back the Vietnamese way when the draft is edited.
    edit = client.get(f"/directives/{document.pk}/edit/").content.decode()
    assert "| In ấn; phát hành | 100.000.000 | Quý II" in edit
    assert "| Hội trường | 1.000.000 | Quý III" in edit


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("1,5", "Dòng 2, số tiền: Chỉ nhập số nguyên."),
        ("1.5", "Dòng 2, số tiền: “1.5” có thể hiểu theo hai cách."),
        ("-200.000", "Dòng 2, số tiền: Tối thiểu 0."),
        ("1.000.000.000.000.000", "Dòng 2, số tiền: Số quá lớn: tối đa 15 chữ số trước dấu thập phân."),
        ("1tr", "Dòng 2, số tiền: “1tr” không phải là số."),
    ],
)
def test_appendix_amount_refused_with_its_line(tree, login, text, message):
    lines = APPENDIX.splitlines()
    lines[1] = lines[1].replace("1 000 000", text)
    client = login(tree.gialam_officer)
    response = client.post("/directives/new/", _form(issuing_unit=tree.gialam.pk, appendix_text="\n".join(lines)))
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert f"| Hội trường | {text} | Quý III" in html  # what was typed comes back
    assert not Document.objects.exists()


@pytest.mark.parametrize(
    ("language", "row", "total"),
    [
        ("vi", "100.000.000đ", "101.250.000đ"),
        ("en", "100,000,000đ", "101,250,000đ"),
    ],
)
def test_document_page_shows_amounts_in_each_language(tree, login, language, row, total, django_assert_max_num_queries):
    client = login(tree.gialam_officer)
    client.post("/directives/new/", _form(issuing_unit=tree.gialam.pk, appendix_text=APPENDIX))
    url = f"/directives/{Document.objects.get().pk}/"
    if language == "en":
        _english(client, url)
    with django_assert_max_num_queries(20):
        html = client.get(url).content.decode()
    assert f'<td class="text-end">{row}</td>' in html
    assert f'<td class="text-end fw-bold">{total}</td>' in html


def test_official_pdf_keeps_vietnamese_amounts_in_english(tree, login):
    client = login(tree.gialam_officer)
    client.post("/directives/new/", _form(issuing_unit=tree.gialam.pk, appendix_text=APPENDIX))
    url = f"/directives/{Document.objects.get().pk}/pdf/"
    _english(client, url)
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(client.get(url).content)).pages)
    assert "100.000.000đ" in text
    assert "Tổng dự kiến kinh phí: 101.250.000đ" in text.replace("\n", " ")


@pytest.mark.parametrize(("year", "ok"), [("2019", True), ("1999", False), ("20,5", False)])
def test_register_year(tree, login, year, ok):
    response = login(tree.gialam_head).get("/directives/register/", {"unit": tree.gialam.pk, "year": year})
    assert response.status_code == 200
    assert response.context["form"].is_valid() is ok
    if not ok:
        assert response.context["form"].errors["year"] == [
            {"1999": "Năm từ 2000 đến 2100.", "20,5": "Chỉ nhập số nguyên."}[year]
        ]
