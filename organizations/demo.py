"""The demo tree: first as it stood in 2019 (the seed documents), then Hanoi's reorganisation
of 1 July 2025 applied through the services, as it happened; demo users in both.

What happened (Lao Động newspaper, 2025; Nghị quyết 1656/NQ-UBTVQH15 of 16/6/2025):
- On 30 June 2025 the city federation ended its 40 upper-level unions: the 30 district
  federations and the sector and other unions (civil servants, the industry unions…). Their
  grassroots unions passed to the city federation, which then had about 6,350 grassroots unions
  and 630,000 members. The union of the industrial and export zones stays in the demo (the
  issue asks for it; in reality a union for the Hi-Tech Park and the industrial parks was being formed).
- Hanoi has 126 communes and wards since 1 July 2025 (51 phường, 75 xã). New commune/ward unions
  (công đoàn xã, phường) were formed from July 2025; some follow a "cluster" model, one commune's
  union also managing neighbouring communes.

Real names and facts used here:
- The new communes and wards (Nghị quyết 1656/NQ-UBTVQH15): xã Gia Lâm takes in Dương Xá and most
  of thị trấn Trâu Quỳ; xã Đông Anh takes in most of Uy Nỗ and thị trấn Đông Anh; phường Hoàn Kiếm,
  phường Cầu Giấy, phường Nghĩa Đô (its seat is on Nghĩa Tân street), phường Kim Liên, phường Hai
  Bà Trưng, xã Bát Tràng.
- The Kim Liên ward union (Decision 1940/QĐ-LĐLĐ, 97 grassroots unions, 5,135 members) and the Hai
  Bà Trưng ward union (118 grassroots unions), as reported by the press.
Illustrative (not from a source): the unions' codes, the grassroots unions of the demo and which
commune union each joined (Dịch Vọng → phường Cầu Giấy, Nghĩa Tân → phường Nghĩa Đô), the Gia Lâm
union as the demo's cluster union (xã Gia Lâm with xã Bát Tràng), the people and their new posts.

Coverage of communes and wards (unit_coverage_set, from 1 July 2025) uses the official codes of
organizations/data/hanoi_areas_2025.csv.

Idempotent: units and users are found by their codes and e-mails; the reorganisation is applied
once (a dissolved unit is not dissolved again, a moved unit not moved again)."""

import datetime as dt
from functools import lru_cache

from django.contrib.auth.hashers import make_password

from campaign_portal.phones import normalise_mobile

from .enums import Role, UnitKind
from .models import Membership, Unit, User
from .services import membership_grant, unit_coverage_set, unit_create, unit_dissolve, units_move

DEMO_PASSWORD = "demo12345"
CAMPAIGN_START = dt.date(2018, 1, 1)

