"""Score sheets and round results as official PDFs, read back with pypdf and pdfplumber."""

import datetime as dt
import io
from decimal import Decimal

import pdfplumber
import pypdf
import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from contest import background_documents, judging, selectors, states, tasks
from contest.documents import round_results_pdf, score_sheet_pdf
from contest.enums import RoundState
from contest.models import Assignment, Entry, Round, RoundDocument

from .conftest import make_eligible, make_entrant, make_entry

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
            descriptor = (
                font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
                if "/DescendantFonts" in font
                else font["/FontDescriptor"]
            ).get_object()
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
    env.entrant = make_entrant(
        env.contest,
        email="sang.nguyen@example.vn",
        name="Nguyễn Văn Sáng",
        organisation="Công ty Cổ phần Ánh Dương",
        phone="0987654321",
    )
    env.entry = make_entry(env.entrant)
    make_eligible(env, env.entry)
    env.assignment = judging.assignment_create(round_=env.prelim, entry=env.entry, judge=env.judges[1])
    return env


def _score(env, assignment, values, *, comment=""):
    judging.assignment_score(
        assignment=assignment,
        values=dict(zip([c.pk for c in env.criteria], values, strict=True)),
        comment=comment,
        submit=True,
        by=assignment.judge,
    )


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
        *[
            [str(c.order), c.name, "2" if c.order == 1 else "1", "10", shown]
            for c, shown in zip(sheet.criteria, ["9", "8,5", "7", "6", "5", "4"], strict=True)
        ],
        ["", "Cộng", "", "60", "39,5"],
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
            f'attachment; filename="phieu-cham-{sheet.entry.code}-{sheet.assignment.pk}.pdf"'
        )
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
        entry = make_entry(
            make_entrant(env.contest, email=f"xep{i}@example.vn", name=f"Tác Giả Số {i}"),
            title=f"Sáng kiến số {i} về một cửa",
        )
        make_eligible(env, entry)
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
    states.round_set_state(round_=prelim, to=RoundState.CLOSED)
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


# ---------------------------------------------------------------- round results, rendered in the background


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _results_urls(env, kind="preliminary"):
    args = [env.contest.slug, kind]
    return reverse("contest:round_ranking_pdf", args=args), reverse("contest:round_ranking_pdf_request", args=args)


def _requested(contest_env, login, capture, entries):
    """A ranked round whose organiser has asked for the results PDF (rendered at once: eager tasks)."""
    _ranked_round(contest_env, entries)
    url, request_url = _results_urls(contest_env)
    client = login(contest_env.organiser)
    with capture(execute=True):
        client.post(request_url)
    return client, url, request_url, RoundDocument.objects.get()


def _stored_pdf(document: RoundDocument) -> bytes:
    with document.file.open("rb") as handle:
        return handle.read()


def test_round_results_request_renders_in_background_then_get_serves_the_file(
    contest_env, login, media, django_capture_on_commit_callbacks
):
    order = _ranked_round(contest_env, 6)
    url, request_url = _results_urls(contest_env)
    client = login(contest_env.organiser)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(request_url)
        assert response.status_code == 302 and response["Location"] == url
        # Until the transaction commits, the request is only queued.
        assert RoundDocument.objects.get().is_pending
    document = RoundDocument.objects.select_related("round__contest").get()
    assert (document.kind, document.requested_by, document.failed, document.error) == (
        "results",
        contest_env.organiser,
        False,
        "",
    )
    assert document.started_at <= document.finished_at
    assert document.scores_as_of == selectors.round_scores_as_of(contest_env.prelim)
    assert document.file.name == f"contest/documents/{contest_env.contest.pk}/ket-qua-cham-so-khao-thi-thu.pdf"
    pdf = _stored_pdf(document)
    pages = _pages(pdf)
    assert pages and all(size == A4_LANDSCAPE for size in pages)
    families = _font_families(pdf)
    assert all(f.startswith("LiberationSerif") for f in families), families
    text = _text(pdf)
    assert "BIÊN BẢN" in text and "KẾT QUẢ CHẤM SƠ KHẢO" in text
    assert _codes_in_order(text, "CT2019-") == order

    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="ket-qua-cham-so-khao-thi-thu.pdf"'
    assert response.content == pdf
    assert RoundDocument.objects.count() == 1


