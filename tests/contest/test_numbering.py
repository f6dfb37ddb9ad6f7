"""The contest's papers take their numbers from the organising unit's outgoing register when they are issued:
receipts at submission, the award decision at publication, a round's results minutes at their first request."""

import io

import pypdf

from contest import background_documents, results
from contest.documents import award_decision_pdf, receipt_pdf, round_results_pdf
from contest.models import Entry, PrizeTier
from directives.enums import RegisterEntryKind
from directives.models import RegisterEntry

from .conftest import make_entrant, make_entry


def _text(pdf: bytes) -> str:
    return " ".join(" ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages).split())


def _lines(unit):
    return list(
        RegisterEntry.objects.filter(register__unit=unit)
        .order_by("number")
        .values_list("number", "number_symbol", "kind", "subject_key")
    )


def test_receipts_numbered_at_submission_in_the_organising_units_register(contest_env):
    env = contest_env
    env.contest.organising_unit = env.tree.gialam
    env.contest.save()
    first = make_entry(make_entrant(env.contest, name="Tác Giả Một"))
    draft = make_entry(make_entrant(env.contest, name="Tác Giả Hai"), submit=False)
    second = make_entry(make_entrant(env.contest, name="Tác Giả Ba"))
    assert _lines(env.tree.gialam) == [
        (1, "01/GBN-BTC", RegisterEntryKind.CONTEST_RECEIPT, f"contest.entry:{first.pk}"),
        (2, "02/GBN-BTC", RegisterEntryKind.CONTEST_RECEIPT, f"contest.entry:{second.pk}"),
    ]
    line = RegisterEntry.objects.get(subject_key=f"contest.entry:{first.pk}")
    assert line.summary == f"Biên nhận bài dự thi {first.code} – Cuộc thi “{env.contest.name}”"
    assert line.recipients == "Tác Giả Một"
    text = _text(receipt_pdf(entry=Entry.objects.select_related("contest").get(pk=second.pk)))
    assert "Số: 02/GBN-BTC" in text
    assert draft.code is None


def test_contest_without_organising_unit_numbers_in_the_top_units_register(contest_env):
    entry = make_entry(make_entrant(contest_env.contest))
    assert _lines(contest_env.tree.city) == [
        (1, "01/GBN-BTC", RegisterEntryKind.CONTEST_RECEIPT, f"contest.entry:{entry.pk}")
    ]


def test_award_decision_numbered_when_results_are_published(scored):
    contest = scored.contest
    assert "/QĐ-BTC" not in _text(award_decision_pdf(contest=contest, awards=[]))
    results.round_advance(contest=contest, entry_ids=[scored.x.pk], by=scored.organiser)
    first = PrizeTier.objects.get(group="individual", rank=1)
    results.awards_replace(contest=contest, choices={scored.x.pk: first.pk}, by=scored.organiser)
    results.results_publish(contest=contest, by=scored.organiser)
    results.results_publish(contest=contest, by=scored.organiser)  # a second click: no second number
    city = scored.tree.city
    assert _lines(city)[-1] == (3, "03/QĐ-BTC", RegisterEntryKind.AWARD_DECISION, f"contest.contest:{contest.pk}")
    assert len(_lines(city)) == 3  # the two receipts, then the decision
    assert "Số: 03/QĐ-BTC" in _text(award_decision_pdf(contest=contest, awards=[]))


def test_round_results_numbered_once_at_the_first_request(scored):
    round_ = scored.prelim
    background_documents.round_results_request(round_=round_, by=scored.organiser)
    background_documents.round_results_request(round_=round_, by=scored.organiser)
    city = scored.tree.city
    assert _lines(city)[-1] == (3, "03/BB-BGK", RegisterEntryKind.ROUND_RESULTS, f"contest.round:{round_.pk}")
    assert len(_lines(city)) == 3
    assert "Số: 03/BB-BGK" in _text(round_results_pdf(round_=round_))
