from dataclasses import dataclass
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from campaign_portal.fields import NumberField
from campaign_portal.forms import CleanTextMixin
from campaign_portal.uploads import ATTACHMENT, SPREADSHEET, upload_field
from organizations.enums import UnitKind
from organizations.models import Unit
from organizations.widgets import UnitPickerWidget

from .enums import NUMBER_TYPES, IndicatorType, PeriodScheme, PeriodType
from .models import FormVersion, Indicator
from .selectors import form_parts, grouped_by_section
from .validation import check_required, check_rules, number_field, unusual_values

YES_NO = [("", "—"), ("1", _("Có")), ("0", _("Không"))]


def _field_for(indicator: Indicator) -> forms.Field:
    common = {"label": indicator.label, "required": False, "help_text": indicator.help_text}
    if indicator.type in NUMBER_TYPES:
        return number_field(indicator, **common)
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


@dataclass(frozen=True)
class Problem:
    """One line of the error summary: the field it links to and what is wrong."""

    field_id: str
    label: str
    message: str
    is_warning: bool = False


class FilingForm(CleanTextMixin, forms.Form):
    """One field per indicator (v_<code>), one comment per indicator (c_<code>) and, for each
    indicator the unit filed in its previous period, a confirmation of an unusual value (u_<code>).

    Types and bounds are checked always; required indicators, rules across indicators and
    unconfirmed unusual values only when the report is submitted, all in the same round."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    # The key of this POST (a UUID the page or the browser's offline queue made): the server takes it once.
    submission_key = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(
        self,
        *args,
        form_version: FormVersion,
        references=None,
        submitting: bool = False,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.form_version = form_version
        parts = form_parts(form_version)
        self.indicators, self.rules = parts.indicators, parts.rules
        self.references = references or {}
        self.submitting = submitting
        self.unusual: dict[str, str] = {}
        for indicator in self.indicators:
            self.fields[f"v_{indicator.code}"] = _field_for(indicator)
            self.fields[f"c_{indicator.code}"] = forms.CharField(
                label=_("Ghi chú cho “%(label)s”") % {"label": indicator.label}, required=False, max_length=500
            )
            _style(self.fields[f"v_{indicator.code}"])
            _style(self.fields[f"c_{indicator.code}"])
            if indicator.code in self.references:
                self.fields[f"u_{indicator.code}"] = forms.BooleanField(
                    required=False, label=_("Tôi đã kiểm tra: số liệu này đúng.")
                )
        if not self.is_bound:
            # A stored draft: its unusual values are shown (and their confirmations) as soon as the page opens.
            self.unusual = unusual_values(
                indicators=self.indicators,
                references=self.references,
                values={i.code: self._initial_number(i) for i in self.indicators},
            )

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = widget.attrs.get("class", "") + " is-invalid"
                widget.attrs["aria-describedby"] = f"err_{name}"

    def _initial_number(self, indicator: Indicator):
        value = self.initial.get(f"v_{indicator.code}")
        return value if indicator.type in NUMBER_TYPES and isinstance(value, (int, Decimal)) else None

    @staticmethod
    def initial_from(values: dict, version: int) -> dict:
        initial = {"version": version}
        for code, value in values.items():
            if value.number is not None:
                # Exactly as stored (a stray decimal in a whole-number field is shown, then refused, never cut).
                number = value.number.normalize()
                if value.indicator.type == IndicatorType.BOOLEAN:
                    number = "1" if number else "0"
                initial[f"v_{code}"] = number
            elif value.text:
                initial[f"v_{code}"] = value.text
            initial[f"c_{code}"] = value.comment
            initial[f"u_{code}"] = value.unusual_confirmed
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

    def confirmed_unusual(self) -> dict[str, Decimal]:
        """code → the previous period's figure, for each unusual value the officer confirmed."""
        return {code: self.references[code] for code in self.unusual if self.cleaned_data.get(f"u_{code}")}

    def clean(self):
        cleaned = super().clean()
        values = self.values()
        self.unusual = unusual_values(indicators=self.indicators, values=values, references=self.references)
        if not self.submitting:
            return cleaned
        # Every problem in one round: a field whose text could not be read is not also "missing".
        unreadable = {name[2:] for name in self.errors if name.startswith("v_")}
        errors = check_required(indicators=[i for i in self.indicators if i.code not in unreadable], values=values)
        for code, messages in check_rules(rules=self.rules, values=values).items():
            errors.setdefault(code, []).extend(messages)
        for code, messages in errors.items():
            for message in messages:
                self.add_error(f"v_{code}", message)
        for code, message in self.unusual.items():
            if not cleaned.get(f"u_{code}"):
                self.add_error(f"u_{code}", message)
        return cleaned

    def problems(self) -> list[Problem]:
        """The error summary, in the order of the fields: errors link to the input, unconfirmed
        warnings to their confirmation box."""
        result = []
        shown = sorted(self.indicators, key=lambda i: (i.section.order, i.section_id, i.order, i.pk))
        for indicator in shown:
            for prefix, is_warning in (("v_", False), ("c_", False), ("u_", True)):
                name = f"{prefix}{indicator.code}"
                for message in self.errors.get(name, []):
                    result.append(
                        Problem(
                            field_id=self[name].id_for_label,
                            label=indicator.label,
                            message=message,
                            is_warning=is_warning,
                        )
                    )
        return result

    def sections(self, previous: dict):
        """[(section, [(indicator, value field, comment field, previous Value, confirmation field or None,
        warning text)])] for the template."""
        return grouped_by_section(
            self.indicators,
            lambda indicator: (
                indicator,
                self[f"v_{indicator.code}"],
                self[f"c_{indicator.code}"],
                previous.get(indicator.code),
                self[f"u_{indicator.code}"] if f"u_{indicator.code}" in self.fields else None,
                self.unusual.get(indicator.code, ""),
            ),
        )


