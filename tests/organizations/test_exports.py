"""Exports built by a background job (organizations.exports): started by a POST only, built by the real Celery
task, followed on a page that polls, downloaded by the requester only, queued again when the task was lost and
deleted after a day."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from organizations import tree_io
from organizations.exports import ERROR_NOT_ALLOWED, export_start, exports_catch_up
from organizations.models import ExportJob, Unit
from organizations.services import membership_revoke

pytestmark = pytest.mark.django_db


def _start_tree_export(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("organizations:tree_export"))
    job = ExportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("organizations:export_job", args=[job.pk])
    return job


def test_tree_export_job_builds_the_workbook_and_counts_its_rows(tree, login, django_capture_on_commit_callbacks):
    client = login(tree.admin)
    job = _start_tree_export(client, django_capture_on_commit_callbacks)
    job.refresh_from_db()
    units = Unit.objects.count()
    assert (job.kind, job.requested_by, job.total, job.done, job.error) == ("unit_tree", tree.admin, units, units, "")
    assert (job.filename, job.percent, job.is_ready) == ("don-vi.xlsx", 100, True)
    page = client.get(reverse("organizations:export_job", args=[job.pk])).content.decode()
    assert reverse("organizations:export_download", args=[job.pk]) in page
    assert "hx-get" not in page  # done: no polling
    response = client.get(reverse("organizations:export_download", args=[job.pk]))
    assert response["Content-Disposition"] == 'attachment; filename="don-vi.xlsx"'
    rows = list(load_workbook(io.BytesIO(response.getvalue())).active.iter_rows(values_only=True))
    assert sorted(row[0] for row in rows[2:]) == sorted(Unit.objects.values_list("code", flat=True))


def test_a_queued_job_page_polls_until_the_file_is_ready(tree, login):
    client = login(tree.admin)
    job = export_start(kind=tree_io.EXPORT_KIND, params={}, title="Cây đơn vị", by=tree.admin)  # task not run yet
    url = reverse("organizations:export_job", args=[job.pk])
    page = client.get(url).content.decode()
    assert f'hx-get="{url}"' in page
    assert "Đang chờ xử lý…" in page
    assert client.get(reverse("organizations:export_download", args=[job.pk])).status_code == 404
    assert client.get(url, headers={"HX-Request": "true"}).status_code == 200  # keeps polling


def test_get_never_starts_an_export(tree, login):
    client = login(tree.admin)
    assert client.get(reverse("organizations:tree_export")).status_code == 405
    assert ExportJob.objects.count() == 0


def test_only_the_requester_opens_or_downloads_her_export(tree, login, django_capture_on_commit_callbacks):
    job = _start_tree_export(login(tree.admin), django_capture_on_commit_callbacks)
    for other in (tree.city_head, tree.gialam_officer, tree.outsider):
        client = login(other)
        assert client.get(reverse("organizations:export_job", args=[job.pk])).status_code == 404, other.email
        assert client.get(reverse("organizations:export_download", args=[job.pk])).status_code == 404, other.email


def test_a_job_whose_requester_lost_the_right_builds_nothing(tree, login, django_capture_on_commit_callbacks):
    job = export_start(kind=tree_io.EXPORT_KIND, params={}, title="Cây đơn vị", by=tree.admin)
    membership_revoke(membership=tree.admin.memberships.get(), by=tree.admin)
    with django_capture_on_commit_callbacks(execute=True):
        exports_catch_up(now=timezone.now() + dt.timedelta(minutes=6))
    job.refresh_from_db()
    assert (job.error, job.is_ready) == (ERROR_NOT_ALLOWED, False)


def test_catch_up_queues_a_lost_job_again_and_deletes_a_day_old_one(tree, django_capture_on_commit_callbacks):
    job = export_start(kind=tree_io.EXPORT_KIND, params={}, title="Cây đơn vị", by=tree.admin)  # its task lost
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        assert exports_catch_up(now=now + dt.timedelta(minutes=1)) == 0  # not late yet
    job.refresh_from_db()
    assert job.started_at is None
    with django_capture_on_commit_callbacks(execute=True):
        assert exports_catch_up(now=now + dt.timedelta(minutes=6)) == 1
    job.refresh_from_db()
    assert job.is_ready
    storage, name = job.file.storage, job.file.name
    assert storage.exists(name)
    assert exports_catch_up(now=now + dt.timedelta(days=1, minutes=1)) == 0
    assert ExportJob.objects.count() == 0
    assert not storage.exists(name)
