from django import forms
from django.utils.translation import gettext_lazy as _

from campaign_portal.forms import CleanTextMixin
from campaign_portal.uploads import VERIFICATION, upload_field

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _code(value: str) -> str:
    return value.strip().upper().replace(" ", "")


class VerifyUploadForm(forms.Form):
    file = upload_field(VERIFICATION, label=_("Tệp PDF cần kiểm tra"))
    # Set when the visitor arrived by a code: the answer then says whether the file is that document.
    expected_code = forms.CharField(required=False, max_length=16, widget=forms.HiddenInput)

    def clean_expected_code(self):
        return _code(self.cleaned_data["expected_code"])


class CodeLookupForm(CleanTextMixin, forms.Form):
    code_fields = ()  # a look-up, not stored: spaces are dropped below
    code = forms.CharField(
        label=_("Mã kiểm tra (in ở chân trang văn bản)"),
        max_length=20,
        min_length=4,
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "autocomplete": "off"}),
    )

    def clean_code(self):
        return _code(self.cleaned_data["code"])


class NumberLookupForm(CleanTextMixin, forms.Form):
    number_symbol = forms.CharField(label=_("Số, ký hiệu"), max_length=60, help_text=_("Ví dụ: 12/KH-LĐLĐ"))
    issuer = forms.CharField(
        label=_("Cơ quan ban hành"),
        max_length=120,
        help_text=_("Gõ một phần tên đơn vị, có dấu hoặc không dấu (ví dụ: gia lam)."),
    )
    issued_on = forms.DateField(label=_("Ngày văn bản"), widget=DATE_INPUT)
