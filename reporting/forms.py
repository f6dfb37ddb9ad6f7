from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from organizations.enums import UnitKind
from organizations.models import Unit

from .enums import IndicatorType, PeriodScheme, PeriodType
from .models import FormVersion, Indicator
from .validation import check_required, check_rules, unusual_values

YES_NO = [("", "—"), ("1", _("Có")), ("0", _("Không"))]


def _field_for(indicator: Indicator) -> forms.Field:
    common = {"label": indicator.label, "required": False, "help_text": indicator.help_text}
    bounds = {}
    if indicator.min_value is not None:
        bounds["min_value"] = indicator.min_value
    if indicator.max_value is not None:
        bounds["max_value"] = indicator.max_value
    if indicator.type == IndicatorType.INTEGER:
        return forms.IntegerField(**common, **{k: int(v) for k, v in bounds.items()},
                                  widget=forms.NumberInput(attrs={"inputmode": "numeric"}))
    if indicator.type in (IndicatorType.DECIMAL, IndicatorType.PERCENT):
        return forms.DecimalField(**common, **bounds, max_digits=16, decimal_places=2,
                                  widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}))
    if indicator.type == IndicatorType.BOOLEAN:
        return forms.TypedChoiceField(**common, choices=YES_NO, coerce=lambda v: v == "1", empty_value=None)
    if indicator.type == IndicatorType.CHOICE:
        return forms.ChoiceField(**common, choices=[("", "—")] + [(c, c) for c in indicator.choice_list])
    return forms.CharField(**common, max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))


def _style(field: forms.Field) -> None:
    """Bootstrap classes set once here: the filing page renders its fields without
    crispy's per-field templates (dozens of fields, rendered on every round trip)."""
    css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
    field.widget.attrs["class"] = css


