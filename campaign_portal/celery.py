"""The Celery app. Broker: Redis when REDIS_URL is set, else kombu's filesystem
transport under var/ so that the embedded default works across processes."""

import logging.config
import os

from celery import Celery
from celery.signals import after_task_publish, before_task_publish, setup_logging, worker_init
from django_structlog.celery.steps import DjangoStructLogInitStep

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "campaign_portal.settings")

app = Celery("campaign_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")


class TaskLogStep(DjangoStructLogInitStep):
    """django-structlog in the worker: task_started / task_succeeded / task_failed lines
    with the task_id and the request_id of the request that queued the task.

    The django_structlog app (DJANGO_STRUCTLOG_CELERY_ENABLED) already logs task_enqueued
    in every process; the step's second pair of publish receivers would log it twice."""

    def __init__(self, parent, **kwargs):
        super().__init__(parent, **kwargs)
        before_task_publish.disconnect(self.receiver.receiver_before_task_publish)
        after_task_publish.disconnect(self.receiver.receiver_after_task_publish)


app.steps["worker"].add(TaskLogStep)
app.autodiscover_tasks()


@setup_logging.connect
def use_django_logging(**kwargs):
    """The worker and beat log through settings.LOGGING (JSON lines, mail to ADMINS on
    errors) instead of Celery's own setup, which would drop the `celery` logger's handlers.
    LOG_LEVEL, not --loglevel, sets the level."""
    from django.conf import settings

    logging.config.dictConfig(settings.LOGGING)


@worker_init.connect
def lower_cpu_priority(**kwargs):
    """settings.WORKER_NICENESS, set in the worker's main process before it forks its pool: the children inherit
    it (and a beat embedded with -B). A `celery beat` of its own and the web processes keep their priority."""
    from django.conf import settings

    if settings.WORKER_NICENESS:
        os.nice(settings.WORKER_NICENESS)


@worker_init.connect
def warm_up(**kwargs):
    """The URLconf, catalogues and templates loaded in the worker's main process before it forks its pool: the
    children inherit them, and the first sweep or digest no longer pays ~2 s (campaign_portal.warmup)."""
    from campaign_portal.warmup import process_warm_up

    process_warm_up()
