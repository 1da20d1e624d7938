"""A participant's agenda as an iCalendar file.

Times are written in the event's zone with its VTIMEZONE, so calendar clients show them
right in any zone. Each meeting keeps one UID for its whole life and a SEQUENCE that grows
when it moves, so importing a newer file replaces a rescheduled meeting instead of adding one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Timezone, vDuration
from icalendar import Event as CalendarEvent

from puente.events import selectors
from puente.events.models import Event, Participant, Slot
from puente.events.selectors import AgendaItem, CancelledItem

PRODID = "-//Puente//Brokerage events//EN"


def calendar_response(body: bytes, event: Event, *, inline: bool = False) -> HttpResponse:
    """A calendar file as an HTTP answer: downloaded, or ``inline`` for a subscription."""
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{event.slug}-agenda.ics"'
    return response


def agenda_download(event: Event, participant: Participant) -> HttpResponse:
    """The participant's agenda as a downloaded ``.ics``: their meetings and those that
    left the schedule (as cancellations)."""
    body = agenda_calendar(
        event, participant, selectors.agenda_of(participant), selectors.cancelled_of(participant)
    )
    return calendar_response(body, event)


def webcal(url: str) -> str:
    """The https address of a calendar feed as calendar apps subscribe to it."""
    return "webcal://" + url.split("://", 1)[1]


def meeting_uid(uid: Any) -> str:
    """The iCalendar UID of a meeting, from its calendar id."""
    return f"meeting-{uid}@puente"


def agenda_calendar(
    event: Event,
    participant: Participant,
    items: list[AgendaItem],
    cancelled: Sequence[CancelledItem] = (),
    refresh: dt.timedelta | None = None,
) -> bytes:
    """The iCalendar file (bytes) of a participant's agenda at an event; ``cancelled``
    meetings (that left the schedule) come as cancelled events with their last time, so a
    client that imported them drops them. ``refresh`` (for a subscribed feed) tells clients
    how often to read it again."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", f"{event.title} — {participant.display_name}")
    calendar.add("x-wr-timezone", event.time_zone)
    if refresh is not None:
        calendar.add("refresh-interval", refresh, parameters={"VALUE": "DURATION"})
        # An unknown property: given a bare timedelta, icalendar would write "1:00:00".
        calendar.add("x-published-ttl", vDuration(refresh))
    zone = event.zone
    # Transitions for a year either side of the event: enough for any client, and small.
    calendar.add_component(
        Timezone.from_tzid(
            event.time_zone,
            first_date=event.start_date - dt.timedelta(days=366),
            last_date=event.end_date + dt.timedelta(days=366),
        )
    )
    stamp = timezone.now().replace(microsecond=0)
    for item in items:
        entry = _entry(
            uid=item.meeting.uid,
            sequence=item.meeting.sequence,
            modified=item.meeting.updated_at,
            slot=item.slot,
            stamp=stamp,
            zone=zone,
        )
        entry.add(
            "summary",
            _("Meeting with %(name)s") % {"name": item.counterpart.display_name},
        )
        place = _("Table %(table)d") % {"table": item.table}
        if event.venue:
            place = f"{place} · {event.venue}"
        entry.add("location", item.video_url or place)
        lines = [event.title, place]
        if item.video_url:
            lines.append(item.video_url)
            entry.add("url", item.video_url)
        if item.counterpart.offer:
            lines.append(_("Offers: %(text)s") % {"text": item.counterpart.offer})
        if item.counterpart.seek:
            lines.append(_("Seeks: %(text)s") % {"text": item.counterpart.seek})
        entry.add("description", "\n".join(lines))
        entry.add("status", "CONFIRMED")
        entry.add("transp", "OPAQUE")
        calendar.add_component(entry)
    for gone in cancelled:
        entry = _entry(
            uid=gone.uid,
            sequence=gone.sequence,
            modified=gone.modified,
            slot=gone.slot,
            stamp=stamp,
            zone=zone,
        )
        entry.add(
            "summary",
            _("Cancelled: meeting with %(name)s") % {"name": gone.counterpart.display_name},
        )
        entry.add("status", "CANCELLED")
        entry.add("transp", "TRANSPARENT")
        calendar.add_component(entry)
    return calendar.to_ical()


def _entry(
    *,
    uid: Any,
    sequence: int,
    modified: dt.datetime,
    slot: Slot,
    stamp: dt.datetime,
    zone: dt.tzinfo,
) -> CalendarEvent:
    """A meeting's event with what every version of it carries: its UID and SEQUENCE, its
    time in the event's zone and when it last changed."""
    entry = CalendarEvent()
    entry.add("uid", meeting_uid(uid))
    entry.add("sequence", sequence)
    entry.add("dtstamp", stamp)
    entry.add("dtstart", slot.starts_at.astimezone(zone))
    entry.add("dtend", slot.ends_at.astimezone(zone))
    entry.add("last-modified", modified.astimezone(dt.UTC).replace(microsecond=0))
    return entry
