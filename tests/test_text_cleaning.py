"""Issue 14, item 4: every path by which typed or imported text reaches the models stores it cleaned
(NFC, no invisible or bidi characters, one-line whitespace collapsed) or refuses a control character,
and codes are A–Z, 0–9 and "-" only. Each entry point is posted through its real view (or read from
its real import), with each kind of bad input, and what is stored is compared exactly."""

import io
import unicodedata
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from campaign_portal.exceptions import PortalError
from campaign_portal.text import clean_code, clean_text
from contest.models import Entrant, Entry
from directives.models import Delivery, Document
from organizations import area_io, tree_io
from organizations.forms import UnitForm
from organizations.models import AdministrativeArea, Unit, User
from public.models import Feedback, NewsItem
from reporting.models import Value

from .admin_utils import admin_form_data
from .contest.conftest import ENTRY_TEXT, contest_env, make_entrant  # noqa: F401  (fixture)
from .directives.conftest import make_document  # noqa: F401  (fixture)
from .public.conftest import feedback_form_data
from .reporting.conftest import cycle, form_version, period, post_data  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db

P = "Thời gian chờ ở bộ phận một cửa quá lâu"
REFUSED = "Văn bản chứa ký tự điều khiển không hợp lệ (U+0007)."
CODE_REFUSED = "Mã chỉ gồm chữ cái A–Z không dấu, chữ số và dấu gạch ngang (-), không có dấu cách."
# name: (typed, stored in a one-line field, stored in a multi-line field); REFUSED: the form says so.
INPUTS = {
    "rlo_u202e": ("Thời gian chờ \u202eở bộ phận một cửa quá lâu", P, P),
    "zero_width_u200b_u200d": ("Thời gian\u200b chờ ở bộ phận\u200d một cửa quá lâu", P, P),
    "bom_ufeff": ("\ufeff" + P, P, P),
    "nbsp_and_trailing": ("Thời\u00a0gian chờ ở bộ phận một cửa quá lâu\u00a0 ", P, P),
    "tab_crlf": ("Thời gian chờ\tở bộ phận\r\nmột cửa quá lâu", P, "Thời gian chờ\tở bộ phận\nmột cửa quá lâu"),
    "nfd": (unicodedata.normalize("NFD", P), P, P),
    "bell_u0007": ("Thời gian chờ\u0007 ở bộ phận một cửa quá lâu", REFUSED, REFUSED),
}


# --- the function itself ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "multiline", "stored"),
    [
        ("a\u200e\u200fb\u061cc\u2066d\u2067e\u2068f\u2069g\u202ah\u202bi\u202cj\u202dk", False, "abcdefghijk"),
        ("Hà\u00adNội\u2060", False, "HàNội"),
        ("  một\u3000hai\u2003ba \n bốn ", False, "một hai ba bốn"),
        ("Đoạn một.  \r\n\r\nĐoạn hai.\u2028Dòng ba.\t ", True, "Đoạn một.\n\nĐoạn hai.\nDòng ba."),
        ("\ufeff\n\nNội dung\n\n", True, "Nội dung"),
    ],
)
def test_clean_text_removes_invisible_and_normalises_space(typed, multiline, stored):
    assert clean_text(typed, multiline=multiline) == stored


@pytest.mark.parametrize("control", ["\x00", "\x07", "\x08", "\x1b", "\x7f", "\x9b"])
def test_clean_text_refuses_other_control_characters(control):
    for multiline in (False, True):
        with pytest.raises(PortalError) as error:
            clean_text(f"a{control}b", multiline=multiline)
        assert error.value.message == f"Văn bản chứa ký tự điều khiển không hợp lệ (U+{ord(control):04X})."


@pytest.mark.parametrize(
    ("typed", "stored"), [("hn-ldld-gialam-0042", "HN-LDLD-GIALAM-0042"), ("\u200bHN-LDLD\u202e ", "HN-LDLD"), ("", "")]
)
def test_clean_code_upper_cases(typed, stored):
    assert clean_code(typed) == stored


