from crispy_forms.helper import FormHelper
from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from campaign_portal.fields import NumberField
from campaign_portal.forms import CleanTextMixin, NumberBoundsMixin
from campaign_portal.text import nfc
from campaign_portal.uploads import SPREADSHEET, upload_field

from .enums import Role, UnitKind
from .models import AdministrativeArea, Unit, User


class EmailAuthenticationForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("E-mail"), widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"})
    )
    error_messages = {
        "invalid_login": _("E-mail hoặc mật khẩu không đúng. Lưu ý: sai 5 lần liên tiếp, tài khoản bị khóa 15 phút."),
        "inactive": _("Tài khoản này đã bị khóa."),
    }

    def clean_username(self):
        return self.cleaned_data["username"].strip().lower()


class OutboxPasswordResetForm(PasswordResetForm):
    """Django's reset form, its e-mail queued in the notification outbox instead of sent inline:
    a mail server that refuses never turns the request into an error page."""

    def save(self, *args, **kwargs) -> None:
        from .services import user_request_password_reset

        for user in self.get_users(self.cleaned_data["email"]):
            user_request_password_reset(user=user)


class UnitChoiceField(forms.ModelChoiceField):
    """Units are chosen by their stable code, typed or picked."""

    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", Unit.objects.filter(dissolved_on__isnull=True).order_by("path"))
        kwargs.setdefault("to_field_name", "code")
        super().__init__(**kwargs)

    def label_from_instance(self, obj):
        return f"{'— ' * (obj.depth - 1)}{obj.name} ({obj.code})"


class FilterableSelectMixin:
    """A search box above the list narrows its options as one types, accent-insensitively
    ("kim lien" keeps “Phường Kim Liên”; static/portal/portal.js). Without script the list still works."""

    filter_label = _("Lọc theo tên hoặc mã (gõ không dấu cũng được)")

    def render(self, name, value, attrs=None, renderer=None):
        select = super().render(name, value, attrs, renderer)
        select_id = (attrs or {}).get("id") or f"id_{name}"
        return format_html(
            '<input type="search" class="form-control form-control-sm mb-1" id="{0}_filter" '
            'data-filter-options="{0}" aria-controls="{0}" aria-label="{1}" placeholder="{1}" autocomplete="off">{2}',
            select_id,
            self.filter_label,
            select,
        )


class FilterableSelect(FilterableSelectMixin, forms.Select):
    pass


class FilterableSelectMultiple(FilterableSelectMixin, forms.SelectMultiple):
    pass


class AreaLabelMixin:
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.code})"