def test_round_results_for_portal_admin_too(contest_env, login, media, django_capture_on_commit_callbacks):
    order = _ranked_round(contest_env, 3)
    url, request_url = _results_urls(contest_env)
    client = login(contest_env.tree.admin)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(request_url).status_code == 302
    response = client.get(url)
    assert response["Content-Disposition"] == 'attachment; filename="ket-qua-cham-so-khao-thi-thu.pdf"'
    assert _codes_in_order(_text(response.content), "CT2019-") == order


def test_round_results_get_before_any_request_shows_the_button_and_creates_nothing(contest_env, login, media):
    _ranked_round(contest_env, 3)
    url, request_url = _results_urls(contest_env)
    response = login(contest_env.organiser).get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert "Content-Disposition" not in response
    page = response.content.decode()
    assert f'action="{request_url}"' in page
    assert "Tạo biên bản kết quả chấm (PDF)" in page
    assert "Chưa có biên bản nào được tạo cho vòng này." in page
    assert "hx-get" not in page
    assert RoundDocument.objects.count() == 0


def test_round_results_pending_page_polls_and_stops_when_finished(
    contest_env, login, media, django_capture_on_commit_callbacks
):
    _ranked_round(contest_env, 3)
    url, request_url = _results_urls(contest_env)
    client = login(contest_env.organiser)
    with django_capture_on_commit_callbacks() as callbacks:
        client.post(request_url)
    document = RoundDocument.objects.get()
    assert document.is_pending and document.started_at is None
    page = client.get(url).content.decode()
    assert f'hx-get="{url}" hx-trigger="every 2s"' in page
    assert "Đã xếp hàng lúc" in page
    fragment = client.get(url, HTTP_HX_REQUEST="true")
    assert fragment.status_code == 200  # keep polling
    assert "<html" not in fragment.content.decode() and "Đã xếp hàng lúc" in fragment.content.decode()

    for callback in callbacks:  # the worker picks the task up
        callback()
    fragment = client.get(url, HTTP_HX_REQUEST="true")
    assert fragment.status_code == 286  # htmx: stop polling
    body = fragment.content.decode()
    assert "Biên bản đã tạo xong lúc" in body
    assert f'href="{url}?document={document.pk}"' in body
    response = client.get(f"{url}?document={document.pk}")
    assert response["Content-Disposition"] == 'attachment; filename="ket-qua-cham-so-khao-thi-thu.pdf"'
    assert response.content == _stored_pdf(RoundDocument.objects.get())


def test_round_results_double_post_makes_one_row(contest_env, login, media, django_capture_on_commit_callbacks):
    _ranked_round(contest_env, 3)
    _url, request_url = _results_urls(contest_env)
    client = login(contest_env.organiser)
    with django_capture_on_commit_callbacks() as callbacks:
        assert client.post(request_url).status_code == 302
        assert client.post(request_url).status_code == 302
    assert len(callbacks) == 1  # queued once
    assert RoundDocument.objects.count() == 1
    # Finished and the scores unchanged: pressing again returns the stored PDF, no new work.
    for callback in callbacks:
        callback()
    with django_capture_on_commit_callbacks() as callbacks:
        client.post(request_url)
    assert callbacks == []
    assert RoundDocument.objects.count() == 1


def test_round_results_pending_rows_unique_per_round_in_the_database(contest_env):
    from django.db import IntegrityError, transaction

    RoundDocument.objects.create(round=contest_env.prelim, kind="results")
    with pytest.raises(IntegrityError), transaction.atomic():
        RoundDocument.objects.create(round=contest_env.prelim, kind="results")
    # The other round, and finished rows, are not pending ones.
    RoundDocument.objects.create(round=contest_env.final, kind="results")
    RoundDocument.objects.create(round=contest_env.prelim, kind="results", finished_at=timezone.now(), failed=True)
    assert RoundDocument.objects.count() == 3