@pytest.mark.parametrize("typed", ["HN LDLD", "HN_LDLD", "HN-ĐÔNGANH", "HN/1", "HN.1"])
def test_clean_code_refuses_other_characters(typed):
    with pytest.raises(PortalError) as error:
        clean_code(typed)
    assert error.value.message == CODE_REFUSED


# --- entry points ----------------------------------------------------------------------------------
# Each takes (tree-and-friends, client login, value) and returns (response, a function reading what is stored).


def _unit_edit(env, value, field):
    unit = env.tree.gl1
    data = {name: getattr(unit, name) for name in UnitForm.Meta.fields}
    data["member_count"] = str(unit.member_count)
    data[field] = value
    response = env.login(env.tree.admin).post(reverse("organizations:unit_edit", args=[unit.code]), data)
    return response, lambda: getattr(Unit.objects.get(pk=unit.pk), field)


def _unit_add(env, value, field="name", code="HN-LDLD-GIALAM-0099"):
    data = {
        "code": code,
        "kind": "grassroots_union",
        "name": "Công đoàn cơ sở mới",
        "abbreviation": "CĐCS",
        "document_parent_name": "",
        "document_name": "",
        "place_name": "Gia Lâm",
        "email": "",
        "phone": "",
        "address": "",
        "member_count": "10",
        "active_from": "2025-07-01",
        field: value,
    }
    response = env.login(env.tree.admin).post(
        reverse("organizations:unit_add_child", args=[env.tree.gialam.code]), data
    )
    return response, lambda: Unit.objects.filter(code=code).values_list(field, flat=True).first()


def _tree_import(env, value):
    data = tree_io.rows_xlsx(
        [
            tree_io.COLUMNS,
            ["HN-LDLD-GIALAM-0099", "HN-LDLD-GIALAM", "grassroots_union", value, "CĐCS", "Gia Lâm", "", "", 10],
        ]
    )
    upload = SimpleUploadedFile("cay.xlsx", data)
    response = env.login(env.tree.admin).post(
        reverse("organizations:tree_import"), {"file": upload, "effective_on": "2025-07-01"}
    )
    return response, lambda: Unit.objects.filter(code="HN-LDLD-GIALAM-0099").values_list("name", flat=True).first()


def _area_import(env, value):
    data = tree_io.rows_xlsx([area_io.COLUMNS, ["10999", value, "xa", "01", "01/07/2025", ""]])
    upload = io.BytesIO(data)
    upload.name = "dia-ban.xlsx"
    env.tree.admin.is_superuser = True
    env.tree.admin.save()
    response = env.login(env.tree.admin).post(
        reverse("admin:organizations_administrativearea_import"), {"file": upload}
    )
    return response, lambda: AdministrativeArea.objects.filter(code="10999").values_list("name", flat=True).first()


def _directive(env, value, field):
    data = {
        "issuing_unit": env.tree.gialam.pk,
        "doc_type": "HD",
        "place": "Gia Lâm",
        "issued_on": "2019-04-01",
        "subject": "Triển khai Kế hoạch 33",
        "addressee_mode": "children_of_kind",
        "addressee_kinds": ["grassroots_union"],
        "body": "I. MỤC ĐÍCH",
        "tasks_text": "30/09/2019 | Báo cáo kết quả",
        "signer_position": "CHỦ TỊCH",
        "signer_name": "Nguyễn Đức Thế",
        field: value,
    }
    response = env.login(env.tree.gialam_officer).post("/directives/new/", data)
    return response, lambda: Document.objects.filter(issuing_unit=env.tree.gialam).values_list(field, flat=True).first()


def _delivery_note(env, value):
    document = env.document_maker(unit=env.tree.gialam, by=env.tree.gialam_officer, issue=True)
    delivery = Delivery.objects.get(document=document, unit=env.tree.gl1)
    client = env.login(env.tree.gl1_officer)
    client.post(f"/directives/deliveries/{delivery.pk}/acknowledge/")
    response = client.post(
        f"/directives/deliveries/{delivery.pk}/implement/", {"outcome": "done", "result_note": value}
    )
    return response, lambda: Delivery.objects.get(pk=delivery.pk).result_note or None


