from django.contrib import admin

from puente.introductions.models import Introduction, IntroductionOutcome


class OutcomeInline(admin.TabularInline):
    model = IntroductionOutcome
    extra = 0


@admin.register(Introduction)
class IntroductionAdmin(admin.ModelAdmin):
    list_display = ["requester", "target", "status", "created_at", "brokered_by"]
    list_filter = ["status"]
    search_fields = ["requester__name", "target__name"]
    raw_id_fields = [
        "requester",
        "target",
        "requested_by",
        "brokered_by",
        "opportunity",
        "target_opportunity",
        "requester_accepted_by",
        "target_accepted_by",
    ]
    inlines = [OutcomeInline]
