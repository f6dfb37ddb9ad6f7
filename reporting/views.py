import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import prefetch_related_objects
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from campaign_portal.exceptions import PortalError
from campaign_portal.pdf import render_official_pdf
from campaign_portal.view_helpers import download_response, report_error, require_perm, uploaded_file_response
from organizations.exports import export_start
from organizations.forms import AreaFilterForm
from organizations.models import Unit
from organizations.selectors import root_units_for, units_in_area_q

from . import cycles, exports, nudges, selectors, services
from .forms import CycleOpenForm, EvidenceForm, ExcelUploadForm, FilingForm, ReviewForm
from .models import Evidence, Period, Report, ReportingCycle
from .signing import TEMPLATE as SIGNED_TEMPLATE
from .signing import report_pdf_context, report_stored_pdf
from .validation import reference_figures


def _period(pk) -> Period:
    return get_object_or_404(
        Period.objects.select_related("cycle", "cycle__form_version__form", "cycle__scope_root"), pk=pk
    )


# Who approved, accepted or entered a report and the level that approved it: read where the report page names them,
# each by its own query by id (none for an empty one). Joined into _report's query with the rest, these outer joins
# cost PostgreSQL ~4 ms of planning on every view, review and upload, for 0.3 ms of execution. The submitter, whom
# every filed report has, stays joined.
REPORT_DETAIL_RELATIONS = ("approved_by", "approved_level", "accepted_by", "entered_by")


def _report(request, pk) -> Report:
    report = get_object_or_404(
        Report.objects.select_related(
            "unit", "period", "cycle", "cycle__scope_root", "form_version__form", "submitted_by"
        ),
        pk=pk,
    )
    require_perm(request.user, "reporting.view_report", report)
    return report


def _unit_for_reports(request, code) -> Unit:
    unit = get_object_or_404(Unit, code=code)
    require_perm(request.user, "reporting.view_unit_reports", unit)
    return unit


# ---------------------------------------------------------------- officer
@login_required
@require_GET
def todo(request):
    items = selectors.todo_for(request.user)
    queue_count = selectors.review_queue_for(request.user).count()
    return render(
        request,
        "reporting/todo.html",
        {
            "items": items,
            "queue_count": queue_count,
            "tops": root_units_for(request.user),
            "can_manage": request.user.has_perm("reporting.manage_cycles"),
        },
    )


def _filing_context(period: Period, unit: Unit, report: Report | None):
    version = report.form_version if report else period.cycle.form_version
    previous = selectors.previous_report(period=period, unit=unit)
    return version, previous, selectors.report_values(previous)


@login_required
@require_http_methods(["GET", "POST"])
def file_report(request, period_pk, code):
    period = _period(period_pk)
    unit = get_object_or_404(Unit, code=code)
    require_perm(request.user, "reporting.file_report", unit)
    if not selectors.unit_files_period(period=period, unit=unit):
        raise Http404  # not this unit's report, or a future period
    report = Report.objects.filter(period=period, unit=unit).select_related("form_version").first()
    action = request.POST.get("action", "save")
    replayed = _replayed_answer(request, report)
    if replayed is not None:
        return replayed
    if report and not report.is_editable_status:  # filed: its page shows it
        if request.method == "POST" and action == "submit":
            messages.info(request, _("Báo cáo đã được nộp."))
        return _redirect(request, reverse("reporting:report_detail", args=[report.pk]))
    version, previous, previous_values = _filing_context(period, unit, report)
    submitting = request.method == "POST" and action == "submit"
    kwargs = {
        "form_version": version,
        "references": reference_figures(previous_values),
        "submitting": submitting,
    }
    lock_error = None
    try:
        services.check_can_file(period=period, unit=unit, report=report)
    except PortalError as error:
        lock_error = str(error)
    if request.method == "POST" and lock_error is None:
        form = FilingForm(request.POST, **kwargs)
        if form.is_valid():
            try:
                report = services.report_save(
                    period=period,
                    unit=unit,
                    values=form.values(),
                    comments=form.comments(),
                    confirmed_unusual=form.confirmed_unusual(),
                    expected_version=form.cleaned_data["version"],
                    by=request.user,
                    submission_key=form.cleaned_data["submission_key"],
                )
                if submitting:
                    report = services.report_submit(report=report, by=request.user)
                    if report.is_late:
                        messages.warning(
                            request,
                            _("Đã nộp báo cáo (nộp muộn so với hạn %(due)s).")
                            % {"due": period.due_on.strftime("%d/%m/%Y")},
                        )
                    else:
                        messages.success(request, _("Đã nộp báo cáo."))
                    return _accepted(request, reverse("reporting:report_detail", args=[report.pk]))
                messages.success(request, _("Đã lưu nháp."))
                return _accepted(request, request.path)
            except PortalError as error:
                form.add_error(error.field if error.field in form.fields else None, error.message)
    else:
        values = selectors.report_values(report)
        form = FilingForm(initial=FilingForm.initial_from(values, report.version if report else 0), **kwargs)
    context = {
        "period": period,
        "unit": unit,
        "report": report,
        "form": form,
        "previous": previous,
        "sections": form.sections(previous_values),
        "lock_error": lock_error,
        "problems": form.problems() if form.is_bound else [],
        "evidence": list(report.evidence.all()) if report else [],
        "evidence_form": EvidenceForm(),
        "reviews": list(report.reviews.select_related("by")) if report else [],
        # A fresh key for the next POST (the browser's script makes its own), and where the browser keeps
        # what is typed: per user, period, unit and form version.
        "submission_key": uuid.uuid4(),
        "draft_key": f"{request.user.pk}:{period.pk}:{unit.code}:{version.pk}",
        "excel_form": ExcelUploadForm(),
    }
    template = "reporting/_filing_form.html" if request.htmx else "reporting/file.html"
    return render(request, template, context)


