"""One settings file, driven by the environment (django-environ).

Embedded defaults need nothing: SQLite under var/, Celery over kombu's
filesystem transport, e-mail written to files. Production sets DATABASE_URL,
REDIS_URL, EMAIL_URL, SECRET_KEY, ALLOWED_HOSTS and DEBUG=0.
"""

import base64
import hashlib
from datetime import timedelta
from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _
from kombu import Queue

BASE_DIR = Path(__file__).resolve().parent.parent
env = environ.Env()
if (BASE_DIR / ".env").exists():
    environ.Env.read_env(BASE_DIR / ".env", overwrite=False)
# Nothing here creates a directory: `manage.py portal_dirs` (run by scripts/bootstrap.sh)
# makes VAR_DIR and the folders below it; uploads, mail and backups make their own.
VAR_DIR = Path(env.str("PORTAL_VAR_DIR", default=str(BASE_DIR / "var")))

DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = env.str("SECRET_KEY", default="dev-only-insecure-key-change-me-in-production-0123456789")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")
# Fernet key (urlsafe base64 of 32 bytes) that encrypts the organisations' PKCS#12 files. Empty: in DEBUG a key
# derived from SECRET_KEY is used; in production signing refuses to start (signatures.credentials).
SIGNING_KEY_ENCRYPTION_KEY = env.str("SIGNING_KEY_ENCRYPTION_KEY", default="")
if DEBUG and not SIGNING_KEY_ENCRYPTION_KEY:
    SIGNING_KEY_ENCRYPTION_KEY = base64.urlsafe_b64encode(
        hashlib.sha256(f"signing:{SECRET_KEY}".encode()).digest()
    ).decode()

