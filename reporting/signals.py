"""Reporting's events, sent after the transaction commits; the receivers below, connected in
ReportingConfig.ready(), tell notifications who must know (reporting decides the recipients).

Each is sent with sender=Report and keyword arguments report=<Report>, by=<User>;
report_returned also carries comment=<str>."""

from django.dispatch import Signal

report_submitted = Signal()
report_returned = Signal()
report_approved = Signal()


def notify_report_returned(sender, report, by=None, comment: str = "", **kwargs) -> None:
    """The unit's officers and whoever submitted the report learn that it came back; the reviewer
    who returned it does not. Connected in ReportingConfig.ready()."""
    from notifications.enums import NotificationKind
    from notifications.services import notify
    from notifications.specs import url_or
    from organizations.selectors import unit_officer_ids

    recipients = set(unit_officer_ids(unit_ids=[report.unit_id]))
    if report.submitted_by_id:
        recipients.add(report.submitted_by_id)
    recipients.discard(getattr(by, "pk", None))
    notify(
        recipient_ids=recipients,
        kind=NotificationKind.REPORT_RETURNED,
        subject=report,
        window=f"returned-v{report.version}",
        payload={
            "title": report.period.title,
            "unit": report.unit.name,
            "reason": comment[:500],
            "url": url_or("reporting:report_detail", [report.pk], "/reports/"),
        },
    )
