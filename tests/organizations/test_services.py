import datetime as dt

import pytest

from campaign_portal.exceptions import PortalError
from organizations import selectors, services
from organizations.enums import UnitChangeKind, UnitKind
from organizations.models import Membership, Unit, UnitChange, UnitPlacement

REORG_DAY = dt.date(2025, 7, 1)


def test_unit_create_sets_lineage_placement_and_change(tree):
    unit = services.unit_create(
        parent=tree.gialam,
        code="hn-ldld-gialam-0099",
        name="Công đoàn cơ sở Mới",
        kind=UnitKind.GRASSROOTS_UNION,
        active_from=dt.date(2020, 1, 1),
    )
    assert unit.code == "HN-LDLD-GIALAM-0099"
    assert unit.lineage == "/HN/HN-LDLD/HN-LDLD-GIALAM/HN-LDLD-GIALAM-0099/"
    assert list(UnitPlacement.objects.filter(unit=unit).values_list("lineage", "valid_to")) == [(unit.lineage, None)]
    assert UnitChange.objects.get(unit=unit).kind == UnitChangeKind.CREATE


def test_unit_create_refuses_duplicate_code(tree):
    with pytest.raises(PortalError, match="đã tồn tại"):
        services.unit_create(parent=tree.gialam, code="HN-LDLD-GIALAM-0001", name="X", kind=UnitKind.GRASSROOTS_UNION)


def test_unit_create_refuses_wrong_kind_under_parent(tree):
    with pytest.raises(PortalError, match="không thể trực thuộc"):
        services.unit_create(parent=tree.gl1, code="X1", name="X", kind=UnitKind.GRASSROOTS_UNION)


def test_unit_move_keeps_history_and_moves_the_live_tree(tree):
    services.unit_move(unit=tree.gl1, new_parent=tree.federation, effective_on=REORG_DAY)
    moved = Unit.objects.get(pk=tree.gl1.pk)
    assert moved.lineage == "/HN/HN-LDLD/HN-LDLD-GIALAM-0001/"
    assert Unit.objects.get_parent(moved).pk == tree.federation.pk
    # Before the effective date it belonged to Gia Lâm; from it on, to the city federation.
    assert selectors.unit_lineage_on(moved, dt.date(2019, 6, 30)) == "/HN/HN-LDLD/HN-LDLD-GIALAM/HN-LDLD-GIALAM-0001/"
    assert selectors.unit_lineage_on(moved, REORG_DAY) == "/HN/HN-LDLD/HN-LDLD-GIALAM-0001/"
    gialam = Unit.objects.get(pk=tree.gialam.pk)
    assert gialam.numchild == 1
    change = UnitChange.objects.get(unit=moved, kind=UnitChangeKind.MOVE)
    assert (change.old_parent_id, change.new_parent_id) == (tree.gialam.pk, tree.federation.pk)


def test_unit_move_rewrites_the_lineage_of_the_whole_subtree(tree):
    services.unit_create(parent=tree.city, code="HN-LDLD2", name="LĐLĐ mới", kind=UnitKind.CITY_FEDERATION)
    new_federation = Unit.objects.get(code="HN-LDLD2")
    services.unit_move(unit=tree.gialam, new_parent=new_federation, effective_on=REORG_DAY)
    assert Unit.objects.get(pk=tree.gl2.pk).lineage == "/HN/HN-LDLD2/HN-LDLD-GIALAM/HN-LDLD-GIALAM-0002/"
    assert selectors.unit_lineage_on(tree.gl2, dt.date(2019, 3, 1)) == "/HN/HN-LDLD/HN-LDLD-GIALAM/HN-LDLD-GIALAM-0002/"


def test_unit_move_refuses_a_move_into_its_own_subtree(tree):
    with pytest.raises(PortalError):
        services.unit_move(unit=tree.gialam, new_parent=tree.gl1, effective_on=REORG_DAY)


def test_unit_move_refuses_a_future_date(tree):
    with pytest.raises(PortalError, match="sau ngày hôm nay"):
        services.unit_move(unit=tree.gl1, new_parent=tree.donganh, effective_on=dt.date(2999, 1, 1))


def test_unit_dissolve_needs_a_destination_for_children(tree):
    with pytest.raises(PortalError, match="trực thuộc"):
        services.unit_dissolve(unit=tree.gialam, effective_on=REORG_DAY)


def test_dissolving_district_federations_as_hanoi_did_in_2025(tree):
    """1 July 2025: the districts are dissolved; their grassroots unions go to the city federation."""
    for district in (tree.gialam, tree.donganh):
        services.unit_dissolve(unit=district, effective_on=REORG_DAY, children_to=tree.federation)
    gialam = Unit.objects.get(pk=tree.gialam.pk)
    assert gialam.dissolved_on == REORG_DAY
    assert not Membership.objects.filter(unit=gialam, is_active=True).exists()
    assert set(
        Unit.objects.get_children(tree.federation).filter(dissolved_on__isnull=True).values_list("code", flat=True)
    ) == {"HN-LDLD-GIALAM-0001", "HN-LDLD-GIALAM-0002", "HN-LDLD-DONGANH-0001", "HN-LDLD-0001"}
    # The dissolved unit is still readable and its past subtree is recoverable.
    assert selectors.unit_lineage_on(tree.gl2, dt.date(2019, 12, 31)).startswith(gialam.lineage)
    assert Unit.objects.filter(pk=gialam.pk).exists()
    # The materialized paths are still a valid treebeard tree.
    assert all(not problems for problems in Unit.objects.find_problems())
    assert Unit.objects.get(pk=tree.federation.pk).numchild == 6  # 2 districts, 1 direct, 3 moved


