"""Reads: lists, queues and progress, each in a bounded number of queries."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from itertools import combinations

from django.db.models import Case, Count, Exists, Max, OuterRef, Q, When
from django.utils import timezone

from campaign_portal.search import ranked_search
from notifications.enums import NotificationKind, NotificationStatus
from notifications.selectors import mail_for

from .enums import ACTIVE_ASSIGNMENT_STATES, SUBMITTED_STATUSES, AssignmentState, EntryStatus, RoundKind
from .models import Assignment, Contest, Entrant, Entry, Round, RoundDocument, RoundDocumentKind
from .rules import round_can_close, round_can_open, staff_roles


def contests_public():
    return Contest.objects.filter(is_public=True).prefetch_related("rounds")


def contests_public_with_windows(*, now: dt.datetime | None = None) -> list[Contest]:
    """Public contests, newest first, each with `receiving_round`: the round receiving entries now, or None."""
    now = now or timezone.now()
    contests = list(contests_public())
    for contest in contests:
        contest.receiving_round = next((r for r in contest.rounds.all() if r.submission_is_open(now)), None)
    return contests


def contests_receiving_entries(*, now: dt.datetime | None = None) -> list[Contest]:
    """The public contests open for entries now, each with its `receiving_round` (for the home page)."""
    return [c for c in contests_public_with_windows(now=now) if c.receiving_round]


def entry_windows_stamp(*, now: dt.datetime | None = None) -> str:
    """Changes when a public contest opens or closes for entries, or its window moves (one query):
    part of the cache validator of pages that show the open contests."""
    now = now or timezone.now()
    rows = Round.objects.filter(
        contest__is_public=True, submission_opens_at__lte=now, submission_closes_at__gt=now
    ).values_list("pk", "submission_closes_at", "contest__slug", "contest__name")
    return repr(sorted(rows))


def contests_managed_by(user):
    if getattr(user, "is_portal_admin", False):
        return Contest.objects.all()
    from .enums import MANAGING_ROLES

    ids = [cid for cid, roles in staff_roles(user).items() if roles & MANAGING_ROLES]
    return Contest.objects.filter(pk__in=ids)


def submitted_entry_count(contest: Contest) -> int:
    return Entry.objects.filter(contest=contest, status__in=SUBMITTED_STATUSES).count()


def entry_status_counts(contest: Contest) -> list[tuple[str, str, int]]:
    """(status, label, number of entries) for every status, in the workflow's order (one query)."""
    counts = dict(
        Entry.objects.filter(contest=contest).values("status").annotate(n=Count("id")).values_list("status", "n")
    )
    return [(value, label, counts.get(value, 0)) for value, label in EntryStatus.choices]


def rounds_with_moves(contest: Contest) -> list[Round]:
    """The contest's rounds, each with can_open and can_close for the dashboard's buttons."""
    rounds = list(contest.rounds.all())
    for round_ in rounds:
        round_.can_open, round_.can_close = round_can_open(round_), round_can_close(round_)
    return rounds


@dataclass
class OpeningWarning:
    """Why opening a round's judging needs a confirmation: entries are still coming in or unchecked."""

    receiving_until: dt.datetime | None  # the receiving window is still open, until then
    drafts: int  # entries still in draft (their writers may yet submit them)
    unchecked: int  # submitted entries whose eligibility is not checked yet


def round_opening_warning(round_: Round, *, now: dt.datetime | None = None) -> OpeningWarning | None:
    """None when judging may open without a second thought (two queries at most)."""
    if not round_can_open(round_) or round_.kind != RoundKind.PRELIMINARY:
        return None
    counts = Entry.objects.filter(contest_id=round_.contest_id).aggregate(
        drafts=Count("id", filter=Q(status=EntryStatus.DRAFT)),
        unchecked=Count("id", filter=Q(status=EntryStatus.RECEIVED)),
    )
    receiving_until = round_.submission_closes_at if round_.submission_is_open(now) else None
    if receiving_until is None and not counts["drafts"] and not counts["unchecked"]:
        return None
    return OpeningWarning(receiving_until=receiving_until, **counts)


