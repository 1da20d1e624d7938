"""Builders for the events tests: an event with slots, participants and meetings."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

from django.utils import timezone

from puente.accounts.models import User
from puente.directory.models import MembershipRole, Organization
from puente.events.models import (
    Event,
    EventSession,
    EventStatus,
    Meeting,
    MeetingRequest,
    Participant,
    RequestStatus,
)
from puente.events.services import _cut_slots
from tests.factories import OrganizationFactory, hub, make_member

EVENT_DAY = dt.date(2026, 3, 10)  # Miami is on daylight saving time (UTC-4), Medellín UTC-5
#: A day still to come whenever the tests run (agendas offer subscriptions and check-in codes).
COMING_DAY = dt.date.today() + dt.timedelta(days=30)


def midday_zone() -> str:
    """A fixed-offset zone where it is about midday now (12:00 to 12:59), so a test of
    "today, during the event" holds at any hour of the run."""
    offset = 12 - dt.datetime.now(dt.UTC).hour  # -11 (UTC-11) to 12 (UTC+12)
    return "Etc/GMT" + (f"{-offset:+d}" if offset else "")


def event_under_way(**fields: Any) -> Event:
    """A published event with a session from 09:00 to 16:00 today, in a zone where it is
    now about midday: a slot is in progress and the next one is coming."""
    zone_name = midday_zone()
    today = dt.datetime.now(zoneinfo.ZoneInfo(zone_name)).date()
    return make_event(
        status=EventStatus.PUBLISHED,
        published_at=timezone.now(),
        time_zone=zone_name,
        day=today,
        sessions=[("Día", dt.time(9, 0), dt.time(16, 0))],
        **fields,
    )


def make_event(
    *,
    hub_slug: str = "medellin",
    status: str = EventStatus.OPEN,
    tables: int = 4,
    sessions: list[tuple[str, dt.time, dt.time]] | None = None,
    time_zone: str = "America/Bogota",
    organizer: User | None = None,
    day: dt.date = EVENT_DAY,
    **fields: Any,
) -> Event:
    event = Event.objects.create(
        slug=fields.pop("slug", f"rueda-{Event.objects.count() + 1}"),
        title=fields.pop("title", "Rueda de negocios"),
        hub=hub(hub_slug),
        time_zone=time_zone,
        start_date=day,
        end_date=day,
        slot_minutes=20,
        changeover_minutes=0,
        tables=tables,
        status=status,
        organizer=organizer,
        **fields,
    )
    for name, start, end in sessions or [("Mañana", dt.time(9, 0), dt.time(10, 0))]:
        session = EventSession.objects.create(
            event=event, name=name, date=day, start_time=start, end_time=end
        )
        _cut_slots(event, session)
    return event


def register(
    event: Event, organization: Organization | None = None, user: User | None = None, **fields: Any
) -> Participant:
    organization = organization if organization is not None else OrganizationFactory()
    if user is None:
        user = make_member(organization, role=MembershipRole.ADMIN)
    return Participant.objects.create(
        event=event,
        organization=organization,
        user=user,
        offer=fields.pop("offer", "Software"),
        **fields,
    )


def accepted_meeting(first: Participant, second: Participant, **fields: Any) -> Meeting:
    request = MeetingRequest.objects.create(
        event=first.event,
        requester=first,
        target=second,
        status=RequestStatus.ACCEPTED,
        expires_at=timezone.now() + dt.timedelta(days=3),
    )
    return Meeting.objects.create(
        event=first.event, request=request, first=first, second=second, **fields
    )


def pending_request(first: Participant, second: Participant) -> MeetingRequest:
    return MeetingRequest.objects.create(
        event=first.event,
        requester=first,
        target=second,
        message="¿Nos vemos?",
        expires_at=timezone.now() + dt.timedelta(days=3),
    )
