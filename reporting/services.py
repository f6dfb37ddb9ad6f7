"""Writes on reports: filing, review, evidence (forms, cycles and periods are in reporting.cycles).

Every change of a report's status is one service per move, and all of them go through one mover
(_report_move) that checks enums.REPORT_TRANSITIONS and the move's rules predicate, saves with
update_fields (a history row), records a Review row and sends its signal on commit."""

import datetime as dt
import uuid
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from campaign_portal.background import delay_on_commit
from campaign_portal.calendar import HANOI
from campaign_portal.exceptions import PortalError
from campaign_portal.numbers import format_number
from campaign_portal.text import nfc
from campaign_portal.uploads import ATTACHMENT, upload_check
from organizations.documents import DocumentType, number_symbol_format, unit_issuer_symbol
from organizations.models import Unit, User
from organizations.selectors import unit_lineage_on
from organizations.services import unit_ensure_not_dissolved

from . import selectors, signals, tasks
from .enums import (
    APPROVED_STATUSES,
    EDITABLE_STATUSES,
    FILED_STATUSES,
    REPORT_TRANSITIONS,
    UNAPPROVE_TARGETS,
    ReportStatus,
    ReviewAction,
)
from .list_texts import list_texts_report_moved
from .models import (
    Evidence,
    Indicator,
    Period,
    Report,
    ReportSubmission,
    Review,
    Value,
)
from .rules import REPORT_TRANSITION_PERMS
from .summaries import summaries_report_changed
from .validation import check_required, check_rules, number_problem
from .value_nodes import value_nodes_report_moved


# ---------------------------------------------------------------- filing
def _stale() -> PortalError:
    return PortalError(
        _(
            "Báo cáo vừa được người khác lưu trước bạn. Số liệu của bạn chưa được lưu: hãy tải lại "
            "trang để xem bản mới nhất rồi nhập lại phần thay đổi."
        )
    )


def check_can_file(*, period: Period, unit: Unit, report: Report | None, today: dt.date | None = None) -> None:
    """Raises PortalError when the unit may not (any more) change its report for the period."""
    today = today or timezone.localdate()
    unit_ensure_not_dissolved(unit=unit)
    if period.starts_on > today:
        raise PortalError(_("Kỳ báo cáo này chưa bắt đầu."))
    if report is not None and report.status not in EDITABLE_STATUSES:
        raise PortalError(_("Báo cáo đã nộp hoặc đã duyệt, không sửa được nữa."))
    if selectors.period_is_locked_for(period=period, unit=unit, today=today):
        raise PortalError(
            _("Kỳ báo cáo đã khóa (quá hạn nộp %(due)s và thời gian gia hạn). Liên hệ quản trị cổng để được mở lại.")
            % {"due": period.due_on.strftime("%d/%m/%Y")}
        )


def _local_date(now: dt.datetime) -> dt.date:
    """The day a moment falls on in Hanoi: the calendar periods, due dates and locks are kept in."""
    return now.astimezone(HANOI).date()


def report_get_or_create(*, period: Period, unit: Unit, by: User | None) -> tuple[Report, bool]:
    unit_ensure_not_dissolved(unit=unit)
    cycle = period.cycle
    existing = Report.objects.filter(cycle=cycle, period=period, unit=unit).first()
    if existing is not None:
        return existing, False
    # The unit's place on the period's date (looked up only when the report is made): a report for a
    # quarter that ended before a reorganisation belongs to the tree of that quarter, even when made after.
    lineage = unit_lineage_on(unit, period.ends_on)
    try:
        with transaction.atomic():
            report = Report.objects.create(
                cycle=cycle,
                period=period,
                unit=unit,
                lineage=lineage,
                form_version=cycle.form_version,
                created_by=by,
            )
            summaries_report_changed(report=report)
            return report, True
    except IntegrityError:  # created by a concurrent request between the look-up and the insert
        return Report.objects.get(cycle=cycle, period=period, unit=unit), False


def _value_rows(
    report: Report, indicators: Iterable[Indicator], values: dict, comments: dict, confirmed_unusual: dict
) -> list[Value]:
    rows = []
    for indicator in indicators:
        raw = values.get(indicator.code)
        comment = nfc(comments.get(indicator.code, "")).strip()
        if (raw is None or raw == "") and not comment:
            continue
        row = Value(report=report, indicator=indicator, comment=comment)
        if raw is None or raw == "":
            pass
        elif indicator.is_numeric:
            row.number = _storable_number(indicator, raw)
            if indicator.code in confirmed_unusual:
                row.unusual_confirmed = True
                row.unusual_reference = confirmed_unusual[indicator.code]
        else:
            row.text = nfc(str(raw)).strip()
        rows.append(row)
    return rows


