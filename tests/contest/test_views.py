"""Every role on every page; the blind rule; uploads through views; query counts."""

import datetime as dt
import io
import re
import uuid

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from contest import judging
from contest.enums import EntryStatus
from contest.models import Assignment, Entry

from .conftest import ENTRY_TEXT, make_eligible, make_entrant, make_entry, make_finalist
from .test_validators import pdf_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def judged(contest_env):
    """One entry by a named entrant, with a scan, assigned to judge 2."""
    env = contest_env
    env.entrant = make_entrant(
        env.contest,
        email="sang.nguyen@example.vn",
        name="Nguyễn Văn Sáng",
        organisation="Công ty Cổ phần Ánh Dương",
        phone="0987654321",
    )
    env.entry = make_entry(env.entrant)
    from contest import services

    env.entry = services.entry_save(
        entry=env.entry,
        data={},
        by=env.entrant.user,
        scan=SimpleUploadedFile("Nguyen Van Sang - bai du thi.pdf", pdf_bytes()),
    )
    env.entry = make_eligible(env, env.entry)
    env.assignment = judging.assignment_create(round_=env.prelim, entry=env.entry, judge=env.judges[1])
    return env


IDENTITY = ["Nguyễn Văn Sáng", "Nguyen Van Sang", "sang.nguyen@example.vn", "Ánh Dương", "0987654321"]


def _assert_blind(content: bytes):
    text = content.decode("utf-8", errors="replace")
    for needle in IDENTITY:
        assert needle not in text, needle


def test_judge_pages_never_show_identity(judged, login):
    client = login(judged.judges[1])
    for url in (reverse("contest:judge_queue"), reverse("contest:judge_assignment", args=[judged.assignment.pk])):
        response = client.get(url)
        assert response.status_code == 200
        _assert_blind(response.content)
    assert judged.entry.code.encode() in response.content


