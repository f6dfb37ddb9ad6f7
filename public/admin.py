"""Portal admins choose honoured models and record the city's indicators here."""

from django import forms
from django.contrib import admin
from django.db import models
from django.utils.translation import gettext as _

from campaign_portal.admin_tools import PortalHistoryAdmin
from campaign_portal.exceptions import PortalError
from campaign_portal.fields import NumberField
from campaign_portal.forms import CleanTextMixin
from campaign_portal.uploads import IMAGE, upload_check

from .models import CityIndicator, Feedback, HonouredModel, NewsItem


class HonouredModelForm(CleanTextMixin, forms.ModelForm):
    class Meta:
        model = HonouredModel
        fields = [
            "title",
            "organisation",
            "unit",
            "year",
            "area",
            "summary",
            "story",
            "contest_award",
            "contest_entry_code",
            "image",
            "is_published",
            "position",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["image"].help_text = IMAGE.help_text()
        self.fields["image"].widget.attrs["accept"] = IMAGE.accept

    def clean_image(self):
        """A new image is stored re-encoded (no EXIF, nothing after the picture), never as sent."""
        image = self.cleaned_data.get("image")
        if image and hasattr(image, "content_type"):
            try:
                checked = upload_check(upload=image, kind=IMAGE, label=_("Ảnh"), field="image")
            except PortalError as error:
                raise forms.ValidationError(error.message) from error
            self.instance.image_content_type = checked.mime
            return checked.content
        return image


@admin.register(HonouredModel)
class HonouredModelAdmin(PortalHistoryAdmin):
    form = HonouredModelForm
    list_display = ("title", "organisation", "year", "area", "contest_award", "is_published", "position")
    list_filter = ("is_published", "area", "year")
    search_fields = ("title", "organisation")
    autocomplete_fields = ()
    raw_id_fields = ("unit",)
    exclude = ("chosen_by",)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.chosen_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(CityIndicator)
class CityIndicatorAdmin(PortalHistoryAdmin):
    list_display = (
        "year",
        "par_index_rank",
        "sipas_percent",
        "papi_rank",
        "pci_rank",
        "ict_rank",
        "one_stop_percent",
        "on_time_percent",
    )
    # Scores and percentages typed the Vietnamese way (85,5); the column gives digits and places.
    formfield_overrides = {models.DecimalField: {"form_class": NumberField}}


@admin.register(NewsItem)
class NewsItemAdmin(PortalHistoryAdmin):
    list_display = ("title", "unit", "status", "published_at")
    list_filter = ("status",)
    search_fields = ("title",)
    raw_id_fields = ("unit", "author", "approved_by")
    readonly_fields = ("status", "approved_by", "published_at", "submitted_at")


@admin.register(Feedback)
class FeedbackAdmin(PortalHistoryAdmin):
    list_display = ("tracking_code", "title", "unit", "status", "due_on", "is_published")
    list_filter = ("status", "is_published", "topic")
    search_fields = ("tracking_code", "title")
    raw_id_fields = ("unit", "answered_by")
    # The attachment comes only through feedback_submit, which checks it: never replaced here.
    readonly_fields = (
        "status",
        "is_published",
        "answered_by",
        "answered_at",
        "published_at",
        "consent_publish",
        "attachment",
        "attachment_name",
        "attachment_type",
    )