class FilingForm(forms.Form):
    """One field per indicator (v_<code>) and one comment per indicator (c_<code>).

    Types are checked always; required indicators, rules across indicators and
    unusual values only when the report is submitted."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    confirm_unusual = forms.BooleanField(required=False, label=_("Tôi đã kiểm tra: các số liệu bất thường là đúng."))

    def __init__(self, *args, form_version: FormVersion, indicators=None, rules=None, usual=None,
                 submitting: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.form_version = form_version
        self.indicators = list(indicators if indicators is not None else form_version.indicators.all())
        self.rules = list(rules if rules is not None else form_version.rules.select_related("left", "right"))
        self.usual = usual or {}
        self.submitting = submitting
        self.unusual: dict[str, str] = {}
        for indicator in self.indicators:
            self.fields[f"v_{indicator.code}"] = _field_for(indicator)
            self.fields[f"c_{indicator.code}"] = forms.CharField(
                label=_("Ghi chú cho “%(label)s”") % {"label": indicator.label}, required=False, max_length=500)
            _style(self.fields[f"v_{indicator.code}"])
            _style(self.fields[f"c_{indicator.code}"])

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = widget.attrs.get("class", "") + " is-invalid"
                widget.attrs["aria-describedby"] = f"err_{name}"

    @staticmethod
    def initial_from(values: dict, version: int) -> dict:
        initial = {"version": version}
        for code, value in values.items():
            if value.number is not None:
                number = value.number
                if value.indicator.type == IndicatorType.INTEGER:
                    number = int(number)
                elif value.indicator.type == IndicatorType.BOOLEAN:
                    number = "1" if number else "0"
                else:
                    number = number.normalize()
                initial[f"v_{code}"] = number
            elif value.text:
                initial[f"v_{code}"] = value.text
            initial[f"c_{code}"] = value.comment
        return initial

    def values(self) -> dict:
        result = {}
        for indicator in self.indicators:
            value = self.cleaned_data.get(f"v_{indicator.code}")
            if isinstance(value, bool):
                value = Decimal(int(value))
            result[indicator.code] = value
        return result

    def comments(self) -> dict:
        return {i.code: self.cleaned_data.get(f"c_{i.code}", "") for i in self.indicators}

    def clean(self):
        cleaned = super().clean()
        if self.errors or not self.submitting:
            return cleaned
        values = self.values()
        errors = check_required(indicators=self.indicators, values=values)
        for code, messages in check_rules(rules=self.rules, values=values).items():
            errors.setdefault(code, []).extend(messages)
        for code, messages in errors.items():
            for message in messages:
                self.add_error(f"v_{code}", message)
        if not errors:
            self.unusual = unusual_values(indicators=self.indicators, values=values, usual=self.usual)
            if self.unusual and not cleaned.get("confirm_unusual"):
                for code, message in self.unusual.items():
                    self.add_error(f"v_{code}", message)
                self.add_error("confirm_unusual", _("Có số liệu bất thường: hãy kiểm tra rồi đánh dấu xác nhận."))
        return cleaned

    def sections(self, previous: dict, current: dict | None = None):
        """[(section, [(indicator, value field, comment field, previous Value)])] for the template."""
        grouped: dict = {}
        for indicator in self.indicators:
            grouped.setdefault(indicator.section_id, (indicator.section, []))[1].append(
                (indicator, self[f"v_{indicator.code}"], self[f"c_{indicator.code}"], previous.get(indicator.code)))
        return sorted(grouped.values(), key=lambda s: (s[0].order, s[0].pk))


class ReviewForm(forms.Form):
    comment = forms.CharField(label=_("Ý kiến"), required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 2}))


class EvidenceForm(forms.Form):
    file = forms.FileField(label=_("Tệp minh chứng (ảnh, PDF, DOCX, XLSX)"))
    description = forms.CharField(label=_("Mô tả"), required=False, max_length=255)


class CycleOpenForm(forms.Form):
    name = forms.CharField(label=_("Tên đợt báo cáo"), max_length=255)
    form_version = forms.ModelChoiceField(label=_("Mẫu báo cáo"), queryset=FormVersion.objects.none())
    period_type = forms.ChoiceField(label=_("Loại kỳ"), choices=PeriodType.choices)
    scheme = forms.ChoiceField(label=_("Cách tính kỳ"), choices=PeriodScheme.choices, initial=PeriodScheme.CUTOFF_14)
    year = forms.IntegerField(label=_("Năm"), required=False, min_value=2000, max_value=2100)
    starts_on = forms.DateField(label=_("Từ ngày (đợt một lần)"), required=False,
                                widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(label=_("Đến ngày chốt số liệu (đợt một lần)"), required=False,
                              widget=forms.DateInput(attrs={"type": "date"}))
    directive_reference = forms.CharField(label=_("Theo văn bản (số, ký hiệu)"), required=False, max_length=120)
    due_working_days = forms.IntegerField(label=_("Hạn nộp: số ngày làm việc sau ngày chốt"), initial=2,
                                          min_value=0, max_value=60)
    grace_days = forms.IntegerField(label=_("Số ngày gia hạn trước khi khóa kỳ"), initial=10, min_value=0,
                                    max_value=365)
    scope_kinds = forms.MultipleChoiceField(label=_("Loại đơn vị phải báo cáo"), required=False,
                                            choices=UnitKind.choices, widget=forms.CheckboxSelectMultiple)
    scope_root_code = forms.CharField(label=_("Chỉ trong cây của đơn vị (mã đơn vị)"), required=False,
                                      max_length=60)
    two_step = forms.BooleanField(label=_("Duyệt hai bước"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["form_version"].queryset = FormVersion.objects.select_related("form").order_by("form__name",
                                                                                                   "-number")

    def clean_scope_root_code(self):
        code = self.cleaned_data["scope_root_code"].strip().upper()
        if not code:
            return None
        unit = Unit.objects.filter(code=code).first()
        if unit is None:
            raise forms.ValidationError(_("Không có đơn vị mã “%(code)s”.") % {"code": code})
        return unit