def _storable_number(indicator: Indicator, raw) -> Decimal:
    """The second door after the form: imports and scripts call report_save too, and nothing outside the
    indicator's bounds or the column's range may reach the database."""
    try:
        number = Decimal(int(raw)) if isinstance(raw, bool) else Decimal(str(raw))
    except (InvalidOperation, ValueError):
        number = None
    problem = _("Không phải là số.") if number is None else number_problem(indicator, number)
    if problem:
        raise PortalError(
            _("“%(label)s”: %(problem)s") % {"label": indicator.label, "problem": problem}, field=f"v_{indicator.code}"
        )
    return number


def report_save(
    *,
    period: Period,
    unit: Unit,
    values: dict,
    comments: dict | None = None,
    confirmed_unusual: dict[str, Decimal] | None = None,
    expected_version: int,
    by: User,
    now: dt.datetime | None = None,
    submission_key: uuid.UUID | None = None,
) -> Report:
    """Saves a draft. expected_version is the version the user's form was loaded with
    (0 for a report that did not exist yet); if someone saved in between, nothing is
    written and the user gets a clear message. confirmed_unusual maps the codes of the
    unusual values the officer confirmed to the previous period's figure they were compared with.
    now dates the save (default: the clock): a save dated while the period was open is accepted
    although the period is locked today.
    submission_key (the browser's key for this POST) makes the save happen once: a key already taken
    returns the report it was taken for and changes nothing (an offline queue sending again, a double click)."""
    if submission_key is not None:
        taken = _submission_report(key=submission_key, period=period, unit=unit)
        if taken is not None:
            return taken
        try:
            return _report_save(
                period, unit, values, comments, confirmed_unusual, expected_version, by, now, submission_key
            )
        except (IntegrityError, PortalError):
            # The same key sent twice at once: the second waited on the first's row lock (or unique index), then
            # found the version moved or the key taken; the first took it, so this one is answered as the first.
            taken = _submission_report(key=submission_key, period=period, unit=unit)
            if taken is None:
                raise
            return taken
    return _report_save(period, unit, values, comments, confirmed_unusual, expected_version, by, now, None)


def _submission_report(*, key: uuid.UUID, period: Period, unit: Unit) -> Report | None:
    submission = ReportSubmission.objects.filter(key=key).select_related("report").first()
    if submission is None:
        return None
    if (submission.report.period_id, submission.report.unit_id) != (period.pk, unit.pk):
        raise PortalError(_("Mã lượt gửi này đã dùng cho một báo cáo khác."))
    return submission.report


def _report_save(
    period: Period,
    unit: Unit,
    values: dict,
    comments: dict | None,
    confirmed_unusual: dict[str, Decimal] | None,
    expected_version: int,
    by: User,
    now: dt.datetime | None,
    submission_key: uuid.UUID | None,
) -> Report:
    with transaction.atomic():
        report, created = report_get_or_create(period=period, unit=unit, by=by)
        if created:
            # Made by this save, in this transaction: no other can see the row before the commit, so it needs no
            # lock, and its creation (version 1) is this save's history row.
            if expected_version != 0:
                raise _stale()
        else:
            if expected_version != report.version:
                raise _stale()
            # The row lock makes the version check and the bump one step: of two concurrent saves of the same
            # version, the second waits, then finds the version moved and is told (optimistic concurrency).
            report = _locked_report(report)
            if report.version != expected_version:
                raise _stale()
        check_can_file(period=period, unit=unit, report=report, today=_local_date(now or timezone.now()))
        if not created:
            report.version += 1
            report.save(update_fields=["version", "updated_at"])  # a history row per saved draft
            Value.objects.filter(report=report).delete()
        indicators = selectors.form_parts(report.form_version).indicators
        Value.objects.bulk_create(_value_rows(report, indicators, values, comments or {}, confirmed_unusual or {}))
        if submission_key is not None:  # in the save's transaction: the key is taken only with the figures
            ReportSubmission.objects.create(key=submission_key, report=report, by=by, at=now or timezone.now())
    return report


def is_late(*, period: Period, submitted_at: dt.datetime) -> bool:
    """Late when submitted after the due date, on the calendar of Hanoi."""
    return submitted_at.astimezone(HANOI).date() > period.due_on


