"""A head's one-tap reminder ("Đôn đốc") from the cascade, and the supervisor the cascade names."""

import datetime as dt
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone

from campaign_portal.exceptions import PortalError
from directives.deliveries import deliveries_remind, delivery_mark_done
from directives.enums import AddresseeMode
from directives.models import Delivery, DeliveryReminder
from directives.selectors import cascade_rows, supervisors_for
from notifications.enums import NotificationKind
from notifications.models import Notification
from organizations.enums import Role, UnitKind
from organizations.models import AdministrativeArea
from tests.conftest import KIM_LIEN
from tests.factories import UserFactory, member

from .conftest import at

DUE = dt.date(2019, 9, 30)
NOW = at(dt.date(2019, 10, 7), 10)  # a week after the deadline


def _deliveries(document) -> dict[str, Delivery]:
    return {d.unit.code: d for d in Delivery.objects.filter(document=document).select_related("unit", "document")}


def _supervisors(document) -> dict[str, str | None]:
    deliveries = list(_deliveries(document).values())
    units = supervisors_for(deliveries)
    return {d.unit.code: units[d.pk] and units[d.pk].code for d in deliveries}


@pytest.fixture
def frozen_now():
    with mock.patch.object(timezone, "now", return_value=NOW):
        yield


@pytest.fixture
def plan(tree, make_document):
    """The federation's plan to its whole system, due 30/09/2019: every unit below receives it."""
    return make_document(unit=tree.federation, by=tree.city_officer, issue=True, addressee_mode=AddresseeMode.SUBTREE)


# ---------------------------------------------------------------- the supervisor, by addressing mode


def test_supervisor_subtree_is_the_nearest_receiving_ancestor(tree, plan):
    assert _supervisors(plan) == {
        "HN-LDLD-GIALAM": "HN-LDLD",
        "HN-LDLD-DONGANH": "HN-LDLD",
        "HN-LDLD-GIALAM-0001": "HN-LDLD-GIALAM",
        "HN-LDLD-GIALAM-0002": "HN-LDLD-GIALAM",
        "HN-LDLD-DONGANH-0001": "HN-LDLD-DONGANH",
        "HN-LDLD-0001": "HN-LDLD",
    }


def test_supervisor_subtree_under_another_root_skips_units_that_did_not_receive(tree, make_document):
    document = make_document(
        unit=tree.city, by=tree.admin, issue=True, addressee_mode=AddresseeMode.SUBTREE, addressee_root=tree.federation
    )
    # The root of a subtree is not an addressee: the federation between the city and the districts did not
    # receive it, so the issuer supervises the districts (and the union directly under the federation).
    assert _supervisors(document) == {
        "HN-LDLD-GIALAM": "HN",
        "HN-LDLD-DONGANH": "HN",
        "HN-LDLD-0001": "HN",
        "HN-LDLD-GIALAM-0001": "HN-LDLD-GIALAM",
        "HN-LDLD-GIALAM-0002": "HN-LDLD-GIALAM",
        "HN-LDLD-DONGANH-0001": "HN-LDLD-DONGANH",
    }


def test_supervisor_units_mode_a_district_addressed_directly_answers_to_the_issuer(tree, make_document):
    document = make_document(
        unit=tree.federation,
        by=tree.city_officer,
        issue=True,
        addressee_mode=AddresseeMode.UNITS,
        addressee_units=[tree.gialam, tree.gl1, tree.da1],
    )
    # Đông Anh did not receive it: its grassroots union answers to the issuer, never to Đông Anh nor to itself.
    assert _supervisors(document) == {
        "HN-LDLD-GIALAM": "HN-LDLD",
        "HN-LDLD-GIALAM-0001": "HN-LDLD-GIALAM",
        "HN-LDLD-DONGANH-0001": "HN-LDLD",
    }


def test_supervisor_children_of_kind_is_the_issuer(tree, make_document):
    document = make_document(
        unit=tree.gialam,
        by=tree.gialam_officer,
        issue=True,
        addressee_mode=AddresseeMode.CHILDREN_OF_KIND,
        addressee_kinds=[UnitKind.GRASSROOTS_UNION],
    )
    assert _supervisors(document) == {"HN-LDLD-GIALAM-0001": "HN-LDLD-GIALAM", "HN-LDLD-GIALAM-0002": "HN-LDLD-GIALAM"}


