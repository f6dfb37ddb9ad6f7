"""The model-level guarantee of campaign_portal.text: whatever writes a row (a service, an import, the
admin, the demo), its text columns are stored cleaned.

Why a pre_save signal over the project's models rather than custom model fields: it needs no
migration in any app (parallel branches add migrations to the same apps) and covers every current
and future CharField/TextField without a field swap. Its two gaps are closed where they occur:
bulk_create (call clean_model_text on each row, as units_bulk_create_children does) and models whose
save() derives columns (search text, sort keys) from the text: they inherit TextCleanedOnSave and call
clean_model_text first in save(), and the hook leaves them alone so that their text is cleaned once.
Forms clean the same way earlier (campaign_portal.forms.CleanTextMixin), so that a refusal is a
field error there rather than a PortalError here.
"""

from django.db import models

from .text import clean_code, clean_text

# Apps whose rows hold text people type. Notifications hold only text the portal renders itself.
PORTAL_APPS = ("organizations", "directives", "reporting", "contest", "public")
# Columns the portal derives or generates (paths, lineages, search and sort keys, hashes, stored file
# names): they are never typed and must stay byte for byte what their code wrote.
NOT_TYPED = frozenset(
    {
        "password",
        "path",
        "lineage",
        "old_lineage",
        "new_lineage",
        "issuing_lineage",
        "search_text",
        "search_words",
        "sort_key",
        "title_folded",
        "stored_name",
        "ip_hash",
        "submission_key",
        "content_type",
        "attachment_type",
        "image_content_type",
        "scan_kind",
    }
)

_plan: dict[type, list[tuple[str, str]]] = {}


class TextCleanedOnSave:
    """Marks a model whose save() calls clean_model_text itself, before it derives search or sort columns
    from the text; the pre_save hook skips it (tests/test_text_cleaning.py checks each one cleans)."""


def _text_fields(model: type[models.Model]) -> list[tuple[str, str]]:
    """(attname, how) for each typed text column of a model: how is "line", "lines" or "code"."""
    if model not in _plan:
        fields = []
        for field in model._meta.concrete_fields:
            if not isinstance(field, (models.CharField, models.TextField)) or field.choices or field.name in NOT_TYPED:
                continue
            if isinstance(field, models.TextField):
                how = "lines"
            elif not isinstance(field, models.SlugField) and (field.name == "code" or field.name.endswith("_code")):
                how = "code"
            else:
                how = "line"
            fields.append((field.attname, how))
        _plan[model] = fields
    return _plan[model]


def clean_model_text(instance: models.Model) -> None:
    """Clean every typed text column of ``instance`` in place (PortalError on a control character)."""
    for attname, how in _text_fields(type(instance)):
        value = getattr(instance, attname)
        if not isinstance(value, str):
            continue  # NULL stays NULL
        if how == "code":
            cleaned = clean_code(value)
        else:
            cleaned = clean_text(value, multiline=how == "lines")
        if cleaned != value:
            setattr(instance, attname, cleaned)


def _clean_before_save(sender, instance, raw=False, **kwargs):
    if not raw:  # fixtures are loaded as they were dumped
        clean_model_text(instance)


def connect() -> None:
    from django.apps import apps
    from django.db.models.signals import pre_save

    for app_label in PORTAL_APPS:
        for model in apps.get_app_config(app_label).get_models():
            if model._meta.model_name.startswith("historical"):
                continue  # copies of rows already cleaned
            if issubclass(model, TextCleanedOnSave):
                continue  # its save() cleans first
            pre_save.connect(_clean_before_save, sender=model, dispatch_uid=f"clean_text:{model._meta.label}")
