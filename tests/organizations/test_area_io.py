"""The official list of communes and wards imported as XLSX (Django admin), all rows checked first."""

import datetime as dt
import io
import unicodedata

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from campaign_portal.xlsx import rows_xlsx
from organizations import area_io
from organizations.models import AdministrativeArea, UnitCoverage
from tests.factories import UserFactory


def _xlsx(header, rows) -> bytes:
    return rows_xlsx([header, *rows])


def _names() -> dict[str, str]:
    return dict(AdministrativeArea.objects.values_list("code", "name"))


def test_export_lists_every_area_and_reimports_unchanged(db):
    data = area_io.areas_export_xlsx()
    rows = list(load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True))
    assert rows[1] == tuple(area_io.COLUMNS)
    assert len(rows) == 2 + 126
    assert ("00229", "Phường Kim Liên", "phuong", "01", "01/07/2025", None) in rows
    result = area_io.areas_import_xlsx(data=data)
    assert (result.created, result.updated, result.unchanged, result.skipped, result.errors) == (0, 0, 126, 0, [])


def test_import_reads_the_official_headers_adds_missing_and_skips_other_provinces(db):
    # A database that lacks one area of the official list (e.g. loaded before a correction).
    AdministrativeArea.objects.filter(code="10489").delete()
    data = _xlsx(
        ["Tỉnh / Thành Phố", "Mã TP", "Tên", "Mã", "Cấp"],
        [
            ["Thành phố Hà Nội", "01", "Xã Hương Sơn", "10489", "Xã"],
            # Typed without the kind and in decomposed Unicode: stored as the official NFC name.
            ["Thành phố Hà Nội", "01", unicodedata.normalize("NFD", "Kim Liên"), 229, "Phường"],
            ["Thành phố Hồ Chí Minh", "79", "Phường Sài Gòn", "26734", "Phường"],
        ],
    )
    result = area_io.areas_import_xlsx(data=data)
    assert (result.created, result.updated, result.unchanged, result.skipped, result.errors) == (1, 0, 1, 1, [])
    area = AdministrativeArea.objects.get(code="10489")
    assert (area.name, area.kind, area.valid_from, area.search_text) == (
        "Xã Hương Sơn",
        "xa",
        dt.date(2025, 7, 1),
        "xa huong son 10489",
    )
    assert not AdministrativeArea.objects.filter(code="26734").exists()
    assert AdministrativeArea.objects.count() == 126


def test_import_updates_an_area_that_ends(db):
    data = _xlsx(area_io.COLUMNS, [["00229", "Phường Kim Liên", "phuong", "01", "01/07/2025", "01/01/2027"]])
    result = area_io.areas_import_xlsx(data=data)
    assert (result.created, result.updated, result.errors) == (0, 1, [])
    assert AdministrativeArea.objects.get(code="00229").valid_to == dt.date(2027, 1, 1)


def test_import_with_bad_rows_reports_each_and_imports_nothing(db):
    before = _names()
    data = _xlsx(
        area_io.COLUMNS,
        [
            ["00229", "Phường Kim Liên (sửa)", "phuong", "01", "", ""],  # good, but must not be applied
            ["12A45", "Phường Lỗi", "phuong", "01", "", ""],
            ["00235", "", "phuong", "01", "", ""],
            ["00229", "Phường Kim Liên", "phuong", "01", "", ""],
            ["00199", "Láng", "quan", "01", "", ""],
            ["00190", "Phường Ô Chợ Dừa", "phuong", "01", "31/13/2025", ""],
            ["00166", "Phường Cầu Giấy", "phuong", "01", "01/07/2025", "01/07/2025"],
        ],
    )
    result = area_io.areas_import_xlsx(data=data)
    assert result.errors == [
        "Dòng 3: mã “12A45” phải gồm tối đa 5 chữ số.",
        "Dòng 4: thiếu tên.",
        "Dòng 5: mã “00229” trùng với dòng 2.",
        "Dòng 6: loại phải là “phuong” hoặc “xa” (hoặc tên bắt đầu bằng “Phường”, “Xã”).",
        "Dòng 7: ngày “31/13/2025” không đúng dạng dd/mm/yyyy.",
        "Dòng 8: ngày hết hiệu lực phải sau ngày hiệu lực.",
    ]
    assert (result.created, result.updated) == (0, 0)
    assert _names() == before


