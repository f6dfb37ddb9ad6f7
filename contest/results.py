"""Writes after the judging: advancing to the final, its schedule, prizes, publication of the results.

The reads they rely on (rankings, final results, the proposed awards) are in contest.ranking.
"""

from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from campaign_portal.exceptions import PortalError

from .enums import FINALIST_STATUSES, RANKED_STATUSES, EntryStatus, RoundKind
from .models import Award, Contest, Entry, FinalSlot, PrizeTier, Round
from .numbering import award_decision_number
from .ranking import contest_round, final_results, round_scores
from .rules import contest_awards_editable
from .signals import results_published
from .signing import award_decision_sign
from .states import entries_set_state


@transaction.atomic
def round_advance(
    *,
    contest: Contest,
    entry_ids: list[int] | None = None,
    entry_codes: list[str] | None = None,
    top_n: int | None = None,
    by=None,
) -> list[int]:
    """Send the chosen entries (by id or by code, or the top N by raw score) to the final; the rest become
    'judged'."""
    preliminary = contest_round(contest, RoundKind.PRELIMINARY)
    if entry_codes:
        entry_ids = list(Entry.objects.filter(contest=contest, code__in=entry_codes).values_list("pk", flat=True))
    if entry_ids is None:
        if not top_n:
            raise PortalError(_("Chọn số bài vào chung khảo hoặc chọn từng bài."))
        entry_ids = [row.entry_id for row in round_scores(preliminary)[:top_n]]
    entry_ids = list(entry_ids)
    chosen = set(entry_ids)
    ranked = list(Entry.objects.select_for_update().filter(contest=contest, status__in=RANKED_STATUSES))
    # Only the entries whose status changes move (and get a history row).
    entries_set_state(
        entries=[e for e in ranked if e.pk not in chosen and e.status != EntryStatus.JUDGED],
        to=EntryStatus.JUDGED,
        by=by,
    )
    entries_set_state(
        entries=[e for e in ranked if e.pk in chosen and e.status != EntryStatus.ADVANCED],
        to=EntryStatus.ADVANCED,
        by=by,
    )
    return entry_ids


@transaction.atomic
def final_schedule(*, contest: Contest, starts_at, entry_ids: list[int] | None = None, by=None) -> list[FinalSlot]:
    """Timed slots (presentation + questions) for the finalists, in the given order (default: by code)."""
    final = contest_round(contest, RoundKind.FINAL)
    finalists = {e.pk: e for e in Entry.objects.filter(contest=contest, status=EntryStatus.ADVANCED)}
    order = [pk for pk in (entry_ids or sorted(finalists, key=lambda pk: finalists[pk].code)) if pk in finalists]
    FinalSlot.objects.filter(round=final).delete()
    length = timedelta(minutes=final.presentation_minutes + final.questions_minutes)
    slots = [
        FinalSlot(
            round=final, entry_id=pk, order=i, starts_at=starts_at + (i - 1) * length, ends_at=starts_at + i * length
        )
        for i, pk in enumerate(order, start=1)
    ]
    FinalSlot.objects.bulk_create(slots)
    final = Round.objects.select_for_update().get(pk=final.pk)
    final.final_starts_at = starts_at
    if by is not None:
        final._history_user = by
    final.save(update_fields=["final_starts_at"])
    return slots


@transaction.atomic
def award_set(*, entry: Entry, tier: PrizeTier | None, by=None) -> Award | None:
    entry = Entry.objects.select_for_update().select_related("contest").get(pk=entry.pk)
    if not contest_awards_editable(entry.contest):
        raise PortalError(_("Kết quả đã công bố: không sửa giải được nữa."))
    if tier is None:
        Award.objects.filter(entry=entry).delete()
        return None
    if entry.status not in FINALIST_STATUSES:
        raise PortalError(_("Chỉ bài vào chung khảo được trao giải."))
    PrizeTier.objects.select_for_update().get(pk=tier.pk)
    given = Award.objects.filter(tier=tier).exclude(entry=entry).count()
    if given >= tier.quota:
        raise PortalError(_("Đã đủ số giải “%(t)s” (%(n)s).") % {"t": tier.name, "n": tier.quota})
    combined = next((r.combined for r in final_results(entry.contest) if r.entry.pk == entry.pk), None)
    award, _created = Award.objects.update_or_create(
        entry=entry, defaults={"tier": tier, "final_score": None if combined is None else round(Decimal(combined), 3)}
    )
    return award


@transaction.atomic
def awards_replace(*, contest: Contest, choices: dict[int, int | None], by=None) -> None:
    """The organisers' prize table saved at once: {entry id: tier id or None} for the finalists.

    Removals first, then the prizes given, so that moving a prize between two entries does not trip
    the quota. All or nothing: any refusal undoes the whole table and names every refused entry."""
    if not contest_awards_editable(Contest.objects.select_for_update().get(pk=contest.pk)):
        raise PortalError(_("Kết quả đã công bố: không sửa giải được nữa."))
    tiers = {t.pk: t for t in PrizeTier.objects.filter(contest=contest)}
    entries = Entry.objects.filter(contest=contest, status__in=FINALIST_STATUSES).order_by("code", "pk")
    wanted = [(entry, tiers.get(choices.get(entry.pk) or 0)) for entry in entries]
    errors = []
    for entry, tier in sorted(wanted, key=lambda pair: pair[1] is not None):
        try:
            award_set(entry=entry, tier=tier, by=by)
        except PortalError as error:
            errors.append(f"{entry.code}: {error}")
    if errors:
        raise PortalError(" ".join(errors))


@transaction.atomic
def results_publish(*, contest: Contest, by=None) -> Contest:
    contest = Contest.objects.select_for_update().get(pk=contest.pk)
    if contest.results_published:
        return contest
    if not Award.objects.filter(entry__contest=contest).exists():
        raise PortalError(_("Chưa có giải nào được trao."))
    entries_set_state(
        entries=Entry.objects.select_for_update()
        .filter(contest=contest, award__isnull=False)
        .exclude(status=EntryStatus.PRIZE),
        to=EntryStatus.PRIZE,
        by=by,
    )
    contest.results_published_at = timezone.now()
    contest.save(update_fields=["results_published_at"])
    award_decision_number(contest=contest, on=timezone.localdate(contest.results_published_at))
    award_decision_sign(contest=contest, by=by)
    transaction.on_commit(lambda: results_published.send(sender=Contest, contest=contest))
    return contest


@transaction.atomic
def contest_publish_comments(*, contest: Contest, by=None) -> Contest:
    """The contestants may read the judges' comments on their entries from now on."""
    contest = Contest.objects.select_for_update().get(pk=contest.pk)
    contest.comments_published = True
    if by is not None:
        contest._history_user = by
    contest.save(update_fields=["comments_published"])
    return contest
