"""A head's one-tap reminder ("Đôn đốc") to the units late with a period's report (a module of its own, beside
the filing services): logged as ReportReminder rows, announced to the units' officers through notifications."""

import datetime as dt

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from campaign_portal.exceptions import PortalError
from campaign_portal.nudges import NudgeResult
from notifications.enums import NotificationKind
from notifications.services import notify_many
from notifications.specs import ReminderSpec
from organizations.models import User
from organizations.selectors import unit_officers, units_by_codes

from . import rules as reporting_rules
from . import selectors
from .models import Period, ReportReminder


def reports_remind(*, period: Period, units, by: User, now: dt.datetime | None = None) -> NudgeResult:
    """A supervisor's one-tap reminder to units that have not filed (or were returned) the period's report past
    its deadline (selectors.late_units): one ReportReminder per unit, period and Hanoi day (a unit reminded
    today is skipped and counted), the units' officers and heads notified on commit (REPORT_REMINDER, urgent).
    Every unit must be one the user may remind (rules: remind_report), else nothing is done."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    ids = sorted({u.pk for u in units})
    if not ids:
        raise PortalError(_("Chưa chọn đơn vị nào để đôn đốc."))
    with transaction.atomic():
        # The period's lock serialises a double submit: the second one finds the first one's rows and skips them.
        period = Period.objects.select_for_update(of=("self",)).select_related("cycle").get(pk=period.pk)
        late = {u.pk: u for u in selectors.late_units(period=period, unit=None, today=today).filter(pk__in=ids)}
        named = {u.pk: u for u in units}
        for pk in ids:
            unit = late.get(pk)
            if unit is None or not by.has_perm("reporting.remind_report", unit):
                raise PortalError(
                    _("Không thể đôn đốc %(unit)s: đơn vị không chậm nộp báo cáo kỳ này hoặc bạn không phụ trách.")
                    % {"unit": named[pk].name}
                )
        already = set(
            ReportReminder.objects.filter(period=period, unit_id__in=ids, reminded_on=today).values_list(
                "unit_id", flat=True
            )
        )
        fresh = [late[pk] for pk in ids if pk not in already]
        by_codes = {
            u.pk: reporting_rules.remind_by_unit_code(by, u.lineage_then) or _parent_code(u.lineage_then) for u in fresh
        }
        by_units = units_by_codes(set(by_codes.values()) - {None})
        officers: dict[int, set[int]] = {}
        for unit_id, user_id in unit_officers(unit_ids=[u.pk for u in fresh]).values_list("unit_id", "user_id"):
            officers.setdefault(unit_id, set()).add(user_id)
        reminders = ReportReminder.objects.bulk_create(
            [
                ReportReminder(
                    period=period,
                    unit=unit,
                    by=by,
                    by_unit=by_units.get(by_codes[unit.pk]),
                    reminded_at=now,
                    reminded_on=today,
                    recipient_count=len(officers.get(unit.pk, ())),
                )
                for unit in fresh
            ]
        )
        title = period.title
        specs = [
            ReminderSpec(
                recipient_id=user_id,
                kind=NotificationKind.REPORT_REMINDER,
                subject_model="reporting.reportreminder",
                subject_id=reminder.pk,
                window=f"remind:{today.isoformat()}",
                payload={
                    "title": title,
                    "unit": reminder.unit.name,
                    "by_unit": reminder.by_unit.name if reminder.by_unit else "",
                    "due": period.due_on.isoformat(),
                    "url": reverse("reporting:file_report", args=[period.pk, reminder.unit.code]),
                },
            )
            for reminder in reminders
            for user_id in sorted(officers.get(reminder.unit_id, ()))
        ]
        transaction.on_commit(lambda: notify_many(specs=specs))
    return NudgeResult(reminded=len(fresh), skipped=len(already))


def _parent_code(lineage: str) -> str | None:
    codes = [c for c in lineage.split("/") if c]
    return codes[-2] if len(codes) > 1 else None
