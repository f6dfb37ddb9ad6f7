"""A received document as the grassroots officer meets it: any opening records the unit's reading (a POST from
the page, never the GET), what she may do is offered and nothing else, overdue work is badged on her home page."""

import pytest
from django.urls import reverse
from django.utils import timezone

from directives.enums import AddresseeMode
from directives.models import Delivery

from ..factories import UserFactory, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def received(tree, make_document):
    """Gia Lâm's plan of 2019 (task due 30/09/2019), delivered to its two grassroots unions."""
    document = make_document(unit=tree.gialam, by=tree.gialam_officer, issue=True)
    return document, Delivery.objects.get(document=document, unit=tree.gl1)


def _page(client, user, document) -> str:
    client.force_login(user)
    response = client.get(reverse("directives:document_detail", args=[document.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_document_page_offers_the_read_post_and_its_script_without_writing(client, tree, received):
    document, delivery = received
    page = _page(client, tree.gl1_officer, document)
    action = reverse("directives:delivery_open", args=[delivery.pk])
    assert f'<form method="post" action="{action}" class="mb-2" data-record-read' in page
    assert "/static/directives/record-read.js" in page
    delivery.refresh_from_db()
    assert delivery.read_at is None  # the GET wrote nothing


def test_page_post_records_the_first_opening_once(client, tree, received):
    document, delivery = received
    client.force_login(tree.gl1_officer)
    url = reverse("directives:delivery_open", args=[delivery.pk])
    first = client.post(url, headers={"X-Requested-With": "fetch"})
    assert first.status_code == 200
    delivery.refresh_from_db()
    assert first.json() == {"read_at": delivery.read_at.isoformat()}
    read_at = delivery.read_at
    client.post(url, headers={"X-Requested-With": "fetch"})
    delivery.refresh_from_db()
    assert (delivery.read_at, delivery.history.filter(read_at__isnull=False).count()) == (read_at, 1)
    assert "data-record-read" not in _page(client, tree.gl1_officer, document)


def test_no_javascript_button_posts_and_returns_to_the_document(client, tree, received):
    document, delivery = received
    client.force_login(tree.gl1_officer)
    response = client.post(reverse("directives:delivery_open", args=[delivery.pk]))
    assert (response.status_code, response["Location"]) == (302, document.get_absolute_url())
    delivery.refresh_from_db()
    assert delivery.read_at is not None


def test_officer_of_another_unit_cannot_record_the_reading(client, tree, received):
    document, delivery = received
    client.force_login(tree.da1_officer)
    response = client.post(
        reverse("directives:delivery_open", args=[delivery.pk]), headers={"X-Requested-With": "fetch"}
    )
    assert response.status_code == 404
    delivery.refresh_from_db()
    assert delivery.read_at is None


def test_issuer_reading_its_own_document_is_not_asked_to_record(client, tree, received):
    document, _delivery = received
    assert "data-record-read" not in _page(client, tree.gialam_officer, document)


def test_union_without_subordinate_units_is_not_offered_an_implementing_draft(client, tree, received):
    document, _delivery = received
    page = _page(client, tree.gl1_officer, document)
    assert "Soạn văn bản triển khai cho đơn vị trực thuộc" not in page
    assert '<a class="btn btn-primary" href="' in page and "Báo cáo đã thực hiện / không áp dụng</a>" in page
    assert (
        'class="btn btn-outline-primary" href="{}">Bản PDF</a>'.format(
            reverse("directives:document_pdf", args=[document.pk])
        )
        in page
    )


def test_union_with_subordinate_units_is_offered_an_implementing_draft(client, tree, make_document):
    document = make_document(
        unit=tree.federation, by=tree.city_officer, issue=True, addressee_mode=AddresseeMode.SUBTREE
    )
    assert Delivery.objects.filter(document=document, unit=tree.gialam).exists()
    assert "Soạn văn bản triển khai cho đơn vị trực thuộc" in _page(client, tree.gialam_officer, document)


def test_home_panel_badges_overdue_documents_and_links_them(client, tree, received):
    document, delivery = received
    days = (timezone.localdate() - delivery.due_on).days
    client.force_login(tree.gl1_officer)
    home = client.get(reverse("home")).content.decode()
    assert f'<a href="{document.get_absolute_url()}">{document.number_symbol}</a>' in home
    assert home.count(f"Quá hạn {days} ngày") == 1


@pytest.mark.parametrize("documents", [1, 5])
def test_home_page_queries_do_not_grow_with_received_documents(
    client, tree, make_document, documents, django_assert_max_num_queries
):
    member(tree.gl1, "head", UserFactory())
    for _ in range(documents):
        make_document(unit=tree.gialam, by=tree.gialam_officer, issue=True)
    client.force_login(tree.gl1_officer)
    with django_assert_max_num_queries(25):
        assert client.get(reverse("home")).status_code == 200


@pytest.mark.parametrize("documents", [1, 5])
def test_inbox_queries_do_not_grow_with_received_documents(
    client, tree, make_document, documents, django_assert_max_num_queries
):
    for _ in range(documents):
        make_document(unit=tree.gialam, by=tree.gialam_officer, issue=True)
    client.force_login(tree.gl1_officer)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("directives:inbox")).content.decode()
    assert page.count('data-label="Đơn vị nhận"') == documents
