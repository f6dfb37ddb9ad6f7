"""Writes on the unit tree and memberships. Every reorganisation keeps history:
the live tree changes, UnitPlacement rows remember where each unit stood, and
records made earlier keep the lineage they copied when they were made."""

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F, Max, Value
from django.db.models.functions import Concat, Substr
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from campaign_portal.exceptions import PortalError
from campaign_portal.model_text import clean_model_text
from campaign_portal.text import clean_code

from .enums import ALLOWED_PARENT_KINDS, MembershipEnd, Role, UnitChangeKind, UnitKind
from .models import AdministrativeArea, Membership, Unit, UnitChange, UnitCoverage, UnitPlacement, User
from .selectors import unit_dissolution
from .signals import units_placed

EARLIEST = dt.date(1945, 1, 1)


def _check_parent_kind(kind: str, parent: Unit | None) -> None:
    allowed = ALLOWED_PARENT_KINDS.get(UnitKind(kind), set())
    if parent is None:
        if allowed:
            raise PortalError(_("Đơn vị loại “%(kind)s” phải có đơn vị cấp trên.") % {"kind": UnitKind(kind).label})
        return
    if parent.kind not in allowed:
        raise PortalError(
            _("Đơn vị loại “%(kind)s” không thể trực thuộc “%(parent)s” (%(parent_kind)s).")
            % {"kind": UnitKind(kind).label, "parent": parent.name, "parent_kind": parent.get_kind_display()}
        )
    if parent.is_dissolved:
        raise PortalError(_("Đơn vị cấp trên “%(parent)s” đã giải thể.") % {"parent": parent.name})


def _check_effective_on(effective_on: dt.date, units_paths: list[str]) -> None:
    if effective_on > timezone.localdate():
        raise PortalError(_("Ngày hiệu lực không được sau ngày hôm nay."))
    latest = (
        UnitPlacement.objects.filter(unit__path__in=units_paths, valid_to__isnull=True)
        .order_by("-valid_from")
        .values_list("valid_from", flat=True)
        .first()
    )
    if latest and effective_on < latest:
        raise PortalError(
            _("Ngày hiệu lực phải từ %(date)s trở đi (lần thay đổi gần nhất).") % {"date": latest.strftime("%d/%m/%Y")}
        )


def unit_create(
    *,
    parent: Unit | None,
    code: str,
    name: str,
    kind: str,
    by: User | None = None,
    active_from: dt.date | None = None,
    **fields,
) -> Unit:
    try:
        code = clean_code(code)  # the lineage is built from it before any save cleans the row
    except PortalError as error:
        raise PortalError(error.message, field="code") from None
    if not code:
        raise PortalError(_("Mã đơn vị không được để trống."), field="code")
    if Unit.objects.filter(code=code).exists():
        raise PortalError(_("Mã đơn vị “%(code)s” đã tồn tại.") % {"code": code}, field="code")
    _check_parent_kind(kind, parent)
    active_from = active_from or timezone.localdate()
    lineage = (parent.lineage if parent else "/") + code + "/"
    with transaction.atomic():
        unit = Unit(code=code, name=name, kind=kind, active_from=active_from, lineage=lineage, **fields)
        unit = Unit.objects.add_child(parent, instance=unit) if parent else Unit.objects.add_root(instance=unit)
        UnitPlacement.objects.create(unit=unit, parent=parent, lineage=lineage, valid_from=active_from)
        UnitChange.objects.create(
            kind=UnitChangeKind.CREATE,
            unit=unit,
            effective_on=active_from,
            new_parent=parent,
            new_lineage=lineage,
            by=by,
        )
        units_placed.send(sender=Unit, unit_ids=[unit.pk], since=active_from)
    return unit


@dataclass
class UnitSpec:
    code: str
    name: str
    kind: str
    abbreviation: str = ""
    member_count: int = 0
    email: str = ""
    phone: str = ""
    place_name: str = "Hà Nội"


