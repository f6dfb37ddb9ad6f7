"""Django admin: a document's state and number, the registers and the deliveries change only through
directives.services."""

from django.urls import reverse

from directives.enums import DeliveryOutcome, DocumentStatus
from directives.models import Delivery, Register
from tests.admin_utils import admin_form_data


def _superuser(tree, login):
    tree.admin.is_superuser = True
    tree.admin.save()
    return login(tree.admin)


def test_admin_edits_a_draft_text_but_not_its_state_or_number(tree, login, make_document):
    draft = make_document(unit=tree.gialam, by=tree.gialam_officer)
    client = _superuser(tree, login)
    url = reverse("admin:directives_document_change", args=[draft.pk])
    data = admin_form_data(
        client.get(url),
        subject="Kế hoạch (sửa trong trang quản trị)",
        status=DocumentStatus.ISSUED,
        number="7",
        number_symbol="7/KH-LĐLĐ",
    )
    assert client.post(url, data).status_code == 302
    draft.refresh_from_db()
    assert (draft.subject, draft.status, draft.number, draft.number_symbol) == (
        "Kế hoạch (sửa trong trang quản trị)",
        DocumentStatus.DRAFT,
        None,
        "",
    )
    assert client.get(reverse("admin:directives_document_add")).status_code == 403


def test_admin_deliveries_and_registers_are_read_only(tree, login, make_document):
    document = make_document(unit=tree.gialam, by=tree.gialam_officer, issue=True)
    delivery = Delivery.objects.filter(document=document).first()
    register = Register.objects.get(unit=tree.gialam)
    client = _superuser(tree, login)
    delivery_url = reverse("admin:directives_delivery_change", args=[delivery.pk])
    assert delivery.lineage in client.get(delivery_url).content.decode()
    assert client.post(delivery_url, {"outcome": DeliveryOutcome.DONE}).status_code == 403
    register_url = reverse("admin:directives_register_change", args=[register.pk])
    assert client.post(register_url, {"last_number": "0"}).status_code == 403
    delivery.refresh_from_db()
    register.refresh_from_db()
    assert (delivery.outcome, register.last_number) == (DeliveryOutcome.PENDING, 1)
