from django.contrib import admin

from puente.marketplace.models import ExpressionOfInterest, Opportunity


@admin.register(Opportunity)
class OpportunityAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "organization",
        "side",
        "kind",
        "hub",
        "status",
        "published_at",
        "expires_at",
    ]
    list_filter = ["status", "side", "kind", "hub"]
    search_fields = ["title", "organization__name", "external_id"]
    raw_id_fields = ["organization", "created_by"]
    filter_horizontal = ["target_hubs"]
    readonly_fields = ["text_version", "created_at", "updated_at"]


@admin.register(ExpressionOfInterest)
class ExpressionOfInterestAdmin(admin.ModelAdmin):
    list_display = ["opportunity", "organization", "user", "status", "created_at"]
    list_filter = ["status"]
    raw_id_fields = ["opportunity", "organization", "user"]
