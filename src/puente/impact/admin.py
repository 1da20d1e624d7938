from django.contrib import admin

from puente.impact.models import (
    ActivityRecord,
    ExchangeRate,
    Guide,
    GuideAttachment,
    Indicator,
    IndicatorValue,
    KpiTarget,
)


@admin.register(ActivityRecord)
class ActivityRecordAdmin(admin.ModelAdmin):
    list_display = [
        "kind",
        "local_date",
        "hub",
        "origin_hub",
        "destination_hub",
        "quantity",
        "currency",
        "source_type",
    ]
    list_filter = ["kind", "hub", "origin_hub", "destination_hub", "quarter"]
    search_fields = ["source_id", "evidence", "organization__name"]
    raw_id_fields = ["organization", "partner_organization", "person", "recorded_by"]
    date_hierarchy = "occurred_at"
    readonly_fields = ["local_date", "quarter", "recorded_at"]


@admin.register(KpiTarget)
class KpiTargetAdmin(admin.ModelAdmin):
    list_display = ["kpi", "year", "quarter", "hub", "origin_hub", "destination_hub", "value"]
    list_filter = ["kpi", "year", "hub"]
    search_fields = ["kpi"]


@admin.register(ExchangeRate)
class ExchangeRateAdmin(admin.ModelAdmin):
    list_display = ["currency", "valid_on", "rate", "source"]
    list_filter = ["currency"]
    search_fields = ["currency", "source"]


class IndicatorValueInline(admin.TabularInline):
    model = IndicatorValue
    extra = 0


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["code", "name_en", "unit"]
    search_fields = ["code", "name_en", "name_es"]
    inlines = [IndicatorValueInline]


class GuideAttachmentInline(admin.TabularInline):
    model = GuideAttachment
    extra = 0


@admin.register(Guide)
class GuideAdmin(admin.ModelAdmin):
    list_display = ["title_en", "category", "hub", "reviewed_on"]
    list_filter = ["category", "hub"]
    search_fields = ["title_en", "title_es", "authors"]
    inlines = [GuideAttachmentInline]
    readonly_fields = ["search_text"]
