import pytest

from campaign_portal.exceptions import PortalError
from contest import results
from contest.enums import EntryStatus
from contest.models import Award, PrizeTier

pytestmark = pytest.mark.django_db


def test_round_advance_by_codes_ignores_unknown_codes(scored):
    chosen = results.round_advance(
        contest=scored.contest, entry_codes=[scored.y.code, "KHONG-CO-9999"], by=scored.organiser
    )
    scored.x.refresh_from_db()
    scored.y.refresh_from_db()
    assert (chosen, scored.x.status, scored.y.status) == ([scored.y.pk], EntryStatus.JUDGED, EntryStatus.ADVANCED)


def test_awards_replace_moves_a_prize_between_two_entries_in_one_go(scored):
    results.round_advance(contest=scored.contest, entry_ids=[scored.x.pk, scored.y.pk], by=scored.organiser)
    first = PrizeTier.objects.get(group="individual", rank=1)  # quota 1
    results.awards_replace(contest=scored.contest, choices={scored.x.pk: first.pk}, by=scored.organiser)
    # The prize moves from X to Y: X's award goes first, so the quota of one is never exceeded.
    results.awards_replace(
        contest=scored.contest, choices={scored.x.pk: None, scored.y.pk: first.pk}, by=scored.organiser
    )
    assert list(Award.objects.values_list("entry__code", "tier__name")) == [(scored.y.code, "Giải Nhất")]


def test_awards_replace_refused_in_part_changes_nothing(scored):
    results.round_advance(contest=scored.contest, entry_ids=[scored.x.pk, scored.y.pk], by=scored.organiser)
    first, second = PrizeTier.objects.get(group="individual", rank=1), PrizeTier.objects.get(rank=2)
    results.awards_replace(contest=scored.contest, choices={scored.x.pk: second.pk}, by=scored.organiser)
    with pytest.raises(PortalError) as refused:
        results.awards_replace(
            contest=scored.contest, choices={scored.x.pk: first.pk, scored.y.pk: first.pk}, by=scored.organiser
        )
    assert str(refused.value) == f"{scored.y.code}: Đã đủ số giải “Giải Nhất” (1)."
    assert list(Award.objects.values_list("entry__code", "tier__name")) == [(scored.x.code, "Giải Nhì")]


def test_awards_replace_after_publication_is_refused(scored):
    results.round_advance(contest=scored.contest, entry_ids=[scored.x.pk], by=scored.organiser)
    first = PrizeTier.objects.get(group="individual", rank=1)
    results.awards_replace(contest=scored.contest, choices={scored.x.pk: first.pk}, by=scored.organiser)
    results.results_publish(contest=scored.contest, by=scored.organiser)
    with pytest.raises(PortalError) as refused:
        results.awards_replace(contest=scored.contest, choices={scored.x.pk: None}, by=scored.organiser)
    assert str(refused.value) == "Kết quả đã công bố: không sửa giải được nữa."
    assert Award.objects.count() == 1
