from crispy_forms.helper import FormHelper
from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.forms.utils import flatatt
from django.utils import timezone
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from campaign_portal.fields import NumberField
from campaign_portal.forms import CleanTextMixin, NumberBoundsMixin
from campaign_portal.uploads import SPREADSHEET, upload_field

from .enums import ALLOWED_PARENT_KINDS, Role, UnitKind
from .models import AdministrativeArea, Unit, User
from .selectors import unit_live_children
from .services import UnitSpec
from .widgets import UnitMultiplePickerField, UnitPickerField, unit_label, unit_picker_bind


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


class FilterableSelectMixin:
    """A search box above the list narrows its options as one types, accent-insensitively
    ("kim lien" keeps “Phường Kim Liên”; static/portal/portal.js). Without script the list still works."""

    filter_label = _("Lọc theo tên hoặc mã (gõ không dấu cũng được)")

    def render(self, name, value, attrs=None, renderer=None):
        select = self._select_html(name, value, attrs)
        select_id = (attrs or {}).get("id") or f"id_{name}"
        return format_html(
            '<input type="search" class="form-control form-control-sm mb-1" id="{0}_filter" '
            'data-filter-options="{0}" aria-controls="{0}" aria-label="{1}" placeholder="{1}" autocomplete="off">{2}',
            select_id,
            self.filter_label,
            select,
        )

    def _select_html(self, name, value, attrs) -> str:
        """The markup of Django's select.html and select_option.html, written here from the choices: the 126
        communes and wards through one template include per option, or through Django's option dictionaries
        (optgroups, flatatt), were most of a filtered list page's rendering time."""
        select_attrs = self.build_attrs(self.attrs, attrs)
        if self.allow_multiple_selected:
            select_attrs["multiple"] = True
        chosen = set(self.format_value(value))
        has_selected = False

        def option(option_value, label) -> str:
            nonlocal has_selected
            option_value = "" if option_value is None else str(option_value)
            # As Django's optgroups: a single select marks only the first match.
            selected = (not has_selected or self.allow_multiple_selected) and option_value in chosen
            has_selected |= selected
            return f'<option value="{escape(option_value)}"{" selected" if selected else ""}>{escape(label)}</option>'

        options = "".join(option(option_value, label) for option_value, label in self.choices)  # flat: no groups
        return format_html('<select name="{}"{}>{}</select>', name, flatatt(select_attrs), mark_safe(options))


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


class ReorganisationForm(EffectiveDateForm):
    """A move, dissolution, merge or split of `unit`, chosen by `user` (who manages the tree): each picker
    offers, and its field accepts, only the units the tree rules allow for this unit."""

    unit_field: str | None = None  # the picker of the unit on the other side
    scope = ""

    def __init__(self, data=None, *, unit: Unit, user: User, **kwargs):
        super().__init__(data, **kwargs)
        self.unit = unit
        if self.unit_field:
            unit_picker_bind(self.fields[self.unit_field], user=user, scope=self.scope, anchor=unit)


class UnitMoveForm(ReorganisationForm):
    new_parent = UnitPickerField(label=_("Đơn vị cấp trên mới"))
    field_order = ["new_parent", "effective_on", "note"]
    unit_field, scope = "new_parent", "move_parent"

    def __init__(self, data=None, *, unit: Unit, user: User, **kwargs):
        super().__init__(data, unit=unit, user=user, **kwargs)
        parent = Unit.objects.get_parent(unit)
        self.current_parent = parent
        self.fields["new_parent"].help_text = _(
            "Hiện trực thuộc: %(parent)s. Chỉ đơn vị đang hoạt động, đúng cấp, ngoài đơn vị này và cấp dưới của nó."
        ) % {"parent": unit_label(parent) if parent else "—"}


class UnitsMoveForm(EffectiveDateForm):
    """The Django admin's move of several units at once: any live unit may be named, and units_move checks
    the tree rules for each unit moved."""

    new_parent = UnitPickerField(label=_("Đơn vị cấp trên mới"))
    field_order = ["new_parent", "effective_on", "note"]

    def __init__(self, data=None, *, user: User, **kwargs):
        super().__init__(data, **kwargs)
        unit_picker_bind(self.fields["new_parent"], user=user, scope="live")


