"""Excel in: a unit's report template and its upload, and a head's workbook for child units that sent their
figures on paper (reporting.excel does the work; the filing page shows the panel)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from campaign_portal.exceptions import PortalError
from campaign_portal.view_helpers import report_error, require_perm
from campaign_portal.xlsx import xlsx_response
from organizations.models import Unit

from . import excel, excel_import, selectors
from .forms import ExcelUploadForm
from .models import Period, Report


def _period(pk) -> Period:
    return get_object_or_404(Period.objects.select_related("cycle", "cycle__form_version"), pk=pk)


def _filing_unit(request, period_pk, code) -> tuple[Period, Unit]:
    period = _period(period_pk)
    unit = get_object_or_404(Unit, code=code)
    require_perm(request.user, "reporting.file_report", unit)
    if not selectors.unit_files_period(period=period, unit=unit):
        raise Http404
    return period, unit


def _workbook_error(request, error: PortalError) -> None:
    report_error(request, error)
    for problem in getattr(error, "problems", []):
        messages.error(request, problem)


@login_required
@require_GET
def report_template_xlsx(request, period_pk, code):
    period, unit = _filing_unit(request, period_pk, code)
    content = excel.report_template_xlsx(period=period, unit=unit)
    return xlsx_response(content, filename=f"mau-bao-cao-{unit.code}-ky-{period.pk}.xlsx")


@login_required
@require_POST
def report_import_xlsx(request, period_pk, code):
    period, unit = _filing_unit(request, period_pk, code)
    form = ExcelUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Hãy chọn tệp Excel đã điền."))
    else:
        try:
            excel_import.report_import_xlsx(period=period, unit=unit, upload=form.cleaned_data["file"], by=request.user)
            messages.success(request, _("Đã nhập số liệu từ tệp Excel vào bản nháp. Hãy xem lại rồi nộp báo cáo."))
        except PortalError as error:
            _workbook_error(request, error)
    return redirect("reporting:file_report", period_pk=period.pk, code=unit.code)


def _behalf_unit(request, period_pk, code) -> tuple[Period, Unit]:
    period = _period(period_pk)
    unit = get_object_or_404(Unit, code=code)
    require_perm(request.user, "reporting.enter_on_behalf", unit)
    return period, unit


@login_required
@require_http_methods(["GET", "POST"])
def reports_on_behalf(request, period_pk, code):
    """A head enters, from one workbook, the figures of child units that sent them on paper."""
    period, unit = _behalf_unit(request, period_pk, code)
    form = ExcelUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if not form.is_valid():
            messages.error(request, _("Hãy chọn tệp Excel đã điền."))
        else:
            try:
                reports = excel_import.reports_import_on_behalf_xlsx(
                    period=period, unit=unit, upload=form.cleaned_data["file"], by=request.user
                )
                messages.success(request, _("Đã nhập hộ số liệu của %(n)s đơn vị (bản nháp).") % {"n": len(reports)})
            except PortalError as error:
                _workbook_error(request, error)
        return redirect("reporting:reports_on_behalf", period_pk=period.pk, code=unit.code)
    units = excel.units_for_entry_on_behalf(period=period, unit=unit, user=request.user)
    reports = {r.unit_id: r for r in Report.objects.filter(period=period, unit__in=units).select_related("entered_by")}
    return render(
        request,
        "reporting/on_behalf.html",
        {
            "period": period,
            "cycle": period.cycle,
            "unit": unit,
            "rows": [(u, reports.get(u.pk)) for u in units],
            "form": form,
        },
    )


@login_required
@require_GET
def reports_template_on_behalf_xlsx(request, period_pk, code):
    period, unit = _behalf_unit(request, period_pk, code)
    content = excel.reports_template_on_behalf_xlsx(period=period, unit=unit, user=request.user)
    return xlsx_response(content, filename=f"mau-nhap-ho-{unit.code}-ky-{period.pk}.xlsx")
