from decimal import Decimal

import pytest
from django.utils import translation

from reporting import cycles
from reporting.enums import IndicatorType
from reporting.forms import CycleOpenForm, FilingForm


@pytest.fixture
def draft_version(db):
    """An editable form with one indicator of each numeric kind and a rule across two of them."""
    version = cycles.form_create(code="thu-so", name="Mẫu thử số liệu")
    section = cycles.section_add(version=version, title="Số liệu")
    add = cycles.indicator_add
    add(
        version=version,
        section=section,
        code="people",
        label="Số người",
        type=IndicatorType.INTEGER,
        order=1,
        required=True,
    )
    add(
        version=version,
        section=section,
        code="budget",
        label="Kinh phí",
        type=IndicatorType.DECIMAL,
        order=2,
        max_value=Decimal(1000),
    )
    add(
        version=version,
        section=section,
        code="share",
        label="Tỷ lệ",
        type=IndicatorType.PERCENT,
        order=3,
        min_value=None,
        max_value=None,
    )
    add(
        version=version,
        section=section,
        code="growth",
        label="Tăng trưởng",
        type=IndicatorType.PERCENT,
        order=4,
        min_value=Decimal(-50),
        max_value=Decimal(300),
    )
    add(version=version, section=section, code="reached", label="Số lượt", type=IndicatorType.INTEGER, order=5)
    cycles.rule_add(
        version=version,
        left="reached",
        operator="ge",
        right="people",
        message="Số lượt phải lớn hơn hoặc bằng số người.",
    )
    return version


def _form(version, data=None, **kwargs):
    return (
        FilingForm(data, form_version=version, **kwargs)
        if data is not None
        else FilingForm(form_version=version, initial={"version": 0}, **kwargs)
    )


def test_each_numeric_indicator_has_its_bounds_and_places(draft_version):
    form = _form(draft_version)
    fields = {code: form.fields[f"v_{code}"] for code in ("people", "budget", "share", "growth")}
    assert {code: f.bounds_text for code, f in fields.items()} == {
        "people": "Số nguyên, tối thiểu 0",
        "budget": "Số, tối đa 2 chữ số sau dấu thập phân từ 0 đến 1.000",
        "share": "Số, tối đa 2 chữ số sau dấu thập phân từ 0 đến 100",  # a percentage: 0..100 by default
        "growth": "Số, tối đa 2 chữ số sau dấu thập phân từ -50 đến 300",  # unless the indicator says otherwise
    }
    assert {code: f.widget.attrs["inputmode"] for code, f in fields.items()} == {
        "people": "numeric",
        "budget": "decimal",
        "share": "decimal",
        "growth": "decimal",
    }
    assert {code: f.storage_limit for code, f in fields.items()} == {code: Decimal(10) ** 16 for code in fields}


def test_every_problem_in_one_round(draft_version):
    data = {
        "version": "0",
        "v_people": "",
        "v_budget": "1.000,5",
        "v_share": "85.5",
        "v_growth": "-60",
        "v_reached": "",
    }
    form = _form(draft_version, data, submitting=True)
    assert not form.is_valid()
    assert {name: [str(m) for m in messages] for name, messages in form.errors.items()} == {
        "v_people": ["Chỉ tiêu bắt buộc: hãy nhập số liệu."],
        "v_budget": ["Tối đa 1.000."],
        "v_share": [
            "“85.5” có thể hiểu theo hai cách. Gõ dấu phẩy trước phần thập phân (85,5) và dấu chấm hoặc dấu "
            "cách giữa các nhóm nghìn (1.000 hoặc 1 000)."
        ],
        "v_growth": ["Tối thiểu -50."],
    }
    form = _form(draft_version, {**data, "v_people": "abc", "v_reached": "3"}, submitting=True)
    assert not form.is_valid()
    assert [str(m) for m in form.errors["v_people"]] == [  # unreadable, not also "missing"
        "“abc” không phải là số. Ví dụ: 1.000 (một nghìn), 85,5 (tám mươi lăm phẩy năm)."
    ]
    form = _form(draft_version, {**data, "v_people": "12", "v_reached": "3"}, submitting=True)
    assert not form.is_valid()
    assert form.errors["v_reached"] == ["Số lượt phải lớn hơn hoặc bằng số người."]
    assert [p.field_id for p in form.problems()] == ["id_v_budget", "id_v_share", "id_v_growth", "id_v_reached"]


def test_warnings_need_a_confirmation_each_and_only_on_submit(draft_version):
    references = {"people": Decimal(10), "reached": Decimal(10)}
    data = {"version": "0", "v_people": "500", "v_reached": "900"}
    assert _form(draft_version, data, references=references).is_valid()  # a draft is saved with its warnings
    form = _form(draft_version, data, references=references, submitting=True)
    assert not form.is_valid()
    assert set(form.unusual) == {"people", "reached"}
    assert [(p.field_id, p.is_warning) for p in form.problems()] == [("id_u_people", True), ("id_u_reached", True)]
    form = _form(draft_version, {**data, "u_people": "on"}, references=references, submitting=True)
    assert not form.is_valid()
    assert list(form.errors) == ["u_reached"]
    form = _form(draft_version, {**data, "u_people": "on", "u_reached": "on"}, references=references, submitting=True)
    assert form.is_valid()
    assert form.confirmed_unusual() == references
    assert form.values()["people"] == 500


def test_english_convention_when_the_page_is_in_english(draft_version):
    with translation.override("en"):
        form = _form(draft_version, {"version": "0", "v_budget": "999.5", "v_share": "85,5"})
        assert not form.is_valid()
        assert list(form.errors) == ["v_share"]
        assert form.cleaned_data["v_budget"] == Decimal("999.5")


def test_cycle_form_reads_its_numbers_the_vietnamese_way():
    form = CycleOpenForm({"year": "2.027", "due_working_days": "2", "grace_days": "10,5"})
    form.is_valid()
    assert form.cleaned_data["year"] == 2027
    assert form.cleaned_data["due_working_days"] == 2
    assert form.errors["grace_days"] == ["Chỉ nhập số nguyên."]
    assert form.fields["year"].widget.input_type == "text"
