"""The permission matrix: every URL of the project, requested as anonymous, an officer of another
unit, a head of another district, a judge, a contestant and the rightful user, on the demo campaign.

URLs come from the resolver, so a new URL without a row in MATRIX fails the test with its name.
Denial is 403 or 404 (a redirect to the login page for anonymous). A POST-only endpoint must not
change anything on GET, and a denied POST must change nothing."""

from dataclasses import dataclass, field

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils.html import escape
from django.utils.http import urlencode

from tests.url_catalogue import (
    MATRIX,
    ROLES,
    Demo,
    TableWatch,
    all_url_names,
    load_demo,
)

# Bugs found by the matrix and not yet fixed in the app: (url name, role) → what happened.
KNOWN_BUGS: dict[tuple[str, str], str] = {}


# Sessions are written by logging each role in and out; they are not the state under test.
SESSION_TABLES = frozenset({"django_session"})


def _denied(response, role) -> bool:
    if response.status_code in (403, 404):
        return True
    return role == "anon" and response.status_code == 302 and "/accounts/login/" in response["Location"]


def _succeeded(response, role) -> bool:
    """A 2xx, or a 3xx that is not the login page."""
    return (
        response.status_code < 400
        and not _denied(response, role)
        and not (response.status_code in (301, 302) and "/accounts/login/" in response.get("Location", ""))
    )


@dataclass
class MatrixStats:
    # (url name, role, "success" | "filtered" | "denial" | "either"); "filtered": a success that
    # must not show the rightful user's object.
    pairs: list = field(default_factory=list)

    def count(self, kind: str) -> int:
        return sum(1 for *_, k in self.pairs if k == kind)


def run_matrix(client, *, only: set[str] | None = None) -> tuple[list[str], MatrixStats]:
    """Requests every URL (or those named in `only`) as every role; returns the problems found."""
    from organizations.models import User

    client.raise_request_exception = False  # a 500 is recorded as a problem, not raised
    d = Demo()
    users = {u.email: u for u in User.objects.all()}
    problems, stats = [], MatrixStats()
    # Every table's checksum: a denied request must leave them all unchanged, a rightful POST change one.
    watch = TableWatch(exclude=SESSION_TABLES)
    for name in all_url_names():
        if only is not None and name not in only:
            continue
        case = MATRIX.get(name)
        if case is None:
            problems.append(f"{name}: no declared expectation")
            continue
        try:
            kwargs = case.kwargs(d)
        except AttributeError as error:
            problems.append(f"{name}: no demo object ({error})")
            continue
        if kwargs is None:
            problems.append(f"{name}: no demo object")
            continue
        url = reverse(name, kwargs=kwargs or None)
        if case.query:
            url += "?" + urlencode(case.query(d))
        private = escape(case.private(d)) if case.private else None
        owner = case.owner(d) if callable(case.owner) else case.owner
        for role in ROLES:
            email = d.email(role, owner) if role != "anon" else None
            if role != "anon" and email is None:
                if role == "owner" and "anon" in case.allowed | case.either:
                    continue  # a public page has no rightful user: every role asserts its success
                problems.append(f"{name}: no user for the role {role}")
                continue
            client.logout()
            if email:
                client.force_login(users[email], backend="django.contrib.auth.backends.ModelBackend")
            watch.changed()  # logging in is not the request under test
            kind = (
                "either"
                if role in case.either
                else "filtered"
                if role in case.filtered
                else "success"
                if role in case.allowed
                else "denial"
            )
            stats.pairs.append((name, role, kind))
            if case.method == "POST":
                problems += _check_post(client, watch, name, url, case, d, role, kind)
                continue
            response = client.get(url)
            if response.status_code >= 500:
                problems.append(f"{name} GET as {role}: {response.status_code}")
            elif kind in ("success", "filtered") and not _succeeded(response, role):
                problems.append(f"{name} GET as {role} (must succeed): {response.status_code}")
            elif private and kind == "success" and private not in response.content.decode():
                problems.append(f"{name} GET as {role} (must show {private!r}): it does not")
            elif kind == "filtered" and private in response.content.decode():
                problems.append(f"{name} GET as {role} (must not show {private!r}): it does")
            elif kind == "denial" and not _denied(response, role):
                problems.append(f"{name} GET as {role} (must be denied): {response.status_code}")
    return problems, stats


