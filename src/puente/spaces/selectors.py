"""Reads of spaces, bookings, events and office hours, with who-may-see-what in one place."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Any

import holidays
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from puente.accounts.viewer import Viewer
from puente.core.models import Hub
from puente.core.text import sort_key
from puente.spaces.models import (
    HOLDING_STATUSES,
    Booking,
    BookingStatus,
    Closure,
    CommunityEvent,
    EventRegistration,
    HubCalendar,
    MentorSession,
    OfficeHours,
    OpeningHours,
    RegistrationStatus,
    SessionStatus,
    Space,
)
from puente.spaces.timeslots import Interval, SpaceRules, free_intervals, open_windows
from puente.spaces.timeslots.recurrence import RecurrenceError, expand_between

# --- Spaces ------------------------------------------------------------------------------------


def spaces_listed(*, hub: str = "", kind: str = "") -> QuerySet[Space]:
    """Active spaces, with what their cards show, optionally of one hub or kind."""
    spaces = (
        Space.objects.filter(is_active=True)
        .select_related("hub")
        .prefetch_related(
            "open_to_hubs",
            Prefetch("hours", queryset=OpeningHours.objects.order_by("weekday", "opens")),
        )
    )
    if hub:
        spaces = spaces.filter(hub__slug=hub)
    if kind:
        spaces = spaces.filter(kind=kind)
    return spaces


def spaces_by_name(*, hub: str = "", kind: str = "") -> list[Space]:
    """``spaces_listed`` in the order a reader of the active language expects: by hub and
    kind, then by the name shown (Spanish or English), accents and case ignored."""
    spaces = spaces_listed(hub=hub, kind=kind)
    return sorted(spaces, key=lambda s: (s.hub.sort_order, s.kind, sort_key(s.name), s.pk))


def space_by(*, pk: int | None = None, slug: str | None = None) -> Space:
    """An active space, or 404."""
    lookup = {"pk": pk} if pk is not None else {"slug": slug}
    space = spaces_listed().filter(**lookup).first()
    if space is None:
        raise Http404("space")
    return space


def may_book(viewer: Viewer, space: Space) -> bool:
    """Verified members of the hubs the space is open to (by default its hub and partner hubs)."""
    if not viewer.is_authenticated:
        return False
    if viewer.manages_any([space.hub_id]):
        return True
    if not viewer.is_verified:
        return False
    allowed = {hub.pk for hub in space.open_to_hubs.all()}
    if allowed:
        return not viewer.member_hub_ids.isdisjoint(allowed)
    return space.hub_id in viewer.network_hub_ids


@lru_cache(maxsize=64)
def _public_holidays(country: str, subdivision: str, year: int) -> frozenset[dt.date]:
    try:
        calendar = holidays.country_holidays(country, subdiv=subdivision or None, years=year)
    except NotImplementedError:
        return frozenset()
    return frozenset(calendar.keys())


def holiday_calendar(hub: Hub) -> tuple[str, str, bool]:
    """(country, subdivision, observed) of a hub: its calendar row, else its country's holidays."""
    calendar = HubCalendar.objects.filter(hub=hub).first()
    if calendar is None:
        return hub.country, "", True
    return calendar.holiday_country, calendar.holiday_subdivision, calendar.observe_holidays


def closed_dates(space: Space, first: dt.date, last: dt.date) -> frozenset[dt.date]:
    """Public holidays of the hub and closures of the hub or the space between two local dates."""
    country, subdivision, observed = holiday_calendar(space.hub)
    closed: set[dt.date] = set()
    if observed and country:
        for year in range(first.year, last.year + 1):
            closed.update(
                day for day in _public_holidays(country, subdivision, year) if first <= day <= last
            )
    closures = Closure.objects.filter(
        Q(space=space) | Q(space__isnull=True, hub_id=space.hub_id),
        starts_on__lte=last,
        ends_on__gte=first,
    )
    for closure in closures:
        day = max(closure.starts_on, first)
        while day <= min(closure.ends_on, last):
            closed.add(day)
            day += dt.timedelta(days=1)
    return frozenset(closed)


