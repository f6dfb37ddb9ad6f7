"""The signer's own page: her certificate file and her signature picture."""

from django import forms
from django.utils.translation import gettext_lazy as _

from campaign_portal.uploads import IMAGE, upload_field

# A certificate is a few kilobytes; a chain bundle or a PDF sent by mistake is far larger.
CERTIFICATE_MAX_BYTES = 64 * 1024


class PersonalCertificateUploadForm(forms.Form):
    certificate_file = forms.FileField(
        label=_("Tệp chứng thư số của bạn (.cer, .pem, .der)"),
        help_text=_("Chỉ chứng thư số công khai, không phải tệp khóa bí mật (.p12, .pfx); tối đa 64 KB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".cer,.crt,.pem,.der"}),
    )

    def clean_certificate_file(self):
        upload = self.cleaned_data["certificate_file"]
        if upload.size > CERTIFICATE_MAX_BYTES:
            raise forms.ValidationError(_("Tệp quá lớn cho một chứng thư số (tối đa 64 KB)."))
        return upload


class SignatureImageUploadForm(forms.Form):
    image = upload_field(IMAGE, label=_("Hình chữ ký (PNG, nên dùng nền trong suốt, tối đa 2000 × 1000 điểm ảnh)"))
