"""The public page "Kiểm tra văn bản": anyone checks a PDF, or finds the portal's record by code or number.

Nothing of an upload is stored; every answer comes from signatures.verification and the selectors."""

from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from campaign_portal.exceptions import PortalError
from campaign_portal.ratelimit import DOCUMENT_VERIFY_LOOKUP, DOCUMENT_VERIFY_UPLOAD, client_ip, rate_limit_hit

from .forms_verify import CodeLookupForm, NumberLookupForm, VerifyUploadForm
from .selectors_verify import signed_file_by_code, signed_files_matching
from .verification import verify_uploaded_pdf

TEMPLATE = "signatures/verify.html"


def _context(**extra) -> dict:
    return {
        "upload_form": VerifyUploadForm(),
        "code_form": CodeLookupForm(),
        "number_form": NumberLookupForm(),
        **extra,
    }


@require_http_methods(["GET", "POST"])
def verify(request):
    if request.method == "POST":
        return _verify_upload(request)
    if "code" in request.GET:
        code_form = CodeLookupForm(request.GET)
        if code_form.is_valid():
            return redirect("signatures:verify_code", code=code_form.cleaned_data["code"])
        return render(request, TEMPLATE, _context(code_form=code_form), status=400)
    if "number_symbol" in request.GET:
        return _verify_number(request)
    return render(request, TEMPLATE, _context())


def _verify_upload(request):
    ip = client_ip(request)
    if rate_limit_hit(policy=DOCUMENT_VERIFY_UPLOAD, key=ip):
        return render(request, TEMPLATE, _context(limited=True), status=429)
    form = VerifyUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(request, TEMPLATE, _context(upload_form=form), status=400)
    try:
        result = verify_uploaded_pdf(form.cleaned_data["file"])
    except PortalError as error:
        form.add_error("file", error.message)
        return render(request, TEMPLATE, _context(upload_form=form), status=400)
    expected_code = form.cleaned_data["expected_code"]
    return render(
        request,
        TEMPLATE,
        _context(
            result=result,
            expected_code=expected_code,
            matches_expected=bool(result.signed_file and result.signed_file.verification_code == expected_code),
        ),
    )


def _verify_number(request):
    if rate_limit_hit(policy=DOCUMENT_VERIFY_LOOKUP, key=client_ip(request)):
        return render(request, TEMPLATE, _context(limited=True), status=429)
    form = NumberLookupForm(request.GET)
    if not form.is_valid():
        return render(request, TEMPLATE, _context(number_form=form), status=400)
    matches = signed_files_matching(**form.cleaned_data)
    return render(request, TEMPLATE, _context(number_form=form, matches=matches, searched=True))


@require_GET
def verify_code(request, code):
    if rate_limit_hit(policy=DOCUMENT_VERIFY_LOOKUP, key=client_ip(request)):
        return render(request, TEMPLATE, _context(limited=True), status=429)
    signed_file = signed_file_by_code(code)
    if signed_file is None:
        raise Http404
    upload_form = VerifyUploadForm(initial={"expected_code": signed_file.verification_code})
    return render(request, TEMPLATE, _context(record=signed_file, upload_form=upload_form))


@require_GET
def verify_download(request, code):
    """The portal's own copy: what anyone holding the code (or a copy) may compare theirs with."""
    signed_file = signed_file_by_code(code)
    if signed_file is None or not signed_file.file:
        raise Http404
    return FileResponse(
        signed_file.file.open("rb"),
        as_attachment=True,
        filename=f"{signed_file.verification_code}.pdf",
        content_type="application/pdf",
    )
