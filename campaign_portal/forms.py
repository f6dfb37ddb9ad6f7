"""What every portal form shares: number bounds (see campaign_portal.fields.NumberField) and the one
cleaning of typed text (campaign_portal.text.clean_text, legacy-encoding suggestions)."""

from django import forms

from .fields import CleanCharField, NumberField


class NumberBoundsMixin:
    """Shows each NumberField's bounds beside it ("Số nguyên từ 1 đến 15."), in the language of the request.

    A form that adds NumberFields in its own __init__ calls show_number_bounds() once they are there."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.show_number_bounds()

    def show_number_bounds(self) -> None:
        for field in self.fields.values():
            if isinstance(field, NumberField) and not getattr(field, "bounds_shown", False):
                field.help_text = " ".join(str(part) for part in (f"{field.bounds_text}.", field.help_text) if part)
                field.bounds_shown = True


class CleanTextMixin:
    """Every text a person types into a portal form goes through clean_text (or clean_code for fields
    named ``code``/``*_code``) and is refused with a one-click suggestion when it is TCVN3/VNI mojibake.

    Plain ``forms.CharField``s (declared, generated from model CharField/TextField, or added in a
    form's own __init__) become CleanCharField just before validation, so that a form only has to
    list this mixin among its bases; e-mail, URL, slug and password fields keep their own rules.
    """

    #: the button of a legacy-encoding suggestion posts this name with the field's HTML name.
    USE_CONVERTED = CleanCharField.USE_CONVERTED
    #: names of the fields that hold codes; None: those named ``code`` or ``*_code``.
    code_fields: tuple[str, ...] | None = None

    def full_clean(self):
        self.prepare_text_fields()
        super().full_clean()
        for name, field in self.fields.items():
            if isinstance(field, CleanCharField) and name in self._bound_fields_cache:
                # A bound field copies its help text when made (before validation): show the suggestion.
                self._bound_fields_cache[name].help_text = field.help_text

    def prepare_text_fields(self) -> None:
        accepted = (
            set(self.data.getlist(self.USE_CONVERTED)) if self.is_bound and hasattr(self.data, "getlist") else set()
        )
        for name, field in self.fields.items():
            if type(field) is forms.CharField and not isinstance(field.widget, forms.PasswordInput):
                # Same instance, same attributes: only the cleaning methods change.
                field.__class__ = CleanCharField
                field.multiline = isinstance(field.widget, forms.Textarea)
                field.code = (
                    name in self.code_fields
                    if self.code_fields is not None
                    else name == "code" or name.endswith("_code")
                )
            if isinstance(field, CleanCharField):
                field.html_name = self.add_prefix(name)
                field.use_converted = field.html_name in accepted


class CleanModelForm(CleanTextMixin, forms.ModelForm):
    """The base of model forms that have no other: the Django admin's default (campaign_portal.apps)."""
