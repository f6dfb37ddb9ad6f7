"""The state machines of documents and deliveries: every allowed move through the services, with its history row;
every other move refused with PortalError and no history row (directives.enums *_TRANSITIONS)."""

import datetime as dt
import itertools

import pytest

from campaign_portal.exceptions import PortalError
from directives import scale
from directives.deliveries import (
    deliveries_set_outcome,
    delivery_acknowledge,
    delivery_mark_done,
    delivery_mark_not_applicable,
    delivery_open,
)
from directives.enums import (
    DELIVERY_TRANSITIONS,
    DOCUMENT_TRANSITIONS,
    AddresseeMode,
    DeliveryOutcome,
    DocumentStatus,
)
from directives.models import Delivery, Document
from directives.services import (
    document_draft_implementing,
    document_issue,
    document_prepare_signing,
    document_set_state,
    document_update,
    draft_data_from,
)

from .conftest import at

pytestmark = pytest.mark.django_db

DAY = dt.date(2019, 3, 27)


def _pairs(transitions: dict) -> tuple[list, list]:
    states = list(transitions)
    allowed = [(a, b) for a in states for b in transitions[a]]
    forbidden = [(a, b) for a, b in itertools.product(states, states) if b not in transitions[a]]
    return allowed, forbidden


# ---------------------------------------------------------------- documents


def test_document_transitions_cover_every_status():
    assert set(DOCUMENT_TRANSITIONS) == set(DocumentStatus.values)
    assert sorted(_pairs(DOCUMENT_TRANSITIONS)[0]) == sorted(
        [
            (DocumentStatus.DRAFT, DocumentStatus.ISSUED),
            (DocumentStatus.DRAFT, DocumentStatus.AWAITING_SIGNATURE),
            (DocumentStatus.AWAITING_SIGNATURE, DocumentStatus.ISSUED),
        ]
    )


def _awaiting_signature(tree, make_document):
    """A document numbered for its signer: the federation has a credential that needs her signature."""
    from signatures import pki
    from signatures.credentials import credential_save_pkcs12

    root = pki.make_root_ca(common_name="CA gốc thử nghiệm")
    issued = pki.make_organisation_certificate(issuer=root, organisation=tree.federation.name)
    data = pki.pkcs12_bytes(issued.key, issued.certificate, [root.certificate], "pw")
    credential_save_pkcs12(unit=tree.federation, pkcs12_data=data, passphrase="pw", by=tree.admin)
    document = make_document(unit=tree.federation, by=tree.city_officer, addressee_mode=AddresseeMode.SUBTREE)
    return document_prepare_signing(document=document, by=tree.city_officer, now=at(DAY))


def test_document_prepare_signing_walks_draft_to_awaiting_signature_with_history(tree, make_document):
    document = _awaiting_signature(tree, make_document)
    document.refresh_from_db()
    assert (document.status, document.number_symbol) == (DocumentStatus.AWAITING_SIGNATURE, "01/KH-LĐLĐ")
    statuses = list(document.history.order_by("history_date", "history_id").values_list("status", "history_user"))
    assert statuses[-2:] == [(DocumentStatus.DRAFT, None), (DocumentStatus.AWAITING_SIGNATURE, tree.city_officer.pk)]


def test_document_issue_walks_draft_to_issued_with_history(tree, make_document):
    document = make_document(unit=tree.federation, by=tree.city_officer, addressee_mode=AddresseeMode.SUBTREE)
    document_issue(document=document, by=tree.city_officer, now=at(DAY))
    document.refresh_from_db()
    assert (document.status, document.number_symbol, document.issued_by) == (
        DocumentStatus.ISSUED,
        "01/KH-LĐLĐ",
        tree.city_officer,
    )
    statuses = list(document.history.order_by("history_date", "history_id").values_list("status", "history_user"))
    assert statuses[-2:] == [(DocumentStatus.DRAFT, None), (DocumentStatus.ISSUED, tree.city_officer.pk)]