def _report(env, value, field):
    open_period = env.request.getfixturevalue("period")
    url = reverse("reporting:file_report", args=[open_period.pk, env.tree.gl1.code])
    name, code = field.split(":")
    response = env.login(env.tree.gl1_officer).post(url, {**post_data(), f"{name}_{code}": value})
    attr = "text" if name == "v" else "comment"
    return response, lambda: Value.objects.filter(report__unit=env.tree.gl1, indicator__code=code).values_list(
        attr, flat=True
    ).first()


def _register(env, value, field):
    contest = env.request.getfixturevalue("contest_env").contest
    data = {
        "full_name": "Phạm Thị Đăng Ký",
        "email": "dangky@example.vn",
        "password1": "mot-mat-khau-dai-9",
        "password2": "mot-mat-khau-dai-9",
        "kind": "individual",
        "eligibility": "citizen",
        "declare": "on",
        field: value,
    }
    response = env.client.post(reverse("contest:register", args=[contest.slug]), data)
    if field == "full_name":
        return response, lambda: User.objects.filter(email="dangky@example.vn").values_list(
            "full_name", flat=True
        ).first()
    return response, lambda: Entrant.objects.filter(user__email="dangky@example.vn").values_list(
        field, flat=True
    ).first()


def _entry(env, value, field):
    contest = env.request.getfixturevalue("contest_env").contest
    entrant = make_entrant(contest)
    data = {**ENTRY_TEXT, field: value, "draft_key": str(uuid.uuid4()), "action": "save"}
    response = env.login(entrant.user).post(reverse("contest:entry_new", args=[contest.slug]), data)
    return response, lambda: Entry.objects.filter(entrant=entrant).values_list(field, flat=True).first()


def _feedback(env, value, field):
    response = env.client.post("/phan-anh/", feedback_form_data(env.client, **{field: value}))
    return response, lambda: Feedback.objects.values_list(field, flat=True).first()


def _news(env, value, field):
    data = {
        "unit": env.tree.gialam.pk,
        "title": "Hội nghị một cửa",
        "summary": "Tóm tắt",
        "body": "Đoạn một.",
        "source": "",
        field: value,
    }
    response = env.login(env.tree.gialam_officer).post("/quan-ly/tin-tuc/moi/", data)
    return response, lambda: NewsItem.objects.values_list(field, flat=True).first()


def _admin_unit(env, value, field):
    env.tree.admin.is_superuser = True
    env.tree.admin.save()
    client = env.login(env.tree.admin)
    url = reverse("admin:organizations_unit_change", args=[env.tree.gl1.pk])
    response = client.post(url, admin_form_data(client.get(url), **{field: value}))
    return response, lambda: getattr(Unit.objects.get(pk=env.tree.gl1.pk), field)


def _admin_news(env, value, field):
    env.tree.admin.is_superuser = True
    env.tree.admin.save()
    news = NewsItem.objects.create(
        unit=env.tree.gialam, author=env.tree.gialam_officer, title="Tin cũ", summary="Tóm tắt cũ", body="Đoạn một."
    )
    client = env.login(env.tree.admin)
    url = reverse("admin:public_newsitem_change", args=[news.pk])
    response = client.post(url, admin_form_data(client.get(url), **{field: value}))
    return response, lambda: getattr(NewsItem.objects.get(pk=news.pk), field)


