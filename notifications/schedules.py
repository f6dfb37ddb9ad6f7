"""The beat schedules (rows in django-celery-beat's tables, editable in admin).

Exactly one beat process runs (README, Procfile); every task it starts is idempotent,
so a duplicated tick costs a query, never a second e-mail."""

SWEEP_TASK_NAME = "notifications: quét nhắc hạn và gửi thư tổng hợp"
SWEEP_MINUTES = 5


def ensure_schedules(*, every_minutes: int = SWEEP_MINUTES, PeriodicTask=None, IntervalSchedule=None) -> None:
    if PeriodicTask is None:
        from django_celery_beat.models import IntervalSchedule, PeriodicTask
    interval, _ = IntervalSchedule.objects.get_or_create(every=every_minutes, period="minutes")
    task, created = PeriodicTask.objects.get_or_create(
        name=SWEEP_TASK_NAME,
        defaults={
            "task": "notifications.sweep",
            "interval": interval,
            "enabled": True,
            "description": "Inserts due reminders once, then queues each person's daily digest.",
        },
    )
    if not created and task.interval_id != interval.pk:
        task.interval = interval
        task.save(update_fields=["interval"])
