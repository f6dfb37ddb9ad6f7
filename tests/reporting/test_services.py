import datetime as dt
from decimal import Decimal
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from campaign_portal.calendar import HANOI
from campaign_portal.exceptions import PortalError
from organizations.enums import UnitKind
from reporting import cycles, services, signals
from reporting.enums import PeriodType, ReportStatus, ReviewAction
from reporting.models import Evidence, FormVersion, Report, Review, Value
from tests.upload_samples import png_bytes

from .conftest import VALID, file, open_cycle

PNG = png_bytes()


def test_cycle_open_freezes_the_form_version_and_makes_periods(cycle, form_version):
    form_version.refresh_from_db()
    assert form_version.is_frozen is True
    period = cycle.periods.get()
    assert period.due_on > period.ends_on
    assert period.locks_on == period.due_on + dt.timedelta(days=11)


def test_indicator_change_on_used_version_creates_new_version_and_filed_reports_keep_theirs(tree, period, form_version):
    report = file(period, tree.gl1, tree.gl1_officer)
    old = form_version.indicators.get(code="meeting_sessions")
    changed = cycles.indicator_change(indicator=old, label="Số buổi hội nghị (sửa)", note="đổi tên")
    assert changed.version.number == 2
    assert changed.version_id != form_version.pk
    assert FormVersion.objects.filter(form=form_version.form).count() == 2
    assert changed.version.indicators.count() == form_version.indicators.count()
    assert changed.version.rules.count() == 3
    old.refresh_from_db()
    assert old.label == "Số buổi hội nghị, hội họp có lồng ghép tuyên truyền"
    report.refresh_from_db()
    assert report.form_version_id == form_version.pk
    assert Value.objects.get(report=report, indicator__code="meeting_sessions").indicator_id == old.pk


def test_editing_a_frozen_version_directly_is_refused(period, form_version):
    with pytest.raises(PortalError):
        cycles.section_add(version=form_version, title="Phần mới")


def test_report_copies_lineage_and_double_submit_creates_one_report(tree, period):
    report = file(period, tree.gl1, tree.gl1_officer)
    again = services.report_submit(report=report, by=tree.gl1_officer)
    assert again.pk == report.pk
    assert Report.objects.filter(period=period, unit=tree.gl1).count() == 1
    assert Review.objects.filter(report=report, action=ReviewAction.SUBMIT).count() == 1
    assert report.lineage == "/HN/HN-LDLD/HN-LDLD-GIALAM/HN-LDLD-GIALAM-0001/"
    assert report.status == ReportStatus.SUBMITTED
    assert report.is_late is False


def test_submit_refuses_missing_required_and_broken_rules(tree, period):
    report = services.report_save(
        period=period,
        unit=tree.gl1,
        values={**VALID, "results_text": "", "feedback_answered": 9},
        expected_version=0,
        by=tree.gl1_officer,
    )
    with pytest.raises(PortalError) as error:
        services.report_submit(report=report, by=tree.gl1_officer)
    assert "Chỉ tiêu bắt buộc" in str(error.value)
    assert "Số ý kiến đã trả lời không được lớn hơn số ý kiến đã tiếp nhận." in str(error.value)
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT


def test_late_is_decided_on_hanoi_calendar(tree, period):
    report = file(period, tree.gl1, tree.gl1_officer, submit=False)
    # 16:59 UTC on the due date is 23:59 in Hanoi: on time.
    on_time = dt.datetime.combine(period.due_on, dt.time(16, 59), tzinfo=dt.UTC)
    assert services.is_late(period=period, submitted_at=on_time) is False
    # 17:01 UTC on the due date is already the next day in Hanoi: late.
    late = dt.datetime.combine(period.due_on, dt.time(17, 1), tzinfo=dt.UTC)
    assert services.is_late(period=period, submitted_at=late) is True
    report = services.report_submit(report=report, by=tree.gl1_officer, now=late)
    assert report.is_late is True
    assert report.status == ReportStatus.SUBMITTED


