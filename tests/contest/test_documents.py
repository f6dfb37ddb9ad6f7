"""Score sheets and round results as official PDFs, read back with pypdf and pdfplumber."""

import io
from decimal import Decimal

import pdfplumber
import pypdf
import pytest
from django.urls import reverse

from contest import judging
from contest.documents import round_results_pdf, score_sheet_pdf
from contest.enums import EntryStatus, RoundState
from contest.models import Assignment, Entry, Round

from .conftest import make_entrant, make_entry

pytestmark = pytest.mark.django_db

A4_PORTRAIT = (595.3, 841.9)
A4_LANDSCAPE = (841.9, 595.3)
IDENTITY = ["Nguyễn Văn Sáng", "sang.nguyen@example.vn", "Công ty Cổ phần Ánh Dương", "0987654321"]


def _pages(pdf: bytes) -> list[tuple[float, float]]:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return [(round(float(p.mediabox.width), 1), round(float(p.mediabox.height), 1)) for p in reader.pages]


def _font_families(pdf: bytes) -> set[str]:
    families = set()
    for page in pypdf.PdfReader(io.BytesIO(pdf)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = (font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
                          if "/DescendantFonts" in font else font["/FontDescriptor"]).get_object()
            assert any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")), font["/BaseFont"]
            families.add(str(font["/BaseFont"]).split("+", 1)[-1].replace("-", "").removeprefix("/"))
    return families


def _text(pdf: bytes) -> str:
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        return "\n".join(page.extract_text() for page in doc.pages)


def _flat(text: str) -> str:
    """Paragraphs wrap: compare with line breaks folded into spaces."""
    return " ".join(text.split())


def _first_table(pdf: bytes) -> list[list[str]]:
    """The rows of the first ruled table on page 1, each cell's wrapped lines joined by a space."""
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        return [[_flat(cell or "") for cell in row] for row in doc.pages[0].extract_tables()[0]]


@pytest.fixture
def sheet(contest_env):
    """One entry by a named entrant, assigned to judge 2 (label GK2) in the preliminary round."""
    env = contest_env
    env.entrant = make_entrant(env.contest, email="sang.nguyen@example.vn", name="Nguyễn Văn Sáng",
                               organisation="Công ty Cổ phần Ánh Dương", phone="0987654321")
    env.entry = make_entry(env.entrant)
    Entry.objects.filter(pk=env.entry.pk).update(status=EntryStatus.ELIGIBLE)
    env.assignment = judging.assignment_create(round_=env.prelim, entry=env.entry, judge=env.judges[1])
    return env


def _score(env, assignment, values, *, comment=""):
    judging.assignment_score(assignment=assignment, values=dict(zip([c.pk for c in env.criteria], values,
                                                                    strict=True)),
                             comment=comment, submit=True, by=assignment.judge)


SCORES = [Decimal("9"), Decimal("8.5"), Decimal("7"), Decimal("6"), Decimal("5"), Decimal("4")]


def test_score_sheet_pdf_a4_portrait_liberation_serif(sheet):
    _score(sheet, sheet.assignment, SCORES, comment="Giải pháp thiết thực, dễ nhân rộng")
    pdf = score_sheet_pdf(assignment=Assignment.objects.get(pk=sheet.assignment.pk))
    assert _pages(pdf) == [A4_PORTRAIT]
    families = _font_families(pdf)
    assert all(f.startswith("LiberationSerif") for f in families), families
    assert {"LiberationSerif", "LiberationSerifBold"} <= families


def test_score_sheet_pdf_shows_code_criteria_scores_total_and_judge(sheet):
    _score(sheet, sheet.assignment, SCORES, comment="Giải pháp thiết thực, dễ nhân rộng")
    assignment = Assignment.objects.get(pk=sheet.assignment.pk)
    pdf = score_sheet_pdf(assignment=assignment)
    text = _text(pdf)
    assert "PHIẾU CHẤM ĐIỂM" in text
    assert "- Vòng chấm: Sơ khảo;" in text
    assert f"- Mã bài dự thi: {sheet.entry.code};" in text
    assert f"- Tên sáng kiến, giải pháp, mô hình: {sheet.entry.title};" in _flat(text)
    assert "- Giám khảo: GK2 - Giám Khảo 2." in text
    # One row per criterion: number, name, weight (the first counts double), maximum, the judge's score.
    assert _first_table(pdf) == [
        ["STT", "Tiêu chí chấm", "Trọng số", "Điểm tối đa", "Điểm chấm"],
        *[[str(c.order), c.name, "2" if c.order == 1 else "1", "10", shown]
          for c, shown in zip(sheet.criteria, ["9", "8,50", "7", "6", "5", "4"], strict=True)],
        ["", "Cộng", "", "60", "39,50"],
    ]
    assert str(assignment.total) == "69.286"
    assert "Tổng điểm quy đổi (thang 100): 69,29" in text
    assert "Giải pháp thiết thực, dễ nhân rộng" in text
    assert "GIÁM KHẢO\nGiám Khảo 2" in text


def test_score_sheet_pdf_never_names_the_entrant(sheet):
    _score(sheet, sheet.assignment, SCORES)
    pdf = score_sheet_pdf(assignment=Assignment.objects.get(pk=sheet.assignment.pk))
    text = _text(pdf)
    for needle in IDENTITY:
        assert needle not in text, needle
    metadata = pypdf.PdfReader(io.BytesIO(pdf)).metadata or {}
    assert not any(needle in str(value) for value in metadata.values() for needle in IDENTITY)


def test_score_sheet_blank_prints_empty_cells(sheet):
    pdf = score_sheet_pdf(assignment=Assignment.objects.get(pk=sheet.assignment.pk))
    text = _text(pdf)
    assert "PHIẾU CHẤM ĐIỂM" in text and f"- Mã bài dự thi: {sheet.entry.code};" in text
    rows = _first_table(pdf)
    assert [row[-1] for row in rows] == ["Điểm chấm"] + [""] * len(sheet.criteria) + [""]
    assert [row[1] for row in rows[1:-1]] == [c.name for c in sheet.criteria]
    assert "Tổng điểm quy đổi (thang 100): ......" in text
    assert "Hà Nội, ngày ...... tháng ...... năm" in text


def test_score_sheet_view_for_judge_and_organiser(sheet, login):
    _score(sheet, sheet.assignment, SCORES)
    url = reverse("contest:judge_score_sheet", args=[sheet.assignment.pk])
    for user in (sheet.judges[1], sheet.organiser, sheet.tree.admin):
        response = login(user).get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"] == (
            f'attachment; filename="phieu-cham-{sheet.entry.code}-{sheet.assignment.pk}.pdf"')
        text = _text(response.content)
        assert sheet.entry.code in text
        assert not [needle for needle in IDENTITY if needle in text]


