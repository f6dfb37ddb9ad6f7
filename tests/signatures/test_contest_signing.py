"""Contest certificates, rendered in the Celery batch, come out signed by the organising unit and are served as
stored; the SignedFile record holds the same bytes. The receipt is numbered at submission and signed by a worker
(or by its e-mail, whichever comes first); the award decision is signed and stored when the results are published."""

import pytest
from django.urls import reverse
from pyhanko.sign.validation import validate_pdf_signature

from signatures.models import SignedFile
from signatures.stamps import ORGANISATION_FIELD
from tests.contest.conftest import contest_env, make_entrant, make_entry, scored  # noqa: F401 - contest fixtures
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


def _valid_organisation_signature(data: bytes, test_pki) -> bool:
    (signature,) = pdf_signatures(data)
    status = validate_pdf_signature(signature, validation_context(test_pki))
    return signature.field_name == ORGANISATION_FIELD and status.bottom_line


def test_receipt_is_signed_after_submission_and_served_as_stored(
    contest_env,  # noqa: F811
    give_credential,
    login,
    test_pki,
    django_capture_on_commit_callbacks,
):
    give_credential(contest_env.tree.city, contest_env.tree.admin)  # no organising unit: the city issues it
    entrant = make_entrant(contest_env.contest, name="Tác Giả Ký Số")
    with django_capture_on_commit_callbacks(execute=True):  # the signing task the submission queues
        entry = make_entry(entrant)
    record = SignedFile.objects.get(subject_key=f"contest.entry:{entry.pk}")
    assert (record.kind, record.number_symbol) == ("receipt", "01/GBN-BTC")
    data = login(entrant.user).get(reverse("contest:entry_receipt", args=[entry.pk])).content
    assert data == record.file.read()
    assert _valid_organisation_signature(data, test_pki)


def test_receipt_mail_signs_the_receipt_if_the_worker_has_not_and_the_task_then_adds_nothing(
    contest_env,  # noqa: F811
    give_credential,
    test_pki,
):
    from contest import emails, tasks
    from contest.services import entry_submit
    from notifications.models import Notification

    give_credential(contest_env.tree.city, contest_env.tree.admin)
    entrant = make_entrant(contest_env.contest, name="Tác Giả Thư Trước")
    draft = make_entry(entrant, submit=False)
    entry = entry_submit(entry=draft, by=entrant.user)  # the commit's tasks (signing, the mail) not run yet
    assert not SignedFile.objects.filter(subject_key=f"contest.entry:{entry.pk}").exists()
    notification = Notification.objects.get(subject_id=entry.pk, kind="contest_receipt")
    message = emails.receipt(notification, to=entrant.user.email)
    ((_name, attached, _mime),) = message.attachments
    record = SignedFile.objects.get(subject_key=f"contest.entry:{entry.pk}")
    assert attached == record.file.read()
    assert _valid_organisation_signature(attached, test_pki)
    tasks.receipt_sign(entry_id=entry.pk)
    assert SignedFile.objects.filter(subject_key=f"contest.entry:{entry.pk}").count() == 1


def test_award_decision_is_a_draft_until_published_then_signed_and_served_as_stored(
    scored,  # noqa: F811
    give_credential,
    login,
    test_pki,
):
    from contest import results
    from contest.models import PrizeTier

    contest = scored.contest
    give_credential(scored.tree.city, scored.tree.admin)
    results.round_advance(contest=contest, entry_ids=[scored.x.pk], by=scored.organiser)
    first = PrizeTier.objects.get(group="individual", rank=1)
    results.awards_replace(contest=contest, choices={scored.x.pk: first.pk}, by=scored.organiser)
    client = login(scored.organiser)
    url = reverse("contest:award_decision", args=[contest.slug])
    draft = client.get(url)
    assert "du-thao" in draft["Content-Disposition"]
    assert pdf_signatures(draft.content) == []
    assert not SignedFile.objects.filter(subject_key=f"contest.contest:{contest.pk}").exists()
    results.results_publish(contest=contest, by=scored.organiser)
    results.results_publish(contest=contest, by=scored.organiser)  # a second click: one file
    (record,) = SignedFile.objects.filter(subject_key=f"contest.contest:{contest.pk}")
    assert (record.kind, record.number_symbol) == ("award_decision", "03/QĐ-BTC")
    data = client.get(url).content
    assert data == record.file.read()
    assert _valid_organisation_signature(data, test_pki)


def test_sweep_signs_a_receipt_whose_task_was_lost(contest_env, django_capture_on_commit_callbacks):  # noqa: F811
    import datetime as dt

    from django.utils import timezone

    from notifications.tasks import sweep

    entry = make_entry(make_entrant(contest_env.contest, name="Tác Giả Mất Việc"))  # its signing task never ran
    assert sweep()["caught_up"] == 0  # a fresh submission is left to its own task
    later = (timezone.now() + dt.timedelta(minutes=30)).isoformat()
    with django_capture_on_commit_callbacks(execute=True):
        assert sweep(now=later)["caught_up"] == 1
    assert SignedFile.objects.filter(subject_key=f"contest.entry:{entry.pk}", kind="receipt").count() == 1
    assert sweep(now=later)["caught_up"] == 0