def test_round_results_stale_after_a_new_submitted_score(contest_env, login, media, django_capture_on_commit_callbacks):
    client, url, request_url, document = _requested(contest_env, login, django_capture_on_commit_callbacks, 3)
    old_pdf = _stored_pdf(document)
    assert client.get(url)["Content-Type"] == "application/pdf"

    # A judge's draft on a sheet never submitted does not change the results: still fresh.
    late = make_entry(make_entrant(contest_env.contest, email="muon@example.vn", name="Tác Giả Muộn"))
    make_eligible(contest_env, late)
    sheet = judging.assignment_create(round_=contest_env.prelim, entry=late, judge=contest_env.judges[0])
    judging.assignment_score(
        assignment=sheet,
        values={c.pk: Decimal(5) for c in contest_env.criteria},
        submit=False,
        by=contest_env.judges[0],
    )
    assert client.get(url)["Content-Type"] == "application/pdf"

    # Submitted, it does.
    _score(contest_env, sheet, [Decimal(10)] * 6)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert "Tạo biên bản kết quả chấm (PDF)" in page and "đã cũ: điểm đã thay đổi sau đó" in page
    # The stale copy can still be downloaded on purpose, unchanged.
    assert client.get(f"{url}?document={document.pk}").content == old_pdf

    with django_capture_on_commit_callbacks(execute=True):
        client.post(request_url)
    new = RoundDocument.objects.get()  # the older copy (row and file) is gone
    assert new.pk != document.pk and not (media / document.file.name).exists()
    response = client.get(url)
    assert response["Content-Type"] == "application/pdf"
    assert _codes_in_order(_text(response.content), "CT2019-")[0] == late.code


def test_round_results_stale_once_the_round_is_closed(contest_env, login, media, django_capture_on_commit_callbacks):
    """Closing the round names the authors in the minutes: the copy made before is stale."""
    _ranked_round(contest_env, 2)
    url, request_url = _results_urls(contest_env)
    client = login(contest_env.organiser)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(request_url)
    assert client.get(url)["Content-Type"] == "application/pdf"
    states.round_set_state(round_=contest_env.prelim, to=RoundState.CLOSED)
    assert client.get(url)["Content-Type"].startswith("text/html")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(request_url)
    assert "Tác Giả Số 0" in _flat(_text(client.get(url).content))


