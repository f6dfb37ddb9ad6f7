"""Demo: the beat schedule sweeps every 2 minutes, demo people get their digest at
any hour, and a first sweep fills the in-portal lists at once. Idempotent."""

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef

from .models import Notification, Preference
from .schedules import ensure_schedules
from .services import reminders_sweep

DEMO_SWEEP_MINUTES = 2


def load_demo(*, stdout=None) -> None:
    ensure_schedules(every_minutes=DEMO_SWEEP_MINUTES)
    # Digest hour 0: whoever runs the demo sees e-mails in var/mail within minutes, at any hour.
    without = (
        get_user_model()
        .objects.filter(~Exists(Preference.objects.filter(user_id=OuterRef("pk"))))
        .values_list("pk", flat=True)
    )
    Preference.objects.bulk_create(
        [Preference(user_id=pk, digest_hour=0) for pk in without], ignore_conflicts=True, batch_size=2000
    )
    result = reminders_sweep()
    if stdout:
        stdout.write(
            f"  thông báo: {Notification.objects.count()} (đến hạn lúc này: {result.due}); "
            f"quét nhắc hạn mỗi {DEMO_SWEEP_MINUTES} phút, thư ghi vào var/mail/"
        )
