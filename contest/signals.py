"""Contest's events, sent after the transaction commits; the receivers below, connected in
ContestConfig.ready(), tell notifications who must know (contest decides the recipients).

entry_submitted(sender=Entry, entry=…, first_time=bool)
results_published(sender=Contest, contest=…)
"""

from django.dispatch import Signal

entry_submitted = Signal()
results_published = Signal()


def notify_results_published(sender, contest, **kwargs) -> None:
    """Every entrant who submitted (drafts aside) learns that the results are out. Connected in
    ContestConfig.ready()."""
    from notifications.enums import NotificationKind
    from notifications.services import notify
    from notifications.specs import url_or

    from .enums import EntryStatus
    from .models import Entry

    entrants = (
        Entry.objects.filter(contest=contest)
        .exclude(status=EntryStatus.DRAFT)
        .values_list("entrant__user_id", flat=True)
    )
    notify(
        recipient_ids=entrants,
        kind=NotificationKind.CONTEST_RESULTS,
        subject=contest,
        window="results",
        payload={"title": contest.name, "url": url_or("contest:public", [contest.slug], "/contest/")},
    )