class ReviewForm(CleanTextMixin, forms.Form):
    comment = forms.CharField(
        label=_("Ý kiến"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class EvidenceForm(CleanTextMixin, forms.Form):
    file = upload_field(ATTACHMENT, label=_("Tệp minh chứng"))
    description = forms.CharField(label=_("Mô tả"), required=False, max_length=255)


class ExcelUploadForm(forms.Form):
    """A filled report template (one unit, or a head's workbook for several); checked by upload_check."""

    file = upload_field(SPREADSHEET, label=_("Tệp Excel đã điền"))


class CycleOpenForm(CleanTextMixin, forms.Form):
    name = forms.CharField(label=_("Tên đợt báo cáo"), max_length=255)
    form_version = forms.ModelChoiceField(label=_("Mẫu báo cáo"), queryset=FormVersion.objects.none())
    period_type = forms.ChoiceField(label=_("Loại kỳ"), choices=PeriodType.choices)
    scheme = forms.ChoiceField(label=_("Cách tính kỳ"), choices=PeriodScheme.choices, initial=PeriodScheme.CUTOFF_14)
    year = NumberField(label=_("Năm"), required=False, min_value=2000, max_value=2100)
    starts_on = forms.DateField(
        label=_("Từ ngày (đợt một lần)"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    ends_on = forms.DateField(
        label=_("Đến ngày chốt số liệu (đợt một lần)"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    directive_reference = forms.CharField(label=_("Theo văn bản (số, ký hiệu)"), required=False, max_length=120)
    due_working_days = NumberField(
        label=_("Hạn nộp: số ngày làm việc sau ngày chốt"), initial=2, min_value=0, max_value=60
    )
    grace_days = NumberField(label=_("Số ngày gia hạn trước khi khóa kỳ"), initial=10, min_value=0, max_value=365)
    scope_kinds = forms.MultipleChoiceField(
        label=_("Loại đơn vị phải báo cáo"),
        required=False,
        choices=UnitKind.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    scope_root_code = forms.CharField(
        label=_("Chỉ trong cây của đơn vị"), required=False, max_length=60, widget=UnitPickerWidget(scope="live")
    )
    two_step = forms.BooleanField(label=_("Duyệt hai bước"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["form_version"].queryset = FormVersion.objects.select_related("form").order_by(
            "form__name", "-number"
        )

    def clean_scope_root_code(self):
        code = self.cleaned_data["scope_root_code"].strip().upper()
        if not code:
            return None
        unit = Unit.objects.filter(code=code).first()
        if unit is None:
            raise forms.ValidationError(_("Không có đơn vị mã “%(code)s”.") % {"code": code})
        return unit