def test_supervisor_area_mode_is_the_issuer_not_the_commune_union(communes, make_document):
    document = make_document(
        unit=communes.federation,
        by=communes.city_officer,
        issue=True,
        issued_on=dt.date(2025, 9, 15),
        tasks=[("Báo cáo", dt.date(2025, 9, 30))],
        addressee_mode=AddresseeMode.AREA,
        addressee_area=AdministrativeArea.objects.get(code=KIM_LIEN),
    )
    assert _supervisors(document) == {"HN-LDLD-CDP-DONGDA-0001": "HN-LDLD", "HN-LDLD-CDP-DONGDA-0002": "HN-LDLD"}


def test_supervisor_of_an_implementing_documents_delivery_is_its_issuer(tree, plan):
    from directives.services import document_draft_implementing, document_issue

    draft = document_draft_implementing(delivery=_deliveries(plan)["HN-LDLD-GIALAM"], by=tree.gialam_officer)
    guidance = document_issue(document=draft, by=tree.gialam_officer, now=at(dt.date(2019, 2, 1)))
    units = _supervisors(guidance)
    assert units == {"HN-LDLD-GIALAM-0001": "HN-LDLD-GIALAM", "HN-LDLD-GIALAM-0002": "HN-LDLD-GIALAM"}
    assert all(code != unit for unit, code in units.items())


# ---------------------------------------------------------------- the service


def _remind(deliveries, by, now=NOW):
    return deliveries_remind(deliveries=deliveries, by=by, now=now)


def test_reminder_reaches_the_unit_at_once_on_the_channel_it_chose(
    tree, plan, providers, django_capture_on_commit_callbacks
):
    """End to end: the reminder kind is urgent, so the officer who chose Zalo has it on Zalo at once."""
    from notifications.enums import Channel
    from notifications.services import preference_update

    preference_update(
        user=tree.gl1_officer,
        email_disabled_kinds=[],
        digest_hour=0,
        language="",
        channels=[Channel.ZALO],
        phone="0912 345 678",
    )
    with django_capture_on_commit_callbacks(execute=True):
        _remind([_deliveries(plan)["HN-LDLD-GIALAM-0001"]], tree.gialam_head)
    assert [message["phone"] for message in providers.state.zns] == ["84912345678"]
    assert "đôn đốc" in providers.state.zns[0]["template_data"]["summary"]


def test_remind_by_the_supervisor_logs_and_notifies_officers_and_heads(tree, plan, django_capture_on_commit_callbacks):
    head = member(tree.gl1, Role.HEAD, UserFactory(email="gl1.head@example.vn"))
    d = _deliveries(plan)
    with django_capture_on_commit_callbacks(execute=True):
        result = _remind([d["HN-LDLD-GIALAM-0001"], d["HN-LDLD-GIALAM-0002"]], tree.gialam_head)
    assert (result.reminded, result.skipped) == (2, 0)
    assert result.message == "Đã đôn đốc 2 đơn vị."
    reminders = list(
        DeliveryReminder.objects.order_by("unit__code").values_list(
            "unit__code", "by__email", "by_unit__code", "reminded_on", "recipient_count"
        )
    )
    assert reminders == [
        ("HN-LDLD-GIALAM-0001", "gialam.head@example.vn", "HN-LDLD-GIALAM", dt.date(2019, 10, 7), 2),
        ("HN-LDLD-GIALAM-0002", "gialam.head@example.vn", "HN-LDLD-GIALAM", dt.date(2019, 10, 7), 1),
    ]
    rows = Notification.objects.filter(kind=NotificationKind.DIRECTIVE_REMINDER).order_by("recipient__email")
    assert [(n.recipient.email, n.window, n.payload) for n in rows] == [
        (
            email,
            "remind:2019-10-07",
            {
                "title": plan.number_symbol,
                "unit": unit.name,
                "by_unit": "Liên đoàn Lao động huyện Gia Lâm",
                "due": "2019-09-30",
                "url": plan.get_absolute_url(),
            },
        )
        for email, unit in (
            (head.email, tree.gl1),
            ("gl1.officer@example.vn", tree.gl1),
            ("gl2.officer@example.vn", tree.gl2),
        )
    ]


