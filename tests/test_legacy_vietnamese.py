"""Issue 14, item 5: text pasted in TCVN3 (ABC) or VNI is recognised, converted, refused with the
Unicode text offered for one click, and never counted as Vietnamese with diacritics."""

import ast
import html
import re
import uuid
from pathlib import Path

import pytest
from django.urls import reverse

from campaign_portal.exceptions import PortalError
from campaign_portal.legacy_vietnamese import TCVN3, VNI, convert, looks_legacy
from campaign_portal.text import has_vietnamese_diacritics
from contest.models import Entry
from contest.validators import check_vietnamese
from directives.models import Document
from public.models import Feedback

from .contest.conftest import ENTRY_TEXT, contest_env, make_entrant  # noqa: F401  (fixture)
from .public.conftest import feedback_form_data

ROOT = Path(__file__).resolve().parents[1]

KNOWN = [
    ("Hµ Néi", TCVN3, "Hà Nội"),
    ("C¶i c¸ch thñ tôc hµnh chÝnh", TCVN3, "Cải cách thủ tục hành chính"),
    ("§oµn kÕt, ®oµn kÕt, ®¹i ®oµn kÕt", TCVN3, "Đoàn kết, đoàn kết, đại đoàn kết"),
    ("Liªn ®oµn Lao ®éng huyÖn Gia L©m", TCVN3, "Liên đoàn Lao động huyện Gia Lâm"),
    ("Ng­êi d©n ph¶i ®i l¹i nhiÒu lÇn", TCVN3, "Người dân phải đi lại nhiều lần"),
    ("Haø Noäi", VNI, "Hà Nội"),
    ("Caûi caùch thuû tuïc haønh chính", VNI, "Cải cách thủ tục hành chính"),
    ("Ngöôøi daân phaûi ñi laïi nhieàu laàn ñeå noäp hoà sô", VNI, "Người dân phải đi lại nhiều lần để nộp hồ sơ"),
    ("NGÖÔØI LAO ÑOÄNG THUÛ ÑOÂ", VNI, "NGƯỜI LAO ĐỘNG THỦ ĐÔ"),
    (
        "Ñoaøn keát, ñoaøn keát, ñaïi ñoaøn keát. Thaønh coâng, thaønh coâng, ñaïi thaønh coâng.",
        VNI,
        "Đoàn kết, đoàn kết, đại đoàn kết. Thành công, thành công, đại thành công.",
    ),
]


@pytest.mark.parametrize(("legacy", "encoding", "unicode"), KNOWN)
def test_known_phrases_are_detected_and_converted(legacy, encoding, unicode):
    assert looks_legacy(legacy) == encoding
    assert convert(legacy, encoding) == unicode
    assert looks_legacy(unicode) is None


NOT_LEGACY = [
    "Hà Nội",
    "Cải cách thủ tục hành chính",
    "hoà bình",
    "Khoá học hoà nhập",
    "Cà phê",
    "ông bà «chú» cháu",
    "Tin tức · Sự kiện",
    "Giá 5£",
    "Copyright © 2024 ACME®",
    "The one-stop shop closes at 5 pm.",
    "café naïve aérien « bonjour » où août Raphaël héroïne Noël",
    "Søren Kierkegaard",
    "Filter 5µm",
    "Müller Straße",
    "Señor Núñez",
    "",
    "12/KH-LĐLĐ",
]


@pytest.mark.parametrize("text", NOT_LEGACY)
def test_real_vietnamese_english_and_french_are_not_legacy(text):
    assert looks_legacy(text) is None


