from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from puente.spaces.models import (
    Booking,
    BookingSeries,
    CalendarFeed,
    Closure,
    CommunityEvent,
    EventRegistration,
    HubCalendar,
    MentorSession,
    OfficeHours,
    OpeningHours,
    Space,
)
from puente.spaces.services_calendar import spaces_hours_offered_sync


class OpeningHoursInline(admin.TabularInline):
    model = OpeningHours
    extra = 0


@admin.register(Space)
class SpaceAdmin(admin.ModelAdmin):
    list_display = ["name_en", "hub", "kind", "capacity", "units", "requires_approval", "is_active"]
    list_filter = ["hub", "kind", "requires_approval", "requires_induction", "is_active"]
    search_fields = ["name_en", "name_es", "slug"]
    prepopulated_fields = {"slug": ["name_en"]}
    filter_horizontal = ["open_to_hubs"]
    inlines = [OpeningHoursInline]

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        # After the opening hours (inline) are saved: the hours offered follow them.
        super().save_related(request, form, formsets, change)
        spaces_hours_offered_sync(spaces=[form.instance])


@admin.register(HubCalendar)
class HubCalendarAdmin(admin.ModelAdmin):
    list_display = ["hub", "holiday_country", "holiday_subdivision", "observe_holidays"]


@admin.register(Closure)
class ClosureAdmin(admin.ModelAdmin):
    list_display = ["hub", "space", "starts_on", "ends_on", "reason_en"]
    list_filter = ["hub"]
    search_fields = ["reason_en", "reason_es"]

    @staticmethod
    def _touched(closure: Closure) -> list[Space]:
        if closure.space_id is not None:
            return list(Space.objects.filter(pk=closure.space_id))
        return list(Space.objects.filter(hub_id=closure.hub_id))

    def save_model(self, request: HttpRequest, obj: Closure, form: Any, change: bool) -> None:
        before = self._touched(Closure.objects.get(pk=obj.pk)) if change else []
        super().save_model(request, obj, form, change)
        spaces_hours_offered_sync(spaces={*before, *self._touched(obj)})

    def delete_model(self, request: HttpRequest, obj: Closure) -> None:
        touched = self._touched(obj)
        super().delete_model(request, obj)
        spaces_hours_offered_sync(spaces=touched)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Closure]) -> None:
        # The changelist's "delete selected" action.
        touched = {space for closure in queryset for space in self._touched(closure)}
        super().delete_queryset(request, queryset)
        spaces_hours_offered_sync(spaces=touched)


@admin.register(Booking)
class BookingAdmin(admin.ModelAdmin):
    """Read-mostly: bookings change through the site's services (audited, conflict-checked)."""

    list_display = ["space", "user", "starts_at", "ends_at", "unit", "status", "checked_in_at"]
    list_filter = ["status", "space__hub", "space__kind"]
    search_fields = ["space__name_en", "user__email", "purpose"]
    date_hierarchy = "starts_at"
    raw_id_fields = ["user", "series", "decided_by"]
    readonly_fields = ["blocked_until", "created_at"]


@admin.register(BookingSeries)
class BookingSeriesAdmin(admin.ModelAdmin):
    list_display = ["space", "user", "rule", "created_at"]
    search_fields = ["user__email", "rule"]
    raw_id_fields = ["user"]


@admin.register(CalendarFeed)
class CalendarFeedAdmin(admin.ModelAdmin):
    list_display = ["user", "space", "created_at", "revoked_at"]
    list_filter = ["revoked_at"]
    search_fields = ["user__email"]
    raw_id_fields = ["user"]


class RegistrationInline(admin.TabularInline):
    model = EventRegistration
    extra = 0
    raw_id_fields = ["user"]


@admin.register(CommunityEvent)
class CommunityEventAdmin(admin.ModelAdmin):
    list_display = ["title_en", "hub", "kind", "format", "starts_at", "capacity", "is_published"]
    list_filter = ["hub", "kind", "format", "is_published"]
    search_fields = ["title_en", "title_es", "slug"]
    prepopulated_fields = {"slug": ["title_en"]}
    filter_horizontal = ["joint_hubs"]
    inlines = [RegistrationInline]


@admin.register(OfficeHours)
class OfficeHoursAdmin(admin.ModelAdmin):
    list_display = ["mentor", "hub", "rule", "starts", "ends", "weekly_cap", "is_active"]
    list_filter = ["hub", "is_active"]
    search_fields = ["mentor__email", "mentor__full_name"]
    raw_id_fields = ["mentor"]


@admin.register(MentorSession)
class MentorSessionAdmin(admin.ModelAdmin):
    """Notes are private to mentor and founder, so the admin does not show them."""

    list_display = ["mentor", "founder", "starts_at", "status", "rating"]
    list_filter = ["status"]
    search_fields = ["mentor__email", "founder__email", "topic"]
    raw_id_fields = ["mentor", "founder", "office_hours"]
    exclude = ["notes"]
