"""The next edition: an organizer copies an event's settings, joint hubs and sessions to
new dates as a draft; participants, requests and meetings stay with the original."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from django.test import Client

from puente.core.errors import PermissionDenied
from puente.core.models import AuditEntry
from puente.events import services
from puente.events.models import Event, EventStatus
from tests.events.helpers import accepted_meeting, make_event, register
from tests.factories import hub, make_manager

pytestmark = pytest.mark.django_db

MIAMI = zoneinfo.ZoneInfo("America/New_York")


def original() -> Event:
    # Miami in winter (UTC-5); the copy falls in summer (UTC-4).
    event = make_event(
        hub_slug="miami",
        time_zone="America/New_York",
        day=dt.date(2027, 1, 12),
        tables=9,
        venue="Cambridge Innovation Center",
        registration_closes_at=dt.datetime(2027, 1, 5, 18, 0, tzinfo=MIAMI),
        requests_close_at=dt.datetime(2027, 1, 10, 18, 0, tzinfo=MIAMI),
        max_requests_per_participant=12,
        sessions=[
            ("Mañana", dt.time(9, 0), dt.time(12, 0)),
            ("Tarde", dt.time(14, 0), dt.time(16, 0)),
        ],
    )
    event.other_hubs.set([hub("medellin")])
    a, b = register(event), register(event)
    accepted_meeting(a, b, slot=event.slots.first(), table=1)
    return event


def test_the_copy_keeps_the_settings_and_moves_the_dates_at_the_same_wall_clock_times() -> None:
    event = original()
    manager = make_manager("miami")

    copy = services.event_copy(
        event=event, actor=manager, title="Rueda 2027-II", start_date=dt.date(2027, 7, 13)
    )

    assert copy.pk != event.pk
    assert copy.slug != event.slug
    assert (copy.title, copy.status, copy.organizer) == (
        "Rueda 2027-II",
        EventStatus.DRAFT,
        manager,
    )
    assert (copy.hub, copy.tables, copy.venue) == (event.hub, 9, "Cambridge Innovation Center")
    assert copy.max_requests_per_participant == 12
    assert list(copy.other_hubs.all()) == [hub("medellin")]
    assert (copy.start_date, copy.end_date) == (dt.date(2027, 7, 13), dt.date(2027, 7, 13))
    # Same local time, although Miami is on daylight saving time by then.
    assert copy.registration_closes_at == dt.datetime(2027, 7, 6, 18, 0, tzinfo=MIAMI)
    assert copy.requests_close_at == dt.datetime(2027, 7, 11, 18, 0, tzinfo=MIAMI)
    sessions = [(s.name, s.date, s.start_time) for s in copy.sessions.order_by("start_time")]
    assert sessions == [
        ("Mañana", dt.date(2027, 7, 13), dt.time(9, 0)),
        ("Tarde", dt.date(2027, 7, 13), dt.time(14, 0)),
    ]
    assert copy.slots.count() == event.slots.count()
    first = copy.slots.order_by("starts_at").first()
    assert first is not None
    assert first.starts_at.astimezone(MIAMI).time() == dt.time(9, 0)
    assert not copy.participants.exists()
    assert not copy.meetings.exists()
    assert event.participants.count() == 2  # the original keeps its own
    assert AuditEntry.objects.filter(action="event.copy").count() == 1


def test_only_organizers_copy_and_the_page() -> None:
    event = original()
    with pytest.raises(PermissionDenied):
        services.event_copy(
            event=event, actor=make_manager("medellin"), title="x", start_date=dt.date(2027, 7, 1)
        )  # a joint hub's manager organizes the event but cannot create events for Miami
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(make_manager("miami"))
    url = f"/events/{event.slug}/copy/"
    assert url in client.get(f"/events/{event.slug}/organize/").content.decode()
    page = client.get(url).content.decode()
    assert f'value="{event.title}"' in page
    bad = client.post(url, {"title": "Rueda", "start_date": "not a date"})
    assert bad.status_code == 200
    assert "Enter a valid date." in bad.content.decode()
    done = client.post(url, {"title": "Rueda otoño", "start_date": "2027-10-05"})
    copy = Event.objects.get(title="Rueda otoño")
    assert done["Location"] == f"/events/{copy.slug}/organize/"
    member = Client()
    member.force_login(register(event).user)
    assert member.get(url).status_code == 403
    assert Event.objects.count() == 2


def test_a_copy_outside_the_hub_managers_reach_is_refused() -> None:
    event = original()
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(make_manager("medellin"))
    answer = client.post(f"/events/{event.slug}/copy/", {"title": "x", "start_date": "2027-10-05"})
    assert answer.status_code == 403
    assert Event.objects.count() == 1