def space_rules(space: Space, first: dt.date, last: dt.date) -> SpaceRules:
    hours: dict[int, list[tuple[dt.time, dt.time]]] = defaultdict(list)
    for window in space.hours.all():
        hours[window.weekday].append((window.opens, window.closes))
    return SpaceRules(
        zone_name=space.time_zone,
        hours=dict(hours),
        closed_dates=closed_dates(space, first, last),
        min_duration=dt.timedelta(minutes=space.min_duration_minutes),
        max_duration=dt.timedelta(minutes=space.max_duration_minutes),
        max_days_ahead=space.max_days_ahead,
        buffer=dt.timedelta(minutes=space.buffer_minutes),
    )


def hours_offered(space: Space, first: dt.date, last: dt.date) -> Decimal:
    """Bookable hours of a space between two local dates (inclusive): its opening windows less
    public holidays and closures, times its units (ten desks open for an hour offer ten hours),
    so it is the denominator of booked hours. Measured in elapsed time, so a window across a
    daylight-saving change counts what the clock really ran."""
    zone = space.zone
    start = dt.datetime.combine(first, dt.time.min, tzinfo=zone)
    end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
    windows = open_windows(space_rules(space, first, last), start, end)
    seconds = sum((window.end - window.start).total_seconds() for window in windows)
    return (Decimal(seconds) * space.units / Decimal(3600)).quantize(Decimal("0.01"))


def holding_bookings(space: Space, start: dt.datetime, end: dt.datetime) -> QuerySet[Booking]:
    """Bookings holding time (with their buffer) that touch ``[start, end)``."""
    return Booking.objects.filter(
        space=space, status__in=HOLDING_STATUSES, starts_at__lt=end, blocked_until__gt=start
    )


@dataclass(frozen=True)
class Availability:
    space: Space
    start: dt.datetime
    end: dt.datetime
    open: list[Interval]
    free: list[Interval]
    busy: list[Interval]
    closed_dates: list[dt.date]


def availability(space: Space, start: dt.datetime, end: dt.datetime) -> Availability:
    """Opening windows, taken and free time of a space between two moments."""
    zone = space.zone
    rules = space_rules(space, start.astimezone(zone).date(), end.astimezone(zone).date())
    windows = open_windows(rules, start, end)
    taken = [
        Interval(booking.starts_at, booking.blocked_until)
        for booking in holding_bookings(space, start, end).only("starts_at", "blocked_until")
    ]
    # A new booking needs its own buffer after it too; free time is what is bookable now.
    free = free_intervals(windows, taken, units=space.units)
    return Availability(
        space=space,
        start=start,
        end=end,
        open=windows,
        free=free,
        busy=sorted(taken),
        closed_dates=sorted(rules.closed_dates),
    )


# --- Bookings ----------------------------------------------------------------------------------


def _booking_queryset() -> QuerySet[Booking]:
    return Booking.objects.select_related("space", "space__hub", "user", "series")


def bookings_of(user: Any, *, upcoming_only: bool = True) -> QuerySet[Booking]:
    bookings = _booking_queryset().filter(user=user)
    if upcoming_only:
        bookings = bookings.filter(ends_at__gte=timezone.now() - dt.timedelta(days=1))
    return bookings


def booking_for_viewer(viewer: Viewer, pk: int) -> Booking:
    """A booking its owner, the managers of its hub or staff may see; else the same 404."""
    booking = _booking_queryset().filter(pk=pk).first()
    if booking is None or not (
        booking.user_id == viewer.user_id or viewer.manages_any([booking.space.hub_id])
    ):
        raise Http404("booking")
    return booking


def approval_queue(viewer: Viewer) -> QuerySet[Booking]:
    """Tentative bookings of the hubs a manager manages (every hub for staff), soonest first."""
    bookings = _booking_queryset().filter(
        status=BookingStatus.TENTATIVE, ends_at__gte=timezone.now()
    )
    if viewer.is_staff:
        return bookings
    return bookings.filter(space__hub_id__in=viewer.managed_hub_ids)


