"""The registers in and out: one RegisterEntry per number a unit gives, the incoming number of each delivery
(per recipient unit and year), both register pages with their search, filters and exports, and giao xử lý."""

import datetime as dt
import io

import openpyxl
import pytest
from django.urls import reverse

from directives.deliveries import delivery_acknowledge, delivery_assign
from directives.enums import AddresseeMode, RegisterEntryKind
from directives.models import Delivery, IncomingRegister, RegisterEntry
from notifications.enums import NotificationKind
from notifications.models import Notification
from organizations.enums import Role
from tests.factories import UserFactory, member

from .conftest import at

PLAN_2019 = dt.date(2019, 1, 29)


def _xlsx_rows(response) -> list[tuple]:
    return list(openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))


def _to_gialam(make_document, tree, *, issued_on=PLAN_2019, subject="Kế hoạch tuyên truyền", by=None):
    return make_document(
        unit=tree.federation,
        by=by or tree.city_officer,
        issue=True,
        issued_on=issued_on,
        subject=subject,
        addressee_mode=AddresseeMode.UNITS,
        addressee_units=[tree.gialam, tree.donganh],
    )


# ---------------------------------------------------------------- the outgoing register


def test_document_issue_writes_its_register_entry(tree, make_document):
    document = make_document(unit=tree.gialam, by=tree.gialam_officer, issue=True, signer_authority="TM. BAN THƯỜNG VỤ")
    entry = RegisterEntry.objects.get()
    assert (entry.register, entry.number, entry.number_symbol) == (document.register, 1, "01/KH-LĐLĐ")
    assert (entry.kind, entry.subject_key) == (RegisterEntryKind.DIRECTIVE, f"directives.document:{document.pk}")
    assert (entry.issued_on, entry.summary) == (PLAN_2019, document.subject)
    assert entry.signer == "TM. BAN THƯỜNG VỤ CHỦ TỊCH Nguyễn Văn A"
    assert entry.recipients == "; ".join(document.kinh_gui.splitlines())
    assert entry.get_absolute_url() == document.get_absolute_url()


def test_numbering_inside_a_transaction_takes_no_savepoint(tree):
    """A report's submission numbers it inside its own transaction: the year's first number makes the register and
    a later one bumps it, each in one INSERT … ON CONFLICT DO UPDATE; neither takes a savepoint."""
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from directives.registers import register_entry_take

    def take(key):
        with transaction.atomic(), CaptureQueriesContext(connection) as captured:
            entry = register_entry_take(
                unit=tree.gialam,
                on=PLAN_2019,
                kind=RegisterEntryKind.REPORT,
                subject_key=key,
                number_symbol=lambda number: f"{number:02d}/BC-LĐLĐ",
                summary="Báo cáo quý I",
            )
        return entry, [q["sql"] for q in captured.captured_queries]

    first, first_sql = take("reporting.report:1")
    second, second_sql = take("reporting.report:2")
    again, again_sql = take("reporting.report:1")
    assert (first.number, second.number, again.pk) == (1, 2, first.pk)
    assert first.register == second.register and second.register.last_number == 2
    assert not any("SAVEPOINT" in sql for sql in first_sql + second_sql)
    # the entry looked for, the register made or bumped, the entry written
    assert len(first_sql) == 3 and len(second_sql) == 3 and len(again_sql) == 1


@pytest.fixture
def gialam_register(tree, make_document):
    """Gia Lâm's 2019 register: two plans and a guidance, on three days."""
    make_document(unit=tree.gialam, by=tree.gialam_officer, issue=True, subject="Tuyên truyền cải cách hành chính")
    make_document(
        unit=tree.gialam,
        by=tree.gialam_officer,
        issue=True,
        issued_on=dt.date(2019, 3, 4),
        subject="Kiểm soát thủ tục",
        doc_type="HD",
    )
    make_document(
        unit=tree.gialam, by=tree.gialam_officer, issue=True, issued_on=dt.date(2019, 6, 1), subject="Đối thoại"
    )
    return tree


