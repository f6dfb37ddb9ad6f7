"""Receivers for the events other apps emit through their `<app>/signals.py`.
Connected in NotificationsConfig.ready(); an app without the signal is skipped."""

from collections.abc import Callable
from importlib import import_module

RECEIVERS: dict[tuple[str, str], Callable] = {}


def receiver_for(app: str, signal_name: str):
    def register(func):
        RECEIVERS[(app, signal_name)] = func
        return func

    return register


def connect_all() -> list[str]:
    connected = []
    for (app, signal_name), func in RECEIVERS.items():
        try:
            module = import_module(f"{app}.signals")
        except ModuleNotFoundError:
            continue
        signal = getattr(module, signal_name, None)
        if signal is not None:
            signal.connect(func, dispatch_uid=f"notifications:{app}.{signal_name}")
            connected.append(f"{app}.{signal_name}")
    return connected


def _officers_of(unit_ids) -> list[int]:
    from organizations.enums import Role
    from organizations.models import Membership

    return list(
        Membership.objects.filter(unit_id__in=list(unit_ids), role=Role.OFFICER, is_active=True)
        .values_list("user_id", flat=True)
        .distinct()
    )


@receiver_for("reporting", "report_returned")
def on_report_returned(sender, report, by=None, comment: str = "", **kwargs):
    from .enums import NotificationKind
    from .services import notify
    from .specs import url_or

    recipients = set(_officers_of([report.unit_id]))
    if report.submitted_by_id:
        recipients.add(report.submitted_by_id)
    recipients.discard(getattr(by, "pk", None))
    notify(
        recipient_ids=recipients,
        kind=NotificationKind.REPORT_RETURNED,
        subject=report,
        window=f"returned-v{report.version}",
        payload={
            "title": f"{report.cycle.name} – {report.period.label}",
            "unit": report.unit.name,
            "reason": comment[:500],
            "url": url_or("reporting:report_detail", [report.pk], "/reports/"),
        },
    )


@receiver_for("directives", "document_issued")
def on_document_issued(sender, document, by=None, **kwargs):
    # One row per addressee officer, inserted in bulk: a document may go to thousands of units.
    from django.contrib.contenttypes.models import ContentType

    from directives.models import Delivery
    from organizations.enums import Role
    from organizations.models import Membership

    from .enums import NotificationKind
    from .models import Notification
    from .services import INSERT_BATCH
    from .specs import shorten, url_or

    deliveries = dict(Delivery.objects.filter(document=document).values_list("unit_id", "pk"))
    names = dict(Delivery.objects.filter(document=document).values_list("unit_id", "unit__name"))
    content_type = ContentType.objects.get_for_model(Delivery)
    title = f"{document.number_symbol} – {shorten(document.subject)}"
    url = url_or("directives:document_detail", [document.pk], "/directives/")
    rows = [
        Notification(
            recipient_id=user_id,
            kind=NotificationKind.DIRECTIVE_ISSUED,
            subject_type=content_type,
            subject_id=deliveries[unit_id],
            window="issued",
            payload={"title": title, "unit": names[unit_id], "url": url},
        )
        for user_id, unit_id in Membership.objects.filter(
            unit_id__in=list(deliveries), role=Role.OFFICER, is_active=True
        ).values_list("user_id", "unit_id")
    ]
    Notification.objects.bulk_create(rows, ignore_conflicts=True, batch_size=INSERT_BATCH)


@receiver_for("contest", "results_published")
def on_results_published(sender, contest, **kwargs):
    from contest.models import Entry

    from .enums import NotificationKind
    from .services import notify
    from .specs import url_or

    entrants = Entry.objects.filter(contest=contest).exclude(status="draft").values_list("entrant__user_id", flat=True)
    notify(
        recipient_ids=entrants,
        kind=NotificationKind.CONTEST_RESULTS,
        subject=contest,
        window="results",
        payload={"title": contest.name, "url": url_or("contest:public", [contest.slug], "/contest/")},
    )
