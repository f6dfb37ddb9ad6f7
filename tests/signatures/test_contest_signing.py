"""Contest certificates, rendered in the Celery batch, come out signed by the organising unit and are served as
stored; the SignedFile record holds the same bytes."""

import pytest
from django.urls import reverse
from pyhanko.sign.validation import validate_pdf_signature

from signatures.models import SignedFile
from signatures.stamps import ORGANISATION_FIELD
from tests.contest.conftest import contest_env  # noqa: F401 - the contest fixture
from tests.contest.test_views import _first_prize_winner

from .conftest import pdf_signatures, validation_context

pytestmark = pytest.mark.django_db


def test_certificate_batch_signs_each_certificate(
    contest_env,  # noqa: F811
    give_credential,
    login,
    test_pki,
    django_capture_on_commit_callbacks,
):
    from contest.models import Award

    unit = contest_env.contest.organising_unit or contest_env.tree.city
    give_credential(unit, contest_env.tree.admin)
    _first_prize_winner(contest_env)
    client = login(contest_env.organiser)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("contest:certificates", args=[contest_env.contest.slug]))
    award = Award.objects.get()
    data = client.get(reverse("contest:certificate", args=[contest_env.contest.slug, award.pk])).content
    (signature,) = pdf_signatures(data)
    status = validate_pdf_signature(signature, validation_context(test_pki))
    assert (signature.field_name, status.bottom_line) == (ORGANISATION_FIELD, True)
    record = SignedFile.objects.get(subject_key=f"contest.award:{award.pk}")
    assert (record.kind, record.file.read()) == ("certificate", data)
