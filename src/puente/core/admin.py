from django.contrib import admin

from puente.core.models import AuditEntry, Hub, HubPartnership, TaxonomyTerm


@admin.register(Hub)
class HubAdmin(admin.ModelAdmin):
    list_display = ["slug", "name_en", "name_es", "country", "time_zone", "currency", "is_active"]
    list_filter = ["is_active", "country"]
    search_fields = ["slug", "name_en", "name_es", "city"]


@admin.register(HubPartnership)
class HubPartnershipAdmin(admin.ModelAdmin):
    list_display = ["hub_a", "hub_b", "since"]


@admin.register(TaxonomyTerm)
class TaxonomyTermAdmin(admin.ModelAdmin):
    list_display = ["vocabulary", "code", "label_en", "label_es", "sort_order", "is_active"]
    list_filter = ["vocabulary", "is_active"]
    search_fields = ["code", "label_en", "label_es"]
    list_editable = ["sort_order", "is_active"]

    def save_model(self, request, obj, form, change):  # type: ignore[no-untyped-def]
        from puente.directory.selectors import taxonomy_changed

        super().save_model(request, obj, form, change)
        taxonomy_changed()


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["at", "actor", "action", "target_type", "target_repr", "hub"]
    list_filter = ["action", "target_type", "hub"]
    search_fields = ["target_repr", "target_id", "actor__email"]
    date_hierarchy = "at"
    readonly_fields = [field.name for field in AuditEntry._meta.fields]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
