"""The directives rules decide from the object's state; the document page shows their can_* flags."""

import datetime as dt

import pytest
from django.urls import reverse

from directives.deliveries import delivery_acknowledge, delivery_mark_done
from directives.enums import AddresseeMode
from directives.models import Delivery
from directives.rules import sees_whole_cascade
from directives.selectors import document_page

from .conftest import at

pytestmark = pytest.mark.django_db

DAY = dt.date(2019, 3, 27)


@pytest.fixture
def plan(tree, make_document):
    return make_document(unit=tree.federation, by=tree.city_officer, issue=True, addressee_mode=AddresseeMode.SUBTREE)


def _gl1(plan) -> Delivery:
    return Delivery.objects.get(document=plan, unit__code="HN-LDLD-GIALAM-0001")


def _flags(plan, user) -> tuple:
    page = document_page(document=plan, user=user)
    return page["can_acknowledge"], page["can_implement"]


def test_delivery_flags_owner_teammate_outsider(tree, plan):
    # The receiving unit's officer; an officer of another receiving unit (her own delivery is another);
    # someone with no unit.
    assert _flags(plan, tree.gl1_officer) == (True, True)
    assert _flags(plan, tree.gl2_officer) == (True, True)
    assert document_page(document=plan, user=tree.gl2_officer)["delivery"].unit == tree.gl2
    assert _flags(plan, tree.outsider) == (False, False)


def test_delivery_flags_follow_the_state(tree, plan):
    delivery_acknowledge(delivery=_gl1(plan), by=tree.gl1_officer, now=at(DAY))
    assert _flags(plan, tree.gl1_officer) == (False, True)
    delivery_mark_done(delivery=_gl1(plan), by=tree.gl1_officer, result_note="Đã làm.", now=at(DAY, 15))
    assert _flags(plan, tree.gl1_officer) == (False, False)
    assert tree.gl1_officer.has_perm("directives.implement_delivery", _gl1(plan)) is False


def test_document_page_buttons_from_the_flags(tree, plan, login):
    client = login(tree.gl1_officer)
    url = reverse("directives:document_detail", args=[plan.pk])
    text = client.get(url).content.decode()
    assert "Xác nhận đã nhận" in text and "Báo cáo đã thực hiện / không áp dụng" in text
    delivery_mark_done(delivery=_gl1(plan), by=tree.gl1_officer, result_note="Đã làm.", now=at(DAY, 15))
    text = client.get(url).content.decode()
    assert "Xác nhận đã nhận" not in text and "Báo cáo đã thực hiện / không áp dụng" not in text


def test_draft_document_perm_owner_teammate_outsider(tree):
    assert tree.city_officer.has_perm("directives.draft_document") is True
    assert tree.gialam_head.has_perm("directives.draft_document") is True
    assert tree.admin.has_perm("directives.draft_document") is True
    assert tree.outsider.has_perm("directives.draft_document") is False


def test_document_create_outsider_denied(tree, login):
    assert login(tree.outsider).get(reverse("directives:document_create")).status_code == 404
    assert login(tree.gialam_officer).get(reverse("directives:document_create")).status_code == 200


def test_sees_whole_cascade_issuer_members_and_admins_only(tree, plan):
    assert sees_whole_cascade(tree.city_officer, plan) is True
    assert sees_whole_cascade(tree.admin, plan) is True
    assert sees_whole_cascade(tree.gialam_head, plan) is False
    assert sees_whole_cascade(tree.outsider, plan) is False