def units_bulk_create_children(*, parent: Unit, specs: list[UnitSpec], active_from: dt.date) -> int:
    """Adds many children under one parent in a few queries (imports, scale data).

    Paths are computed as treebeard would (steplen digits after the last child)."""
    parent.refresh_from_db()
    last = Unit.objects.get_last_child(parent)
    start = Unit._str2int(last.path[-Unit.steplen :]) + 1 if last else 1
    rows = []
    for offset, spec in enumerate(specs):
        _check_parent_kind(spec.kind, parent)
        code = clean_code(spec.code)
        unit = Unit(
            path=Unit._get_path(parent.path, parent.depth + 1, start + offset),
            depth=parent.depth + 1,
            numchild=0,
            code=code,
            name=spec.name,
            kind=spec.kind,
            abbreviation=spec.abbreviation,
            member_count=spec.member_count,
            email=spec.email,
            phone=spec.phone,
            place_name=spec.place_name,
            active_from=active_from,
            lineage=f"{parent.lineage}{code}/",
        )
        clean_model_text(unit)  # bulk_create sends no pre_save
        unit.derive_keys()
        rows.append(unit)
    with transaction.atomic():
        created = Unit.objects.bulk_create(rows, batch_size=2000)
        Unit.objects.filter(pk=parent.pk).update(numchild=parent.numchild + len(created))
        UnitPlacement.objects.bulk_create(
            [UnitPlacement(unit=u, parent=parent, lineage=u.lineage, valid_from=active_from) for u in created],
            batch_size=2000,
        )
        units_placed.send(sender=Unit, unit_ids=[u.pk for u in created], since=active_from)
    return len(created)


def unit_update(*, unit: Unit, by: User | None = None, **fields) -> Unit:
    """Rename and edit the details of a unit (not its place: see unit_move)."""
    old_name, old_kind = unit.name, unit.kind
    for name, value in fields.items():
        setattr(unit, name, value)
    with transaction.atomic():
        unit.save()
        if unit.kind != old_kind:  # who must report is decided by kind, on every date
            units_placed.send(sender=Unit, unit_ids=[unit.pk], since=None)
    if unit.name != old_name:
        UnitChange.objects.create(
            kind=UnitChangeKind.RENAME,
            unit=unit,
            effective_on=timezone.localdate(),
            note=f"{old_name} → {unit.name}",
            old_lineage=unit.lineage,
            new_lineage=unit.lineage,
            by=by,
        )
    return unit


def _validate_move(unit: Unit, new_parent: Unit) -> None:
    if new_parent.pk == unit.pk or new_parent.path.startswith(unit.path):
        raise PortalError(_("Không thể chuyển một đơn vị vào chính nó hoặc đơn vị cấp dưới của nó."))
    if unit.is_dissolved:
        raise PortalError(_("Đơn vị đã giải thể, không thể chuyển."))
    _check_parent_kind(unit.kind, new_parent)
    if unit.path[: -Unit.steplen] == new_parent.path:
        raise PortalError(_("Đơn vị đã trực thuộc “%(parent)s”.") % {"parent": new_parent.name})


def units_move(
    *,
    units: list[Unit],
    new_parent: Unit,
    effective_on: dt.date,
    by: User | None = None,
    note: str = "",
    kind: str = UnitChangeKind.MOVE,
    related_unit: Unit | None = None,
) -> list[Unit]:
    """Moves units (with their subtrees) to the end of new_parent's children.

    A handful of queries plus one UPDATE per moved unit, whatever the size of the
    subtrees: paths, depths and lineages are rewritten by prefix, as treebeard would
    place them; open placements are closed and new ones opened on the effective date."""
    if not units:
        return []
    new_parent = Unit.objects.get(pk=new_parent.pk)
    units = list(Unit.objects.filter(pk__in=[u.pk for u in units]).order_by("path"))
    for unit in units:
        _validate_move(unit, new_parent)
    if any(a.pk != b.pk and b.path.startswith(a.path) for a in units for b in units):
        raise PortalError(_("Không thể chuyển một đơn vị cùng lúc với đơn vị cấp trên của nó."))
    _check_effective_on(effective_on, [u.path for u in units])
    old_parent_paths = [u.path[: -Unit.steplen] for u in units]
    old_parents = {p.path: p for p in Unit.objects.filter(path__in=set(old_parent_paths))}
    last = Unit.objects.get_last_child(new_parent)
    first_step = Unit._str2int(last.path[-Unit.steplen :]) + 1 if last else 1
    changes = []
    with transaction.atomic():
        for offset, unit in enumerate(units):
            new_path = Unit._get_path(new_parent.path, new_parent.depth + 1, first_step + offset)
            new_lineage = f"{new_parent.lineage}{unit.code}/"
            Unit.objects.filter(path__startswith=unit.path).update(
                path=Concat(Value(new_path), Substr("path", len(unit.path) + 1)),
                depth=F("depth") + (new_parent.depth + 1 - unit.depth),
                lineage=Concat(Value(new_lineage), Substr("lineage", len(unit.lineage) + 1)),
            )
            changes.append(
                UnitChange(
                    kind=kind,
                    unit=unit,
                    effective_on=effective_on,
                    old_parent=old_parents.get(unit.path[: -Unit.steplen]),
                    new_parent=new_parent,
                    related_unit=related_unit,
                    old_lineage=unit.lineage,
                    new_lineage=new_lineage,
                    note=note,
                    by=by,
                )
            )
        for path in set(old_parent_paths):
            Unit.objects.filter(path=path).update(numchild=F("numchild") - old_parent_paths.count(path))
        Unit.objects.filter(pk=new_parent.pk).update(numchild=F("numchild") + len(units))
        moved = list(
            Unit.objects.filter(path__startswith=new_parent.path, depth__gt=new_parent.depth)
            .filter(path__gte=Unit._get_path(new_parent.path, new_parent.depth + 1, first_step))
            .only("id", "path", "depth", "lineage")
        )
        UnitPlacement.objects.filter(unit__in=[u.pk for u in moved], valid_to__isnull=True).update(
            valid_to=effective_on
        )
        parent_ids = dict(
            Unit.objects.filter(path__in={u.path[: -Unit.steplen] for u in moved}).values_list("path", "id")
        )
        UnitPlacement.objects.bulk_create(
            [
                UnitPlacement(
                    unit_id=u.pk,
                    parent_id=parent_ids.get(u.path[: -Unit.steplen]),
                    lineage=u.lineage,
                    valid_from=effective_on,
                )
                for u in moved
            ],
            batch_size=2000,
        )
        UnitChange.objects.bulk_create(changes)
        moved_units = list(Unit.objects.filter(pk__in=[u.pk for u in units]))
        # One history row per moved unit (its lineage changed), written in bulk.
        bulk_update_with_history(moved_units, Unit, ["lineage"], batch_size=500)
        units_placed.send(sender=Unit, unit_ids=[u.pk for u in moved], since=effective_on)
    return moved_units


