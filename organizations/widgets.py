"""The unit picker: one widget wherever a unit is chosen, however large the tree.

The page holds only the selected unit(s) as <option>s; Tom Select (static/vendor/tom-select) asks
`organizations:unit_autocomplete` for the rest as one types, accent-insensitively ("dong anh" finds
“Đông Anh”). What the picker may offer is a named scope (organizations.pickers) that the form binds
with `unit_picker_bind`: the field's queryset, which validates what is posted, comes from the same scope
function as the suggestions, so a client cannot choose outside it. Without JavaScript the select keeps
its selected unit and a text box takes a unit code instead.
"""

import re

from django import forms
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from .models import Unit, User
from .pickers import unit_scope

CODE_SUFFIX = "__code"  # the name of the no-script code box: <field name>__code
_CODE_SEPARATORS = re.compile(r"[\s,;]+")


def unit_label(unit: Unit) -> str:
    return f"{unit.name} ({unit.code})"


def split_codes(text: str) -> list[str]:
    return [code.upper() for code in _CODE_SEPARATORS.split(text or "") if code]


class UnitPickerWidget(forms.Select):
    """A select of units filled by autocomplete. `multiple` chooses several; `value_field` is what an
    option's value holds ("code", or "pk" where a form has always posted ids); `as_text` posts the chosen
    codes as one "A, B" string for a text field that reads codes itself."""

    class Media:
        css = {"all": ["vendor/tom-select/tom-select.bootstrap5.min.css"]}
        js = ["vendor/tom-select/tom-select.complete.min.js", "portal/unit-picker.js"]

    def __init__(self, attrs=None, *, scope="live", multiple=False, value_field="code", as_text=False):
        super().__init__(attrs)
        self.scope = scope
        self.anchor_code = ""
        self.allow_multiple_selected = multiple
        self.value_field = value_field
        self.as_text = as_text
        self.units = None  # the bound scope's units, to label the selected values

    def __deepcopy__(self, memo):
        copy = super().__deepcopy__(memo)
        copy.units = self.units
        return copy

    # -- what is posted
    def value_from_datadict(self, data, files, name):
        typed = split_codes(data.get(name + CODE_SUFFIX, ""))
        if self.allow_multiple_selected:
            chosen = [v for v in (data.getlist(name) if hasattr(data, "getlist") else data.get(name) or []) if v]
            values = chosen + self._values_of_codes(typed)
            return ", ".join(values) if self.as_text else values
        if typed:
            return (self._values_of_codes(typed[:1]) or [typed[0]])[0]
        return data.get(name)

    def value_omitted_from_data(self, data, files, name):
        return name not in data and name + CODE_SUFFIX not in data

    def _values_of_codes(self, codes: list[str]) -> list[str]:
        """Codes typed without script, as the values the field reads (unknown codes kept for its error)."""
        if not codes or self.value_field == "code":
            return codes
        found = dict(Unit.objects.filter(code__in=codes).values_list("code", self.value_field))
        return [str(found.get(code, code)) for code in codes]

    # -- what is rendered: the selected units only
    def format_value(self, value):
        if self.as_text and isinstance(value, str):
            return split_codes(value)
        return super().format_value(value)

    def _label_units(self):
        queryset = getattr(self.choices, "queryset", None)  # a model choice field's own queryset
        if queryset is not None:
            return queryset
        return self.units if self.units is not None else Unit.objects.all()

    def optgroups(self, name, value, attrs=None):
        selected = [v for v in value if v not in ("", None)]
        units = self._label_units().filter(**{f"{self.value_field}__in": selected}) if selected else []
        labels = {str(getattr(unit, self.value_field)): unit_label(unit) for unit in units}
        options = []
        if not self.allow_multiple_selected:
            options.append(self.create_option(name, "", "", not selected, 0, attrs=attrs))
        for index, code in enumerate(selected, start=len(options)):
            options.append(self.create_option(name, code, labels.get(code, code), True, index, attrs=attrs))
        return [(None, options, 0)]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        query = {"scope": self.scope, **({"unit": self.anchor_code} if self.anchor_code else {})}
        context["widget"]["attrs"].update(
            {
                "data-unit-picker": "",
                "data-url": f"{reverse('organizations:unit_autocomplete')}?{urlencode(query)}",
                "data-value-field": "id" if self.value_field == "pk" else "code",
                "data-placeholder": str(_("Gõ tên hoặc mã đơn vị (không dấu cũng được)")),
                "data-no-results": str(_("Không tìm thấy đơn vị phù hợp.")),
            }
        )
        return context

    def render(self, name, value, attrs=None, renderer=None):
        select = super().render(name, value, attrs, renderer)
        label = _("Hoặc nhập mã đơn vị") if not self.allow_multiple_selected else _("Hoặc nhập mã các đơn vị")
        return format_html(
            '{}<noscript><input type="text" class="form-control mt-1" name="{}" aria-label="{}" placeholder="{}">'
            "</noscript>",
            select,
            name + CODE_SUFFIX,
            label,
            label,
        )


class UnitPickerFieldMixin:
    """Units chosen by their code through the picker; the queryset comes from `unit_picker_bind`."""

    picker_multiple = False

    def __init__(self, *, scope="live", **kwargs):
        kwargs.setdefault("queryset", Unit.objects.none())
        kwargs.setdefault("to_field_name", "code")
        kwargs.setdefault("widget", UnitPickerWidget(scope=scope, multiple=self.picker_multiple))
        super().__init__(**kwargs)

    def label_from_instance(self, obj):
        return unit_label(obj)


class UnitPickerField(UnitPickerFieldMixin, forms.ModelChoiceField):
    default_error_messages = {
        "invalid_choice": _("Không chọn được đơn vị này ở đây: hãy chọn một đơn vị trong danh sách gợi ý."),
    }


class UnitMultiplePickerField(UnitPickerFieldMixin, forms.ModelMultipleChoiceField):
    picker_multiple = True
    default_error_messages = {
        "invalid_choice": _("Không chọn được đơn vị %(value)s ở đây: hãy chọn trong danh sách gợi ý."),
    }


def unit_picker_bind(field: forms.Field, *, user: User, scope: str | None = None, anchor: Unit | None = None):
    """Points a picker field at a scope for this user (and anchor unit): the field accepts, and the picker
    suggests, the same units. A text field that reads codes itself gets only the suggestions and labels."""
    widget = field.widget
    widget.scope = scope or widget.scope
    widget.anchor_code = anchor.code if anchor else ""
    units = unit_scope(widget.scope, user=user, anchor=anchor)
    if isinstance(field, forms.ModelChoiceField):
        field.queryset = units.order_by("sort_key")
    else:
        widget.units = units
    return field
