from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from campaign_portal.admin_tools import NoRevertMixin, PortalModelAdmin
from campaign_portal.exceptions import PortalError
from campaign_portal.forms import CleanTextMixin

from .credentials import (
    credential_save_pkcs11,
    credential_save_pkcs12,
    credential_set_seal,
    personal_certificate_register,
    signature_image_set,
)
from .enums import CredentialKind
from .models import PersonalCertificate, SignatureImage, SigningCredential, TrustedCertificate
from .selectors import units_without_credential
from .services_trust import (
    MAX_BUNDLE_BYTES,
    trusted_certificate_set_active,
    trusted_certificates_add,
    trusted_certificates_check,
)


class TrustedCertificateUploadForm(CleanTextMixin, forms.ModelForm):
    """Adding trusted CAs: one file (PEM, several certificates allowed, or DER) or the PEM text pasted."""

    certificate_file = forms.FileField(
        label=_("Tệp chứng thư số (.pem, .crt, .cer, .der)"),
        required=False,
        help_text=_("Một tệp PEM có thể chứa nhiều chứng thư CA (gốc và trung gian)."),
    )
    certificate_text = forms.CharField(
        label=_("Hoặc dán nội dung PEM"), required=False, widget=forms.Textarea(attrs={"rows": 6})
    )

    class Meta:
        model = TrustedCertificate
        fields = []

    def clean(self):
        cleaned = super().clean()
        upload, text = cleaned.get("certificate_file"), cleaned.get("certificate_text", "")
        if upload is None and not text:
            raise forms.ValidationError(_("Hãy chọn tệp chứng thư số hoặc dán nội dung PEM."))
        if upload is not None and upload.size > MAX_BUNDLE_BYTES:
            raise forms.ValidationError(_("Tệp chứng thư số quá lớn (tối đa 1 MB)."))
        data = upload.read() if upload is not None else text.encode("utf-8")
        try:
            trusted_certificates_check(data)
        except PortalError as error:
            raise forms.ValidationError(error.message) from error
        cleaned["data"] = data
        return cleaned


@admin.register(TrustedCertificate)
class TrustedCertificateAdmin(NoRevertMixin, PortalModelAdmin):
    list_display = ("subject_name", "is_root", "not_before", "not_after", "is_active")
    list_filter = ("is_active", "is_root")
    search_fields = ("subject_name", "fingerprint_sha256")
    actions = ("deactivate", "activate")
    readonly_fields = (
        "subject_name",
        "is_root",
        "not_before",
        "not_after",
        "fingerprint_sha256",
        "certificate_pem",
        "added_by",
        "added_at",
    )

    def has_delete_permission(self, request, obj=None):
        return False  # deactivated instead: a verification made while it was trusted stays explainable

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = TrustedCertificateUploadForm
            kwargs["fields"] = ["certificate_file", "certificate_text"]
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["certificate_file", "certificate_text"]
        return ["is_active", *self.readonly_fields]

    def get_readonly_fields(self, request, obj=None):
        return () if obj is None else self.readonly_fields

    def save_model(self, request, obj, form, change):
        if change:
            # The form already set obj.is_active: the service decides from the row as stored.
            stored = TrustedCertificate.objects.get(pk=obj.pk)
            trusted_certificate_set_active(certificate=stored, active=form.cleaned_data["is_active"], by=request.user)
            return
        added = trusted_certificates_add(data=form.cleaned_data["data"], by=request.user)
        # The admin logs and links "the" new object: the first one; the message counts them all.
        obj.pk = added[0].pk
        obj.__dict__.update({k: v for k, v in added[0].__dict__.items() if not k.startswith("_")})
        self.message_user(
            request,
            ngettext("Đã thêm %(count)d chứng thư CA tin cậy.", "Đã thêm %(count)d chứng thư CA tin cậy.", len(added))
            % {"count": len(added)},
            messages.SUCCESS,
        )

    @admin.action(description=_("Ngừng tin cậy các chứng thư đã chọn"))
    def deactivate(self, request, queryset):
        for certificate in queryset:
            trusted_certificate_set_active(certificate=certificate, active=False, by=request.user)

    @admin.action(description=_("Tin cậy lại các chứng thư đã chọn"))
    def activate(self, request, queryset):
        for certificate in queryset:
            trusted_certificate_set_active(certificate=certificate, active=True, by=request.user)


# ---------------------------------------------------------------- the units' credentials and the signers


class ServiceSaveMixin:
    """The admin saves through the app's services: `save_through_service` returns the stored row; a refusal is
    shown as the service worded it and nothing is saved."""

    def save_model(self, request, obj, form, change):
        try:
            stored = self.save_through_service(request, obj, form.cleaned_data, change)
        except PortalError as error:
            self.message_user(request, error.message, messages.ERROR)
            return
        obj.pk = stored.pk