def test_unit_merge_moves_children_and_dissolves_the_source(tree):
    services.unit_merge(sources=[tree.donganh], target=tree.gialam, effective_on=REORG_DAY)
    assert Unit.objects.get(pk=tree.da1.pk).lineage == "/HN/HN-LDLD/HN-LDLD-GIALAM/HN-LDLD-DONGANH-0001/"
    assert Unit.objects.get(pk=tree.donganh.pk).dissolved_on == REORG_DAY
    assert UnitChange.objects.filter(unit=tree.donganh, kind=UnitChangeKind.MERGE).count() == 1


def test_unit_split_distributes_children_to_new_units(tree):
    a, b = services.unit_split(
        unit=tree.gialam,
        parts=[
            (
                services.UnitSpec(code="HN-LDLD-GL-A", name="LĐLĐ Gia Lâm A", kind=UnitKind.DISTRICT_FEDERATION),
                [tree.gl1],
            ),
            (
                services.UnitSpec(code="HN-LDLD-GL-B", name="LĐLĐ Gia Lâm B", kind=UnitKind.DISTRICT_FEDERATION),
                [tree.gl2],
            ),
        ],
        effective_on=REORG_DAY,
    )
    assert Unit.objects.get(pk=tree.gl1.pk).lineage == "/HN/HN-LDLD/HN-LDLD-GL-A/HN-LDLD-GIALAM-0001/"
    assert Unit.objects.get(pk=tree.gl2.pk).lineage == "/HN/HN-LDLD/HN-LDLD-GL-B/HN-LDLD-GIALAM-0002/"
    assert Unit.objects.get(pk=tree.gialam.pk).is_dissolved


def test_unit_split_refuses_leaving_a_child_behind(tree):
    with pytest.raises(PortalError):
        services.unit_split(
            unit=tree.gialam,
            parts=[
                (services.UnitSpec(code="A1", name="A", kind=UnitKind.DISTRICT_FEDERATION), [tree.gl1]),
                (services.UnitSpec(code="B1", name="B", kind=UnitKind.DISTRICT_FEDERATION), []),
            ],
            effective_on=REORG_DAY,
        )
    assert not Unit.objects.filter(code="A1").exists()


def test_historic_rollup_by_lineage_survives_reorganisation(tree):
    """Records copy the lineage they had; a 2019 roll-up by district adds up after the move."""
    records_2019 = [(u.lineage, n) for u, n in ((tree.gl1, 10), (tree.gl2, 5), (tree.da1, 7))]
    services.unit_dissolve(unit=tree.gialam, effective_on=REORG_DAY, children_to=tree.federation)
    gialam_2019 = sum(n for lineage, n in records_2019 if lineage.startswith("/HN/HN-LDLD/HN-LDLD-GIALAM/"))
    assert gialam_2019 == 15
    after = Unit.objects.get(pk=tree.gl1.pk).lineage
    assert not after.startswith("/HN/HN-LDLD/HN-LDLD-GIALAM/")


def test_units_bulk_create_children_appends_after_existing(tree):
    count = services.units_bulk_create_children(
        parent=tree.gialam,
        specs=[services.UnitSpec(code=f"B-{i}", name=f"CĐCS số {i}", kind=UnitKind.GRASSROOTS_UNION) for i in range(3)],
        active_from=dt.date(2020, 1, 1),
    )
    assert count == 3
    assert [u.code for u in Unit.objects.get_children(tree.gialam)] == [
        "HN-LDLD-GIALAM-0001",
        "HN-LDLD-GIALAM-0002",
        "B-0",
        "B-1",
        "B-2",
    ]
    assert Unit.objects.get(pk=tree.gialam.pk).numchild == 5
    assert Unit.objects.get(code="B-2").lineage == "/HN/HN-LDLD/HN-LDLD-GIALAM/B-2/"


def test_units_search_is_accent_insensitive(tree):
    found = selectors.units_search(query="lien doan gia lam", within=Unit.objects.all())
    assert [u.code for u in found] == ["HN-LDLD-GIALAM"]
    found = selectors.units_search(query="trau quy", within=Unit.objects.all())
    assert [u.code for u in found] == ["HN-LDLD-GIALAM-0001"]
    assert [u.code for u in selectors.units_search(query="HÀ NỘI ủy", within=Unit.objects.all())] == ["HN"]


def test_units_move_costs_one_update_per_unit_whatever_the_subtrees(tree, django_assert_max_num_queries):
    more = services.units_bulk_create_children(
        parent=tree.gialam,
        specs=[services.UnitSpec(code=f"GL-X{i}", name=f"CĐCS {i}", kind=UnitKind.GRASSROOTS_UNION) for i in range(40)],
        active_from=dt.date(2020, 1, 1),
    )
    children = list(Unit.objects.get_children(tree.gialam))
    assert len(children) == 2 + more
    with django_assert_max_num_queries(20 + len(children)):
        services.units_move(units=children, new_parent=tree.donganh, effective_on=REORG_DAY)
    assert Unit.objects.get(code="GL-X39").lineage == "/HN/HN-LDLD/HN-LDLD-DONGANH/GL-X39/"
    assert Unit.objects.get(pk=tree.donganh.pk).numchild == 1 + len(children)
    assert Unit.objects.get(pk=tree.gialam.pk).numchild == 0
    assert all(not problems for problems in Unit.objects.find_problems())
    assert (
        selectors.unit_lineage_on(Unit.objects.get(code="GL-X0"), dt.date(2024, 1, 1))
        == "/HN/HN-LDLD/HN-LDLD-GIALAM/GL-X0/"
    )