def test_remind_once_per_unit_per_day_and_says_so(tree, plan, django_capture_on_commit_callbacks):
    d = _deliveries(plan)
    _remind([d["HN-LDLD-GIALAM-0001"]], tree.gialam_officer)
    with django_capture_on_commit_callbacks(execute=True):
        result = _remind([d["HN-LDLD-GIALAM-0001"], d["HN-LDLD-GIALAM-0002"]], tree.gialam_head, now=at(NOW.date(), 16))
    assert result.message == "Đã đôn đốc 1 đơn vị; 1 đơn vị đã được đôn đốc hôm nay."
    again = _remind([d["HN-LDLD-GIALAM-0001"]], tree.gialam_head, now=at(NOW.date(), 17))
    assert again.message == "Không đôn đốc thêm đơn vị nào: 1 đơn vị đã được đôn đốc hôm nay."
    # The next day (Hanoi date) it may be reminded again.
    assert (
        _remind([d["HN-LDLD-GIALAM-0001"]], tree.gialam_head, now=at(NOW.date() + dt.timedelta(days=1))).reminded == 1
    )
    assert DeliveryReminder.objects.count() == 3


@pytest.mark.parametrize("who", ["gl1_officer", "donganh_head", "outsider", "city_officer"])
def test_remind_refused_to_a_child_a_sibling_an_outsider_and_a_unit_two_levels_up(tree, plan, who):
    d = _deliveries(plan)
    with pytest.raises(PortalError) as error:
        _remind([d["HN-LDLD-GIALAM-0001"]], getattr(tree, who))
    assert str(error.value) == (
        "Không thể đôn đốc Công đoàn cơ sở UBND thị trấn Trâu Quỳ: "
        "đơn vị không chậm thực hiện văn bản này hoặc bạn không phụ trách."
    )
    assert DeliveryReminder.objects.count() == 0
    assert Notification.objects.filter(kind=NotificationKind.DIRECTIVE_REMINDER).count() == 0


def test_remind_refused_for_a_unit_not_late(tree, plan):
    d = _deliveries(plan)
    delivery_mark_done(delivery=d["HN-LDLD-GIALAM-0001"], by=tree.gl1_officer, result_note="Đã làm")
    with pytest.raises(PortalError):
        _remind([d["HN-LDLD-GIALAM-0001"]], tree.gialam_head)
    with pytest.raises(PortalError):  # not yet due
        _remind([d["HN-LDLD-GIALAM-0002"]], tree.gialam_head, now=at(dt.date(2019, 9, 30)))
    assert DeliveryReminder.objects.count() == 0


def test_portal_admin_may_remind_anyone_late(tree, plan):
    d = _deliveries(plan)
    assert _remind([d["HN-LDLD-GIALAM-0001"]], tree.admin).reminded == 1


# ---------------------------------------------------------------- the pages


def _cascade(plan):
    return reverse("directives:cascade", args=[plan.pk])


def _remind_url(plan):
    return reverse("directives:cascade_remind", args=[plan.pk])


def test_cascade_ticked_subset_is_reminded(tree, plan, login, frozen_now):
    d = _deliveries(plan)
    client = login(tree.gialam_head)
    response = client.post(_remind_url(plan), {"delivery": [d["HN-LDLD-GIALAM-0002"].pk]}, follow=True)
    assert [str(m) for m in response.context["messages"]] == ["Đã đôn đốc 1 đơn vị."]
    assert list(DeliveryReminder.objects.values_list("unit__code", flat=True)) == ["HN-LDLD-GIALAM-0002"]


def test_cascade_remind_all_late_reaches_only_hers_and_a_double_submit_makes_one_set(tree, plan, login, frozen_now):
    client = login(tree.gialam_head)
    first = client.post(_remind_url(plan), {"all": "1"}, follow=True)
    second = client.post(_remind_url(plan), {"all": "1"}, follow=True)
    assert [str(m) for m in first.context["messages"]] == ["Đã đôn đốc 2 đơn vị."]
    assert [str(m) for m in second.context["messages"]] == [
        "Không đôn đốc thêm đơn vị nào: 2 đơn vị đã được đôn đốc hôm nay."
    ]
    assert sorted(DeliveryReminder.objects.values_list("unit__code", flat=True)) == [
        "HN-LDLD-GIALAM-0001",
        "HN-LDLD-GIALAM-0002",
    ]