def test_period_locks_after_due_plus_grace_and_an_exception_reopens_it(tree, period):
    after_lock = period.locks_on
    with pytest.raises(PortalError) as error:
        services.check_can_file(period=period, unit=tree.gl1, report=None, today=after_lock)
    assert "đã khóa" in str(error.value)
    services.check_can_file(period=period, unit=tree.gl1, report=None, today=after_lock - dt.timedelta(days=1))
    cycles.lock_exception_grant(period=period, unit=tree.gl1, until=after_lock + dt.timedelta(days=3), by=tree.admin)
    services.check_can_file(period=period, unit=tree.gl1, report=None, today=after_lock)
    with pytest.raises(PortalError):  # the exception is for gl1 only
        services.check_can_file(period=period, unit=tree.gl2, report=None, today=after_lock)


def test_future_period_cannot_be_filed(tree, form_version):
    cycle = open_cycle(form_version, tree, starts=5, ends=20, name="Kỳ sau")
    with pytest.raises(PortalError):
        services.report_save(
            period=cycle.periods.get(), unit=tree.gl1, values=VALID, expected_version=0, by=tree.gl1_officer
        )


def test_stale_version_is_refused_with_a_clear_message(tree, period):
    first = services.report_save(period=period, unit=tree.gl1, values=VALID, expected_version=0, by=tree.gl1_officer)
    assert first.version == 1  # made by its first save
    services.report_save(
        period=period, unit=tree.gl1, values={**VALID, "meeting_sessions": 3}, expected_version=1, by=tree.gl1_officer
    )
    with pytest.raises(PortalError) as error:
        services.report_save(
            period=period,
            unit=tree.gl1,
            values={**VALID, "meeting_sessions": 9},
            expected_version=1,
            by=tree.gialam_officer,
        )
    assert "vừa được người khác lưu" in str(error.value)
    assert Value.objects.get(report=first, indicator__code="meeting_sessions").number == 3


def test_two_officers_creating_the_same_report_do_not_overwrite(tree, period):
    services.report_save(period=period, unit=tree.gl1, values=VALID, expected_version=0, by=tree.gl1_officer)
    with pytest.raises(PortalError):
        services.report_save(
            period=period,
            unit=tree.gl1,
            values={**VALID, "meeting_sessions": 7},
            expected_version=0,
            by=tree.gialam_officer,
        )
    assert Report.objects.filter(unit=tree.gl1).count() == 1


def test_approve_return_and_signals(tree, period, django_capture_on_commit_callbacks):
    received = []

    def listener(sender, **kwargs):
        received.append((kwargs["report"].pk, kwargs.get("comment")))

    signals.report_returned.connect(listener)
    signals.report_approved.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            report = file(period, tree.gl1, tree.gl1_officer)
            with pytest.raises(PortalError):
                services.report_return(report=report, by=tree.gialam_head, comment="")
            services.report_return(report=report, by=tree.gialam_head, comment="Thiếu minh chứng")
        report.refresh_from_db()
        assert report.status == ReportStatus.RETURNED
        with django_capture_on_commit_callbacks(execute=True):
            file(period, tree.gl1, tree.gl1_officer)
            report = services.report_approve(report=report, by=tree.gialam_head)
        assert report.status == ReportStatus.APPROVED
        assert report.approved_level == tree.gialam
        assert received == [(report.pk, "Thiếu minh chứng"), (report.pk, None)]
    finally:
        signals.report_returned.disconnect(listener)
        signals.report_approved.disconnect(listener)


def test_only_the_parent_head_approves(tree, period):
    report = file(period, tree.gl1, tree.gl1_officer)
    for user in (tree.donganh_head, tree.gl1_officer, tree.gialam_officer, tree.outsider):
        with pytest.raises(PortalError):
            services.report_approve(report=report, by=user)
    # The city's head is above, not the parent: DHIS2 approves level by level.
    with pytest.raises(PortalError):
        services.report_approve(report=report, by=tree.city_head)


def test_approved_report_refuses_edits(tree, period):
    report = file(period, tree.gl1, tree.gl1_officer)
    services.report_approve(report=report, by=tree.gialam_head)
    report.refresh_from_db()
    with pytest.raises(PortalError):
        services.report_save(
            period=period, unit=tree.gl1, values=VALID, expected_version=report.version, by=tree.gl1_officer
        )
    with pytest.raises(PortalError):
        services.evidence_add(report=report, uploaded=SimpleUploadedFile("a.png", PNG), by=tree.gl1_officer)


