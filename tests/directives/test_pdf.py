"""The shared official-document renderer, read back with pypdf and pdfplumber."""

import io
from datetime import date

import pdfplumber
import pypdf
import pytest

from campaign_portal.pdf import (
    format_vnd,
    render_body,
    render_official_pdf,
    vietnamese_date_line,
    vnd_in_words,
)

MM = 72 / 25.4
A4 = (595.28, 841.89)


def _context(**extra):
    ctx = dict(
        parent_body="ỦY BAN NHÂN DÂN",
        issuing_body="THÀNH PHỐ HÀ NỘI",
        number_symbol="33/KH-UBND",
        place="Hà Nội",
        date=date(2019, 1, 29),
        doc_type_label="KẾ HOẠCH",
        subject="Thông tin, tuyên truyền về kiểm soát thủ tục hành chính năm 2019",
        legal_bases=["Thực hiện Kế hoạch số 12/KH-UBND ngày 15/01/2019 của UBND Thành phố."],
        addressees=["Các sở, ban, ngành Thành phố", "UBND các quận, huyện, thị xã"],
        body_text="I. MỤC ĐÍCH, YÊU CẦU\n1. Mục đích\n"
        + "- Nâng cao nhận thức của cán bộ, công chức về cải cách.\n" * 60,
        signer_authority="TM. ỦY BAN NHÂN DÂN",
        signer_position="KT. CHỦ TỊCH",
        signer_name="Nguyễn Văn Sửu",
        distribution=["- Như trên;", "- Lưu: VT, NC."],
    )
    ctx.update(extra)
    return ctx


@pytest.fixture(scope="module")
def plan_pdf():
    return render_official_pdf(template_name="documents/base_official.html", context=_context())


def _fonts(reader):
    names = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = (
                font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
                if "/DescendantFonts" in font
                else font["/FontDescriptor"]
            ).get_object()
            embedded = any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))
            names.add((str(font["/BaseFont"]), embedded))
    return names


def test_pdf_page_size_is_a4_portrait(plan_pdf):
    reader = pypdf.PdfReader(io.BytesIO(plan_pdf))
    assert len(reader.pages) == 3
    for page in reader.pages:
        assert (round(float(page.mediabox.width), 1), round(float(page.mediabox.height), 1)) == (595.3, 841.9)


def test_pdf_fonts_embedded_liberation_serif(plan_pdf):
    fonts = _fonts(pypdf.PdfReader(io.BytesIO(plan_pdf)))
    assert fonts
    assert all(embedded for _, embedded in fonts)
    families = {name.split("+", 1)[-1].replace("-", "").removeprefix("/") for name, _ in fonts}
    assert all(f.startswith("LiberationSerif") for f in families), families
    assert {"LiberationSerif", "LiberationSerifBold", "LiberationSerifItalic"} <= families


def test_pdf_header_has_motto_number_and_date(plan_pdf):
    with pdfplumber.open(io.BytesIO(plan_pdf)) as pdf:
        text = pdf.pages[0].extract_text()
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Độc lập - Tự do - Hạnh phúc" in text
    assert "Số: 33/KH-UBND" in text
    assert "Hà Nội, ngày 29 tháng 01 năm 2019" in text
    assert "KẾ HOẠCH" in text
    assert "Kính gửi:" in text


def test_pdf_page_numbers_from_page_two(plan_pdf):
    with pdfplumber.open(io.BytesIO(plan_pdf)) as pdf:
        top_texts = []
        for page in pdf.pages:
            top = page.crop((0, 0, page.width, 20 * MM)).extract_text().strip()
            top_texts.append(top)
            # centred horizontally
            if top:
                word = page.crop((0, 0, page.width, 20 * MM)).extract_words()[0]
                centre = (word["x0"] + word["x1"]) / 2
                assert abs(centre - (30 * MM + (page.width - 45 * MM) / 2)) < 10
    assert top_texts == ["", "2", "3"]


def test_pdf_text_inside_margins(plan_pdf):
    with pdfplumber.open(io.BytesIO(plan_pdf)) as pdf:
        for page in pdf.pages:
            words = [w for w in page.extract_words() if w["top"] > 20 * MM]  # skip the page number
            assert words
            assert min(w["x0"] for w in words) >= 30 * MM - 0.5
            assert max(w["x1"] for w in words) <= page.width - 15 * MM + 0.5
            assert max(w["bottom"] for w in words) <= page.height - 20 * MM + 0.5


def test_pdf_cong_van_has_vv_subject_and_no_type_line():
    pdf = render_official_pdf(
        template_name="documents/base_official.html",
        context=_context(
            parent_body="TỔNG LĐLĐ VIỆT NAM",
            issuing_body="LĐLĐ THÀNH PHỐ HÀ NỘI",
            number_symbol="153/LĐLĐ",
            date=date(2019, 3, 27),
            doc_type_label="",
            is_cong_van=True,
            subject="thông tin, tuyên truyền",
            body_text="Ngắn.",
        ),
    )
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        text = doc.pages[0].extract_text()
    assert "V/v thông tin, tuyên truyền" in text
    assert "Hà Nội, ngày 27 tháng 3 năm 2019" in text
    assert "KẾ HOẠCH" not in text


def test_pdf_landscape_option():
    pdf = render_official_pdf(template_name="documents/base_official.html", context=_context(landscape=True))
    page = pypdf.PdfReader(io.BytesIO(pdf)).pages[0]
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (842, 595)


def test_vietnamese_date_line_leading_zeros():
    assert vietnamese_date_line("Hà Nội", date(2019, 1, 29)) == "Hà Nội, ngày 29 tháng 01 năm 2019"
    assert vietnamese_date_line("Gia Lâm", date(2021, 6, 11)) == "Gia Lâm, ngày 11 tháng 6 năm 2021"
    assert vietnamese_date_line("Hà Nội", date(2019, 2, 5)) == "Hà Nội, ngày 05 tháng 02 năm 2019"
    assert vietnamese_date_line("Hà Nội", date(2019, 12, 1)) == "Hà Nội, ngày 01 tháng 12 năm 2019"


def test_money_formats():
    assert format_vnd(640_000_000) == "640.000.000đ"
    assert format_vnd(0) == "0đ"
    assert vnd_in_words(640_000_000) == "Sáu trăm bốn mươi triệu đồng"
    assert vnd_in_words(100_000_000) == "Một trăm triệu đồng"


def test_render_body_structure_and_escaping():
    html = render_body(
        "I. MỤC ĐÍCH\n1. Mục đích\n- dòng **đậm** và *nghiêng*\n+ ý phụ\n<script>alert(1)</script><b onclick=x>y</b>"
    )
    assert html == (
        '<p class="part"><strong>I. MỤC ĐÍCH</strong></p>\n'
        '<p class="point heading"><strong>1. Mục đích</strong></p>\n'
        '<p class="dash">- dòng <strong>đậm</strong> và <em>nghiêng</em></p>\n'
        '<p class="plus">+ ý phụ</p>\n'
        "<p>&lt;script&gt;alert(1)&lt;/script&gt;&lt;b onclick=x&gt;y&lt;/b&gt;</p>"
    )
