from django.contrib import admin

from puente.events.models import (
    Announcement,
    Event,
    EventSession,
    Meeting,
    MeetingCancellation,
    MeetingFeedback,
    MeetingRequest,
    Participant,
    ScheduleRun,
    Slot,
)


class SessionInline(admin.TabularInline):
    model = EventSession
    extra = 0


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["title", "hub", "start_date", "end_date", "status", "format"]
    list_filter = ["status", "format", "hub"]
    search_fields = ["title", "slug", "venue"]
    date_hierarchy = "start_date"
    raw_id_fields = ["organizer"]
    inlines = [SessionInline]


@admin.register(Slot)
class SlotAdmin(admin.ModelAdmin):
    list_display = ["event", "session", "starts_at", "ends_at"]
    list_filter = ["event"]


@admin.register(Participant)
class ParticipantAdmin(admin.ModelAdmin):
    list_display = ["display_name", "event", "status", "created_at"]
    list_filter = ["status", "event"]
    search_fields = ["organization__name", "user__email", "user__full_name"]
    raw_id_fields = ["organization", "user"]
    filter_horizontal = ["unavailable_slots"]


@admin.register(MeetingRequest)
class MeetingRequestAdmin(admin.ModelAdmin):
    list_display = ["requester", "target", "event", "priority", "status", "expires_at"]
    list_filter = ["status", "priority", "event"]
    search_fields = ["requester__organization__name", "target__organization__name", "message"]
    raw_id_fields = ["requester", "target", "requested_by", "answered_by"]


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["first", "second", "event", "slot", "table", "locked"]
    list_filter = ["locked", "event"]
    search_fields = ["first__organization__name", "second__organization__name"]
    raw_id_fields = ["request", "first", "second", "slot"]


@admin.register(MeetingFeedback)
class MeetingFeedbackAdmin(admin.ModelAdmin):
    list_display = ["participant", "meeting", "held", "rating", "outcome", "updated_at"]
    list_filter = ["held", "outcome"]
    raw_id_fields = ["meeting", "participant"]


@admin.register(MeetingCancellation)
class MeetingCancellationAdmin(admin.ModelAdmin):
    list_display = ["first", "second", "event", "slot", "cancelled_at"]
    raw_id_fields = ["event", "first", "second", "slot"]


@admin.register(Announcement)
class AnnouncementAdmin(admin.ModelAdmin):
    list_display = ["event", "audience", "recipients", "author", "created_at"]
    list_filter = ["audience"]
    raw_id_fields = ["event", "author"]
    readonly_fields = ["recipients", "created_at"]


@admin.register(ScheduleRun)
class ScheduleRunAdmin(admin.ModelAdmin):
    list_display = [
        "event",
        "status",
        "solver_status",
        "meetings_placed",
        "breaks_total",
        "lower_bound",
        "elapsed_s",
        "created_at",
    ]
    list_filter = ["status", "solver_status"]
    search_fields = ["event__title"]
    readonly_fields = ["breaks_per_participant", "unscheduled", "table_advice"]
