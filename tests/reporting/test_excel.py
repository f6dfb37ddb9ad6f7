"""Excel in: the report template read back with openpyxl, its round trip through the upload, every
refusal (nothing half-saved), and a head's workbook for several child units entered on their behalf."""

import io
import time
import zipfile
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from campaign_portal.exceptions import PortalError
from reporting import excel, excel_import, services
from reporting.enums import ReportStatus
from reporting.models import Report
from tests.reporting.conftest import VALID, file

# What the officer types in Excel: numbers as numbers, some as Vietnamese text, yes/no and a choice.
TYPED = {
    **VALID,
    "meeting_reached": "1.000",  # text read the Vietnamese way: one thousand
    "coverage_percent": "85,5",
    "has_plan": "Có",
}


def _rows_by_code(sheet) -> dict:
    return {
        row[0].value: row
        for row in sheet.iter_rows(min_row=excel.FIRST_ROW)
        if row[0].value not in (None, "") and row[0].row >= excel.FIRST_ROW
    }


def fill(content: bytes, figures: dict, *, sheet: str | None = None, workbook=None) -> bytes:
    """Types the figures into column H of a template, as an officer does in Excel."""
    workbook = workbook or openpyxl.load_workbook(io.BytesIO(content))
    type_into(workbook[sheet] if sheet else workbook.worksheets[0], figures)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def type_into(worksheet, figures: dict) -> None:
    rows = _rows_by_code(worksheet)
    for code, value in figures.items():
        rows[code][7].value = float(value) if isinstance(value, Decimal) else value


def upload(content: bytes, name="bao-cao.xlsx"):
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def _label(code: str) -> str:
    from reporting.models import Indicator

    return Indicator.objects.filter(code=code).values_list("label", flat=True).first()


def _values(report) -> dict:
    return {v.indicator.code: (v.number if v.number is not None else v.text) for v in report.values.all()}


EXPECTED = {
    **{code: Decimal(value) for code, value in VALID.items() if not isinstance(value, str)},
    "meeting_reached": Decimal(1000),
    "coverage_percent": Decimal("85.5"),
    "has_plan": Decimal(1),
    "main_channel": VALID["main_channel"],
    "results_text": VALID["results_text"],
}