@pytest.mark.parametrize("pair", _pairs(DOCUMENT_TRANSITIONS)[1], ids=lambda p: f"{p[0]}->{p[1]}")
def test_document_forbidden_move_refused_without_history(tree, make_document, pair):
    source, target = pair
    if source == DocumentStatus.AWAITING_SIGNATURE:
        document = _awaiting_signature(tree, make_document)
    else:
        document = make_document(
            unit=tree.federation,
            by=tree.city_officer,
            issue=source == DocumentStatus.ISSUED,
            addressee_mode=AddresseeMode.SUBTREE,
        )
    rows = document.history.count()
    with pytest.raises(PortalError) as error:
        document_set_state(document=document, to=target, by=tree.city_officer)
    assert str(error.value.message) == (
        f"Không thể chuyển văn bản từ trạng thái “{DocumentStatus(source).label}” "
        f"sang “{DocumentStatus(target).label}”."
    )
    assert (Document.objects.get(pk=document.pk).status, document.history.count()) == (source, rows)


def test_document_issue_by_an_outsider_refused_without_history(tree, make_document):
    document = make_document(unit=tree.federation, by=tree.city_officer, addressee_mode=AddresseeMode.SUBTREE)
    rows = document.history.count()
    with pytest.raises(PortalError) as error:
        document_issue(document=document, by=tree.gialam_officer, now=at(DAY))
    assert str(error.value.message) == "Bạn không có quyền ban hành văn bản của đơn vị này."
    assert (Document.objects.get(pk=document.pk).status, document.history.count()) == (DocumentStatus.DRAFT, rows)
    assert Delivery.objects.filter(document=document).count() == 0


# ---------------------------------------------------------------- deliveries


@pytest.fixture
def plan(tree, make_document):
    return make_document(unit=tree.federation, by=tree.city_officer, issue=True, addressee_mode=AddresseeMode.SUBTREE)


def _delivery(document, unit) -> Delivery:
    return Delivery.objects.get(document=document, unit=unit)


def _implemented_by_document(tree, plan) -> Delivery:
    delivery = _delivery(plan, tree.gialam)
    draft = document_draft_implementing(delivery=delivery, by=tree.gialam_officer, today=DAY)
    document_issue(document=draft, by=tree.gialam_officer, now=at(DAY, 15))
    return _delivery(plan, tree.gialam)


def _in_state(tree, plan, outcome) -> Delivery:
    """A delivery brought to an outcome through the services."""
    if outcome == DeliveryOutcome.BY_DOCUMENT:
        return _implemented_by_document(tree, plan)
    delivery = _delivery(plan, tree.gl1)
    if outcome == DeliveryOutcome.DONE:
        delivery_mark_done(delivery=delivery, by=tree.gl1_officer, result_note="Đã tuyên truyền.", now=at(DAY))
    elif outcome == DeliveryOutcome.NOT_APPLICABLE:
        delivery_mark_not_applicable(delivery=delivery, by=tree.gl1_officer, reason="Không có đoàn viên.", now=at(DAY))
    return _delivery(plan, tree.gl1)


def test_delivery_transitions_cover_every_outcome():
    assert set(DELIVERY_TRANSITIONS) == set(DeliveryOutcome.values)
    assert sorted(_pairs(DELIVERY_TRANSITIONS)[0]) == sorted(
        [
            (DeliveryOutcome.PENDING, DeliveryOutcome.DONE),
            (DeliveryOutcome.PENDING, DeliveryOutcome.BY_DOCUMENT),
            (DeliveryOutcome.PENDING, DeliveryOutcome.NOT_APPLICABLE),
        ]
    )


@pytest.mark.parametrize(
    "outcome", [DeliveryOutcome.DONE, DeliveryOutcome.NOT_APPLICABLE, DeliveryOutcome.BY_DOCUMENT], ids=str
)
def test_delivery_allowed_move_through_the_service_with_history(tree, plan, outcome):
    delivery = _in_state(tree, plan, outcome)
    officer = tree.gialam_officer if outcome == DeliveryOutcome.BY_DOCUMENT else tree.gl1_officer
    completed_at = at(DAY, 15) if outcome == DeliveryOutcome.BY_DOCUMENT else at(DAY)
    assert (delivery.outcome, delivery.completed_by, delivery.completed_at, delivery.acknowledged_at) == (
        outcome,
        officer,
        completed_at,
        completed_at,
    )
    rows = list(delivery.history.order_by("history_date", "history_id").values_list("outcome", "history_user"))
    assert rows == [(outcome, officer.pk)]  # deliveries are created in bulk at issue: the first row is the move


