import html
import io

import pytest
from django.db import connection
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from campaign_portal.db_statistics import tables_analyze
from organizations import tree_io
from organizations.models import Unit, UnitPlacement


def _xlsx(rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(tree_io.COLUMNS)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_export_has_one_row_per_unit_with_parent_code(tree):
    sheet = load_workbook(io.BytesIO(tree_io.tree_export_xlsx())).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][:2] == ("code", "parent_code")
    by_code = {r[0]: r for r in rows[2:]}
    assert len(by_code) == Unit.objects.count() == 8
    assert by_code["HN-LDLD-GIALAM-0001"][1] == "HN-LDLD-GIALAM"
    assert by_code["HN"][1] in ("", None)


def test_export_then_import_round_trip_changes_nothing(tree):
    result = tree_io.tree_import_xlsx(data=tree_io.tree_export_xlsx())
    assert (result.created, result.updated, result.moved, result.errors) == (0, 0, 0, [])


def _analyze_count(table: str) -> int:
    """Manual ANALYZEs of `table` so far (autovacuum's are counted apart, in autoanalyze_count)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")  # the statistics view is a snapshot per transaction
        cursor.execute("SELECT analyze_count FROM pg_stat_user_tables WHERE relname = %s", [table])
        return cursor.fetchone()[0]


def test_tables_analyze_names_the_tables_on_postgresql_and_does_nothing_elsewhere(db):
    expected = ["organizations_unit", "organizations_unitplacement"] if connection.vendor == "postgresql" else []
    assert tables_analyze(models=[UnitPlacement, Unit, Unit]) == expected


@pytest.mark.postgres
def test_import_that_creates_units_ends_with_analyze_of_the_tree_tables(tree):
    if connection.vendor != "postgresql":
        pytest.skip("ANALYZE and pg_stat_user_tables are PostgreSQL's")
    before = {table: _analyze_count(table) for table in ("organizations_unit", "organizations_unitplacement")}
    row = ["HN-LDLD-GIALAM-0009", "HN-LDLD-GIALAM", "grassroots_union", "Công đoàn cơ sở xã Bát Tràng", "CĐCS"]
    result = tree_io.tree_import_xlsx(data=_xlsx([row + ["", "", "", 30]]))
    assert (result.created, result.errors) == (1, [])
    after = {table: _analyze_count(table) for table in before}
    assert after == {table: count + 1 for table, count in before.items()}


@pytest.mark.postgres
def test_import_that_changes_nothing_analyses_nothing(tree):
    if connection.vendor != "postgresql":
        pytest.skip("ANALYZE and pg_stat_user_tables are PostgreSQL's")
    before = _analyze_count("organizations_unit")
    result = tree_io.tree_import_xlsx(data=tree_io.tree_export_xlsx())
    assert (result.created, result.updated, result.moved) == (0, 0, 0)
    assert _analyze_count("organizations_unit") == before


def test_import_creates_children_after_their_parents_in_the_same_file(tree):
    data = _xlsx(
        [
            [
                "HN-LDLD-SOCSON",
                "HN-LDLD",
                "district_federation",
                "Liên đoàn Lao động huyện Sóc Sơn",
                "LĐLĐ",
                "Sóc Sơn",
                "",
                "",
                0,
            ],
            [
                "HN-LDLD-SOCSON-0001",
                "HN-LDLD-SOCSON",
                "grassroots_union",
                "Công đoàn cơ sở xã Phù Linh",
                "CĐCS",
                "",
                "",
                "",
                "25",
            ],
        ]
    )
    result = tree_io.tree_import_xlsx(data=data)
    assert (result.created, result.errors) == (2, [])
    assert Unit.objects.get(code="HN-LDLD-SOCSON-0001").lineage == "/HN/HN-LDLD/HN-LDLD-SOCSON/HN-LDLD-SOCSON-0001/"
    assert Unit.objects.get(code="HN-LDLD-SOCSON-0001").member_count == 25


@pytest.mark.parametrize(
    "rows,message",
    [
        (
            [["X-1", "NOPE", "grassroots_union", "CĐCS X", "", "", "", "", 0]],
            "Dòng 3: không tìm thấy đơn vị cấp trên “NOPE”.",
        ),
        (
            [
                ["X-1", "HN-LDLD-GIALAM", "grassroots_union", "A", "", "", "", "", 0],
                ["X-1", "HN-LDLD-GIALAM", "grassroots_union", "B", "", "", "", "", 0],
            ],
            "Dòng 4: mã “X-1” trùng với dòng 3.",
        ),
        (
            [["X-1", "HN-LDLD-GIALAM-0001", "grassroots_union", "A", "", "", "", "", 0]],
            "Dòng 3: đơn vị loại “Công đoàn cơ sở” không thể trực thuộc đơn vị loại “Công đoàn cơ sở”.",
        ),
        ([["X-1", "HN-LDLD", "planet", "A", "", "", "", "", 0]], "Dòng 3: loại đơn vị “planet” không hợp lệ."),
    ],
)
def test_import_with_a_bad_row_reports_it_and_saves_nothing(tree, rows, message):
    good = ["OK-1", "HN-LDLD-GIALAM", "grassroots_union", "CĐCS tốt", "", "", "", "", 0]
    before = Unit.objects.count()
    result = tree_io.tree_import_xlsx(data=_xlsx([good, *rows]))
    assert result.errors == [message]
    assert Unit.objects.count() == before


def test_import_page_shows_row_errors_and_is_admin_only(tree, login):
    data = _xlsx([["X-1", "NOPE", "grassroots_union", "CĐCS X", "", "", "", "", 0]])
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("tree.xlsx", data)
    response = login(tree.admin).post(
        reverse("organizations:tree_import"), {"file": upload, "effective_on": "2025-07-01"}
    )
    assert "Dòng 2: không tìm thấy đơn vị cấp trên “NOPE”." in response.content.decode()
    assert login(tree.gialam_head).get(reverse("organizations:tree_import")).status_code == 404
    assert login(tree.gialam_head).post(reverse("organizations:tree_export")).status_code == 404


def test_import_refuses_a_file_that_is_not_xlsx(tree, login):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("tree.xlsx", b"<html>not a spreadsheet</html>")
    response = login(tree.admin).post(
        reverse("organizations:tree_import"), {"file": upload, "effective_on": "2025-07-01"}
    )
    assert (
        "Tệp XLSX: loại tệp không được chấp nhận (kiểm tra theo nội dung tệp, không theo tên). Chỉ nhận: XLSX."
    ) in html.unescape(response.content.decode())


@pytest.mark.parametrize(
    ("cell", "count", "error"),
    [
        ("630.000", 630_000, None),  # a text cell typed the Vietnamese way: never 630
        ("1 250", 1250, None),
        (2400, 2400, None),  # a number cell
        (25.0, 25, None),
        ("12,5", None, "Dòng 2: số đoàn viên: Chỉ nhập số nguyên."),
        ("1.5", None, "Dòng 2: số đoàn viên: “1.5” có thể hiểu theo hai cách."),
        ("-3", None, "Dòng 2: số đoàn viên: Tối thiểu 0."),
    ],
)
def test_import_reads_member_counts_as_typed(tree, cell, count, error):
    row = ["X-1", "HN-LDLD-GIALAM", "grassroots_union", "CĐCS X", "", "", "", "", cell]
    result = tree_io.tree_import_xlsx(data=_xlsx([row]))
    if error is None:
        assert result.errors == []
        assert Unit.objects.get(code="X-1").member_count == count
    else:
        assert [e.split(" Gõ dấu phẩy")[0] for e in result.errors] == [error]
        assert not Unit.objects.filter(code="X-1").exists()
