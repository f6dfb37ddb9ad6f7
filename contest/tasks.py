"""Celery tasks of the contest: each fetches by id and calls a service (contest.background_documents)."""

import datetime as dt

from celery import shared_task

from campaign_portal.background import delay_on_commit

from .background_documents import certificates_render_chunk, round_document_render
from .signing import receipt_sign_once, receipts_to_sign

# The sweep leaves a fresh submission to its own task, and looks back far enough to outlast a broker outage.
SIGN_GRACE = dt.timedelta(minutes=5)
SIGN_LOOKBACK = dt.timedelta(days=7)


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
    """The sweep's catch-up (registry.CATCH_UPS): queue again the signing of the last week's submissions whose
    task was lost (the broker down, a worker killed). A fresh submission is left to its own task."""
    pending = receipts_to_sign(submitted_before=now - SIGN_GRACE, submitted_after=now - SIGN_LOOKBACK)
    delay_on_commit(receipt_sign, [{"entry_id": pk} for pk in pending], what="receipt signing")
    return len(pending)
