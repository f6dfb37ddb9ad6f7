"""Queueing Celery work from a transaction: the one way services hand work to a worker."""

import logging

from django.db import transaction

logger = logging.getLogger(__name__)


def delay_on_commit(task, calls: list[dict], *, what: str) -> None:
    """After the surrounding transaction commits, task.delay(**kwargs) for each call. Nothing here may fail the
    committed action: with the broker down (or an eager try failing) the work stays undone, and the periodic
    sweep of its app finds it and queues it again."""
    if not calls:
        return

    def _send():
        for kwargs in calls:
            try:
                task.delay(**kwargs)
            except Exception as error:
                logger.warning("%s %s not queued now, it stays waiting: %r", what, kwargs, error)

    transaction.on_commit(_send)