def unit_move(
    *,
    unit: Unit,
    new_parent: Unit,
    effective_on: dt.date,
    by: User | None = None,
    note: str = "",
    kind: str = UnitChangeKind.MOVE,
    related_unit: Unit | None = None,
) -> Unit:
    return units_move(
        units=[unit],
        new_parent=new_parent,
        effective_on=effective_on,
        by=by,
        note=note,
        kind=kind,
        related_unit=related_unit,
    )[0]


def unit_dissolve(
    *,
    unit: Unit,
    effective_on: dt.date,
    by: User | None = None,
    children_to: Unit | None = None,
    note: str = "",
    kind: str = UnitChangeKind.DISSOLVE,
    related_unit: Unit | None = None,
) -> Unit:
    """Dissolves a unit; its active children move first (to children_to). Never deletes."""
    unit.refresh_from_db()
    if unit.is_dissolved:
        raise PortalError(_("Đơn vị đã giải thể từ %(date)s.") % {"date": unit.dissolved_on.strftime("%d/%m/%Y")})
    children = list(Unit.objects.get_children(unit).filter(dissolved_on__isnull=True))
    if children and children_to is None:
        raise PortalError(
            _("Đơn vị còn %(n)s đơn vị trực thuộc: chọn nơi chuyển các đơn vị này đến.") % {"n": len(children)},
            field="children_to",
        )
    _check_effective_on(effective_on, [unit.path])
    with transaction.atomic():
        units_move(units=children, new_parent=children_to, effective_on=effective_on, by=by, note=note)
        unit.refresh_from_db()
        unit.dissolved_on = effective_on
        unit.save()
        UnitPlacement.objects.filter(unit=unit, valid_to__isnull=True).update(valid_to=effective_on)
        # Ended, not revoked: former members keep read-only access to the unit's past.
        ended = list(Membership.objects.filter(unit=unit, is_active=True))
        for membership in ended:
            membership.is_active = False
            membership.ended_on = effective_on
            membership.end_reason = MembershipEnd.UNIT_DISSOLVED
        bulk_update_with_history(ended, Membership, ["is_active", "ended_on", "end_reason"], batch_size=500)
        UnitChange.objects.create(
            kind=kind,
            unit=unit,
            effective_on=effective_on,
            old_parent=Unit.objects.get_parent(unit),
            related_unit=related_unit or children_to,
            old_lineage=unit.lineage,
            note=note,
            by=by,
        )
        units_placed.send(sender=Unit, unit_ids=[unit.pk], since=effective_on)
    return unit