def _check_post(client, watch, name, url, case, d, role, kind) -> list[str]:
    """The GET of a POST-only URL changes nothing; the POST, inside a rolled-back transaction,
    changes the state for the rightful user and nothing for an outsider."""
    problems = []
    response = client.get(url)
    if response.status_code >= 500 or watch.changed():
        problems.append(f"{name} GET as {role}: {response.status_code}, state changed or error")
    data = case.data(d) if callable(case.data) else case.data
    before = watch.sums
    with transaction.atomic():
        response = client.post(url, data)
        changed = watch.changed()
        effect = case.effect(client) if case.effect else bool(changed)
        transaction.set_rollback(True)
    watch.rolled_back(before)
    if response.status_code >= 500:
        problems.append(f"{name} POST as {role}: {response.status_code}")
    elif kind == "success" and not (
        (response.status_code < 400 if case.effect else _succeeded(response, role)) and effect
    ):
        problems.append(
            f"{name} POST as {role} (must succeed): {response.status_code}{'' if effect else ', nothing changed'}"
        )
    elif kind == "denial" and (not _denied(response, role) or changed):
        problems.append(
            f"{name} POST as {role} (must be denied): {response.status_code}"
            f"{', CHANGED ' + ', '.join(changed) if changed else ''}"
        )
    return problems


def _report(problems: list[str], stats: MatrixStats) -> None:
    print(
        f"\npermission matrix: {len(stats.pairs)} (URL, role) pairs over {len({n for n, *_ in stats.pairs})} URLs: "
        f"{stats.count('success') + stats.count('filtered')} assert success "
        f"({stats.count('filtered')} of them on a filtered list that must not show the rightful user's object), "
        f"{stats.count('denial')} assert denial, "
        f"{stats.count('either')} either"
    )
    by_url: dict[str, dict[str, list[str]]] = {}
    for name, role, kind in stats.pairs:
        by_url.setdefault(name, {}).setdefault(kind, []).append(role)
    for name, kinds in by_url.items():
        print(f"  {name}: " + "; ".join(f"{k} {','.join(r)}" for k, r in sorted(kinds.items())))


def test_every_url_has_a_declared_expectation():
    missing = [name for name in all_url_names() if name not in MATRIX]
    stale = [name for name in MATRIX if name not in all_url_names()]
    assert not missing, f"URLs without a row in MATRIX: {missing}"
    assert not stale, f"MATRIX rows for URLs that no longer exist: {stale}"
    # A filtered list answers its outsiders (allowed) and names what they must not see (private).
    loose = [
        name
        for name, case in MATRIX.items()
        if case.filtered and not (case.private and case.filtered <= case.allowed - {"owner"})
    ]
    assert not loose, f"MATRIX rows with `filtered` roles not allowed or without `private`: {loose}"


@pytest.mark.django_db
def test_permission_matrix(client):
    load_demo()
    problems, stats = run_matrix(client)
    _report(problems, stats)
    known = [p for p in problems if any(p.startswith(f"{n} ") and f" as {r} " in p for n, r in KNOWN_BUGS)]
    new = [p for p in problems if p not in known]
    assert not new, "\n".join(new)


@pytest.mark.django_db
def test_matrix_fails_when_a_rule_is_loosened(client):
    """Any signed-in user may view any report: the matrix must name the report pages it opens to outsiders."""
    import rules

    load_demo()
    original = rules.permissions.permissions["reporting.view_report"]
    rules.set_perm("reporting.view_report", rules.is_authenticated)
    try:
        problems, _ = run_matrix(client, only={"reporting:report_detail", "reporting:report_print"})
    finally:
        rules.set_perm("reporting.view_report", original)
    assert sorted(problems) == [
        f"{name} GET as {role} (must be denied): 200"
        for name in ("reporting:report_detail", "reporting:report_print")
        for role in ("contestant", "judge", "other_head", "sibling")
    ]