def test_judge_scan_renamed_and_stripped(judged, login):
    from pypdf import PdfReader

    response = login(judged.judges[1]).get(reverse("contest:judge_scan", args=[judged.assignment.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="{judged.entry.code}.pdf"'
    _assert_blind(response.content)
    reader = PdfReader(io.BytesIO(response.content))
    assert not reader.metadata  # no Author/Title/Producer
    assert len(reader.pages) == 1


def test_judge_scan_image_exif_stripped(judged, login):
    from PIL import Image

    exif = Image.Exif()
    exif[0x013B] = "Nguyen Van Sang"  # Artist
    out = io.BytesIO()
    Image.new("RGB", (30, 30), "white").save(out, format="JPEG", exif=exif)
    entry = Entry.objects.get(pk=judged.entry.pk)  # in judging: set directly, the service refuses edits now
    entry.scan.save("anh.jpg", SimpleUploadedFile("anh.jpg", out.getvalue()), save=False)
    entry.scan_kind = "jpg"
    entry.save()
    response = login(judged.judges[1]).get(reverse("contest:judge_scan", args=[judged.assignment.pk]))
    assert response["Content-Disposition"] == f'attachment; filename="{judged.entry.code}.jpg"'
    _assert_blind(response.content)
    assert not Image.open(io.BytesIO(response.content)).getexif()


def test_other_judge_and_contestant_cannot_open_assignment(judged, login, client):
    url = reverse("contest:judge_assignment", args=[judged.assignment.pk])
    assert login(judged.judges[2]).get(url).status_code == 404
    assert login(judged.entrant.user).get(url).status_code == 404
    assert (
        login(judged.tree.outsider).get(reverse("contest:judge_scan", args=[judged.assignment.pk])).status_code == 404
    )
    assert login(judged.tree.outsider).get(reverse("contest:judge_queue")).status_code == 404


def test_judge_scores_through_page(judged, login):
    client = login(judged.judges[1])
    data = {f"score_{c.pk}": "9" for c in judged.criteria}
    data.update({"comment": "Giải pháp thiết thực", "action": "submit"})
    response = client.post(reverse("contest:judge_assignment", args=[judged.assignment.pk]), data)
    assert response.status_code == 302
    judged.assignment.refresh_from_db()
    assert (judged.assignment.state, str(judged.assignment.total)) == ("submitted", "90.000")
    data[f"score_{judged.criteria[0].pk}"] = "12"
    response = client.post(reverse("contest:judge_assignment", args=[judged.assignment.pk]), data)
    assert response.status_code == 200  # the form comes back with what was typed
    assert b'value="12"' in response.content


def test_judge_does_not_see_other_scores_until_opened(judged, login):
    other = judging.assignment_create(round_=judged.prelim, entry=judged.entry, judge=judged.judges[2])
    judging.assignment_score(
        assignment=other, values={c.pk: 7 for c in judged.criteria}, submit=True, by=judged.judges[2]
    )
    client = login(judged.judges[1])
    url = reverse("contest:judge_assignment", args=[judged.assignment.pk])
    assert b"GK3" not in client.get(url).content
    judging.round_set_scores_open(round_=judged.prelim, open_=True)
    assert re.search(r"GK3: 70[.,]00", client.get(url).content.decode())


def test_judge_conflict_page_reassigns(judged, login):
    response = login(judged.judges[1]).post(
        reverse("contest:judge_conflict", args=[judged.assignment.pk]), {"reason": "Đồng nghiệp cũ"}
    )
    assert response.status_code == 302
    judged.assignment.refresh_from_db()
    assert judged.assignment.state == "withdrawn"
    assert Assignment.objects.filter(entry=judged.entry, state="assigned").exclude(judge=judged.judges[1]).count() == 1


def test_contestant_sees_only_own_entries(judged, login):
    other = make_entry(make_entrant(judged.contest, email="khac@example.vn", name="Trần Thị Khác"))
    client = login(judged.entrant.user)
    assert client.get(reverse("contest:entry_detail", args=[judged.entry.pk])).status_code == 200
    for name in ("contest:entry_detail", "contest:entry_edit", "contest:entry_scan", "contest:entry_receipt"):
        assert client.get(reverse(name, args=[other.pk])).status_code == 404, name
    page = client.get(reverse("contest:my_entries")).content.decode()
    assert judged.entry.code in page and other.code not in page


@pytest.mark.parametrize("who", ["entrant", "judge", "outsider", "gialam_head"])
def test_organiser_pages_denied_to_others(judged, login, who):
    user = {
        "entrant": judged.entrant.user,
        "judge": judged.judges[1],
        "outsider": judged.tree.outsider,
        "gialam_head": judged.tree.gialam_head,
    }[who]
    client = login(user)
    slug = judged.contest.slug
    for url in _organiser_urls(judged):
        assert client.get(url).status_code == 404, url
    assert (
        client.post(
            reverse("contest:entry_eligibility", args=[slug, judged.entry.pk]), {"decision": "rejected", "reason": "x"}
        ).status_code
        == 404
    )


def _organiser_urls(env):
    slug = env.contest.slug
    return [
        reverse("contest:manage_dashboard", args=[slug]),
        reverse("contest:manage_entries", args=[slug]),
        reverse("contest:manage_entry", args=[slug, env.entry.pk]),
        reverse("contest:duplicates", args=[slug]),
        reverse("contest:round_progress", args=[slug, "preliminary"]),
        reverse("contest:round_ranking", args=[slug, "preliminary"]),
        reverse("contest:round_assign", args=[slug, "preliminary"]),
        reverse("contest:manage_final", args=[slug]),
        reverse("contest:certificates", args=[slug]),
        reverse("contest:export", args=[slug]),
    ]


@pytest.mark.parametrize("who", ["organiser", "admin"])
def test_organiser_pages_open_for_organisers(judged, login, who):
    client = login(judged.organiser if who == "organiser" else judged.tree.admin)
    for url in _organiser_urls(judged):
        assert client.get(url).status_code == 200, url
    page = client.get(reverse("contest:manage_entry", args=[judged.contest.slug, judged.entry.pk])).content.decode()
    assert "Nguyễn Văn Sáng" in page  # organisers do see identities


def test_organiser_rejects_with_reason_contestant_sees_it(judged, login):
    entry = make_entry(make_entrant(judged.contest, email="b@example.vn"))
    login(judged.organiser).post(
        reverse("contest:entry_eligibility", args=[judged.contest.slug, entry.pk]),
        {"decision": "rejected", "reason": "Không thuộc đối tượng dự thi"},
    )
    page = login(entry.entrant.user).get(reverse("contest:entry_detail", args=[entry.pk])).content.decode()
    assert "Không thuộc đối tượng dự thi" in page


def test_public_page_anonymous_shows_count(judged, client):
    response = client.get(reverse("contest:public", args=[judged.contest.slug]))
    assert response.status_code == 200
    assert "1 bài dự thi đã nộp" in response.content.decode()
    _assert_blind(response.content)


def test_entry_new_submit_through_view_twice_gives_one_entry(contest_env, login):
    entrant = make_entrant(contest_env.contest)
    client = login(entrant.user)
    key = str(uuid.uuid4())
    data = {**ENTRY_TEXT, "draft_key": key, "action": "submit"}
    first = client.post(reverse("contest:entry_new", args=[contest_env.contest.slug]), data)
    second = client.post(reverse("contest:entry_new", args=[contest_env.contest.slug]), data)
    assert first.status_code == 302 and second.status_code in (200, 302)
    assert Entry.objects.filter(entrant=entrant).count() == 1
    assert Entry.objects.get(entrant=entrant).code == "CT2019-0001"


def test_entry_new_unaccented_keeps_text_and_shows_error(contest_env, login):
    entrant = make_entrant(contest_env.contest)
    client = login(entrant.user)
    unaccented = "Nguoi dan phai di lai nhieu lan de nop ho so"
    data = {**ENTRY_TEXT, "problem": unaccented, "draft_key": str(uuid.uuid4()), "action": "submit"}
    response = client.post(reverse("contest:entry_new", args=[contest_env.contest.slug]), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "tiếng Việt có dấu" in page and unaccented in page
    assert Entry.objects.get(entrant=entrant).status == EntryStatus.DRAFT
    # The refusal sits at the field it concerns, which is marked invalid and points at its message.
    form = response.context["form"]
    assert form.errors == {
        "problem": [
            "Mục “thực trạng, vấn đề hiện nay” phải viết bằng tiếng Việt có dấu (theo thể lệ cuộc thi). "
            "Văn bản không dấu hoặc không phải tiếng Việt không được chấp nhận."
        ]
    }
    textarea = re.search(r"<textarea[^>]*name=\"problem\"[^>]*>", page).group(0)
    assert 'aria-invalid="true"' in textarea
    described_by = re.search(r'aria-describedby="([^"]+)"', textarea).group(1).split()
    assert any(
        f'id="{error_id}"' in page and "tiếng Việt có dấu" in page.split(f'id="{error_id}"')[1][:400]
        for error_id in described_by
    )
    assert '<textarea name="solution"' in page and 'aria-invalid="true"' not in re.search(
        r"<textarea[^>]*name=\"solution\"[^>]*>", page
    ).group(0)


def test_entry_upload_wrong_type_through_view(contest_env, login):
    entrant = make_entrant(contest_env.contest)
    client = login(entrant.user)
    fake = SimpleUploadedFile("bai.pdf", b"MZ\x90\x00 not a pdf at all" * 10, content_type="application/pdf")
    response = client.post(
        reverse("contest:entry_new", args=[contest_env.contest.slug]),
        {**ENTRY_TEXT, "draft_key": str(uuid.uuid4()), "action": "save", "scan": fake},
    )
    assert response.status_code == 200
    assert (
        "Bản scan/ảnh bài viết tay: loại tệp không được chấp nhận (kiểm tra theo nội dung tệp, không theo "
        "tên). Chỉ nhận: PDF, JPEG, PNG."
    ) in response.content.decode()


def test_autosave_creates_one_draft_and_keeps_nfd_as_nfc(contest_env, login):
    import unicodedata

    entrant = make_entrant(contest_env.contest)
    client = login(entrant.user)
    key = str(uuid.uuid4())
    url = reverse("contest:autosave", args=[contest_env.contest.slug])
    nfd = unicodedata.normalize("NFD", "Giải pháp một cửa")
    for _i in range(2):
        response = client.post(url, {"draft_key": key, "title": nfd}, HTTP_HX_REQUEST="true")
        assert response.status_code == 200 and "Đã lưu nháp" in response.content.decode()
    entry = Entry.objects.get(entrant=entrant)
    assert entry.title == "Giải pháp một cửa" and entry.status == EntryStatus.DRAFT
    assert login(contest_env.judges[0]).post(url, {"draft_key": key}).status_code == 404


def test_autosave_reads_the_contest_and_its_rounds_once(contest_env, login, django_assert_max_num_queries):
    """Typing autosaves every few seconds: each save reads the contest and its rounds once, not again for the
    entrant's and the entry's checks, and takes no savepoint for a draft that exists."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(make_entrant(contest_env.contest).user)
    key = str(uuid.uuid4())
    url = reverse("contest:autosave", args=[contest_env.contest.slug])
    assert client.post(url, {"draft_key": key, "title": "Một cửa"}, HTTP_HX_REQUEST="true").status_code == 200
    with CaptureQueriesContext(connection) as captured, django_assert_max_num_queries(8):
        response = client.post(url, {"draft_key": key, "title": "Một cửa liên thông"}, HTTP_HX_REQUEST="true")
    assert "Đã lưu nháp" in response.content.decode()
    reads = [q["sql"] for q in captured.captured_queries]
    assert sum('FROM "contest_contest"' in sql for sql in reads) == 1
    assert sum('FROM "contest_round"' in sql for sql in reads) == 1
    assert not any("SAVEPOINT" in sql for sql in reads)
    assert Entry.objects.get(draft_key=key).title == "Một cửa liên thông"


def test_entry_edit_after_window_is_read_only(judged, login):
    import datetime as dt

    from django.utils import timezone

    judged.prelim.submission_closes_at = timezone.now() - dt.timedelta(minutes=1)
    judged.prelim.save()
    client = login(judged.entrant.user)
    response = client.get(reverse("contest:entry_edit", args=[judged.entry.pk]))
    assert response.status_code == 302
    response = client.post(reverse("contest:entry_edit", args=[judged.entry.pk]), {**ENTRY_TEXT, "title": "Đổi tên"})
    assert response.status_code == 302
    judged.entry.refresh_from_db()
    assert judged.entry.title == ENTRY_TEXT["title"]


def test_register_page_sends_verification(contest_env, client, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("contest:register", args=[contest_env.contest.slug]),
            {
                "full_name": "Phạm Thị Đăng Ký",
                "email": "dangky@example.vn",
                "password1": "mot-mat-khau-dai-9",
                "password2": "mot-mat-khau-dai-9",
                "kind": "individual",
                "eligibility": "citizen",
                "declare": "on",
            },
        )
    assert response.status_code == 200 and "Kiểm tra e-mail" in response.content.decode()
    assert len(mailoutbox) == 1
    path = re.search(re.escape(settings.SITE_URL) + r"(/contest/\S+)", mailoutbox[0].body).group(1)
    assert client.get(path).status_code == 200  # a GET only shows the button
    response = client.post(path)
    assert response.status_code == 302 and response.url == reverse("contest:my_entries")


def _many_entries(env, n):
    entries = []
    for i in range(n):
        entry = make_entry(make_entrant(env.contest, email=f"nhieu{i}@example.vn", name=f"Thí Sinh {i}"))
        make_eligible(env, entry)
        entries.append(entry)
    judging.assignment_auto(round_=env.prelim, k=2)
    for a in Assignment.objects.select_related("judge"):
        judging.assignment_score(
            assignment=a, values={c.pk: 6 + a.pk % 4 for c in env.criteria}, submit=True, by=a.judge
        )
    return entries


@pytest.mark.parametrize("n", [3, 12])
def test_query_counts_bounded(contest_env, login, django_assert_max_num_queries, n):
    _many_entries(contest_env, n)
    slug = contest_env.contest.slug
    organiser = login(contest_env.organiser)
    for url in (
        reverse("contest:manage_entries", args=[slug]),
        reverse("contest:round_ranking", args=[slug, "preliminary"]),
        reverse("contest:round_ranking", args=[slug, "preliminary"]) + "?order=z",
        reverse("contest:round_progress", args=[slug, "preliminary"]),
        reverse("contest:duplicates", args=[slug]),
        reverse("contest:manage_dashboard", args=[slug]),
    ):
        with django_assert_max_num_queries(14):
            assert organiser.get(url).status_code == 200
    judge = login(contest_env.judges[1])
    with django_assert_max_num_queries(10):
        assert judge.get(reverse("contest:judge_queue")).status_code == 200
    assignment = Assignment.objects.filter(judge=contest_env.judges[1]).first()
    with django_assert_max_num_queries(12):
        assert judge.get(reverse("contest:judge_assignment", args=[assignment.pk])).status_code == 200
    contestant = login(Entry.objects.first().entrant.user)
    with django_assert_max_num_queries(10):
        assert contestant.get(reverse("contest:my_entries")).status_code == 200


def test_receipt_pdf_and_email_on_submit(contest_env, login, mailoutbox, django_capture_on_commit_callbacks):
    entrant = make_entrant(contest_env.contest, email="bien.nhan@example.vn")
    client = login(entrant.user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("contest:entry_new", args=[contest_env.contest.slug]),
            {**ENTRY_TEXT, "draft_key": str(uuid.uuid4()), "action": "submit"},
        )
    entry = Entry.objects.get(entrant=entrant)
    assert len(mailoutbox) == 1
    assert mailoutbox[0].subject == f"Biên nhận bài dự thi {entry.code}"
    assert mailoutbox[0].attachments[0][0] == f"bien-nhan-{entry.code}.pdf"
    response = client.get(reverse("contest:entry_receipt", args=[entry.pk]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    import pdfplumber

    with pdfplumber.open(io.BytesIO(response.content)) as pdf:
        text = pdf.pages[0].extract_text()
    assert entry.code in text and "GIẤY BIÊN NHẬN" in text
    # Both name the public look-up page the receipt sends the entrant to.
    lookup_url = settings.SITE_URL + reverse("contest:entry_lookup")
    assert f"Theo dõi trạng thái bài trên Cổng thông tin (mã bài và e-mail này):\n{lookup_url}" in mailoutbox[0].body
    assert f"tra cứu trạng thái bài trên Cổng thông tin tại {lookup_url}" in " ".join(text.split())


def _first_prize_winner(contest_env):
    from contest import results
    from contest.models import PrizeTier

    entry = make_entry(make_entrant(contest_env.contest, name="Đỗ Thị Đạt Giải"))
    entry = make_finalist(contest_env, entry)
    results.award_set(entry=entry, tier=PrizeTier.objects.get(group="individual", rank=1))
    return entry


def test_certificates_rendered_in_background(contest_env, login, django_capture_on_commit_callbacks):
    from contest.models import Award, CertificateBatch

    _first_prize_winner(contest_env)
    client = login(contest_env.organiser)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("contest:certificates", args=[contest_env.contest.slug]))
    assert response.status_code == 302
    batch = CertificateBatch.objects.get()
    assert (batch.total, batch.done, batch.failed, batch.finished_at is not None) == (1, 1, 0, True)
    award = Award.objects.get()
    response = client.get(reverse("contest:certificate", args=[contest_env.contest.slug, award.pk]))
    assert response.content.startswith(b"%PDF")
    import pdfplumber

    with pdfplumber.open(io.BytesIO(response.content)) as pdf:
        text = pdf.pages[0].extract_text()
    assert "GIẤY CHỨNG NHẬN" in text and "Đỗ Thị Đạt Giải" in text and "GIẢI NHẤT" in text


def test_award_decision_pdf_lists_winners(contest_env, login):
    from contest import results
    from contest.models import PrizeTier

    entry = make_entry(make_entrant(contest_env.contest, name="Hoàng Thị Khen"))
    entry = make_finalist(contest_env, entry)
    results.award_set(entry=entry, tier=PrizeTier.objects.get(group="individual", rank=1))
    url = reverse("contest:award_decision", args=[contest_env.contest.slug])
    assert login(contest_env.judges[0]).get(url).status_code == 404
    response = login(contest_env.organiser).get(url)
    assert response.content.startswith(b"%PDF")
    import pdfplumber

    with pdfplumber.open(io.BytesIO(response.content)) as pdf:
        text = "\n".join(page.extract_text() for page in pdf.pages)
    assert "QUYẾT ĐỊNH" in text and "Hoàng Thị" in text and "34/KH-UBND" in text


def test_awards_post_after_publication_is_refused_politely(contest_env, login):
    from contest import results

    _first_prize_winner(contest_env)
    results.results_publish(contest=contest_env.contest, by=contest_env.organiser)
    response = login(contest_env.organiser).post(reverse("contest:awards", args=[contest_env.contest.slug]), {})
    assert response.status_code == 302


def test_certificates_with_the_broker_down_end_as_failed_not_as_an_error(
    contest_env, login, monkeypatch, django_capture_on_commit_callbacks
):
    from kombu.exceptions import OperationalError

    from contest import tasks
    from contest.models import CertificateBatch

    _first_prize_winner(contest_env)

    def broker_down(**kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(tasks.certificates_render, "delay", broker_down)
    client = login(contest_env.organiser)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("contest:certificates", args=[contest_env.contest.slug]))
    assert response.status_code == 302
    batch = CertificateBatch.objects.get()
    assert (batch.total, batch.done, batch.failed, batch.finished_at is not None) == (1, 0, 1, True)
    page = client.get(reverse("contest:certificates", args=[contest_env.contest.slug])).content.decode()
    assert "0/1 đã tạo, 1 lỗi." in page


def test_organiser_reassigns_an_entry_to_the_chosen_judge(judged, login):
    url = reverse("contest:reassign", args=[judged.contest.slug, judged.assignment.pk])
    response = login(judged.organiser).post(url, {"judge": judged.judges[2].pk})
    assert response.status_code == 302
    live = Assignment.objects.filter(entry=judged.entry).exclude(state="withdrawn")
    assert list(live.values_list("judge_id", flat=True)) == [judged.judges[2].pk]


@pytest.mark.parametrize("judge", ["abc", "999999"])
def test_reassign_to_someone_not_on_the_panel_is_refused_and_changes_nothing(judged, login, judge):
    url = reverse("contest:reassign", args=[judged.contest.slug, judged.assignment.pk])
    response = login(judged.organiser).post(url, {"judge": judge}, follow=True)
    assert response.status_code == 200
    assert "không thuộc hội đồng chấm" in response.content.decode()
    judged.assignment.refresh_from_db()
    assert judged.assignment.state == "assigned"


@pytest.mark.django_db
def test_contest_list_says_which_contest_is_open_and_until_when(client, contest_env):
    from campaign_portal.calendar import HANOI
    from contest.models import Contest

    closes_at = dt.datetime(2027, 2, 27, 0, 0, tzinfo=HANOI)
    contest_env.prelim.submission_closes_at = closes_at
    contest_env.prelim.save()
    Contest.objects.create(slug="thi-cu", name="Cuộc thi cũ", year=2018, code_prefix="OLD")
    content = client.get("/contest/").content.decode()
    open_item = content[content.index('data-contest="thi-thu"') : content.index('data-contest="thi-cu"')]
    assert "Đang nhận bài" in open_item
    assert "Nhận bài dự thi đến hết 23 giờ 59 ngày 26/02/2027" in open_item
    closed_item = content[content.index('data-contest="thi-cu"') :]
    assert "Không trong thời gian nhận bài" in closed_item
    assert "Đang nhận bài" not in closed_item


@pytest.mark.django_db
def test_rounds_are_listed_preliminary_first(contest_env):
    from contest.enums import RoundKind

    assert [r.kind for r in contest_env.contest.rounds.all()] == [RoundKind.PRELIMINARY, RoundKind.FINAL]
    assert [r.sequence for r in contest_env.contest.rounds.all()] == [1, 2]


def test_after_verifying_her_email_write_new_entry_is_a_primary_button(contest_env, client):
    from contest.services import verification_url

    entrant = make_entrant(contest_env.contest, verified=False)
    response = client.post(verification_url(entrant.user, contest_env.contest), follow=True)
    assert response.redirect_chain == [(reverse("contest:my_entries"), 302)]
    page = response.content.decode()
    new_entry_url = reverse("contest:entry_new", args=[contest_env.contest.slug])
    assert f'<a class="btn btn-primary" href="{new_entry_url}">Viết bài mới</a>' in page


def test_team_members_only_for_a_team_entry(contest_env, login):
    from contest.enums import EntrantKind
    from contest.models import Entrant
    from tests.factories import UserFactory

    user = UserFactory(email="canhan@example.vn")
    client = login(user)
    url = reverse("contest:join", args=[contest_env.contest.slug])
    page = client.get(url).content.decode()
    assert "Chỉ điền khi dự thi theo hình thức “Nhóm tác giả”." in page  # the note where scripts do not run
    assert "/static/contest/entrant-kind.js" in page
    data = {"kind": "individual", "eligibility": "citizen", "declare": "on", "team_members": "Lê Văn Một\nLê Thị Hai"}
    assert client.post(url, data).status_code == 302  # typed members are ignored, not an error
    entrant = Entrant.objects.get(user=user)
    assert (entrant.kind, entrant.team_members) == (EntrantKind.INDIVIDUAL, [])
    client.post(url, {**data, "kind": "team"})
    entrant.refresh_from_db()
    assert (entrant.kind, entrant.team_members) == (EntrantKind.TEAM, ["Lê Văn Một", "Lê Thị Hai"])


def test_judge_queue_lists_pending_entries_before_finished_ones(contest_env, login):
    judge = contest_env.judges[1]
    entries = [make_entry(make_entrant(contest_env.contest, email=f"hang{i}@example.vn")) for i in range(4)]
    for entry in entries:
        make_eligible(contest_env, entry)
        judging.assignment_create(round_=contest_env.prelim, entry=entry, judge=judge, by=contest_env.organiser)
    mine = {a.entry_id: a for a in Assignment.objects.filter(judge=judge)}
    values = {c.pk: 8 for c in contest_env.criteria}
    # The first three (by code) finished, the last one saved as a draft only.
    for entry in entries[:3]:
        judging.assignment_score(assignment=mine[entry.pk], values=values, submit=True, by=judge)
    judging.assignment_score(assignment=mine[entries[3].pk], values=values, submit=False, by=judge)
    response = login(judge).get(reverse("contest:judge_queue"))
    rows = [(a.entry.code, a.get_state_display()) for a in response.context["assignments"]]
    assert rows == [
        (entries[3].code, "Đã lưu điểm"),
        (entries[0].code, "Đã nộp điểm"),
        (entries[1].code, "Đã nộp điểm"),
        (entries[2].code, "Đã nộp điểm"),
    ]


def test_judge_save_and_submit_messages_match_the_assignment_state(contest_env, login):
    entry = make_entry(make_entrant(contest_env.contest))
    make_eligible(contest_env, entry)
    judge = contest_env.judges[1]
    judging.assignment_create(round_=contest_env.prelim, entry=entry, judge=judge, by=contest_env.organiser)
    assignment = Assignment.objects.get(judge=judge)
    client = login(judge)
    url = reverse("contest:judge_assignment", args=[assignment.pk])
    data = {f"score_{c.pk}": "8" for c in contest_env.criteria}
    page = client.post(url, {**data, "action": "draft"}, follow=True).content.decode()
    assert "Đã lưu điểm. Điểm chưa được nộp: bấm “Nộp điểm” khi chấm xong." in page
    assert "· Đã lưu điểm</p>" in page
    # The running total's inputs (contest/score-total.js) and the server's authoritative total once saved.
    assert 'data-criterion-weight="2.00" data-criterion-min="0.00" data-criterion-max="10.00"' in page
    assert "/static/contest/score-total.js" in page
    assert "Tổng điểm đã lưu (do hệ thống tính): 80,00" in page
    page = client.post(url, {**data, "action": "submit"}, follow=True).content.decode()
    assert "Đã nộp điểm." in page and "· Đã nộp điểm</p>" in page
    assert "Đã lưu điểm" not in page


def test_opening_judging_while_receiving_asks_for_confirmation(contest_env, login):
    from campaign_portal.calendar import HANOI
    from contest import states
    from contest.enums import RoundState

    prelim = contest_env.prelim
    states.round_set_state(round_=prelim, to=RoundState.CLOSED, by=contest_env.organiser)
    prelim.refresh_from_db()
    prelim.submission_closes_at = dt.datetime.now(HANOI).replace(hour=0, minute=0, second=0, microsecond=0) + (
        dt.timedelta(days=2)
    )
    prelim.save()
    make_entry(make_entrant(contest_env.contest, email="nhap@example.vn"), submit=False)
    make_entry(make_entrant(contest_env.contest, email="da.nop1@example.vn"))
    make_entry(make_entrant(contest_env.contest, email="da.nop2@example.vn"))
    client = login(contest_env.organiser)
    url = reverse("contest:round_state", args=[contest_env.contest.slug, "preliminary"])
    response = client.post(url, {"state": "open"})
    assert response.status_code == 200
    prelim.refresh_from_db()
    assert prelim.state == RoundState.CLOSED  # nothing changed yet
    page = response.content.decode()
    last_day = (prelim.submission_closes_at.astimezone(HANOI) - dt.timedelta(days=1)).strftime("%d/%m/%Y")
    assert f"Thời gian nhận bài còn mở, đến hết 23 giờ 59 ngày {last_day}." in page
    assert "1 bài còn là bản nháp (thí sinh có thể còn nộp)." in page
    assert "2 bài đã nộp chưa được xét hợp lệ." in page
    assert client.post(url, {"state": "open", "confirmed": "1"}).status_code == 302
    prelim.refresh_from_db()
    assert prelim.state == RoundState.OPEN


def test_opening_judging_after_receiving_needs_no_confirmation(contest_env, login):
    from django.utils import timezone

    from contest import states
    from contest.enums import RoundState

    prelim = contest_env.prelim
    make_eligible(contest_env, make_entry(make_entrant(contest_env.contest)))
    states.round_set_state(round_=prelim, to=RoundState.CLOSED, by=contest_env.organiser)
    prelim.refresh_from_db()
    prelim.submission_closes_at = timezone.now() - dt.timedelta(hours=1)
    prelim.save()
    response = login(contest_env.organiser).post(
        reverse("contest:round_state", args=[contest_env.contest.slug, "preliminary"]), {"state": "open"}
    )
    assert response.status_code == 302
    prelim.refresh_from_db()
    assert prelim.state == RoundState.OPEN


def test_entry_lookup_needs_the_code_and_the_contact_used(contest_env, client):
    entrant = make_entrant(contest_env.contest, email="tra.cuu@example.vn", phone="0912 345 678")
    entry = make_entry(entrant)
    make_eligible(contest_env, entry)
    judging.assignment_create(
        round_=contest_env.prelim, entry=entry, judge=contest_env.judges[1], by=contest_env.organiser
    )
    assignment = Assignment.objects.get(entry=entry)
    judging.assignment_score(
        assignment=assignment, values={c.pk: 9 for c in contest_env.criteria}, submit=True, by=contest_env.judges[1]
    )
    url = reverse("contest:entry_lookup")
    assert client.get(url).status_code == 200
    for contact in ("TRA.CUU@example.vn", "0912345678", "0912.345.678"):
        response = client.post(url, {"code": entry.code.lower(), "contact": contact})
        assert response.status_code == 200, contact
        assert response.context["entry"] == entry
        page = response.content.decode()
        assert 'data-entry-status="in_judging"><strong>Đang chấm</strong>' in page
        # Never who judges it, nor a score.
        assert contest_env.judges[1].full_name not in page and "GK2" not in page
        assert "100,00" not in page and "90,00" not in page
    # A wrong contact and an unknown code get the same answer.
    wrong = client.post(url, {"code": entry.code, "contact": "khac@example.vn"})
    unknown = client.post(url, {"code": "CT2019-9999", "contact": "tra.cuu@example.vn"})
    for response in (wrong, unknown):
        assert response.status_code == 404
        assert response.context["entry"] is None
        assert "Không tìm thấy bài dự thi với mã và thông tin liên hệ này." in response.content.decode()
        assert response.context["form"]["contact"].value() in ("khac@example.vn", "tra.cuu@example.vn")


def test_entry_lookup_is_rate_limited(contest_env, client):
    from campaign_portal.ratelimit import CONTEST_ENTRY_LOOKUP

    url = reverse("contest:entry_lookup")
    for _ in range(CONTEST_ENTRY_LOOKUP.limit):
        assert client.post(url, {"code": "CT2019-0001", "contact": "a@example.vn"}).status_code == 404
    response = client.post(url, {"code": "CT2019-0001", "contact": "a@example.vn"})
    assert response.status_code == 429
    assert "Bạn đã tra cứu quá nhiều lần trong một giờ." in response.content.decode()
