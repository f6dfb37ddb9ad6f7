"""The unit picker: its autocomplete endpoint (scopes decided on the server), its widget (only the selected
units rendered; a code box without script) and the fields that validate against the same scope."""

import pytest
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.urls import reverse

from organizations import selectors
from organizations.enums import UnitKind
from organizations.services import UnitSpec, unit_dissolve, units_bulk_create_children
from organizations.widgets import UnitMultiplePickerField, UnitPickerField, UnitPickerWidget, unit_picker_bind
from tests.factories import make_unit

pytestmark = pytest.mark.django_db

URL = "organizations:unit_autocomplete"


def suggest(client, **query) -> list[dict]:
    response = client.get(reverse(URL), query)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    return response.json()["results"]


def codes_of(results) -> list[str]:
    return [row["code"] for row in results]


def test_anonymous_is_sent_to_login(tree, client):
    response = client.get(reverse(URL), {"scope": "live", "q": "gia"})
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_unknown_scope_is_not_found(tree, login):
    assert login(tree.admin).get(reverse(URL), {"scope": "everything", "q": "gia"}).status_code == 404


def test_search_ignores_accents_and_answers_each_field(tree, login):
    results = suggest(login(tree.gl1_officer), scope="live", q="dong anh")
    assert results == [
        {
            "id": tree.donganh.pk,
            "code": "HN-LDLD-DONGANH",
            "name": "Liên đoàn Lao động huyện Đông Anh",
            "kind": "LĐLĐ quận, huyện, thị xã",
            "parent": "Liên đoàn Lao động Thành phố Hà Nội",
        }
    ]
    assert codes_of(suggest(login(tree.gl1_officer), scope="live", q="gia lam")) == ["HN-LDLD-GIALAM"]


def test_results_are_at_most_twenty_in_vietnamese_order(tree, login):
    names = ["Đào", "Dương", "Ánh", "Bình", "Anh", "Ấn", "Ba"] + [f"Xuân {n:02d}" for n in range(20)]
    specs = [
        UnitSpec(code=f"HN-LDLD-GIALAM-{n:04d}", name=f"Công đoàn cơ sở {name}", kind=UnitKind.GRASSROOTS_UNION)
        for n, name in enumerate(names, start=10)
    ]
    units_bulk_create_children(parent=tree.gialam, specs=specs, active_from=tree.gialam.active_from)
    results = suggest(login(tree.admin), scope="visible", q="cong doan co so")
    assert len(results) == 20
    # a < ă < â < b, tones after the plain letter, d < đ.
    assert [row["name"].removeprefix("Công đoàn cơ sở ") for row in results[:7]] == [
        "Anh",
        "Ánh",
        "Ấn",
        "Ba",
        "Bình",
        "Dương",
        "Đào",
    ]


def test_the_autocomplete_costs_the_same_at_any_size(tree, login, django_assert_max_num_queries):
    client = login(tree.admin)
    suggest(client, scope="live", q="x")  # the session and the memberships, loaded once
    specs = [
        UnitSpec(code=f"HN-LDLD-GIALAM-{n:04d}", name=f"Công đoàn cơ sở số {n}", kind=UnitKind.GRASSROOTS_UNION)
        for n in range(10, 510)
    ]
    units_bulk_create_children(parent=tree.gialam, specs=specs, active_from=tree.gialam.active_from)
    with django_assert_max_num_queries(5):
        assert len(suggest(client, scope="live", q="cong doan")) == 20


def test_a_grassroots_officer_sees_only_her_subtree_in_the_visible_scope(tree, login):
    assert codes_of(suggest(login(tree.gl1_officer), scope="visible", q="cong doan co so")) == [tree.gl1.code]


def test_people_outside_the_tree_get_nothing_from_the_live_scope(tree, login):
    assert suggest(login(tree.outsider), scope="live", q="lien doan") == []


def test_reorganisation_scopes_answer_only_those_who_manage_the_tree(tree, login):
    query = {"scope": "move_parent", "unit": tree.gl1.code, "q": "lien doan"}
    assert suggest(login(tree.gialam_head), **query) == []
    assert codes_of(suggest(login(tree.admin), **query)) == ["HN-LDLD-DONGANH", "HN-LDLD"]


