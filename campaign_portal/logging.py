"""Structured logs: one JSON object per line in production, readable lines under `make run`.

django-structlog logs every request (request_started / request_finished / request_failed)
and every Celery task (task_enqueued / task_started / task_succeeded / task_failed); plain
`logging` records from Django, Celery and the other libraries go through the same
formatter, so every line carries timestamp (ISO, UTC), level, logger and event, plus the
request_id / user_id / ip of the request or the task_id / request_id of the task it
belongs to. settings.py calls `configure()` and names the formatters below in LOGGING.

Personal data and secrets stay out: user_id is the numeric id; no request body, no query
string, no secret part of a path (password-reset and e-mail verification tokens, feedback
tracking codes); e-mail addresses in any message are masked (django-axes, for one, writes
the login e-mail into its messages); exceptions are plain tracebacks, never local variables.
"""

import re
import time

import structlog
from django_structlog import signals

REDACTED = "[redacted]"
EMAIL_MASK = "[email]"

# URL keyword arguments that are secrets in every view...
SECRET_URL_KWARGS = frozenset({"token", "uidb64"})
# ...and those that are secrets in one view: a tracking code opens a citizen's feedback.
SECRET_VIEW_KWARGS = {"public:feedback_track_detail": frozenset({"code"})}
# Event keys whose value is never written, whoever logs them.
SECRET_KEYS = frozenset({"password", "csrfmiddlewaretoken", "token", "secret", "sessionid"})
EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")

# Run for structlog events and for plain `logging` records alike.
SHARED_PROCESSORS = [
    structlog.contextvars.merge_contextvars,
    structlog.stdlib.add_logger_name,
    structlog.stdlib.add_log_level,
    structlog.processors.TimeStamper(fmt="iso", utc=True),
    structlog.processors.StackInfoRenderer(),
]


def redact_secrets(logger, method_name, event_dict):
    """Masks e-mail addresses in every text value and drops the value of secret keys."""
    for key, value in event_dict.items():
        if key in SECRET_KEYS:
            event_dict[key] = REDACTED
        elif isinstance(value, str) and "@" in value:
            event_dict[key] = EMAIL_RE.sub(EMAIL_MASK, value)
    return event_dict


def _formatter(renderer) -> structlog.stdlib.ProcessorFormatter:
    return structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=SHARED_PROCESSORS,
        processors=[
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            # A plain traceback string (masked below); the rich/dict renderers would show locals.
            structlog.processors.format_exc_info,
            redact_secrets,
            renderer,
        ],
    )


def json_formatter() -> structlog.stdlib.ProcessorFormatter:
    # ASCII escapes keep a line intact on a stream of any encoding; json.loads restores the text.
    return _formatter(structlog.processors.JSONRenderer())


def console_formatter() -> structlog.stdlib.ProcessorFormatter:
    return _formatter(structlog.dev.ConsoleRenderer(colors=False))


def loggable_path(request) -> str:
    """The path without its query string and with secret URL arguments replaced."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        from django.urls import Resolver404, resolve

        try:
            match = resolve(request.path_info)
        except Resolver404:
            return request.path
    secret_names = SECRET_URL_KWARGS | SECRET_VIEW_KWARGS.get(match.view_name, frozenset())
    secrets = {str(value) for name, value in match.kwargs.items() if name in secret_names}
    if not secrets:
        return request.path
    return "/".join(REDACTED if segment in secrets else segment for segment in request.path.split("/"))


def _describe_request(request, log_kwargs: dict) -> None:
    # django-structlog's `request` is "METHOD full path" (query string included): split it.
    log_kwargs.pop("request", None)
    log_kwargs["method"] = request.method
    log_kwargs["path"] = loggable_path(request)


def _request_started(sender, request, logger, log_kwargs, **kwargs) -> None:
    request._log_started_ns = time.monotonic_ns()
    # REMOTE_ADDR only, like axes and the public rate limits: the proxy in front sets it.
    structlog.contextvars.bind_contextvars(ip=request.META.get("REMOTE_ADDR"))
    _describe_request(request, log_kwargs)


def _request_ended(sender, request, logger, log_kwargs, **kwargs) -> None:
    _describe_request(request, log_kwargs)
    started = getattr(request, "_log_started_ns", None)
    if started is not None:
        log_kwargs["duration_ms"] = round((time.monotonic_ns() - started) / 1_000_000, 1)


def configure() -> None:
    """structlog hands its events to `logging` (LOGGING decides where they go and how they
    look); the request events get method, path and duration instead of the raw request line."""
    structlog.configure(
        processors=[
            structlog.stdlib.filter_by_level,
            *SHARED_PROCESSORS,
            structlog.stdlib.PositionalArgumentsFormatter(),
            structlog.processors.UnicodeDecoder(),
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
    signals.bind_extra_request_metadata.connect(_request_started, dispatch_uid="portal-request-started")
    signals.bind_extra_request_finished_metadata.connect(_request_ended, dispatch_uid="portal-request-finished")
    signals.bind_extra_request_failed_metadata.connect(_request_ended, dispatch_uid="portal-request-failed")


def not_service_unavailable(record) -> bool:
    """Filter for the admins' mail: a 503 (the database restarting, see DatabaseUnavailableMiddleware)
    is logged, not mailed, or a restart under load would send one e-mail per request."""
    return getattr(record, "status_code", None) != 503
