"""The demo tree from the seed documents (2019 structure), with demo users.

Idempotent: units and users are found by their codes and e-mails."""

import datetime as dt

from .enums import Role, UnitKind
from .models import Unit, User
from .services import membership_grant, unit_create

DEMO_PASSWORD = "demo12345"
CAMPAIGN_START = dt.date(2018, 1, 1)

# Hanoi's 30 district-level units in 2019: 12 quận, 17 huyện, 1 thị xã.
DISTRICTS = [
    ("BADINH", "quận Ba Đình"), ("HOANKIEM", "quận Hoàn Kiếm"), ("TAYHO", "quận Tây Hồ"),
    ("LONGBIEN", "quận Long Biên"), ("CAUGIAY", "quận Cầu Giấy"), ("DONGDA", "quận Đống Đa"),
    ("HAIBATRUNG", "quận Hai Bà Trưng"), ("HOANGMAI", "quận Hoàng Mai"), ("THANHXUAN", "quận Thanh Xuân"),
    ("NAMTULIEM", "quận Nam Từ Liêm"), ("BACTULIEM", "quận Bắc Từ Liêm"), ("HADONG", "quận Hà Đông"),
    ("SOCSON", "huyện Sóc Sơn"), ("DONGANH", "huyện Đông Anh"), ("GIALAM", "huyện Gia Lâm"),
    ("THANHTRI", "huyện Thanh Trì"), ("MELINH", "huyện Mê Linh"), ("BAVI", "huyện Ba Vì"),
    ("PHUCTHO", "huyện Phúc Thọ"), ("DANPHUONG", "huyện Đan Phượng"), ("HOAIDUC", "huyện Hoài Đức"),
    ("QUOCOAI", "huyện Quốc Oai"), ("THACHTHAT", "huyện Thạch Thất"), ("CHUONGMY", "huyện Chương Mỹ"),
    ("THANHOAI", "huyện Thanh Oai"), ("THUONGTIN", "huyện Thường Tín"), ("PHUXUYEN", "huyện Phú Xuyên"),
    ("UNGHOA", "huyện Ứng Hòa"), ("MYDUC", "huyện Mỹ Đức"), ("SONTAY", "thị xã Sơn Tây"),
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


def _ensure(code, **kwargs) -> Unit:
    unit = Unit.objects.filter(code=code).first()
    return unit or unit_create(code=code, active_from=CAMPAIGN_START, **kwargs)


def load_demo(*, stdout=None) -> None:
    city = _ensure("HN", parent=None, name="Ủy ban nhân dân Thành phố Hà Nội", kind=UnitKind.CITY_COMMITTEE,
                   abbreviation="UBND", document_parent_name="", document_name="ỦY BAN NHÂN DÂN\nTHÀNH PHỐ HÀ NỘI")
    federation = _ensure("HN-LDLD", parent=city, name="Liên đoàn Lao động Thành phố Hà Nội",
                         kind=UnitKind.CITY_FEDERATION, abbreviation="LĐLĐ",
                         document_parent_name="Tổng Liên đoàn Lao động Việt Nam",
                         email="tuyengiao@congdoanhanoi.org.vn", member_count=630000)
    for code, name in DISTRICTS:
        short = name.split(" ", 1)[1] if name.startswith(("quận", "huyện")) else name.replace("thị xã ", "")
        place = short
        _ensure(f"HN-LDLD-{code}", parent=federation, name=f"Liên đoàn Lao động {name}",
                kind=UnitKind.DISTRICT_FEDERATION, abbreviation="LĐLĐ", place_name=place,
                document_parent_name="LĐLĐ Thành phố Hà Nội",
                email=f"{code.lower()}@congdoanhanoi.org.vn")
    for code, name in INDUSTRY_UNIONS:
        _ensure(f"HN-LDLD-{code}", parent=federation, name=name, kind=UnitKind.INDUSTRY_UNION, abbreviation="CĐN",
                document_parent_name="LĐLĐ Thành phố Hà Nội")
    for code, name in DIRECT_SUPERIOR_UNIONS:
        _ensure(f"HN-LDLD-{code}", parent=federation, name=name, kind=UnitKind.DIRECT_SUPERIOR_UNION,
                abbreviation="CĐVC" if code == "CDVC" else "CĐ", document_parent_name="LĐLĐ Thành phố Hà Nội")
    for parent_code, number, name, members in GRASSROOTS:
        parent = Unit.objects.get(code=parent_code)
        _ensure(f"{parent_code}-{number}", parent=parent, name=name, kind=UnitKind.GRASSROOTS_UNION,
                abbreviation="CĐCS", member_count=members, place_name=parent.place_name)
    for email, full_name, unit_code, role, position in DEMO_USERS:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(email=email, password=DEMO_PASSWORD, full_name=full_name, position=position,
                                            is_staff=role == Role.PORTAL_ADMIN,
                                            is_superuser=role == Role.PORTAL_ADMIN)
        membership_grant(user=user, unit=Unit.objects.get(code=unit_code), role=role)
    if stdout:
        stdout.write(f"  units: {Unit.objects.count()}, users: {User.objects.count()}")
