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
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Avg, Case, Count, FloatField, Max, Min, StdDev, Sum, Value, Variance, When
from django.db.models.functions import Cast
from django.utils.translation import gettext as _

from campaign_portal.exceptions import PortalError

from .enums import FINALIST_STATUSES, AssignmentState, EntrantKind, PrizeGroup, RoundKind
from .models import Assignment, Award, Contest, Entry, PrizeTier, Round, Score


@dataclass
class RankRow:
    entry_id: int
    code: str
    sheets: int  # submitted judge sheets
    mean: float
    variance: float
    spread: float
    z_mean: float
    entry: Entry | None = None  # loaded for the rows shown (rows_complete)
    totals: list = field(default_factory=list)  # one per submitted judge sheet (rows_complete)
    judges: list = field(default_factory=list)  # the judges of those sheets, in the same order (rows_complete)
    median: float | None = None  # (rows_complete)
    criterion_means: dict = field(default_factory=dict)  # (rows_complete, with criteria)
    means: list = field(default_factory=list)  # the criterion means in the columns' order (rows_criterion_columns)
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


def _submitted_sheets(round_: Round):
    return Assignment.objects.filter(round=round_, state=AssignmentState.SUBMITTED, total__isnull=False).order_by()


# The statistics in double precision: numeric arithmetic over thousands of sheets costs more than it shows.
TOTAL = Cast("total", FloatField())


def _judge_z_score(sheets) -> Case:
    """The z-score of a sheet among everything its judge scored in the round, as an SQL expression:
    (total − μⱼ)/σⱼ, 0 when σⱼ = 0 (one grouped query over the judges for μ and σ)."""
    moments = sheets.values_list("judge_id").annotate(mu=Avg(TOTAL), sigma=StdDev(TOTAL))
    return Case(
        *[When(judge_id=judge_id, then=(TOTAL - Value(mu)) / Value(sigma)) for judge_id, mu, sigma in moments if sigma],
        default=Value(0.0),
        output_field=FloatField(),
    )


def _ranked(round_: Round) -> tuple[list[RankRow], list[RankRow]]:
    """Every scored entry of the round with its statistics and both ranks: (best raw mean first, best z-mean first),
    equal ranks by code. The statistics are SQL aggregates: two grouped queries whatever the number of sheets."""
    sheets = _submitted_sheets(round_)
    per_entry = sheets.values_list("entry_id", "entry__code").annotate(
        n=Count("id"),
        mean=Avg(TOTAL),
        variance=Variance(TOTAL),
        spread=Max(TOTAL) - Min(TOTAL),
        z_mean=Avg(_judge_z_score(sheets)),
    )
    threshold = float(round_.contest.disagreement_threshold)
    rows = sorted(
        (
            RankRow(
                entry_id=entry_id,
                code=code or "",
                sheets=n,
                mean=mean,
                variance=variance,
                spread=spread,
                z_mean=z_mean,
                flagged=spread > threshold,
            )
            for entry_id, code, n, mean, variance, spread, z_mean in per_entry
        ),
        key=lambda row: (row.code, row.entry_id),
    )
    ordered = _competition_ranks(rows, lambda r: r.mean, "rank")
    by_z = _competition_ranks(rows, lambda r: r.z_mean, "z_rank")
    shared = Counter(row.rank for row in ordered)
    for row in ordered:
        row.tie = shared[row.rank] > 1
    return ordered, by_z


def round_scores(round_: Round, *, normalised: bool = False) -> list[RankRow]:
    """Every scored entry of the round with its statistics and both ranks, best raw mean first (best z-mean first
    when normalised), equal ranks by code. The entries themselves, each judge's total and the median are left to
    rows_complete, for the rows shown."""
    ordered, by_z = _ranked(round_)
    return by_z if normalised else ordered


# ---------------------------------------------------------------- the ranking page, from the cache

# What the cache keeps of a row (the flag is not kept: it follows the contest's threshold as it is now).
_CACHED_FIELDS = ("entry_id", "code", "sheets", "mean", "variance", "spread", "z_mean", "rank", "z_rank", "tie")
# One entry per round, kept with the stamp it was computed under (a newer stamp replaces it: a round judged all day
# does not leave a copy per change behind); the timeout only frees the rounds nobody looks at.
RANKING_CACHE_SECONDS = 24 * 60 * 60


