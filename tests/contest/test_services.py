import datetime as dt
import re
import uuid

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone

from campaign_portal.exceptions import PortalError
from contest import services
from contest.enums import Eligibility, EntrantKind, EntryStatus
from contest.models import Entry, EntryVersion
from contest.signals import entry_submitted

from .conftest import ENTRY_TEXT, make_entrant, make_entry

pytestmark = pytest.mark.django_db


def test_entry_submit_assigns_sequential_codes(contest_env):
    a = make_entry(make_entrant(contest_env.contest))
    b = make_entry(make_entrant(contest_env.contest))
    assert (a.code, b.code) == ("CT2019-0001", "CT2019-0002")
    assert a.status == EntryStatus.RECEIVED
    assert EntryVersion.objects.filter(entry=a).count() == 1


def test_entry_submit_twice_gives_one_code_and_one_version(contest_env):
    entrant = make_entrant(contest_env.contest)
    entry = make_entry(entrant, submit=False)
    first = services.entry_submit(entry=entry, by=entrant.user, send_receipt=False)
    second = services.entry_submit(entry=entry, by=entrant.user, send_receipt=False)
    assert first.code == second.code == "CT2019-0001"
    assert Entry.objects.filter(entrant=entrant).count() == 1
    assert EntryVersion.objects.filter(entry=entry).count() == 1


def test_entry_create_draft_same_key_gives_one_entry(contest_env):
    entrant = make_entrant(contest_env.contest)
    key = uuid.uuid4()
    one = services.entry_create_draft(entrant=entrant, draft_key=key)
    two = services.entry_create_draft(entrant=entrant, draft_key=key)
    assert one.pk == two.pk
    assert Entry.objects.filter(entrant=entrant).count() == 1


def test_entry_submit_before_window_refused(contest_env):
    entrant = make_entrant(contest_env.contest)
    entry = make_entry(entrant, submit=False)
    before = contest_env.prelim.submission_opens_at - dt.timedelta(seconds=1)
    with pytest.raises(PortalError):
        services.entry_submit(entry=entry, by=entrant.user, now=before, send_receipt=False)


def test_entry_submit_window_closes_at_local_midnight(contest_env):
    """The window closes at 00:00 Asia/Ho_Chi_Minh on 1 October: 23:59 local is in, 00:00 local is out."""
    tz = dt.timezone(dt.timedelta(hours=7))
    round_ = contest_env.prelim
    round_.submission_opens_at = dt.datetime(2019, 4, 1, 0, 0, tzinfo=tz)
    round_.submission_closes_at = dt.datetime(2019, 10, 1, 0, 0, tzinfo=tz)
    round_.save()
    entrant = make_entrant(contest_env.contest)
    inside = dt.datetime(2019, 9, 30, 23, 59, tzinfo=tz)
    # 17:30 UTC on 30 September is already 00:30 on 1 October in Hanoi.
    outside = dt.datetime(2019, 9, 30, 17, 30, tzinfo=dt.UTC)
    entry = services.entry_create_draft(entrant=entrant, now=inside)
    entry = services.entry_save(entry=entry, data=ENTRY_TEXT, by=entrant.user, now=inside)
    with pytest.raises(PortalError):
        services.entry_submit(entry=entry, by=entrant.user, now=outside, send_receipt=False)
    submitted = services.entry_submit(entry=entry, by=entrant.user, now=inside, send_receipt=False)
    assert submitted.code == "CT2019-0001"


def test_entry_save_after_window_is_refused(contest_env):
    entrant = make_entrant(contest_env.contest)
    entry = make_entry(entrant)
    after = contest_env.prelim.submission_closes_at + dt.timedelta(minutes=1)
    with pytest.raises(PortalError) as error:
        services.entry_save(entry=entry, data={"title": "Tên mới của sáng kiến này"}, by=entrant.user, now=after)
    assert "chỉ còn xem" in str(error.value)
    assert services.entry_is_editable(entry, now=after) is False


def test_entry_save_submitted_makes_a_version(contest_env):
    entrant = make_entrant(contest_env.contest)
    entry = make_entry(entrant)
    entry = services.entry_save(
        entry=entry, data={"title": "Một lần đến, trọn thủ tục khai sinh và kết hôn"}, by=entrant.user
    )
    assert entry.version == 2
    assert [v.number for v in entry.versions.all()] == [2, 1]
    assert entry.versions.first().data["title"] == "Một lần đến, trọn thủ tục khai sinh và kết hôn"


def test_entry_autosave_keeps_unaccented_text_but_submit_refuses(contest_env):
    entrant = make_entrant(contest_env.contest)
    entry = services.entry_create_draft(entrant=entrant)
    unaccented = "Nguoi dan phai di lai nhieu lan de nop ho so dang ky khai sinh"
    services.entry_autosave(entry=entry, data={**ENTRY_TEXT, "problem": unaccented})
    entry.refresh_from_db()
    assert entry.problem == unaccented
    with pytest.raises(PortalError) as error:
        services.entry_submit(entry=entry, by=entrant.user, send_receipt=False)
    assert "tiếng Việt có dấu" in str(error.value)
    entry.refresh_from_db()
    assert (entry.status, entry.code, entry.problem) == (EntryStatus.DRAFT, None, unaccented)


def test_entry_submit_unverified_refused(contest_env):
    entrant = make_entrant(contest_env.contest, verified=False)
    entry = make_entry(entrant, submit=False)
    with pytest.raises(PortalError):
        services.entry_submit(entry=entry, by=entrant.user, send_receipt=False)