def test_unapprove_only_by_approving_level_or_above_and_logged(tree, period):
    report = file(period, tree.gl1, tree.gl1_officer)
    services.report_approve(report=report, by=tree.gialam_head)
    for user in (tree.gl1_officer, tree.donganh_head, tree.gialam_officer):
        with pytest.raises(PortalError):
            services.report_unapprove(report=report, by=user, comment="Sai số liệu")
    report = services.report_unapprove(report=report, by=tree.city_head, comment="Sai số liệu")
    assert report.status == ReportStatus.SUBMITTED
    assert report.approved_by is None
    assert Review.objects.filter(report=report, action=ReviewAction.UNAPPROVE, by=tree.city_head).count() == 1
    services.report_approve(report=report, by=tree.gialam_head)
    services.report_unapprove(report=report, by=tree.gialam_head, comment="Xem lại")


def test_parent_report_waits_for_all_required_children_unless_closed(tree, period):
    gl1 = file(period, tree.gl1, tree.gl1_officer)
    services.report_approve(report=gl1, by=tree.gialam_head)
    district = file(period, tree.gialam, tree.gialam_officer)
    with pytest.raises(PortalError) as error:
        services.report_approve(report=district, by=tree.city_head)
    assert "1 đơn vị cấp dưới" in str(error.value)
    assert "Trường THCS Dương Xá" in str(error.value)
    with pytest.raises(PortalError):  # only the unit's own head closes its period
        services.report_close_with_missing(report=district, by=tree.city_officer)
    services.report_close_with_missing(report=district, by=tree.gialam_head, comment="CĐCS đang kiện toàn")
    district.refresh_from_db()
    assert district.closed_missing == "HN-LDLD-GIALAM-0002 – Công đoàn cơ sở Trường THCS Dương Xá"
    services.report_approve(report=district, by=tree.city_head)
    district.refresh_from_db()
    assert district.status == ReportStatus.APPROVED
    # Approved above: the child cannot be unapproved until the parent is.
    with pytest.raises(PortalError):
        services.report_unapprove(report=gl1, by=tree.gialam_head, comment="x")


def test_parent_approves_when_all_children_approved(tree, period):
    for unit, officer in ((tree.gl1, tree.gl1_officer), (tree.gl2, tree.gl2_officer)):
        services.report_approve(report=file(period, unit, officer), by=tree.gialam_head)
    district = file(period, tree.gialam, tree.gialam_officer)
    assert services.report_approve(report=district, by=tree.city_head).status == ReportStatus.APPROVED


