"""Documents rendered in the background, with a row the page polls: certificates for many winners, and
the documents of a round too long to render in a web request (the results of a 2,000-entry round: ~27 s).

The Celery tasks (contest.tasks) only call the functions here; what the pages read is in contest.selectors.
"""

from celery.utils.log import get_task_logger
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from kombu.exceptions import OperationalError as KombuOperationalError

from campaign_portal.background import chunks
from campaign_portal.exceptions import PortalError

from .models import Award, CertificateBatch, Round, RoundDocument, RoundDocumentKind
from .numbering import round_results_number
from .selectors import round_document_status, round_scores_as_of

# A task logger, named for the tasks that run this code: its errors reach the `celery` logger, hence
# ADMINS by e-mail (settings.LOGGING).
logger = get_task_logger("contest.tasks")
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
    parts = chunks(ids, CHUNK)
    transaction.on_commit(lambda: _enqueue_chunks(batch_id=batch.pk, chunks=parts))
    return batch


def _enqueue_chunks(*, batch_id: int, chunks: list[list[int]]) -> None:
    """Queues the chunks; with the broker down, the rest are counted as failed at once, so the
    progress bar ends with "N lỗi" and the organiser can press the button again later."""
    from . import tasks

    for index, chunk in enumerate(chunks):
        try:
            tasks.certificates_render.delay(batch_id=batch_id, award_ids=chunk)
        except KombuOperationalError as error:
            unqueued = sum(len(c) for c in chunks[index:])
            logger.warning("broker unavailable, %s certificates not queued: %s", unqueued, error)
            _batch_count(batch_id=batch_id, failed=unqueued)
            _batch_finish_if_complete(batch_id=batch_id)
            return


def certificate_render_one(award: Award) -> None:
    """Render and sign one certificate; the award keeps its copy of the signed file for its download."""
    from .documents import certificate_pdf
    from .signing import certificate_sign

    signed = certificate_sign(award=award)
    if signed is None:
        pdf = certificate_pdf(award=award)
    else:
        with signed.file.open("rb") as handle:
            pdf = handle.read()
    if award.certificate:
        award.certificate.delete(save=False)
    award.certificate.save(f"giay-chung-nhan-{award.entry.code}.pdf", ContentFile(pdf), save=False)
    Award.objects.filter(pk=award.pk).update(certificate=award.certificate.name)


def certificates_render_chunk(*, batch_id: int, award_ids: list[int]) -> None:
    """Render one chunk of a batch, counting each certificate done or failed; a failure is logged
    (hence mailed to ADMINS) and the next certificate goes on."""
    if not CertificateBatch.objects.filter(pk=batch_id).exists():
        return
    awards = Award.objects.filter(pk__in=award_ids).select_related("tier", "entry__contest", "entry__entrant")
    for award in awards:
        try:
            certificate_render_one(award)
        except Exception:
            logger.exception("certificate for award %s failed", award.pk)
            _batch_count(batch_id=batch_id, failed=1)
        else:
            _batch_count(batch_id=batch_id, done=1)
    _batch_finish_if_complete(batch_id=batch_id)


def _batch_count(*, batch_id: int, done: int = 0, failed: int = 0) -> None:
    # F() expressions: workers rendering chunks of one batch at once add up without losing a count.
    CertificateBatch.objects.filter(pk=batch_id).update(done=F("done") + done, failed=F("failed") + failed)


def _batch_finish_if_complete(*, batch_id: int) -> None:
    CertificateBatch.objects.filter(pk=batch_id, finished_at__isnull=True).filter(
        total__lte=F("done") + F("failed")
    ).update(finished_at=timezone.now())


# ---------------------------------------------------------------- documents of a round

# Stored untranslated in RoundDocument.error; the page shows them with {% translate %}.
ERROR_BROKER_DOWN = gettext_noop(
    "Hàng đợi xử lý nền đang không hoạt động nên chưa tạo được biên bản. Vui lòng thử lại sau ít phút."
)
ERROR_RENDER_FAILED = gettext_noop("Lỗi khi tạo tệp PDF; quản trị hệ thống đã được báo. Vui lòng thử lại sau.")


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
        # Numbered once, at the first request; a later copy (scores changed) keeps the number.
        Round.objects.select_for_update().filter(pk=round_.pk).first()
        round_results_number(round_=round_, on=timezone.localdate())
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
    from . import tasks

    try:
        tasks.round_results_render.delay(document_id=document_id)
    except KombuOperationalError as error:
        logger.warning("broker unavailable, round document %s not queued: %s", document_id, error)
        RoundDocument.objects.filter(pk=document_id, finished_at__isnull=True).update(
            failed=True, error=ERROR_BROKER_DOWN, finished_at=timezone.now()
        )


def round_document_render(*, document_id: int) -> RoundDocument | None:
    """Render and store the PDF of a pending request; None when there is nothing (left) to do.
    Any error ends the request as failed (and is logged for ADMINS): never pending forever."""
    from .documents import round_results_pdf
    from .signing import round_results_sign

    if not RoundDocument.objects.filter(pk=document_id, finished_at__isnull=True).update(started_at=timezone.now()):
        return None  # gone, or already finished (a message delivered twice)
    document = RoundDocument.objects.select_related("round__contest").filter(pk=document_id).first()
    if document is None:
        return None
    try:
        signed = round_results_sign(round_=document.round, by=document.requested_by)
        if signed is None:
            pdf = round_results_pdf(round_=document.round)
        else:
            with signed.file.open("rb") as handle:
                pdf = handle.read()
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