def space_calendar_bookings(space: Space) -> QuerySet[Booking]:
    return _booking_queryset().filter(
        space=space,
        status__in=HOLDING_STATUSES,
        ends_at__gte=timezone.now() - dt.timedelta(days=30),
    )


# --- Community events --------------------------------------------------------------------------


def events_upcoming() -> QuerySet[CommunityEvent]:
    return (
        CommunityEvent.objects.filter(is_published=True, ends_at__gte=timezone.now())
        .select_related("hub", "space")
        .prefetch_related("joint_hubs")
        .annotate(
            registered_count=Count(
                "registrations", filter=Q(registrations__status=RegistrationStatus.REGISTERED)
            )
        )
    )


def event_by_slug(slug: str) -> CommunityEvent:
    event = (
        events_upcoming().filter(slug=slug).first()
        or CommunityEvent.objects.filter(slug=slug, is_published=True)
        .select_related("hub")
        .annotate(
            registered_count=Count(
                "registrations", filter=Q(registrations__status=RegistrationStatus.REGISTERED)
            )
        )
        .first()
    )
    if event is None:
        raise Http404("event")
    return event


def registration_of(event: CommunityEvent, user: Any) -> EventRegistration | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return EventRegistration.objects.filter(event=event, user=user).first()


def event_attendees(event: CommunityEvent) -> QuerySet[EventRegistration]:
    return event.registrations.select_related("user").exclude(status=RegistrationStatus.CANCELLED)


# --- Office hours ------------------------------------------------------------------------------


def office_hours_listed() -> QuerySet[OfficeHours]:
    return OfficeHours.objects.filter(is_active=True, mentor__is_active=True).select_related(
        "mentor", "hub", "mentor__person"
    )


def office_hours_by(pk: int) -> OfficeHours:
    found = office_hours_listed().filter(pk=pk).first()
    if found is None:
        raise Http404("office hours")
    return found


def office_hour_slots(
    office_hours: OfficeHours, start: dt.datetime, end: dt.datetime
) -> list[Interval]:
    """Every slot of the office hours between two moments (booked ones included)."""
    zone = zoneinfo.ZoneInfo(office_hours.time_zone)
    first_local = dt.datetime.combine(office_hours.first_day, office_hours.starts)
    window_start = start.astimezone(zone).replace(tzinfo=None)
    window_end = end.astimezone(zone).replace(tzinfo=None)
    try:
        days = expand_between(
            rule=office_hours.rule,
            local_start=first_local,
            window_start=window_start - dt.timedelta(days=1),
            window_end=window_end,
        )
    except RecurrenceError:
        return []
    slots: list[Interval] = []
    length = dt.timedelta(minutes=office_hours.slot_minutes)
    for day_start in days:
        cursor = day_start
        day_end = dt.datetime.combine(day_start.date(), office_hours.ends)
        while cursor + length <= day_end:
            slot_start = cursor.replace(tzinfo=zone).astimezone(dt.UTC)
            slot_end = (cursor + length).replace(tzinfo=zone).astimezone(dt.UTC)
            if start <= slot_start and slot_end <= end:
                slots.append(Interval(slot_start, slot_end))
            cursor += length
    return slots


def free_office_hour_slots(
    office_hours: OfficeHours, start: dt.datetime, end: dt.datetime
) -> list[Interval]:
    taken = set(
        MentorSession.objects.filter(
            mentor_id=office_hours.mentor_id, starts_at__gte=start, starts_at__lt=end
        )
        .exclude(status=SessionStatus.CANCELLED)
        .values_list("starts_at", flat=True)
    )
    return [slot for slot in office_hour_slots(office_hours, start, end) if slot.start not in taken]


def sessions_of(user: Any) -> QuerySet[MentorSession]:
    return (
        MentorSession.objects.filter(Q(mentor=user) | Q(founder=user))
        .select_related("mentor", "founder", "office_hours", "office_hours__hub")
        .order_by("-starts_at")
    )


def session_for_participant(user: Any, pk: int) -> MentorSession:
    session = sessions_of(user).filter(pk=pk).first()
    if session is None:
        raise Http404("session")
    return session
