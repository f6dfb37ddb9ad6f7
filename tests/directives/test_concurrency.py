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