INSTALLED_APPS = [
    "campaign_portal.app_configs.PortalAdminConfig",  # the portal's admin site (name, sections, index)
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "treebeard",
    "rules.apps.AutodiscoverRulesConfig",
    "campaign_portal.app_configs.AxesConfig",  # django-axes under a Vietnamese name
    "campaign_portal.app_configs.HistoryConfig",
    "django_htmx",
    "campaign_portal.app_configs.PeriodicTasksConfig",
    "csp",
    "django_otp",
    "campaign_portal.app_configs.TOTPConfig",
    "django_structlog",
    "organizations",
    "signatures",  # before the campaign apps: its demo loader gives units their credentials first
    "directives",
    "reporting",
    "contest",
    "notifications",
    "public",
    "campaign_portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # One request_started/request_finished line per request (method, path, code, user_id, ip, duration).
    "django_structlog.middlewares.RequestMiddleware",
    "campaign_portal.middleware.VietnameseFirstMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # A view that meets a database restart answers 503 (Vietnamese page, Retry-After), see its docstring.
    "campaign_portal.middleware.DatabaseUnavailableMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "organizations.two_factor.RequireAdminSecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Axes must come last so that it sees the authentication result.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "campaign_portal.urls"
WSGI_APPLICATION = "campaign_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "campaign_portal.context_processors.portal",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'portal.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL + a busy timeout let the web process, the worker and beat share the file.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "organizations.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Portal admins must confirm a TOTP code after the password (on by default in production).
PORTAL_ADMIN_REQUIRE_2FA = env.bool("PORTAL_ADMIN_REQUIRE_2FA", default=not DEBUG)
OTP_TOTP_ISSUER = "Cổng CCHC Hà Nội"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Five wrong passwords for one account from one address lock that address out of it for 15
# minutes; twenty from any addresses lock the account everywhere (campaign_portal.lockout).
AXES_HANDLER = "campaign_portal.lockout.PortalAxesHandler"
PORTAL_ACCOUNT_FAILURE_LIMIT = 20
AXES_FAILURE_LIMIT = 5
AXES_LOCK_OUT_AT_FAILURE = True  # read by campaign_portal.lockout
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_USERNAME_FORM_FIELD = "username"
AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_AGE = 60 * 60 * 24 * 365
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["campaign_portal.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"  # never served directly: uploads go through permission-checked views
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG
# Files browsers ask for at the site's root (/favicon.ico), served by WhiteNoise with a 200, not a redirect.
WHITENOISE_ROOT = BASE_DIR / "static" / "root"

FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FILES = 10
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000
# Upload limits are declared per kind in campaign_portal/uploads.py; a kind's limit may be overridden here by name.
UPLOAD_MAX_BYTES: dict[str, int] = {}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="filemail://")
vars().update(EMAIL_CONFIG)
if EMAIL_CONFIG["EMAIL_BACKEND"].endswith("filebased.EmailBackend"):
    # django-environ drops the leading "/" of filemail:///abs/path; no path means var/mail.
    _mail_path = EMAIL_CONFIG.get("EMAIL_FILE_PATH", "").strip("/")
    EMAIL_FILE_PATH = f"/{_mail_path}" if _mail_path else str(VAR_DIR / "mail")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Cổng CCHC Hà Nội <no-reply@cchc.hanoi.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
ADMINS = [tuple(a.split(":", 1)) for a in env.list("ADMINS", default=[])]

REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, object] = {}
    # django-redis: a Redis that is down or restarting makes the cache miss instead of failing
    # the page (rate limits fail open, charts are recomputed); the broker reconnects by itself.
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 1, "SOCKET_TIMEOUT": 1},
        }
    }
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
    # Sessions are read from Redis and written through to the database: no session query on a page, and a Redis
    # restart logs nobody out. Only on a shared cache: a per-process one would keep a session another process ended.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CELERY_BROKER_URL = "filesystem://"
    _queue_dir = VAR_DIR / "celery"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue_dir / "queue"),
        "data_folder_out": str(_queue_dir / "queue"),
        "processed_folder": str(_queue_dir / "processed"),
        "control_folder": str(_queue_dir / "control"),
        "store_processed": False,
    }
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    SESSION_ENGINE = "django.contrib.sessions.backends.db"
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# The worker lowers its CPU priority by this much (os.nice) when it starts: on a machine that also serves pages, a
# signature or an e-mail waiting a second goes unnoticed, a page waiting behind them does not. 0 keeps it as started.
WORKER_NICENESS = env.int("WORKER_NICENESS", default=10)
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Two queues, both consumed by every worker (no -Q needed). Documents take seconds each (signed PDFs, certificates,
# XLSX builds), mail and reminders milliseconds; the broker hands a worker the two queues in turn, so a backlog of
# signatures after a rush of approvals never holds back a deadline day's reminders.
CELERY_TASK_DEFAULT_QUEUE = "celery"
DOCUMENTS_QUEUE = "documents"
# Each bound by its own name: Celery would bind both by the default routing key, so that a message published to
# that key through the exchange would reach both queues and run twice.
CELERY_TASK_QUEUES = tuple(Queue(name, routing_key=name) for name in (CELERY_TASK_DEFAULT_QUEUE, DOCUMENTS_QUEUE))
DOCUMENT_TASKS = (
    "reporting.report_sign",
    "contest.receipt_sign",
    "contest.certificates_render",
    "contest.round_results_render",
    "organizations.export_build",
)
CELERY_TASK_ROUTES = {name: {"queue": DOCUMENTS_QUEUE} for name in DOCUMENT_TASKS}

# The notification outbox: tries per e-mail before it is marked failed, the tasks' exponential backoff
# (seconds) and its jitter; reminder providers beyond the apps' own (tests: dotted paths of
# due_reminders(*, now) callables, imported at startup so that a typo fails there; they withdraw nothing).
NOTIFICATIONS_MAX_ATTEMPTS = env.int("NOTIFICATIONS_MAX_ATTEMPTS", default=5)
NOTIFICATIONS_RETRY_BACKOFF = env.int("NOTIFICATIONS_RETRY_BACKOFF", default=60)
NOTIFICATIONS_RETRY_JITTER = env.bool("NOTIFICATIONS_RETRY_JITTER", default=True)
NOTIFICATIONS_EXTRA_PROVIDERS: list[str] = []

# Zalo (ZNS template messages from the Official Account) and SMS (a brandname gateway behind the portal's
# JSON adapter, notifications/channels/sms.py). A channel whose settings are unset is off and hidden.
# ZALO_ZNS_TEMPLATE_<KIND> (kind upper-case, e.g. ZALO_ZNS_TEMPLATE_REPORT_RETURNED) overrides the general
# template for one kind. The access and refresh tokens here are the first ones: refreshed tokens are stored
# in the database (notifications.ProviderToken), since Zalo's refresh tokens are single-use.
ZALO_ZNS_URL = env.str("ZALO_ZNS_URL", default="")
ZALO_OA_ACCESS_TOKEN = env.str("ZALO_OA_ACCESS_TOKEN", default="")
ZALO_ZNS_TEMPLATE_ID = env.str("ZALO_ZNS_TEMPLATE_ID", default="")
ZALO_ZNS_TEMPLATES = {
    name.removeprefix("ZALO_ZNS_TEMPLATE_").lower(): value
    for name, value in env.ENVIRON.items()
    if name.startswith("ZALO_ZNS_TEMPLATE_") and name != "ZALO_ZNS_TEMPLATE_ID" and value
}
ZALO_OA_REFRESH_TOKEN = env.str("ZALO_OA_REFRESH_TOKEN", default="")
ZALO_APP_ID = env.str("ZALO_APP_ID", default="")
ZALO_APP_SECRET = env.str("ZALO_APP_SECRET", default="")
ZALO_OAUTH_URL = env.str("ZALO_OAUTH_URL", default="https://oauth.zaloapp.com/v4/oa/access_token")
SMS_GATEWAY_URL = env.str("SMS_GATEWAY_URL", default="")
SMS_GATEWAY_TOKEN = env.str("SMS_GATEWAY_TOKEN", default="")
SMS_BRANDNAME = env.str("SMS_BRANDNAME", default="")
# Delivery reports. Zalo signs the OA's webhook events with the OA secret key (X-ZEvent-Signature); the SMS gateway
# calls the portal's delivery-report URL with its own bearer token. Unset: the receiver answers 404, and a message's
# last state stays "sent".
ZALO_OA_SECRET_KEY = env.str("ZALO_OA_SECRET_KEY", default="")
SMS_CALLBACK_TOKEN = env.str("SMS_CALLBACK_TOKEN", default="")
CHANNELS_HTTP_TIMEOUT = env.int("CHANNELS_HTTP_TIMEOUT", default=10)

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# No inline scripts and nothing from other origins: scripts are vendored files.
# Styles allow inline attributes (Bootstrap utilities, pygal's SVG charts).
from csp.constants import NONE, SELF  # noqa: E402

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, "'unsafe-inline'"],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