def _demo_strings() -> list[str]:
    strings = []
    for path in sorted(ROOT.glob("*/demo.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value.strip():
                strings.append(node.value)
    po = (ROOT / "locale/en/LC_MESSAGES/django.po").read_text(encoding="utf-8")
    strings += [m for m in re.findall(r'^msg(?:id|str) "(.+)"', po, re.M)]
    strings += (ROOT / "organizations/data/hanoi_areas_2025.csv").read_text(encoding="utf-8").splitlines()
    return strings


def test_no_false_positive_on_the_demo_corpus_the_translations_and_the_areas():
    strings = _demo_strings()
    assert len(strings) > 1500
    assert [s for s in strings if looks_legacy(s)] == []


def test_mojibake_does_not_count_as_vietnamese_with_diacritics():
    for legacy, _encoding, unicode in KNOWN:
        if len(unicode.split()) >= 3:
            assert has_vietnamese_diacritics(legacy) is False
            assert has_vietnamese_diacritics(unicode) is True
    with pytest.raises(PortalError) as error:
        check_vietnamese("Ngöôøi daân phaûi ñi laïi nhieàu laàn", label="Thực trạng")
    assert "phải viết bằng tiếng Việt có dấu" in error.value.message


# --- through the real views ------------------------------------------------------------------------


def _suggestion(page: str, field: str) -> str:
    match = re.search(rf'data-legacy-target="{field}" data-legacy-fill="([^"]*)"', page)
    assert match, page[:3000]
    return html.unescape(match.group(1))


MESSAGE = "Văn bản có vẻ được gõ bằng bảng mã cũ (TCVN3/VNI). Có phải bạn muốn: «{}»?"


@pytest.mark.django_db
def test_contest_entry_refuses_legacy_offers_and_accepts_in_one_click(contest_env, login):  # noqa: F811
    entrant = make_entrant(contest_env.contest)
    client = login(entrant.user)
    url = reverse("contest:entry_new", args=[contest_env.contest.slug])
    data = {
        **ENTRY_TEXT,
        "title": "C¶i c¸ch thñ tôc hµnh chÝnh",
        "problem": "Ngöôøi daân phaûi ñi laïi nhieàu laàn",
        "draft_key": str(uuid.uuid4()),
        "action": "save",
    }
    response = client.post(url, data)
    page = html.unescape(response.content.decode())
    assert response.status_code == 200
    assert MESSAGE.format("Cải cách thủ tục hành chính") in page
    assert MESSAGE.format("Người dân phải đi lại nhiều lần") in page
    assert _suggestion(response.content.decode(), "title") == "Cải cách thủ tục hành chính"
    assert "C¶i c¸ch thñ tôc hµnh chÝnh" in page  # what was typed is kept
    assert not Entry.objects.filter(entrant=entrant, title__contains="¸").exists()
    # The button of each field posts the form again with use_converted=<field>: that field is converted.
    response = client.post(url, {**data, "use_converted": ["title", "problem"]})
    assert response.status_code == 302
    entry = Entry.objects.get(entrant=entrant)
    assert (entry.title, entry.problem) == ("Cải cách thủ tục hành chính", "Người dân phải đi lại nhiều lần")


@pytest.mark.django_db
def test_feedback_refuses_legacy_and_accepts_the_conversion(client, tree):
    data = feedback_form_data(
        client, title="Haø Noäi chôø laâu", text="Toâi phaûi chôø hôn hai giôø ôû boä phaän moät cöûa."
    )
    response = client.post("/phan-anh/", data)
    page = response.content.decode()
    assert response.status_code == 400 and Feedback.objects.count() == 0
    assert _suggestion(page, "title") == "Hà Nội chờ lâu"
    assert _suggestion(page, "text") == "Tôi phải chờ hơn hai giờ ở bộ phận một cửa."
    # only the title accepted: the text is still refused, nothing saved
    data = feedback_form_data(client, title=data["title"], text=data["text"])
    response = client.post("/phan-anh/", {**data, "use_converted": "title"})
    assert response.status_code == 400 and Feedback.objects.count() == 0
    assert 'data-legacy-target="title"' not in response.content.decode()
    data = feedback_form_data(client, title=data["title"], text=data["text"])
    response = client.post("/phan-anh/", {**data, "use_converted": ["title", "text"]})
    assert response.status_code == 302
    feedback = Feedback.objects.get()
    assert (feedback.title, feedback.text) == ("Hà Nội chờ lâu", "Tôi phải chờ hơn hai giờ ở bộ phận một cửa.")


@pytest.mark.django_db
def test_directive_draft_refuses_legacy_subject_body_and_signer(tree, login):
    data = {
        "issuing_unit": tree.gialam.pk,
        "doc_type": "HD",
        "place": "Gia Lâm",
        "issued_on": "2019-04-01",
        "subject": "TriÓn khai KÕ ho¹ch 33 vÒ c¶i c¸ch hµnh chÝnh",
        "addressee_mode": "children_of_kind",
        "addressee_kinds": ["grassroots_union"],
        "body": "Tuyªn truyÒn s©u réng\n\nKÕt qu¶ cô thÓ",
        "tasks_text": "30/09/2019 | Báo cáo kết quả",
        "signer_position": "CHỦ TỊCH",
        "signer_name": "NguyÔn §øc ThÕ",
    }
    client = login(tree.gialam_officer)
    response = client.post("/directives/new/", data)
    page = response.content.decode()
    assert response.status_code == 200 and not Document.objects.exists()
    assert _suggestion(page, "subject") == "Triển khai Kế hoạch 33 về cải cách hành chính"
    assert _suggestion(page, "body") == "Tuyên truyền sâu rộng\n\nKết quả cụ thể"
    assert _suggestion(page, "signer_name") == "Nguyễn Đức Thế"
    response = client.post("/directives/new/", {**data, "use_converted": ["subject", "body", "signer_name"]})
    assert response.status_code == 302
    document = Document.objects.get()
    assert (document.subject, document.body, document.signer_name) == (
        "Triển khai Kế hoạch 33 về cải cách hành chính",
        "Tuyên truyền sâu rộng\n\nKết quả cụ thể",
        "Nguyễn Đức Thế",
    )
