"""Demo: the beat schedule sweeps every 2 minutes, demo people get their digest at
any hour, and a first sweep fills the in-portal lists at once. Idempotent.

Channels: the grassroots chairs and a district head chose Zalo, one chair chose SMS; the Dương Xá chair
has no Zalo account (the loopback providers of `manage.py fake_providers` answer -118 for her number), so
her Zalo messages fall back to SMS. Started with the gateway settings pointed at a server (README), the demo
sends its due reminders there."""

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef

from .enums import Channel
from .models import Notification, Preference
from .schedules import ensure_schedules
from .services import preference_update, reminders_sweep

DEMO_SWEEP_MINUTES = 2
DEMO_CHANNELS = {
    "cdcs.trauquy@demo.cchc.vn": [Channel.EMAIL, Channel.ZALO],
    "cdcs.duongxa@demo.cchc.vn": [Channel.EMAIL, Channel.ZALO],  # no Zalo account: falls back to SMS
    "chutich.gialam@demo.cchc.vn": [Channel.EMAIL, Channel.ZALO],
    "cdcs.uyno@demo.cchc.vn": [Channel.EMAIL, Channel.SMS],
}
DEMO_NO_ZALO_EMAIL = "cdcs.duongxa@demo.cchc.vn"


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
    for preference in Preference.objects.select_related("user").filter(user__email__in=list(DEMO_CHANNELS)):
        if preference.user.phone:
            preference_update(
                user=preference.user,
                email_disabled_kinds=preference.email_disabled_kinds,
                digest_hour=preference.digest_hour,
                language=preference.language,
                channels=DEMO_CHANNELS[preference.user.email],
            )
    result = reminders_sweep()
    if stdout:
        stdout.write(
            f"  thông báo: {Notification.objects.count()} (đến hạn lúc này: {result.due}); "
            f"quét nhắc hạn mỗi {DEMO_SWEEP_MINUTES} phút, thư ghi vào var/mail/"
        )