def test_cascade_remind_denied(tree, plan, login, client, frozen_now):
    d = _deliveries(plan)
    # Anonymous: to the login page.
    response = client.post(_remind_url(plan), {"all": "1"})
    assert (response.status_code, response["Location"].startswith("/accounts/login/")) == (302, True)
    # A grassroots officer sees her part of the cascade but reminds no one, herself least of all.
    response = login(tree.gl1_officer).post(_remind_url(plan), {"delivery": [d["HN-LDLD-GIALAM-0001"].pk]}, follow=True)
    assert [str(m) for m in response.context["messages"]] == [
        "Không thể đôn đốc Công đoàn cơ sở UBND thị trấn Trâu Quỳ: "
        "đơn vị không chậm thực hiện văn bản này hoặc bạn không phụ trách."
    ]
    # A sibling district's head cannot reach Gia Lâm's units, even by forging their ids.
    response = login(tree.donganh_head).post(
        _remind_url(plan), {"delivery": [d["HN-LDLD-GIALAM-0001"].pk]}, follow=True
    )
    assert [str(m) for m in response.context["messages"]] == ["Chưa chọn đơn vị nào để đôn đốc."]
    # An outsider does not see the cascade at all.
    assert login(tree.outsider).post(_remind_url(plan), {"all": "1"}).status_code == 404
    assert DeliveryReminder.objects.count() == 0


def test_cascade_shows_checkboxes_to_the_supervisor_and_the_last_reminder(
    tree, plan, login, frozen_now, django_assert_max_num_queries
):
    d = _deliveries(plan)
    _remind([d["HN-LDLD-GIALAM-0001"]], tree.gialam_head)
    client = login(tree.gialam_head)
    with django_assert_max_num_queries(16):
        response = client.get(_cascade(plan))
    rows = {r["d"].unit.code: (r["can_remind"], r["d"].last_reminded_at) for r in response.context["rows"]}
    assert rows == {
        "HN-LDLD-GIALAM": (False, None),
        "HN-LDLD-GIALAM-0001": (True, NOW),
        "HN-LDLD-GIALAM-0002": (True, None),
    }
    html = response.content.decode()
    assert html.count('name="delivery"') == 2
    assert "Đôn đốc tất cả đơn vị chậm" in html
    assert "07/10/2019 10:00" in html


def test_cascade_query_count_does_not_grow_with_reminders(tree, plan, login, frozen_now, django_assert_max_num_queries):
    d = _deliveries(plan)
    client = login(tree.city_officer)
    with django_assert_max_num_queries(16) as small:
        client.get(_cascade(plan))
    _remind(list(d.values()), tree.admin)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(_cascade(plan))
    assert len([r for r in response.context["rows"] if r["d"].last_reminded_at]) == 6


def test_reminded_unit_sees_it_on_its_inbox_and_document_page(tree, plan, login, frozen_now):
    d = _deliveries(plan)
    _remind([d["HN-LDLD-GIALAM-0001"]], tree.gialam_head)
    client = login(tree.gl1_officer)
    inbox = client.get(reverse("directives:inbox")).content.decode()
    page = client.get(plan.get_absolute_url()).content.decode()
    assert "Cấp trên đã đôn đốc ngày 07/10/2019" in inbox
    assert "Cấp trên đã đôn đốc ngày 07/10/2019 (Liên đoàn Lao động huyện Gia Lâm)" in page
    other = login(tree.gl2_officer).get(reverse("directives:inbox")).content.decode()
    assert "Cấp trên đã đôn đốc" not in other


def test_inbox_query_count_with_reminders(tree, plan, login, frozen_now, django_assert_max_num_queries):
    _remind(list(_deliveries(plan).values()), tree.admin)
    client = login(tree.gl1_officer)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("directives:inbox"))
    assert [d.last_reminded_at for d in response.context["page"]] == [NOW]


def test_cascade_rows_never_name_the_unit_itself(tree, plan):
    rows = cascade_rows(
        list(Delivery.objects.filter(document=plan).select_related("unit", "document")), today=NOW.date()
    )
    assert [r["d"].unit.code for r in rows if r["supervisor"] and r["supervisor"].pk == r["d"].unit_id] == []
