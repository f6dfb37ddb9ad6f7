"""Thin views: load once → check perm (404) → form → one service → redirect."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from campaign_portal.exceptions import PortalError
from campaign_portal.pdf import render_official_pdf
from campaign_portal.view_helpers import download_response, report_error, require_perm, uploaded_file_response
from organizations.exports import export_start
from organizations.models import Unit

from . import deliveries, selectors, services
from .forms import (
    AttachmentForm,
    CascadeFilterForm,
    DocumentForm,
    DocumentSearchForm,
    ImplementForm,
    IssueSignerForm,
    SignedPdfForm,
)
from .models import Attachment, Delivery, Document
from .signing import document_needs_signer_signature, document_signer_choices, document_stored_pdf
from .xlsx import CASCADE_EXPORT


def _document(pk, user, perm="directives.view_document"):
    document = get_object_or_404(Document.objects.select_related("issuing_unit", "register"), pk=pk)
    require_perm(user, perm, document)
    return document


def _delivery(pk, user, perm="directives.work_on_delivery"):
    delivery = get_object_or_404(Delivery.objects.select_related("document__issuing_unit", "unit"), pk=pk)
    require_perm(user, perm, delivery)
    return delivery


def _form_error(form, error: PortalError):
    form.add_error(error.field if error.field in form.fields else None, str(error))


def _search(request) -> tuple[DocumentSearchForm, str]:
    """The list's search form from the query string, and the query without the page (for the pager's links)."""
    form = DocumentSearchForm(request.GET or None)
    query = request.GET.copy()
    query.pop("page", None)
    return form, query.urlencode()


@login_required
def index(request):
    form, query = _search(request)
    documents = selectors.documents_list_for(request.user, form.filters())
    page = Paginator(documents, 25).get_page(request.GET.get("page"))
    inbox = list(selectors.inbox_for(request.user)[:10])
    return render(
        request,
        "directives/index.html",
        {
            "page": page,
            "inbox": inbox,
            "form": form,
            "query": query,
            "can_draft": request.user.has_perm("directives.draft_document"),
        },
    )


@login_required
def inbox(request):
    form, query = _search(request)
    page = Paginator(selectors.inbox_for(request.user, form.filters()), 25).get_page(request.GET.get("page"))
    return render(request, "directives/inbox.html", {"page": page, "form": form, "query": query})


@login_required
def document_create(request):
    require_perm(request.user, "directives.draft_document")
    units = selectors.units_for_drafting(request.user)
    preset = units.filter(code=request.GET.get("unit", "")).first()
    if request.method == "POST":
        form = DocumentForm(request.POST, units=units)
        if form.is_valid():
            unit = form.cleaned_data["issuing_unit"]
            require_perm(request.user, "directives.draft_for_unit", unit)
            try:
                document = services.document_create(issuing_unit=unit, by=request.user, data=form.draft_data())
            except PortalError as error:
                _form_error(form, error)
            else:
                messages.success(request, _("Đã lưu dự thảo."))
                return redirect(document)
    else:
        initial = {"issued_on": timezone.localdate(), "addressee_mode": "children_of_kind"}
        if preset:
            initial.update(issuing_unit=preset, place=preset.place_name)
        form = DocumentForm(initial=initial, units=units)
    return render(request, "directives/document_form.html", {"form": form, "document": None})


@login_required
def document_edit(request, pk):
    document = _document(pk, request.user, "directives.change_document")
    units = Unit.objects.filter(pk=document.issuing_unit_id)
    if request.method == "POST":
        form = DocumentForm(request.POST, units=units, issuing_unit=document.issuing_unit)
        if form.is_valid():
            try:
                services.document_update(document=document, by=request.user, data=form.draft_data())
            except PortalError as error:
                _form_error(form, error)
            else:
                messages.success(request, _("Đã lưu dự thảo."))
                return redirect(document)
    else:
        initial = DocumentForm.initial_from(services.draft_data_from(document))
        form = DocumentForm(initial=initial, units=units, issuing_unit=document.issuing_unit)
    return render(request, "directives/document_form.html", {"form": form, "document": document})


@login_required
def document_detail(request, pk):
    document = _document(pk, request.user)
    context = selectors.document_page(document=document, user=request.user)
    context["attachment_form"] = AttachmentForm()
    context["signed_pdf_form"] = SignedPdfForm()
    if context["issue_day"] is not None and context["issue_day"] != document.issued_on:
        context["redate_notice"] = _redated_message(context["issue_day"], document.issued_on)
    return render(request, "directives/document_detail.html", context)


def _redated_message(issue_day, drafted_on) -> str:
    return _(
        "Văn bản được ghi ngày %(date)s (ngày ban hành), không phải ngày %(drafted)s của dự thảo: "
        "số văn bản lấy trong sổ văn bản đi năm %(year)s."
    ) % {"date": f"{issue_day:%d/%m/%Y}", "drafted": f"{drafted_on:%d/%m/%Y}", "year": issue_day.year}


@login_required
def document_issue_preview(request, pk):
    """The look back before issuing: recipients, expected number and date, the draft PDF; writes nothing."""
    document = _document(pk, request.user, "directives.issue_document")
    preview = selectors.document_issue_preview(document=document)
    page = Paginator(preview.addressees, 100).get_page(request.GET.get("page"))
    return render(
        request,
        "directives/issue_preview.html",
        {
            "document": document,
            "preview": preview,
            "page": page,
            "needs_signer_signature": document_needs_signer_signature(document),
            "signer_form": IssueSignerForm(
                choices=document_signer_choices(document), initial={"signer_user": document.signer_user_id}
            ),
            "redate_notice": _redated_message(preview.issue_day, document.issued_on)
            if preview.issue_day != document.issued_on
            else "",
        },
    )


@login_required
@require_POST
def document_issue(request, pk):
    document = _document(pk, request.user, "directives.confirm_issue")
    if document.is_issued:
        # A second confirmation (double click, back button): the first one issued it; say so, issue nothing.
        messages.info(request, _("Văn bản đã được ban hành với số %(number)s.") % {"number": document.number_symbol})
        return redirect(document)
    require_perm(request.user, "directives.issue_document", document)
    drafted_on = document.issued_on
    signer_form = IssueSignerForm(request.POST, choices=document_signer_choices(document))
    if not signer_form.is_valid():
        report_error(request, _("Người ký phải là lãnh đạo đang công tác của đơn vị ban hành."))
        return redirect("directives:document_issue_preview", pk=document.pk)
    try:
        document = services.document_issue(
            document=document, by=request.user, signer_user=signer_form.cleaned_data["signer_user"]
        )
    except PortalError as error:
        report_error(request, error)
        return redirect(document)
    messages.success(request, _("Đã ban hành văn bản số %(number)s.") % {"number": document.number_symbol})
    expected = request.POST.get("expected_number", "")
    if expected.isdigit() and int(expected) != document.number:
        messages.warning(
            request,
            _("Số văn bản khác số dự kiến %(expected)s vì đơn vị đã ban hành văn bản khác trước đó.")
            % {"expected": expected},
        )
    if document.issued_on != drafted_on:
        messages.info(request, _redated_message(document.issued_on, drafted_on))
    return redirect(document)


@login_required
@require_POST
def document_prepare_signing(request, pk):
    document = _document(pk, request.user, "directives.issue_document")
    try:
        document = services.document_prepare_signing(document=document, by=request.user)
    except PortalError as error:
        report_error(request, error)
    else:
        messages.success(
            request,
            _("Đã cấp số %(number)s. Hãy tải bản PDF, ký số trên thiết bị của người ký rồi tải tệp đã ký lên.")
            % {"number": document.number_symbol},
        )
    return redirect(document)


@login_required
@require_POST
def document_signed_upload(request, pk):
    document = _document(pk, request.user, "directives.issue_document")
    form = SignedPdfForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Chưa chọn tệp PDF đã ký."))
        return redirect(document)
    try:
        document = services.document_complete_signing(
            document=document, data=form.cleaned_data["file"].read(), by=request.user
        )
    except PortalError as error:
        report_error(request, error)
    else:
        messages.success(request, _("Đã ban hành văn bản số %(number)s.") % {"number": document.number_symbol})
    return redirect(document)


@login_required
def document_pdf(request, pk):
    document = _document(pk, request.user)
    name = (document.number_symbol or f"du-thao-{document.pk}").replace("/", "-")
    stored = None if document.is_draft else document_stored_pdf(document)
    if stored is not None:  # numbered: the file prepared for the signer, or the signed file it was issued as
        with stored.open("rb") as handle:
            return download_response(handle.read(), filename=f"{name}.pdf", inline=True)
    pdf = render_official_pdf(
        template_name="documents/directive.html", context=selectors.document_pdf_context(document)
    )
    return download_response(pdf, filename=f"{name}.pdf", inline=True)


@login_required
@require_POST
def attachment_upload(request, pk):
    document = _document(pk, request.user, "directives.change_document")
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.attachment_add(document=document, by=request.user, uploaded_file=form.cleaned_data["file"])
        except PortalError as error:
            report_error(request, error)
        else:
            messages.success(request, _("Đã đính kèm tệp."))
    else:
        messages.error(request, _("Chưa chọn tệp."))
    return redirect(document)


@login_required
def attachment_download(request, pk):
    attachment = get_object_or_404(Attachment.objects.select_related("document__issuing_unit"), pk=pk)
    require_perm(request.user, "directives.view_document", attachment.document)
    return uploaded_file_response(
        attachment.file, filename=attachment.original_name, content_type=attachment.content_type
    )


@login_required
def evidence_download(request, pk):
    delivery = _delivery(pk, request.user, "directives.view_delivery")
    if not delivery.evidence:
        raise Http404
    return uploaded_file_response(delivery.evidence, filename=delivery.evidence_name or "minh-chung")


@login_required
@require_POST
def delivery_open(request, pk):
    """The unit's first opening, from the inbox's "Mở" button (then shown the document) or posted by the document
    page itself (static/directives/record-read.js, answered with JSON)."""
    delivery = _delivery(pk, request.user)
    delivery = deliveries.delivery_open(delivery=delivery, by=request.user)
    if request.headers.get("X-Requested-With") == "fetch":
        return JsonResponse({"read_at": delivery.read_at.isoformat()})
    return redirect(delivery.document)


@login_required
@require_POST
def delivery_acknowledge(request, pk):
    delivery = _delivery(pk, request.user)
    deliveries.delivery_acknowledge(delivery=delivery, by=request.user)
    messages.success(request, _("Đã xác nhận đã nhận văn bản."))
    return redirect(delivery.document)


@login_required
@require_POST
def delivery_draft_implementing(request, pk):
    delivery = _delivery(pk, request.user)
    try:
        document = services.document_draft_implementing(delivery=delivery, by=request.user)
    except PortalError as error:
        report_error(request, error)
        return redirect(delivery.document)
    return redirect("directives:document_edit", pk=document.pk)


@login_required
def delivery_implement(request, pk):
    delivery = _delivery(pk, request.user)
    if request.method == "POST":
        form = ImplementForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                if form.cleaned_data["outcome"] == ImplementForm.DONE:
                    deliveries.delivery_mark_done(
                        delivery=delivery,
                        by=request.user,
                        result_note=form.cleaned_data["result_note"],
                        evidence=form.cleaned_data["evidence"],
                    )
                else:
                    deliveries.delivery_mark_not_applicable(
                        delivery=delivery, by=request.user, reason=form.cleaned_data["reason"]
                    )
            except PortalError as error:
                _form_error(form, error)
            else:
                messages.success(request, _("Đã ghi nhận kết quả thực hiện."))
                return redirect(delivery.document)
    else:
        form = ImplementForm(initial={"outcome": ImplementForm.DONE})
    return render(request, "directives/delivery_implement.html", {"form": form, "delivery": delivery})


def _cascade_filters(request):
    form = CascadeFilterForm(request.GET or None, user=request.user)
    return form, form.filters()


@login_required
def cascade(request, pk):
    document = _document(pk, request.user, "directives.view_cascade")
    form, filters = _cascade_filters(request)
    summaries = selectors.cascade_summaries(document=document, user=request.user, filters=filters)
    levels = selectors.cascade_levels(summaries)
    totals = selectors.cascade_totals(levels)
    page, rows = selectors.cascade_page(
        summaries, count=totals["delivered"], page_number=request.GET.get("page"), user=request.user
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "directives/cascade.html",
        {
            "document": document,
            "form": form,
            "levels": levels,
            "totals": totals,
            "rows": rows,
            "page": page,
            "within": filters.within,
            "query": query.urlencode(),
            "can_remind_any": any(r["can_remind"] for r in rows),
        },
    )


@login_required
@require_POST
def cascade_remind(request, pk):
    """A head's one-tap reminder: the ticked late units of the cascade, or all of them ("all")."""
    document = _document(pk, request.user, "directives.view_cascade")
    _form, filters = _cascade_filters(request)
    ids = None if request.POST.get("all") else [int(v) for v in request.POST.getlist("delivery") if v.isdigit()]
    targets = selectors.cascade_remind_targets(document=document, user=request.user, filters=filters, ids=ids)
    try:
        result = deliveries.deliveries_remind(deliveries=targets, by=request.user)
    except PortalError as error:
        report_error(request, error)
    else:
        messages.success(request, result.message)
    query = request.GET.urlencode()
    url = reverse("directives:cascade", args=[document.pk])
    return redirect(f"{url}?{query}" if query else url)


@login_required
@require_POST
def cascade_xlsx(request, pk):
    """A cascade reaches 10,000 units: a background job writes it (organizations.exports), with the page's filters."""
    document = _document(pk, request.user, "directives.view_cascade")
    _form, filters = _cascade_filters(request)
    job = export_start(
        kind=CASCADE_EXPORT,
        params={"document": document.pk, "filters": filters.as_params()},
        title=_("Lan tỏa văn bản %(number)s") % {"number": document.number_symbol or document.pk},
        by=request.user,
    )
    return redirect("organizations:export_job", job.pk)