def test_round_results_with_the_broker_down_fail_with_a_message(
    contest_env, login, media, monkeypatch, django_capture_on_commit_callbacks
):
    from kombu.exceptions import OperationalError

    _ranked_round(contest_env, 2)
    url, request_url = _results_urls(contest_env)

    def broker_down(**kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    client = login(contest_env.organiser)
    with monkeypatch.context() as patch:
        patch.setattr(tasks.round_results_render, "delay", broker_down)
        with django_capture_on_commit_callbacks(execute=True):
            assert client.post(request_url).status_code == 302
    document = RoundDocument.objects.get()
    assert (document.failed, document.finished_at is not None, document.started_at, bool(document.file)) == (
        True,
        True,
        None,
        False,
    )
    assert document.error == (
        "Hàng đợi xử lý nền đang không hoạt động nên chưa tạo được biên bản. Vui lòng thử lại sau ít phút."
    )
    response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Không tạo được biên bản: " + document.error in page
    assert "hx-get" not in page and "Tạo biên bản kết quả chấm (PDF)" in page
    client.post(reverse("set_language"), {"language": "en", "next": url})
    english = client.get(url).content.decode()
    assert "The minutes could not be made: The background queue is down, so the minutes could not be made." in english
    assert "Make the results minutes (PDF)" in english
    client.post(reverse("set_language"), {"language": "vi", "next": url})

    # The broker back: the button works, and the failed row gives way to the new one.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(request_url)
    document = RoundDocument.objects.get()
    assert document.is_ready
    assert client.get(url)["Content-Type"] == "application/pdf"


def test_round_results_render_error_fails_the_row_and_mails_admins(
    contest_env, login, media, monkeypatch, settings, django_capture_on_commit_callbacks
):
    from contest import documents

    settings.ADMINS = [("Trực hệ thống", "ops@example.vn")]
    _ranked_round(contest_env, 2)
    url, request_url = _results_urls(contest_env)

    def broken(**kwargs):
        raise RuntimeError("WeasyPrint hỏng")

    monkeypatch.setattr(documents, "round_results_pdf", broken)
    monkeypatch.setattr(documents, "round_results_document", broken)  # the signed path renders from here
    client = login(contest_env.organiser)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(request_url)
    document = RoundDocument.objects.get()
    assert (document.failed, document.finished_at is not None, document.started_at is not None) == (True, True, True)
    assert document.error == "Lỗi khi tạo tệp PDF; quản trị hệ thống đã được báo. Vui lòng thử lại sau."
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["ops@example.vn"] and "WeasyPrint hỏng" in mail.outbox[0].body
    fragment = client.get(url, HTTP_HX_REQUEST="true")
    assert fragment.status_code == 286
    assert document.error in fragment.content.decode()


def test_round_results_task_returns_quietly_when_the_row_is_gone_or_done(
    contest_env, media, django_capture_on_commit_callbacks
):
    assert tasks.round_results_render.delay(document_id=987654) is not None  # no exception, nothing made
    assert RoundDocument.objects.count() == 0
    _ranked_round(contest_env, 2)
    with django_capture_on_commit_callbacks(execute=True):
        document = background_documents.round_results_request(round_=contest_env.prelim, by=contest_env.organiser)
    document.refresh_from_db()
    finished_at, name = document.finished_at, document.file.name
    # Delivered a second time (acks_late after a lost acknowledgement): nothing is redone.
    assert background_documents.round_document_render(document_id=document.pk) is None
    document.refresh_from_db()
    assert (document.finished_at, document.file.name) == (finished_at, name)
    assert sorted(p.name for p in (media / "contest" / "documents" / str(contest_env.contest.pk)).iterdir()) == [
        "ket-qua-cham-so-khao-thi-thu.pdf"
    ]


def test_round_results_request_lost_for_30_minutes_is_replaced(
    contest_env, login, media, django_capture_on_commit_callbacks
):
    _ranked_round(contest_env, 2)
    url, request_url = _results_urls(contest_env)
    lost = RoundDocument.objects.create(
        round=contest_env.prelim, kind="results", requested_at=timezone.now() - dt.timedelta(minutes=31)
    )
    client = login(contest_env.organiser)
    page = client.get(url).content.decode()
    assert "chưa có kết quả sau 30 phút" in page and "hx-get" not in page
    assert client.get(url, HTTP_HX_REQUEST="true").status_code == 286
    with django_capture_on_commit_callbacks(execute=True):
        client.post(request_url)
    document = RoundDocument.objects.get()
    assert document.pk != lost.pk and document.is_ready
    # The lost task, delivered after all, finds its row gone.
    assert background_documents.round_document_render(document_id=lost.pk) is None


def test_round_results_denied_to_judge_entrant_outsider(contest_env, login, media):
    _ranked_round(contest_env, 2)
    url, request_url = _results_urls(contest_env)
    entrant = Entry.objects.select_related("entrant__user").first().entrant.user
    for user in (contest_env.judges[1], entrant, contest_env.tree.outsider, contest_env.tree.gialam_head):
        client = login(user)
        assert client.get(url).status_code == 404, user.email
        assert client.post(request_url).status_code == 404, user.email
    assert RoundDocument.objects.count() == 0
    client = login(contest_env.organiser)
    missing_get, missing_post = _results_urls(contest_env, "semifinal")
    assert client.get(missing_get).status_code == 404
    assert client.post(missing_post).status_code == 404
    assert client.get(request_url).status_code == 405  # a GET never requests a render
    assert RoundDocument.objects.count() == 0


def test_round_results_anonymous_redirects_to_login(contest_env, client):
    url, request_url = _results_urls(contest_env)
    for response in (client.get(url), client.post(request_url)):
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert RoundDocument.objects.count() == 0


def test_round_results_document_of_another_round_not_served(
    contest_env, login, media, django_capture_on_commit_callbacks
):
    client, url, request_url, document = _requested(contest_env, login, django_capture_on_commit_callbacks, 2)
    final_url, _final_request = _results_urls(contest_env, "final")
    assert client.get(f"{final_url}?document={document.pk}").status_code == 404
    assert client.get(f"{url}?document=abc").status_code == 404
    failed = RoundDocument.objects.create(
        round=contest_env.prelim, kind="results", finished_at=timezone.now(), failed=True, error="x"
    )
    assert client.get(f"{url}?document={failed.pk}").status_code == 404


def test_round_results_linked_from_ranking_page(contest_env, login):
    page = (
        login(contest_env.organiser)
        .get(reverse("contest:round_ranking", args=[contest_env.contest.slug, "preliminary"]))
        .content.decode()
    )
    assert f'href="{reverse("contest:round_ranking_pdf", args=[contest_env.contest.slug, "preliminary"])}"' in page


@pytest.mark.parametrize("n", [3, 30])
def test_round_results_get_queries_do_not_grow_with_entries(
    contest_env, login, media, django_assert_max_num_queries, django_capture_on_commit_callbacks, n
):
    _ranked_round(contest_env, n)
    url, request_url = _results_urls(contest_env)
    client = login(contest_env.organiser)
    with django_assert_max_num_queries(9):
        assert client.get(url).status_code == 200  # the button page
    with django_capture_on_commit_callbacks() as callbacks:
        client.post(request_url)
    with django_assert_max_num_queries(9):
        assert client.get(url).status_code == 200  # pending
    with django_assert_max_num_queries(9):
        assert client.get(url, HTTP_HX_REQUEST="true").status_code == 200
    for callback in callbacks:
        callback()
    with django_assert_max_num_queries(9):
        response = client.get(url)  # the stored file
    assert len(_codes_in_order(_text(response.content), "CT2019-")) == n


@pytest.mark.parametrize("n", [3, 30])
def test_round_results_render_queries_do_not_grow_with_entries(contest_env, media, django_assert_max_num_queries, n):
    _ranked_round(contest_env, n)
    states.round_set_state(round_=contest_env.prelim, to=RoundState.CLOSED)
    document = RoundDocument.objects.create(round=contest_env.prelim, kind="results")
    # 12 to render and store, the minutes' number in the organising unit's register, and signing's constant
    # few: the credential, the SignedFile and its supersession.
    with django_assert_max_num_queries(19):
        assert background_documents.round_document_render(document_id=document.pk) is not None


def test_round_scores_as_of_ignores_showing_scores_to_the_judges(contest_env):
    """Round history rows that change nothing the results show keep a stored PDF fresh."""
    before = selectors.round_scores_as_of(contest_env.prelim)
    judging.round_set_scores_open(round_=contest_env.prelim, open_=True, by=contest_env.organiser)
    assert contest_env.prelim.history.count() == 2  # the change is in the history
    assert selectors.round_scores_as_of(contest_env.prelim) == before
    states.round_set_state(round_=contest_env.prelim, to=RoundState.CLOSED, by=contest_env.organiser)
    assert selectors.round_scores_as_of(contest_env.prelim) == contest_env.prelim.history.latest().history_date


# ---------------------------------------------------------------- the header, from the unit tree


def _header_left(pdf: bytes) -> str:
    """The left column of page 1's header (parent body over issuing body), lines joined by a space."""
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        page = doc.pages[0]
        # The left column ends at 30 mm + 40 % of the text width (documents/base_official.html).
        left_end = 0.4 * page.width + 34
        top = page.crop((0, 0, page.width, 110))
        return _flat(top.filter(lambda obj: obj.get("x0", 0) < left_end).extract_text())


@pytest.fixture
def run_by_gialam(sheet):
    """The contest set up by a district federation, whose parent is the city federation, not the UBND."""
    sheet.contest.organising_unit = sheet.tree.gialam
    sheet.contest.save()
    sheet.entry = Entry.objects.select_related("contest").get(pk=sheet.entry.pk)
    return sheet


def test_receipt_and_award_decision_headed_by_the_organising_unit(run_by_gialam):
    from contest.documents import award_decision_pdf, receipt_pdf

    for pdf in (
        receipt_pdf(entry=run_by_gialam.entry),
        award_decision_pdf(contest=run_by_gialam.entry.contest, awards=[]),
    ):
        assert _header_left(pdf).startswith("LIÊN ĐOÀN LAO ĐỘNG HUYỆN GIA LÂM BAN TỔ CHỨC CUỘC THI")
        assert "Gia Lâm, ngày" in _flat(_text(pdf))


def test_certificate_headed_by_the_organising_unit(run_by_gialam):
    from contest.documents import certificate_pdf
    from contest.models import Award, PrizeTier

    # Rendered from an award as the certificate task reads it; the award itself is not what is tested.
    award = Award(entry=run_by_gialam.entry, tier=PrizeTier.objects.get(group="individual", rank=1))
    assert _header_left(certificate_pdf(award=award)).startswith(
        "LIÊN ĐOÀN LAO ĐỘNG HUYỆN GIA LÂM BAN TỔ CHỨC CUỘC THI"
    )


def test_jury_documents_under_the_committee_at_the_organising_units_place(run_by_gialam):
    _score(run_by_gialam, run_by_gialam.assignment, SCORES)
    assignment = Assignment.objects.select_related("round__contest").get(pk=run_by_gialam.assignment.pk)
    for pdf in (score_sheet_pdf(assignment=assignment), round_results_pdf(round_=assignment.round)):
        assert _header_left(pdf).startswith("BAN TỔ CHỨC CUỘC THI BAN GIÁM KHẢO")
        assert "Gia Lâm, ngày" in _flat(_text(pdf))


def test_contest_without_organising_unit_is_headed_by_the_top_of_the_tree(sheet):
    from contest.documents import receipt_pdf

    assert _header_left(receipt_pdf(entry=sheet.entry)).startswith(
        "ỦY BAN NHÂN DÂN THÀNH PHỐ HÀ NỘI BAN TỔ CHỨC CUỘC THI"
    )


def test_score_sheet_signature_stays_with_the_last_lines(sheet):
    """On page 1 while it fits; when it does not, the comments' last lines go over with it: never alone."""
    sentence = "Giải pháp thiết thực, dễ nhân rộng, cần nêu rõ chi phí duy trì và lộ trình áp dụng tại các phường. "
    signature = "GIÁM KHẢO\nGiám Khảo 2"
    for repeats, pages_expected in ((2, 1), (6, 2)):
        _score(sheet, sheet.assignment, SCORES, comment=sentence * repeats)
        pdf = score_sheet_pdf(assignment=Assignment.objects.get(pk=sheet.assignment.pk))
        with pdfplumber.open(io.BytesIO(pdf)) as doc:
            pages = [page.extract_text() for page in doc.pages]
        assert len(pages) == pages_expected
        signed = [i for i, text in enumerate(pages) if signature in text]
        assert signed == [pages_expected - 1]
        if pages_expected > 1:
            before_signature = pages[-1].split(signature)[0]
            assert "lộ trình áp dụng tại các phường." in before_signature  # comment lines, not the page number only