def test_register_search_is_accent_insensitive_and_filters_by_kind_and_dates(
    gialam_register, login, django_assert_max_num_queries
):
    tree = gialam_register
    client = login(tree.gialam_officer)
    base = f"/directives/register/?unit={tree.gialam.pk}&year=2019"
    with django_assert_max_num_queries(10):
        response = client.get(f"{base}&q=tuyen+truyen")
    assert [e.number_symbol for e in response.context["entries"]] == ["01/KH-LĐLĐ"]
    assert [e.number_symbol for e in client.get(f"{base}&q=02%2FHD").context["entries"]] == ["02/HD-LĐLĐ"]
    response = client.get(f"{base}&date_from=2019-02-01&date_to=2019-05-31")
    assert [e.number_symbol for e in response.context["entries"]] == ["02/HD-LĐLĐ"]
    response = client.get(f"{base}&kind=report")
    assert list(response.context["entries"]) == []
    response = client.get(f"{base}&kind=directive&date_from=01/06/2019")
    assert [e.summary for e in response.context["entries"]] == ["Đối thoại"]
    response = client.get(f"{base}&date_from=2019-06-01&date_to=2019-01-01")
    assert response.context["form"].errors["date_to"] == ["“Đến ngày” phải sau “Từ ngày”."]
    assert response.context["form"]["date_from"].value() == "2019-06-01"  # the typed value is kept


def test_register_xlsx_exports_the_filtered_lines(gialam_register, login):
    tree = gialam_register
    response = login(tree.gialam_head).get(f"/directives/register.xlsx?unit={tree.gialam.pk}&year=2019&q=kiem+soat")
    rows = _xlsx_rows(response)
    assert rows[0] == ("Số", "Số, ký hiệu", "Ngày", "Loại", "Trích yếu", "Người ký", "Nơi nhận")
    assert rows[1:] == [
        (2, "02/HD-LĐLĐ", "04/03/2019", "Văn bản chỉ đạo", "Kiểm soát thủ tục", "CHỦ TỊCH Nguyễn Văn A", rows[1][6])
    ]


def test_register_page_query_count_does_not_grow_with_entries(
    tree, make_document, login, django_assert_max_num_queries
):
    for i in range(60):
        make_document(unit=tree.gialam, by=tree.gialam_officer, issue=True, subject=f"Văn bản {i}")
    client = login(tree.gialam_officer)
    with django_assert_max_num_queries(10):
        response = client.get(f"/directives/register/?unit={tree.gialam.pk}&year=2019&page=2")
    assert [e.number for e in response.context["entries"]] == list(range(51, 61))


def test_register_of_a_child_unit_is_not_the_parent_heads(gialam_register, login):
    """Decided: a register is the unit's own book; the head of the parent follows the child through the cascade
    and reviews, not by reading its registers."""
    client = login(gialam_register.city_head)
    response = client.get(f"/directives/register/?unit={gialam_register.gialam.pk}&year=2019")
    assert (response.status_code, list(response.context["entries"])) == (200, [])
    assert client.get(f"/directives/register.xlsx?unit={gialam_register.gialam.pk}&year=2019").status_code == 404


# ---------------------------------------------------------------- incoming numbers


def test_deliveries_take_incoming_numbers_per_unit_and_restart_each_year(tree, make_document):
    first = _to_gialam(make_document, tree)
    second = _to_gialam(make_document, tree, issued_on=dt.date(2019, 12, 31))
    # Donganh alone receives a third one; Gia Lâm's next one arrives in the new year.
    make_document(
        unit=tree.federation,
        by=tree.city_officer,
        issue=True,
        issued_on=dt.date(2020, 1, 2),
        addressee_mode=AddresseeMode.UNITS,
        addressee_units=[tree.donganh],
    )
    third = _to_gialam(make_document, tree, issued_on=dt.date(2020, 1, 3))

    def numbers(unit):
        return list(
            Delivery.objects.filter(unit=unit)
            .order_by("delivered_at")
            .values_list("document_id", "incoming_year", "incoming_number")
        )

    assert numbers(tree.gialam) == [(first.pk, 2019, 1), (second.pk, 2019, 2), (third.pk, 2020, 1)]
    assert [n[1:] for n in numbers(tree.donganh)] == [(2019, 1), (2019, 2), (2020, 1), (2020, 2)]
    assert set(IncomingRegister.objects.filter(unit=tree.gialam).values_list("year", "last_number")) == {
        (2019, 2),
        (2020, 1),
    }


def test_a_subtree_delivery_numbers_every_recipient_at_once(tree, make_document):
    make_document(unit=tree.gialam, by=tree.gialam_officer, issue=True)  # to gl1 and gl2
    make_document(unit=tree.federation, by=tree.city_officer, issue=True)  # to the whole subtree
    assert sorted(Delivery.objects.filter(unit=tree.gl1).values_list("incoming_number", flat=True)) == [1, 2]
    assert list(Delivery.objects.filter(unit=tree.direct).values_list("incoming_number", flat=True)) == [1]