def test_import_refuses_a_file_that_is_not_a_list_of_areas(db):
    from campaign_portal.exceptions import PortalError

    with pytest.raises(PortalError, match="dòng tiêu đề"):
        area_io.areas_import_xlsx(data=_xlsx(["a", "b"], [["1", "2"]]))
    with pytest.raises(PortalError, match="XLSX"):
        area_io.areas_import_xlsx(data=b"PK\x03\x04 not really a workbook")


def test_admin_import_good_file(superuser, client, django_assert_max_num_queries):
    client.force_login(superuser, backend="django.contrib.auth.backends.ModelBackend")
    url = reverse("admin:organizations_administrativearea_import")
    assert client.get(url).status_code == 200
    data = _xlsx(area_io.COLUMNS, [["00229", "Phường Kim Liên", "phuong", "01", "01/07/2025", "01/01/2027"]])
    upload = io.BytesIO(data)
    upload.name = "dia-ban.xlsx"
    with django_assert_max_num_queries(20):
        response = client.post(url, {"file": upload})
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:organizations_administrativearea_changelist")
    assert AdministrativeArea.objects.get(code="00229").valid_to == dt.date(2027, 1, 1)


def test_admin_import_bad_file_shows_row_errors_and_changes_nothing(superuser, client):
    client.force_login(superuser, backend="django.contrib.auth.backends.ModelBackend")
    upload = io.BytesIO(
        _xlsx(
            area_io.COLUMNS,
            [["00229", "Phường Kim Liên", "phuong", "01", "", ""], ["xx", "Phường Lỗi", "phuong", "01", "", ""]],
        )
    )
    upload.name = "dia-ban.xlsx"
    response = client.post(reverse("admin:organizations_administrativearea_import"), {"file": upload})
    assert response.status_code == 200
    assert "Dòng 3: mã “xx” phải gồm tối đa 5 chữ số." in response.content.decode()
    assert AdministrativeArea.objects.get(code="00229").valid_to is None


def test_admin_changelist_search_and_export(superuser, client):
    client.force_login(superuser, backend="django.contrib.auth.backends.ModelBackend")
    response = client.get(reverse("admin:organizations_administrativearea_changelist"), {"q": "kim lien"})
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [AdministrativeArea.objects.get(code="00229")]
    export = client.get(reverse("admin:organizations_administrativearea_export"))
    assert export.status_code == 200
    assert export["Content-Disposition"] == 'attachment; filename="dia-ban.xlsx"'


def test_admin_import_denied_to_staff_without_permission_and_to_non_staff(tree, client):
    staff = UserFactory(email="staff@example.vn", is_staff=True)
    client.force_login(staff, backend="django.contrib.auth.backends.ModelBackend")
    upload = io.BytesIO(_xlsx(area_io.COLUMNS, [["00229", "Phường X", "phuong", "01", "", ""]]))
    upload.name = "dia-ban.xlsx"
    assert client.post(reverse("admin:organizations_administrativearea_import"), {"file": upload}).status_code == 403
    assert client.get(reverse("admin:organizations_administrativearea_export")).status_code == 403
    client.force_login(tree.gialam_head, backend="django.contrib.auth.backends.ModelBackend")
    assert client.get(reverse("admin:organizations_administrativearea_import")).status_code == 302
    assert AdministrativeArea.objects.get(code="00229").name == "Phường Kim Liên"


def test_admin_coverage_is_read_only(superuser, client):
    client.force_login(superuser, backend="django.contrib.auth.backends.ModelBackend")
    assert client.get(reverse("admin:organizations_unitcoverage_changelist")).status_code == 200
    assert client.get(reverse("admin:organizations_unitcoverage_add")).status_code == 403
    assert UnitCoverage.objects.count() == 0
