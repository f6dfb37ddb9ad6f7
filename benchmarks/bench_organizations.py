"""Unit-tree pages at scale (run `manage.py generate_scale --grassroots 10000` first)."""

from _harness import admin_client, measure

from organizations.enums import UnitKind
from organizations.models import Unit
from organizations.selectors import unit_children_with_counts

federation = Unit.objects.get(code="HN-LDLD")
grassroots = Unit.objects.filter(kind=UnitKind.GRASSROOTS_UNION).count()
print(f"units: {Unit.objects.count()}, grassroots unions: {grassroots}")
client = admin_client()


def ok(url):
    def run():
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)

    return run


measure("GET /units/ (tree, admin)", ok("/units/"))
measure("GET /units/HN-LDLD/ (city federation, 60 children)", ok("/units/HN-LDLD/"))
measure("GET /units/HN-LDLD/children/ (htmx level)", ok("/units/HN-LDLD/children/"))
district = Unit.objects.get(code="HN-LDLD-GIALAM")
measure(f"GET /units/HN-LDLD-GIALAM/ ({district.numchild} children)", ok("/units/HN-LDLD-GIALAM/"))
measure("GET /units/?q=cong ty hoang long (accent-insensitive search)", ok("/units/?q=cong+ty+hoang+long"))
measure(
    "selector unit_children_with_counts(city federation)",
    lambda: unit_children_with_counts(federation),
    target=None,
)
