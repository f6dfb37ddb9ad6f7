from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from simple_history.admin import SimpleHistoryAdmin
from treebeard.admin import TreeAdmin
from treebeard.forms import movenodeform_factory

from .models import Membership, Unit, UnitChange, UnitPlacement, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Unit)
class UnitAdmin(TreeAdmin, SimpleHistoryAdmin):
    form = movenodeform_factory(Unit, exclude=["lineage", "search_text", "sort_key"])
    list_display = ["name", "code", "kind", "abbreviation", "dissolved_on"]
    list_filter = ["kind", "dissolved_on"]
    search_fields = ["search_text", "code"]
    inlines = [MembershipInline]

    def has_delete_permission(self, request, obj=None):
        return False  # dissolved units stay readable; history must stay true

    def get_search_results(self, request, queryset, search_term):
        from campaign_portal.text import fold

        return super().get_search_results(request, queryset, fold(search_term))


@admin.register(User)
class UserAdmin(BaseUserAdmin, SimpleHistoryAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "is_active", "is_staff"]
    search_fields = ["email", "full_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Thông tin", {"fields": ["full_name", "phone", "position", "language"]}),
        ("Quyền", {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "full_name", "password1", "password2"]})]
    filter_horizontal = ["groups"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ["user", "unit", "role", "is_active"]
    list_filter = ["role", "is_active"]
    autocomplete_fields = ["user", "unit"]
    search_fields = ["user__email", "user__full_name", "unit__code"]


@admin.register(UnitChange)
class UnitChangeAdmin(admin.ModelAdmin):
    list_display = ["effective_on", "kind", "unit", "old_parent", "new_parent", "by"]
    list_filter = ["kind"]
    readonly_fields = [f.name for f in UnitChange._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(UnitPlacement)
class UnitPlacementAdmin(admin.ModelAdmin):
    list_display = ["unit", "parent", "lineage", "valid_from", "valid_to"]
    readonly_fields = ["unit", "parent", "lineage", "valid_from", "valid_to"]