def _replayed_answer(request, report):
    """A filing POST whose key the server already took (sent again from the browser's offline queue, or a
    double click) is answered as the first was, and changes nothing."""
    if request.method != "POST" or report is None:
        return None
    try:
        key = uuid.UUID(request.POST.get("submission_key", ""))
    except ValueError:
        return None
    if not selectors.report_submission_taken(report=report, key=key):
        return None
    if report.is_editable_status:
        messages.success(request, _("Đã lưu nháp."))
        return _accepted(request, request.path)
    messages.success(request, _("Đã nộp báo cáo."))
    return _accepted(request, reverse("reporting:report_detail", args=[report.pk]))


def _accepted(request, url):
    """The redirect after the server took the figures; the header tells the browser's script to drop its copy."""
    response = _redirect(request, url)
    response["X-Filing-Accepted"] = "1"
    return response


def _redirect(request, url):
    if request.htmx:
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url)


@login_required
@require_GET
def report_detail(request, pk):
    report = _report(request, pk)
    prefetch_related_objects([report], *REPORT_DETAIL_RELATIONS)
    selectors.annotate_children_readiness([report])
    user = request.user
    previous = selectors.previous_report(period=report.period, unit=report.unit)
    context = {
        "report": report,
        "previous": previous,
        "sections": _sections_with_values(report, previous),
        "reviews": report.reviews.select_related("by"),
        "evidence": report.evidence.all(),
        "review_form": ReviewForm(),
        **selectors.report_actions(report=report, user=user),
    }
    # Once handled (approved, accepted, returned), the head goes on to the next report of her queue.
    if user.has_perm("reporting.see_review_queue") and not any(
        context[flag] for flag in ("can_approve", "can_accept", "can_return")
    ):
        context["next_report"] = selectors.review_queue_next(user, after=report)
    return render(request, "reporting/report_detail.html", context)


def _sections_with_values(report: Report, previous: Report | None = None):
    """[(section, [(indicator, Value, the previous period's Value)])]: the head reviewing a report
    sees the previous period's figure beside each value."""
    values = selectors.report_values(report)
    previous_values = selectors.report_values(previous)
    return selectors.grouped_by_section(
        selectors.form_parts(report.form_version).indicators,
        lambda indicator: (indicator, values.get(indicator.code), previous_values.get(indicator.code)),
    )


@login_required
@require_POST
def report_review(request, pk):
    report = _report(request, pk)
    form = ReviewForm(request.POST)
    form.is_valid()
    comment = form.cleaned_data.get("comment", "")
    action = request.POST.get("action")
    handlers = {
        "approve": (services.report_approve, _("Đã duyệt báo cáo.")),
        "accept": (services.report_accept, _("Đã tiếp nhận báo cáo.")),
        "return": (services.report_return, _("Đã trả lại báo cáo cho đơn vị.")),
        "unapprove": (services.report_unapprove, _("Đã hủy duyệt báo cáo.")),
        "close": (services.report_close_with_missing, _("Đã chốt kỳ, ghi nhận các đơn vị còn thiếu.")),
    }
    if action not in handlers:
        raise Http404
    handler, success = handlers[action]
    try:
        handler(report=report, by=request.user, comment=comment)
        messages.success(request, success)
    except PortalError as error:
        report_error(request, error)
    next_url = request.POST.get("next", "")
    if next_url == "queue":
        return redirect("reporting:review_queue")
    return redirect("reporting:report_detail", pk=report.pk)


