"""Writes for contestants and the secretariat: registration, drafts, submission, eligibility."""

from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode
from django.utils.translation import gettext as _

from campaign_portal.background import delay_on_commit
from campaign_portal.exceptions import PortalError
from campaign_portal.text import nfc
from campaign_portal.uploads import SCAN, upload_check
from notifications.enums import NotificationKind
from notifications.services import mail_enqueue
from organizations.models import AdministrativeArea
from organizations.tokens import account_link_kwargs

from . import tasks
from .enums import ELIGIBILITY_STATUSES, EntrantKind, EntryStatus, RoundKind
from .models import TEXT_FIELDS, Contest, Entrant, Entry, EntryVersion, Round
from .numbering import receipt_number
from .rules import can_manage
from .signals import entry_submitted
from .states import entry_set_state
from .validators import EntryContentError, check_vietnamese

User = get_user_model()

EDITABLE_STATUSES = {EntryStatus.DRAFT, EntryStatus.RECEIVED, EntryStatus.ELIGIBLE, EntryStatus.REJECTED}


# ---------------------------------------------------------------- registration


def _entrant_fields(*, kind, display_name, team_members, organisation, area, phone, eligibility, contest):
    team_members = [nfc(m).strip() for m in (team_members or []) if nfc(m).strip()]
    if kind == EntrantKind.TEAM and not 2 <= len(team_members) <= contest.max_team_size:
        raise PortalError(
            _("Nhóm tác giả gồm từ 2 đến %(n)s người: ghi mỗi thành viên một dòng.") % {"n": contest.max_team_size},
            field="team_members",
        )
    if kind == EntrantKind.ORGANISATION and not nfc(organisation).strip():
        raise PortalError(_("Ghi tên cơ quan, tổ chức, doanh nghiệp dự thi."), field="organisation")
    if not eligibility:
        raise PortalError(_("Hãy khai báo đối tượng dự thi."), field="eligibility")
    return dict(
        kind=kind,
        display_name=display_name,
        team_members=team_members if kind == EntrantKind.TEAM else [],
        organisation=organisation,
        area=area,
        # Once an area is chosen, the district typed before it became a choice is no longer needed.
        **({"legacy_district": ""} if area is not None else {}),
        phone=phone,
        eligibility=eligibility,
    )


def verification_url(user, contest) -> str:
    return reverse("contest:verify", kwargs={"slug": contest.slug, **account_link_kwargs(user)})


@transaction.atomic
def entrant_register(
    *,
    contest: Contest,
    email: str,
    password: str,
    full_name: str,
    kind: str,
    display_name: str = "",
    team_members=None,
    organisation: str = "",
    area: AdministrativeArea | None = None,
    phone: str = "",
    eligibility: str,
) -> Entrant:
    """A new contestant: an inactive account until the e-mail link is opened."""
    email = (email or "").strip().lower()
    if User.objects.filter(email=email).exists():
        raise PortalError(_("E-mail này đã có tài khoản: hãy đăng nhập rồi đăng ký dự thi."), field="email")
    fields = _entrant_fields(
        kind=kind,
        display_name=display_name or full_name,
        team_members=team_members,
        organisation=organisation,
        area=area,
        phone=phone,
        eligibility=eligibility,
        contest=contest,
    )
    user = User.objects.create_user(email=email, password=password, full_name=full_name, phone=phone, is_active=False)
    entrant = Entrant.objects.create(contest=contest, user=user, eligibility_declared_at=timezone.now(), **fields)
    entrant_send_verification(entrant=entrant)
    return entrant


# One verification mail per entrant per ten minutes, however often "resend" is pressed.
VERIFICATION_WINDOW_SECONDS = 600


def entrant_send_verification(*, entrant: Entrant, now=None) -> None:
    """Queues the verification e-mail (the outbox sends it after commit, retrying if the
    mail server refuses). Nothing for an entrant already verified."""
    if entrant.email_verified_at is not None:
        return
    moment = now or timezone.now()
    mail_enqueue(
        recipient=entrant.user,
        kind=NotificationKind.CONTEST_VERIFY_EMAIL,
        subject=entrant,
        window=f"verify-{int(moment.timestamp()) // VERIFICATION_WINDOW_SECONDS}",
    )


def entrant_resend_verification(*, contest: Contest, email: str) -> None:
    """The "resend" button: silent whether or not the address is registered (no enumeration)."""
    entrant = (
        Entrant.objects.select_related("user")
        .filter(contest=contest, user__email=(email or "").strip().lower(), email_verified_at__isnull=True)
        .first()
    )
    if entrant is not None:
        entrant_send_verification(entrant=entrant)


@transaction.atomic
def entrant_verify(*, contest: Contest, uidb64: str, token: str):
    try:
        user = User.objects.select_for_update().get(pk=force_str(urlsafe_base64_decode(uidb64)))
    except (User.DoesNotExist, ValueError, TypeError, OverflowError):
        user = None
    if user is None or not default_token_generator.check_token(user, token):
        raise PortalError(_("Đường dẫn xác nhận không hợp lệ hoặc đã hết hạn."))
    user.is_active = True
    user.save(update_fields=["is_active"])
    Entrant.objects.filter(user=user, email_verified_at__isnull=True).update(email_verified_at=timezone.now())
    return user