# ---------------------------------------------------------------- the incoming register page


@pytest.fixture
def received(tree, make_document):
    """Gia Lâm received two plans from the city federation and one from the city committee, in 2019."""
    _to_gialam(make_document, tree, subject="Tuyên truyền cải cách")
    _to_gialam(make_document, tree, issued_on=dt.date(2019, 4, 2), subject="Đối thoại với đoàn viên")
    committee_officer = _member(tree.city, "ubnd.officer@example.vn")
    make_document(
        unit=tree.city,
        by=committee_officer,
        issue=True,
        issued_on=dt.date(2019, 5, 6),
        subject="Kiểm soát thủ tục hành chính",
        addressee_mode=AddresseeMode.UNITS,
        addressee_units=[tree.gialam],
    )
    return tree


def _member(unit, email):
    return member(unit, Role.OFFICER, UserFactory(email=email))


def test_incoming_register_search_and_filters(received, login, django_assert_max_num_queries):
    tree = received
    client = login(tree.gialam_officer)
    base = f"/directives/incoming/?unit={tree.gialam.pk}&year=2019"
    with django_assert_max_num_queries(12):
        response = client.get(base)
    assert response.status_code == 200
    assert [(d.incoming_number, d.document.subject) for d in response.context["entries"]] == [
        (1, "Tuyên truyền cải cách"),
        (2, "Đối thoại với đoàn viên"),
        (3, "Kiểm soát thủ tục hành chính"),
    ]
    assert [d.incoming_number for d in client.get(f"{base}&number=2").context["entries"]] == [2]
    assert [d.incoming_number for d in client.get(f"{base}&issuer={tree.city.pk}").context["entries"]] == [3]
    assert [d.incoming_number for d in client.get(f"{base}&q=doi+thoai").context["entries"]] == [2]
    response = client.get(f"{base}&date_from=2019-04-01&date_to=2019-04-30")
    assert [d.incoming_number for d in response.context["entries"]] == [2]


def test_incoming_register_xlsx(received, login):
    tree = received
    response = login(tree.gialam_head).get(f"/directives/incoming.xlsx?unit={tree.gialam.pk}&year=2019&number=3")
    assert response["Content-Disposition"] == 'attachment; filename="so-van-ban-den-HN-LDLD-GIALAM-2019.xlsx"'
    rows = _xlsx_rows(response)
    assert rows[0][:4] == ("Số đến", "Ngày giờ đến", "Nơi gửi", "Số, ký hiệu")
    assert rows[1][:3] == (3, "06/05/2019 09:00", "Ủy ban nhân dân Thành phố Hà Nội")
    assert rows[1][5] == "Kiểm soát thủ tục hành chính"
    assert len(rows) == 2


def test_incoming_register_query_count_does_not_grow(tree, make_document, login, django_assert_max_num_queries):
    for i in range(12):
        _to_gialam(make_document, tree, subject=f"Văn bản {i}")
    delivery = Delivery.objects.filter(unit=tree.gialam).first()
    delivery_assign(delivery=delivery, assignee=tree.gialam_head, due_on=None, note="", by=tree.gialam_officer)
    client = login(tree.gialam_officer)
    with django_assert_max_num_queries(12):
        response = client.get(f"/directives/incoming/?unit={tree.gialam.pk}&year=2019")
    assert len(response.context["entries"]) == 12


def test_incoming_register_is_the_units_officers_only(received, login):
    tree = received
    query = f"?unit={tree.gialam.pk}&year=2019"
    for outsider in (tree.donganh_head, tree.city_head, tree.gl1_officer):
        client = login(outsider)
        response = client.get(f"/directives/incoming/{query}")
        assert (response.status_code, list(response.context["entries"])) == (200, [])
        assert client.get(f"/directives/incoming.xlsx{query}").status_code == 404
    response = login(tree.gialam_head).get(f"/directives/incoming/{query}")
    assert len(response.context["entries"]) == 3


# ---------------------------------------------------------------- giao xử lý


@pytest.fixture
def gialam_delivery(tree, make_document):
    document = _to_gialam(make_document, tree)
    return Delivery.objects.get(document=document, unit=tree.gialam)