@dataclass
class ReceiptMailState:
    retrying: bool  # the mail server refused it; the outbox tries again
    failed: bool  # given up: the portal's administrators were told


def entry_receipt_mail_state(entry: Entry) -> ReceiptMailState | None:
    """Whether the receipt e-mail of a submitted entry is in trouble, for the entrant's page."""
    mail = mail_for(subject=entry, kind=NotificationKind.CONTEST_RECEIPT) if entry.code else None
    if mail is None:
        return None
    return ReceiptMailState(
        retrying=mail.status == NotificationStatus.RETRYING, failed=mail.status == NotificationStatus.FAILED
    )


def _digits(text: str) -> str:
    return "".join(c for c in text if c.isdigit())


def entry_lookup(*, code: str, contact: str) -> Entry | None:
    """The public look-up: a submitted entry whose code matches and whose entrant used this e-mail or phone.
    The same None for an unknown code and a wrong contact, so that the answer teaches nothing."""
    code, contact = code.strip().upper(), contact.strip()
    if not code or not contact:
        return None
    entry = (
        Entry.objects.filter(code=code, status__in=SUBMITTED_STATUSES, contest__is_public=True)
        .select_related("contest", "entrant__user", "award__tier")
        .first()
    )
    if entry is None:
        return None
    entrant = entry.entrant
    if "@" in contact:
        return entry if contact.lower() == entrant.user.email.lower() else None
    phone = _digits(contact)
    known = {_digits(entrant.phone), _digits(entrant.user.phone or "")} - {""}
    return entry if len(phone) >= 8 and phone in known else None


def entries_of_user(user):
    return Entry.objects.filter(entrant__user=user).select_related("contest", "entrant").order_by("-created_at")


def entrant_of(user, contest) -> Entrant | None:
    """The user's entrant in the contest, holding the caller's contest (with the rounds it may have prefetched), so
    that the services asking for the contest's rounds do not read them again."""
    if not getattr(user, "is_authenticated", False):
        return None
    entrant = Entrant.objects.filter(contest=contest, user=user).first()
    if entrant is not None:
        entrant.contest = contest
    return entrant


# What the organisers' list shows of an entry: not its texts, which are long.
ENTRY_LIST_FIELDS = (
    "id",
    "code",
    "title",
    "field",
    "status",
    "legacy_district",
    "contest__id",
    "contest__fields",
    "entrant__id",
    "entrant__display_name",
    "area__id",
    "area__name",
)


def entries_for_organisers(contest: Contest, *, status="", field="", category="", area=None, q=""):
    qs = (
        Entry.objects.filter(contest=contest)
        .exclude(status=EntryStatus.DRAFT)
        .select_related("entrant", "contest", "area")
        .only(*ENTRY_LIST_FIELDS)
    )
    if status:
        qs = qs.filter(status=status)
    if field:
        qs = qs.filter(field=field)
    if category:
        qs = qs.filter(category=category)
    if area is not None:
        qs = qs.filter(area=area)
    if q.strip():
        # Words at word starts in the entry's text, the code typed exactly first; a part of a code
        # ("0042") or of the author's name still finds the entry, ranked after.
        return ranked_search(
            qs, q, order=("code",), also=Q(code__icontains=q.strip()) | Q(entrant__display_name__icontains=q.strip())
        )
    return qs.order_by("code")


def add_assignment_counts(entries: list, *, round_: Round | None = None) -> None:
    """Judges and submitted sheets per entry (in one round, or in all), for one page of entries (one grouped
    query)."""
    assignments = Assignment.objects.filter(entry__in=entries, state__in=ACTIVE_ASSIGNMENT_STATES)
    if round_ is not None:
        assignments = assignments.filter(round=round_)
    counts = {
        row["entry_id"]: row
        for row in assignments.order_by()
        .values("entry_id")
        .annotate(judges=Count("id"), sheets=Count("id", filter=Q(state=AssignmentState.SUBMITTED)))
    }
    for entry in entries:
        entry.judges = counts.get(entry.pk, {}).get("judges", 0)
        entry.sheets = counts.get(entry.pk, {}).get("sheets", 0)


