from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from campaign_portal.admin_tools import NoRevertMixin, PortalModelAdmin
from campaign_portal.exceptions import PortalError
from campaign_portal.forms import CleanTextMixin

from .models import TrustedCertificate
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
            trusted_certificate_set_active(certificate=obj, active=form.cleaned_data["is_active"], by=request.user)
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