class AreaChoiceField(AreaLabelMixin, forms.ModelChoiceField):
    """One commune or ward, chosen by its official code (?area=00229)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", AdministrativeArea.objects.order_by("sort_key", "code"))
        kwargs.setdefault("to_field_name", "code")
        kwargs.setdefault("widget", FilterableSelect)
        super().__init__(**kwargs)


class AreaMultipleChoiceField(AreaLabelMixin, forms.ModelMultipleChoiceField):
    def __init__(self, **kwargs):
        kwargs.setdefault(
            "queryset", AdministrativeArea.objects.filter(valid_to__isnull=True).order_by("sort_key", "code")
        )
        kwargs.setdefault("to_field_name", "code")
        kwargs.setdefault("widget", FilterableSelectMultiple(attrs={"size": 10}))
        super().__init__(**kwargs)


class AreaFilterForm(CleanTextMixin, forms.Form):
    """?area=<code>: pages restricted to the units covering a commune/ward."""

    area = AreaChoiceField(label=_("Phường, xã"), required=False, empty_label=_("Tất cả"))


class UnitCoverageForm(CleanTextMixin, forms.Form):
    areas = AreaMultipleChoiceField(
        label=_("Địa bàn (phường, xã)"),
        required=False,
        help_text=_("Giữ Ctrl (⌘ trên Mac) để chọn nhiều. Bỏ chọn hết: đơn vị không còn phụ trách địa bàn nào."),
    )
    valid_from = forms.DateField(
        label=_("Áp dụng từ ngày"),
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


class UnitForm(NumberBoundsMixin, CleanTextMixin, forms.ModelForm):
    # Typed the Vietnamese way (630.000); below 10^9 so that the integer column always holds it.
    member_count = NumberField(label=_("Số đoàn viên"), min_value=0, max_digits=9)

    class Meta:
        model = Unit
        fields = [
            "name",
            "abbreviation",
            "document_parent_name",
            "document_name",
            "place_name",
            "signer_authority",
            "email",
            "phone",
            "address",
            "member_count",
        ]


class UnitCreateForm(UnitForm):
    code = forms.CharField(
        label=_("Mã đơn vị"), max_length=60, help_text=_("Không đổi về sau, ví dụ HN-LDLD-GIALAM-0042")
    )
    kind = forms.ChoiceField(label=_("Loại đơn vị"), choices=UnitKind.choices)
    active_from = forms.DateField(label=_("Hoạt động từ"), initial=timezone.localdate)

    class Meta(UnitForm.Meta):
        fields = ["code", "kind", *UnitForm.Meta.fields, "active_from"]


class EffectiveDateForm(CleanTextMixin, forms.Form):
    effective_on = forms.DateField(
        label=_("Ngày hiệu lực"),
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    note = forms.CharField(label=_("Căn cứ, ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class UnitMoveForm(EffectiveDateForm):
    new_parent = UnitChoiceField(label=_("Đơn vị cấp trên mới"))
    field_order = ["new_parent", "effective_on", "note"]


class UnitDissolveForm(EffectiveDateForm):
    children_to = UnitChoiceField(label=_("Chuyển các đơn vị trực thuộc về"), required=False)
    field_order = ["children_to", "effective_on", "note"]


class UnitMergeForm(EffectiveDateForm):
    target = UnitChoiceField(label=_("Sáp nhập vào đơn vị"))
    field_order = ["target", "effective_on", "note"]


class UnitSplitForm(EffectiveDateForm):
    new_units = forms.CharField(
        label=_("Các đơn vị mới"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Mỗi dòng: MÃ | Tên đơn vị | mã các đơn vị trực thuộc chuyển về, cách nhau bởi dấu phẩy"),
    )
    field_order = ["new_units", "effective_on", "note"]

    def clean_new_units(self):
        parts = []
        for number, line in enumerate(nfc(self.cleaned_data["new_units"]).splitlines(), start=1):
            if not line.strip():
                continue
            pieces = [p.strip() for p in line.split("|")]
            if len(pieces) != 3 or not pieces[0] or not pieces[1]:
                raise forms.ValidationError(_("Dòng %(n)s không đúng dạng “MÃ | Tên | mã trực thuộc”.") % {"n": number})
            parts.append((pieces[0].upper(), pieces[1], [c.strip().upper() for c in pieces[2].split(",") if c.strip()]))
        if len(parts) < 2:
            raise forms.ValidationError(_("Chia tách cần ít nhất hai đơn vị mới."))
        return parts


class TreeDateForm(CleanTextMixin, forms.Form):
    """“Cơ cấu tại ngày …”: a GET form, typed the Vietnamese way."""

    on = forms.DateField(
        label=_("Cơ cấu tại ngày"),
        required=False,
        input_formats=["%d/%m/%Y"],
        help_text=_("Nhập ngày dạng ngày/tháng/năm, ví dụ 30/06/2025. Để trống: cơ cấu hiện nay."),
        error_messages={"invalid": _("Ngày không hợp lệ: nhập dạng ngày/tháng/năm, ví dụ 30/06/2025.")},
        widget=forms.DateInput(
            format="%d/%m/%Y",
            attrs={
                "class": "form-control",
                "inputmode": "numeric",
                "placeholder": "dd/mm/yyyy",
                "autocomplete": "off",
                "pattern": r"\d{1,2}/\d{1,2}/\d{4}",
                "aria-describedby": "tree-on-help",
            },
        ),
    )

    def clean_on(self):
        on = self.cleaned_data["on"]
        if on and on > timezone.localdate():
            raise forms.ValidationError(_("Chọn một ngày đã qua hoặc hôm nay."))
        return on


class MembershipForm(CleanTextMixin, forms.Form):
    email = forms.EmailField(label=_("E-mail người được phân công"))
    full_name = forms.CharField(label=_("Họ và tên (nếu là người mới)"), required=False, max_length=200)
    role = forms.ChoiceField(label=_("Vai trò"), choices=Role.choices)

    def clean(self):
        data = super().clean()
        email = data.get("email", "").lower()
        if email and not User.objects.filter(email=email).exists() and not data.get("full_name"):
            self.add_error("full_name", _("Người này chưa có tài khoản: nhập họ và tên để tạo."))
        return data


class XlsxUploadForm(CleanTextMixin, forms.Form):
    # Checked (size, zip limits, macros) by tree_io.xlsx_rows before openpyxl opens it.
    file = upload_field(SPREADSHEET, label=_("Tệp XLSX"))


class TreeImportForm(XlsxUploadForm):
    effective_on = forms.DateField(
        label=_("Ngày hiệu lực của các thay đổi"),
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


def crispy(form):
    form.helper = FormHelper()
    form.helper.form_tag = False
    return form


class TwoFactorForm(CleanTextMixin, forms.Form):
    token = forms.CharField(
        label=_("Mã 6 số trong ứng dụng xác thực"),
        max_length=6,
        min_length=6,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )
