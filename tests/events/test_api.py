"""Events API: the participant's journey in JSON, the agenda in both zones, the .ics, and
refusals of bad input as JSON errors (never a 500)."""

from __future__ import annotations

import datetime as dt
from typing import get_args

import pytest
from django.test import Client
from icalendar import Calendar

from puente.events.api import AudienceCode
from puente.events.models import Audience, EventStatus, MeetingRequest
from tests.api.conftest import ApiClient, token_for
from tests.events.helpers import accepted_meeting, make_event, pending_request, register
from tests.factories import OrganizationFactory, UserFactory, hub, make_manager, make_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(client: Client) -> ApiClient:
    return ApiClient(client)


def test_register_request_and_accept_through_the_api(api: ApiClient) -> None:
    event = make_event()
    organization = OrganizationFactory(name="Paisa Pagos")
    member = make_member(organization)
    other = register(event, OrganizationFactory(name="Coral Pay", hub=hub("miami")))
    token = token_for(member)[1]
    slot = event.slots.first()
    answer = api.post(
        f"/events/{event.pk}/participants",
        {"organization": organization.pk, "offer": "Pagos", "unavailable_slots": [slot.pk]},
        token=token,
    )
    assert answer.status == 201, answer.data
    assert answer.data["name"] == "Paisa Pagos"
    assert answer.data["unavailable_slots"] == [slot.pk]
    detail = api.get(f"/events/{event.pk}", token=token).data
    assert detail["registered"] is True
    assert len(detail["slots"]) == 3
    sent = api.post(
        f"/events/{event.pk}/participants/{other.pk}/requests",
        {"message": "Hablemos", "priority": 3},
        token=token,
    )
    assert sent.status == 201, sent.data
    assert sent.data["status"] == "pending"
    other_token = token_for(other.user)[1]
    received = api.get(f"/events/{event.pk}/requests", token=other_token).data
    assert [item["requester_name"] for item in received["received"]] == ["Paisa Pagos"]
    accepted = api.post(f"/meeting-requests/{sent.data['id']}/accept", {}, token=other_token)
    assert accepted.status == 200
    assert accepted.data["status"] == "accepted"
    again = api.post(f"/meeting-requests/{sent.data['id']}/decline", {}, token=other_token)
    assert again.status == 422
    assert again.data["code"] == "not_pending"


def test_agenda_in_the_event_zone_and_the_callers_zone(api: ApiClient) -> None:
    event = make_event(status=EventStatus.PUBLISHED)
    kevin = UserFactory(time_zone="America/New_York")
    mine = register(event, OrganizationFactory(hub=hub("miami")), user=kevin)
    meeting = accepted_meeting(mine, register(event))
    meeting.slot, meeting.table = event.slots.first(), 2
    meeting.save()
    token = token_for(kevin)[1]
    agenda = api.get(f"/events/{event.pk}/agenda", token=token).data
    (item,) = agenda["items"]
    assert agenda["your_time_zone"] == "America/New_York"
    assert item["starts_at_event_zone"].startswith("2026-03-10T09:00:00-05:00")
    assert item["starts_at_your_zone"].startswith("2026-03-10T10:00:00-04:00")
    assert item["table"] == 2
    ics = api.get(f"/events/{event.pk}/agenda.ics", token=token)
    assert ics.status == 200
    calendar = Calendar.from_ical(ics.data)
    (entry,) = calendar.walk("VEVENT")
    assert entry.decoded("DTSTART") == meeting.slot.starts_at
    assert entry.decoded("DTSTART").tzinfo is not None
    assert str(entry["DTSTART"].params["TZID"]) == "America/Bogota"


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"organization": 999999}, 422, "bad_organization"),
        ({"unavailable_slots": [999999]}, 422, "bad_slot"),
        ({"unavailable_slots": [2**63]}, 422, "invalid"),  # was 500: SQLite OverflowError
        ({"language": "fr"}, 422, "invalid"),
        ({"offer": "x" * 3000}, 422, "invalid"),
        ({"organization": -1}, 422, "invalid"),
        ({"unknown": 1}, 422, "invalid"),
    ],
)
def test_bad_registrations_are_json_errors(
    api: ApiClient, body: dict[str, object], status: int, code: str
) -> None:
    event = make_event()
    token = token_for(UserFactory())[1]
    answer = api.post(f"/events/{event.pk}/participants", body, token=token)
    assert answer.status == status, answer.data
    assert answer.data["message"]
    if code != "invalid":
        assert answer.data["code"] == code


def test_slots_of_another_event_and_other_organizations_are_refused(api: ApiClient) -> None:
    event, elsewhere = make_event(), make_event()
    user = UserFactory()
    token = token_for(user)[1]
    foreign_slot = elsewhere.slots.first()
    answer = api.post(
        f"/events/{event.pk}/participants", {"unavailable_slots": [foreign_slot.pk]}, token=token
    )
    assert answer.status == 422
    not_mine = OrganizationFactory()
    answer = api.post(
        f"/events/{event.pk}/participants", {"organization": not_mine.pk}, token=token
    )
    assert answer.status == 403


def test_requests_to_unknown_participants_and_bad_priorities(api: ApiClient) -> None:
    event = make_event()
    mine = register(event)
    other = register(event)
    token = token_for(mine.user)[1]
    assert (
        api.post(f"/events/{event.pk}/participants/999999/requests", {}, token=token).status == 404
    )
    answer = api.post(
        f"/events/{event.pk}/participants/{other.pk}/requests", {"priority": 9}, token=token
    )
    assert answer.status == 422
    answer = api.post(
        f"/events/{event.pk}/participants/{mine.pk}/requests", {"priority": 1}, token=token
    )
    assert answer.status == 422
    assert answer.data["code"] == "same_participant"


