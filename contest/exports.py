"""Entries and scores as XLSX for the secretariat."""

from campaign_portal.xlsx import XlsxWriter

from .enums import AssignmentState
from .models import Assignment, Entry


def entries_workbook(contest) -> bytes:
    wb = XlsxWriter()
    sheet = wb.add_sheet(
        "Bài dự thi",
        header=[
            "Mã bài",
            "Tên bài",
            "Lĩnh vực",
            "Trạng thái",
            "Tác giả",
            "Hình thức",
            "Đơn vị",
            "Phường, xã",
            "Đối tượng",
            "E-mail",
            "Nộp lúc",
        ],
    )
    fields = contest.field_labels
    for e in (
        Entry.objects.filter(contest=contest)
        .exclude(code=None)
        .select_related("entrant__user", "area")
        .order_by("code")
        .iterator(chunk_size=2000)
    ):
        sheet.append(
            [
                e.code,
                e.title,
                fields.get(e.field, e.field),
                e.get_status_display(),
                e.entrant.display_name,
                e.entrant.get_kind_display(),
                e.entrant.organisation,
                e.area.name if e.area_id else e.legacy_district,
                e.get_category_display(),
                e.entrant.user.email,
                e.submitted_at,
            ]
        )  # the writer shows it in Hanoi time
    scores = wb.add_sheet("Điểm", header=["Vòng", "Mã bài", "Giám khảo", "Trạng thái", "Điểm (thang 100)"])
    for a in (
        Assignment.objects.filter(round__contest=contest)
        .exclude(state=AssignmentState.WITHDRAWN)
        .select_related("round", "entry", "judge")
        .order_by("round__sequence", "entry__code")
        .iterator(chunk_size=2000)
    ):
        scores.append(
            [
                a.round.name,
                a.entry.code,
                a.judge.full_name,
                a.get_state_display(),
                float(a.total) if a.total is not None else None,
            ]
        )
    return wb.getvalue()
