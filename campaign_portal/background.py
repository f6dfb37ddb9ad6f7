"""Queueing Celery work from a transaction: the one way services hand work to a worker."""

import logging
from collections.abc import Callable, Iterable

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


def chunks(items: list, size: int) -> list[list]:
    """The items in order, in lists of at most `size`: one task per list."""
    return [items[start : start + size] for start in range(0, len(items), size)]


def serve_batch(items: Iterable, serve: Callable[..., int]) -> int:
    """serve(item) for every item of a task's batch, summing what it returns. One item's error does not stop the
    others: the first is raised after the last item, so that the task retries the batch, in which each item
    already served is skipped (serve must be idempotent)."""
    total, first_error = 0, None
    for item in items:
        try:
            total += serve(item)
        except Exception as error:
            first_error = first_error or error
    if first_error is not None:
        raise first_error
    return total
