"""The standard campaign report form (from Công văn 153/LĐLĐ and Hướng dẫn 83/HD-LĐLĐ): its sections,
indicators and checks, created once through the services. The demo, the scale data and the tests file
reports on it; a deployment may create it on its own."""

from typing import NamedTuple

from django.db import transaction

from . import cycles
from .enums import IndicatorType, Rollup, RuleOperator
from .models import FormVersion, ReportForm

STANDARD_FORM_CODE = "bc-tuyen-truyen-cchc"
STANDARD_FORM_NAME = "Báo cáo kết quả tuyên truyền kiểm soát TTHC, cải cách TTHC và cơ chế một cửa, một cửa liên thông"
STANDARD_FORM_DESCRIPTION = "Theo Kế hoạch 33/KH-UBND, Công văn 153/LĐLĐ và Hướng dẫn 83/HD-LĐLĐ."


class IndicatorSpec(NamedTuple):
    code: str
    label: str
    measure_unit: str = ""
    type: str = IndicatorType.INTEGER
    required: bool = False
    rollup: str = Rollup.SUM


def _count(code: str, label: str, measure_unit: str, *, required: bool = False) -> IndicatorSpec:
    """A whole number summed up the tree: most of the form."""
    return IndicatorSpec(code, label, measure_unit, required=required)


def _text(code: str, label: str, *, required: bool = False) -> IndicatorSpec:
    return IndicatorSpec(code, label, type=IndicatorType.TEXT, required=required, rollup=Rollup.LIST)


PEOPLE = "lượt người"
CHANNELS = ["Phương tiện thông tin đại chúng", "Hội nghị, hội họp", "Trực quan", "Hội thi, tọa đàm, đối thoại"]

# (section title, [indicator])
STANDARD_SECTIONS: list[tuple[str, list[IndicatorSpec]]] = [
    (
        "I. Tuyên truyền trên phương tiện thông tin đại chúng",
        [
            _count("media_sessions", "Số tin, bài, phóng sự đã đăng, phát", "tin, bài"),
            _count(
                "media_reached", "Số lượt đoàn viên, CNVCLĐ được tiếp cận qua phương tiện thông tin đại chúng", PEOPLE
            ),
        ],
    ),
    (
        "II. Tuyên truyền trực tiếp tại hội nghị, hội họp",
        [
            _count("meeting_sessions", "Số buổi hội nghị, hội họp có lồng ghép tuyên truyền", "buổi", required=True),
            _count("meeting_reached", "Số lượt đoàn viên, CNVCLĐ tham dự", PEOPLE, required=True),
        ],
    ),
    (
        "III. Tuyên truyền trực quan (tờ rơi, áp phích, băng rôn, màn hình)",
        [
            _count("visual_items", "Số tờ rơi, áp phích, băng rôn, màn hình đã sử dụng", "sản phẩm"),
            _count("visual_reached", "Số lượt đoàn viên, CNVCLĐ được tiếp cận qua tuyên truyền trực quan", PEOPLE),
        ],
    ),
    (
        "IV. Hoạt động tương tác (hội thi, tọa đàm, đối thoại)",
        [
            _count("interactive_sessions", "Số cuộc thi, tọa đàm, đối thoại đã tổ chức", "cuộc"),
            _count("interactive_reached", "Số lượt đoàn viên, CNVCLĐ tham gia", PEOPLE),
        ],
    ),
    (
        "V. Kết quả",
        [
            _count("documents_disseminated", "Số văn bản chỉ đạo, hướng dẫn đã phổ biến", "văn bản", required=True),
            _count(
                "online_services_members",
                "Số đoàn viên được vận động sử dụng dịch vụ công trực tuyến mức độ 3, 4",
                "người",
            ),
            _count("good_models", "Số mô hình, cách làm hay được phát hiện", "mô hình"),
            _count("feedback_received", "Số ý kiến phản ánh, kiến nghị của đoàn viên đã tiếp nhận", "ý kiến"),
            _count("feedback_answered", "Số ý kiến phản ánh, kiến nghị đã được trả lời, giải quyết", "ý kiến"),
            _count(
                "contest_entries",
                "Số bài dự thi “Tìm kiếm sáng kiến, giải pháp, mô hình CCHC” đã vận động",
                "bài",
            ),
            IndicatorSpec(
                "coverage_percent",
                "Tỷ lệ đoàn viên được tuyên truyền",
                "%",
                type=IndicatorType.PERCENT,
                rollup=Rollup.AVERAGE,
            ),
            IndicatorSpec(
                "has_plan",
                "Đã ban hành kế hoạch triển khai tại đơn vị",
                type=IndicatorType.BOOLEAN,
                required=True,
                rollup=Rollup.ANY,
            ),
            IndicatorSpec(
                "main_channel", "Hình thức tuyên truyền hiệu quả nhất", type=IndicatorType.CHOICE, rollup=Rollup.LIST
            ),
        ],
    ),
    (
        "VI. Đánh giá chung",
        [
            _text("results_text", "Kết quả nổi bật", required=True),
            _text("difficulties", "Khó khăn, vướng mắc"),
            _text("proposals", "Đề xuất, kiến nghị"),
        ],
    ),
]
# (left, operator, right, message)
STANDARD_RULES = [
    (
        "meeting_reached",
        RuleOperator.GE,
        "meeting_sessions",
        "Số lượt người tham dự hội nghị phải lớn hơn hoặc bằng số buổi hội nghị.",
    ),
    (
        "interactive_reached",
        RuleOperator.GE,
        "interactive_sessions",
        "Số lượt người tham gia hoạt động tương tác phải lớn hơn hoặc bằng số cuộc đã tổ chức.",
    ),
    (
        "feedback_answered",
        RuleOperator.LE,
        "feedback_received",
        "Số ý kiến đã trả lời không được lớn hơn số ý kiến đã tiếp nhận.",
    ),
]


def standard_form_version() -> FormVersion:
    """The standard campaign form, latest version (created on first use)."""
    form = ReportForm.objects.filter(code=STANDARD_FORM_CODE).first()
    if form is not None:
        return form.versions.order_by("-number").first()
    with transaction.atomic():
        version = cycles.form_create(
            code=STANDARD_FORM_CODE, name=STANDARD_FORM_NAME, description=STANDARD_FORM_DESCRIPTION, note="Mẫu chuẩn"
        )
        for s_order, (title, indicators) in enumerate(STANDARD_SECTIONS, start=1):
            section = cycles.section_add(version=version, title=title, order=s_order)
            for i_order, spec in enumerate(indicators, start=1):
                cycles.indicator_add(
                    version=version,
                    section=section,
                    code=spec.code,
                    label=spec.label,
                    type=spec.type,
                    required=spec.required,
                    rollup=spec.rollup,
                    measure_unit=spec.measure_unit,
                    order=i_order,
                    choices="\n".join(CHANNELS) if spec.type == IndicatorType.CHOICE else "",
                )
        for left, op, right, message in STANDARD_RULES:
            cycles.rule_add(version=version, left=left, operator=op, right=right, message=message)
    return version
