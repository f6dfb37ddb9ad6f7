"""What a fresh process would otherwise pay on its first request or task, paid once at its start: the URLconf (it
imports every view, and with them pyHanko, WeasyPrint's helpers, aiohttp…: ~1.5 s) and its reverse() tables, the
translation catalogues, and the compiled templates of the project (Django's cached loader keeps them for the life of
the process); then all of it is frozen out of the garbage collector's full collections.

Called by campaign_portal.wsgi (each gunicorn worker loads it before it accepts a request, or the master once with
--preload) and by the Celery worker before it forks its pool (campaign_portal.celery)."""

import gc
import logging
import time
from collections.abc import Iterator
from importlib import import_module

from django.conf import settings
from django.core.cache import DEFAULT_CACHE_ALIAS, caches
from django.template import TemplateDoesNotExist, TemplateSyntaxError, engines
from django.template.loader import get_template
from django.urls import NoReverseMatch, URLResolver, get_resolver, reverse
from django.utils import translation
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


def _namespaces(resolver: URLResolver, prefix: str = "") -> Iterator[str]:
    """Every namespace of the URLconf, nested ones included, as reverse() spells it ("contest:", "a:b:")."""
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
            if pattern.namespace:
                yield inner
            yield from _namespaces(pattern, inner)


def _project_templates() -> list[str]:
    root = settings.BASE_DIR / "templates"
    return [str(path.relative_to(root)) for path in sorted(root.rglob("*")) if path.suffix in (".html", ".txt")]


def process_warm_up() -> None:
    started = time.perf_counter()
    get_resolver().url_patterns  # noqa: B018 (the import of every urls.py and view module is the point)
    caches[DEFAULT_CACHE_ALIAS]  # noqa: B018 (imports django-redis and redis, ~0.15 s; connects only when used)
    import_module(settings.SESSION_ENGINE)
    import_string(settings.SESSION_SERIALIZER)
    import_string(settings.MESSAGE_STORAGE)
    for engine in engines.all():
        getattr(engine, "engine", engine).template_context_processors  # noqa: B018 (imported on first access)
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            translation.gettext("")
            # reverse() builds each namespace's lookup tables per language on first use (~0.35 s in a sweep, as
            # much on a first page): a name that does not exist makes it build them, then fails.
            for namespace in ["", *_namespaces(get_resolver())]:
                try:
                    reverse(f"{namespace}warm-up")
                except NoReverseMatch:
                    pass
    compiled = 0
    for name in _project_templates():
        try:
            get_template(name)
        except (TemplateDoesNotExist, TemplateSyntaxError):  # the page that uses it reports it; the process starts
            logger.exception("template %s does not compile", name)
            continue
        compiled += 1
    # What was loaded to serve stays for the life of the process: frozen, it is out of the cyclic collector's reach,
    # so a full collection during a request walks that request's objects, not the ~250,000 of the loaded code (a
    # pause of ~0.1 s, each time one happens). In the Celery worker, also fewer pages copied after the fork.
    gc.collect()
    gc.freeze()
    logger.info(
        "process warmed up: %d templates, %d objects frozen, in %d ms",
        compiled,
        gc.get_freeze_count(),
        (time.perf_counter() - started) * 1000,
    )