# Hanoi's 30 district-level units in 2019: 12 quận, 17 huyện, 1 thị xã.
DISTRICTS = [
    ("BADINH", "quận Ba Đình"),
    ("HOANKIEM", "quận Hoàn Kiếm"),
    ("TAYHO", "quận Tây Hồ"),
    ("LONGBIEN", "quận Long Biên"),
    ("CAUGIAY", "quận Cầu Giấy"),
    ("DONGDA", "quận Đống Đa"),
    ("HAIBATRUNG", "quận Hai Bà Trưng"),
    ("HOANGMAI", "quận Hoàng Mai"),
    ("THANHXUAN", "quận Thanh Xuân"),
    ("NAMTULIEM", "quận Nam Từ Liêm"),
    ("BACTULIEM", "quận Bắc Từ Liêm"),
    ("HADONG", "quận Hà Đông"),
    ("SOCSON", "huyện Sóc Sơn"),
    ("DONGANH", "huyện Đông Anh"),
    ("GIALAM", "huyện Gia Lâm"),
    ("THANHTRI", "huyện Thanh Trì"),
    ("MELINH", "huyện Mê Linh"),
    ("BAVI", "huyện Ba Vì"),
    ("PHUCTHO", "huyện Phúc Thọ"),
    ("DANPHUONG", "huyện Đan Phượng"),
    ("HOAIDUC", "huyện Hoài Đức"),
    ("QUOCOAI", "huyện Quốc Oai"),
    ("THACHTHAT", "huyện Thạch Thất"),
    ("CHUONGMY", "huyện Chương Mỹ"),
    ("THANHOAI", "huyện Thanh Oai"),
    ("THUONGTIN", "huyện Thường Tín"),
    ("PHUXUYEN", "huyện Phú Xuyên"),
    ("UNGHOA", "huyện Ứng Hòa"),
    ("MYDUC", "huyện Mỹ Đức"),
    ("SONTAY", "thị xã Sơn Tây"),
]
INDUSTRY_UNIONS = [
    ("CDN-GIAODUC", "Công đoàn ngành Giáo dục Hà Nội"),
    ("CDN-YTE", "Công đoàn ngành Y tế Hà Nội"),
    ("CDN-XAYDUNG", "Công đoàn ngành Xây dựng Hà Nội"),
    ("CDN-GTVT", "Công đoàn ngành Giao thông vận tải Hà Nội"),
    ("CDN-NNPTNT", "Công đoàn ngành Nông nghiệp và Phát triển nông thôn Hà Nội"),
]
DIRECT_SUPERIOR_UNIONS = [
    ("CDVC", "Công đoàn Viên chức Thành phố Hà Nội"),
    ("CD-KCN", "Công đoàn các Khu công nghiệp và chế xuất Hà Nội"),
]
# A handful of grassroots unions, in several districts and directly under the city.
GRASSROOTS = [
    ("HN-LDLD-GIALAM", "0001", "Công đoàn cơ sở UBND thị trấn Trâu Quỳ", 48),
    ("HN-LDLD-GIALAM", "0002", "Công đoàn cơ sở Trường THCS Dương Xá", 62),
    ("HN-LDLD-GIALAM", "0003", "Công đoàn cơ sở Công ty CP Vận tải Gia Lâm", 135),
    ("HN-LDLD-GIALAM", "0004", "Công đoàn cơ sở Bệnh viện đa khoa huyện Gia Lâm", 410),
    ("HN-LDLD-DONGANH", "0001", "Công đoàn cơ sở UBND xã Uy Nỗ", 39),
    ("HN-LDLD-DONGANH", "0002", "Công đoàn cơ sở Công ty TNHH Điện tử Đông Anh", 520),
    ("HN-LDLD-CAUGIAY", "0001", "Công đoàn cơ sở UBND phường Dịch Vọng", 41),
    ("HN-LDLD-CAUGIAY", "0002", "Công đoàn cơ sở Trường Tiểu học Nghĩa Tân", 55),
    ("HN-LDLD-HOANKIEM", "0001", "Công đoàn cơ sở Bộ phận một cửa quận Hoàn Kiếm", 30),
    ("HN-LDLD-CDVC", "0001", "Công đoàn cơ sở Sở Tư pháp Hà Nội", 180),
    ("HN-LDLD-CDVC", "0002", "Công đoàn cơ sở Văn phòng UBND Thành phố", 150),
    ("HN-LDLD", "0001", "Công đoàn cơ sở Tổng công ty Vận tải Hà Nội", 2400),
]

# (e-mail, full name, unit code, role, position): the README lists them.
DEMO_USERS = [
    ("admin@demo.cchc.vn", "Quản trị Cổng", "HN-LDLD", Role.PORTAL_ADMIN, "Quản trị cổng"),
    ("tuyengiao@demo.cchc.vn", "Nguyễn Thị Thu Hà", "HN-LDLD", Role.HEAD, "Trưởng Ban Tuyên giáo LĐLĐ TP"),
    ("vanthu.ldld@demo.cchc.vn", "Trần Minh Đức", "HN-LDLD", Role.OFFICER, "Văn thư LĐLĐ TP"),
    ("ubnd@demo.cchc.vn", "Lê Văn Sơn", "HN", Role.OFFICER, "Chuyên viên Văn phòng UBND TP"),
    ("chutich.gialam@demo.cchc.vn", "Nguyễn Đức Thế", "HN-LDLD-GIALAM", Role.HEAD, "Chủ tịch LĐLĐ huyện Gia Lâm"),
    ("canbo.gialam@demo.cchc.vn", "Phạm Thị Lan", "HN-LDLD-GIALAM", Role.OFFICER, "Cán bộ Tuyên giáo LĐLĐ huyện"),
    ("chutich.donganh@demo.cchc.vn", "Hoàng Văn Nam", "HN-LDLD-DONGANH", Role.HEAD, "Chủ tịch LĐLĐ huyện Đông Anh"),
    ("cdcs.trauquy@demo.cchc.vn", "Đỗ Thị Mai", "HN-LDLD-GIALAM-0001", Role.OFFICER, "Chủ tịch CĐCS"),
    ("cdcs.duongxa@demo.cchc.vn", "Vũ Văn Hùng", "HN-LDLD-GIALAM-0002", Role.OFFICER, "Chủ tịch CĐCS"),
    ("cdcs.uyno@demo.cchc.vn", "Bùi Thị Hạnh", "HN-LDLD-DONGANH-0001", Role.OFFICER, "Chủ tịch CĐCS"),
]


