"""Background work, with a row the page polls: certificates for many winners, and the documents
of a round too long to render in a web request (the results of a 2,000-entry round: ~27 s)."""

import datetime as dt
from dataclasses import dataclass

from celery import shared_task
from celery.utils.log import get_task_logger
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from kombu.exceptions import OperationalError as KombuOperationalError

from campaign_portal.exceptions import PortalError

from .models import Assignment, Award, CertificateBatch, Round, RoundDocument, RoundDocumentKind

# A task logger: its errors reach the `celery` logger, hence ADMINS by e-mail (settings.LOGGING).
logger = get_task_logger(__name__)
CHUNK = 50


def certificates_start(*, contest, by=None, award_ids=None) -> CertificateBatch:
    ids = list(
        award_ids
        if award_ids is not None
        else Award.objects.filter(entry__contest=contest).values_list("pk", flat=True)
    )
    if not ids:
        raise PortalError(_("Chưa có giải thưởng nào để in giấy chứng nhận."))
    batch = CertificateBatch.objects.create(contest=contest, total=len(ids), by=by)
    chunks = [ids[i : i + CHUNK] for i in range(0, len(ids), CHUNK)]
    transaction.on_commit(lambda: _enqueue_chunks(batch_id=batch.pk, chunks=chunks))
    return batch


def _enqueue_chunks(*, batch_id: int, chunks: list[list[int]]) -> None:
    """Queues the chunks; with the broker down, the rest are counted as failed at once, so the
    progress bar ends with "N lỗi" and the organiser can press the button again later."""
    for index, chunk in enumerate(chunks):
        try:
            certificates_render.delay(batch_id=batch_id, award_ids=chunk)
        except KombuOperationalError as error:
            unqueued = sum(len(c) for c in chunks[index:])
            logger.warning("broker unavailable, %s certificates not queued: %s", unqueued, error)
            CertificateBatch.objects.filter(pk=batch_id).update(failed=F("failed") + unqueued)
            CertificateBatch.objects.filter(pk=batch_id, finished_at__isnull=True).filter(
                total__lte=F("done") + F("failed")
            ).update(finished_at=timezone.now())
            return


def certificate_render_one(award: Award) -> None:
    from .documents import certificate_pdf

    pdf = certificate_pdf(award=award)
    if award.certificate:
        award.certificate.delete(save=False)
    award.certificate.save(f"giay-chung-nhan-{award.entry.code}.pdf", ContentFile(pdf), save=False)
    Award.objects.filter(pk=award.pk).update(certificate=award.certificate.name)


@shared_task(name="contest.certificates_render", acks_late=True)
def certificates_render(*, batch_id: int, award_ids: list[int]) -> None:
    if not CertificateBatch.objects.filter(pk=batch_id).exists():
        return
    awards = Award.objects.filter(pk__in=award_ids).select_related("tier", "entry__contest", "entry__entrant")
    for award in awards:
        try:
            certificate_render_one(award)
        except Exception:
            logger.exception("certificate for award %s failed", award.pk)
            CertificateBatch.objects.filter(pk=batch_id).update(failed=F("failed") + 1)
        else:
            CertificateBatch.objects.filter(pk=batch_id).update(done=F("done") + 1)
    CertificateBatch.objects.filter(pk=batch_id, finished_at__isnull=True).filter(
        total__lte=F("done") + F("failed")
    ).update(finished_at=timezone.now())


# ---------------------------------------------------------------- documents of a round

# Stored untranslated in RoundDocument.error; the page shows them with {% translate %}.
ERROR_BROKER_DOWN = gettext_noop(
    "Hàng đợi xử lý nền đang không hoạt động nên chưa tạo được biên bản. Vui lòng thử lại sau ít phút."
)
ERROR_RENDER_FAILED = gettext_noop("Lỗi khi tạo tệp PDF; quản trị hệ thống đã được báo. Vui lòng thử lại sau.")
# A request older than this without a result is taken as lost (worker killed, queue lost):
# the page stops waiting and the button queues a new one. The largest round renders in ~30 s.
STALLED_AFTER = dt.timedelta(minutes=30)


def round_scores_as_of(round_: Round) -> dt.datetime | None:
    """The latest change of what the round's results show: a judge's sheet once submitted
    (submitting, changing, taking back, withdrawing it) or the round itself (closing it names
    the authors). Read from the history tables; drafts never submitted do not count."""
    sheets = Assignment.history.filter(round_id=round_.pk, submitted_at__isnull=False).aggregate(
        at=Max("history_date")
    )["at"]
    round_changed = Round.history.filter(id=round_.pk).aggregate(at=Max("history_date"))["at"]
    return max((at for at in (sheets, round_changed) if at is not None), default=None)


