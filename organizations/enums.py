from django.db import models
from django.utils.translation import gettext_lazy as _


class UnitKind(models.TextChoices):
    CITY_COMMITTEE = "city_committee", _("Ủy ban nhân dân Thành phố")
    CITY_FEDERATION = "city_federation", _("LĐLĐ Thành phố")
    DISTRICT_FEDERATION = "district_federation", _("LĐLĐ quận, huyện, thị xã")
    INDUSTRY_UNION = "industry_union", _("Công đoàn ngành")
    DIRECT_SUPERIOR_UNION = "direct_superior_union", _("Công đoàn cấp trên trực tiếp cơ sở")
    # From 1 July 2025: công đoàn xã, phường, formed over one or several communes/wards.
    COMMUNE_UNION = "commune_union", _("Công đoàn xã, phường")
    GRASSROOTS_UNION = "grassroots_union", _("Công đoàn cơ sở")
    AGENCY = "agency", _("Cơ quan, ban, ngành")


# Which kinds may sit directly under which: imports and moves are checked against it.
ALLOWED_PARENT_KINDS = {
    UnitKind.CITY_COMMITTEE: set(),
    UnitKind.CITY_FEDERATION: {UnitKind.CITY_COMMITTEE},
    UnitKind.AGENCY: {UnitKind.CITY_COMMITTEE},
    UnitKind.DISTRICT_FEDERATION: {UnitKind.CITY_FEDERATION},
    UnitKind.INDUSTRY_UNION: {UnitKind.CITY_FEDERATION},
    UnitKind.DIRECT_SUPERIOR_UNION: {UnitKind.CITY_FEDERATION},
    UnitKind.COMMUNE_UNION: {UnitKind.CITY_FEDERATION},
    UnitKind.GRASSROOTS_UNION: {
        UnitKind.CITY_FEDERATION,
        UnitKind.DISTRICT_FEDERATION,
        UnitKind.INDUSTRY_UNION,
        UnitKind.DIRECT_SUPERIOR_UNION,
        UnitKind.COMMUNE_UNION,
    },
}

# The kinds that may have children: a union of any other kind (a grassroots union) never has any, on any date.
PARENT_KINDS = frozenset(kind for parents in ALLOWED_PARENT_KINDS.values() for kind in parents)


class Role(models.TextChoices):
    OFFICER = "officer", _("Cán bộ phụ trách")
    HEAD = "head", _("Lãnh đạo (duyệt)")
    COMMUNICATION = "communication", _("Cán bộ tuyên giáo")
    PORTAL_ADMIN = "portal_admin", _("Quản trị cổng")


class UnitChangeKind(models.TextChoices):
    CREATE = "create", _("Thành lập")
    MOVE = "move", _("Chuyển đơn vị cấp trên")
    RENAME = "rename", _("Đổi tên")
    MERGE = "merge", _("Sáp nhập")
    SPLIT = "split", _("Chia tách")
    DISSOLVE = "dissolve", _("Giải thể")
    DEACTIVATE = "deactivate", _("Ngừng hoạt động")


class MembershipEnd(models.TextChoices):
    """Why a membership ended: only a dissolution leaves read access to the unit's past."""

    REVOKED = "revoked", _("Thu hồi phân công")
    UNIT_DISSOLVED = "unit_dissolved", _("Đơn vị giải thể")


class AreaKind(models.TextChoices):
    """Đơn vị hành chính cấp xã after 1 July 2025 (no district level any more)."""

    WARD = "phuong", _("Phường")
    COMMUNE = "xa", _("Xã")