def test_score_sheet_view_denied_to_other_judge_entrant_outsider(sheet, login):
    url = reverse("contest:judge_score_sheet", args=[sheet.assignment.pk])
    for user in (sheet.judges[0], sheet.judges[2], sheet.entrant.user, sheet.tree.outsider, sheet.tree.gialam_head):
        assert login(user).get(url).status_code == 404, user.email


def test_score_sheet_view_denied_to_judge_after_withdrawal(sheet, login):
    judging.assignment_reassign(assignment=sheet.assignment, to_judge=sheet.judges[2])
    url = reverse("contest:judge_score_sheet", args=[sheet.assignment.pk])
    assert login(sheet.judges[1]).get(url).status_code == 404


def test_score_sheet_view_anonymous_redirects_to_login(sheet, client):
    response = client.get(reverse("contest:judge_score_sheet", args=[sheet.assignment.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_score_sheet_links_on_judge_pages(sheet, login):
    client = login(sheet.judges[1])
    url = reverse("contest:judge_score_sheet", args=[sheet.assignment.pk])
    for page in (reverse("contest:judge_queue"), reverse("contest:judge_assignment", args=[sheet.assignment.pk])):
        assert f'href="{url}"' in client.get(page).content.decode(), page


def test_score_sheet_view_queries_bounded(sheet, login, django_assert_max_num_queries):
    _score(sheet, sheet.assignment, SCORES)
    client = login(sheet.judges[1])
    with django_assert_max_num_queries(8):
        assert client.get(reverse("contest:judge_score_sheet", args=[sheet.assignment.pk])).status_code == 200


# ---------------------------------------------------------------- round results


def _ranked_round(env, n):
    """n entries; entry i gets every criterion scored 10 − (i % 10) by two judges, with a twist of
    the second judge so that no two entries tie: the expected order is known."""
    entries = []
    for i in range(n):
        entry = make_entry(make_entrant(env.contest, email=f"xep{i}@example.vn", name=f"Tác Giả Số {i}"),
                           title=f"Sáng kiến số {i} về một cửa")
        Entry.objects.filter(pk=entry.pk).update(status=EntryStatus.ELIGIBLE)
        entries.append(entry)
    expected = []
    for i, entry in enumerate(entries):
        first = judging.assignment_create(round_=env.prelim, entry=entry, judge=env.judges[1])
        second = judging.assignment_create(round_=env.prelim, entry=entry, judge=env.judges[2])
        base = Decimal(2 + (i * 7) % n * 8 / n).quantize(Decimal("0.25"))
        _score(env, first, [base] * 6)
        _score(env, second, [min(base + Decimal("0.5"), Decimal(10))] * 6)
        expected.append((base, entry.code))
    expected.sort(key=lambda pair: (-pair[0], pair[1]))
    return [code for _base, code in expected]


def _codes_in_order(text: str, prefix: str) -> list[str]:
    return [word for word in text.split() if word.startswith(prefix)]


def test_round_results_pdf_landscape_liberation_serif_in_ranking_order(contest_env):
    order = _ranked_round(contest_env, 6)
    pdf = round_results_pdf(round_=Round.objects.get(pk=contest_env.prelim.pk))
    pages = _pages(pdf)
    assert pages and all(size == A4_LANDSCAPE for size in pages)
    families = _font_families(pdf)
    assert all(f.startswith("LiberationSerif") for f in families), families
    text = _text(pdf)
    assert "BIÊN BẢN" in text and "KẾT QUẢ CHẤM SƠ KHẢO" in text
    assert "TM. BAN GIÁM KHẢO" in text and "TRƯỞNG BAN" in text
    assert "Số giám khảo đã nộp phiếu chấm: 2; số phiếu chấm: 12; số bài có điểm: 6." in _flat(text)
    assert _codes_in_order(text, "CT2019-") == order
    for criterion in contest_env.criteria:
        assert f"TC{criterion.order}: {criterion.name}" in _flat(text)


def test_round_results_pdf_names_authors_only_once_closed(contest_env):
    _ranked_round(contest_env, 3)
    prelim = Round.objects.get(pk=contest_env.prelim.pk)
    assert prelim.state == RoundState.OPEN
    text = _text(round_results_pdf(round_=prelim))
    assert "Tác Giả Số" not in text and "Tác giả" not in text
    judging.round_set_state(round_=prelim, state=RoundState.CLOSED)
    prelim.refresh_from_db()
    text = _flat(_text(round_results_pdf(round_=prelim)))
    assert "Tác giả" in text
    for i in range(3):
        assert f"Tác Giả Số {i}" in text


def test_round_results_pdf_empty_round(contest_env):
    text = _text(round_results_pdf(round_=Round.objects.get(pk=contest_env.final.pk)))
    assert "KẾT QUẢ CHẤM CHUNG KHẢO" in text and "Chưa có phiếu chấm đã nộp." in text


def test_documents_vietnamese_whatever_the_interface_language(sheet):
    from django.utils import translation

    with translation.override("en"):
        sheet_text = _text(score_sheet_pdf(assignment=Assignment.objects.get(pk=sheet.assignment.pk)))
        results_text = _text(round_results_pdf(round_=Round.objects.get(pk=sheet.prelim.pk)))
    assert "- Vòng chấm: Sơ khảo;" in sheet_text and "Vòng sơ khảo Cuộc thi" in sheet_text
    assert "KẾT QUẢ CHẤM SƠ KHẢO" in results_text


def test_round_results_view_for_organisers_only(contest_env, login):
    order = _ranked_round(contest_env, 3)
    url = reverse("contest:round_ranking_pdf", args=[contest_env.contest.slug, "preliminary"])
    for user in (contest_env.organiser, contest_env.tree.admin):
        response = login(user).get(url)
        assert response.status_code == 200
        assert response["Content-Disposition"] == (
            f'attachment; filename="ket-qua-cham-so-khao-{contest_env.contest.slug}.pdf"')
        assert _codes_in_order(_text(response.content), "CT2019-") == order
    entrant = Entry.objects.select_related("entrant__user").first().entrant.user
    for user in (contest_env.judges[1], entrant, contest_env.tree.outsider, contest_env.tree.gialam_head):
        assert login(user).get(url).status_code == 404, user.email
    assert login(contest_env.organiser).get(
        reverse("contest:round_ranking_pdf", args=[contest_env.contest.slug, "semifinal"])).status_code == 404


def test_round_results_linked_from_ranking_page(contest_env, login):
    page = login(contest_env.organiser).get(
        reverse("contest:round_ranking", args=[contest_env.contest.slug, "preliminary"])).content.decode()
    assert f'href="{reverse("contest:round_ranking_pdf", args=[contest_env.contest.slug, "preliminary"])}"' in page


@pytest.mark.parametrize("n", [3, 30])
def test_round_results_view_queries_do_not_grow_with_entries(contest_env, login, django_assert_max_num_queries, n):
    _ranked_round(contest_env, n)
    judging.round_set_state(round_=contest_env.prelim, state=RoundState.CLOSED)
    client = login(contest_env.organiser)
    url = reverse("contest:round_ranking_pdf", args=[contest_env.contest.slug, "preliminary"])
    with django_assert_max_num_queries(12):
        response = client.get(url)
    assert response.status_code == 200
    assert len(_codes_in_order(_text(response.content), "CT2019-")) == n
