"""A user's phone: the admin form stores it normalised (+84…) and refuses a landline with what was typed kept;
the data migration normalises the phones it can and leaves the rest as they were."""

import importlib

import pytest
from django.apps import apps
from django.contrib import admin
from django.test import RequestFactory

from organizations.models import User

pytestmark = pytest.mark.django_db


def _admin_form(user, phone, superuser):
    request = RequestFactory().post("/")
    request.user = superuser
    form_class = admin.site._registry[User].get_form(request, obj=user)
    data = {
        "email": user.email,
        "full_name": user.full_name,
        "phone": phone,
        "position": "",
        "language": "vi",
        "is_active": "on",
    }
    return form_class(data=data, instance=user)


def test_admin_user_form_stores_the_phone_normalised(tree, superuser):
    form = _admin_form(tree.gl1_officer, "84 912-345-678", superuser)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["phone"] == "+84912345678"


def test_admin_user_form_refuses_a_landline_keeping_what_was_typed(tree, superuser):
    form = _admin_form(tree.gl1_officer, "024 3825 1234", superuser)
    assert not form.is_valid()
    assert form.errors["phone"] == ["Đây không phải số di động: cần số di động để nhận Zalo, SMS (ví dụ 0912 345 678)."]
    assert form["phone"].value() == "024 3825 1234"


def test_data_migration_normalises_what_it_can_and_leaves_the_rest(tree):
    typed = {"a@x.vn": "0912 345 678", "b@x.vn": "024 3825 1234", "c@x.vn": "+84 98 765 4321", "d@x.vn": ""}
    for email, phone in typed.items():
        User.objects.create_user(email=email, full_name="A", phone=phone)
    migration = importlib.import_module("organizations.migrations.0006_user_phone_normalised")
    migration.normalise_phones(apps, None)
    assert dict(User.objects.filter(email__in=typed).values_list("email", "phone")) == {
        "a@x.vn": "+84912345678",
        "b@x.vn": "024 3825 1234",
        "c@x.vn": "+84987654321",
        "d@x.vn": "",
    }