# (entry point, field, multi-line?, poster)
ENTRY_POINTS = [
    ("unit_edit", "name", False, lambda env, v: _unit_edit(env, v, "name")),
    ("unit_edit", "document_name", False, lambda env, v: _unit_edit(env, v, "document_name")),
    ("unit_edit", "place_name", False, lambda env, v: _unit_edit(env, v, "place_name")),
    ("unit_edit", "address", False, lambda env, v: _unit_edit(env, v, "address")),
    ("unit_add_child", "name", False, lambda env, v: _unit_add(env, v)),
    ("tree_import_xlsx", "name", False, _tree_import),
    ("area_import_xlsx", "name", False, _area_import),
    ("directive_draft", "subject", False, lambda env, v: _directive(env, v, "subject")),
    ("directive_draft", "body", True, lambda env, v: _directive(env, v, "body")),
    ("directive_draft", "signer_name", False, lambda env, v: _directive(env, v, "signer_name")),
    ("delivery_implement", "result_note", True, _delivery_note),
    ("report_filing", "text value", True, lambda env, v: _report(env, v, "v:results_text")),
    ("report_filing", "comment", False, lambda env, v: _report(env, v, "c:meeting_sessions")),
    ("contest_register", "full_name", False, lambda env, v: _register(env, v, "full_name")),
    ("contest_register", "display_name", False, lambda env, v: _register(env, v, "display_name")),
    ("contest_entry", "title", False, lambda env, v: _entry(env, v, "title")),
    ("contest_entry", "problem", True, lambda env, v: _entry(env, v, "problem")),
    ("feedback", "title", False, lambda env, v: _feedback(env, v, "title")),
    ("feedback", "text", True, lambda env, v: _feedback(env, v, "text")),
    ("feedback", "name", False, lambda env, v: _feedback(env, v, "name")),
    ("news_form", "title", False, lambda env, v: _news(env, v, "title")),
    ("news_form", "summary", True, lambda env, v: _news(env, v, "summary")),
    ("admin_unit", "name", False, lambda env, v: _admin_unit(env, v, "name")),
    ("admin_unit", "address", False, lambda env, v: _admin_unit(env, v, "address")),
    ("admin_news", "title", False, lambda env, v: _admin_news(env, v, "title")),
]
# A spreadsheet cannot carry a C0 control character (XML 1.0 forbids it; openpyxl refuses to write it).
NOT_APPLICABLE = {("tree_import_xlsx", "bell_u0007"), ("area_import_xlsx", "bell_u0007")}


class Env:
    def __init__(self, request, tree, login, client):
        self.request, self.tree, self.login, self.client = request, tree, login, client

    @property
    def document_maker(self):
        return self.request.getfixturevalue("make_document")


CASES = [
    pytest.param(point, field, multiline, poster, input_name, id=f"{point}-{field}-{input_name}")
    for point, field, multiline, poster in ENTRY_POINTS
    for input_name in INPUTS
    if (point, input_name) not in NOT_APPLICABLE
]


@pytest.mark.parametrize(("point", "field", "multiline", "poster", "input_name"), CASES)
def test_entry_point_stores_clean_text_or_refuses(
    request, tree, login, client, settings, tmp_path, point, field, multiline, poster, input_name
):
    settings.MEDIA_ROOT = tmp_path
    typed, one_line, multi_line = INPUTS[input_name]
    expected = multi_line if multiline else one_line
    if point == "area_import_xlsx":
        expected = f"Xã {expected}"
    response, stored = poster(Env(request, tree, login, client), typed)
    page = response.content.decode()
    if expected == REFUSED:
        assert response.status_code == (400 if point == "feedback" else 200)  # the feedback form answers 400
        assert REFUSED in page
        if point in ("unit_edit", "admin_unit"):
            assert stored() == getattr(tree.gl1, field)
        elif point == "admin_news":
            assert stored() == "Tin cũ"
        else:
            assert stored() is None  # a new contest entry's draft is made with its first save: none here
        # what was typed is kept (as the field shows it, escaped)
        assert "Thời gian chờ" in page
    else:
        assert response.status_code in (200, 302) and REFUSED not in page  # registration answers 200 "check your mail"
        assert stored() == expected


# --- codes -----------------------------------------------------------------------------------------

CODE_INPUTS = {
    "lower_case": ("hn-ldld-gialam-0099", "HN-LDLD-GIALAM-0099"),
    "zero_width_bom_rlo": ("\ufeffHN-LDLD-\u202eGIALAM\u200b-0099", "HN-LDLD-GIALAM-0099"),
    "nbsp_tab_edges": ("\u00a0HN-LDLD-GIALAM-0099\t", "HN-LDLD-GIALAM-0099"),
    "inner_space": ("HN-LDLD GIALAM-0099", CODE_REFUSED),
    "underscore": ("HN_LDLD_GIALAM_0099", CODE_REFUSED),
    "vietnamese_letter": ("HN-LDLD-ĐÔNGANH-0099", CODE_REFUSED),
    "nfd_vietnamese": (unicodedata.normalize("NFD", "HN-LDLD-ĐÔNGANH-0099"), CODE_REFUSED),
    "bell_u0007": ("HN-LDLD-\u0007GIALAM-0099", REFUSED),
}


