"""What every portal form with numbers shares (see campaign_portal.fields.NumberField)."""

from .fields import NumberField


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
