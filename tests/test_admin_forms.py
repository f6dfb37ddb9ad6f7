"""Every admin form of the portal's models cleans typed text as the portal's forms do: the admin bases
in campaign_portal.admin_tools give it, and a ModelAdmin that names its own form builds it on
CleanTextMixin. A new admin on a plain admin.ModelAdmin fails here."""

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import resolve, reverse

from campaign_portal.forms import CleanTextMixin
from campaign_portal.model_text import PORTAL_APPS


def portal_model_admins():
    return sorted(
        (
            (model._meta.label, model_admin)
            for model, model_admin in admin.site._registry.items()
            if model._meta.app_label in PORTAL_APPS
        ),
        key=lambda pair: pair[0],
    )


@pytest.mark.django_db
def test_every_portal_admin_form_cleans_text(superuser):
    request = RequestFactory().get(reverse("admin:index"))
    request.user = superuser
    request.resolver_match = resolve(request.path)  # inlines read the object id from it
    plain = []
    for label, model_admin in portal_model_admins():
        forms = {"change": model_admin.get_form(request, obj=None, change=True)}
        if hasattr(model_admin, "add_form"):
            forms["add"] = model_admin.get_form(request, obj=None)
        for inline in model_admin.get_inline_instances(request):
            forms[f"inline {inline.model._meta.label}"] = inline.get_formset(request).form
        plain += [f"{label}: {kind}" for kind, form in forms.items() if not issubclass(form, CleanTextMixin)]
    assert plain == []


def test_portal_models_have_admins():
    # The check above must have something to check.
    assert len(portal_model_admins()) >= 25