@login_required
@require_GET
def report_print(request, pk):
    report = _report(request, pk)
    return render(
        request,
        "reporting/print.html",
        {
            "report": report,
            "unit": report.unit,
            "period": report.period,
            "cycle": report.cycle,
            "sections": _sections_with_values(report),
            "blank": False,
        },
    )


@login_required
@require_GET
def blank_print(request, pk):
    cycle = get_object_or_404(ReportingCycle.objects.select_related("form_version__form"), pk=pk)
    sections = selectors.grouped_by_section(
        selectors.form_parts(cycle.form_version).indicators, lambda indicator: (indicator, None, None)
    )
    return render(request, "reporting/print.html", {"cycle": cycle, "sections": sections, "blank": True})


# ---------------------------------------------------------------- evidence
@login_required
@require_POST
def evidence_upload(request, pk):
    report = _report(request, pk)
    require_perm(request.user, "reporting.file_report", report)
    form = EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.evidence_add(
                report=report,
                uploaded=form.cleaned_data["file"],
                by=request.user,
                description=form.cleaned_data["description"],
            )
            messages.success(request, _("Đã đính kèm minh chứng."))
        except PortalError as error:
            report_error(request, error)
    else:
        messages.error(request, _("Hãy chọn một tệp."))
    return redirect("reporting:file_report", period_pk=report.period_id, code=report.unit.code)


@login_required
@require_GET
def evidence_download(request, pk):
    evidence = get_object_or_404(Evidence.objects.select_related("report__unit"), pk=pk)
    require_perm(request.user, "reporting.view_report", evidence.report)
    return uploaded_file_response(evidence.file, filename=evidence.original_name, content_type=evidence.content_type)


@login_required
@require_POST
def evidence_delete(request, pk):
    evidence = get_object_or_404(Evidence.objects.select_related("report__unit"), pk=pk)
    require_perm(request.user, "reporting.file_report", evidence.report)
    try:
        services.evidence_delete(evidence=evidence, by=request.user)
        messages.success(request, _("Đã xóa minh chứng."))
    except PortalError as error:
        report_error(request, error)
    report = evidence.report
    return redirect("reporting:file_report", period_pk=report.period_id, code=report.unit.code)


# ---------------------------------------------------------------- heads
@login_required
@require_GET
def review_queue(request):
    page = Paginator(selectors.review_queue_for(request.user), 50).get_page(request.GET.get("page"))
    reports = list(page.object_list)
    selectors.annotate_children_readiness(reports)
    first = reports[0] if reports and page.number == 1 else None
    return render(request, "reporting/review_queue.html", {"page": page, "reports": reports, "first": first})


@login_required
@require_GET
def dashboard_latest(request):
    """The reporting dashboard one click from the menu: the latest cycle, from the user's highest unit."""
    require_perm(request.user, "reporting.see_dashboard")
    entry = selectors.dashboard_entry_for(request.user)
    if entry is None:
        return redirect("reporting:cycle_list")
    cycle, unit = entry
    return redirect("reporting:dashboard", pk=cycle.pk, code=unit.code)