def unit_merge(
    *, sources: list[Unit], target: Unit, effective_on: dt.date, by: User | None = None, note: str = ""
) -> Unit:
    """Merges units into target: their children move to it, then they are dissolved."""
    if any(s.pk == target.pk for s in sources):
        raise PortalError(_("Đơn vị nhận sáp nhập không được nằm trong danh sách bị sáp nhập."))
    with transaction.atomic():
        for source in sources:
            unit_dissolve(
                unit=source,
                effective_on=effective_on,
                by=by,
                children_to=target,
                note=note,
                kind=UnitChangeKind.MERGE,
                related_unit=target,
            )
    return target


def unit_split(
    *,
    unit: Unit,
    parts: list[tuple[UnitSpec, list[Unit]]],
    effective_on: dt.date,
    by: User | None = None,
    note: str = "",
) -> list[Unit]:
    """Splits a unit into new sibling units, each taking the children listed for it; the unit is dissolved."""
    parent = Unit.objects.get_parent(unit)
    assigned = {child.pk for _spec, children in parts for child in children}
    remaining = Unit.objects.get_children(unit).filter(dissolved_on__isnull=True).exclude(pk__in=assigned)
    if remaining.exists():
        raise PortalError(_("Mỗi đơn vị trực thuộc phải được chuyển về một đơn vị mới."))
    created = []
    with transaction.atomic():
        for spec, children in parts:
            new_unit = unit_create(
                parent=parent,
                code=spec.code,
                name=spec.name,
                kind=spec.kind or unit.kind,
                by=by,
                active_from=effective_on,
                abbreviation=spec.abbreviation or unit.abbreviation,
                place_name=unit.place_name,
            )
            units_move(units=children, new_parent=new_unit, effective_on=effective_on, by=by, note=note)
            created.append(new_unit)
        unit_dissolve(unit=unit, effective_on=effective_on, by=by, note=note, kind=UnitChangeKind.SPLIT)
    return created


def unit_ensure_not_dissolved(*, unit: Unit) -> None:
    """Guard for filing or issuing in a unit's name: a dissolved unit only keeps its past."""
    if unit.dissolved_on is not None:
        raise PortalError(unit_dissolution(unit).message)


def membership_grant(*, user: User, unit: Unit, role: str, by: User | None = None) -> Membership:
    if unit.is_dissolved:
        raise PortalError(_("Không thể phân công vào đơn vị đã giải thể."))
    membership, created = Membership.objects.get_or_create(user=user, unit=unit, role=role)
    if not created and not membership.is_active:
        membership.is_active = True
        membership.ended_on = None
        membership.end_reason = ""
        membership.save(update_fields=["is_active", "ended_on", "end_reason"])
    return membership


def membership_revoke(*, membership: Membership, by: User | None = None) -> Membership:
    membership.is_active = False
    membership.ended_on = timezone.localdate()
    membership.end_reason = MembershipEnd.REVOKED
    membership.save(update_fields=["is_active", "ended_on", "end_reason"])
    return membership


def user_create_with_membership(
    *, email: str, full_name: str, password: str, unit: Unit | None = None, role: str = Role.OFFICER, **extra
) -> User:
    user = User.objects.filter(email=email.lower()).first()
    if user is None:
        user = User.objects.create_user(email=email, password=password, full_name=full_name, **extra)
    if unit is not None:
        membership_grant(user=user, unit=unit, role=role)
    return user


# ---------------------------------------------------------------- coverage of communes and wards


