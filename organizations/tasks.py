"""Celery tasks of the unit tree app: each fetches by id and calls a service."""

from celery import shared_task

from .exports import export_build as build


@shared_task(name="organizations.export_build", acks_late=True, soft_time_limit=600, time_limit=660)
def export_build(*, job_id: int) -> None:
    build(job_id=job_id)