STOP = {
    "cua",
    "cac",
    "cho",
    "va",
    "trong",
    "voi",
    "ve",
    "tai",
    "nguoi",
    "mot",
    "nhung",
    "duoc",
    "thu",
    "tuc",
    "hanh",
    "chinh",
    "giai",
    "phap",
    "mo",
    "hinh",
    "sang",
    "kien",
    "tren",
    "dia",
    "ban",
}


def _words(text: str) -> set[str]:
    return {w for w in text.split() if len(w) > 2 and w not in STOP}


def _shingles(text: str, n: int = 3) -> set[tuple]:
    words = text.split()
    return {tuple(words[i : i + n]) for i in range(max(len(words) - n + 1, 0))}


def _jaccard(a: set, b: set) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


@dataclass
class EntryText:
    """What the duplicates page reads of an entry: tuples from one query, not model instances."""

    pk: int
    code: str | None
    title: str
    title_folded: str
    search_text: str


def duplicate_pairs(contest: Contest, *, title_threshold=0.6, text_threshold=0.5, limit=200):
    """Pairs of entries with similar folded titles or texts (accent-insensitive):
    candidates share at least two significant title words or their opening words; then Jaccard."""
    entries = [
        EntryText(*row)
        for row in Entry.objects.filter(contest=contest)
        .exclude(status=EntryStatus.DRAFT)
        .order_by()
        .values_list("id", "code", "title", "title_folded", "search_text")
    ]
    titles = {e.pk: _words(e.title_folded) for e in entries}
    index = defaultdict(set)
    for e in entries:
        for word in titles[e.pk]:
            index[word].add(e.pk)
        index["^" + " ".join(e.search_text.split(maxsplit=8)[:8])].add(e.pk)
    shared = defaultdict(int)
    for ids in index.values():
        if len(ids) > 200:  # a word in everything says nothing
            continue
        for a, b in combinations(sorted(ids), 2):
            shared[(a, b)] += 1
    by_id = {e.pk: e for e in entries}
    shingles = {}  # an entry's text shingles, made once however many pairs it is in

    def text_shingles(entry: EntryText) -> set[tuple]:
        if entry.pk not in shingles:
            shingles[entry.pk] = _shingles(entry.search_text)
        return shingles[entry.pk]

    pairs = []
    for (a, b), count in shared.items():
        if count < 2 and by_id[a].title_folded != by_id[b].title_folded:
            continue
        ea, eb = by_id[a], by_id[b]
        title_sim = 1.0 if ea.title_folded == eb.title_folded else _jaccard(titles[a], titles[b])
        text_sim = _jaccard(text_shingles(ea), text_shingles(eb))
        if title_sim >= title_threshold or text_sim >= text_threshold:
            pairs.append((ea, eb, round(title_sim, 2), round(text_sim, 2)))
    pairs.sort(key=lambda p: (-max(p[2], p[3]), p[0].code or ""))
    return pairs[:limit]


def judge_queue(user, *, contest=None):
    qs = (
        Assignment.objects.filter(judge=user, state__in=ACTIVE_ASSIGNMENT_STATES)
        .select_related("round__contest", "entry")
        .only(
            "id",
            "state",
            "total",
            "submitted_at",
            "round__id",
            "round__name",
            "round__state",
            "round__kind",
            "round__contest__id",
            "round__contest__name",
            "round__contest__fields",
            "entry__id",
            "entry__code",
            "entry__title",
            "entry__field",
            "entry__scan_kind",
        )
        # Pending work first (not yet submitted), then the finished; each part in the rounds' order.
        .annotate(finished=Case(When(state=AssignmentState.SUBMITTED, then=1), default=0))
        .order_by("finished", "round__contest_id", "round__sequence", "entry__code")
    )
    if contest is not None:
        qs = qs.filter(round__contest=contest)
    return qs