def _confirmed_unusual_note(report: Report) -> str:
    """The unusual values the officer confirmed, for the submission's line in the report's history."""
    confirmed = (
        Value.objects.filter(report=report, unusual_confirmed=True)
        .select_related("indicator")
        .order_by("indicator__section__order", "indicator__order", "indicator_id")
    )
    lines = [
        _("%(label)s: %(value)s (kỳ trước: %(reference)s)")
        % {
            "label": v.indicator.label,
            "value": format_number(v.number),
            "reference": format_number(v.unusual_reference),
        }
        for v in confirmed
    ]
    if not lines:
        return ""
    return _("Đã xác nhận số liệu bất thường: %(list)s.") % {"list": "; ".join(lines)}


def _review(report: Report, action: str, by: User, at: dt.datetime, comment: str = "") -> Review:
    return Review.objects.create(report=report, action=action, by=by, at=at, comment=comment)


def _send_on_commit(signal, report: Report, by: User, **extra) -> None:
    transaction.on_commit(lambda: signal.send(sender=Report, report=report, by=by, **extra))


def _locked_report(report: Report) -> Report:
    # of=("self",): lock the report row only. Locking the joined cycle/period/unit rows too
    # would block every concurrent report insert (their foreign-key checks) and deadlock.
    return (
        Report.objects.select_for_update(of=("self",))
        .select_related("cycle", "period__cycle", "unit", "form_version")
        .get(pk=report.pk)
    )


# ---------------------------------------------------------------- the state machine
def _check_move(report: Report, to: str) -> None:
    if to not in REPORT_TRANSITIONS[report.status]:
        raise PortalError(
            _("Báo cáo đang ở trạng thái “%(from)s”, không chuyển sang “%(to)s” được.")
            % {"from": ReportStatus(report.status).label, "to": ReportStatus(to).label}
        )


def _report_move(
    report: Report,
    *,
    to: str,
    by: User,
    at: dt.datetime,
    action: str,
    note: str = "",
    changes: dict | None = None,
    signal=None,
    **signal_extra,
) -> Report:
    """The one mover every change of a report's status goes through; the report is locked by the caller.
    Guards the move (enums.REPORT_TRANSITIONS) and the user (rules.REPORT_TRANSITION_PERMS), saves with
    update_fields (a history row), records the Review and sends the signal on commit."""
    _check_move(report, to)
    _check_perm(by, REPORT_TRANSITION_PERMS[(report.status, to)], report)
    changes = changes or {}
    for field, value in changes.items():
        setattr(report, field, value)
    was_approved = report.status in APPROVED_STATUSES
    report.status = to
    report.version += 1
    report.save(update_fields=["status", "version", "updated_at", *changes])
    summaries_report_changed(report=report)
    if was_approved != (to in APPROVED_STATUSES):
        value_nodes_report_moved(report=report, approved=not was_approved)
        list_texts_report_moved(report=report, approved=not was_approved)
    if to == ReportStatus.SUBMITTED:
        _report_number(report, by=by, at=at)
        # Numbered now; rendered and signed by a worker once this commits, so a submission in a deadline rush
        # costs no PDF (the PDF link renders the report live until the signed copy is stored).
        delay_on_commit(tasks.report_sign, [{"report_id": report.pk}], what="report signing")
    _review(report, action, by, at, note)
    if signal is not None:
        _send_on_commit(signal, report, by, **signal_extra)
    return report


def _report_number(report: Report, *, by: User, at: dt.datetime) -> None:
    """The report's BC number from the submitting unit's outgoing register of the submission year.

    A report returned and submitted again is the same document sent again: it keeps the number of its first
    submission (register_entry_take answers the entry it already has), so the register never shows one
    report twice and the parent's copy and the corrected one carry the same number."""
    from directives.enums import RegisterEntryKind
    from directives.registers import register_entry_take, subject_key

    unit = report.unit
    issuer = unit_issuer_symbol(unit)
    parent = Unit.objects.get_parent(unit) if unit.depth > 1 else None
    register_entry_take(
        unit=unit,
        on=timezone.localdate(at),
        kind=RegisterEntryKind.REPORT,
        subject_key=subject_key(report),
        number_symbol=lambda number: number_symbol_format(doc_type=DocumentType.BAO_CAO, issuer=issuer, number=number),
        summary=f"{report.cycle.name} – {report.period.label}",
        signer=by.full_name,
        recipients=parent.name if parent is not None else "",
    )


