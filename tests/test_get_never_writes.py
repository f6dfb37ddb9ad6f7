"""A GET never writes (issue 14, item 6): every URL pattern of the resolver — those no page links
to and the admin's included — is requested with GET as every role on the demo campaign, and a
checksum of every table of the database is compared before and after each request."""

import pytest
from django.contrib import admin
from django.urls import URLPattern, reverse
from django.urls.resolvers import RoutePattern

from tests.url_catalogue import (
    ADMIN,
    CITY_HEAD,
    GL_HEAD,
    GL_OFFICER,
    MATRIX,
    SIBLING_OFFICER,
    Demo,
    TableWatch,
    all_url_names,
    load_demo,
)

# django_session is the one table a GET may write: a page may keep state in the signed session
# (the 2FA setup secret until its code is confirmed, flash messages, the language). Axes' access
# log is NOT excluded: it records logins and logouts, which happen outside the compared window.
EXCLUDED_TABLES = frozenset({"django_session"})


def _roles(d: Demo) -> dict[str, str | None]:
    return {
        "anonymous": None,
        "grassroots officer": GL_OFFICER,
        "another unit's officer": SIBLING_OFFICER,
        "district/commune head": GL_HEAD,
        "city head": CITY_HEAD,
        "portal admin": ADMIN,
        "judge": d.assignment.judge.email,
        "contestant": d.entry.entrant.user.email,
        "organiser": d.organiser.user.email,
    }


def _site_urls(d: Demo) -> list[tuple[str, str]]:
    """(name, URL) for every named pattern outside the admin, kwargs from the matrix's demo objects."""
    urls = []
    for name in all_url_names():
        kwargs = MATRIX[name].kwargs(d)
        assert kwargs is not None, f"{name}: no demo object to request it with"
        urls.append((name, reverse(name, kwargs=kwargs or None)))
    urls.append(("set_language", reverse("set_language")))
    return urls


# Positional groups of re_path() patterns, by URL name suffix.
POSITIONAL = {"_simple_history": ("object_id", "version_id")}


def _params(pattern) -> list[str]:
    if isinstance(pattern.pattern, RoutePattern):  # path()
        return list(pattern.pattern.converters)
    regex = pattern.pattern.regex  # re_path()
    if regex.groups and not regex.groupindex:
        suffix = next((s for s in POSITIONAL if pattern.name.endswith(s)), None)
        assert suffix, f"admin URL with unnamed groups: {pattern.name}"
        return list(POSITIONAL[suffix])
    return list(regex.groupindex)


def _admin_value(param: str, model, obj):
    """A real value for an admin URL's parameter, from the model's first object."""
    if param in ("object_id", "id", "pk"):
        return obj.pk
    raise AssertionError(f"admin URL parameter without a value: {param} ({model._meta.label})")


def _admin_urls() -> tuple[list[tuple[str, str]], int]:
    """Every named URL of the admin: its own pages, and each registered model's patterns (list, add,
    change, history, delete and the custom ones: moves, imports, simple_history versions, QR codes)
    on the model's first object. Returns the URLs and the number of models that had an object."""
    from django.contrib.contenttypes.models import ContentType

    urls, with_object = [], 0
    for model, model_admin in admin.site._registry.items():
        obj = model.objects.order_by("pk").first()
        with_object += obj is not None
        for pattern in model_admin.get_urls():
            if not isinstance(pattern, URLPattern) or not pattern.name:
                continue  # the unnamed redirect of an old change URL
            params = _params(pattern)
            if params and obj is None:
                continue  # nothing to show for a model without rows
            if "version_id" in params:  # one past version (django-simple-history): the first recorded one
                record = model.history.order_by("history_id").first()
                if record is None:
                    continue  # rows made in bulk have no history to show
                values = {"object_id": getattr(record, model._meta.pk.attname), "version_id": record.history_id}
            else:
                values = {p: _admin_value(p, model, obj) for p in params}
            if pattern.pattern.regex.groupindex or isinstance(pattern.pattern, RoutePattern):
                url = reverse(f"admin:{pattern.name}", kwargs=values or None)
            else:
                url = reverse(f"admin:{pattern.name}", args=list(values.values()))
            urls.append((f"admin:{pattern.name}", url))
    site_object = next(
        o
        for o in (m.objects.order_by("pk").first() for m in admin.site._registry)
        if o is not None and hasattr(o, "get_absolute_url")
    )
    for pattern in admin.site.get_urls():
        if not isinstance(pattern, URLPattern) or not pattern.name:
            continue
        name = f"admin:{pattern.name}"
        if name == "admin:app_list":
            urls += [
                (name, reverse(name, kwargs={"app_label": label}))
                for label in sorted({m._meta.app_label for m in admin.site._registry})
            ]
        elif name == "admin:view_on_site":
            urls.append(
                (
                    name,
                    reverse(
                        name,
                        kwargs={
                            "content_type_id": ContentType.objects.get_for_model(site_object).pk,
                            "object_id": site_object.pk,
                        },
                    ),
                )
            )
        else:
            assert not _params(pattern), f"admin URL parameter without a value: {name}"
            urls.append((name, reverse(name)))
    return urls, with_object


@pytest.mark.django_db
def test_no_get_writes_any_table(client, settings):
    from organizations.models import User

    settings.PORTAL_ADMIN_REQUIRE_2FA = False  # the admin role reaches the admin's pages; 2FA has its own tests
    client.raise_request_exception = False  # a 500 is reported with the others, not raised
    load_demo()
    d = Demo()
    site_urls = _site_urls(d)
    admin_urls, models_with_object = _admin_urls()

    problems, errors, visits, statuses = [], [], 0, {}
    for role, email in _roles(d).items():
        client.logout()
        if email:
            client.force_login(User.objects.get(email=email), backend="django.contrib.auth.backends.ModelBackend")
        urls = site_urls + (admin_urls if role == "portal admin" else [])
        watch = TableWatch(exclude=EXCLUDED_TABLES)
        for name, url in urls:
            response = client.get(url)
            visits += 1
            statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
            if changed := watch.changed():
                problems.append(f"GET {url} ({name}) as {role}: changed {', '.join(changed)}")
            if response.status_code >= 500:
                errors.append(f"GET {url} ({name}) as {role}: {response.status_code}")
    print(
        f"\nGET never writes: {len(site_urls)} site URL patterns × {len(_roles(d))} roles "
        f"+ {len(admin_urls)} admin URLs ({len(admin.site._registry)} models, {models_with_object} with an object) "
        f"as the portal admin = {visits} GETs over {len(watch.sums)} tables; answers {dict(sorted(statuses.items()))}"
    )
    assert not problems + errors, "\n".join(problems + errors)
