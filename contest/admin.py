from django.contrib import admin
from django.db import models

from campaign_portal.admin_tools import PortalHistoryAdmin, PortalModelAdmin, PortalStackedInline, PortalTabularInline
from campaign_portal.fields import NumberField

from .models import Contest, ContestStaff, Criterion, Entrant, Entry, PrizeTier, Round, RoundDocument


class RoundInline(PortalStackedInline):
    model = Round
    extra = 0
    readonly_fields = ["state"]  # opened, closed and finalised by contest services only


class PrizeTierInline(PortalTabularInline):
    model = PrizeTier
    extra = 0
    # The prize money typed as 5.000.000; below 10^9 so that the integer column holds it.
    formfield_overrides = {models.PositiveIntegerField: {"form_class": NumberField, "max_digits": 9}}


class StaffInline(PortalTabularInline):
    model = ContestStaff
    extra = 0
    raw_id_fields = ["user", "unit"]


@admin.register(Contest)
class ContestAdmin(PortalHistoryAdmin):
    list_display = ["name", "year", "plan_number", "results_published_at"]
    readonly_fields = ["results_published_at"]
    autocomplete_fields = ["organising_unit"]  # a search box, not every unit of the tree as an option
    # Typed the Vietnamese way (0,4; 7,5); the column gives the digits and places.
    formfield_overrides = {models.DecimalField: {"form_class": NumberField}}
    inlines = [RoundInline, PrizeTierInline, StaffInline]


@admin.register(Criterion)
class CriterionAdmin(PortalModelAdmin):
    list_display = ["name", "round", "order", "weight", "min_score", "max_score"]
    # Typed the Vietnamese way (0,4; 7,5); the column gives the digits and places.
    formfield_overrides = {models.DecimalField: {"form_class": NumberField}}
    list_filter = ["round__contest", "round__kind"]


@admin.register(Entrant)
class EntrantAdmin(PortalHistoryAdmin):
    list_display = ["display_name", "contest", "kind", "eligibility", "email_verified_at"]
    readonly_fields = ["lineage", "eligibility_declared_at", "email_verified_at"]
    raw_id_fields = ["user", "unit"]


@admin.register(Entry)
class EntryAdmin(PortalHistoryAdmin):
    list_display = ["code", "title", "contest", "status", "submitted_at"]
    # The scan comes only through entry_save, which checks it: never replaced here.
    readonly_fields = ["contest", "code", "status", "lineage", "submitted_at", "scan", "scan_kind"]

    def has_add_permission(self, request):
        return False  # entries are made and submitted by entrants through contest services

    list_filter = ["contest", "status"]
    search_fields = ["code", "title"]
    raw_id_fields = ["entrant"]


@admin.register(RoundDocument)
class RoundDocumentAdmin(PortalModelAdmin):
    """Read-only: rows are made by the organisers' button and the background task."""

    list_display = ["round", "kind", "requested_at", "started_at", "finished_at", "failed", "error"]
    list_filter = ["kind", "failed", "round__contest"]
    list_select_related = ["round__contest"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