def progress_per_judge(round_):
    rows = (
        Assignment.objects.filter(round=round_, state__in=ACTIVE_ASSIGNMENT_STATES)
        .values("judge_id", "judge__full_name", "judge__email")
        .annotate(
            total=Count("id"),
            done=Count("id", filter=Q(state=AssignmentState.SUBMITTED)),
            drafts=Count("id", filter=Q(state=AssignmentState.DRAFT)),
        )
        .order_by("judge__full_name")
    )
    return list(rows)


def entries_in_round(round_: Round):
    """The entries given to the round's judges, by code, reading only what the progress page shows: page them,
    then add_assignment_counts(page, round_=round_). Paging before counting keeps each page's cost that of its
    own rows, whatever the round's size."""
    return (
        Entry.objects.filter(Exists(Assignment.objects.filter(round=round_, entry=OuterRef("pk"))))
        .only("id", "code")
        .order_by("code")
    )


# ---------------------------------------------------------------- documents of a round

# A request older than this without a result is taken as lost (worker killed, queue lost):
# the page stops waiting and the button queues a new one. The largest round renders in ~30 s.
STALLED_AFTER = dt.timedelta(minutes=30)


# Letting the judges see each other's scores, or timing the final, changes nothing the results show.
ROUND_FIELDS_NOT_IN_RESULTS = {"scores_open", "final_starts_at"}


def round_scores_as_of(round_: Round) -> dt.datetime | None:
    """The latest change of what the round's results show: a judge's sheet once submitted
    (submitting, changing, taking back, withdrawing it) or the round itself (closing it names
    the authors). Read from the history tables; drafts never submitted do not count."""
    sheets = Assignment.history.filter(round_id=round_.pk, submitted_at__isnull=False).aggregate(
        at=Max("history_date")
    )["at"]
    round_changed, previous = None, None
    shown = [f.attname for f in Round._meta.concrete_fields if f.attname not in ROUND_FIELDS_NOT_IN_RESULTS]
    for row in Round.history.filter(id=round_.pk).order_by("history_date", "history_id").values():
        if previous is None or any(row[name] != previous[name] for name in shown):
            round_changed = row["history_date"]
        previous = row
    return max((at for at in (sheets, round_changed) if at is not None), default=None)


@dataclass
class RoundDocumentStatus:
    ready: RoundDocument | None  # the latest stored PDF (fresh or stale)
    fresh: bool  # ready reflects the current scores: serve it
    pending: RoundDocument | None
    stalled: bool  # pending for longer than STALLED_AFTER: no longer waited for
    failed: RoundDocument | None  # the latest run, if it failed after the stored PDF

    @property
    def polling(self) -> bool:
        return self.pending is not None and not self.stalled


def round_document_status(
    *, round_: Round, kind: str = RoundDocumentKind.RESULTS, now: dt.datetime | None = None
) -> RoundDocumentStatus:
    """Three queries: a round keeps few rows (older ones are deleted when a new PDF is ready)."""
    now = now or timezone.now()
    documents = list(RoundDocument.objects.filter(round=round_, kind=kind).select_related("round__contest"))
    pending = next((d for d in documents if d.is_pending), None)
    ready = next((d for d in documents if d.is_ready), None)
    failed = next((d for d in documents if d.failed), None)
    if failed and ready and (failed.requested_at, failed.pk) < (ready.requested_at, ready.pk):
        failed = None
    return RoundDocumentStatus(
        ready=ready,
        fresh=bool(ready and ready.scores_as_of == round_scores_as_of(round_)),
        pending=pending,
        stalled=bool(pending and pending.requested_at < now - STALLED_AFTER),
        failed=failed,
    )
