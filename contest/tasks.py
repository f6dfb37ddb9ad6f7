"""Background work: certificates for many winners, with a progress row the page polls."""

import logging

from celery import shared_task
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from kombu.exceptions import OperationalError as KombuOperationalError

from campaign_portal.exceptions import PortalError

from .models import Award, CertificateBatch

logger = logging.getLogger(__name__)
CHUNK = 50


def certificates_start(*, contest, by=None, award_ids=None) -> CertificateBatch:
    ids = list(award_ids if award_ids is not None else
               Award.objects.filter(entry__contest=contest).values_list("pk", flat=True))
    if not ids:
        raise PortalError(_("Chưa có giải thưởng nào để in giấy chứng nhận."))
    batch = CertificateBatch.objects.create(contest=contest, total=len(ids), by=by)
    chunks = [ids[i:i + CHUNK] for i in range(0, len(ids), CHUNK)]
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
                total__lte=F("done") + F("failed")).update(finished_at=timezone.now())
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
        total__lte=F("done") + F("failed")).update(finished_at=timezone.now())
