"""factory_boy factories shared by every app's tests."""

import datetime as dt

import factory

from organizations.enums import Role, UnitKind
from organizations.models import Membership, Unit, User
from organizations.services import unit_create


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.vn")
    full_name = factory.Sequence(lambda n: f"Người dùng Thứ {n}")
    password = factory.PostGenerationMethodCall("set_password", "pw-123456")

    @classmethod
    def _after_postgeneration(cls, instance, create, results=None):
        if create:
            instance.save()


_counter = iter(range(1, 10**9))


def make_unit(parent=None, *, kind=None, name=None, code=None, **fields) -> Unit:
    """A unit placed properly in the tree (lineage, placement) through the service."""
    number = next(_counter)
    if kind is None:
        kind = {None: UnitKind.CITY_COMMITTEE}.get(parent.kind if parent else None) or _child_kind(parent)
    return unit_create(
        parent=parent,
        code=code or f"T{number:05d}",
        name=name or f"Đơn vị thử {number}",
        kind=kind,
        active_from=fields.pop("active_from", dt.date(2018, 1, 1)),
        **fields,
    )


def _child_kind(parent: Unit) -> str:
    return {
        UnitKind.CITY_COMMITTEE: UnitKind.CITY_FEDERATION,
        UnitKind.CITY_FEDERATION: UnitKind.DISTRICT_FEDERATION,
        UnitKind.DISTRICT_FEDERATION: UnitKind.GRASSROOTS_UNION,
        UnitKind.INDUSTRY_UNION: UnitKind.GRASSROOTS_UNION,
        UnitKind.DIRECT_SUPERIOR_UNION: UnitKind.GRASSROOTS_UNION,
        UnitKind.COMMUNE_UNION: UnitKind.GRASSROOTS_UNION,
    }[parent.kind]


def member(unit: Unit, role: str = Role.OFFICER, user: User | None = None) -> User:
    user = user or UserFactory()
    Membership.objects.create(user=user, unit=unit, role=role)
    return user