def test_a_grassroots_report_is_approved_without_looking_for_children(tree, period, django_assert_max_num_queries):
    """A grassroots union never has children (organizations.enums.PARENT_KINDS): approving its report does not read
    the tree of the period's date for them; a district's still waits for its own."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from reporting.selectors import children_missing_approval

    with django_assert_max_num_queries(0):
        assert children_missing_approval(period=period, unit=tree.gl1) == []
    assert {u.pk for u in children_missing_approval(period=period, unit=tree.gialam)} == {tree.gl1.pk, tree.gl2.pk}
    report = file(period, tree.gl1, tree.gl1_officer)
    with CaptureQueriesContext(connection) as captured:
        assert services.report_approve(report=report, by=tree.gialam_head).status == ReportStatus.APPROVED
    assert not any('"parent_id" = ' in q["sql"] for q in captured.captured_queries)


def test_two_step_unit_head_approves_parent_accepts(tree, form_version):
    cycle = open_cycle(form_version, tree, two_step=True, name="Hai bước")
    period = cycle.periods.get()
    for unit, officer in ((tree.gl1, tree.gl1_officer), (tree.gl2, tree.gl2_officer)):
        report = file(period, unit, officer)
        with pytest.raises(PortalError):  # two-step: the unit's own head approves, not the parent
            services.report_approve(report=report, by=tree.gialam_head)
    district = file(period, tree.gialam, tree.gialam_officer)
    assert Report.objects.get(period=period, unit=tree.gl1).status == ReportStatus.SUBMITTED
    with pytest.raises(PortalError):
        services.report_approve(report=district, by=tree.city_head)  # not the unit's own head
    with pytest.raises(PortalError):  # its children are not approved
        services.report_approve(report=district, by=tree.gialam_head)


def test_two_step_flow_with_unit_head(tree, form_version):
    from tests.factories import member

    cycle = open_cycle(form_version, tree, two_step=True, name="Hai bước")
    period = cycle.periods.get()
    gl1_head = member(tree.gl1, "head")
    report = file(period, tree.gl1, tree.gl1_officer)
    with pytest.raises(PortalError):
        services.report_accept(report=report, by=tree.gialam_head)  # not approved yet
    services.report_approve(report=report, by=gl1_head)
    report = services.report_accept(report=report, by=tree.gialam_head)
    assert report.status == ReportStatus.ACCEPTED
    with pytest.raises(PortalError):  # accepted by the parent: the unit's own head is below that level
        services.report_unapprove(report=report, by=gl1_head, comment="x")
    report = services.report_unapprove(report=report, by=tree.gialam_head, comment="Xem lại")
    assert report.status == ReportStatus.APPROVED


def test_evidence_type_is_checked_by_content_and_size_limited(tree, period, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    report = file(period, tree.gl1, tree.gl1_officer, submit=False)
    with pytest.raises(PortalError):
        services.evidence_add(
            report=report, uploaded=SimpleUploadedFile("anh.png", b"MZ not an image" * 10), by=tree.gl1_officer
        )
    settings.UPLOAD_MAX_BYTES = {"attachment": 50}
    with pytest.raises(PortalError) as error:
        services.evidence_add(report=report, uploaded=SimpleUploadedFile("anh.png", PNG), by=tree.gl1_officer)
    assert str(error.value) == "Tệp minh chứng: tệp quá lớn (0,0 MB); tối đa 0,0 MB."
    settings.UPLOAD_MAX_BYTES = {"attachment": 10_000}
    evidence = services.evidence_add(
        report=report, uploaded=SimpleUploadedFile("ảnh hội nghị.png", PNG), by=tree.gl1_officer
    )
    assert evidence.content_type == "image/png"
    assert evidence.original_name == "ảnh hội nghị.png"
    assert evidence.file.name.endswith(".png")
    assert "ảnh" not in evidence.file.name


def test_submit_uses_now_in_hanoi_for_late_flag(tree, period):
    report = file(period, tree.gl1, tree.gl1_officer, submit=False)
    fake_now = dt.datetime.combine(period.due_on + dt.timedelta(days=1), dt.time(1, 0), tzinfo=HANOI)
    with mock.patch.object(timezone, "now", return_value=fake_now):
        report = services.report_submit(report=report, by=tree.gl1_officer)
    assert report.is_late is True
    assert report.submitted_at == fake_now
    assert Decimal(1) == Value.objects.get(report=report, indicator__code="has_plan").number


@pytest.mark.parametrize(
    ("code", "number", "message"),
    [
        (
            "media_reached",
            Decimal(10) ** 16,
            "“Số lượt đoàn viên, CNVCLĐ được tiếp cận qua phương tiện thông tin đại "
            "chúng”: Số quá lớn: tối đa 16 chữ số trước dấu thập phân.",
        ),
        ("media_reached", Decimal(10) ** 21, "Số quá lớn"),
        ("media_reached", Decimal("-1"), "Tối thiểu 0."),
        ("media_reached", Decimal("1.5"), "Chỉ nhập số nguyên."),
        ("coverage_percent", Decimal("101"), "“Tỷ lệ đoàn viên được tuyên truyền”: Tối đa 100."),
        ("coverage_percent", Decimal("85.125"), "Tối đa 2 chữ số sau dấu thập phân."),
        ("has_plan", Decimal(2), "Tối đa 1."),
        ("media_reached", "NaN", "Không phải là số."),
        ("media_reached", "mười", "Không phải là số."),
    ],
)
def test_report_save_refuses_what_the_column_or_the_bounds_cannot_hold(tree, period, code, number, message):
    """The second door: imports and scripts call the service without the form."""
    draft = file(period, tree.gl1, tree.gl1_officer, submit=False, media_reached=7)
    version = draft.version
    with pytest.raises(PortalError) as error:
        services.report_save(
            period=period,
            unit=tree.gl1,
            values={**VALID, code: number},
            expected_version=draft.version,
            by=tree.gl1_officer,
        )
    assert message in error.value.message
    assert error.value.field == f"v_{code}"
    draft.refresh_from_db()
    assert draft.version == version  # nothing written: the draft as it was
    assert Value.objects.get(report=draft, indicator__code="media_reached").number == 7


def test_report_save_accepts_the_largest_storable_numbers(tree, period):
    report = services.report_save(
        period=period,
        unit=tree.gl1,
        values={**VALID, "media_reached": Decimal("999999999999999"), "coverage_percent": Decimal("99.99")},
        expected_version=0,
        by=tree.gl1_officer,
    )
    stored = dict(Value.objects.filter(report=report).values_list("indicator__code", "number"))
    assert (stored["media_reached"], stored["coverage_percent"]) == (Decimal("999999999999999"), Decimal("99.99"))


def test_confirmed_unusual_values_are_stored_and_recorded_in_the_history(tree, period):
    report = services.report_save(
        period=period,
        unit=tree.gl1,
        values={**VALID, "meeting_reached": 5000},
        confirmed_unusual={"meeting_reached": Decimal(40)},
        expected_version=0,
        by=tree.gl1_officer,
    )
    value = Value.objects.get(report=report, indicator__code="meeting_reached")
    assert (value.unusual_confirmed, value.unusual_reference) == (True, Decimal(40))
    assert Value.objects.filter(report=report, unusual_confirmed=True).count() == 1
    services.report_submit(report=report, by=tree.gl1_officer)
    assert Review.objects.get(report=report, action=ReviewAction.SUBMIT).comment == (
        "Đã xác nhận số liệu bất thường: Số lượt đoàn viên, CNVCLĐ tham dự: 5.000 (kỳ trước: 40)."
    )


def test_previous_report_is_the_last_filed_period_of_the_same_cycle(tree, form_version, quarters):
    from reporting import selectors

    third, fourth = quarters
    assert selectors.previous_report(period=fourth, unit=tree.gl1) is None
    filed = file(third, tree.gl1, tree.gl1_officer)
    later_elsewhere = open_cycle(form_version, tree, starts=-80, ends=-10, name="Đợt khác cùng mẫu")
    file(later_elsewhere.periods.get(), tree.gl1, tree.gl1_officer)
    assert selectors.previous_report(period=fourth, unit=tree.gl1) == filed
    assert selectors.previous_report(period=third, unit=tree.gl1) is None
    assert selectors.previous_report(period=fourth, unit=tree.gl2) is None


# ---------------------------------------------------------------- actions dated by `now` (a past period, locked today)
def _quarter_2019(tree, form_version, *, two_step=False):
    """The second quarter of a 2019 cycle: open in 2019, long locked today."""
    cycle = cycles.cycle_open(
        name="Báo cáo quý năm 2019" + (" (hai bước)" if two_step else ""),
        form_version=form_version,
        period_type=PeriodType.QUARTER,
        year=2019,
        two_step=two_step,
        by=tree.admin,
        scope_kinds=[UnitKind.DISTRICT_FEDERATION, UnitKind.GRASSROOTS_UNION],
        scope_root=tree.federation,
    )
    return cycle.periods.order_by("starts_on")[1]


@pytest.fixture
def quarter_2019(tree, form_version):
    return _quarter_2019(tree, form_version)


def _on(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=HANOI)


def _submitted_in_2019(period, unit, by) -> Report:
    """Saved and submitted on the due date, when the period was open."""
    draft = services.report_save(
        period=period, unit=unit, values=VALID, expected_version=0, by=by, now=_on(period.due_on, 9)
    )
    return services.report_submit(report=draft, by=by, now=_on(period.due_on))


def _reviews(report) -> list[tuple[str, dt.datetime]]:
    return list(Review.objects.filter(report=report).order_by("at", "id").values_list("action", "at"))


def test_report_save_dated_while_the_period_was_open_is_accepted_although_it_is_locked_today(tree, quarter_2019):
    period = quarter_2019
    assert period.locks_on < timezone.localdate()
    with pytest.raises(PortalError) as error:  # the default: now, and the period is locked
        services.report_save(period=period, unit=tree.gl1, values=VALID, expected_version=0, by=tree.gl1_officer)
    assert "Kỳ báo cáo đã khóa" in error.value.message
    # Dated, the lock is checked on that day, not skipped: on the day it locked, and before it started.
    with pytest.raises(PortalError) as error:
        services.report_save(
            period=period,
            unit=tree.gl1,
            values=VALID,
            expected_version=0,
            by=tree.gl1_officer,
            now=_on(period.locks_on, 8),
        )
    assert "Kỳ báo cáo đã khóa" in error.value.message
    with pytest.raises(PortalError) as error:
        services.report_save(
            period=period,
            unit=tree.gl1,
            values=VALID,
            expected_version=0,
            by=tree.gl1_officer,
            now=_on(period.starts_on - dt.timedelta(days=1)),
        )
    assert error.value.message == "Kỳ báo cáo này chưa bắt đầu."
    assert Report.objects.filter(period=period).count() == 0

    report = services.report_save(
        period=period,
        unit=tree.gl1,
        values=VALID,
        expected_version=0,
        by=tree.gl1_officer,
        now=_on(period.locks_on - dt.timedelta(days=1), 23),
    )
    assert (report.status, report.version) == (ReportStatus.DRAFT, 1)
    assert Value.objects.get(report=report, indicator__code="meeting_reached").number == 40


def test_report_made_after_a_move_takes_the_lineage_of_its_period_date(tree, quarter_2019):
    from organizations.services import units_move

    (moved,) = units_move(units=[tree.gl1], new_parent=tree.donganh, effective_on=timezone.localdate(), by=tree.admin)
    assert moved.lineage == "/HN/HN-LDLD/HN-LDLD-DONGANH/HN-LDLD-GIALAM-0001/"
    for period in quarter_2019.cycle.periods.order_by("starts_on")[:2]:
        report, created = services.report_get_or_create(period=period, unit=moved, by=tree.gl1_officer)
        assert created is True
        assert report.lineage == "/HN/HN-LDLD/HN-LDLD-GIALAM/HN-LDLD-GIALAM-0001/"  # under Gia Lâm in 2019


def test_report_submit_dated_while_the_period_was_open_is_accepted_although_it_is_locked_today(tree, quarter_2019):
    period = quarter_2019
    draft = services.report_save(
        period=period, unit=tree.gl1, values=VALID, expected_version=0, by=tree.gl1_officer, now=_on(period.due_on, 9)
    )
    with pytest.raises(PortalError) as error:
        services.report_submit(report=draft, by=tree.gl1_officer)
    assert "Kỳ báo cáo đã khóa" in error.value.message
    draft.refresh_from_db()
    assert draft.status == ReportStatus.DRAFT

    at = _on(period.due_on + dt.timedelta(days=1))
    report = services.report_submit(report=draft, by=tree.gl1_officer, now=at)
    report.refresh_from_db()
    assert (report.status, report.submitted_at, report.is_late) == (ReportStatus.SUBMITTED, at, True)
    assert _reviews(report) == [(ReviewAction.SUBMIT, at)]


def test_report_approve_dates_its_approval_and_review_and_defaults_to_the_clock(tree, quarter_2019):
    report = _submitted_in_2019(quarter_2019, tree.gl1, tree.gl1_officer)
    at = _on(quarter_2019.due_on + dt.timedelta(days=2), 15)
    services.report_approve(report=report, by=tree.gialam_head, now=at)
    report.refresh_from_db()
    assert (report.status, report.approved_at, report.approved_by) == (ReportStatus.APPROVED, at, tree.gialam_head)
    assert _reviews(report) == [(ReviewAction.SUBMIT, _on(quarter_2019.due_on)), (ReviewAction.APPROVE, at)]

    undated = _submitted_in_2019(quarter_2019, tree.gl2, tree.gl2_officer)
    before = timezone.now()
    services.report_approve(report=undated, by=tree.gialam_head)
    undated.refresh_from_db()
    approval = Review.objects.get(report=undated, action=ReviewAction.APPROVE)
    assert before <= undated.approved_at == approval.at <= timezone.now()


def test_report_return_dates_its_review_and_the_correction_is_filed_dated_while_open(tree, quarter_2019):
    period = quarter_2019
    report = _submitted_in_2019(period, tree.gl1, tree.gl1_officer)
    returned_at = _on(period.due_on + dt.timedelta(days=1), 14)
    report = services.report_return(report=report, by=tree.gialam_head, comment="Thiếu minh chứng", now=returned_at)
    assert (report.status, report.approved_at) == (ReportStatus.RETURNED, None)
    assert Review.objects.get(report=report, action=ReviewAction.RETURN).at == returned_at
    with pytest.raises(PortalError) as error:  # correcting it today: the period is locked
        services.report_save(
            period=period,
            unit=tree.gl1,
            values={**VALID, "meeting_sessions": 3},
            expected_version=report.version,
            by=tree.gl1_officer,
        )
    assert "Kỳ báo cáo đã khóa" in error.value.message
    corrected_at = _on(period.due_on + dt.timedelta(days=2))
    report = services.report_save(
        period=period,
        unit=tree.gl1,
        values={**VALID, "meeting_sessions": 3},
        expected_version=report.version,
        by=tree.gl1_officer,
        now=corrected_at,
    )
    report = services.report_submit(report=report, by=tree.gl1_officer, now=corrected_at)
    assert [action for action, _at in _reviews(report)] == [
        ReviewAction.SUBMIT,
        ReviewAction.RETURN,
        ReviewAction.SUBMIT,
    ]
    assert _reviews(report)[-1] == (ReviewAction.SUBMIT, corrected_at)


def test_report_accept_dates_its_acceptance_and_review(tree, form_version):
    from tests.factories import member

    period = _quarter_2019(tree, form_version, two_step=True)
    gl1_head = member(tree.gl1, "head")
    report = _submitted_in_2019(period, tree.gl1, tree.gl1_officer)
    approved_at, accepted_at = _on(period.due_on, 16), _on(period.due_on + dt.timedelta(days=3))
    services.report_approve(report=report, by=gl1_head, now=approved_at)
    report = services.report_accept(report=report, by=tree.gialam_head, now=accepted_at)
    report.refresh_from_db()
    assert (report.status, report.approved_at, report.accepted_at, report.accepted_by) == (
        ReportStatus.ACCEPTED,
        approved_at,
        accepted_at,
        tree.gialam_head,
    )
    assert _reviews(report)[1:] == [(ReviewAction.APPROVE, approved_at), (ReviewAction.ACCEPT, accepted_at)]


def test_report_unapprove_dates_its_review(tree, quarter_2019):
    report = _submitted_in_2019(quarter_2019, tree.gl1, tree.gl1_officer)
    services.report_approve(report=report, by=tree.gialam_head, now=_on(quarter_2019.due_on, 15))
    at = _on(quarter_2019.due_on + dt.timedelta(days=5))
    report = services.report_unapprove(report=report, by=tree.gialam_head, comment="Sai số liệu", now=at)
    assert (report.status, report.approved_at) == (ReportStatus.SUBMITTED, None)
    assert _reviews(report)[-1] == (ReviewAction.UNAPPROVE, at)


def test_report_close_with_missing_dates_its_review(tree, quarter_2019):
    services.report_approve(
        report=_submitted_in_2019(quarter_2019, tree.gl1, tree.gl1_officer),
        by=tree.gialam_head,
        now=_on(quarter_2019.due_on, 15),
    )
    district = _submitted_in_2019(quarter_2019, tree.gialam, tree.gialam_officer)
    at = _on(quarter_2019.due_on + dt.timedelta(days=4))
    services.report_close_with_missing(report=district, by=tree.gialam_head, now=at)
    assert _reviews(district)[-1] == (ReviewAction.CLOSE, at)
    assert Review.objects.get(report=district, action=ReviewAction.CLOSE).comment == (
        "Còn thiếu: Công đoàn cơ sở Trường THCS Dương Xá"
    )


def test_evidence_file_goes_only_when_its_delete_is_committed(
    tree, period, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    report = file(period, tree.gl1, tree.gl1_officer, submit=False)
    evidence = services.evidence_add(report=report, uploaded=SimpleUploadedFile("a.png", PNG), by=tree.gl1_officer)
    name = evidence.file.name
    with django_capture_on_commit_callbacks() as on_commit:
        services.evidence_delete(evidence=evidence, by=tree.gl1_officer)
        # Until the commit (a rollback would bring the row back) the file stays.
        assert (Evidence.objects.filter(pk=evidence.pk).count(), (tmp_path / name).exists()) == (0, True)
    for callback in on_commit:
        callback()
    assert (tmp_path / name).exists() is False
