"""The Celery app. Broker: Redis when REDIS_URL is set, else kombu's filesystem
transport under var/ so that the embedded default works across processes."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "campaign_portal.settings")

app = Celery("campaign_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