class SigningCredentialForm(CleanTextMixin, forms.ModelForm):
    """A PKCS#12 file and its passphrase (both stored encrypted), or the environment prefix of a PKCS#11 token
    with its certificate; the seal image (PNG, red, transparent)."""

    pkcs12_file = forms.FileField(label=_("Tệp PKCS#12 (.p12, .pfx)"), required=False)
    passphrase = forms.CharField(label=_("Mật khẩu tệp PKCS#12"), required=False, widget=forms.PasswordInput)
    pkcs11_certificate = forms.CharField(
        label=_("Chứng thư số của thiết bị PKCS#11 (PEM)"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    seal_upload = forms.FileField(label=_("Hình con dấu (PNG nền trong suốt, màu đỏ)"), required=False)

    class Meta:
        model = SigningCredential
        fields = ["unit", "kind", "pkcs11_env_prefix", "seal_diameter_mm", "organisation_signature_suffices"]

    def clean(self):
        cleaned = super().clean()
        creating = self.instance.pk is None
        if cleaned.get("kind") == CredentialKind.PKCS12 and creating and not cleaned.get("pkcs12_file"):
            raise forms.ValidationError(_("Hãy chọn tệp PKCS#12 của đơn vị."))
        if cleaned.get("kind") == CredentialKind.PKCS11 and not cleaned.get("pkcs11_env_prefix"):
            raise forms.ValidationError(_("Hãy nhập tiền tố biến môi trường của thiết bị PKCS#11."))
        return cleaned


@admin.register(SigningCredential)
class SigningCredentialAdmin(ServiceSaveMixin, NoRevertMixin, PortalModelAdmin):
    form = SigningCredentialForm
    list_display = ("unit", "kind", "subject_name", "not_after", "organisation_signature_suffices")
    list_filter = ("kind", "organisation_signature_suffices")
    search_fields = ("unit__name", "unit__code", "subject_name")
    readonly_fields = ("subject_name", "not_before", "not_after", "certificate_pem", "created_by", "created_at")
    fields = (
        "unit",
        "kind",
        "pkcs12_file",
        "passphrase",
        "pkcs11_env_prefix",
        "pkcs11_certificate",
        "seal_upload",
        "seal_diameter_mm",
        "organisation_signature_suffices",
        *readonly_fields,
    )

    def changelist_view(self, request, extra_context=None):
        # Which units issue documents unsigned: said where the admin manages the credentials.
        missing = units_without_credential().count()
        if missing:
            self.message_user(
                request,
                ngettext(
                    "%(count)d đơn vị chưa có chứng thư số: văn bản của đơn vị đó ban hành không có chữ ký số.",
                    "%(count)d đơn vị chưa có chứng thư số: văn bản của các đơn vị đó ban hành không có chữ ký số.",
                    missing,
                )
                % {"count": missing},
                messages.WARNING,
            )
        return super().changelist_view(request, extra_context)

    def save_through_service(self, request, obj, data, change):
        if data["kind"] == CredentialKind.PKCS11:
            stored = credential_save_pkcs11(
                unit=data["unit"],
                env_prefix=data["pkcs11_env_prefix"],
                certificate_pem=data["pkcs11_certificate"] or obj.certificate_pem,
                by=request.user,
            )
        elif data.get("pkcs12_file"):
            stored = credential_save_pkcs12(
                unit=data["unit"],
                pkcs12_data=data["pkcs12_file"].read(),
                passphrase=data["passphrase"] or "",
                by=request.user,
                credential=obj if change else None,
            )
        else:
            stored = obj
        stored.seal_diameter_mm = data["seal_diameter_mm"]
        stored.organisation_signature_suffices = data["organisation_signature_suffices"]
        stored.save(update_fields=["seal_diameter_mm", "organisation_signature_suffices"])
        if data.get("seal_upload"):
            credential_set_seal(credential=stored, upload=data["seal_upload"], by=request.user)
        return stored


class PersonalCertificateForm(CleanTextMixin, forms.ModelForm):
    certificate_file = forms.FileField(label=_("Tệp chứng thư số của người ký (.cer, .pem)"))

    class Meta:
        model = PersonalCertificate
        fields = ["user"]


@admin.register(PersonalCertificate)
class PersonalCertificateAdmin(ServiceSaveMixin, PortalModelAdmin):
    form = PersonalCertificateForm
    list_display = ("user", "subject_name", "issuer_name", "not_after")
    search_fields = ("user__email", "user__full_name", "subject_name", "fingerprint_sha256")

    def has_change_permission(self, request, obj=None):
        return False

    def save_through_service(self, request, obj, data, change):
        return personal_certificate_register(user=data["user"], data=data["certificate_file"].read())


class SignatureImageForm(CleanTextMixin, forms.ModelForm):
    image_upload = forms.FileField(label=_("Hình chữ ký (PNG nền trong suốt)"))

    class Meta:
        model = SignatureImage
        fields = ["user"]


@admin.register(SignatureImage)
class SignatureImageAdmin(ServiceSaveMixin, PortalModelAdmin):
    form = SignatureImageForm
    list_display = ("user", "updated_at")
    search_fields = ("user__email", "user__full_name")

    def save_through_service(self, request, obj, data, change):
        return signature_image_set(user=data["user"], upload=data["image_upload"])