@pytest.mark.parametrize("pair", _pairs(DELIVERY_TRANSITIONS)[1], ids=lambda p: f"{p[0]}->{p[1]}")
def test_delivery_forbidden_move_refused_without_history(tree, plan, pair):
    source, target = pair
    delivery = _in_state(tree, plan, source)
    rows = delivery.history.count()
    with pytest.raises(PortalError) as error:
        deliveries_set_outcome(deliveries=[delivery], to=target, by=tree.gl1_officer, now=at(DAY, 16))
    if source == DeliveryOutcome.PENDING:
        assert (
            str(error.value.message) == "Không thể chuyển kết quả thực hiện từ “Chưa thực hiện” sang “Chưa thực hiện”."
        )
    else:
        assert str(error.value.message) == "Đơn vị đã báo cáo thực hiện văn bản này."
    fresh = Delivery.objects.get(pk=delivery.pk)
    assert (fresh.outcome, fresh.history.count()) == (source, rows)


def test_delivery_mark_done_twice_refused_without_a_second_history_row(tree, plan):
    delivery = _in_state(tree, plan, DeliveryOutcome.DONE)
    with pytest.raises(PortalError):
        delivery_mark_not_applicable(delivery=delivery, by=tree.gl1_officer, reason="Nhầm.", now=at(DAY, 16))
    assert list(delivery.history.values_list("outcome", flat=True)) == [DeliveryOutcome.DONE]


def test_delivery_open_and_acknowledge_leave_one_history_row_each(tree, plan):
    delivery = _delivery(plan, tree.gl1)
    delivery_open(delivery=delivery, by=tree.gl1_officer, now=at(DAY, 10))
    delivery_open(delivery=_delivery(plan, tree.gl1), by=tree.gl1_officer, now=at(DAY, 11))
    delivery_acknowledge(delivery=delivery, by=tree.gl1_officer, now=at(DAY, 14))
    delivery_acknowledge(delivery=delivery, by=tree.gl1_officer, now=at(DAY, 15))
    rows = list(
        delivery.history.order_by("history_date", "history_id").values_list(
            "read_at", "acknowledged_at", "acknowledged_by", "outcome"
        )
    )
    assert rows == [
        (at(DAY, 10), None, None, DeliveryOutcome.PENDING),
        (at(DAY, 10), at(DAY, 14), tree.gl1_officer.pk, DeliveryOutcome.PENDING),
    ]


def test_issuing_an_implementing_document_completes_many_deliveries_in_bulk_with_history(tree, make_document):
    """Two plans received by Gia Lâm, one guidance implementing both: both deliveries move in one bulk save."""
    plans = [
        make_document(
            unit=tree.federation,
            by=tree.city_officer,
            issue=True,
            addressee_mode=AddresseeMode.SUBTREE,
            subject=f"Kế hoạch thử {i}",
        )
        for i in (1, 2)
    ]
    draft = document_draft_implementing(delivery=_delivery(plans[0], tree.gialam), by=tree.gialam_officer, today=DAY)
    data = draft_data_from(draft)
    data.implements = plans  # the second plan cited too, as in the edit form
    document_update(document=draft, by=tree.gialam_officer, data=data)
    document_issue(document=draft, by=tree.gialam_officer, now=at(DAY, 15))
    for plan_ in plans:
        delivery = _delivery(plan_, tree.gialam)
        assert (delivery.outcome, delivery.implementing_document_id) == (DeliveryOutcome.BY_DOCUMENT, draft.pk)
        assert list(delivery.history.values_list("outcome", "implementing_document", "history_user")) == [
            (DeliveryOutcome.BY_DOCUMENT, draft.pk, tree.gialam_officer.pk)
        ]


def test_scale_progress_goes_through_the_bulk_mover_with_history(tree):
    scale.generate()
    document = Document.objects.get(subject=scale.SCALE_SUBJECT)
    deliveries = list(Delivery.objects.filter(document=document).order_by("pk"))
    done = deliveries[::5]
    acknowledged = {d.pk for d in deliveries[::3]} | {d.pk for d in done}
    assert [d.outcome for d in done] == [DeliveryOutcome.DONE] * len(done)
    assert sorted(d.pk for d in deliveries if d.acknowledged_at) == sorted(acknowledged)
    assert Delivery.history.filter(document=document).count() == len(acknowledged)
    assert Delivery.history.filter(document=document, outcome=DeliveryOutcome.DONE).count() == len(done)
