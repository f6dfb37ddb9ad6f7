import datetime as dt

from django.urls import reverse

from organizations import services
from organizations.enums import UnitChangeKind, UnitKind
from organizations.models import Unit, UnitChange, UnitPlacement
from reporting.selectors import rollup

from .conftest import file_in_2019


def test_admin_lists_units_and_shows_history(tree, client):
    tree.admin.is_superuser = True
    tree.admin.save()
    client.force_login(tree.admin, backend="django.contrib.auth.backends.ModelBackend")
    assert client.get(reverse("admin:organizations_unit_changelist"), {"q": "gia lam"}).status_code == 200
    unit = Unit.objects.get(pk=tree.gl1.pk)
    unit.name = "Công đoàn cơ sở Trâu Quỳ (đổi tên)"
    unit.save()
    response = client.get(reverse("admin:organizations_unit_history", args=[unit.pk]))
    assert response.status_code == 200


def test_units_cannot_be_deleted_in_admin(tree, client):
    tree.admin.is_superuser = True
    tree.admin.save()
    client.force_login(tree.admin, backend="django.contrib.auth.backends.ModelBackend")
    response = client.post(reverse("admin:organizations_unit_delete", args=[tree.gl1.pk]), {"post": "yes"})
    assert response.status_code == 403
    assert Unit.objects.filter(pk=tree.gl1.pk).exists()


def test_non_staff_cannot_open_admin(tree, client):
    client.force_login(tree.gialam_head, backend="django.contrib.auth.backends.ModelBackend")
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302


# ---------------------------------------------------------------- only the services change the tree


def _superuser(tree, login):
    tree.admin.is_superuser = True
    tree.admin.save()
    return login(tree.admin)


def _figures(period, unit):
    """Everything a 2019 roll-up says about reports and their numbers."""
    data = rollup(period=period, unit=unit)
    rows = [(r.indicator.code, r.own, r.children, r.total, r.reports, list(r.texts)) for r in data["rows"]]
    return rows, data["approved_below"], data["filed_below"]


def test_admin_move_goes_through_units_move_and_keeps_past_rollups(tree, login, q1_2019):
    for unit, officer in ((tree.gl1, tree.gl1_officer), (tree.gl2, tree.gl2_officer)):
        file_in_2019(
            period=q1_2019,
            unit=unit,
            officer=officer,
            approver=tree.gialam_head,
            admin=tree.admin,
            meeting_sessions=3 if unit == tree.gl1 else 5,
        )
    file_in_2019(
        period=q1_2019, unit=tree.gialam, officer=tree.gialam_officer, approver=tree.city_head, admin=tree.admin
    )
    before = {unit.code: _figures(q1_2019, unit) for unit in (tree.gialam, tree.federation, tree.city)}
    client = _superuser(tree, login)

    chosen = client.post(
        reverse("admin:organizations_unit_changelist"), {"action": "move_units", "_selected_action": [tree.gl1.pk]}
    )
    move_url = f"{reverse('admin:organizations_unit_move')}?ids={tree.gl1.pk}"
    assert chosen.status_code == 302 and chosen["Location"] == move_url
    assert tree.gl1.name in client.get(move_url).content.decode()
    response = client.post(
        move_url, {"new_parent": tree.federation.code, "effective_on": "2025-07-01", "note": "Sắp xếp từ 01/07/2025"}
    )
    assert response.status_code == 302

    moved = Unit.objects.get(pk=tree.gl1.pk)
    assert moved.lineage == "/HN/HN-LDLD/HN-LDLD-GIALAM-0001/"
    assert Unit.objects.get_parent(moved).pk == tree.federation.pk
    change = UnitChange.objects.get(unit=moved, kind=UnitChangeKind.MOVE)
    assert (change.old_parent_id, change.new_parent_id, change.effective_on, change.by_id, change.old_lineage) == (
        tree.gialam.pk,
        tree.federation.pk,
        dt.date(2025, 7, 1),
        tree.admin.pk,
        "/HN/HN-LDLD/HN-LDLD-GIALAM/HN-LDLD-GIALAM-0001/",
    )
    assert list(
        UnitPlacement.objects.filter(unit=moved)
        .order_by("valid_from")
        .values_list("parent__code", "lineage", "valid_from", "valid_to")
    ) == [
        ("HN-LDLD-GIALAM", "/HN/HN-LDLD/HN-LDLD-GIALAM/HN-LDLD-GIALAM-0001/", dt.date(2018, 1, 1), dt.date(2025, 7, 1)),
        ("HN-LDLD", "/HN/HN-LDLD/HN-LDLD-GIALAM-0001/", dt.date(2025, 7, 1), None),
    ]
    assert moved.history.first().lineage == moved.lineage
    after = {unit.code: _figures(q1_2019, unit) for unit in (tree.gialam, tree.federation, tree.city)}
    assert after == before


