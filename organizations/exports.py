"""Exports too large for a web request (registry.EXPORTS): a Celery job builds the file, a page follows it.

Gunicorn runs sync workers, so even a streamed 10,000-row XLSX would hold one for seconds. A POST starts a job
(`export_start`), the task (organizations.tasks.export_build) runs `export_build`, the job's page polls the row and
offers the file to the requester once it is stored under MEDIA_ROOT (served only through a permission-checked view).
The notifications sweep runs `exports_catch_up`: it queues again a job whose task was lost and deletes the files
of a day ago.
"""

import datetime as dt
from collections.abc import Iterable, Iterator

from celery.utils.log import get_task_logger
from django.core.files.base import ContentFile
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from campaign_portal.background import delay_on_commit
from campaign_portal.exceptions import PortalError
from campaign_portal.registry import EXPORTS

from .models import ExportJob, User

logger = get_task_logger("organizations.tasks")

PROGRESS_UPDATES = 10  # writes of the progress per job, whatever its size
KEEP_FOR = dt.timedelta(days=1)
QUEUED_TOO_LONG = dt.timedelta(minutes=5)  # a job not started by then lost its task
RUNNING_TOO_LONG = dt.timedelta(minutes=30)  # a job not finished by then lost its worker

# Stored untranslated in ExportJob.error; the page shows them with {% translate %}.
ERROR_BUILD_FAILED = gettext_noop("Lỗi khi tạo tệp; quản trị hệ thống đã được báo. Vui lòng thử lại.")
ERROR_NOT_ALLOWED = gettext_noop("Bạn không còn quyền xuất dữ liệu này.")
ERROR_LOST = gettext_noop("Việc tạo tệp bị gián đoạn. Vui lòng thử lại.")


def export_start(*, kind: str, params: dict, title: str, by: User) -> ExportJob:
    """Queues the build of an export for `by` after the commit; refused when she may not export this data."""
    if not EXPORTS[kind].allowed(by, params):
        raise PortalError(_("Bạn không có quyền xuất dữ liệu này."))
    job = ExportJob.objects.create(kind=kind, params=params, title=title[:255], requested_by=by)
    _queue([job.pk])
    return job


def _queue(job_ids: list[int]) -> None:
    from . import tasks

    delay_on_commit(tasks.export_build, [{"job_id": pk} for pk in job_ids], what="export")


def export_build(*, job_id: int) -> None:
    """Builds and stores the file of a job, counting its rows as they are written. A failure is logged (hence
    mailed to ADMINS) and shown on the job's page."""
    job = ExportJob.objects.filter(pk=job_id, finished_at__isnull=True).select_related("requested_by").first()
    if job is None:
        return
    ExportJob.objects.filter(pk=job.pk).update(started_at=timezone.now())
    export = EXPORTS[job.kind]
    if not export.allowed(job.requested_by, job.params):
        _finish(job, error=ERROR_NOT_ALLOWED)
        return
    try:
        content, filename = export.build(user=job.requested_by, params=job.params, progress=_progress(job.pk))
    except Exception:
        logger.exception("export %s (%s) failed", job.pk, job.kind)
        _finish(job, error=ERROR_BUILD_FAILED)
        return
    job.file.save(filename, ContentFile(content), save=False)
    job.filename = filename
    _finish(job)


def _progress(job_id: int):
    def progress(rows: Iterable, *, total: int) -> Iterator:
        ExportJob.objects.filter(pk=job_id).update(total=total)
        step, done = max(1, total // PROGRESS_UPDATES), 0
        for done, row in enumerate(rows, start=1):
            if done % step == 0:
                ExportJob.objects.filter(pk=job_id).update(done=done)
            yield row
        ExportJob.objects.filter(pk=job_id).update(done=done)

    return progress


def no_progress(rows: Iterable, *, total: int) -> Iterable:
    """For a build called outside a job (a small export answered in the request, a test)."""
    return rows


def _finish(job: ExportJob, *, error: str = "") -> None:
    job.error = error
    job.finished_at = timezone.now()
    job.save(update_fields=["file", "filename", "error", "finished_at"])


def exports_catch_up(*, now: dt.datetime) -> int:
    """The sweep's catch-up (registry.CATCH_UPS): queues again the jobs whose task was lost, closes those whose
    worker died, and deletes the jobs (and files) of more than a day ago. Returns how many it queued again."""
    lost = list(
        ExportJob.objects.filter(
            started_at__isnull=True, finished_at__isnull=True, created_at__lt=now - QUEUED_TOO_LONG
        ).values_list("pk", flat=True)
    )
    _queue(lost)
    ExportJob.objects.filter(started_at__lt=now - RUNNING_TOO_LONG, finished_at__isnull=True).update(
        error=ERROR_LOST, finished_at=now
    )
    for job in ExportJob.objects.filter(Q(created_at__lt=now - KEEP_FOR)).only("pk", "file"):
        if job.file:
            job.file.delete(save=False)
        job.delete()
    return len(lost)