# Officers and heads have a mobile (Zalo, SMS); the portal admin has none. +84 912 00x xxx, one per person.
DEMO_PHONES = {email: normalise_mobile(f"091200{i:04d}") for i, (email, *_rest) in enumerate(DEMO_USERS) if i}


@lru_cache(maxsize=1)
def _demo_password_hash() -> str:
    return make_password(DEMO_PASSWORD)


def demo_user_create(*, email: str, full_name: str, **extra) -> User:
    """A demo user with the demo password, hashed once per run (the hasher takes about a second each time)."""
    user = User.objects.create_user(email=email, password=None, full_name=full_name, **extra)
    user.password = _demo_password_hash()
    user.save(update_fields=["password"])
    return user


def _ensure(code, **kwargs) -> Unit:
    unit = Unit.objects.filter(code=code).first()
    return unit or unit_create(code=code, active_from=CAMPAIGN_START, **kwargs)


def load_demo(*, stdout=None) -> None:
    city = _ensure(
        "HN",
        parent=None,
        name="Ủy ban nhân dân Thành phố Hà Nội",
        kind=UnitKind.CITY_COMMITTEE,
        abbreviation="UBND",
        document_parent_name="",
        document_name="ỦY BAN NHÂN DÂN\nTHÀNH PHỐ HÀ NỘI",
    )
    federation = _ensure(
        "HN-LDLD",
        parent=city,
        name="Liên đoàn Lao động Thành phố Hà Nội",
        kind=UnitKind.CITY_FEDERATION,
        abbreviation="LĐLĐ",
        signer_authority="TM. BAN THƯỜNG VỤ",
        document_parent_name="Tổng Liên đoàn Lao động Việt Nam",
        email="tuyengiao@congdoanhanoi.org.vn",
        member_count=630000,
    )
    for code, name in DISTRICTS:
        short = name.split(" ", 1)[1] if name.startswith(("quận", "huyện")) else name.replace("thị xã ", "")
        place = short
        _ensure(
            f"HN-LDLD-{code}",
            parent=federation,
            name=f"Liên đoàn Lao động {name}",
            kind=UnitKind.DISTRICT_FEDERATION,
            abbreviation="LĐLĐ",
            signer_authority="TM. BAN THƯỜNG VỤ",
            place_name=place,
            document_parent_name="LĐLĐ Thành phố Hà Nội",
            email=f"{code.lower()}@congdoanhanoi.org.vn",
        )
    for code, name in INDUSTRY_UNIONS:
        _ensure(
            f"HN-LDLD-{code}",
            parent=federation,
            name=name,
            kind=UnitKind.INDUSTRY_UNION,
            abbreviation="CĐN",
            signer_authority="TM. BAN THƯỜNG VỤ",
            document_parent_name="LĐLĐ Thành phố Hà Nội",
        )
    for code, name in DIRECT_SUPERIOR_UNIONS:
        _ensure(
            f"HN-LDLD-{code}",
            parent=federation,
            name=name,
            kind=UnitKind.DIRECT_SUPERIOR_UNION,
            abbreviation="CĐVC" if code == "CDVC" else "CĐ",
            signer_authority="TM. BAN THƯỜNG VỤ",
            document_parent_name="LĐLĐ Thành phố Hà Nội",
        )
    for parent_code, number, name, members in GRASSROOTS:
        parent = Unit.objects.get(code=parent_code)
        _ensure(
            f"{parent_code}-{number}",
            parent=parent,
            name=name,
            kind=UnitKind.GRASSROOTS_UNION,
            abbreviation="CĐCS",
            member_count=members,
            place_name=parent.place_name,
        )
    for email, full_name, unit_code, role, position in DEMO_USERS:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = demo_user_create(
                email=email,
                full_name=full_name,
                position=position,
                phone=DEMO_PHONES.get(email, ""),
                is_staff=role == Role.PORTAL_ADMIN,
                is_superuser=role == Role.PORTAL_ADMIN,
            )
        elif not user.phone and email in DEMO_PHONES:  # a demo database from before phones
            user.phone = DEMO_PHONES[email]
            user.save(update_fields=["phone"])
        unit = Unit.objects.get(code=unit_code)
        # After the reorganisation the 2019 memberships of dissolved units stay as history.
        if not unit.is_dissolved:
            membership_grant(user=user, unit=unit, role=role)
    if stdout:
        stdout.write(f"  units: {Unit.objects.count()}, users: {User.objects.count()}")


