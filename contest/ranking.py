"""Reads of the jury's scores: rankings, the final's results, the proposed prizes (writes: contest.results).

The method (shown on the ranking page):
1. Each judge's sheet becomes one number on 0–100: every criterion is rescaled to
   0–1 by its range, weighted, and the weighted mean taken (judging.weighted_total).
2. Raw score of an entry = the mean of its judges' numbers; the median, the variance
   (population) and the spread max − min are shown beside it. An entry whose spread
   exceeds the contest's threshold is flagged for discussion.
3. Normalised score (optional): each judge's numbers are turned into z-scores over
   everything that judge scored in the round, z = (x − μⱼ)/σⱼ (σⱼ = 0 → z = 0), so that a
   severe and a lenient judge count alike; the entry's normalised score is the mean of
   its z-scores. Both rankings are shown side by side.
4. Ties: equal scores (to 0.001) share a rank (1, 2, 2, 4) and are marked.
5. Final: combined = w·written (raw preliminary score) + (1 − w)·presentation (raw final
   score), w = the contest's final_written_weight.
"""

import statistics
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Avg
from django.utils.translation import gettext as _

from campaign_portal.exceptions import PortalError

from .enums import FINALIST_STATUSES, AssignmentState, EntrantKind, PrizeGroup, RoundKind
from .models import Assignment, Award, Contest, Entry, PrizeTier, Round, Score


@dataclass
class RankRow:
    entry: Entry
    totals: list = field(default_factory=list)  # one per submitted judge sheet
    z_scores: list = field(default_factory=list)
    criterion_means: dict = field(default_factory=dict)
    mean: float | None = None
    median: float | None = None
    variance: float | None = None
    spread: float | None = None
    z_mean: float | None = None
    rank: int | None = None
    z_rank: int | None = None
    tie: bool = False
    flagged: bool = False


def _competition_ranks(rows, key, attr):
    ordered = sorted([r for r in rows if key(r) is not None], key=lambda r: -key(r))
    previous, previous_rank = None, 0
    for index, row in enumerate(ordered, start=1):
        value = round(key(row), 3)
        rank = previous_rank if value == previous else index
        setattr(row, attr, rank)
        previous, previous_rank = value, rank
    return ordered


def judge_z_scores(sheets: list[tuple[int, int, float]]) -> dict[tuple[int, int], float]:
    """sheets: (entry_id, judge_id, total) → {(entry_id, judge_id): z}."""
    by_judge = defaultdict(list)
    for _entry, judge, total in sheets:
        by_judge[judge].append(total)
    moments = {}
    for judge, totals in by_judge.items():
        mu = statistics.fmean(totals)
        sigma = statistics.pstdev(totals) if len(totals) > 1 else 0.0
        moments[judge] = (mu, sigma)
    return {(e, j): ((t - moments[j][0]) / moments[j][1] if moments[j][1] else 0.0) for e, j, t in sheets}


def round_ranking(round_: Round, *, with_criteria: bool = True) -> list[RankRow]:
    """Rows sorted by raw mean (best first); a bounded number of queries whatever the size."""
    sheets = [
        (e, j, float(t))
        for e, j, t in Assignment.objects.filter(
            round=round_, state=AssignmentState.SUBMITTED, total__isnull=False
        ).values_list("entry_id", "judge_id", "total")
    ]
    entry_ids = {e for e, _j, _t in sheets}
    entries = (
        Entry.objects.filter(pk__in=entry_ids)
        .select_related("entrant")
        .only("id", "code", "title", "field", "status", "contest_id", "entrant__kind")
    )
    rows = {e.pk: RankRow(entry=e) for e in entries}
    z = judge_z_scores(sheets)
    for entry_id, judge_id, total in sheets:
        rows[entry_id].totals.append(total)
        rows[entry_id].z_scores.append(z[(entry_id, judge_id)])
    if with_criteria:
        add_criterion_means(round_, list(rows.values()))
    threshold = float(round_.contest.disagreement_threshold)
    for row in rows.values():
        row.mean = statistics.fmean(row.totals)
        row.median = statistics.median(row.totals)
        row.variance = statistics.pvariance(row.totals) if len(row.totals) > 1 else 0.0
        row.spread = max(row.totals) - min(row.totals)
        row.z_mean = statistics.fmean(row.z_scores)
        row.flagged = row.spread > threshold
    ordered = _competition_ranks(rows.values(), lambda r: r.mean, "rank")
    _competition_ranks(rows.values(), lambda r: r.z_mean, "z_rank")
    ranks = defaultdict(int)
    for row in ordered:
        ranks[row.rank] += 1
    for row in ordered:
        row.tie = ranks[row.rank] > 1
    return ordered


def add_criterion_means(round_: Round, rows: list[RankRow]) -> None:
    """Mean score per criterion over the judges, for the given rows only (one query)."""
    by_entry = {row.entry.pk: row for row in rows}
    for entry_id, criterion_id, mean in (
        Score.objects.filter(
            assignment__round=round_,
            assignment__state=AssignmentState.SUBMITTED,
            assignment__entry_id__in=list(by_entry),
        )
        .values_list("assignment__entry_id", "criterion_id")
        .annotate(mean=Avg("value"))
        .values_list("assignment__entry_id", "criterion_id", "mean")
    ):
        by_entry[entry_id].criterion_means[criterion_id] = float(mean)


def contest_round(contest: Contest, kind: str) -> Round:
    round_ = contest.rounds.filter(kind=kind).first()
    if round_ is None:
        raise PortalError(_("Cuộc thi chưa có vòng này."))
    return round_


@dataclass
class FinalRow:
    entry: Entry
    written: float | None
    presentation: float | None
    combined: float | None
    rank: int | None = None
    group: str = ""
    award: Award | None = None


def final_results(contest: Contest) -> list[FinalRow]:
    preliminary = contest_round(contest, RoundKind.PRELIMINARY)
    final = contest_round(contest, RoundKind.FINAL)
    written = {r.entry.pk: r.mean for r in round_ranking(preliminary, with_criteria=False)}
    presentation = {r.entry.pk: r.mean for r in round_ranking(final, with_criteria=False)}
    weight = float(contest.final_written_weight)
    rows = []
    entries = Entry.objects.filter(contest=contest, status__in=FINALIST_STATUSES).select_related(
        "entrant", "award__tier"
    )
    for entry in entries:
        w, p = written.get(entry.pk), presentation.get(entry.pk)
        combined = None if w is None or p is None else weight * w + (1 - weight) * p
        group = PrizeGroup.INDIVIDUAL if entry.entrant.kind == EntrantKind.INDIVIDUAL else PrizeGroup.GROUP
        rows.append(
            FinalRow(
                entry=entry,
                written=w,
                presentation=p,
                combined=combined,
                group=group,
                award=getattr(entry, "award", None),
            )
        )
    _competition_ranks(rows, lambda r: r.combined, "rank")
    rows.sort(key=lambda r: (r.rank is None, r.rank or 0, r.entry.code))
    return rows


def awards_propose(contest: Contest) -> list[tuple[FinalRow, PrizeTier]]:
    """The quotas filled in order of the combined score, per group (individuals; teams and organisations)."""
    tiers = list(contest.prize_tiers.order_by("group", "rank"))
    proposal = []
    for group in PrizeGroup.values:
        slots = [t for t in tiers if t.group == group for _i in range(t.quota)]
        ranked = [r for r in final_results(contest) if r.group == group and r.combined is not None]
        proposal.extend(zip(ranked, slots, strict=False))
    return proposal
