"""The event day as it happens: the organizers see the slot in progress and the next one
with the meetings still waiting for someone to check in; each participant's agenda puts
the meeting in progress, or the next one, at the top."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from puente.events import selectors
from puente.events.models import EventFormat, EventStatus
from tests.events.helpers import accepted_meeting, event_under_way, make_event, register
from tests.factories import OrganizationFactory, make_manager

pytestmark = pytest.mark.django_db


def signed_in(user: Any) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def current_and_next(event: Any) -> tuple[Any, Any]:
    now = timezone.now()
    slots = list(event.slots.order_by("starts_at"))
    current = next(s for s in slots if s.starts_at <= now < s.ends_at)
    return current, slots[slots.index(current) + 1]


def test_now_and_next_name_the_meetings_waiting_for_someone() -> None:
    event = event_under_way()
    alfa, beta, gama, delta = (
        register(event, OrganizationFactory(name=name))
        for name in ("Alfa", "Beta", "Gama", "Delta")
    )
    current, coming = current_and_next(event)
    for person in (alfa, beta, gama):
        person.checked_in_at = timezone.now()
        person.save()
    accepted_meeting(alfa, beta, slot=current, table=2)  # both here
    late = accepted_meeting(gama, delta, slot=current, table=1)  # Delta is missing
    accepted_meeting(beta, delta)  # not placed: in no slot

    slots, meetings = list(selectors.slots_of(event)), selectors.meetings_of(event)
    now, upcoming = selectors.now_and_next(event, slots, meetings, timezone.now())

    assert now is not None
    assert upcoming is not None
    assert (now.slot, now.meetings) == (current, 2)
    assert [(m.pk, [p.pk for p in missing]) for m, missing in now.waiting] == [
        (late.pk, [delta.pk])
    ]
    assert (upcoming.slot, upcoming.meetings, upcoming.waiting) == (coming, 0, [])
    # Far before the day (more than the lead), after it, or before publishing: nothing.
    first = slots[0].starts_at
    assert selectors.now_and_next(event, slots, meetings, first - dt.timedelta(hours=4)) == (
        None,
        None,
    )
    early = selectors.now_and_next(event, slots, meetings, first - dt.timedelta(hours=2))
    assert early[0] is None
    assert early[1] is not None
    assert early[1].slot == slots[0]
    after = slots[-1].ends_at + dt.timedelta(minutes=1)
    assert selectors.now_and_next(event, slots, meetings, after) == (None, None)
    event.status = EventStatus.OPEN
    assert selectors.now_and_next(event, slots, meetings, timezone.now()) == (None, None)


def test_the_organizer_marks_a_latecomer_absent_from_the_slot_in_progress() -> None:
    event = event_under_way()
    gama, delta = (
        register(event, OrganizationFactory(name="Gama")),
        register(event, OrganizationFactory(name="Delta")),
    )
    gama.checked_in_at = timezone.now()
    gama.save()
    current, _coming = current_and_next(event)
    accepted_meeting(gama, delta, slot=current, table=1)
    manager = signed_in(make_manager("medellin"))

    html = manager.get(f"/events/{event.slug}/organize/").content.decode()

    assert 'id="slot-now"' in html
    assert 'id="slot-next"' in html
    watch = html.split('id="slot-now"')[1].split('id="slot-next"')[0]
    assert "Not checked in: Delta" in watch
    assert "Gama" in watch  # the meeting is named
    assert f'action="/events/{event.slug}/participants/{delta.pk}/no-show/"' in watch
    assert f'action="/events/{event.slug}/participants/{gama.pk}/no-show/"' not in watch
    manager.post(f"/events/{event.slug}/participants/{delta.pk}/no-show/")
    html = manager.get(f"/events/{event.slug}/organize/").content.decode()
    watch = html.split('id="slot-now"')[1].split('id="slot-next"')[0]
    assert "Not checked in" not in watch  # the meeting left the schedule
    assert "0 meetings." in watch


def test_no_watch_outside_the_event_day() -> None:
    event = make_event(status=EventStatus.PUBLISHED, published_at=timezone.now())  # in March
    html = signed_in(make_manager("medellin")).get(f"/events/{event.slug}/organize/")
    assert 'id="slot-now"' not in html.content.decode()
    assert 'id="slot-next"' not in html.content.decode()


def test_the_agenda_puts_the_meeting_in_progress_then_the_next_one_at_the_top() -> None:
    event = event_under_way(format=EventFormat.HYBRID, online_url="https://meet.example/rueda")
    mine = register(event, OrganizationFactory(name="Alfa"))
    theirs = register(event, OrganizationFactory(name="Beta"), attendees="Ana Gómez (CEO)")
    other = register(event, OrganizationFactory(name="Gama"))
    current, coming = current_and_next(event)
    now_meeting = accepted_meeting(mine, theirs, slot=current, table=3)
    accepted_meeting(mine, other, slot=coming, table=1)
    client = signed_in(mine.user)

    html = client.get(f"/events/{event.slug}/agenda/").content.decode()
    card = html.split('id="next-meeting"')[1].split("</section>")[0]
    assert ">Now<" in card
    assert "With Beta" in card
    assert "Ana Gómez (CEO)" in card
    assert "Room 3" in card  # hybrid: the table's video room

    now_meeting.slot = None
    now_meeting.table = None
    now_meeting.save()
    card = (
        client.get(f"/events/{event.slug}/agenda/").content.decode().split('id="next-meeting"')[1]
    )
    assert ">Next meeting<" in card.split("</section>")[0]
    assert "With Gama" in card.split("</section>")[0]


def test_the_agenda_has_no_next_meeting_card_weeks_before() -> None:
    event = make_event(
        status=EventStatus.PUBLISHED,
        published_at=timezone.now(),
        day=dt.date.today() + dt.timedelta(days=30),
    )
    mine, theirs = register(event), register(event)
    accepted_meeting(mine, theirs, slot=event.slots.first(), table=1)
    html = signed_in(mine.user).get(f"/events/{event.slug}/agenda/").content.decode()
    assert 'id="next-meeting"' not in html
    assert 'id="agenda"' in html