# unit_dissolve's effective_on is the first day the unit no longer exists ("Đã giải thể từ
# 01/07/2025"): the upper-level unions worked until 30 June 2025.
REORGANISED_ON = dt.date(2025, 7, 1)
REORGANISATION_NOTE = (
    "Kết thúc hoạt động ngày 30/06/2025 theo chủ trương sắp xếp tổ chức công đoàn khi Hà Nội sắp xếp đơn vị "
    "hành chính cấp xã (Nghị quyết 1656/NQ-UBTVQH15); các công đoàn cơ sở trực thuộc chuyển về LĐLĐ Thành phố "
    "hoặc công đoàn xã, phường."
)
# (code, name, place, member count (0 = not published), communes and wards covered (official codes of
# organizations/data/hanoi_areas_2025.csv), grassroots unions moved in)
COMMUNE_UNIONS = [
    (
        "HN-LDLD-CDX-GIALAM",
        "Công đoàn xã Gia Lâm",
        "Gia Lâm",
        0,
        ["00565", "00577"],  # xã Gia Lâm, xã Bát Tràng
        ["HN-LDLD-GIALAM-0001", "HN-LDLD-GIALAM-0002", "HN-LDLD-GIALAM-0003", "HN-LDLD-GIALAM-0004"],
    ),
    (
        "HN-LDLD-CDX-DONGANH",
        "Công đoàn xã Đông Anh",
        "Đông Anh",
        0,
        ["00454"],  # xã Đông Anh
        ["HN-LDLD-DONGANH-0001", "HN-LDLD-DONGANH-0002"],
    ),
    ("HN-LDLD-CDP-CAUGIAY", "Công đoàn phường Cầu Giấy", "Hà Nội", 0, ["00166"], ["HN-LDLD-CAUGIAY-0001"]),
    ("HN-LDLD-CDP-NGHIADO", "Công đoàn phường Nghĩa Đô", "Hà Nội", 0, ["00160"], ["HN-LDLD-CAUGIAY-0002"]),
    ("HN-LDLD-CDP-HOANKIEM", "Công đoàn phường Hoàn Kiếm", "Hà Nội", 0, ["00070"], ["HN-LDLD-HOANKIEM-0001"]),
    ("HN-LDLD-CDP-KIMLIEN", "Công đoàn phường Kim Liên", "Hà Nội", 5135, ["00229"], []),
    ("HN-LDLD-CDP-HAIBATRUNG", "Công đoàn phường Hai Bà Trưng", "Hà Nội", 0, ["00256"], []),
]
# Grassroots unions whose commune or ward their name gives (the old place went into the new one).
GRASSROOTS_AREAS = {
    "HN-LDLD-GIALAM-0001": "00565",  # UBND thị trấn Trâu Quỳ → xã Gia Lâm
    "HN-LDLD-GIALAM-0002": "00565",  # Trường THCS Dương Xá → xã Gia Lâm
    "HN-LDLD-DONGANH-0001": "00454",  # UBND xã Uy Nỗ → xã Đông Anh
    "HN-LDLD-CAUGIAY-0001": "00166",  # UBND phường Dịch Vọng → phường Cầu Giấy
    "HN-LDLD-CAUGIAY-0002": "00160",  # Trường Tiểu học Nghĩa Tân → phường Nghĩa Đô
    "HN-LDLD-HOANKIEM-0001": "00070",  # Bộ phận một cửa quận Hoàn Kiếm → phường Hoàn Kiếm
}
CLUSTER_UNION = "HN-LDLD-CDX-GIALAM"
REMAINING_UPPER_UNIONS = {"HN-LDLD-CD-KCN"}
# (e-mail, unit code, role, position today): where the demo people of dissolved units work now.
TODAY_POSTS = [
    ("chutich.gialam@demo.cchc.vn", "HN-LDLD-CDX-GIALAM", Role.HEAD, "Chủ tịch Công đoàn xã Gia Lâm"),
    ("canbo.gialam@demo.cchc.vn", "HN-LDLD-CDX-GIALAM", Role.OFFICER, "Cán bộ Công đoàn xã Gia Lâm"),
    ("chutich.donganh@demo.cchc.vn", "HN-LDLD-CDX-DONGANH", Role.HEAD, "Chủ tịch Công đoàn xã Đông Anh"),
]


