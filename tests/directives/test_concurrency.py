import threading

import pytest
from django.db import connection, connections

from directives.models import Document
from directives.services import document_issue

from .conftest import draft_data


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_issues_never_share_a_number(tree):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks")
    from directives.services import document_create

    drafts = [document_create(issuing_unit=tree.federation, by=tree.city_officer, data=draft_data()) for _ in range(8)]
    barrier = threading.Barrier(len(drafts))
    errors = []

    def issue(document):
        try:
            barrier.wait()
            document_issue(document=document, by=tree.city_officer)
        except Exception as error:  # collected and asserted below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=issue, args=(d,)) for d in drafts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    numbers = sorted(Document.objects.values_list("number", flat=True))
    assert numbers == list(range(1, 9))


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_deliveries_to_one_unit_get_different_incoming_numbers(tree):
    """Eight documents issued at once, all addressed to Gia Lâm and Đông Anh (in two orders, half of them
    to the directly attached union too): every delivery of a unit has its own
    incoming number, 1 to 8, and no issue deadlocks."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks")
    from directives.enums import AddresseeMode
    from directives.models import Delivery
    from directives.services import document_create

    drafts = [
        document_create(
            issuing_unit=tree.federation,
            by=tree.city_officer,
            data=draft_data(addressee_mode=AddresseeMode.UNITS, addressee_units=units),
        )
        for units in [[tree.gialam, tree.donganh], [tree.donganh, tree.gialam, tree.direct]] * 4
    ]
    barrier = threading.Barrier(len(drafts))
    errors = []

    def issue(document):
        try:
            barrier.wait()
            document_issue(document=document, by=tree.city_officer)
        except Exception as error:  # collected and asserted below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=issue, args=(d,)) for d in drafts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    for unit in (tree.gialam, tree.donganh):
        numbers = sorted(Delivery.objects.filter(unit=unit).values_list("incoming_number", flat=True))
        assert numbers == list(range(1, 9))
    assert sorted(Delivery.objects.filter(unit=tree.direct).values_list("incoming_number", flat=True)) == [1, 2, 3, 4]
