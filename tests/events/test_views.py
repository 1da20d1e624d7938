"""Events pages: the journey through the web app, refusals, bad input (never a 500) and pinned
query counts of the list and detail pages."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from icalendar import Calendar

from puente.events.models import Event, EventStatus, Meeting, MeetingRequest, Participant
from tests.events.helpers import EVENT_DAY, accepted_meeting, make_event, pending_request, register
from tests.factories import OrganizationFactory, UserFactory, hub, make_manager, make_member

pytestmark = pytest.mark.django_db


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_manager_creates_an_event_adds_a_session_and_opens_it() -> None:
    manager = make_manager("medellin")
    client = signed_in(manager)
    assert client.get("/events/new/").status_code == 200
    response = client.post(
        "/events/new/",
        {
            "title": "Rueda de prueba",
            "language": "es",
            "hub": "medellin",
            "time_zone": "America/Bogota",
            "format": "in_person",
            "start_date": EVENT_DAY.isoformat(),
            "end_date": EVENT_DAY.isoformat(),
            "slot_minutes": 20,
            "changeover_minutes": 0,
            "tables": 5,
            "request_expiry_hours": 72,
            "max_requests_per_participant": 10,
            "max_meetings_per_participant": 10,
            "fairness": 2,
            "visibility": "public",
        },
    )
    event = Event.objects.get(title="Rueda de prueba")
    assert response.status_code == 302
    assert response["Location"] == f"/events/{event.slug}/organize/"
    response = client.post(
        f"/events/{event.slug}/sessions/",
        {
            "name": "Mañana",
            "date": EVENT_DAY.isoformat(),
            "start_time": "09:00",
            "end_time": "10:00",
        },
    )
    assert response.status_code == 302
    assert event.slots.count() == 3
    client.post(f"/events/{event.slug}/status/", {"status": "open"})
    event.refresh_from_db()
    assert event.status == EventStatus.OPEN
    page = client.get(f"/events/{event.slug}/organize/")
    assert page.status_code == 200
    assert "3 slots" in page.content.decode() or "3 franjas" in page.content.decode()
    # The long page opens with links to its sections, each to a heading that is there.
    html = page.content.decode()
    nav = html[html.index('id="organize-sections"') :]
    nav = nav[: nav.index("</nav>")]
    targets = re.findall(r'href="#([a-z-]+)"', nav)
    assert targets[0] == "status-heading"
    assert targets[-1] == "meetings-heading"
    assert "grid-heading" not in targets  # no meetings yet: no grid, no link to it
    for target in targets:
        assert f'id="{target}"' in html


def test_others_cannot_open_the_organizer_pages() -> None:
    event = make_event()
    for user in (UserFactory(), make_manager("miami")):
        client = signed_in(user)
        assert client.get(f"/events/{event.slug}/organize/").status_code == 403
        assert client.post(f"/events/{event.slug}/publish/").status_code == 403
    assert signed_in(UserFactory()).get("/events/new/").status_code == 403


def test_drafts_are_hidden_from_everyone_but_organizers() -> None:
    draft = make_event(status=EventStatus.DRAFT)
    assert Client().get(f"/events/{draft.slug}/").status_code == 404
    assert signed_in(UserFactory()).get(f"/events/{draft.slug}/").status_code == 404
    assert signed_in(make_manager("medellin")).get(f"/events/{draft.slug}/").status_code == 200


def test_member_registers_requests_and_the_other_side_accepts() -> None:
    event = make_event()
    organization = OrganizationFactory(name="Paisa Pagos")
    member = make_member(organization)
    other = register(event, OrganizationFactory(name="Coral Pay", hub=hub("miami")))
    client = signed_in(member)
    slot = event.slots.first()
    response = client.post(
        f"/events/{event.slug}/register/",
        {
            "organization": str(organization.pk),
            "offer": "Pagos para tenderos",
            "seek": "Socios en Miami",
            "language": "es",
            "unavailable_slots": [str(slot.pk)],
        },
    )
    assert response.status_code == 302
    mine = Participant.objects.get(event=event, organization=organization)
    assert list(mine.unavailable_slots.all()) == [slot]
    detail = client.get(f"/events/{event.slug}/").content.decode()
    assert "Coral Pay" in detail
    assert f"/participants/{other.pk}/request/" in detail
    response = client.post(
        f"/events/{event.slug}/participants/{other.pk}/request/",
        {"message": "Hablemos", "priority": "2"},
    )
    assert response.status_code == 302
    request = MeetingRequest.objects.get(requester=mine, target=other)
    assert request.priority == 2
    other_client = signed_in(other.user)
    assert "Paisa Pagos" in other_client.get(f"/events/{event.slug}/requests/").content.decode()
    # The requester cannot answer their own request.
    client.post(f"/events/requests/{request.pk}/answer/", {"accept": "1"})
    request.refresh_from_db()
    assert request.status == "pending"
    other_client.post(f"/events/requests/{request.pk}/answer/", {"accept": "1", "message": "Sí"})
    request.refresh_from_db()
    assert request.status == "accepted"
    assert Meeting.objects.filter(request=request).exists()


@pytest.mark.parametrize("slot_id", [str(2**63), str(-(2**63) - 1), "99999999999999999999"])
def test_registration_refuses_a_slot_id_no_column_holds(slot_id: str) -> None:
    """Such an id used to reach SQLite in an IN lookup and answer 500 (OverflowError)."""
    event = make_event()
    organization = OrganizationFactory(name="Paisa Pagos")
    response = signed_in(make_member(organization)).post(
        f"/events/{event.slug}/register/",
        {
            "organization": str(organization.pk),
            "offer": "Pagos",
            "seek": "Socios",
            "language": "es",
            "unavailable_slots": [str(event.slots.first().pk), slot_id],
        },
    )
    assert response.status_code in (200, 422)
    assert "unavailable_slots" in response.context["form"].errors
    assert not Participant.objects.filter(event=event).exists()


def test_agenda_shows_both_zones_and_downloads_the_ics() -> None:
    event = make_event(status=EventStatus.PUBLISHED, online_url="https://meet.example.org/rueda")
    miami_user = UserFactory(time_zone="America/New_York", language="en")
    organization = OrganizationFactory(hub=hub("miami"), name="Coral Pay")
    mine = register(event, organization, user=miami_user)
    theirs = register(event, OrganizationFactory(name="Café Trazable"))
    meeting = accepted_meeting(mine, theirs)
    meeting.slot, meeting.table = event.slots.first(), 3
    meeting.save()
    client = signed_in(miami_user)
    page = client.get(f"/events/{event.slug}/agenda/").content.decode()
    # 09:00 in Medellín (UTC-5) is 10:00 in Miami on 10 March 2026 (daylight saving, UTC-4).
    assert "America/New_York" in page
    assert "America/Bogota" in page
    assert "10:00–10:20" in page
    assert "09:00–09:20" in page
    assert "Café Trazable" in page
    assert "Attending:" not in page  # the counterpart named nobody
    profile = f"/directory/organizations/{theirs.organization.slug}/"
    assert f'href="{profile}">Café Trazable</a>' in page
    assert "https://meet.example.org/rueda/3" in page
    response = client.get(f"/events/{event.slug}/agenda.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    (entry,) = calendar.walk("VEVENT")
    assert entry.decoded("DTSTART") == meeting.slot.starts_at
    assert calendar.walk("VTIMEZONE")
    # An organizer in Medellín printing this agenda sees the participant's Miami time, not
    # their own.
    organizer = make_manager("medellin")
    printed = (
        signed_in(organizer)
        .get(f"/events/{event.slug}/agenda/?participant={mine.pk}", HTTP_ACCEPT_LANGUAGE="en")
        .content.decode()
    )
    assert "Participant's time (America/New_York)" in printed
    assert "10:00–10:20" in printed
    assert "09:00–09:20" in printed


def test_tables_can_have_their_own_video_rooms() -> None:
    event = make_event(status=EventStatus.PUBLISHED, online_url="https://meet.example.org/rueda")
    client = signed_in(make_manager("medellin"))
    page = client.get(f"/events/{event.slug}/edit/")
    data = {
        **{k: v for k, v in page.context["form"].initial.items() if v is not None},
        "start_date": EVENT_DAY.isoformat(),
        "end_date": EVENT_DAY.isoformat(),
        "room_links": "https://zoom.example.org/j/111\n\n  not a link  \n",
    }
    response = client.post(f"/events/{event.slug}/edit/", data)
    assert response.status_code == 200
    assert "Line 2 is not a web address" in response.content.decode() or (
        "La línea 2 no es una dirección web" in response.content.decode()
    )
    data["room_links"] = "https://zoom.example.org/j/111\r\nzoom.example.org/j/222\r\n"
    response = client.post(f"/events/{event.slug}/edit/", data)
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.room_links == ["https://zoom.example.org/j/111", "https://zoom.example.org/j/222"]
    assert (
        "https://zoom.example.org/j/222"
        in client.get(f"/events/{event.slug}/edit/").content.decode()
    )
    assert event.video_link(2) == "https://zoom.example.org/j/222"
    assert event.video_link(3) == "https://meet.example.org/rueda/3"  # no room of its own
    assert event.video_link(None) == ""
    mine, theirs = register(event), register(event)
    meeting = accepted_meeting(mine, theirs)
    meeting.slot, meeting.table = event.slots.first(), 1
    meeting.save()
    agenda = signed_in(mine.user).get(f"/events/{event.slug}/agenda/").content.decode()
    assert 'href="https://zoom.example.org/j/111"' in agenda
    ics = signed_in(mine.user).get(f"/events/{event.slug}/agenda.ics")
    (entry,) = Calendar.from_ical(ics.content).walk("VEVENT")
    assert str(entry["URL"]) == "https://zoom.example.org/j/111"


def test_a_participant_withdraws_and_the_counterparts_are_told() -> None:
    from puente.core.models import Notification

    event = make_event()
    mine, theirs = register(event), register(event)
    accepted_meeting(mine, theirs)
    pending_request(register(event), mine)
    client = signed_in(mine.user)
    assert 'id="withdraw"' in client.get(f"/events/{event.slug}/register/").content.decode()
    # First a page says what withdrawing undoes, and changes nothing.
    page = client.get(f"/events/{event.slug}/withdraw/")
    assert page.status_code == 200
    effects = page.context["effects"]
    assert effects.counterparts == [theirs]
    assert effects.placed == 0
    assert effects.open_requests == 1  # the pending one; the accepted one is a meeting now
    assert theirs.display_name in page.content.decode()
    mine.refresh_from_db()
    assert mine.status == "registered"
    response = client.post(f"/events/{event.slug}/withdraw/")
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.status == "cancelled"
    assert not Meeting.objects.filter(event=event).exists()
    assert not MeetingRequest.objects.filter(event=event, status="pending").exists()
    told = Notification.objects.get(user=theirs.user, kind="events.participant_withdrew")
    assert told.params["name"] == mine.display_name
    # Nothing left to withdraw.
    assert client.post(f"/events/{event.slug}/withdraw/").status_code == 404
    assert signed_in(UserFactory()).post(f"/events/{event.slug}/withdraw/").status_code == 404


def test_organizer_filters_pages_and_sees_the_grid(monkeypatch: pytest.MonkeyPatch) -> None:
    from puente.events import views_organize

    event = make_event(tables=2)
    people = [register(event, OrganizationFactory(name=f"Empresa {n}")) for n in "ABCD"]
    meetings = [
        accepted_meeting(people[0], people[1]),
        accepted_meeting(people[0], people[2]),
        accepted_meeting(people[2], people[3]),
    ]
    first_slot = event.slots.order_by("starts_at").first()
    Meeting.objects.filter(pk=meetings[0].pk).update(slot=first_slot, table=2, locked=True)
    client = signed_in(make_manager("medellin"))
    url = f"/events/{event.slug}/organize/"
    body = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert body.count('<tr data-slot="') == event.slots.count()
    grid = body[body.index('id="schedule-grid"') :]
    assert "Empresa A · Empresa B" in grid[: grid.index("</table>")]
    assert 'class="grid-meeting grid-locked"' in grid
    assert "1 of 2" in grid
    assert "3 meetings of 3" in body

    def rows(query: str) -> int:
        page = client.get(url + query, HTTP_ACCEPT_LANGUAGE="en").content.decode()
        return page.count("<tr data-meeting=")

    assert rows("?show=unplaced") == 2
    assert rows("?show=locked") == 1
    assert rows(f"?slot={first_slot.pk}") == 1
    assert rows("?q=empresa+d") == 1
    assert rows("?q=nobody") == 0
    assert 'id="no-meeting-matches"' in client.get(url + "?q=nobody").content.decode()
    for bad in ("?show=zzz", "?slot=999999", "?slot=abc", "?page=abc", "?page=99"):
        assert client.get(url + bad).status_code == 200
    monkeypatch.setattr(views_organize, "MEETINGS_PER_PAGE", 2)
    first = client.get(url + "?show=all", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert first.count("<tr data-meeting=") == 2
    assert "show=all&amp;page=2" in first
    assert rows("?show=all&page=2") == 1
    # A wide event gets the list's filters instead of a grid.
    monkeypatch.setattr(views_organize, "GRID_MAX_TABLES", 1)
    assert 'id="schedule-grid"' not in client.get(url).content.decode()


def test_organizer_downloads_the_schedule_as_a_spreadsheet() -> None:
    import csv
    import io

    event = make_event(online_url="https://meet.example.org/rueda")
    first = register(event, OrganizationFactory(name="Café Trazable"))
    second = register(event, OrganizationFactory(name="=HYPERLINK(1)"))
    third = register(event, OrganizationFactory(name="Coral Pay"))
    placed = accepted_meeting(first, second)
    accepted_meeting(first, third)
    Meeting.objects.filter(pk=placed.pk).update(
        slot=event.slots.order_by("starts_at").first(), table=2, locked=True
    )
    url = f"/events/{event.slug}/organize/schedule.csv"
    response = signed_in(make_manager("medellin")).get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"] == f'attachment; filename="{event.slug}-schedule.csv"'
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    assert rows[0][:5] == ["Day", "Start", "End", "Session", "Table"]
    assert rows[1] == [
        EVENT_DAY.isoformat(),
        "09:00",
        "09:20",
        "Mañana",
        "2",
        "Café Trazable",
        "'=HYPERLINK(1)",  # never a formula
        "1",
        "yes",
        "https://meet.example.org/rueda/2",
    ]
    assert rows[2][0] == "Not placed"
    assert rows[2][5:7] == ["Café Trazable", "Coral Pay"]
    assert signed_in(first.user).get(url).status_code == 403


def test_attendees_are_shown_to_participants_and_organizers_not_to_the_public() -> None:
    event = make_event(status=EventStatus.PUBLISHED, visibility="public")
    mine = register(event, OrganizationFactory(name="Coral Pay"))
    theirs = register(event, OrganizationFactory(name="Café Trazable"), attendees="Ana Gómez (CEO)")
    meeting = accepted_meeting(mine, theirs)
    meeting.slot, meeting.table = event.slots.first(), 1
    meeting.save()
    detail = f"/events/{event.slug}/"
    assert "Ana Gómez (CEO)" in signed_in(mine.user).get(detail).content.decode()
    assert "Ana Gómez (CEO)" in signed_in(make_manager("medellin")).get(detail).content.decode()
    assert "Ana Gómez (CEO)" not in Client().get(detail).content.decode()
    assert "Ana Gómez (CEO)" not in signed_in(UserFactory()).get(detail).content.decode()
    agenda = signed_in(mine.user).get(f"/events/{event.slug}/agenda/").content.decode()
    assert "Ana Gómez (CEO)" in agenda
    organize = signed_in(make_manager("medellin")).get(f"/events/{event.slug}/organize/")
    assert "Ana Gómez (CEO)" in organize.content.decode()


def test_agenda_of_an_unpublished_event_is_not_shown_to_participants() -> None:
    event = make_event()
    mine = register(event)
    response = signed_in(mine.user).get(f"/events/{event.slug}/agenda/")
    assert response.status_code == 404
    assert signed_in(mine.user).get(f"/events/{event.slug}/agenda.ics").status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/events/no-such-event/",
        "/events/no-such-event/agenda.ics",
        "/events/{slug}/participants/99999999999999999999/request/",
        "/events/{slug}/runs/0/",
        "/events/{slug}/agenda/?participant=%00",
        "/events/{slug}/agenda/?participant=99999999999999999999999",
    ],
)
def test_bad_addresses_answer_404_never_500(path: str) -> None:
    event = make_event()
    client = signed_in(make_manager("medellin"))
    response = client.get(path.format(slug=event.slug))
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("sessions/", {"name": "x" * 500, "date": "no", "start_time": "25:99", "end_time": ""}),
        (
            "sessions/",
            {"name": "Tarde", "date": "2026-03-10", "start_time": "15:00", "end_time": "14:00"},
        ),
        ("runs/", {"time_limit": "-1"}),
        ("runs/", {"time_limit": "abc", "seed": "\x00"}),
        ("meetings/", {"first": "abc", "second": "99999999999999999999"}),
        ("meetings/999999/move/", {"slot": "x"}),
        ("status/", {"status": "published"}),
        ("sessions/99999/remove/", {}),
    ],
)
def test_bad_organizer_input_never_answers_500(path: str, data: dict[str, str]) -> None:
    event = make_event()
    client = signed_in(make_manager("medellin"))
    response = client.post(f"/events/{event.slug}/{path}", data)
    assert response.status_code in (302, 404), response.status_code


def test_bad_participant_input_never_answers_500() -> None:
    event = make_event()
    member = make_member(OrganizationFactory())
    client = signed_in(member)
    response = client.post(
        f"/events/{event.slug}/register/",
        {"organization": "not-a-number", "unavailable_slots": ["abc", "999999"], "language": "xx"},
    )
    assert response.status_code == 200  # the form again, with its errors
    assert client.post("/events/requests/abc/answer/").status_code == 404
    assert client.post("/events/requests/999999/answer/", {"accept": "maybe"}).status_code == 404
    first, second = register(event), register(event)
    request = pending_request(first, second)
    response = signed_in(second.user).post(
        f"/events/requests/{request.pk}/answer/", {"accept": "maybe"}
    )
    assert response.status_code == 302


def _grow(event: Event, total: int) -> None:
    while Participant.objects.filter(event=event).count() < total:
        register(event, OrganizationFactory(hub=hub("miami")))


def _queries(client: Client, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return len(captured)


def test_list_and_detail_pages_do_not_grow_with_rows() -> None:
    event = make_event()
    for index in range(3):
        make_event(slug=f"otra-{index}")
    _grow(event, 3)
    client = signed_in(UserFactory())
    small = (_queries(client, "/events/"), _queries(client, f"/events/{event.slug}/"))
    for index in range(3, 12):
        make_event(slug=f"otra-{index}")
    _grow(event, 20)
    large = (_queries(client, "/events/"), _queries(client, f"/events/{event.slug}/"))
    assert small == large
    assert large == (LIST_QUERIES, DETAIL_QUERIES)


def test_organizer_page_does_not_grow_with_meetings() -> None:
    event = make_event(
        tables=10,
        sessions=[("Mañana", dt.time(9), dt.time(12))],
    )
    people = [register(event) for _ in range(4)]
    accepted_meeting(people[0], people[1])
    client = signed_in(make_manager("medellin"))
    small = _queries(client, f"/events/{event.slug}/organize/")
    more = [register(event) for _ in range(8)]
    for a, b in zip(more[::2], more[1::2], strict=True):
        accepted_meeting(a, b)
    assert _queries(client, f"/events/{event.slug}/organize/") == small


# Pinned: session, user, viewer (memberships, hub roles, partnerships) and the page's own.
LIST_QUERIES = 7
DETAIL_QUERIES = 13  # with the joint hubs and the participants' linked opportunities


def test_suggestions_rank_participants_for_what_i_seek() -> None:
    event = make_event()
    mine = register(event, seek="pagos digitales para tenderos", offer="")
    payments = register(
        event,
        OrganizationFactory(
            name="Coral Pay",
            hub=hub("miami"),
            tagline="Pagos digitales para tenderos",
            description="Pagos digitales y billeteras para tenderos de barrio",
        ),
    )
    asked = register(
        event,
        OrganizationFactory(name="Pagos Ya", tagline="Pagos digitales para tenderos"),
    )
    pending_request(mine, asked)
    register(event, OrganizationFactory(name="Agro Drones", tagline="Drones para cultivos"))
    page = signed_in(mine.user).get(f"/events/{event.slug}/suggestions/")
    assert page.status_code == 200
    names = page.context["suggestions"]
    assert names, "the engine suggested nobody"
    assert names[0].participant == payments
    assert asked not in [s.participant for s in names]
    assert signed_in(UserFactory()).get(f"/events/{event.slug}/suggestions/").status_code == 302


def test_run_progress_fragment_polls_until_the_run_is_finished() -> None:
    from puente.events.models import RunStatus, ScheduleRun

    event = make_event()
    run = ScheduleRun.objects.create(
        event=event, status=RunStatus.RUNNING, progress=0.42, stage="target"
    )
    client = signed_in(make_manager("medellin"))
    fragment = client.get(
        f"/events/{event.slug}/runs/{run.pk}/", HTTP_HX_REQUEST="true", HTTP_ACCEPT_LANGUAGE="en"
    )
    body = fragment.content.decode()
    assert 'hx-trigger="every 1s"' in body
    assert "42%" in body
    assert '<span class="run-stage">proving the fewest breaks</span>' in body
    spanish = (
        signed_in(make_manager("medellin"))
        .get(
            f"/events/{event.slug}/runs/{run.pk}/",
            HTTP_HX_REQUEST="true",
            HTTP_ACCEPT_LANGUAGE="es",
        )
        .content.decode()
    )
    assert '<span class="run-stage">demostrando el mínimo de huecos</span>' in spanish
    assert "<html" not in body
    ScheduleRun.objects.filter(pk=run.pk).update(
        status=RunStatus.DONE, breaks_total=3, lower_bound=3
    )
    body = client.get(
        f"/events/{event.slug}/runs/{run.pk}/", HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "hx-trigger" not in body
    assert 'id="run-breaks">3<' in body


def test_the_edit_page_in_spanish_shows_dates_the_browser_can_read() -> None:
    """Date pickers read only ISO values: a Spanish ``10/03/2026`` would show as empty and
    the save would clear the closing times."""
    closes = dt.datetime(2026, 3, 5, 18, 30, tzinfo=dt.UTC)
    event = make_event(requests_close_at=closes)
    client = signed_in(make_manager("medellin"))
    body = client.get(f"/events/{event.slug}/edit/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert 'lang="es"' in body
    assert f'name="start_date" value="{EVENT_DAY.isoformat()}"' in body
    assert 'name="requests_close_at" value="2026-03-05T' in body


def test_a_joint_hubs_manager_edits_the_event_without_taking_it_over() -> None:
    event = make_event()
    event.other_hubs.set([hub("miami")])
    miami = make_manager("miami")
    client = signed_in(miami)
    page = client.get(f"/events/{event.slug}/edit/")
    assert page.status_code == 200
    form = page.context["form"]
    assert "medellin" in [choice for choice, _ in form.fields["hub"].choices]
    data = {
        **{k: v for k, v in form.initial.items() if v is not None},
        "title": "Rueda conjunta",
        "start_date": EVENT_DAY.isoformat(),
        "end_date": EVENT_DAY.isoformat(),
    }
    response = client.post(f"/events/{event.slug}/edit/", data)
    assert response.status_code == 302, page.context["form"].errors
    event.refresh_from_db()
    assert (event.title, event.hub.slug) == ("Rueda conjunta", "medellin")
    assert [h.slug for h in event.other_hubs.all()] == ["miami"]
    # Taking the event to their own hub is refused.
    response = client.post(f"/events/{event.slug}/edit/", {**data, "hub": "miami"})
    assert response.status_code == 403
    event.refresh_from_db()
    assert event.hub.slug == "medellin"
    assert [h.slug for h in event.other_hubs.all()] == ["miami"]


def test_organizer_edits_the_event_and_the_slots_follow() -> None:
    event = make_event()
    client = signed_in(make_manager("medellin"))
    page = client.get(f"/events/{event.slug}/edit/")
    assert page.status_code == 200
    data = {
        **{k: v for k, v in page.context["form"].initial.items() if v is not None},
        "slot_minutes": 30,
        "start_date": EVENT_DAY.isoformat(),
        "end_date": EVENT_DAY.isoformat(),
        "other_hubs": [],
    }
    response = client.post(f"/events/{event.slug}/edit/", data)
    assert response.status_code == 302, page.context["form"].errors
    assert event.slots.count() == 2  # 09:00 and 09:30 fit before 10:00


def test_saving_the_status_of_a_published_event_as_shown_keeps_it_published() -> None:
    """The status form of a published event used to preselect "Draft" (published was not
    among its choices), so "Save status" unpublished the agenda."""
    from django.utils import timezone

    from puente.core.models import AuditEntry

    event = make_event(status=EventStatus.PUBLISHED, published_at=timezone.now())
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(make_manager("medellin"))
    page = client.get(f"/events/{event.slug}/organize/").content.decode()
    assert '<option value="published" selected>Agenda published</option>' in page
    client.post(f"/events/{event.slug}/status/", {"status": "published"})
    event.refresh_from_db()
    assert event.status == EventStatus.PUBLISHED
    assert event.published_at is not None
    assert not AuditEntry.objects.filter(action="event.status").exists()  # nothing changed
    client.post(f"/events/{event.slug}/status/", {"status": "open"})
    event.refresh_from_db()
    assert (event.status, event.published_at) == (EventStatus.OPEN, None)
    page = client.get(f"/events/{event.slug}/organize/").content.decode()
    assert 'value="published"' not in page  # publishing is its own button
    client.post(f"/events/{event.slug}/status/", {"status": "published"})
    event.refresh_from_db()
    assert event.status == EventStatus.OPEN  # not a choice any more: refused
