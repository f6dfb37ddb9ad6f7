"""Celery tasks of the contest: each fetches by id and calls a service (contest.background_documents)."""

from celery import shared_task

from campaign_portal.background import delay_on_commit
from signatures.selectors import signing_overdue

from .background_documents import certificates_render_chunk, round_document_render
from .models import Entry
from .signing import receipt_sign_once


@shared_task(name="contest.certificates_render", acks_late=True)
def certificates_render(*, batch_id: int, award_ids: list[int]) -> None:
    certificates_render_chunk(batch_id=batch_id, award_ids=award_ids)


@shared_task(name="contest.round_results_render", acks_late=True, soft_time_limit=600, time_limit=660)
def round_results_render(*, document_id: int) -> None:
    round_document_render(document_id=document_id)


@shared_task(name="contest.receipt_sign", acks_late=True, soft_time_limit=120, time_limit=150)
def receipt_sign(*, entry_id: int) -> None:
    receipt_sign_once(entry_id=entry_id)


def signing_catch_up(*, now) -> int:
    """The sweep's catch-up (registry.CATCH_UPS): queue again the signing of receipts whose task was lost."""
    pending = signing_overdue(Entry.objects.filter(code__isnull=False), since_field="submitted_at", now=now)
    delay_on_commit(receipt_sign, [{"entry_id": pk} for pk in pending], what="receipt signing")
    return len(pending)