def unit_coverage_set(
    *, unit: Unit, area_codes: list[str], valid_from: dt.date, by: User | None = None
) -> list[UnitCoverage]:
    """The communes/wards a unit covers from valid_from on (an empty list: none any more).

    Areas no longer covered are closed on that day, new ones open on it, areas kept stay open:
    history is kept, never rewritten. A second change on the same day corrects the first (a row
    that never held a single day is dropped). Returns the open rows."""
    codes = list(dict.fromkeys(code.strip() for code in area_codes if code and code.strip()))
    areas = {a.code: a for a in AdministrativeArea.objects.filter(code__in=codes)}
    missing = [code for code in codes if code not in areas]
    if missing:
        raise PortalError(_("Không có địa bàn mã: %(codes)s.") % {"codes": ", ".join(missing)}, field="areas")
    if valid_from > timezone.localdate():
        raise PortalError(_("Ngày hiệu lực không được sau ngày hôm nay."), field="valid_from")
    if unit.dissolved_on is not None and unit.dissolved_on <= valid_from:
        raise PortalError(
            _("Đơn vị đã giải thể từ %(date)s.") % {"date": unit.dissolved_on.strftime("%d/%m/%Y")}, field="valid_from"
        )
    not_yet = [
        a.name
        for a in areas.values()
        if a.valid_from > valid_from or (a.valid_to is not None and a.valid_to <= valid_from)
    ]
    if not_yet:
        raise PortalError(
            _("Vào ngày %(date)s chưa có hoặc không còn địa bàn: %(names)s.")
            % {"date": valid_from.strftime("%d/%m/%Y"), "names": ", ".join(not_yet)},
            field="valid_from",
        )
    with transaction.atomic():
        # One change at a time per unit: the history check below must see the latest rows.
        list(Unit.objects.select_for_update().filter(pk=unit.pk).values_list("pk", flat=True))
        rows = UnitCoverage.objects.filter(unit=unit)
        bounds = rows.aggregate(last_start=Max("valid_from"), last_end=Max("valid_to"))
        latest = max((d for d in bounds.values() if d is not None), default=None)
        if latest is not None and valid_from < latest:
            raise PortalError(
                _("Ngày hiệu lực phải từ %(date)s trở đi (lần thay đổi địa bàn gần nhất).")
                % {"date": latest.strftime("%d/%m/%Y")},
                field="valid_from",
            )
        open_rows = list(rows.filter(valid_to__isnull=True).select_related("area"))
        kept = {row.area.code for row in open_rows if row.area.code in areas}
        ending = [row for row in open_rows if row.area.code not in areas]
        UnitCoverage.objects.filter(pk__in=[r.pk for r in ending if r.valid_from == valid_from]).delete()
        UnitCoverage.objects.filter(pk__in=[r.pk for r in ending if r.valid_from < valid_from]).update(
            valid_to=valid_from
        )
        UnitCoverage.objects.bulk_create(
            [
                UnitCoverage(unit=unit, area=areas[code], valid_from=valid_from, created_by=by)
                for code in codes
                if code not in kept
            ]
        )
    return list(
        UnitCoverage.objects.filter(unit=unit, valid_to__isnull=True).select_related("area").order_by("area__sort_key")
    )


# ---------------------------------------------------------------- accounts: reset and unlock

# One reset e-mail per account per ten minutes, however often the form is sent.
PASSWORD_RESET_WINDOW_SECONDS = 600


def user_request_password_reset(*, user: User, now: dt.datetime | None = None) -> None:
    """Queues the reset e-mail in the outbox; its link (made when it is sent) also unlocks the account."""
    from notifications.enums import NotificationKind
    from notifications.services import mail_enqueue

    moment = now or timezone.now()
    mail_enqueue(
        recipient=user,
        kind=NotificationKind.PASSWORD_RESET,
        subject=user,
        window=f"reset-{int(moment.timestamp()) // PASSWORD_RESET_WINDOW_SECONDS}",
    )


# History reasons are data (shown as stored): Vietnamese, untranslated.
UNLOCK_BY_ADMIN = "Mở khóa đăng nhập (quản trị cổng)"
UNLOCK_BY_RESET = "Mở khóa đăng nhập (tự đặt lại mật khẩu qua e-mail)"


@transaction.atomic
def user_unlock(*, user: User, by: User) -> int:
    """Clears the account's login lockouts from every address (django-axes), with a line in the
    account's history saying who and why. An admin's unlock tells the user by e-mail."""
    from axes.utils import reset

    from notifications.enums import NotificationKind
    from notifications.services import mail_enqueue

    cleared = reset(username=user.get_username())
    user._change_reason = UNLOCK_BY_RESET if by.pk == user.pk else UNLOCK_BY_ADMIN
    user._history_user = by
    user.save(update_fields=["is_active"])  # no change of value: the history row is the record
    if by.pk != user.pk:
        latest = user.history.order_by("-history_id").values_list("history_id", flat=True).first()
        mail_enqueue(recipient=user, kind=NotificationKind.ACCOUNT_UNLOCKED, subject=user, window=f"unlock-{latest}")
    return cleared


TOTP_DEVICE_NAME = "Ứng dụng xác thực"


def totp_setup_key() -> str:
    """A fresh TOTP secret (hex) for enrolment. Not stored: the view keeps it in the signed
    session until a code proves the authenticator holds it (a GET never writes)."""
    from django_otp.util import random_hex

    return random_hex(20)


def totp_device_confirm(*, user: User, key: str, token: str):
    """Stores the user's TOTP device once a code made from `key` checks out; drops the
    unconfirmed devices an earlier version of the page created on every visit."""
    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice(user=user, name=TOTP_DEVICE_NAME, key=key, confirmed=True)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    if not (token.isdigit() and totp.verify(int(token), device.tolerance)):
        raise PortalError(_("Mã không đúng hoặc đã hết hạn. Hãy nhập mã mới trong ứng dụng xác thực."), field="token")
    device.last_t = totp.t()
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        device.save()
    return device
