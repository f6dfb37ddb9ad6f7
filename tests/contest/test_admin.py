"""Django admin: an entry's status and a round's state change only through contest services."""

from django.urls import reverse

from contest.enums import EntryStatus, RoundState
from tests.admin_utils import admin_form_data

from .conftest import make_entrant, make_entry


def _superuser(tree, login):
    tree.admin.is_superuser = True
    tree.admin.save()
    return login(tree.admin)


def test_admin_does_not_change_entry_status(contest_env, login):
    entry = make_entry(make_entrant(contest_env.contest))
    assert entry.status == EntryStatus.RECEIVED
    client = _superuser(contest_env.tree, login)
    url = reverse("admin:contest_entry_change", args=[entry.pk])
    data = admin_form_data(client.get(url), status=EntryStatus.DRAFT, title="Tên sáng kiến (sửa)")
    assert client.post(url, data).status_code == 302
    entry.refresh_from_db()
    assert (entry.status, entry.title) == (EntryStatus.RECEIVED, "Tên sáng kiến (sửa)")


def test_admin_does_not_change_round_state(contest_env, login):
    client = _superuser(contest_env.tree, login)
    url = reverse("admin:contest_contest_change", args=[contest_env.contest.pk])
    data = admin_form_data(client.get(url), **{"rounds-0-state": RoundState.CLOSED})
    assert client.post(url, data).status_code == 302
    contest_env.prelim.refresh_from_db()
    assert contest_env.prelim.state == RoundState.OPEN