# ---------------------------------------------------------------- the template
def test_template_holds_unit_period_indicators_validation_and_previous_figures(client, tree, quarters):
    third, fourth = quarters
    file(third, tree.gl1, tree.gl1_officer, meeting_sessions=7)
    client.force_login(tree.gl1_officer)
    response = client.get(reverse("reporting:template_xlsx", args=[fourth.pk, tree.gl1.code]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == [tree.gl1.code, excel.LIST_SHEET, excel.KEY_SHEET]
    assert [workbook[n].sheet_state for n in workbook.sheetnames] == ["visible", "hidden", "hidden"]
    sheet = workbook[tree.gl1.code]
    assert [sheet["A2"].value, sheet["B2"].value, sheet["C2"].value] == ["Đơn vị", tree.gl1.code, tree.gl1.name]
    assert sheet["B3"].value == fourth.label
    assert [c.value for c in sheet[excel.HEADER_ROW]] == [
        "Mã chỉ tiêu",
        "Chỉ tiêu",
        "Đơn vị tính",
        "Kiểu",
        "Giới hạn",
        "Bắt buộc",
        "Kỳ trước",
        "Số liệu kỳ này",
        "Ghi chú",
    ]
    rows = _rows_by_code(sheet)
    assert len(rows) == fourth.cycle.form_version.indicators.count()
    meeting = rows["meeting_sessions"]
    assert [c.value for c in meeting[:7]] == [
        "meeting_sessions",
        "Số buổi hội nghị, hội họp có lồng ghép tuyên truyền",
        "buổi",
        "Số nguyên",
        "Số nguyên, tối thiểu 0",
        "Có",
        7,
    ]
    assert meeting[7].value is None  # no draft yet
    assert rows["has_plan"][6].value == "Có"
    validations = {str(v.sqref): v for v in sheet.data_validations.dataValidation}
    cell = f"H{meeting[0].row}"
    assert (validations[cell].type, validations[cell].operator, validations[cell].formula1) == (
        "whole",
        "greaterThanOrEqual",
        "0",
    )
    assert validations[cell].prompt == "Số nguyên, tối thiểu 0"
    percent = validations[f"H{rows['coverage_percent'][0].row}"]
    assert (percent.type, percent.formula1, percent.formula2) == ("decimal", "0", "100")
    has_plan = validations[f"H{rows['has_plan'][0].row}"]
    assert has_plan.type == "list"
    lists = workbook[excel.LIST_SHEET]
    assert [c.value for c in lists[has_plan.formula1.split("!")[1].replace("$", "").split(":")[0][1:]]][:2] == [
        "Có",
        "Không",
    ]
    key = {row[0]: row[1:] for row in workbook[excel.KEY_SHEET].iter_rows(values_only=True)}
    assert key["period"][0] == fourth.pk
    assert key["sheet"] == (tree.gl1.code, tree.gl1.code, 0)


def test_template_holds_the_current_draft(client, tree, period):
    report = file(period, tree.gl1, tree.gl1_officer, submit=False, meeting_sessions=4)
    client.force_login(tree.gl1_officer)
    content = client.get(reverse("reporting:template_xlsx", args=[period.pk, tree.gl1.code])).content
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    rows = _rows_by_code(workbook.worksheets[0])
    assert rows["meeting_sessions"][7].value == 4
    assert rows["main_channel"][7].value == VALID["main_channel"]
    assert workbook[excel.KEY_SHEET]["D5"].value == report.version


def test_template_refused_to_an_outsider(client, tree, period):
    client.force_login(tree.gl2_officer)
    assert client.get(reverse("reporting:template_xlsx", args=[period.pk, tree.gl1.code])).status_code == 404


# ---------------------------------------------------------------- the round trip
def test_round_trip_saves_the_figures_through_the_service(client, tree, period):
    client.force_login(tree.gl1_officer)
    content = client.get(reverse("reporting:template_xlsx", args=[period.pk, tree.gl1.code])).content
    filled = fill(content, TYPED)
    response = client.post(
        reverse("reporting:excel_import", args=[period.pk, tree.gl1.code]), {"file": upload(filled)}, follow=True
    )
    assert [str(m) for m in response.context["messages"]] == [
        "Đã nhập số liệu từ tệp Excel vào bản nháp. Hãy xem lại rồi nộp báo cáo."
    ]
    report = Report.objects.get(period=period, unit=tree.gl1)
    assert report.status == ReportStatus.DRAFT
    assert _values(report) == EXPECTED
    assert report.entered_on_behalf is False
    latest = report.history.first()
    assert (latest.history_change_reason, latest.history_user) == ("Nhập từ tệp Excel", tree.gl1_officer)
    # The draft submits like one typed on the web.
    assert services.report_submit(report=report, by=tree.gl1_officer).status == ReportStatus.SUBMITTED


def test_import_reads_comments_and_keeps_numbers_typed_as_numbers(tree, period):
    draft = services.report_save(
        period=period,
        unit=tree.gl1,
        values=VALID,
        comments={"media_sessions": "=Theo sổ tay"},
        expected_version=0,
        by=tree.gl1_officer,
    )
    content = excel.report_template_xlsx(period=period, unit=tree.gl1)
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    rows = _rows_by_code(workbook.worksheets[0])
    assert rows["media_sessions"][8].value == "'=Theo sổ tay"  # written as text, never a formula
    rows["meeting_sessions"][8].value = "Theo biên bản"
    filled = fill(content, {**VALID, "media_reached": 1234, "coverage_percent": 85.5}, workbook=workbook)
    report = excel_import.report_import_xlsx(period=period, unit=tree.gl1, upload=upload(filled), by=tree.gl1_officer)
    values = {v.indicator.code: v for v in report.values.all()}
    assert values["media_reached"].number == Decimal(1234)
    assert values["coverage_percent"].number == Decimal("85.5")
    assert values["media_sessions"].comment == "=Theo sổ tay"  # the draft's comment comes back unchanged
    assert values["meeting_sessions"].comment == "Theo biên bản"
    assert report.pk == draft.pk


# ---------------------------------------------------------------- refusals: nothing half-saved
def _refusal(callable_, **kwargs) -> PortalError:
    with pytest.raises(PortalError) as caught:
        callable_(**kwargs)
    return caught.value


def test_errors_listed_by_cell_and_indicator_and_nothing_saved(tree, period):
    draft = file(period, tree.gl1, tree.gl1_officer, submit=False)
    values_before, version_before = _values(draft), draft.version
    content = excel.report_template_xlsx(period=period, unit=tree.gl1)
    rows = _rows_by_code(openpyxl.load_workbook(io.BytesIO(content)).worksheets[0])
    filled = fill(content, {"media_sessions": 5, "coverage_percent": 120, "meeting_reached": "85.5", "has_plan": "Ừ"})
    error = _refusal(
        excel_import.report_import_xlsx, period=period, unit=tree.gl1, upload=upload(filled), by=tree.gl1_officer
    )
    assert str(error) == ("Chưa nhập được tệp Excel: 3 lỗi. Không có số liệu nào được lưu; hãy sửa rồi tải lên lại.")
    row = {code: rows[code][0].row for code in ("coverage_percent", "meeting_reached", "has_plan")}
    assert error.problems == [
        f"Ô H{row['meeting_reached']} – {_label('meeting_reached')}: “85.5” có thể hiểu theo hai cách. "
        "Gõ dấu phẩy trước phần thập phân (85,5) và dấu chấm hoặc dấu cách giữa các nhóm nghìn (1.000 hoặc 1 000).",
        f"Ô H{row['coverage_percent']} – {_label('coverage_percent')}: phải là số, tối đa 2 chữ số sau dấu "
        "thập phân từ 0 đến 100 (đang ghi 120).",
        f"Ô H{row['has_plan']} – {_label('has_plan')}: chọn “Có” hoặc “Không”.",
    ]
    draft.refresh_from_db()
    assert (_values(draft), draft.version) == (values_before, version_before)


def test_required_and_rules_checked_like_the_web_form(tree, period):
    content = excel.report_template_xlsx(period=period, unit=tree.gl1)
    filled = fill(content, {**VALID, "results_text": None, "feedback_answered": 9})
    error = _refusal(
        excel_import.report_import_xlsx, period=period, unit=tree.gl1, upload=upload(filled), by=tree.gl1_officer
    )
    assert len(error.problems) == 2
    assert error.problems[0].endswith("Kết quả nổi bật: chỉ tiêu bắt buộc: hãy nhập số liệu.")
    assert error.problems[1].startswith(f"Ô H19 – {_label('feedback_answered')}: ")
    assert not Report.objects.filter(period=period, unit=tree.gl1).exists()


def test_file_of_another_unit_or_period_refused(tree, period, quarters):
    other_unit = fill(excel.report_template_xlsx(period=period, unit=tree.gl2), VALID)
    error = _refusal(
        excel_import.report_import_xlsx, period=period, unit=tree.gl1, upload=upload(other_unit), by=tree.gl1_officer
    )
    assert str(error) == (
        "Tệp này là mẫu của đơn vị HN-LDLD-GIALAM-0002, không phải của Công đoàn cơ sở UBND thị trấn Trâu Quỳ. "
        "Hãy tải mẫu của đơn vị mình."
    )
    _third, fourth = quarters
    other_period = fill(excel.report_template_xlsx(period=fourth, unit=tree.gl1), VALID)
    error = _refusal(
        excel_import.report_import_xlsx, period=period, unit=tree.gl1, upload=upload(other_period), by=tree.gl1_officer
    )
    assert str(error) == (
        f"Tệp này là mẫu của kỳ “{fourth.label}”, không phải kỳ “{period.label}”. Hãy tải mẫu của kỳ này."
    )
    assert not Report.objects.filter(unit=tree.gl1).exists()


def test_file_not_from_the_portal_refused(tree, period):
    workbook = openpyxl.Workbook()
    buffer = io.BytesIO()
    workbook.save(buffer)
    error = _refusal(
        excel_import.report_import_xlsx,
        period=period,
        unit=tree.gl1,
        upload=upload(buffer.getvalue()),
        by=tree.gl1_officer,
    )
    assert str(error) == (
        "Tệp này không phải mẫu Excel tải từ cổng (thiếu phần nhận dạng). Hãy tải mẫu Excel rồi nhập vào đó."
    )


def test_macro_and_oversized_files_refused_by_upload_check(tree, period, settings):
    content = fill(excel.report_template_xlsx(period=period, unit=tree.gl1), VALID)
    with_macro = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as source, zipfile.ZipFile(with_macro, "w") as target:
        for item in source.infolist():
            target.writestr(item, source.read(item))
        target.writestr("xl/vbaProject.bin", b"\x00" * 64)
    error = _refusal(
        excel_import.report_import_xlsx,
        period=period,
        unit=tree.gl1,
        upload=upload(with_macro.getvalue()),
        by=tree.gl1_officer,
    )
    assert str(error) == (
        "Tệp Excel: tệp có macro (.docm, .xlsm, VBA) không được nhận. Hãy lưu lại dưới dạng .docx hoặc .xlsx."
    )
    settings.UPLOAD_MAX_BYTES = {"spreadsheet": 1024}
    error = _refusal(
        excel_import.report_import_xlsx, period=period, unit=tree.gl1, upload=upload(content), by=tree.gl1_officer
    )
    assert str(error).startswith("Tệp Excel: tệp quá lớn (")
    assert not Report.objects.filter(unit=tree.gl1).exists()


def test_report_saved_after_the_download_is_not_overwritten(tree, period):
    content = excel.report_template_xlsx(period=period, unit=tree.gl1)
    file(period, tree.gl1, tree.gl1_officer, submit=False, media_sessions=9)
    error = _refusal(
        excel_import.report_import_xlsx,
        period=period,
        unit=tree.gl1,
        upload=upload(fill(content, VALID)),
        by=tree.gl1_officer,
    )
    assert error.problems == [
        "báo cáo đã được lưu sau khi tải mẫu này. Hãy tải mẫu mới (có số liệu mới nhất) rồi nhập lại."
    ]
    assert _values(Report.objects.get(unit=tree.gl1))["media_sessions"] == Decimal(9)


def test_submitted_report_refused_clearly(client, tree, period):
    file(period, tree.gl1, tree.gl1_officer)
    client.force_login(tree.gl1_officer)
    content = excel.report_template_xlsx(period=period, unit=tree.gl1)  # a template of the filed report
    response = client.post(
        reverse("reporting:excel_import", args=[period.pk, tree.gl1.code]),
        {"file": upload(fill(content, VALID))},
        follow=True,
    )
    assert [str(m) for m in response.context["messages"]] == [
        "Chưa nhập được tệp Excel: 1 lỗi. Không có số liệu nào được lưu; hãy sửa rồi tải lên lại.",
        "Báo cáo đã nộp hoặc đã duyệt, không sửa được nữa.",
    ]


def test_import_refused_to_an_outsider(client, tree, period):
    content = fill(excel.report_template_xlsx(period=period, unit=tree.gl1), VALID)
    client.force_login(tree.gl2_officer)
    response = client.post(
        reverse("reporting:excel_import", args=[period.pk, tree.gl1.code]), {"file": upload(content)}
    )
    assert response.status_code == 404
    assert not Report.objects.filter(unit=tree.gl1).exists()
    error = _refusal(
        excel_import.report_import_xlsx, period=period, unit=tree.gl1, upload=upload(content), by=tree.gl2_officer
    )
    assert str(error) == "Bạn không có quyền lập báo cáo cho đơn vị này."


# ---------------------------------------------------------------- a head on behalf of child units
def test_head_workbook_has_a_sheet_per_child_unit_still_to_enter(client, tree, period):
    file(period, tree.gl2, tree.gl2_officer)  # filed: nothing to enter for it
    client.force_login(tree.gialam_head)
    response = client.get(reverse("reporting:on_behalf_xlsx", args=[period.pk, tree.gialam.code]))
    assert openpyxl.load_workbook(io.BytesIO(response.content)).sheetnames == [
        tree.gl1.code,
        excel.LIST_SHEET,
        excel.KEY_SHEET,
    ]


def test_head_workbook_has_a_sheet_per_child_unit(client, tree, period):
    client.force_login(tree.gialam_head)
    response = client.get(reverse("reporting:on_behalf_xlsx", args=[period.pk, tree.gialam.code]))
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    # In the order of their names (Trường THCS Dương Xá, then UBND thị trấn Trâu Quỳ).
    assert workbook.sheetnames == [tree.gl2.code, tree.gl1.code, excel.LIST_SHEET, excel.KEY_SHEET]
    assert workbook[tree.gl2.code]["C2"].value == tree.gl2.name


def test_head_enters_several_units_on_their_behalf(client, tree, period):
    client.force_login(tree.gialam_head)
    content = client.get(reverse("reporting:on_behalf_xlsx", args=[period.pk, tree.gialam.code])).content
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    fill(content, TYPED, sheet=tree.gl1.code, workbook=workbook)
    filled = fill(content, {**VALID, "media_sessions": 6}, sheet=tree.gl2.code, workbook=workbook)
    response = client.post(
        reverse("reporting:reports_on_behalf", args=[period.pk, tree.gialam.code]),
        {"file": upload(filled)},
        follow=True,
    )
    assert [str(m) for m in response.context["messages"]] == ["Đã nhập hộ số liệu của 2 đơn vị (bản nháp)."]
    gl1, gl2 = (Report.objects.get(period=period, unit=u) for u in (tree.gl1, tree.gl2))
    assert _values(gl1) == EXPECTED
    assert _values(gl2)["media_sessions"] == Decimal(6)
    assert [(r.entered_on_behalf, r.entered_by) for r in (gl1, gl2)] == [(True, tree.gialam_head)] * 2
    latest = gl1.history.first()
    assert (latest.history_change_reason, latest.history_user, latest.entered_on_behalf) == (
        "Nhập hộ từ tệp Excel",
        tree.gialam_head,
        True,
    )
    # The unit submits; the mark is shown on the report page and in the head's review queue.
    services.report_submit(report=gl1, by=tree.gl1_officer)
    client.force_login(tree.gl1_officer)
    assert (
        "Nhập hộ bởi " + tree.gialam_head.full_name
        in client.get(reverse("reporting:report_detail", args=[gl1.pk])).content.decode()
    )
    client.force_login(tree.gialam_head)
    assert "Nhập hộ bởi " + tree.gialam_head.full_name in client.get(reverse("reporting:review_queue")).content.decode()


def test_head_workbook_all_or_nothing(tree, period):
    content = excel.reports_template_on_behalf_xlsx(period=period, unit=tree.gialam, user=tree.gialam_head)
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    fill(content, VALID, sheet=tree.gl1.code, workbook=workbook)
    filled = fill(content, {**VALID, "media_sessions": "1,5"}, sheet=tree.gl2.code, workbook=workbook)
    error = _refusal(
        excel_import.reports_import_on_behalf_xlsx,
        period=period,
        unit=tree.gialam,
        upload=upload(filled),
        by=tree.gialam_head,
    )
    row = _rows_by_code(workbook[tree.gl2.code])["media_sessions"][0].row
    assert error.problems == [
        f"Trang “{tree.gl2.code}” ({tree.gl2.name}): Ô H{row} – {_label('media_sessions')}: "
        "phải là số nguyên, tối thiểu 0 (đang ghi 1,5)."
    ]
    assert not Report.objects.filter(period=period).exists()


def test_head_workbook_refused_whole_when_one_report_is_filed(tree, period):
    content = excel.reports_template_on_behalf_xlsx(period=period, unit=tree.gialam, user=tree.gialam_head)
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    fill(content, VALID, sheet=tree.gl1.code, workbook=workbook)
    filled = fill(content, VALID, sheet=tree.gl2.code, workbook=workbook)
    # gl2 files on the web in between: its sheet is refused, and gl1's is not saved either.
    file(period, tree.gl2, tree.gl2_officer)
    error = _refusal(
        excel_import.reports_import_on_behalf_xlsx,
        period=period,
        unit=tree.gialam,
        upload=upload(filled),
        by=tree.gialam_head,
    )
    assert error.problems == [
        f"Trang “{tree.gl2.code}” ({tree.gl2.name}): báo cáo đã nộp hoặc đã duyệt, không nhập hộ được nữa."
    ]
    assert not Report.objects.filter(period=period, unit=tree.gl1).exists()
    assert Report.objects.get(period=period, unit=tree.gl2).entered_on_behalf is False


def test_on_behalf_page_permissions(client, tree, period):
    url = reverse("reporting:reports_on_behalf", args=[period.pk, tree.gialam.code])
    for outsider in (tree.gl1_officer, tree.gialam_officer, tree.donganh_head):
        client.force_login(outsider)
        assert client.get(url).status_code == 404
        assert client.get(reverse("reporting:on_behalf_xlsx", args=[period.pk, tree.gialam.code])).status_code == 404
    client.force_login(tree.gialam_head)
    response = client.get(url)
    assert response.status_code == 200
    assert [u.code for u, _report in response.context["rows"]] == [tree.gl2.code, tree.gl1.code]


def test_other_head_cannot_enter_for_units_not_hers(tree, period):
    content = excel.reports_template_on_behalf_xlsx(period=period, unit=tree.gialam, user=tree.gialam_head)
    filled = fill(content, VALID, sheet=tree.gl1.code)
    error = _refusal(
        excel_import.reports_import_on_behalf_xlsx,
        period=period,
        unit=tree.gialam,
        upload=upload(filled),
        by=tree.donganh_head,
    )
    assert str(error) == "Chỉ lãnh đạo đơn vị được nhập hộ báo cáo của đơn vị cấp dưới."
    # Her own unit's page with Gia Lâm's workbook: the sheets are not hers to fill.
    error = _refusal(
        excel_import.reports_import_on_behalf_xlsx,
        period=period,
        unit=tree.donganh,
        upload=upload(filled),
        by=tree.donganh_head,
    )
    assert error.problems == [
        f"Trang “{tree.gl2.code}” ({tree.gl2.name}): bạn không được nhập hộ đơn vị này cho kỳ này.",
        f"Trang “{tree.gl1.code}” ({tree.gl1.name}): bạn không được nhập hộ đơn vị này cho kỳ này.",
    ]
    assert not Report.objects.filter(period=period).exists()


def test_on_behalf_page_query_count(client, tree, period, django_assert_max_num_queries):
    for unit, officer in ((tree.gl1, tree.gl1_officer), (tree.gl2, tree.gl2_officer)):
        file(period, unit, officer, submit=False)
    client.force_login(tree.gialam_head)
    url = reverse("reporting:reports_on_behalf", args=[period.pk, tree.gialam.code])
    with django_assert_max_num_queries(14):
        assert client.get(url).status_code == 200


def test_locked_period_refused_clearly(tree, period):
    from tests.reporting.conftest import clock

    content = fill(excel.report_template_xlsx(period=period, unit=tree.gl1), VALID)
    with clock(period.locks_on):
        error = _refusal(
            excel_import.report_import_xlsx, period=period, unit=tree.gl1, upload=upload(content), by=tree.gl1_officer
        )
        assert error.problems == [
            f"Kỳ báo cáo đã khóa (quá hạn nộp {period.due_on:%d/%m/%Y} và thời gian gia hạn). "
            "Liên hệ quản trị cổng để được mở lại."
        ]
        # Nor can the head enter it: the unit is no longer offered.
        assert excel.units_for_entry_on_behalf(period=period, unit=tree.gialam, user=tree.gialam_head) == []
    assert not Report.objects.filter(period=period).exists()


def test_head_workbook_without_units_to_enter(tree, period):
    for unit, officer in ((tree.gl1, tree.gl1_officer), (tree.gl2, tree.gl2_officer)):
        file(period, unit, officer)
    content = excel.reports_template_on_behalf_xlsx(period=period, unit=tree.gialam, user=tree.gialam_head)
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    assert workbook.sheetnames == ["Nhập hộ", excel.LIST_SHEET, excel.KEY_SHEET]
    assert workbook["Nhập hộ"]["A1"].value == "Không có đơn vị cấp dưới nào cần nhập hộ trong kỳ này."
    error = _refusal(
        excel_import.reports_import_on_behalf_xlsx,
        period=period,
        unit=tree.gialam,
        upload=upload(content),
        by=tree.gialam_head,
    )
    assert str(error) == "Tệp không có trang đơn vị nào để nhập."


def test_head_workbook_of_200_units_imports_in_one_go(tree, period, django_assert_max_num_queries):
    """The figure for the note: a head's workbook of 200 child units (200 sheets × 18 indicator rows)."""
    from tests.factories import make_unit

    for n in range(198):
        make_unit(tree.gialam, code=f"HN-LDLD-GIALAM-{n + 3:04d}", name=f"Công đoàn cơ sở thử {n + 3:03d}")
    started = time.perf_counter()
    content = excel.reports_template_on_behalf_xlsx(period=period, unit=tree.gialam, user=tree.gialam_head)
    written = time.perf_counter()
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    assert len(workbook.sheetnames) == 200 + 2
    for title in workbook.sheetnames[:200]:
        type_into(workbook[title], VALID)
    filled = fill(content, {}, workbook=workbook)
    filled_at = time.perf_counter()
    # 22 a report: 18 to write it, 4 to recount its summary nodes (lock, the cycle's scope, recount, upsert).
    with django_assert_max_num_queries(200 * 22 + 10):
        reports = excel_import.reports_import_on_behalf_xlsx(
            period=period, unit=tree.gialam, upload=upload(filled), by=tree.gialam_head
        )
    imported = time.perf_counter()
    assert len(reports) == 200
    assert Report.objects.filter(period=period, entered_on_behalf=True).count() == 200
    print(
        f"\n200-unit workbook: {len(content) // 1024} KB written in {written - started:.2f} s, "
        f"{len(filled) // 1024} KB imported in {imported - filled_at:.2f} s"
    )


def test_head_workbook_queries_do_not_grow_with_units(tree, period, django_assert_max_num_queries):
    for unit, officer in ((tree.gl1, tree.gl1_officer), (tree.gl2, tree.gl2_officer)):
        file(period, unit, officer, submit=False)
    with django_assert_max_num_queries(16):
        content = excel.reports_template_on_behalf_xlsx(period=period, unit=tree.gialam, user=tree.gialam_head)
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    assert _rows_by_code(workbook[tree.gl2.code])["media_sessions"][7].value == VALID["media_sessions"]


def _with_key(content: bytes, name: str, value) -> bytes:
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    for row in workbook[excel.KEY_SHEET].iter_rows():
        if row[0].value == name:
            row[1].value = value
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_file_of_another_form_version_refused(tree, period):
    content = fill(excel.report_template_xlsx(period=period, unit=tree.gl1), VALID)
    other_version = _with_key(content, "form_version", period.cycle.form_version_id + 1)
    error = _refusal(
        excel_import.report_import_xlsx, period=period, unit=tree.gl1, upload=upload(other_version), by=tree.gl1_officer
    )
    assert str(error) == "Tệp được tải theo một phiên bản khác của mẫu báo cáo. Hãy tải mẫu mới rồi nhập lại."
    assert not Report.objects.filter(unit=tree.gl1).exists()


def test_unit_template_and_head_workbook_not_mixed_up(tree, period):
    unit_file = fill(excel.report_template_xlsx(period=period, unit=tree.gl1), VALID)
    error = _refusal(
        excel_import.reports_import_on_behalf_xlsx,
        period=period,
        unit=tree.gialam,
        upload=upload(unit_file),
        by=tree.gialam_head,
    )
    assert str(error) == "Tệp này là mẫu của một đơn vị; hãy tải lên ở trang lập báo cáo của đơn vị đó."
    head_file = excel.reports_template_on_behalf_xlsx(period=period, unit=tree.gialam, user=tree.gialam_head)
    error = _refusal(
        excel_import.report_import_xlsx, period=period, unit=tree.gl1, upload=upload(head_file), by=tree.gl1_officer
    )
    assert str(error) == "Tệp này là mẫu nhập hộ nhiều đơn vị; hãy tải lên ở trang nhập hộ."
    assert not Report.objects.filter(period=period).exists()