@login_required
@require_GET
def cycle_list(request):
    cycles = ReportingCycle.objects.select_related("form_version__form").prefetch_related("periods")[:50]
    return render(
        request,
        "reporting/cycle_list.html",
        {
            "cycles": cycles,
            "tops": root_units_for(request.user),
            "can_manage": request.user.has_perm("reporting.manage_cycles"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def cycle_open(request):
    require_perm(request.user, "reporting.manage_cycles")
    form = CycleOpenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            cycle = cycles.cycle_open(
                name=data["name"],
                form_version=data["form_version"],
                period_type=data["period_type"],
                scheme=data["scheme"],
                year=data["year"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                directive_reference=data["directive_reference"],
                due_working_days=data["due_working_days"],
                grace_days=data["grace_days"],
                scope_kinds=data["scope_kinds"],
                scope_root=data["scope_root_code"],
                two_step=data["two_step"],
                by=request.user,
            )
            messages.success(request, _("Đã mở đợt báo cáo “%(name)s”.") % {"name": cycle.name})
            return redirect("reporting:cycle_list")
        except PortalError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
    return render(request, "reporting/cycle_open.html", {"form": form})


@login_required
@require_GET
def dashboard(request, pk, code):
    cycle = get_object_or_404(ReportingCycle.objects.select_related("scope_root", "form_version__form"), pk=pk)
    unit = _unit_for_reports(request, code)
    area_form = AreaFilterForm(request.GET or None)
    area = area_form.cleaned_data["area"] if area_form.is_valid() else None
    if area is None:
        data = selectors.dashboard(cycle=cycle, unit=unit)
    else:
        data = selectors.dashboard_in_area(cycle=cycle, unit=unit, area=area)
    periods = data["periods"]
    period = selectors.dashboard_period(periods=periods, requested=request.GET.get("period"))
    late_page = None
    if period is not None:
        late = selectors.late_units(period=period, unit=unit)
        if area is not None:
            late = late.filter(units_in_area_q(area, period.ends_on))
        late_page = Paginator(late, 50).get_page(request.GET.get("page"))
        for late_unit in late_page.object_list:
            late_unit.can_remind = request.user.has_perm("reporting.remind_report", late_unit)
    return render(
        request,
        "reporting/dashboard.html",
        {
            "cycle": cycle,
            "unit": unit,
            "data": data,
            "period": period,
            "late_page": late_page,
            "area_form": area_form,
            "area": area,
            "chart": selectors.trend_chart(periods=periods, totals=data["totals"]),
            "period_is_due": period is not None and period.due_on < timezone.localdate(),
            "can_remind_any": late_page is not None and any(u.can_remind for u in late_page.object_list),
        },
    )


@login_required
@require_POST
def dashboard_remind(request, pk, code):
    """A head's one-tap reminder from the dashboard: the ticked late units of a period, or all of them ("all")."""
    cycle = get_object_or_404(ReportingCycle, pk=pk)
    unit = _unit_for_reports(request, code)
    period = get_object_or_404(Period, cycle=cycle, pk=request.POST.get("period") or 0)
    late = selectors.late_units(period=period, unit=unit)
    if request.POST.get("all"):
        targets = [u for u in late if request.user.has_perm("reporting.remind_report", u)]
    else:
        targets = list(late.filter(pk__in=[int(v) for v in request.POST.getlist("unit") if v.isdigit()]))
    try:
        result = nudges.reports_remind(period=period, units=targets, by=request.user)
    except PortalError as error:
        report_error(request, error)
    else:
        messages.success(request, result.message)
    return redirect(f"{reverse('reporting:dashboard', args=[cycle.pk, unit.code])}?period={period.pk}")


@login_required
@require_GET
def rollup(request, period_pk, code):
    period = _period(period_pk)
    unit = _unit_for_reports(request, code)
    data = selectors.rollup(period=period, unit=unit)
    context = {
        "period": period,
        "cycle": period.cycle,
        "unit": unit,
        "can_enter_on_behalf": request.user.has_perm("reporting.enter_on_behalf", unit),
        **data,
    }
    return render(request, "reporting/rollup.html", context)


@login_required
@require_GET
def rollup_pdf(request, period_pk, code):
    period = _period(period_pk)
    unit = _unit_for_reports(request, code)
    filename = f"bao-cao-{unit.code}-{period.pk}.pdf"
    stored = report_stored_pdf(unit=unit, period=period)
    if stored is not None:  # filed: the signed file it was sent up as
        with stored.open("rb") as handle:
            return download_response(handle.read(), filename=filename)
    pdf = render_official_pdf(template_name=SIGNED_TEMPLATE, context=report_pdf_context(unit=unit, period=period))
    return download_response(pdf, filename=filename)


@login_required
@require_POST
def export_xlsx(request, pk, code):
    """At the city a period has 10,000 rows: a background job writes the workbook (organizations.exports)."""
    cycle = get_object_or_404(ReportingCycle, pk=pk)
    unit = _unit_for_reports(request, code)
    job = export_start(
        kind=exports.CYCLE_EXPORT,
        params={"cycle": cycle.pk, "unit": unit.code},
        title=_("%(cycle)s — %(unit)s") % {"cycle": cycle.name, "unit": unit.name},
        by=request.user,
    )
    return redirect("organizations:export_job", job.pk)
