"""Calendars that follow the agenda: meetings removed for good come as cancellations, and a
participant can subscribe to their agenda (a secret address, no sign-in) instead of
downloading a file that goes stale."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from icalendar import Calendar

from puente.core.errors import PermissionDenied, ValidationFailed
from puente.events import selectors, services, services_schedule
from puente.events.models import EventStatus, Meeting, MeetingCancellation, Participant
from tests.api.conftest import ApiClient, token_for
from tests.events.helpers import COMING_DAY, accepted_meeting, make_event, register
from tests.factories import UserFactory, make_manager
from tests.marketplace.helpers import post_opportunity

pytestmark = pytest.mark.django_db


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def placed_event(
    status: str = EventStatus.PUBLISHED,
) -> tuple[Any, list[Participant], list[Meeting]]:
    """Three participants, three meetings placed in the first three slots."""
    event = make_event(status=status, day=COMING_DAY)
    if status == EventStatus.PUBLISHED:
        event.published_at = timezone.now()
        event.save(update_fields=["published_at"])
    people = [register(event) for _ in range(3)]
    slots = list(event.slots.order_by("starts_at"))
    meetings = []
    for index, (a, b) in enumerate([(0, 1), (0, 2), (1, 2)]):
        meeting = accepted_meeting(people[a], people[b])
        meeting.slot, meeting.table = slots[index], 1
        meeting.save()
        meetings.append(meeting)
    return event, people, meetings


def entries(body: bytes) -> dict[str, Any]:
    return {str(entry["UID"]): entry for entry in Calendar.from_ical(body).walk("VEVENT")}


def uid(meeting: Meeting) -> str:
    return f"meeting-{meeting.uid}@puente"


def feed_key(participant: Participant) -> str:
    return services.calendar_feed_key(participant=participant, actor=participant.user)


# --- meetings removed for good ------------------------------------------------------------
def test_a_removed_meeting_comes_cancelled_in_both_calendars() -> None:
    event, people, meetings = placed_event()
    manager = make_manager("medellin")
    removed = meetings[0]
    services_schedule.meeting_remove(meeting=removed, actor=manager)
    assert not Meeting.objects.filter(pk=removed.pk).exists()
    for person in people[:2]:
        client = signed_in(person.user)
        found = entries(client.get(f"/events/{event.slug}/agenda.ics").content)
        entry = found[uid(removed)]
        assert str(entry["STATUS"]) == "CANCELLED"
        assert int(entry["SEQUENCE"]) == removed.sequence + 1  # newer than what they have
        assert entry.decoded("DTSTART") == removed.slot.starts_at  # where they have it
        kept = meetings[1] if person == people[0] else meetings[2]
        assert str(found[uid(kept)]["STATUS"]) == "CONFIRMED"
    # The third participant was not in it.
    assert uid(removed) not in entries(
        signed_in(people[2].user).get(f"/events/{event.slug}/agenda.ics").content
    )


def test_meetings_removed_before_the_agenda_was_ever_published_leave_nothing() -> None:
    _event, _people, meetings = placed_event(status=EventStatus.OPEN)
    services_schedule.meeting_remove(meeting=meetings[0], actor=make_manager("medellin"))
    assert not MeetingCancellation.objects.exists()


def test_a_withdrawal_cancels_its_meetings_in_the_counterparts_calendars() -> None:
    _event, people, meetings = placed_event()
    key = feed_key(people[0])
    services.participant_cancel(participant=people[0], actor=people[0].user)
    for counterpart, meeting in ((people[1], meetings[0]), (people[2], meetings[1])):
        (gone,) = selectors.cancelled_of(counterpart)
        assert gone.uid == meeting.uid
        assert gone.counterpart == people[0]
    # The withdrawn participant's subscription now only cancels, so their calendar empties.
    response = Client().get(f"/events/calendar/{key}.ics")
    assert response.status_code == 200
    statuses = {k: str(e["STATUS"]) for k, e in entries(response.content).items()}
    assert statuses == {uid(meetings[0]): "CANCELLED", uid(meetings[1]): "CANCELLED"}


# --- the subscription ---------------------------------------------------------------------
def test_subscribing_gives_an_address_that_serves_the_agenda_without_signing_in() -> None:
    event, people, meetings = placed_event()
    client = signed_in(people[0].user)
    page = client.get(f"/events/{event.slug}/agenda/").content.decode()
    assert f'action="/events/{event.slug}/agenda/subscribe/"' in page
    assert "/events/calendar/" not in page  # no address until asked for
    response = client.post(f"/events/{event.slug}/agenda/subscribe/")
    assert response.status_code == 302
    people[0].refresh_from_db()
    key = people[0].calendar_token
    assert len(key) >= 40
    page = client.get(f"/events/{event.slug}/agenda/").content.decode()
    assert f"http://testserver/events/calendar/{key}.ics" in page
    assert f"webcal://testserver/events/calendar/{key}.ics" in page
    feed = Client().get(f"/events/calendar/{key}.ics")  # a calendar app: no session
    assert feed.status_code == 200
    assert feed["Content-Type"].startswith("text/calendar")
    assert "attachment" not in feed["Content-Disposition"]
    calendar = Calendar.from_ical(feed.content)
    assert str(calendar["REFRESH-INTERVAL"].to_ical().decode()) == "PT1H"
    assert b"\r\nX-PUBLISHED-TTL:PT1H\r\n" in feed.content  # Outlook's refresh hint
    found = entries(feed.content)
    assert set(found) == {uid(meetings[0]), uid(meetings[1])}
    # The same meetings, with the same UIDs, as the downloaded file.
    download = entries(client.get(f"/events/{event.slug}/agenda.ics").content)
    assert set(download) == set(found)
    # Asking again keeps the address.
    client.post(f"/events/{event.slug}/agenda/subscribe/")
    people[0].refresh_from_db()
    assert people[0].calendar_token == key


def test_the_feed_follows_changes_to_the_agenda() -> None:
    _event, people, meetings = placed_event()
    key = feed_key(people[0])
    manager = make_manager("medellin")
    later = meetings[2].slot
    services_schedule.meeting_remove(meeting=meetings[2], actor=manager)  # frees a slot
    services_schedule.meeting_move(meeting=meetings[0], actor=manager, slot=later)
    found = entries(Client().get(f"/events/calendar/{key}.ics").content)
    moved = found[uid(meetings[0])]
    assert moved.decoded("DTSTART") == later.starts_at
    assert int(moved["SEQUENCE"]) > meetings[0].sequence


def test_a_new_address_retires_the_old_one() -> None:
    event, people, _meetings = placed_event()
    old = feed_key(people[0])
    client = signed_in(people[0].user)
    client.post(f"/events/{event.slug}/agenda/subscribe/", {"renew": "1"})
    people[0].refresh_from_db()
    assert people[0].calendar_token != old
    assert Client().get(f"/events/calendar/{old}.ics").status_code == 404
    assert Client().get(f"/events/calendar/{people[0].calendar_token}.ics").status_code == 200


def test_unknown_keys_and_unpublished_agendas_are_not_found() -> None:
    event, people, _meetings = placed_event()
    key = feed_key(people[0])
    assert Client().get("/events/calendar/not-a-key.ics").status_code == 404
    event.status = EventStatus.OPEN  # taken back to edit the agenda
    event.save(update_fields=["status"])
    assert Client().get(f"/events/calendar/{key}.ics").status_code == 404


def test_a_cancelled_event_cancels_every_meeting_in_the_feed() -> None:
    event, people, meetings = placed_event()
    key = feed_key(people[0])
    event.status = EventStatus.CANCELLED
    event.save(update_fields=["status"])
    found = entries(Client().get(f"/events/calendar/{key}.ics").content)
    assert {k: str(e["STATUS"]) for k, e in found.items()} == {
        uid(meetings[0]): "CANCELLED",
        uid(meetings[1]): "CANCELLED",
    }
    assert all(int(found[uid(m)]["SEQUENCE"]) == m.sequence + 1 for m in meetings[:2])


def test_the_feed_speaks_the_language_of_the_registering_account() -> None:
    event = make_event(status=EventStatus.PUBLISHED, published_at=timezone.now(), day=COMING_DAY)
    english = register(event, user=UserFactory(language="en"))
    spanish = register(event, user=UserFactory(language="es"))
    meeting = accepted_meeting(english, spanish)
    meeting.slot, meeting.table = event.slots.first(), 2
    meeting.save()
    english_entry = entries(Client().get(f"/events/calendar/{feed_key(english)}.ics").content)
    spanish_entry = entries(Client().get(f"/events/calendar/{feed_key(spanish)}.ics").content)
    assert str(english_entry[uid(meeting)]["SUMMARY"]).startswith("Meeting with")
    assert str(spanish_entry[uid(meeting)]["SUMMARY"]).startswith("Reunión con")


def test_only_the_participant_gets_an_address() -> None:
    event, people, _meetings = placed_event()
    with pytest.raises(PermissionDenied):
        services.calendar_feed_key(participant=people[0], actor=people[1].user)
    with pytest.raises(PermissionDenied):  # organizers print agendas, they don't subscribe
        services.calendar_feed_key(participant=people[0], actor=make_manager("medellin"))
    services.participant_cancel(participant=people[1], actor=people[1].user)
    people[1].refresh_from_db()
    with pytest.raises(ValidationFailed):
        services.calendar_feed_key(participant=people[1], actor=people[1].user)
    # An organizer looking at someone's agenda is not offered the subscription.
    manager = make_manager("medellin")
    page = signed_in(manager).get(f"/events/{event.slug}/agenda/?participant={people[0].pk}")
    assert "agenda/subscribe/" not in page.content.decode()
    assert page.status_code == 200
    # Someone not registered cannot ask for one.
    stranger = signed_in(UserFactory())
    assert stranger.post(f"/events/{event.slug}/agenda/subscribe/").status_code == 404


# --- the API ------------------------------------------------------------------------------
def test_the_api_gives_and_renews_the_subscription_address(client: Client) -> None:
    event, people, _meetings = placed_event()
    api = ApiClient(client)
    token = token_for(people[0].user)[1]
    first = api.post(f"/events/{event.pk}/agenda/subscription", {}, token=token)
    assert first.status == 200, first.data
    assert first.data["url"].startswith("http://testserver/events/calendar/")
    assert first.data["webcal_url"] == "webcal://" + first.data["url"].split("://", 1)[1]
    again = api.post(f"/events/{event.pk}/agenda/subscription", {}, token=token)
    assert again.data["url"] == first.data["url"]
    renewed = api.post(f"/events/{event.pk}/agenda/subscription", {"renew": True}, token=token)
    assert renewed.data["url"] != first.data["url"]
    assert Client().get(first.data["url"].removeprefix("http://testserver")).status_code == 404
    assert Client().get(renewed.data["url"].removeprefix("http://testserver")).status_code == 200


def test_the_api_agenda_names_the_counterparts_attendees_and_opportunities(
    client: Client,
) -> None:
    event, people, meetings = placed_event()
    counterpart = people[1]
    counterpart.attendees = "Ana Gómez (CEO)"
    counterpart.save(update_fields=["attendees"])
    opportunity = post_opportunity(counterpart.organization, title="Piloto de pagos")
    counterpart.opportunities.add(opportunity)
    api = ApiClient(client)
    agenda = api.get(f"/events/{event.pk}/agenda", token=token_for(people[0].user)[1]).data
    item = next(i for i in agenda["items"] if i["meeting"] == meetings[0].pk)
    assert item["counterpart_attendees"] == "Ana Gómez (CEO)"
    assert item["counterpart_opportunities"] == [opportunity.pk]
