"""The unit's registers: outgoing (sổ văn bản đi, everything the unit numbered) and incoming (sổ văn bản đến,
every delivery it received, with its incoming number), each searched, paginated and exported; and giao xử lý,
passing a received document to a colleague."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from campaign_portal.exceptions import PortalError
from campaign_portal.view_helpers import require_perm
from campaign_portal.xlsx import xlsx_response
from organizations.models import Unit

from . import deliveries, selectors
from .forms import AssignForm, IncomingRegisterForm, OutgoingRegisterForm
from .views import _delivery, _form_error
from .xlsx import incoming_workbook, register_workbook

PAGE_SIZE = 50


def _defaults(request, units):
    data = request.GET.copy()
    data.setdefault("year", str(timezone.localdate().year))
    if "unit" not in data:
        first = units.first()
        if first is not None:
            data["unit"] = str(first.pk)
    return data


def _outgoing_form(request):
    units = selectors.register_units_for(request.user)
    return OutgoingRegisterForm(_defaults(request, units), units=units)


def _page_query(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _register_page(request, form, *, perm, lines, years, template):
    """One register page: the unit's lines of the year, searched and filtered, fifty a page."""
    entries, year_links, page = [], [], None
    if form.is_valid():
        unit = form.cleaned_data["unit"]
        require_perm(request.user, perm, unit)
        page = Paginator(lines(unit=unit, year=form.cleaned_data["year"], **form.filters()), PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        entries, year_links = page.object_list, years(unit)
    context = {"form": form, "entries": entries, "years": year_links, "page": page, "query": _page_query(request)}
    return render(request, template, context)


def _register_export(request, form, *, perm, lines, workbook, name):
    """The whole filtered register of the year as XLSX, streamed from the database in chunks."""
    if not form.is_valid():
        raise Http404
    unit, year = form.cleaned_data["unit"], form.cleaned_data["year"]
    require_perm(request.user, perm, unit)
    rows = lines(unit=unit, year=year, **form.filters()).iterator(chunk_size=2000)
    return xlsx_response(workbook(unit, year, rows), filename=f"{name}-{unit.code}-{year}.xlsx")


@login_required
def register(request):
    return _register_page(
        request,
        _outgoing_form(request),
        perm="directives.view_register",
        lines=selectors.register_entries,
        years=selectors.register_years,
        template="directives/register.html",
    )


@login_required
def register_xlsx(request):
    return _register_export(
        request,
        _outgoing_form(request),
        perm="directives.view_register",
        lines=selectors.register_entries,
        workbook=lambda unit, year, rows: register_workbook(unit=unit, year=year, entries=rows),
        name="so-van-ban-di",
    )


def _incoming_form(request):
    units = selectors.incoming_units_for(request.user)
    data = _defaults(request, units)
    unit = units.filter(pk=data["unit"]).first() if data.get("unit", "").isdigit() else None
    issuers = selectors.incoming_issuers(unit) if unit is not None else Unit.objects.none()
    return IncomingRegisterForm(data, units=units, issuers=issuers)


@login_required
def incoming_register(request):
    return _register_page(
        request,
        _incoming_form(request),
        perm="directives.view_incoming_register",
        lines=selectors.incoming_entries,
        years=selectors.incoming_years,
        template="directives/incoming_register.html",
    )


@login_required
def incoming_register_xlsx(request):
    return _register_export(
        request,
        _incoming_form(request),
        perm="directives.view_incoming_register",
        lines=selectors.incoming_entries,
        workbook=lambda unit, year, rows: incoming_workbook(unit=unit, year=year, deliveries=rows),
        name="so-van-ban-den",
    )


@login_required
@require_POST
def delivery_assign(request, pk):
    """Giao xử lý, from the received document's page; back to it with the outcome in a message."""
    delivery = _delivery(pk, request.user, "directives.assign_delivery")
    form = AssignForm(request.POST, colleagues=selectors.unit_colleagues(delivery.unit))
    if form.is_valid():
        try:
            deliveries.delivery_assign(delivery=delivery, by=request.user, **form.cleaned_data)
        except PortalError as error:
            _form_error(form, error)
        else:
            messages.success(
                request, _("Đã giao %(name)s xử lý văn bản.") % {"name": form.cleaned_data["assignee"].full_name}
            )
            return redirect(delivery.document.get_absolute_url())
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)
    return redirect(delivery.document.get_absolute_url())
