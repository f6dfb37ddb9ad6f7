"""Posting a Django admin change form as a browser would: what the GET rendered, plus changes."""

from django import forms


def _form_data(form) -> dict:
    data = {}
    for bound in form:
        value = bound.field.prepare_value(bound.value())
        widget = bound.field.widget
        if isinstance(widget, forms.MultiWidget):
            for index, part in enumerate(widget.decompress(value)):
                data[f"{bound.html_name}_{index}"] = "" if part is None else str(part)
        elif isinstance(value, list | tuple):
            data[bound.html_name] = [str(v) for v in value]
        elif isinstance(value, bool):
            if value:
                data[bound.html_name] = "on"
        else:
            data[bound.html_name] = "" if value is None else str(value)
    return data


def admin_form_data(response, **changes) -> dict:
    """The change form's fields and inline formsets from a GET response, with `changes` applied."""
    data = _form_data(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        data.update(_form_data(formset.management_form))
        for form in formset.forms:
            data.update(_form_data(form))
    data.update(changes)
    return data