class UnitDissolveForm(ReorganisationForm):
    children_to = UnitPickerField(label=_("Chuyển các đơn vị trực thuộc về"), required=False)
    field_order = ["children_to", "effective_on", "note"]
    unit_field, scope = "children_to", "children_destination"

    def clean(self):
        data = super().clean()
        children = unit_live_children(self.unit).count()
        if children and not data.get("children_to") and "children_to" not in self.errors:
            self.add_error(
                "children_to",
                _("Đơn vị còn %(n)s đơn vị trực thuộc: chọn nơi chuyển các đơn vị này đến.") % {"n": children},
            )
        return data


class UnitMergeForm(ReorganisationForm):
    target = UnitPickerField(label=_("Sáp nhập vào đơn vị"))
    field_order = ["target", "effective_on", "note"]
    unit_field, scope = "target", "merge_target"


class SplitPartForm(CleanTextMixin, forms.Form):
    """One new unit of a split: its name, code and kind, and the children of the split unit it takes."""

    name = forms.CharField(label=_("Tên đơn vị mới"), max_length=255)
    code = forms.CharField(label=_("Mã đơn vị mới"), max_length=60, help_text=_("Không đổi về sau."))
    kind = forms.ChoiceField(label=_("Loại đơn vị"))
    children = UnitMultiplePickerField(label=_("Các đơn vị trực thuộc chuyển về"), required=False)

    def __init__(self, *args, unit: Unit, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = split_kind_choices(unit)
        self.fields["kind"].initial = unit.kind
        unit_picker_bind(self.fields["children"], user=user, scope="split_children", anchor=unit)


def split_kind_choices(unit: Unit) -> list[tuple[str, str]]:
    """The kinds a new sibling of `unit` may have: those allowed under its parent."""
    parent = Unit.objects.get_parent(unit)
    return [
        (kind.value, kind.label)
        for kind in UnitKind
        if (parent.kind in ALLOWED_PARENT_KINDS[kind] if parent else not ALLOWED_PARENT_KINDS[kind])
    ]


class BaseSplitPartFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        seen_codes: dict[str, int] = {}
        taken: dict[int, int] = {}
        for number, form in enumerate(self.forms, start=1):
            if not form.cleaned_data or self._should_delete_form(form):
                continue
            code = form.cleaned_data["code"]
            if code in seen_codes:
                form.add_error("code", _("Trùng mã với dòng %(n)s.") % {"n": seen_codes[code]})
            seen_codes.setdefault(code, number)
            for child in form.cleaned_data["children"]:
                if child.pk in taken:
                    form.add_error(
                        "children",
                        _("“%(name)s” đã được chuyển về dòng %(n)s.") % {"name": child.name, "n": taken[child.pk]},
                    )
                taken.setdefault(child.pk, number)
        if len(seen_codes) < 2:
            raise forms.ValidationError(_("Chia tách cần ít nhất hai đơn vị mới."))
        left = unit_live_children(self.form_kwargs["unit"]).exclude(pk__in=taken)
        names = list(left.values_list("name", flat=True)[:10])
        if names:
            raise forms.ValidationError(
                _("Mỗi đơn vị trực thuộc phải được chuyển về một đơn vị mới. Còn %(n)s đơn vị chưa chuyển: %(names)s.")
                % {"n": left.count(), "names": "; ".join(names)}
            )


SplitPartFormSet = forms.formset_factory(
    SplitPartForm, formset=BaseSplitPartFormSet, extra=1, min_num=2, validate_min=True, can_delete=True
)


class UnitSplitForm(ReorganisationForm):
    """The date and note of a split, with the formset of its new units (prefix "parts")."""

    field_order = ["effective_on", "note"]

    def __init__(self, data=None, *, unit: Unit, user: User, **kwargs):
        super().__init__(data, unit=unit, user=user, **kwargs)
        self.parts = SplitPartFormSet(data, prefix="parts", form_kwargs={"unit": unit, "user": user})

    def is_valid(self) -> bool:
        form_valid = super().is_valid()
        return self.parts.is_valid() and form_valid

    def parts_data(self) -> list[tuple[UnitSpec, list[Unit]]]:
        return [
            (
                UnitSpec(code=part["code"], name=part["name"], kind=part["kind"]),
                list(part["children"]),
            )
            for part in (form.cleaned_data for form in self.parts.forms if not self.parts._should_delete_form(form))
            if part
        ]


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