# Structured logs (campaign_portal/logging.py): one JSON object per line on stdout in
# production, readable lines under `make run`; errors of requests and Celery tasks also
# go to ADMINS by e-mail.
from django.core.exceptions import ImproperlyConfigured  # noqa: E402

from campaign_portal import logging as portal_logging  # noqa: E402

LOG_FORMAT = env.str("LOG_FORMAT", default="console" if DEBUG else "json")
if LOG_FORMAT not in ("json", "console"):
    raise ImproperlyConfigured(f"LOG_FORMAT must be 'json' or 'console', not {LOG_FORMAT!r}")
DJANGO_STRUCTLOG_CELERY_ENABLED = True
DJANGO_STRUCTLOG_USER_ID_FIELD = "pk"  # the numeric id: the e-mail is personal data
DJANGO_STRUCTLOG_IP_LOGGING_ENABLED = False  # campaign_portal.logging binds REMOTE_ADDR, like axes
portal_logging.configure()

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "campaign_portal.logging.json_formatter"},
        "console": {"()": "campaign_portal.logging.console_formatter"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "stream": "ext://sys.stdout", "formatter": LOG_FORMAT},
        "mail_admins": {
            "class": "django.utils.log.AdminEmailHandler",
            "level": "ERROR",
            "filters": ["not_service_unavailable"],
        },
    },
    "filters": {
        "not_service_unavailable": {
            "()": "django.utils.log.CallbackFilter",
            "callback": portal_logging.not_service_unavailable,
        },
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.request": {"handlers": ["console", "mail_admins"], "level": "ERROR", "propagate": False},
        "celery": {"handlers": ["console", "mail_admins"], "level": "INFO", "propagate": False},
    },
}
