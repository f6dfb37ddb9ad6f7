"""Celery tasks of the contest: each fetches by id and calls a service (contest.background_documents)."""

from celery import shared_task

from .background_documents import certificates_render_chunk, round_document_render


@shared_task(name="contest.certificates_render", acks_late=True)
def certificates_render(*, batch_id: int, award_ids: list[int]) -> None:
    certificates_render_chunk(batch_id=batch_id, award_ids=award_ids)


@shared_task(name="contest.round_results_render", acks_late=True, soft_time_limit=600, time_limit=660)
def round_results_render(*, document_id: int) -> None:
    round_document_render(document_id=document_id)
