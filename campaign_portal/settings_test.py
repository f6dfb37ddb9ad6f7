"""Test settings: the real settings with fast hashing and in-memory mail.

DATABASE_URL picks PostgreSQL (CI) or SQLite (default); REDIS_URL the broker."""

from .settings import *  # noqa: F401,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = VAR_DIR / "test-media"  # noqa: F405
AXES_ENABLED = True
LOGGING["root"]["level"] = "WARNING"  # noqa: F405
STATIC_ROOT = None  # static files come from the finders; nothing is collected

# Zalo and SMS are off unless a test points them at its loopback servers.
ZALO_ZNS_URL = ZALO_OA_ACCESS_TOKEN = ZALO_ZNS_TEMPLATE_ID = ""
ZALO_ZNS_TEMPLATES: dict[str, str] = {}
SMS_GATEWAY_URL = SMS_GATEWAY_TOKEN = SMS_BRANDNAME = ""
ZALO_OA_SECRET_KEY = SMS_CALLBACK_TOKEN = ""

if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":  # noqa: F405
    # A test's commit never has to survive a crash: not waiting for each WAL flush spares the disk that the
    # demo loads of the browser journeys keep busy (a stalled flush once held a login past its timeout).
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c synchronous_commit=off"  # noqa: F405