def test_move_parents_are_live_units_of_an_allowed_kind_outside_the_subtree(tree):
    dissolved = make_unit(tree.federation, code="HN-LDLD-CU", name="Liên đoàn Lao động huyện Cũ")
    unit_dissolve(unit=dissolved, effective_on=dissolved.active_from)
    # A grassroots union may go under a district or the city federation, not its own parent or a sibling.
    assert [u.code for u in selectors.unit_move_parents(tree.gl1)] == ["HN-LDLD-DONGANH", "HN-LDLD"]
    # A district federation only under the city federation, its current parent: nowhere.
    assert list(selectors.unit_move_parents(tree.gialam)) == []


def test_children_destinations_take_every_child_kind(tree):
    assert [u.code for u in selectors.unit_children_destinations(tree.gialam)] == ["HN-LDLD-DONGANH", "HN-LDLD"]
    assert [u.code for u in selectors.unit_merge_targets(tree.gialam)] == ["HN-LDLD-DONGANH"]


def test_the_field_refuses_a_unit_outside_its_scope(tree):
    field = unit_picker_bind(UnitPickerField(), user=tree.admin, scope="move_parent", anchor=tree.gl1)
    assert field.clean("HN-LDLD-DONGANH") == tree.donganh
    for refused in (tree.gl2.code, tree.gl1.code, tree.gialam.code):  # a sibling, itself, its parent
        with pytest.raises(ValidationError) as caught:
            field.clean(refused)
        assert caught.value.code == "invalid_choice"


def test_widget_renders_only_the_selected_unit(tree):
    field = unit_picker_bind(UnitPickerField(), user=tree.admin, scope="live")
    html = field.widget.render("target", tree.donganh.code, attrs={"id": "id_target"})
    assert html.count("<option") == 2  # the empty choice and Đông Anh
    assert (
        '<option value="HN-LDLD-DONGANH" selected>Liên đoàn Lao động huyện Đông Anh (HN-LDLD-DONGANH)</option>' in html
    )
    assert 'data-url="/units/autocomplete/?scope=live"' in html
    assert '<noscript><input type="text" class="form-control mt-1" name="target__code"' in html


def test_widget_never_names_a_unit_outside_its_scope(tree):
    field = unit_picker_bind(UnitPickerField(), user=tree.gl1_officer, scope="visible")
    html = field.widget.render("unit", tree.donganh.code)
    assert "Đông Anh" not in html
    assert '<option value="HN-LDLD-DONGANH" selected>HN-LDLD-DONGANH</option>' in html


def test_a_code_typed_without_script_is_chosen(tree):
    widget = UnitPickerWidget()
    data = QueryDict(mutable=True)
    data.update({"target": "", "target__code": " hn-ldld-donganh "})
    assert widget.value_from_datadict(data, {}, "target") == "HN-LDLD-DONGANH"


def test_the_multiple_picker_adds_typed_codes_and_maps_them_to_ids(tree):
    widget = UnitPickerWidget(multiple=True, value_field="pk")
    data = QueryDict(mutable=True)
    data.setlist("units", [str(tree.gl1.pk)])
    data["units__code"] = "HN-LDLD-GIALAM-0002, NOPE"
    assert widget.value_from_datadict(data, {}, "units") == [str(tree.gl1.pk), str(tree.gl2.pk), "NOPE"]


def test_the_text_mode_posts_codes_as_one_string(tree):
    widget = UnitPickerWidget(multiple=True, as_text=True)
    data = QueryDict(mutable=True)
    data.setlist("codes", ["HN-LDLD-GIALAM", "HN-LDLD-DONGANH"])
    assert widget.value_from_datadict(data, {}, "codes") == "HN-LDLD-GIALAM, HN-LDLD-DONGANH"
    html = widget.render("codes", "HN-LDLD-GIALAM, HN-LDLD-DONGANH")
    assert html.count(" selected>") == 2


def test_multiple_field_validates_every_code_against_the_scope(tree):
    field = unit_picker_bind(UnitMultiplePickerField(), user=tree.admin, scope="split_children", anchor=tree.gialam)
    assert list(field.clean([tree.gl1.code, tree.gl2.code])) == [tree.gl2, tree.gl1]  # Vietnamese order
    with pytest.raises(ValidationError) as caught:
        field.clean([tree.gl1.code, tree.da1.code])  # not a child of Gia Lâm
    assert caught.value.code == "invalid_choice"
