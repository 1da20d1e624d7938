from django.contrib import admin

from puente.directory.models import (
    Organization,
    OrganizationClaim,
    OrganizationMembership,
    Person,
    Position,
)


class PositionInline(admin.TabularInline):
    model = Position
    extra = 0
    autocomplete_fields = ["person", "organization"]


class MembershipInline(admin.TabularInline):
    model = OrganizationMembership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "type",
        "hub",
        "verification_status",
        "last_confirmed_at",
        "external_id",
    ]
    list_filter = ["hub", "type", "verification_status", "profile_visibility"]
    search_fields = ["name", "external_id", "tagline"]
    autocomplete_fields = ["type", "stage", "sectors", "technologies", "markets"]
    filter_horizontal = ["other_hubs", "target_hubs"]
    readonly_fields = ["slug", "created_at", "updated_at"]
    inlines = [MembershipInline, PositionInline]
    list_select_related = ["type", "hub"]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["full_name", "hub", "is_mentor", "user", "external_id"]
    list_filter = ["hub", "is_mentor"]
    search_fields = ["full_name", "email", "external_id"]
    autocomplete_fields = ["user", "expertise"]
    readonly_fields = ["slug", "created_at", "updated_at"]
    inlines = [PositionInline]
    list_select_related = ["hub", "user"]


@admin.register(OrganizationClaim)
class OrganizationClaimAdmin(admin.ModelAdmin):
    list_display = ["organization", "user", "role_title", "status", "created_at", "decided_by"]
    list_filter = ["status"]
    search_fields = ["organization__name", "user__email"]
    autocomplete_fields = ["organization", "user"]