@transaction.atomic
def entrant_join(
    *,
    contest: Contest,
    user,
    kind: str,
    display_name: str = "",
    team_members=None,
    organisation: str = "",
    area: AdministrativeArea | None = None,
    phone: str = "",
    eligibility: str,
) -> Entrant:
    """A signed-in user (whose e-mail is known) enters a contest. Twice → the same entrant, updated."""
    fields = _entrant_fields(
        kind=kind,
        display_name=display_name or user.full_name,
        team_members=team_members,
        organisation=organisation,
        area=area,
        phone=phone,
        eligibility=eligibility,
        contest=contest,
    )
    unit = next((m.unit for m in user.active_memberships), None)
    entrant, _created = Entrant.objects.update_or_create(
        contest=contest,
        user=user,
        defaults={
            **fields,
            "unit": unit,
            "lineage": unit.lineage if unit else "",
            "eligibility_declared_at": timezone.now(),
        },
    )
    if entrant.email_verified_at is None:
        entrant.email_verified_at = timezone.now()
        entrant.save(update_fields=["email_verified_at"])
    return entrant


# ---------------------------------------------------------------- entries


def preliminary_round(contest: Contest) -> Round | None:
    return next((r for r in contest.rounds.all() if r.kind == RoundKind.PRELIMINARY), None)


def entry_is_editable(entry: Entry, *, now=None) -> bool:
    round_ = preliminary_round(entry.contest)
    return bool(round_ and round_.submission_is_open(now) and entry.status in EDITABLE_STATUSES)


def _require_editable(entry: Entry, now=None) -> None:
    if not entry_is_editable(entry, now=now):
        raise PortalError(_("Đã hết hạn nhận bài hoặc bài đã vào vòng chấm: bài dự thi chỉ còn xem được."))


def entry_create_draft(*, entrant: Entrant, draft_key=None, now=None) -> Entry:
    """The first keystroke creates the draft; the same draft_key twice gives the same entry."""
    round_ = preliminary_round(entrant.contest)
    if not (round_ and round_.submission_is_open(now)):
        raise PortalError(_("Cuộc thi không trong thời gian nhận bài."))
    if draft_key is None:
        return Entry.objects.create(contest=entrant.contest, entrant=entrant)
    # get_or_create answers a concurrent first keystroke (the unique draft key) with the entry the other one made.
    entry, _created = Entry.objects.get_or_create(
        entrant=entrant, draft_key=draft_key, defaults={"contest": entrant.contest}
    )
    # The entrant's contest and rounds, already loaded, for the autosave's checks that follow.
    entry.contest, entry.entrant = entrant.contest, entrant
    return entry


def entry_autosave(*, entry: Entry, data: dict, now=None) -> Entry:
    """htmx autosave of a draft: stores what was typed, as typed (NFC), without judging it."""
    if entry.status != EntryStatus.DRAFT:
        raise PortalError(_("Chỉ bản nháp được tự động lưu; bài đã nộp được sửa bằng nút Lưu thay đổi."))
    _require_editable(entry, now)
    for name in (*TEXT_FIELDS, "field"):
        if name in data:
            setattr(entry, name, data[name] or "")
    entry.normalise()
    # The typed text only, and no history row: autosaves do not flood the history; versions are made on submission.
    entry.save_without_historical_record(
        update_fields=[*TEXT_FIELDS, "field", "search_text", "title_folded", "updated_at"]
    )
    return entry


def validate_entry_content(entry: Entry) -> None:
    """Raises EntryContentError with each fault attached to its field."""
    errors: dict[str | None, list[str]] = {}
    if not entry.title:
        errors.setdefault("title", []).append(_("Chưa có tên sáng kiến, giải pháp, mô hình."))
    if entry.field not in entry.contest.field_labels:
        errors.setdefault("field", []).append(_("Chọn lĩnh vực của bài dự thi."))
    if not entry.scan and not (entry.problem and entry.solution):
        missing = "problem" if not entry.problem else "solution"
        errors.setdefault(missing, []).append(
            _("Viết phần thực trạng và giải pháp, hoặc tải lên bản scan/ảnh bài viết tay.")
        )
    labels = {name: str(Entry._meta.get_field(name).verbose_name) for name in TEXT_FIELDS}
    for name in TEXT_FIELDS:
        try:
            check_vietnamese(getattr(entry, name), label=labels[name], field=name)
        except PortalError as error:
            errors.setdefault(name, []).append(error.message)
    if errors:
        raise EntryContentError(errors)


def _snapshot(entry: Entry) -> dict:
    data = {name: getattr(entry, name) for name in (*TEXT_FIELDS, "field")}
    data["scan"] = entry.scan.name if entry.scan else ""
    return data


