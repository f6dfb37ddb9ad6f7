"""What is asked, of whom and when: report forms and their versions (frozen once filed against), reporting
cycles with their periods and scope, and the lock exceptions an administrator grants."""

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from campaign_portal.calendar import add_working_days
from campaign_portal.exceptions import PortalError
from campaign_portal.text import nfc
from organizations.models import Unit, User

from .enums import (
    NUMBER_TYPES,
    IndicatorType,
    PeriodScheme,
    PeriodType,
)
from .models import (
    FormVersion,
    Indicator,
    LockException,
    Period,
    ReportForm,
    ReportingCycle,
    Section,
    ValidationRule,
)
from .periods import periods_for
from .summaries import summaries_refresh


# ---------------------------------------------------------------- forms and versions
def form_create(*, code: str, name: str, description: str = "", note: str = "") -> FormVersion:
    form = ReportForm.objects.create(code=code, name=name, description=description)
    return FormVersion.objects.create(form=form, number=1, note=note)


def _check_not_frozen(version: FormVersion) -> None:
    if version.is_frozen:
        raise PortalError(_("Phiên bản mẫu này đã được dùng cho đợt báo cáo; hãy tạo phiên bản mới."))


def section_add(*, version: FormVersion, title: str, order: int = 0) -> Section:
    _check_not_frozen(version)
    return Section.objects.create(version=version, title=title, order=order)


def indicator_add(
    *,
    version: FormVersion,
    section: Section,
    code: str,
    label: str,
    type: str = IndicatorType.INTEGER,
    order: int = 0,
    **fields,
) -> Indicator:
    _check_not_frozen(version)
    if type in NUMBER_TYPES:
        fields.setdefault("min_value", Decimal(0))
    if type == IndicatorType.PERCENT:
        fields.setdefault("max_value", Decimal(100))
    return Indicator.objects.create(
        version=version, section=section, code=code, label=label, type=type, order=order, **fields
    )


def rule_add(*, version: FormVersion, left: str, operator: str, right: str, message: str) -> ValidationRule:
    _check_not_frozen(version)
    indicators = {i.code: i for i in version.indicators.filter(code__in=[left, right])}
    return ValidationRule.objects.create(
        version=version, left=indicators[left], operator=operator, right=indicators[right], message=message
    )


@transaction.atomic
def form_version_revise(*, version: FormVersion, note: str = "") -> FormVersion:
    """A new, editable copy of a version: sections, indicators and rules."""
    last = FormVersion.objects.select_for_update().filter(form=version.form_id).order_by("-number").first()
    new = FormVersion.objects.create(form_id=version.form_id, number=last.number + 1, note=note)
    section_map, indicator_map = {}, {}
    for section in version.sections.all():
        section_map[section.pk] = Section.objects.create(version=new, title=section.title, order=section.order)
    for indicator in version.indicators.all():
        old_pk = indicator.pk
        indicator.pk = None
        indicator.version = new
        indicator.section = section_map[indicator.section_id]
        indicator.save()
        indicator_map[old_pk] = indicator
    for rule in version.rules.all():
        ValidationRule.objects.create(
            version=new,
            left=indicator_map[rule.left_id],
            operator=rule.operator,
            right=indicator_map[rule.right_id],
            message=rule.message,
        )
    return new


def indicator_change(*, indicator: Indicator, note: str = "", **changes) -> Indicator:
    """Changes an indicator; if its version is in use, the change goes into a new version
    and what was filed keeps the old one. Returns the changed indicator."""
    if indicator.version.is_frozen:
        new_version = form_version_revise(version=indicator.version, note=note)
        indicator = new_version.indicators.get(code=indicator.code)
    for field, value in changes.items():
        setattr(indicator, field, nfc(value) if isinstance(value, str) else value)
    indicator.save(update_fields=list(changes))
    return indicator


# ---------------------------------------------------------------- cycles and periods
def cycle_open(
    *,
    name: str,
    form_version: FormVersion,
    period_type: str,
    by: User | None,
    year: int | None = None,
    scheme: str = PeriodScheme.CUTOFF_14,
    due_working_days: int = 2,
    grace_days: int = 10,
    scope_kinds: list[str] | None = None,
    scope_root: Unit | None = None,
    two_step: bool = False,
    directive_reference: str = "",
    starts_on: dt.date | None = None,
    ends_on: dt.date | None = None,
) -> ReportingCycle:
    if period_type == PeriodType.ONE_OFF:
        if not (starts_on and ends_on) or starts_on > ends_on:
            raise PortalError(_("Đợt báo cáo một lần cần ngày bắt đầu và ngày chốt số liệu hợp lệ."))
        specs = [(nfc(name), starts_on, ends_on)]
    else:
        if not year:
            raise PortalError(_("Hãy chọn năm của đợt báo cáo."), field="year")
        specs = [
            (s.label, s.starts_on, s.ends_on) for s in periods_for(period_type=period_type, year=year, scheme=scheme)
        ]
    if not scope_kinds and scope_root is None:
        raise PortalError(_("Hãy chọn loại đơn vị hoặc cây đơn vị phải báo cáo."), field="scope_kinds")
    with transaction.atomic():
        if not form_version.is_frozen:
            form_version.frozen_at = timezone.now()
            FormVersion.objects.filter(pk=form_version.pk).update(frozen_at=form_version.frozen_at)
        cycle = ReportingCycle.objects.create(
            name=name,
            form_version=form_version,
            period_type=period_type,
            scheme=scheme,
            year=year,
            due_working_days=due_working_days,
            grace_days=grace_days,
            scope_kinds=list(scope_kinds or []),
            scope_root=scope_root,
            two_step=two_step,
            directive_reference=directive_reference,
            opened_by=by,
        )
        Period.objects.bulk_create(
            [
                Period(
                    cycle=cycle,
                    label=label,
                    starts_on=start,
                    ends_on=end,
                    due_on=(due := add_working_days(end, due_working_days)),
                    locks_on=due + dt.timedelta(days=grace_days + 1),
                )
                for label, start, end in specs
            ]
        )
        # Who must report on each period's date: the rows its dashboards count from the start.
        summaries_refresh(periods=cycle.periods.all())
    return cycle


def lock_exception_grant(*, period: Period, unit: Unit, until: dt.date, by: User, reason: str = "") -> LockException:
    exception, _created = LockException.objects.update_or_create(
        period=period, unit=unit, defaults={"until": until, "reason": reason, "granted_by": by}
    )
    return exception
