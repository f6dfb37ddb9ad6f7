"""Moves, dissolutions, merges and splits through the portal: the form (pickers scoped to what the tree rules
allow, a formset for splits), the preview of what will happen, and the confirmation applied once."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from organizations.enums import UnitChangeKind, UnitKind
from organizations.models import Membership, Unit, UnitChange

pytestmark = pytest.mark.django_db
DAY = "2025-07-01"


def url(unit, action):
    return reverse("organizations:unit_reorganise", args=[unit.code, action])


def hidden_fields(html: str) -> dict:
    """The preview's confirmation form, as the browser would post it (one value per name here)."""
    return dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', html))


def preview_then_confirm(client, unit, action, data):
    preview = client.post(url(unit, action), data)
    assert preview.status_code == 200
    html = preview.content.decode()
    assert "Xác nhận" in html
    return html, {**hidden_fields(html), "confirm": "1"}


def split_data(rows, *, effective_on=DAY, total=None):
    data = {
        "parts-TOTAL_FORMS": str(total or len(rows)),
        "parts-INITIAL_FORMS": "0",
        "parts-MIN_NUM_FORMS": "2",
        "parts-MAX_NUM_FORMS": "1000",
        "effective_on": effective_on,
        "note": "Quyết định 12/QĐ-LĐLĐ",
    }
    for index, (code, name, children) in enumerate(rows):
        data |= {f"parts-{index}-code": code, f"parts-{index}-name": name, f"parts-{index}-kind": "district_federation"}
        data[f"parts-{index}-children"] = [child.code for child in children]
    return data


def test_move_form_shows_the_current_parent_and_a_scoped_picker(tree, login):
    html = login(tree.admin).get(url(tree.gl1, "move")).content.decode()
    assert "Hiện trực thuộc: Liên đoàn Lao động huyện Gia Lâm (HN-LDLD-GIALAM)" in html
    assert 'data-url="/units/autocomplete/?scope=move_parent&amp;unit=HN-LDLD-GIALAM-0001"' in html
    assert "vendor/tom-select/tom-select.complete.min.js" in html
    assert "portal/unit-picker.js" in html


def test_move_is_previewed_then_applied_once(tree, login):
    client = login(tree.admin)
    html, confirm = preview_then_confirm(
        client, tree.gl1, "move", {"new_parent": tree.donganh.code, "effective_on": DAY, "note": "QĐ 5"}
    )
    assert (
        "Công đoàn cơ sở UBND thị trấn Trâu Quỳ (HN-LDLD-GIALAM-0001) chuyển từ Liên đoàn Lao động huyện Gia Lâm "
        "(HN-LDLD-GIALAM) về trực thuộc Liên đoàn Lao động huyện Đông Anh (HN-LDLD-DONGANH), hiệu lực từ 01/07/2025."
    ) in html
    assert re.search(r'<td class="text-end">1</td>\s*<td class="text-end">1</td>\s*<td class="text-end">48</td>', html)
    assert Unit.objects.get(pk=tree.gl1.pk).lineage == "/HN/HN-LDLD/HN-LDLD-GIALAM/HN-LDLD-GIALAM-0001/"

    response = client.post(url(tree.gl1, "move"), confirm)
    assert response.status_code == 302
    assert Unit.objects.get(pk=tree.gl1.pk).lineage == "/HN/HN-LDLD/HN-LDLD-DONGANH/HN-LDLD-GIALAM-0001/"
    again = client.post(url(tree.gl1, "move"), confirm, follow=True)
    assert "Thay đổi này đã được ghi nhận" in again.content.decode()
    assert UnitChange.objects.filter(unit=tree.gl1, kind=UnitChangeKind.MOVE).count() == 1
    assert UnitChange.objects.get(unit=tree.gl1, kind=UnitChangeKind.MOVE).note == "QĐ 5"