def report_set_state(*, report: Report, to: str, by: User, comment: str = "", now: dt.datetime | None = None) -> Report:
    """Moves a report to a status by the service of that move (each goes through _report_move).
    A move outside REPORT_TRANSITIONS is refused, a repeated one included."""
    _check_move(report, to)  # before the services' own idempotent answers to a double click
    if to == ReportStatus.SUBMITTED and report.status in EDITABLE_STATUSES:
        return report_submit(report=report, by=by, now=now)
    if to == ReportStatus.RETURNED:
        return report_return(report=report, by=by, comment=comment, now=now)
    if to == ReportStatus.APPROVED and report.status == ReportStatus.SUBMITTED:
        return report_approve(report=report, by=by, comment=comment, now=now)
    if to == ReportStatus.ACCEPTED:
        return report_accept(report=report, by=by, comment=comment, now=now)
    return report_unapprove(report=report, by=by, comment=comment, now=now)


def report_submit(*, report: Report, by: User, now: dt.datetime | None = None) -> Report:
    """Submits a draft or returned report. A late submission is accepted and marked.
    Submitting an already submitted report changes nothing."""
    now = now or timezone.now()
    with transaction.atomic():
        report = _locked_report(report)
        if report.status in FILED_STATUSES:
            return report
        check_can_file(period=report.period, unit=report.unit, report=report, today=_local_date(now))
        parts = selectors.form_parts(report.form_version)
        values = selectors.report_values_by_code(report)
        errors = check_required(indicators=parts.indicators, values=values)
        for code, messages_ in check_rules(rules=parts.rules, values=values).items():
            errors.setdefault(code, []).extend(messages_)
        if errors:
            raise PortalError(" ".join(str(m) for ms in errors.values() for m in ms))
        return _report_move(
            report,
            to=ReportStatus.SUBMITTED,
            by=by,
            at=now,
            action=ReviewAction.SUBMIT,
            note=_confirmed_unusual_note(report),
            changes={
                "submitted_at": now,
                "submitted_by": by,
                "is_late": is_late(period=report.period, submitted_at=now),
            },
            signal=signals.report_submitted,
        )


# ---------------------------------------------------------------- review
def _check_perm(by: User, perm: str, report: Report) -> None:
    if not by.has_perm(perm, report):
        raise PortalError(_("Bạn không có quyền thực hiện thao tác này với báo cáo."))


def report_return(*, report: Report, by: User, comment: str, now: dt.datetime | None = None) -> Report:
    """The reviewer (or, two-step, the accepting parent) sends the report back to the unit."""
    now = now or timezone.now()
    if not nfc(comment).strip():
        raise PortalError(_("Hãy ghi rõ lý do trả lại để đơn vị sửa."), field="comment")
    with transaction.atomic():
        report = _locked_report(report)
        two_step_accepting = report.cycle.two_step and report.status == ReportStatus.APPROVED
        if report.status != ReportStatus.SUBMITTED and not two_step_accepting:
            raise PortalError(_("Chỉ trả lại được báo cáo đang chờ duyệt."))
        return _report_move(
            report,
            to=ReportStatus.RETURNED,
            by=by,
            at=now,
            action=ReviewAction.RETURN,
            note=comment,
            changes={"approved_at": None, "approved_by": None, "approved_level": None},
            signal=signals.report_returned,
            comment=nfc(comment).strip(),
        )


def _check_children_approved(report: Report) -> None:
    """DHIS2's rule: a unit's report is approved only when every required child's
    report is approved, unless the period was closed listing the missing ones."""
    if report.closed_missing:
        return
    missing = selectors.children_missing_approval(period=report.period, unit=report.unit)
    if missing:
        names = ", ".join(u.name for u in missing[:10]) + ("…" if len(missing) > 10 else "")
        raise PortalError(
            _(
                "Chưa duyệt được: %(count)s đơn vị cấp dưới chưa có báo cáo được duyệt (%(names)s). "
                "Hãy chờ, hoặc chốt kỳ và ghi nhận các đơn vị còn thiếu."
            )
            % {"count": len(missing), "names": names}
        )


def report_approve(*, report: Report, by: User, comment: str = "", now: dt.datetime | None = None) -> Report:
    """One-step: the parent's head approves. Two-step: the unit's own head approves."""
    now = now or timezone.now()
    with transaction.atomic():
        report = _locked_report(report)
        if report.status != ReportStatus.SUBMITTED:
            if report.status in APPROVED_STATUSES:
                return report  # a double click approves once
            raise PortalError(_("Chỉ duyệt được báo cáo đã nộp."))
        _check_perm(by, "reporting.approve_report", report)  # before the children's figures are read
        _check_children_approved(report)
        return _report_move(
            report,
            to=ReportStatus.APPROVED,
            by=by,
            at=now,
            action=ReviewAction.APPROVE,
            note=comment,
            changes={
                "approved_at": now,
                "approved_by": by,
                "approved_level": (
                    report.unit if report.cycle.two_step else Unit.objects.get(path=report.unit.path[: -Unit.steplen])
                ),
            },
            signal=signals.report_approved,
        )


