"""The unit picker's scopes: which units a picker offers, decided on the server for the requesting user.

A scope is a function `scope(*, user, anchor) -> QuerySet[Unit]` registered under a name in
`campaign_portal.registry.UNIT_PICKER_SCOPES`. The same function gives a form field its queryset (what it
accepts) and the autocomplete endpoint its rows (what it suggests), so the two never disagree and a client
that asks for another scope or anchor gets only what that user may choose there. `anchor` is the unit the
form is about (?unit=<code>: the unit being moved, split…), None when the scope needs none.
"""

from django.db.models import QuerySet

from campaign_portal import registry
from campaign_portal.search import ranked_search

from . import selectors
from .models import Unit, User

AUTOCOMPLETE_LIMIT = 20


def _works_in_the_tree(user: User) -> bool:
    return user.is_portal_admin or bool(user.active_memberships)


def scope_live(*, user: User, anchor: Unit | None) -> QuerySet[Unit]:
    """Every live unit, for the people of the union system (not contestants or judges): addressing a
    document, choosing a related unit."""
    if not _works_in_the_tree(user):
        return Unit.objects.none()
    return Unit.objects.filter(dissolved_on__isnull=True)


def scope_visible(*, user: User, anchor: Unit | None) -> QuerySet[Unit]:
    """The units a user may open (filters: “in unit …”), dissolved ones included."""
    return selectors.units_visible_to(user)


def _managed(selector):
    """A reorganisation's choices about one anchor unit, for those who manage the tree only."""

    def scope(*, user: User, anchor: Unit | None) -> QuerySet[Unit]:
        if anchor is None or not user.has_perm("organizations.manage_tree", anchor):
            return Unit.objects.none()
        return selector(anchor)

    scope.__name__ = f"scope_{selector.__name__}"
    scope.__doc__ = selector.__doc__
    return scope


SCOPES = {
    "live": scope_live,
    "visible": scope_visible,
    "move_parent": _managed(selectors.unit_move_parents),
    "children_destination": _managed(selectors.unit_children_destinations),
    "merge_target": _managed(selectors.unit_merge_targets),
    "split_children": _managed(selectors.unit_live_children),
}


def register_scopes() -> None:
    for name, scope in SCOPES.items():
        registry.UNIT_PICKER_SCOPES.register(name, scope)


def unit_scope(name: str, *, user: User, anchor: Unit | None = None) -> QuerySet[Unit]:
    """The units of a named scope for this user; KeyError for a scope nobody registered."""
    return registry.UNIT_PICKER_SCOPES[name](user=user, anchor=anchor)


def unit_anchor(code: str | None) -> Unit | None:
    return Unit.objects.filter(code=code).first() if code else None


def units_autocomplete(*, units: QuerySet[Unit], query: str, limit: int = AUTOCOMPLETE_LIMIT) -> list[dict]:
    """At most `limit` units of a scope matching the query accent-insensitively ("dong anh" → “Đông Anh”),
    best first then in Vietnamese order; with no query, the first in Vietnamese order. Each row: id, code,
    name, kind (its label), parent (its parent's name). Two queries whatever the size of the tree."""
    if query.strip():
        found = ranked_search(units, query, order=("sort_key",), padded_column="search_words")
    else:
        found = units.order_by("sort_key")
    rows = list(found.only("id", "code", "name", "kind", "path", "depth")[:limit])
    parent_paths = {unit.path[: -Unit.steplen] for unit in rows if unit.depth > 1}
    parents = dict(Unit.objects.filter(path__in=parent_paths).values_list("path", "name"))
    return [
        {
            "id": unit.pk,
            "code": unit.code,
            "name": unit.name,
            "kind": str(unit.get_kind_display()),
            "parent": parents.get(unit.path[: -Unit.steplen], ""),
        }
        for unit in rows
    ]