def reorganise_2025(*, stdout=None, by: User | None = None) -> None:
    """Applies the reorganisation of 1 July 2025 through the unit services (once)."""
    federation = Unit.objects.get(code="HN-LDLD")
    by = by or User.objects.filter(email="admin@demo.cchc.vn").first()
    coverage = {code: [area] for code, area in GRASSROOTS_AREAS.items()}
    for code, name, place, members, areas, _grassroots in COMMUNE_UNIONS:
        coverage[code] = areas
        if not Unit.objects.filter(code=code).exists():
            unit_create(
                parent=federation,
                code=code,
                name=name,
                kind=UnitKind.COMMUNE_UNION,
                by=by,
                active_from=REORGANISED_ON,
                abbreviation="CĐ",
                signer_authority="TM. BAN THƯỜNG VỤ",
                place_name=place,
                member_count=members,
                document_parent_name="LĐLĐ Thành phố Hà Nội",
            )
    # The communes and wards each union covers from 1 July 2025 (the cluster union: two of them).
    for unit in Unit.objects.filter(code__in=list(coverage)).exclude(coverages__isnull=False):
        unit_coverage_set(unit=unit, area_codes=coverage[unit.code], valid_from=REORGANISED_ON, by=by)
    for code, _name, _place, _members, _covers, grassroots in COMMUNE_UNIONS:
        target = Unit.objects.get(code=code)
        to_move = [
            u
            for u in Unit.objects.filter(code__in=grassroots, dissolved_on__isnull=True)
            if u.path[: -Unit.steplen] != target.path
        ]
        units_move(units=to_move, new_parent=target, effective_on=REORGANISED_ON, by=by, note=REORGANISATION_NOTE)
    upper = (
        Unit.objects.filter(
            kind__in=[UnitKind.DISTRICT_FEDERATION, UnitKind.INDUSTRY_UNION, UnitKind.DIRECT_SUPERIOR_UNION],
            dissolved_on__isnull=True,
        )
        .exclude(code__in=REMAINING_UPPER_UNIONS)
        .order_by("path")
    )
    dissolved = 0
    for unit in upper:
        # Grassroots unions not taken by a commune union pass to the city federation.
        unit_dissolve(unit=unit, effective_on=REORGANISED_ON, by=by, children_to=federation, note=REORGANISATION_NOTE)
        dissolved += 1
    for email, unit_code, role, position in TODAY_POSTS:
        user = User.objects.filter(email=email).first()
        if user is None:
            continue
        if not Membership.objects.filter(user=user, unit__code=unit_code, role=role).exists():
            membership_grant(user=user, unit=Unit.objects.get(code=unit_code), role=role, by=by)
            user.position = position
            user.save(update_fields=["position"])
    if stdout:
        stdout.write(
            f"  sắp xếp 01/07/2025: {dissolved} công đoàn cấp trên giải thể lần này, "
            f"{len(COMMUNE_UNIONS)} công đoàn xã, phường"
        )
