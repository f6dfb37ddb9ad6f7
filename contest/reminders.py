"""Contest reminders, found by notifications' sweep (owned by the notifications app).

Contestants with a draft: before the submission window closes (3 days, on the day).
Judges with unsubmitted scores: before the judging window closes (3 days, on the day).
Judge reminders carry counts and the round's name only, never an entrant's identity."""

import datetime as dt
from collections import Counter
from collections.abc import Iterator

from notifications.enums import NotificationKind as K
from notifications.specs import ReminderSpec, url_or
from notifications.windows import deadline_window, local_now, local_today

from .enums import AssignmentState, EntryStatus
from .models import Assignment, Entry, Round

KINDS = (K.CONTEST_DRAFT_DEADLINE, K.JUDGE_SCORES_PENDING)
BEFORE_DAYS = 3
# What due_reminders reads (the sweep skips a tick where none of them changed).
WATCHES = ("contest.Contest", "contest.Round", "contest.Entry", "contest.Entrant", "contest.Assignment")


def due_reminders(*, now: dt.datetime) -> Iterator[ReminderSpec]:
    today = local_today(now)
    horizon = now + dt.timedelta(days=BEFORE_DAYS + 1)
    yield from _drafts(now=now, today=today, horizon=horizon)
    yield from _judges(now=now, today=today, horizon=horizon)


def _closing_window(closes_at: dt.datetime, today: dt.date):
    window = deadline_window(due_on=local_now(closes_at).date(), today=today, before_days=BEFORE_DAYS)
    return window if window and window.phase in ("before", "on") else None


def _drafts(*, now, today, horizon) -> Iterator[ReminderSpec]:
    rounds = {
        r.contest_id: r
        for r in Round.objects.filter(
            submission_closes_at__gt=now, submission_closes_at__lte=horizon, submission_opens_at__lte=now
        ).select_related("contest")
    }
    if not rounds:
        return
    drafts = Entry.objects.filter(contest_id__in=rounds, status=EntryStatus.DRAFT).values_list(
        "pk", "contest_id", "title", "entrant__user_id"
    )
    for pk, contest_id, title, user_id in drafts:
        round_ = rounds[contest_id]
        window = _closing_window(round_.submission_closes_at, today)
        if window is None:
            continue
        yield ReminderSpec(
            recipient_id=user_id,
            kind=K.CONTEST_DRAFT_DEADLINE,
            subject_model="contest.entry",
            subject_id=pk,
            window=window.key,
            payload={
                "title": title or str(round_.contest.name),
                "due": local_now(round_.submission_closes_at).date().isoformat(),
                "url": url_or("contest:entry_edit", [pk], "/contest/"),
            },
        )


def _judges(*, now, today, horizon) -> Iterator[ReminderSpec]:
    rounds = {
        r.pk: r
        for r in Round.objects.filter(judging_closes_at__gt=now, judging_closes_at__lte=horizon).select_related(
            "contest"
        )
    }
    if not rounds:
        return
    pending = Counter(
        Assignment.objects.filter(
            round_id__in=rounds, state__in=[AssignmentState.ASSIGNED, AssignmentState.DRAFT]
        ).values_list("judge_id", "round_id")
    )
    for (judge_id, round_id), count in pending.items():
        round_ = rounds[round_id]
        window = _closing_window(round_.judging_closes_at, today)
        if window is None:
            continue
        yield ReminderSpec(
            recipient_id=judge_id,
            kind=K.JUDGE_SCORES_PENDING,
            subject_model="contest.round",
            subject_id=round_id,
            window=window.key,
            payload={
                "title": f"{round_.contest.name} – {round_.name}",
                "count": count,
                "due": local_now(round_.judging_closes_at).date().isoformat(),
                "url": url_or("contest:judge_queue", [], "/contest/"),
            },
        )


def changes_at(*, now: dt.datetime) -> dt.datetime | None:
    """The rounds' windows open and close to the minute: the next moment one of them opens, closes or comes
    within the reminders' horizon."""
    horizon = dt.timedelta(days=BEFORE_DAYS + 1)
    moments = []
    for opens, closes, judging_closes in Round.objects.values_list(
        "submission_opens_at", "submission_closes_at", "judging_closes_at"
    ):
        for moment in (
            opens,
            closes,
            closes and closes - horizon,
            judging_closes,
            judging_closes and judging_closes - horizon,
        ):
            if moment is not None and moment > now:
                moments.append(moment)
    return min(moments, default=None)
