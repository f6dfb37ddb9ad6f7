"""The benchmark world's tree: the city, its federation, ~60 second-level unions
(30 district federations, industry unions, direct-superior unions) and N grassroots
unions spread over them, each grassroots union with one officer."""

import datetime as dt
import random

from django.contrib.auth.hashers import make_password
from django.db import transaction

from .demo import load_demo as load_demo_tree
from .enums import Role, UnitKind
from .models import Membership, Unit, User
from .services import UnitSpec, units_bulk_create_children

SCALE_PREFIX = "S"
EXTRA_SECOND_LEVEL = [(f"CDCT-{i:02d}", f"Công đoàn Tổng công ty số {i}") for i in range(1, 24)]
GRASSROOTS_NAMES = [
    "Công ty TNHH",
    "Công ty CP",
    "Trường Tiểu học",
    "Trường THCS",
    "UBND xã",
    "UBND phường",
    "Bệnh viện",
    "Trung tâm Y tế",
    "Hợp tác xã",
    "Chi cục Thuế",
    "Kho bạc Nhà nước",
]
PLACES = [
    "Hoàng Long",
    "Phú Mỹ",
    "Đông Hưng",
    "Thăng Long",
    "Bình Minh",
    "Hồng Hà",
    "Sông Đà",
    "Tây Đô",
    "Ánh Dương",
    "Việt Hưng",
    "Đức Giang",
    "Kim Liên",
    "Quang Trung",
    "Yên Sở",
]


def generate(*, grassroots: int, stdout=None) -> dict:
    """Adds grassroots unions (codes S-…) under the demo tree's second level until there are `grassroots`."""
    rng = random.Random(2019)
    load_demo_tree()
    federation = Unit.objects.get(code="HN-LDLD")
    with transaction.atomic():
        existing_codes = set(Unit.objects.filter(code__startswith="HN-LDLD-CDCT-").values_list("code", flat=True))
        extra = [c for c in EXTRA_SECOND_LEVEL if f"HN-LDLD-{c[0]}" not in existing_codes]
        if extra:
            units_bulk_create_children(
                parent=federation,
                specs=[
                    UnitSpec(code=f"HN-LDLD-{code}", name=name, kind=UnitKind.DIRECT_SUPERIOR_UNION, abbreviation="CĐ")
                    for code, name in extra
                ],
                active_from=dt.date(2018, 1, 1),
            )
    second_level = list(
        Unit.objects.filter(depth=federation.depth + 1, path__startswith=federation.path)
        .exclude(kind=UnitKind.GRASSROOTS_UNION)
        .order_by("path")
    )
    have = Unit.objects.filter(kind=UnitKind.GRASSROOTS_UNION).count()
    to_make = max(0, grassroots - have)
    password = make_password("demo12345")
    per_parent = {p.pk: [] for p in second_level}
    for i in range(to_make):
        parent = second_level[i % len(second_level)]
        n = have + i + 1
        name = f"Công đoàn cơ sở {rng.choice(GRASSROOTS_NAMES)} {rng.choice(PLACES)} {n}"
        per_parent[parent.pk].append(
            UnitSpec(
                code=f"{SCALE_PREFIX}-{n:05d}",
                name=name,
                kind=UnitKind.GRASSROOTS_UNION,
                abbreviation="CĐCS",
                member_count=rng.randint(15, 600),
                place_name=parent.place_name,
            )
        )
    for parent in second_level:
        specs = per_parent[parent.pk]
        if specs:
            units_bulk_create_children(parent=parent, specs=specs, active_from=dt.date(2018, 1, 1))
    # One officer per scale grassroots union, and a head per second-level unit.
    new_units = list(Unit.objects.filter(code__startswith=f"{SCALE_PREFIX}-").exclude(memberships__isnull=False))
    users = [
        User(email=f"officer.{u.code.lower()}@scale.cchc.vn", full_name=f"Cán bộ {u.code}", password=password)
        for u in new_units
    ]
    User.objects.bulk_create(users, batch_size=2000, ignore_conflicts=True)
    by_email = dict(User.objects.filter(email__endswith="@scale.cchc.vn").values_list("email", "pk"))
    Membership.objects.bulk_create(
        [
            Membership(user_id=by_email[f"officer.{u.code.lower()}@scale.cchc.vn"], unit=u, role=Role.OFFICER)
            for u in new_units
        ],
        batch_size=2000,
        ignore_conflicts=True,
    )
    heads = [
        User(email=f"head.{p.code.lower()}@scale.cchc.vn", full_name=f"Chủ tịch {p.name}", password=password)
        for p in second_level
    ]
    User.objects.bulk_create(heads, batch_size=2000, ignore_conflicts=True)
    by_email = dict(
        User.objects.filter(email__startswith="head.", email__endswith="@scale.cchc.vn").values_list("email", "pk")
    )
    Membership.objects.bulk_create(
        [
            Membership(user_id=by_email[f"head.{p.code.lower()}@scale.cchc.vn"], unit=p, role=Role.HEAD)
            for p in second_level
        ],
        batch_size=2000,
        ignore_conflicts=True,
    )
    summary = {
        "second_level": len(second_level),
        "grassroots": Unit.objects.filter(kind=UnitKind.GRASSROOTS_UNION).count(),
        "users": User.objects.count(),
    }
    if stdout:
        stdout.write(f"  tree: {summary}")
    return summary