def round_sheets_stamp(round_: Round) -> str:
    """Changes with every change of the round's submitted sheets. Each change through the services adds a history
    row: their count grows with every commit, even one that commits after a later change did (a latest date would
    miss it). The live count and sum of the submitted totals catch what bulk tools write past the services."""
    history = Assignment.history.filter(round_id=round_.pk, submitted_at__isnull=False).aggregate(
        n=Count("history_id"), last=Max("history_id")
    )
    live = _submitted_sheets(round_).aggregate(n=Count("id"), total=Sum("total"))
    return f"{history['n']}:{history['last']}:{live['n']}:{live['total']}"


class RankedRows(Sequence):
    """The round's ranking in one order, as the page reads it: a slice becomes RankRows, the rest stays tuples."""

    def __init__(self, rows: list[tuple], order: list[int], threshold: float):
        self.rows, self.order, self.threshold = rows, order, threshold

    def __len__(self) -> int:
        return len(self.order)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self._row(position) for position in self.order[index]]
        return self._row(self.order[index])

    def _row(self, position: int) -> RankRow:
        row = RankRow(**dict(zip(_CACHED_FIELDS, self.rows[position], strict=True)))
        row.flagged = row.spread > self.threshold
        return row


def round_scores_cached(round_: Round, *, normalised: bool = False) -> RankedRows:
    """round_scores for the ranking page: the same rows in the same order, computed once per state of the sheets
    (the stamp is read first: a result computed after it is never older than the stamp it is kept with)."""
    key, stamp = f"contest:ranking:{round_.pk}", round_sheets_stamp(round_)
    cached = cache.get(key)
    if cached is None or cached[0] != stamp:
        ordered, by_z = _ranked(round_)
        position = {row.entry_id: index for index, row in enumerate(ordered)}
        cached = (
            stamp,
            [tuple(getattr(row, name) for name in _CACHED_FIELDS) for row in ordered],
            [position[row.entry_id] for row in by_z],
        )
        cache.set(key, cached, RANKING_CACHE_SECONDS)
    _stamp, rows, z_order = cached
    order = z_order if normalised else list(range(len(rows)))
    return RankedRows(rows, order, float(round_.contest.disagreement_threshold))


def rows_complete(round_: Round, rows: list[RankRow], *, with_criteria: bool = True) -> None:
    """Adds to the given rows (a page of the ranking, or all of it) their entries, each judge's total, the judges
    and the median (one query over their sheets), and the criterion means (one more)."""
    by_entry = {row.entry_id: row for row in rows}
    sheets = (
        _submitted_sheets(round_)
        .filter(entry_id__in=list(by_entry))
        .select_related("entry__entrant")
        .only(
            "judge_id",
            "total",
            "entry__id",
            "entry__code",
            "entry__title",
            "entry__field",
            "entry__status",
            "entry__contest_id",
            "entry__entrant__kind",
        )
        .order_by("entry_id", "judge_id")
    )
    sheet_ids = []
    for sheet in sheets:
        row = by_entry[sheet.entry_id]
        row.entry = row.entry or sheet.entry
        row.judges.append(sheet.judge_id)
        row.totals.append(float(sheet.total))
        sheet_ids.append(sheet.pk)
    for row in rows:
        row.median = statistics.median(row.totals)
    if with_criteria:
        _add_criterion_means(rows, sheet_ids)


def rows_criterion_columns(rows: list[RankRow], criteria: list) -> None:
    """Each row's criterion means in the order of the table's columns (row.means; None where no score)."""
    for row in rows:
        row.means = [row.criterion_means.get(criterion.pk) for criterion in criteria]


def round_ranking(round_: Round, *, with_criteria: bool = True) -> list[RankRow]:
    """Every row of the ranking, complete (round_scores, then rows_complete): a bounded number of queries."""
    rows = round_scores(round_)
    rows_complete(round_, rows, with_criteria=with_criteria)
    return rows


def _add_criterion_means(rows: list[RankRow], sheet_ids: list[int]) -> None:
    """Mean score per criterion over the given sheets of the rows (one query, by the sheets' own ids; the rows'
    entries too, so that the join reads their sheets by index rather than every sheet of the contest)."""
    by_entry = {row.entry_id: row for row in rows}
    for entry_id, criterion_id, mean in (
        Score.objects.filter(assignment_id__in=sheet_ids, assignment__entry_id__in=list(by_entry))
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
    written = {r.entry_id: r.mean for r in round_scores(preliminary)}
    presentation = {r.entry_id: r.mean for r in round_scores(final)}
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