def test_move_refuses_a_parent_outside_the_rules_and_keeps_what_was_typed(tree, login):
    response = login(tree.admin).post(
        url(tree.gl1, "move"), {"new_parent": tree.gl2.code, "effective_on": DAY, "note": "Theo đề nghị"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Xác nhận" not in html
    assert "Theo đề nghị" in html
    assert 'value="HN-LDLD-GIALAM-0002" selected' in html
    assert Unit.objects.get(pk=tree.gl1.pk).lineage.startswith("/HN/HN-LDLD/HN-LDLD-GIALAM/")


def test_a_forged_confirmation_is_refused(tree, login):
    client = login(tree.admin)
    _html, confirm = preview_then_confirm(
        client, tree.gl1, "move", {"new_parent": tree.donganh.code, "effective_on": DAY}
    )
    response = client.post(url(tree.gl1, "move"), {**confirm, "token": confirm["token"] + "x"})
    assert "Bản xem trước đã hết hạn" in response.content.decode()
    assert not UnitChange.objects.filter(unit=tree.gl1, kind=UnitChangeKind.MOVE).exists()


def test_edit_returns_to_the_form_with_the_previewed_values(tree, login):
    client = login(tree.admin)
    _html, confirm = preview_then_confirm(
        client, tree.gl1, "move", {"new_parent": tree.donganh.code, "effective_on": DAY, "note": "QĐ 5"}
    )
    confirm.pop("confirm")
    html = client.post(url(tree.gl1, "move"), {**confirm, "edit": "1"}).content.decode()
    assert "Xem trước thay đổi" in html
    assert 'value="HN-LDLD-DONGANH" selected' in html
    assert "QĐ 5" in html
    assert not UnitChange.objects.filter(unit=tree.gl1, kind=UnitChangeKind.MOVE).exists()


def test_merge_preview_counts_units_grassroots_members_and_memberships(tree, login):
    client = login(tree.admin)
    html, confirm = preview_then_confirm(
        client, tree.gialam, "merge", {"target": tree.donganh.code, "effective_on": DAY}
    )
    assert "2 đơn vị trực thuộc" in html
    assert "Công đoàn cơ sở Trường THCS Dương Xá; Công đoàn cơ sở UBND thị trấn Trâu Quỳ" in html
    assert re.search(r'<td class="text-end">2</td>\s*<td class="text-end">2</td>\s*<td class="text-end">110</td>', html)
    assert re.search(r"Phân công tại đơn vị kết thúc</dt><dd[^>]*>2</dd>", html)
    client.post(url(tree.gialam, "merge"), confirm)
    client.post(url(tree.gialam, "merge"), confirm)
    assert Unit.objects.get(pk=tree.gialam.pk).dissolved_on == dt.date(2025, 7, 1)
    assert UnitChange.objects.filter(kind=UnitChangeKind.MERGE, unit=tree.gialam).count() == 1
    assert Unit.objects.get(pk=tree.gl1.pk).lineage == "/HN/HN-LDLD/HN-LDLD-DONGANH/HN-LDLD-GIALAM-0001/"
    assert Membership.objects.filter(unit=tree.gialam, is_active=True).count() == 0


def test_merge_target_must_be_of_the_same_kind(tree, login):
    response = login(tree.admin).post(url(tree.gialam, "merge"), {"target": tree.federation.code, "effective_on": DAY})
    assert "Xác nhận" not in response.content.decode()
    assert Unit.objects.get(pk=tree.gialam.pk).dissolved_on is None


def test_dissolve_without_a_destination_for_the_children_is_refused(tree, login):
    response = login(tree.admin).post(url(tree.gialam, "dissolve"), {"effective_on": DAY, "note": "Theo NQ 123"})
    html = response.content.decode()
    assert "Đơn vị còn 2 đơn vị trực thuộc: chọn nơi chuyển các đơn vị này đến." in html
    assert "Theo NQ 123" in html


def test_split_form_is_a_formset_with_a_picker_per_row(tree, login):
    html = login(tree.admin).get(url(tree.gialam, "split")).content.decode()
    assert html.count('name="parts-0-name"') == 1
    assert 'name="parts-2-name"' in html  # a spare row without script
    assert 'name="parts-TOTAL_FORMS" value="3"' in html
    assert 'data-url="/units/autocomplete/?scope=split_children&amp;unit=HN-LDLD-GIALAM"' in html
    assert 'id="split-row-template"' in html
    assert "<option" in html and html.count("<option") < 40  # kinds and empty choices, no unit list


def test_split_is_previewed_then_applied_once(tree, login):
    client = login(tree.admin)
    data = split_data(
        [
            ("HN-LDLD-GIALAM-BAC", "Liên đoàn Lao động Gia Lâm Bắc", [tree.gl1]),
            ("HN-LDLD-GIALAM-NAM", "Liên đoàn Lao động Gia Lâm Nam", [tree.gl2]),
        ]
    )
    html, _confirm = preview_then_confirm(client, tree.gialam, "split", data)
    assert "chia tách thành 2 đơn vị mới rồi giải thể, hiệu lực từ 01/07/2025." in html
    assert "Liên đoàn Lao động Gia Lâm Bắc (HN-LDLD-GIALAM-BAC)" in html
    confirm = {**data, "token": hidden_fields(html)["token"], "confirm": "1"}  # children: several values
    assert client.post(url(tree.gialam, "split"), confirm).status_code == 302
    assert client.post(url(tree.gialam, "split"), confirm).status_code == 302
    north = Unit.objects.get(code="HN-LDLD-GIALAM-BAC")
    assert north.kind == UnitKind.DISTRICT_FEDERATION
    assert Unit.objects.get(pk=tree.gl1.pk).lineage == "/HN/HN-LDLD/HN-LDLD-GIALAM-BAC/HN-LDLD-GIALAM-0001/"
    assert Unit.objects.get(pk=tree.gl2.pk).lineage == "/HN/HN-LDLD/HN-LDLD-GIALAM-NAM/HN-LDLD-GIALAM-0002/"
    assert Unit.objects.get(pk=tree.gialam.pk).dissolved_on == dt.date(2025, 7, 1)
    assert Unit.objects.filter(code__startswith="HN-LDLD-GIALAM-").exclude(code__regex=r"\d$").count() == 2


def test_split_errors_are_shown_per_row_and_typed_values_kept(tree, login):
    data = split_data(
        [
            ("HN-LDLD-GIALAM-BAC", "Gia Lâm Bắc", [tree.gl1]),
            ("HN-LDLD-GIALAM-BAC", "Gia Lâm Nam", [tree.gl1, tree.da1]),
        ]
    )
    html = login(tree.admin).post(url(tree.gialam, "split"), data).content.decode()
    assert "Xác nhận" not in html
    assert "Gia Lâm Nam" in html
    # Uy Nỗ is not Gia Lâm's: the error sits under row 2's picker.
    assert re.search(
        r'id="error_1_id_parts-1-children"[^>]*><strong>Không chọn được đơn vị HN-LDLD-DONGANH-0001 ở đây', html
    )


def test_split_refuses_the_same_child_twice_and_a_child_left_behind(tree, login):
    client = login(tree.admin)
    twice = split_data([("HN-A", "Gia Lâm Bắc", [tree.gl1]), ("HN-B", "Gia Lâm Nam", [tree.gl1])])
    html = client.post(url(tree.gialam, "split"), twice).content.decode()
    assert "“Công đoàn cơ sở UBND thị trấn Trâu Quỳ” đã được chuyển về dòng 1." in html
    left = split_data([("HN-A", "Gia Lâm Bắc", [tree.gl1]), ("HN-B", "Gia Lâm Nam", [])])
    html = client.post(url(tree.gialam, "split"), left).content.decode()
    assert "Còn 1 đơn vị chưa chuyển: Công đoàn cơ sở Trường THCS Dương Xá." in html
    assert Unit.objects.get(pk=tree.gialam.pk).dissolved_on is None


def test_reorganisation_is_refused_to_a_head(tree, login):
    client = login(tree.gialam_head)
    assert client.get(url(tree.gl1, "move")).status_code == 404
    assert client.post(url(tree.gl1, "move"), {"new_parent": "HN-LDLD", "effective_on": DAY}).status_code == 404
    assert not UnitChange.objects.filter(kind=UnitChangeKind.MOVE).exists()