def test_admin_move_refused_by_the_service_shows_its_message(tree, login):
    client = _superuser(tree, login)
    move_url = f"{reverse('admin:organizations_unit_move')}?ids={tree.gl1.pk}"
    response = client.post(move_url, {"new_parent": tree.da1.code, "effective_on": "2025-07-01"})
    assert response.status_code == 200
    assert "không thể trực thuộc “Công đoàn cơ sở UBND xã Uy Nỗ”" in response.content.decode()
    assert Unit.objects.get(pk=tree.gl1.pk).lineage == "/HN/HN-LDLD/HN-LDLD-GIALAM/HN-LDLD-GIALAM-0001/"
    assert UnitChange.objects.filter(kind=UnitChangeKind.MOVE).count() == 0


def test_admin_move_needs_a_superuser_or_change_permission(tree, login):
    client = login(tree.admin)  # staff without model permissions
    response = client.post(
        f"{reverse('admin:organizations_unit_move')}?ids={tree.gl1.pk}",
        {"new_parent": tree.federation.code, "effective_on": "2025-07-01"},
    )
    assert response.status_code == 403
    assert Unit.objects.get(pk=tree.gl1.pk).lineage == tree.gl1.lineage


def test_admin_unit_form_keeps_place_and_dates_read_only(tree, login):
    client = _superuser(tree, login)
    url = reverse("admin:organizations_unit_change", args=[tree.gialam.pk])
    page = client.get(url).content.decode()
    assert "/HN/HN-LDLD/HN-LDLD-GIALAM/" in page
    assert reverse("organizations:unit_reorganise", args=[tree.gialam.code, "dissolve"]) in page
    data = {
        "name": "Liên đoàn Lao động huyện Gia Lâm (mới)",
        "place_name": "Gia Lâm",
        "member_count": "0",
        "code": "HN-X",
        "kind": UnitKind.GRASSROOTS_UNION,
        "lineage": "/X/",
        "dissolved_on": "2025-07-01",
        "active_from": "2025-01-01",
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
    }
    assert client.post(url, data).status_code == 302
    unit = Unit.objects.get(pk=tree.gialam.pk)
    assert (unit.name, unit.code, unit.kind, unit.lineage, unit.dissolved_on, unit.active_from) == (
        "Liên đoàn Lao động huyện Gia Lâm (mới)",
        "HN-LDLD-GIALAM",
        UnitKind.DISTRICT_FEDERATION,
        "/HN/HN-LDLD/HN-LDLD-GIALAM/",
        None,
        dt.date(2018, 1, 1),
    )
    assert UnitChange.objects.filter(unit=unit, kind=UnitChangeKind.RENAME).count() == 1


def test_admin_offers_no_tree_writes_outside_the_services(tree, login):
    client = _superuser(tree, login)
    assert client.get(reverse("admin:organizations_unit_add")).status_code == 403
    assert client.get(reverse("admin:organizations_unitplacement_add")).status_code == 403
    assert client.get(reverse("admin:organizations_unitchange_add")).status_code == 403
    changelist = client.get(reverse("admin:organizations_unit_changelist")).content.decode()
    assert reverse("organizations:unit_tree") in changelist
    assert "move_node" not in changelist  # treebeard's drag-and-drop move is gone


def test_admin_does_not_revert_history(tree, login):
    client = _superuser(tree, login)
    services.unit_update(unit=tree.gl1, by=tree.admin, name="Công đoàn cơ sở Trâu Quỳ (đổi tên)")
    first = tree.gl1.history.order_by("history_id").first()
    url = reverse("admin:organizations_unit_simple_history", args=[tree.gl1.pk, first.history_id])
    response = client.post(
        url,
        {
            "name": first.name,
            "place_name": "Hà Nội",
            "member_count": "48",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 403
    assert Unit.objects.get(pk=tree.gl1.pk).name == "Công đoàn cơ sở Trâu Quỳ (đổi tên)"