def test_expired_request_cannot_be_accepted(api: ApiClient) -> None:
    event = make_event()
    first, second = register(event), register(event)
    request = pending_request(first, second)
    MeetingRequest.objects.filter(pk=request.pk).update(
        expires_at=request.created_at - dt.timedelta(days=1)
    )
    answer = api.post(f"/meeting-requests/{request.pk}/accept", {}, token=token_for(second.user)[1])
    assert answer.status == 422
    assert answer.data["code"] == "expired"


def test_drafts_are_invisible_in_the_api(api: ApiClient) -> None:
    draft = make_event(status=EventStatus.DRAFT)
    assert api.get(f"/events/{draft.pk}").status == 404
    assert draft.pk not in [item["id"] for item in api.get("/events").data["items"]]


def test_the_catalogue_through_the_api_with_its_filters(api: ApiClient) -> None:
    event = make_event()
    energia = register(
        event,
        OrganizationFactory(name="Energía Guayacán"),
        offer="Redes eléctricas",
        attendees="Ana Gómez (CEO)",
    )
    coral = register(
        event, OrganizationFactory(name="Coral Pay", hub=hub("miami")), offer="Payments"
    )
    fondo = register(event, OrganizationFactory(name="Fondo Andino", hub=hub("miami")))
    pending_request(energia, coral)
    url = f"/events/{event.pk}/participants"

    public = api.get(url)
    assert public.status == 200
    assert public.data["count"] == 3
    first = public.data["items"][0]
    assert first["name"] == "Energía Guayacán"
    assert first["hub"] == "medellin"
    assert first["type"] == "startup"
    assert first["attendees"] == ""  # only for participants and organizers
    assert [i["name"] for i in api.get(url + "?q=ELECTRICAS").data["items"]] == ["Energía Guayacán"]
    assert api.get(url + "?hub=miami&limit=1&offset=1").data == {
        "count": 2,
        "items": [api.get(url + "?hub=miami").data["items"][1]],
    }

    token = token_for(energia.user)[1]
    mine = api.get(url, token=token).data["items"]
    assert mine[0]["attendees"] == "Ana Gómez (CEO)"
    assert [i["open_request"] for i in mine] == [False, True, False]
    can_ask = api.get(url + "?can_ask=true", token=token).data
    assert [i["id"] for i in can_ask["items"]] == [fondo.pk]

    unknown = api.get(url + "?hub=atlantis&type=wizard")
    assert unknown.status == 422
    assert {e["field"] for e in unknown.data["errors"]} == {"hub", "type"}
    alone = api.get(url + "?can_ask=true")
    assert alone.status == 422
    assert alone.data["code"] == "not_registered"


def test_announcements_through_the_api(api: ApiClient) -> None:
    assert set(get_args(AudienceCode)) == set(Audience.values)  # one list of audiences
    event = make_event()
    alfa = register(event, OrganizationFactory(name="Alfa"))
    beta = register(event, OrganizationFactory(name="Beta"), standby=True)
    manager = token_for(make_manager("medellin"))[1]
    url = f"/events/{event.pk}/announcements"

    sent = api.post(url, {"message": "Café a las 10:00"}, token=manager)
    assert sent.status == 201, sent.data
    assert sent.data["recipients"] == 2
    assert (
        api.post(url, {"message": "Solo standby", "audience": "standby"}, token=manager).status
        == 201
    )
    assert api.post(url, {"message": "x", "audience": "vips"}, token=manager).status == 422
    assert api.post(url, {"message": "Café a las 10:00"}, token=manager).status == 409

    organizer_view = api.get(url, token=manager).data["items"]
    assert [i["message"] for i in organizer_view] == ["Solo standby", "Café a las 10:00"]
    alfa_view = api.get(url, token=token_for(alfa.user)[1]).data["items"]
    assert [(i["message"], i["recipients"]) for i in alfa_view] == [("Café a las 10:00", None)]
    beta_view = api.get(url, token=token_for(beta.user)[1]).data["items"]
    assert [i["message"] for i in beta_view] == ["Solo standby", "Café a las 10:00"]
    assert api.post(url, {"message": "Hola"}, token=token_for(alfa.user)[1]).status == 403


def test_accept_all_through_the_api_names_what_stays_pending(api: ApiClient) -> None:
    event = make_event(max_meetings_per_participant=1)
    investor = register(event, OrganizationFactory(name="Fondo"))
    first = pending_request(register(event, OrganizationFactory(name="Alfa")), investor)
    second = pending_request(register(event, OrganizationFactory(name="Beta")), investor)
    token = token_for(investor.user)[1]

    done = api.post(f"/events/{event.pk}/requests/accept-all", {}, token=token)

    assert done.status == 200, done.data
    assert done.data["accepted"] == 1
    [refused] = done.data["refused"]
    assert refused["request"]["id"] == second.pk
    assert refused["request"]["status"] == "pending"
    assert refused["reason"]
    statuses = dict(MeetingRequest.objects.values_list("pk", "status"))
    assert (statuses[first.pk], statuses[second.pk]) == ("accepted", "pending")
    again = api.post(f"/events/{event.pk}/requests/accept-all", {}, token=token)
    assert (again.data["accepted"], len(again.data["refused"])) == (0, 1)
    stranger = token_for(UserFactory())[1]
    assert api.post(f"/events/{event.pk}/requests/accept-all", {}, token=stranger).status == 404