@transaction.atomic
def entry_save(*, entry: Entry, data: dict, scan=None, remove_scan: bool = False, by, now=None) -> Entry:
    """Explicit save. A draft keeps anything; a submitted entry is checked and versioned."""
    contest = entry.contest  # the caller's, with the rounds it may have read: the window is checked without a new read
    entry = Entry.objects.select_for_update().get(pk=entry.pk)
    entry.contest = contest
    _require_editable(entry, now)
    for name in (*TEXT_FIELDS, "field"):
        if name in data:
            setattr(entry, name, data[name] or "")
    if "hall_of_fame_consent" in data:
        entry.hall_of_fame_consent = bool(data["hall_of_fame_consent"])
    stored = ""
    if scan is not None:
        checked = upload_check(
            upload=scan,
            kind=SCAN,
            label=_("Bản scan/ảnh bài viết tay"),
            field="scan",
            max_bytes=entry.contest.max_upload_bytes,
        )
        entry.scan_kind = checked.extension
        entry.scan.save(f"scan.{entry.scan_kind}", checked.content, save=False)
        stored = entry.scan.name
    elif remove_scan and entry.scan:
        removed, storage = entry.scan.name, entry.scan.storage
        entry.scan, entry.scan_kind = None, ""
        if not entry.is_submitted:  # a submitted entry's versions still show it; a refused save keeps it
            transaction.on_commit(lambda: storage.delete(removed))
    entry.normalise()
    if entry.is_submitted:
        try:
            validate_entry_content(entry)
        except PortalError:
            if stored:  # the save is refused: the new file must not stay in storage
                entry.scan.storage.delete(stored)
            raise
        entry.version += 1
        EntryVersion.objects.create(entry=entry, number=entry.version, data=_snapshot(entry), by=by)
        if entry.status == EntryStatus.REJECTED:  # a mended entry is received again, to be checked again
            entry.rejection_reason = ""
            return entry_set_state(entry=entry, to=EntryStatus.RECEIVED, by=by, also=None)
    entry.save()
    return entry


def _next_code(contest_id: int) -> str:
    contest = Contest.objects.select_for_update().get(pk=contest_id)
    contest.last_entry_number += 1
    contest.save(update_fields=["last_entry_number"])
    return f"{contest.code_prefix}-{contest.last_entry_number:04d}"


def entry_submit(*, entry: Entry, by, now=None, send_receipt: bool = True) -> Entry:
    """Submit within the window: one code (mã bài dự thi), one receipt. A second submit changes nothing."""
    with transaction.atomic():
        entry = Entry.objects.select_for_update().select_related("contest", "entrant__user").get(pk=entry.pk)
        if entry.is_submitted:
            return entry
        _require_editable(entry, now)
        if not entry.entrant.is_verified:
            raise PortalError(_("Hãy xác nhận địa chỉ e-mail trước khi nộp bài."))
        entry.normalise()
        validate_entry_content(entry)
        entrant = entry.entrant
        entry.code = _next_code(entry.contest_id)
        entry.submitted_at = now or timezone.now()
        receipt_number(entry=entry, on=timezone.localdate(entry.submitted_at))
        entry.category = entrant.eligibility
        entry.area_id = entrant.area_id
        entry.legacy_district = entrant.legacy_district
        entry.lineage = entrant.lineage
        entry.version = 1
        entry_set_state(entry=entry, to=EntryStatus.RECEIVED, by=by, also=None)
        EntryVersion.objects.create(entry=entry, number=1, data=_snapshot(entry), by=by)
        # Numbered now; the receipt is rendered and signed by a worker once this commits (or by the receipt
        # e-mail, if that goes first), so a submission in the last hour's rush costs no PDF.
        delay_on_commit(tasks.receipt_sign, [{"entry_id": entry.pk}], what="receipt signing")
        submitted = entry
        if send_receipt:
            mail_enqueue(
                recipient=entry.entrant.user, kind=NotificationKind.CONTEST_RECEIPT, subject=entry, window="receipt"
            )
        transaction.on_commit(lambda: entry_submitted.send(sender=Entry, entry=submitted, first_time=True))
    return entry


@transaction.atomic
def entry_set_eligibility(*, entry: Entry, eligible: bool, reason: str = "", by) -> Entry:
    entry = Entry.objects.select_for_update().get(pk=entry.pk)
    if entry.status not in ELIGIBILITY_STATUSES:
        raise PortalError(_("Chỉ xét hợp lệ với bài đã nhận và chưa vào vòng chấm."))
    to = EntryStatus.ELIGIBLE if eligible else EntryStatus.REJECTED
    reason = "" if eligible else nfc(reason).strip()
    if not eligible and not reason:
        raise PortalError(_("Ghi lý do không hợp lệ: thí sinh sẽ đọc được lý do này."), field="reason")
    entry.rejection_reason = reason
    if entry.status == to:
        # The same decision again (a new reason): no move, but still a history row.
        if by is not None and not can_manage(by, entry):
            raise PortalError(_("Bạn không có quyền chuyển trạng thái bài dự thi này."))
        if by is not None:
            entry._history_user = by
        entry.save(update_fields=["rejection_reason", "updated_at"])
        return entry
    return entry_set_state(entry=entry, to=to, by=by, also=["rejection_reason"])