@dataclass
class RoundDocumentStatus:
    ready: RoundDocument | None  # the latest stored PDF (fresh or stale)
    fresh: bool  # ready reflects the current scores: serve it
    pending: RoundDocument | None
    stalled: bool  # pending for longer than STALLED_AFTER: no longer waited for
    failed: RoundDocument | None  # the latest run, if it failed after the stored PDF

    @property
    def polling(self) -> bool:
        return self.pending is not None and not self.stalled


def round_document_status(
    *, round_: Round, kind: str = RoundDocumentKind.RESULTS, now: dt.datetime | None = None
) -> RoundDocumentStatus:
    """Three queries: a round keeps few rows (older ones are deleted when a new PDF is ready)."""
    now = now or timezone.now()
    documents = list(RoundDocument.objects.filter(round=round_, kind=kind).select_related("round__contest"))
    pending = next((d for d in documents if d.is_pending), None)
    ready = next((d for d in documents if d.is_ready), None)
    failed = next((d for d in documents if d.failed), None)
    if failed and ready and (failed.requested_at, failed.pk) < (ready.requested_at, ready.pk):
        failed = None
    return RoundDocumentStatus(
        ready=ready,
        fresh=bool(ready and ready.scores_as_of == round_scores_as_of(round_)),
        pending=pending,
        stalled=bool(pending and pending.requested_at < now - STALLED_AFTER),
        failed=failed,
    )


def round_results_request(*, round_: Round, by) -> RoundDocument:
    """Queue the round's results (Biên bản kết quả chấm) as a PDF rendered in the background.

    Returns the pending request if there is one (a double click queues the work once; the
    database guarantees it), or the stored PDF if the scores have not changed since."""
    kind = RoundDocumentKind.RESULTS
    status = round_document_status(round_=round_, kind=kind)
    if status.polling:
        return status.pending
    if status.fresh:
        return status.ready
    scores_as_of = round_scores_as_of(round_)
    with transaction.atomic():
        documents = RoundDocument.objects.filter(round=round_, kind=kind)
        # A lost request and earlier failures give way to the new request (the log keeps the errors).
        documents.filter(finished_at__isnull=True).delete()
        documents.filter(failed=True).delete()
        try:
            with transaction.atomic():
                document = RoundDocument.objects.create(
                    round=round_, kind=kind, requested_by=by, scores_as_of=scores_as_of
                )
        except IntegrityError:
            # Another request for the same round committed its pending row first (the unique
            # constraint on pending rows): that one is this request's answer.
            return documents.first()
        transaction.on_commit(lambda: _enqueue_round_document(document_id=document.pk))
    return document


def _enqueue_round_document(*, document_id: int) -> None:
    """With the broker down the request ends at once as failed, with a message on the page,
    and the organiser can press the button again later."""
    try:
        round_results_render.delay(document_id=document_id)
    except KombuOperationalError as error:
        logger.warning("broker unavailable, round document %s not queued: %s", document_id, error)
        RoundDocument.objects.filter(pk=document_id, finished_at__isnull=True).update(
            failed=True, error=ERROR_BROKER_DOWN, finished_at=timezone.now()
        )


def round_document_render(*, document_id: int) -> RoundDocument | None:
    """Render and store the PDF of a pending request; None when there is nothing (left) to do.
    Any error ends the request as failed (and is logged for ADMINS): never pending forever."""
    from .documents import round_results_pdf

    if not RoundDocument.objects.filter(pk=document_id, finished_at__isnull=True).update(started_at=timezone.now()):
        return None  # gone, or already finished (a message delivered twice)
    document = RoundDocument.objects.select_related("round__contest").filter(pk=document_id).first()
    if document is None:
        return None
    try:
        pdf = round_results_pdf(round_=document.round)
        document.file.save(document.download_name, ContentFile(pdf), save=False)
    except Exception:
        logger.exception("round document %s (%s of round %s) failed", document_id, document.kind, document.round_id)
        RoundDocument.objects.filter(pk=document_id, finished_at__isnull=True).update(
            failed=True, error=ERROR_RENDER_FAILED, finished_at=timezone.now()
        )
        return None
    document.finished_at = timezone.now()
    if not RoundDocument.objects.filter(pk=document_id, finished_at__isnull=True).update(
        file=document.file.name, finished_at=document.finished_at
    ):
        document.file.delete(save=False)  # given up as lost meanwhile, or deleted: keep no orphan file
        return None
    # A derived file: the new copy replaces the older ones.
    older = RoundDocument.objects.filter(
        round_id=document.round_id, kind=document.kind, finished_at__isnull=False
    ).exclude(pk=document_id)
    for old in older:
        if old.file:
            old.file.delete(save=False)
    older.delete()
    return document


@shared_task(name="contest.round_results_render", acks_late=True, soft_time_limit=600, time_limit=660)
def round_results_render(*, document_id: int) -> None:
    round_document_render(document_id=document_id)
