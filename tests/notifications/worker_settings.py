"""Settings for the real Celery worker the Redis tests start in a subprocess: the
test settings, pointed at pytest-django's PostgreSQL test database, a Redis queue of
the test's own, and a local aiosmtpd server."""

import os

from kombu import Queue

from campaign_portal.settings_test import *  # noqa: F401,F403

CELERY_TASK_ALWAYS_EAGER = False
CELERY_BROKER_URL = os.environ["NOTIF_BROKER_URL"]
CELERY_BROKER_TRANSPORT_OPTIONS = {}
CELERY_TASK_DEFAULT_QUEUE = os.environ["NOTIF_QUEUE"]
# Everything on the test's own queue: a document task queued by the sweep's catch-ups must not land in a shared one.
CELERY_TASK_QUEUES = (Queue(CELERY_TASK_DEFAULT_QUEUE),)
CELERY_TASK_ROUTES = {}
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

DATABASES["default"]["NAME"] = os.environ["NOTIF_DB_NAME"]  # noqa: F405
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405

EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = "127.0.0.1"
EMAIL_PORT = int(os.environ["NOTIF_SMTP_PORT"])
EMAIL_HOST_USER = ""
EMAIL_HOST_PASSWORD = ""
EMAIL_USE_TLS = False
EMAIL_USE_SSL = False
EMAIL_TIMEOUT = 10

NOTIFICATIONS_EXTRA_PROVIDERS = ["tests.notifications.fake_reminders.due_reminders"]
NOTIFICATIONS_RETRY_BACKOFF = 1
NOTIFICATIONS_RETRY_JITTER = False
LOGGING["root"]["level"] = "INFO"  # noqa: F405

# Zalo and SMS pointed at the test's loopback providers (notifications/channels/loopback.py, default tokens).
if os.environ.get("NOTIF_PROVIDERS_URL"):
    _base = os.environ["NOTIF_PROVIDERS_URL"]
    ZALO_ZNS_URL = f"{_base}/message/template"
    ZALO_OA_ACCESS_TOKEN = "oa-token-1"
    ZALO_ZNS_TEMPLATE_ID = "100001"
    ZALO_OA_REFRESH_TOKEN = "refresh-1"
    ZALO_APP_ID = "app-1"
    ZALO_APP_SECRET = "secret-1"
    ZALO_OAUTH_URL = f"{_base}/v4/oa/access_token"
    SMS_GATEWAY_URL = f"{_base}/sms"
    SMS_GATEWAY_TOKEN = "sms-token-1"
    SMS_BRANDNAME = "CONGDOANHN"
