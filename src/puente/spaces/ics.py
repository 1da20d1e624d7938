"""iCalendar (RFC 5545) files of bookings, office-hours sessions and events."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from icalendar import Calendar, Event

from puente.spaces.models import (
    Booking,
    BookingStatus,
    CommunityEvent,
    MentorSession,
    SessionStatus,
)


@dataclass(frozen=True)
class CalendarItem:
    uid: str
    start: dt.datetime
    end: dt.datetime
    summary: str
    description: str = ""
    location: str = ""
    status: str = "CONFIRMED"


def booking_item(booking: Booking) -> CalendarItem:
    status = {BookingStatus.APPROVED: "CONFIRMED", BookingStatus.TENTATIVE: "TENTATIVE"}.get(
        booking.status, "CANCELLED"
    )  # type: ignore[call-overload]
    return CalendarItem(
        uid=f"booking-{booking.pk}@puente",
        start=booking.starts_at.astimezone(booking.space.zone),
        end=booking.ends_at.astimezone(booking.space.zone),
        summary=f"{booking.space.name} · Puente",
        description=booking.purpose,
        location=f"{booking.space.name}, {booking.space.hub.city}",
        status=status,
    )


def session_item(session: MentorSession) -> CalendarItem:
    import zoneinfo

    zone = zoneinfo.ZoneInfo(session.office_hours.time_zone)
    return CalendarItem(
        uid=f"mentor-session-{session.pk}@puente",
        start=session.starts_at.astimezone(zone),
        end=session.ends_at.astimezone(zone),
        summary=f"{session.mentor.full_name} · {session.founder.full_name}",
        description=session.topic,
        location=session.office_hours.location,
        status="CANCELLED" if session.status == SessionStatus.CANCELLED else "CONFIRMED",
    )


def event_item(event: CommunityEvent) -> CalendarItem:
    return CalendarItem(
        uid=f"community-event-{event.pk}@puente",
        start=event.starts_at.astimezone(event.hub.zone),
        end=event.ends_at.astimezone(event.hub.zone),
        summary=event.title,
        description=event.description[:1000],
        location=event.location or event.online_url,
    )


def calendar_bytes(items: Iterable[CalendarItem], *, name: str = "Puente") -> bytes:
    """A VCALENDAR with one VEVENT per item; times carry their zone (VTIMEZONE included)."""
    calendar = Calendar()
    calendar.add("prodid", "-//Puente//spaces//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    stamp = dt.datetime.now(dt.UTC).replace(microsecond=0)
    for item in items:
        event = Event()
        event.add("uid", item.uid)
        event.add("dtstamp", stamp)
        event.add("dtstart", item.start)
        event.add("dtend", item.end)
        event.add("summary", item.summary)
        if item.description:
            event.add("description", item.description)
        if item.location:
            event.add("location", item.location)
        event.add("status", item.status)
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()