def test_entry_submit_sends_signal_after_commit(contest_env, django_capture_on_commit_callbacks):
    received = []

    def handler(sender, entry, first_time, **kwargs):
        received.append((entry.code, first_time))

    entry_submitted.connect(handler)
    try:
        entrant = make_entrant(contest_env.contest)
        entry = make_entry(entrant, submit=False)
        with django_capture_on_commit_callbacks(execute=True):
            services.entry_submit(entry=entry, by=entrant.user, send_receipt=False)
    finally:
        entry_submitted.disconnect(handler)
    assert received == [("CT2019-0001", True)]


def test_entry_set_eligibility_reject_needs_reason(contest_env):
    entry = make_entry(make_entrant(contest_env.contest))
    with pytest.raises(PortalError):
        services.entry_set_eligibility(entry=entry, eligible=False, reason=" ", by=contest_env.organiser)
    entry = services.entry_set_eligibility(
        entry=entry, eligible=False, reason="Trùng với bài CT2019-0002", by=contest_env.organiser
    )
    assert (entry.status, entry.rejection_reason) == (EntryStatus.REJECTED, "Trùng với bài CT2019-0002")


def test_entrant_register_and_verify(contest_env, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        entrant = services.entrant_register(
            contest=contest_env.contest,
            email="Moi@Example.vn",
            password="mat-khau-dai-123",
            full_name="Lê Thị Mới",
            kind=EntrantKind.TEAM,
            team_members=["Lê Thị Mới", "Trần Văn Hai"],
            eligibility=Eligibility.CITIZEN,
        )
    assert entrant.user.is_active is False
    assert len(mail.outbox) == 1
    url = re.search(re.escape(settings.SITE_URL) + r"(/contest/\S+)", mail.outbox[0].body).group(1)
    uid, token = url.rstrip("/").split("/")[-2:]
    user = services.entrant_verify(contest=contest_env.contest, uidb64=uid, token=token)
    entrant.refresh_from_db()
    assert user.is_active is True and entrant.is_verified
    with pytest.raises(PortalError):  # a token works once: activating the user changed nothing the hash reads…
        services.entrant_verify(contest=contest_env.contest, uidb64=uid, token="bad-token")


def test_entrant_register_team_too_large_refused(contest_env):
    with pytest.raises(PortalError) as error:
        services.entrant_register(
            contest=contest_env.contest,
            email="nhom@example.vn",
            password="mat-khau-dai-123",
            full_name="Nhóm Lớn",
            kind=EntrantKind.TEAM,
            team_members=[f"Người {i}" for i in range(9)],
            eligibility=Eligibility.CITIZEN,
        )
    assert error.value.field == "team_members"


def test_entry_save_remove_scan_loses_nothing_when_refused_and_drops_a_draft_file_on_commit(
    contest_env, settings, tmp_path, django_capture_on_commit_callbacks
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from .test_validators import pdf_bytes

    settings.MEDIA_ROOT = tmp_path
    entrant = make_entrant(contest_env.contest)
    draft = services.entry_create_draft(entrant=entrant)
    draft = services.entry_save(
        entry=draft,
        data={"title": "Bản nháp có ảnh", "field": "ho-tich"},
        scan=SimpleUploadedFile("nhap.pdf", pdf_bytes()),
        by=entrant.user,
    )
    draft_file = draft.scan.name
    with django_capture_on_commit_callbacks(execute=True):
        draft = services.entry_save(entry=draft, data={}, remove_scan=True, by=entrant.user)
    assert (draft.scan.name or "", draft.scan.storage.exists(draft_file)) == ("", False)

    entry = services.entry_create_draft(entrant=entrant)
    entry = services.entry_save(
        entry=entry,
        data={"title": "Bài viết tay về hộ tịch", "field": "ho-tich"},
        scan=SimpleUploadedFile("bai.pdf", pdf_bytes()),
        by=entrant.user,
    )
    entry = services.entry_submit(entry=entry, by=entrant.user, send_receipt=False)
    scan = entry.scan.name
    # Without the scan the submitted entry has no content: the save is refused and the scan stays.
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(PortalError):
        services.entry_save(entry=entry, data={}, remove_scan=True, by=entrant.user)
    entry.refresh_from_db()
    assert (entry.scan.name, entry.scan.storage.exists(scan)) == (scan, True)


def test_entrant_register_existing_email_refused(contest_env):
    with pytest.raises(PortalError):
        services.entrant_register(
            contest=contest_env.contest,
            email="gk1@example.vn",
            password="x-12345678-y",
            full_name="Ai Đó",
            kind=EntrantKind.INDIVIDUAL,
            eligibility=Eligibility.CITIZEN,
        )


def test_entry_save_scan_only_entry_can_submit(contest_env):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from .test_validators import pdf_bytes

    entrant = make_entrant(contest_env.contest)
    entry = services.entry_create_draft(entrant=entrant)
    entry = services.entry_save(
        entry=entry,
        data={"title": "Bài viết tay về hộ tịch", "field": "ho-tich"},
        scan=SimpleUploadedFile("Nguyen Van Sang.pdf", pdf_bytes()),
        by=entrant.user,
    )
    entry = services.entry_submit(entry=entry, by=entrant.user, send_receipt=False)
    assert entry.scan_kind == "pdf"
    assert "Nguyen" not in entry.scan.name
    assert entry.code == "CT2019-0001"
    assert timezone.now() >= entry.submitted_at