def test_assign_to_a_colleague_notifies_her_and_leaves_history(
    tree, gialam_delivery, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        delivery = delivery_assign(
            delivery=gialam_delivery,
            assignee=tree.gialam_head,
            due_on=dt.date(2099, 1, 10),
            note="Chủ trì, báo cáo trước hạn",
            by=tree.gialam_officer,
        )
    delivery.refresh_from_db()
    assert (delivery.assignee, delivery.assignee_due_on, delivery.assigned_by) == (
        tree.gialam_head,
        dt.date(2099, 1, 10),
        tree.gialam_officer,
    )
    notification = Notification.objects.get(kind=NotificationKind.DIRECTIVE_ASSIGNED)
    assert (notification.recipient, notification.subject_id) == (tree.gialam_head, delivery.pk)
    row = delivery.history.latest("history_id")
    assert (row.assignee_id, row.history_user) == (tree.gialam_head.pk, tree.gialam_officer)


def test_reassign_keeps_both_assignments_in_history(tree, gialam_delivery, login):
    delivery_assign(delivery=gialam_delivery, assignee=tree.gialam_head, due_on=None, note="", by=tree.gialam_officer)
    delivery_assign(delivery=gialam_delivery, assignee=tree.gialam_officer, due_on=None, note="", by=tree.gialam_head)
    delivery_acknowledge(delivery=gialam_delivery, by=tree.gialam_officer)
    response = login(tree.gialam_officer).get(gialam_delivery.document.get_absolute_url())
    assignments = response.context["assignments"]
    assert [(a.assignee, a.by) for a in assignments] == [
        (tree.gialam_head, tree.gialam_officer),
        (tree.gialam_officer, tree.gialam_head),
    ]
    delivery = Delivery.objects.get(pk=gialam_delivery.pk)
    assert (delivery.acknowledged_by, delivery.read_by) == (tree.gialam_officer, tree.gialam_officer)


def test_assign_outside_the_unit_is_refused(tree, gialam_delivery, login):
    from campaign_portal.exceptions import PortalError

    with pytest.raises(PortalError) as refused:
        delivery_assign(
            delivery=gialam_delivery, assignee=tree.gl1_officer, due_on=None, note="", by=tree.gialam_officer
        )
    assert str(refused.value) == "Chỉ giao xử lý cho cán bộ của Liên đoàn Lao động huyện Gia Lâm."
    client = login(tree.gialam_officer)
    url = reverse("directives:delivery_assign", args=[gialam_delivery.pk])
    response = client.post(url, {"assignee": tree.gl1_officer.pk, "due_on": "", "note": ""}, follow=True)
    assert [str(m) for m in response.context["messages"]] == [
        "Chỉ giao xử lý cho cán bộ của Liên đoàn Lao động huyện Gia Lâm."
    ]
    assert Delivery.objects.get(pk=gialam_delivery.pk).assignee is None


def test_assign_view_officer_of_another_unit_gets_404(tree, gialam_delivery, login):
    url = reverse("directives:delivery_assign", args=[gialam_delivery.pk])
    data = {"assignee": tree.gialam_head.pk, "due_on": "2099-01-10", "note": ""}
    assert login(tree.donganh_head).post(url, data).status_code == 404
    assert Delivery.objects.get(pk=gialam_delivery.pk).assignee is None
    response = login(tree.gialam_officer).post(url, data)
    assert response.status_code == 302
    assert Delivery.objects.get(pk=gialam_delivery.pk).assignee == tree.gialam_head
    # A double submit: the same assignment, no second history row.
    count = gialam_delivery.history.count()
    login(tree.gialam_officer).post(url, data)
    assert gialam_delivery.history.count() == count


def test_assignee_sees_it_in_her_home_to_do(tree, gialam_delivery, login):
    delivery_assign(
        delivery=gialam_delivery,
        assignee=tree.gialam_head,
        due_on=dt.date(2099, 1, 10),
        note="Xử lý gấp",
        by=tree.gialam_officer,
    )
    body = login(tree.gialam_head).get("/me/").content.decode()
    assert "Văn bản được giao xử lý" in body
    assert "Xử lý gấp" in body
    assert "Văn bản được giao xử lý" not in login(tree.gialam_officer).get("/me/").content.decode()


def test_incoming_number_printed_on_the_received_document_page(tree, gialam_delivery, login):
    response = login(tree.gialam_officer).get(gialam_delivery.document.get_absolute_url())
    assert "Số đến 1, đến lúc 29/01/2019 09:00" in response.content.decode()
    assert at(PLAN_2019) == gialam_delivery.delivered_at
