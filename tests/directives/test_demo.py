import io

import pdfplumber
import pytest

from directives import demo
from directives.enums import DeliveryOutcome
from directives.models import Delivery, Document
from directives.selectors import appendix_total, cascade_document_ids
from organizations import demo as organizations_demo

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded():
    for _run in range(2):  # idempotent
        organizations_demo.load_demo()
        demo.load_history()
        organizations_demo.reorganise_2025()
        demo.load_present()


def test_demo_loads_the_seed_cascade(seeded):
    seeds = Document.objects.filter(issued_at__year__lt=2025)
    symbols = sorted(seeds.values_list("number_symbol", flat=True))
    assert symbols == ["12/HD-LĐLĐ", "153/LĐLĐ", "33/KH-UBND", "34/KH-UBND", "83/HD-LĐLĐ"]
    assert Document.objects.count() == 5 + 3  # today: the year plan, Gia Lâm commune union's guidance, the notice
    notice = Document.objects.get(subject=demo.CURRENT_NOTICE_SUBJECT)
    # Numbered after the year plan when both fall in the same year (the register restarts each year).
    same_year = Document.objects.filter(issuing_unit=notice.issuing_unit, issued_on__year=notice.issued_on.year)
    assert notice.number_symbol == f"{same_year.count():02d}/TB-LĐLĐ"
    # Today's commune/ward unions and the one remaining direct-superior union (industrial parks).
    assert sorted(notice.deliveries.values_list("unit__code", flat=True)) == sorted(
        [row[0] for row in organizations_demo.COMMUNE_UNIONS] + ["HN-LDLD-CD-KCN"]
    )
    plan = Document.objects.get(number_symbol="33/KH-UBND")
    assert appendix_total(plan) == 640_000_000
    cv = Document.objects.get(number_symbol="153/LĐLĐ")
    assert cascade_document_ids(plan) == [plan.pk, cv.pk]
    assert Delivery.objects.get(document=plan, unit__code="HN-LDLD").outcome == DeliveryOutcome.BY_DOCUMENT
    hd83 = Document.objects.get(number_symbol="83/HD-LĐLĐ")
    assert hd83.deliveries.count() == 4
    assert (
        Delivery.objects.get(document__number_symbol="12/HD-LĐLĐ", unit__code="HN-LDLD-GIALAM").implementing_document
        == hd83
    )
    assert hd83.deliveries.filter(outcome=DeliveryOutcome.DONE).count() == 1


def test_demo_pdfs_look_like_the_originals(seeded, client):
    admin = organizations_demo.User.objects.get(email="admin@demo.cchc.vn")
    client.force_login(admin, backend="django.contrib.auth.backends.ModelBackend")
    plan = Document.objects.get(number_symbol="33/KH-UBND")
    response = client.get(f"/directives/{plan.pk}/pdf/")
    with pdfplumber.open(io.BytesIO(response.content)) as pdf:
        first = pdf.pages[0].extract_text()
        text = "\n".join(page.extract_text() for page in pdf.pages)
        last = pdf.pages[-1]
        assert (round(last.width), round(last.height)) == (842, 595)  # the appendix is landscape
    assert "Số: 33/KH-UBND" in first
    assert "Hà Nội, ngày 29 tháng 01 năm 2019" in first
    assert "Tổng dự kiến kinh phí: 640.000.000đ (Sáu trăm bốn mươi triệu đồng)" in text.replace("\n", " ")
    hd83 = Document.objects.get(number_symbol="83/HD-LĐLĐ")
    with pdfplumber.open(io.BytesIO(client.get(f"/directives/{hd83.pk}/pdf/").content)) as pdf:
        text = "\n".join(page.extract_text() for page in pdf.pages)
    assert "Gia Lâm, ngày 11 tháng 6 năm 2021" in text
    assert "Thực hiện Hướng dẫn số 12/HD-LĐLĐ ngày 18/06/2021 của Liên đoàn Lao động Thành phố Hà Nội" in text.replace(
        "\n", " "
    )
    assert "TM. BAN THƯỜNG VỤ" in text and "Nguyễn Đức Thế" in text


def test_demo_153_signed_by_a_deputy_prints_one_authority_per_line_and_is_overdue(seeded, client):
    from directives.selectors import hanoi_today, late_q

    admin = organizations_demo.User.objects.get(email="admin@demo.cchc.vn")
    client.force_login(admin, backend="django.contrib.auth.backends.ModelBackend")
    cv = Document.objects.get(number_symbol="153/LĐLĐ")
    with pdfplumber.open(io.BytesIO(client.get(f"/directives/{cv.pk}/pdf/").content)) as pdf:
        lines = [line.strip() for page in pdf.pages for line in page.extract_text().splitlines()]

    # The signer's column shares its lines with "Nơi nhận" on the left: find each part's line.
    def line_of(text):
        return next(i for i, line in enumerate(lines) if text in line)

    assert line_of("TM. BAN THƯỜNG VỤ") < line_of("KT. CHỦ TỊCH") < line_of("PHÓ CHỦ TỊCH")
    assert not any("THƯỜNG VỤ KT." in line for line in lines)
    # Due 30/09/2019 and still pending somewhere: overdue relative to today, counted for the issuer's side.
    pending = cv.deliveries.filter(late_q(hanoi_today())).count()
    assert pending > 0
    rows = client.get("/directives/?text=153").context["page"]
    assert [(d.number_symbol, d.overdue_recipients) for d in rows] == [("153/LĐLĐ", pending)]
