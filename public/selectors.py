"""Reads of the public app: what anonymous visitors see is only ever published."""

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connections
from django.db.models import Count, F, Q, QuerySet

from campaign_portal.text import fold
from organizations.models import Unit, User

from .enums import OPEN_FEEDBACK_STATUSES, NewsStatus
from .models import CityIndicator, Feedback, HonouredModel, NewsItem
from .rules import feedback_subtree_paths, feedback_unit_ids, news_approver_paths, news_writer_unit_ids

LIST_DEFER = ("body", "search_text", "search_vector", "review_note")


def news_published() -> QuerySet[NewsItem]:
    return (
        NewsItem.objects.filter(status=NewsStatus.PUBLISHED)
        .select_related("unit")
        .defer(*LIST_DEFER, "unit__search_text", "unit__sort_key")
        .order_by("-published_at", "-id")
    )


def news_published_for_unit(unit: Unit) -> QuerySet[NewsItem]:
    """The unit's news and its subtree's, by the lineage each item copied when written."""
    return news_published().filter(lineage__startswith=unit.lineage)


def news_for_officer(user: User) -> dict[str, QuerySet[NewsItem]]:
    """An officer's desk: items of her units, and items waiting for her approval."""
    base = NewsItem.objects.select_related("unit", "author").defer(*LIST_DEFER).order_by("-updated_at")
    if user.is_portal_admin:
        return {"mine": base.exclude(status=NewsStatus.PUBLISHED), "to_approve": base.filter(status=NewsStatus.PENDING)}
    writer_units = news_writer_unit_ids(user)
    approve_q = Q(pk__in=[])
    for path in news_approver_paths(user):
        # Children of the approver's unit (depth + 1), or the unit itself when it is a root.
        approve_q |= Q(unit__path__startswith=path, unit__depth=len(path) // Unit.steplen + 1)
        if len(path) == Unit.steplen:
            approve_q |= Q(unit__path=path)
    return {
        "mine": base.filter(unit_id__in=writer_units).exclude(status=NewsStatus.PUBLISHED),
        "to_approve": base.filter(approve_q, status=NewsStatus.PENDING),
        "published": base.filter(unit_id__in=writer_units, status=NewsStatus.PUBLISHED),
    }


def news_writer_units(user: User) -> QuerySet[Unit]:
    """Units a user may write news for (the choices of the news form)."""
    if user.is_portal_admin:
        return Unit.objects.filter(dissolved_on__isnull=True).order_by("path")
    return Unit.objects.filter(pk__in=news_writer_unit_ids(user)).order_by("path")


def honoured_published() -> QuerySet[HonouredModel]:
    return (
        HonouredModel.objects.filter(is_published=True)
        .defer("story", "search_text", "search_vector")
        .order_by("position", "-year", "-id")
    )


def feedback_published() -> QuerySet[Feedback]:
    return (
        Feedback.objects.filter(is_published=True)
        .select_related("unit")
        .only(
            "tracking_code",
            "title",
            "text",
            "answer",
            "topic",
            "kind",
            "published_at",
            "answered_at",
            "received_at",
            "unit__name",
            "unit__code",
            "is_published",
            "status",
            "consent_publish",
        )
        .order_by("-published_at", "-id")
    )


def feedback_for_handler(user: User) -> QuerySet[Feedback]:
    """Feedback a user answers: her units' (officer roles) and, for heads, their subtrees."""
    base = Feedback.objects.select_related("unit").defer("search_text", "search_vector", "text", "answer")
    if user.is_portal_admin:
        return base
    condition = Q(unit_id__in=feedback_unit_ids(user))
    for path in feedback_subtree_paths(user):
        condition |= Q(unit__path__startswith=path)
    return base.filter(condition)


def feedback_counts_by_status(feedback: QuerySet[Feedback]) -> dict[str, int]:
    """{status: count} over a handler's feedback (one grouped query for the desk's tabs)."""
    return dict(feedback.order_by().values_list("status").annotate(n=Count("id")))


def feedback_open_count(user: User) -> int:
    return feedback_for_handler(user).filter(status__in=OPEN_FEEDBACK_STATUSES).count()


def feedback_unit_choices() -> QuerySet[Unit]:
    """Units a citizen may address: everything above the grassroots level (a short list)."""
    from organizations.enums import UnitKind

    return (
        Unit.objects.filter(dissolved_on__isnull=True)
        .exclude(kind=UnitKind.GRASSROOTS_UNION)
        .only("id", "name", "sort_key", "path")
        .order_by("path")
    )


def indicator_latest() -> CityIndicator | None:
    """The most recent year's indicators (the home page shows these, never an older year)."""
    return CityIndicator.objects.order_by("-year").first()


def indicators_all() -> list[CityIndicator]:
    return list(CityIndicator.objects.order_by("year"))


# ---------------------------------------------------------------- search


def _search(queryset: QuerySet, query: str, *, order: tuple[str, ...]) -> QuerySet:
    """Accent-insensitive search over the folded `search_text` column.

    PostgreSQL: full-text over the stored tsvector of that column ('simple'
    configuration: the text is already folded, so no unaccent extension is
    needed), ranked, GIN-indexed. SQLite: every word must
    appear (icontains on the folded column)."""
    folded = fold(query)
    words = [w for w in folded.replace('"', " ").split() if w]
    if not words:
        return queryset.none()
    if connections[queryset.db].vendor == "postgresql":
        search_query = SearchQuery(folded, config="simple", search_type="websearch")
        return (
            queryset.filter(search_vector=search_query)
            .annotate(rank=SearchRank(F("search_vector"), search_query))
            .order_by("-rank", *order)
        )
    condition = Q()
    for word in words:
        condition &= Q(search_text__icontains=word)
    return queryset.filter(condition).order_by(*order)


def search_news(query: str) -> QuerySet[NewsItem]:
    return _search(news_published(), query, order=("-published_at", "-id"))


def search_honoured(query: str) -> QuerySet[HonouredModel]:
    return _search(honoured_published(), query, order=("-year", "-id"))


def search_feedback(query: str) -> QuerySet[Feedback]:
    return _search(feedback_published(), query, order=("-published_at", "-id"))
