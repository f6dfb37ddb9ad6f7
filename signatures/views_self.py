"""The signer's self-service (login required): she registers her own signing certificate and uploads her
signature picture through the services the admin uses (signatures.credentials); she sees only her own."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from campaign_portal.exceptions import PortalError
from campaign_portal.view_helpers import uploaded_file_response

from .credentials import personal_certificate_register, png_is_transparent, signature_image_set
from .forms_self import PersonalCertificateUploadForm, SignatureImageUploadForm
from .selectors import my_certificates, my_signature_image

TEMPLATE = "signatures/my_signing.html"


def _page(request, *, certificate_form=None, image_form=None, status=200):
    context = {
        "certificates": my_certificates(request.user),
        "signature_image": my_signature_image(request.user),
        "certificate_form": certificate_form or PersonalCertificateUploadForm(),
        "image_form": image_form or SignatureImageUploadForm(),
    }
    return render(request, TEMPLATE, context, status=status)


@login_required
@require_GET
def my_signing(request):
    return _page(request)


@login_required
@require_POST
def my_certificate_add(request):
    form = PersonalCertificateUploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            certificate = personal_certificate_register(
                user=request.user, data=form.cleaned_data["certificate_file"].read()
            )
        except PortalError as error:
            form.add_error("certificate_file", error.message)
        else:
            messages.success(request, _("Đã đăng ký chứng thư số “%(name)s”.") % {"name": certificate.subject_name})
            return redirect("signatures:my_signing")
    return _page(request, certificate_form=form, status=400)


@login_required
@require_POST
def my_signature_image_set(request):
    form = SignatureImageUploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            stored = signature_image_set(user=request.user, upload=form.cleaned_data["image"])
        except PortalError as error:
            form.add_error("image", error.message)
        else:
            messages.success(request, _("Đã lưu hình chữ ký."))
            with stored.image.open("rb") as handle:
                if not png_is_transparent(handle):
                    messages.warning(
                        request, _("Hình chữ ký có nền không trong suốt: nền trắng sẽ che con dấu khi đóng dấu.")
                    )
            return redirect("signatures:my_signing")
    return _page(request, image_form=form, status=400)


@login_required
@require_GET
def my_signature_image_file(request):
    """Her own picture, shown on her page; nobody else's can be asked for."""
    stored = my_signature_image(request.user)
    if stored is None:
        raise Http404
    return uploaded_file_response(stored.image, filename="chu-ky.png", content_type="image/png", inline=True)