def report_accept(*, report: Report, by: User, comment: str = "", now: dt.datetime | None = None) -> Report:
    """Two-step only: the parent's head accepts what the unit's head approved."""
    now = now or timezone.now()
    with transaction.atomic():
        report = _locked_report(report)
        if report.status == ReportStatus.ACCEPTED:
            return report
        if report.status != ReportStatus.APPROVED:
            raise PortalError(_("Chỉ tiếp nhận được báo cáo đã được cấp cơ sở duyệt."))
        return _report_move(
            report,
            to=ReportStatus.ACCEPTED,
            by=by,
            at=now,
            action=ReviewAction.ACCEPT,
            note=comment,
            changes={"accepted_at": now, "accepted_by": by},
            signal=signals.report_approved,
        )


def report_unapprove(*, report: Report, by: User, comment: str, now: dt.datetime | None = None) -> Report:
    """Only the approving level or above; logged; the report goes back to review."""
    now = now or timezone.now()
    if not nfc(comment).strip():
        raise PortalError(_("Hãy ghi lý do hủy duyệt."), field="comment")
    with transaction.atomic():
        report = _locked_report(report)
        if report.status not in APPROVED_STATUSES:
            raise PortalError(_("Báo cáo chưa được duyệt."))
        _check_perm(by, "reporting.unapprove_report", report)
        if selectors.parent_report_approved(report):
            raise PortalError(_("Báo cáo tổng hợp của đơn vị cấp trên đã được duyệt; hãy hủy duyệt báo cáo đó trước."))
        to = UNAPPROVE_TARGETS[report.status]
        if to == ReportStatus.APPROVED:
            changes = {"accepted_at": None, "accepted_by": None}
        else:
            changes = {"approved_at": None, "approved_by": None, "approved_level": None}
        return _report_move(report, to=to, by=by, at=now, action=ReviewAction.UNAPPROVE, note=comment, changes=changes)


def report_close_with_missing(*, report: Report, by: User, comment: str = "", now: dt.datetime | None = None) -> Report:
    """The unit closes its period although some children are not approved; they are listed
    on the report, and its approval no longer waits for them."""
    now = now or timezone.now()
    with transaction.atomic():
        report = _locked_report(report)
        if not by.has_perm("reporting.close_period", report.unit):
            raise PortalError(_("Chỉ lãnh đạo đơn vị được chốt kỳ báo cáo."))
        missing = selectors.children_missing_approval(period=report.period, unit=report.unit)
        if not missing:
            raise PortalError(_("Mọi đơn vị cấp dưới đã được duyệt; không cần chốt kỳ."))
        selectors.annotate_children_readiness([report])
        if not by.has_perm("reporting.close_report", report):
            raise PortalError(_("Chỉ chốt kỳ được cho báo cáo đã nộp và chưa chốt kỳ."))
        report.closed_missing = "\n".join(f"{u.code} – {u.name}" for u in missing)
        report.save(update_fields=["closed_missing", "updated_at"])
        _review(
            report,
            ReviewAction.CLOSE,
            by,
            now,
            (nfc(comment).strip() + "\n" if comment else "")
            + _("Còn thiếu: %(list)s") % {"list": "; ".join(u.name for u in missing)},
        )
    return report


# ---------------------------------------------------------------- evidence


def evidence_add(*, report: Report, uploaded, by: User, description: str = "") -> Evidence:
    if report.status not in EDITABLE_STATUSES:
        raise PortalError(_("Báo cáo đã nộp, không thêm minh chứng được."))
    checked = upload_check(upload=uploaded, kind=ATTACHMENT, label=_("Tệp minh chứng"), field="file")
    stored_name = f"{uuid.uuid4().hex}.{checked.extension}"
    evidence = Evidence(
        report=report,
        stored_name=stored_name,
        original_name=nfc(uploaded.name)[:255],
        content_type=checked.mime,
        size=checked.size,
        description=nfc(description),
        uploaded_by=by,
    )
    evidence.file.save(stored_name, checked.content, save=False)
    evidence.save()
    return evidence


def evidence_delete(*, evidence: Evidence, by: User) -> None:
    if evidence.report.status not in EDITABLE_STATUSES:
        raise PortalError(_("Báo cáo đã nộp, không xóa minh chứng được."))
    storage, name = evidence.file.storage, evidence.file.name
    evidence.delete()
    # The file goes once the row is gone for good: a rolled-back delete keeps a downloadable file.
    transaction.on_commit(lambda: storage.delete(name))