@pytest.mark.parametrize("input_name", CODE_INPUTS)
def test_unit_add_child_code(tree, login, client, request, input_name):
    typed, expected = CODE_INPUTS[input_name]
    response, _stored = _unit_add(Env(request, tree, login, client), "Công đoàn cơ sở mới", code=typed)
    new = Unit.objects.filter(name="Công đoàn cơ sở mới")
    if expected in (CODE_REFUSED, REFUSED):
        assert response.status_code == 200 and expected in response.content.decode()
        assert not new.exists()
    else:
        assert response.status_code == 302
        assert list(new.values_list("code", "lineage")) == [(expected, f"{tree.gialam.lineage}{expected}/")]


@pytest.mark.parametrize("input_name", [name for name in CODE_INPUTS if name != "bell_u0007"])
def test_tree_import_code(tree, input_name):
    typed, expected = CODE_INPUTS[input_name]
    data = tree_io.rows_xlsx(
        [
            tree_io.COLUMNS,
            [typed, "HN-LDLD-GIALAM", "grassroots_union", "Công đoàn cơ sở mới", "CĐCS", "Gia Lâm", "", "", 10],
        ]
    )
    result = tree_io.tree_import_xlsx(data=data)
    new = Unit.objects.filter(name="Công đoàn cơ sở mới")
    if expected == CODE_REFUSED:
        assert result.errors == [f"Dòng 2: {CODE_REFUSED}"]
        assert not new.exists()
    else:
        assert (result.created, result.errors) == (1, [])
        assert list(new.values_list("code", "lineage")) == [(expected, f"{tree.gialam.lineage}{expected}/")]


def test_services_and_models_clean_what_no_form_saw(tree):
    """The model-level guarantee: a service or an import that bypasses forms stores clean text too."""
    from organizations.services import unit_update

    unit_update(
        unit=tree.gl1,
        address="Số 1\u200b\u00a0phố\tHuế\u202e",
        document_name=unicodedata.normalize("NFD", "CÔNG ĐOÀN CƠ SỞ"),
    )
    tree.gl1.refresh_from_db()
    assert (tree.gl1.address, tree.gl1.document_name) == ("Số 1 phố Huế", "CÔNG ĐOÀN CƠ SỞ")
    with pytest.raises(PortalError) as error:
        unit_update(unit=tree.gl1, name="Tên\x07mới")
    assert error.value.message == REFUSED


def test_demo_unit_codes_are_valid_codes():
    from organizations import demo

    source = open(demo.__file__, encoding="utf-8").read()
    import re

    codes = set(re.findall(r'"(HN-[^"{}]*)"', source))
    assert codes and all(clean_code(code) == code for code in codes)


def test_models_that_clean_on_save_clean_once_and_still_clean(tree):
    """TextCleanedOnSave models are left alone by the pre_save hook: their own save() is what cleans."""
    from django.db.models.signals import pre_save

    from campaign_portal.model_text import TextCleanedOnSave

    hooked = {lookup_key[0] for lookup_key, *_rest in pre_save.receivers}
    assert "clean_text:organizations.Membership" in hooked
    assert {"clean_text:organizations.Unit", "clean_text:organizations.User"} & hooked == set()
    assert issubclass(type(tree.gl1), TextCleanedOnSave) and issubclass(type(tree.gialam_head), TextCleanedOnSave)
    tree.gl1.address = "Số 2\u200b phố\u00a0Huế"
    tree.gl1.save()
    tree.gialam_head.position = unicodedata.normalize("NFD", "Chủ tịch  công đoàn")
    tree.gialam_head.save()
    tree.gl1.refresh_from_db()
    tree.gialam_head.refresh_from_db()
    assert (tree.gl1.address, tree.gialam_head.position) == ("Số 2 phố Huế", "Chủ tịch công đoàn")
