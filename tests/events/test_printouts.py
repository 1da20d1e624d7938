"""Event-day printouts: name badges with the participant's check-in QR code, and one card
per table with its meetings."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from puente.core.qr import qr_svg
from puente.events import selectors
from puente.events.models import EventFormat, EventStatus, ParticipantStatus
from tests.events.helpers import COMING_DAY, accepted_meeting, make_event, register
from tests.factories import OrganizationFactory, UserFactory, make_manager, make_member

pytestmark = pytest.mark.django_db


def signed_in(user: Any, language: str = "en") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client


# --- who will attend -----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "people"),
    [
        ("", []),
        ("  ,; \n", []),
        ("Ana Gómez", [("Ana Gómez", "")]),
        (
            "Ana Gómez (CEO), Luis Ríos (sales)",
            [("Ana Gómez", "CEO"), ("Luis Ríos", "sales")],
        ),
        # Separators inside a role do not split it; spaces are tidied.
        (
            "Ana  Gómez (CEO, founder); Luis Ríos\nMarta Díaz ( CTO )",
            [("Ana Gómez", "CEO, founder"), ("Luis Ríos", ""), ("Marta Díaz", "CTO")],
        ),
        # The same person twice is one badge; an unclosed role is still a role.
        (
            "Ana Gómez, ana gómez (CEO), Luis Ríos (sales",
            [("Ana Gómez", ""), ("Luis Ríos", "sales")],
        ),
        # A stray closing parenthesis does not swallow the separators after it.
        ("Ana) Gómez, Luis", [("Ana) Gómez", ""), ("Luis", "")]),
    ],
)
def test_attendee_names_split_the_free_text(text: str, people: list[tuple[str, str]]) -> None:
    assert selectors.attendee_names(text) == people


# --- badges --------------------------------------------------------------------------------
def test_badges_one_per_person_in_alphabetical_order_with_the_participants_code() -> None:
    event = make_event()
    zeta = register(
        event,
        OrganizationFactory(name="Zeta Labs"),
        attendees="Ana Gómez (CEO), Luis Ríos (ventas)",
    )
    alfa = register(event, OrganizationFactory(name="alfa café"))  # nobody named
    alfa.user.full_name = "Carla Ruiz"
    alfa.user.save()
    withdrawn = register(event, attendees="Nadie Más", status=ParticipantStatus.CANCELLED)

    badges = selectors.badges_of(event)

    assert [(b.participant, b.name, b.role) for b in badges] == [
        (alfa, "Carla Ruiz", ""),
        (zeta, "Ana Gómez", "CEO"),
        (zeta, "Luis Ríos", "ventas"),
    ]
    assert all(b.participant != withdrawn for b in badges)
    assert [b.name for b in selectors.badges_of(event, zeta.pk)] == ["Ana Gómez", "Luis Ríos"]


def test_the_badge_page_prints_each_person_with_a_qr_code_that_checks_them_in() -> None:
    event = make_event(title="Rueda Medellín–Miami")
    zeta = register(event, OrganizationFactory(name="Zeta Labs"), attendees="Ana (CEO), Luis")
    register(event, OrganizationFactory(name="Beta"), attendees="Marta")
    manager = signed_in(make_manager("medellin"))

    page = manager.get(f"/events/{event.slug}/organize/badges/")

    assert page.status_code == 200
    html = page.content.decode()
    assert html.count('class="name-badge"') == 3
    assert html.count('<svg xmlns="http://www.w3.org/2000/svg" class="qr"') == 3
    assert re.findall(r'class="name-badge-name">([^<]+)<', html) == ["Marta", "Ana", "Luis"]
    for text in ("Zeta Labs", "CEO", "Rueda Medellín–Miami"):
        assert text in html
    # The code on both of Zeta's badges is the address an organizer's phone opens to
    # check them in.
    expected = qr_svg("http://testserver" + selectors.check_in_path(event, zeta), label="")
    [drawing] = re.findall(r' d="[^"]+"', expected)
    assert html.count(drawing) == 2
    code_page = manager.get(selectors.check_in_path(event, zeta))
    assert code_page.status_code == 200
    assert manager.post(selectors.check_in_path(event, zeta)).status_code == 302
    zeta.refresh_from_db()
    assert zeta.checked_in_at is not None


def test_one_participants_badges_again_and_bad_ids() -> None:
    event = make_event()
    zeta = register(event, attendees="Ana, Luis")
    register(event, attendees="Marta")
    withdrawn = register(event, status=ParticipantStatus.CANCELLED)
    other_event = register(make_event())
    manager = signed_in(make_manager("medellin"), "es")
    url = f"/events/{event.slug}/organize/badges/"

    page = manager.get(url, {"participant": zeta.pk})

    html = page.content.decode()
    assert html.count('class="name-badge"') == 2
    assert "Marta" not in html
    assert "Escarapelas de" in html  # the page speaks Spanish
    # "²" and "٣" pass str.isdigit: the first used to be a server error, the second read as 3.
    for bad in (withdrawn.pk, other_event.pk, "abc", "-1", "9" * 30, "", "²", "٣", f"{zeta.pk}²"):
        assert manager.get(url, {"participant": bad}).status_code == 404


def test_badges_with_nobody_registered_say_so() -> None:
    event = make_event()
    page = signed_in(make_manager("medellin")).get(f"/events/{event.slug}/organize/badges/")
    assert page.status_code == 200
    assert "No participants have registered yet." in page.content.decode()


def test_only_organizers_print_badges_and_table_cards() -> None:
    event = make_event()
    participant = register(event, attendees="Ana")
    for name in ("badges", "tables"):
        url = f"/events/{event.slug}/organize/{name}/"
        assert Client().get(url).status_code == 302  # sign in first
        assert signed_in(participant.user).get(url).status_code == 403
        assert signed_in(make_manager("miami")).get(url).status_code == 403
        assert signed_in(make_member(OrganizationFactory())).get(url).status_code == 403
        assert signed_in(UserFactory()).get(url).status_code == 403
    draft = make_event(status=EventStatus.DRAFT)
    assert (
        signed_in(make_manager("miami")).get(f"/events/{draft.slug}/organize/badges/").status_code
        == 404
    )


def test_badge_page_queries_do_not_grow_with_participants(
    django_assert_max_num_queries: Any,
) -> None:
    event = make_event()
    for index in range(12):
        register(event, attendees=f"Persona {index}, Otra {index}")
    manager = signed_in(make_manager("medellin"))
    with django_assert_max_num_queries(12):
        page = manager.get(f"/events/{event.slug}/organize/badges/")
    assert page.content.decode().count('class="name-badge"') == 24


# --- table cards ---------------------------------------------------------------------------
def test_table_cards_list_each_tables_meetings_in_time_order() -> None:
    event = make_event(status=EventStatus.PUBLISHED, published_at=timezone.now(), day=COMING_DAY)
    a, b, c, d = (
        register(event, OrganizationFactory(name=name))
        for name in ("Alfa", "Beta", "Gama", "Delta")
    )
    first, _second, third = event.slots.order_by("starts_at")[:3]
    accepted_meeting(a, b, slot=third, table=2)
    accepted_meeting(c, d, slot=first, table=2)
    accepted_meeting(a, c, slot=first, table=1)
    accepted_meeting(b, d)  # not placed: on no card

    cards = selectors.table_cards(event)

    assert [card.table for card in cards] == [1, 2]
    assert [(m.first.display_name, m.slot_id) for m in cards[1].meetings] == [
        ("Gama", first.pk),
        ("Alfa", third.pk),
    ]
    page = signed_in(make_manager("medellin")).get(f"/events/{event.slug}/organize/tables/")
    html = page.content.decode()
    assert html.count('class="card table-card"') == 2
    for text in ("Table 1", "Table 2", "Gama", "Delta"):
        assert text in html
    assert "09:00" in html  # slot times in the event's zone


def test_table_cards_before_any_schedule_and_the_organizers_links() -> None:
    event = make_event()
    a, b = register(event), register(event)
    meeting = accepted_meeting(a, b)
    manager = signed_in(make_manager("medellin"))
    page = manager.get(f"/events/{event.slug}/organize/tables/")
    assert "No meeting has a table yet" in page.content.decode()
    organize = manager.get(f"/events/{event.slug}/organize/").content.decode()
    assert f"/events/{event.slug}/organize/badges/" in organize
    assert f"/events/{event.slug}/organize/badges/?participant={a.pk}" in organize
    assert "/organize/tables/" not in organize  # nothing placed yet
    meeting.slot, meeting.table = event.slots.first(), 1
    meeting.save()
    assert "/organize/tables/" in manager.get(f"/events/{event.slug}/organize/").content.decode()
    event.format = EventFormat.VIRTUAL
    event.save()
    assert (
        "/organize/tables/" not in manager.get(f"/events/{event.slug}/organize/").content.decode()
    )


# --- the participants' spreadsheet ---------------------------------------------------------
def test_organizers_download_the_participants_as_a_spreadsheet() -> None:
    import csv
    import io

    event = make_event(status=EventStatus.PUBLISHED, published_at=timezone.now())
    zeta = register(
        event,
        OrganizationFactory(name="Zeta Labs"),
        attendees="=HYPERLINK(1)",
        standby=True,
        checked_in_at=timezone.now(),
    )
    alfa = register(event, OrganizationFactory(name="alfa café"))
    beta = register(event, OrganizationFactory(name="Beta"), status=ParticipantStatus.CANCELLED)
    accepted_meeting(zeta, alfa, slot=event.slots.first(), table=1)
    accepted_meeting(alfa, zeta)  # not placed
    accepted_meeting(zeta, beta)  # not placed either
    manager = signed_in(make_manager("medellin"))

    response = manager.get(f"/events/{event.slug}/organize/participants.csv")

    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        f'attachment; filename="{event.slug}-participants.csv"'
    )
    header, *rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert header[:4] == ["Participant", "Type", "Hub", "Status"]
    by_name = {row[0]: dict(zip(header, row, strict=True)) for row in rows}
    assert list(by_name) == ["alfa café", "Beta", "Zeta Labs"]
    assert by_name["Zeta Labs"]["Attendees"] == "'=HYPERLINK(1)"  # never runs as a formula
    assert by_name["Zeta Labs"]["On standby"] == "yes"
    assert by_name["Zeta Labs"]["Requests sent"] == "2"
    assert by_name["Zeta Labs"]["Requests received"] == "1"
    assert by_name["Zeta Labs"]["Meetings placed"] == "1"
    assert by_name["Zeta Labs"]["Checked in"] != ""
    assert by_name["alfa café"]["Meetings placed"] == "1"
    assert by_name["alfa café"]["Checked in"] == ""
    assert by_name["Beta"]["Status"] == "Cancelled"
    assert by_name["Beta"]["Meetings placed"] == "0"
    organize = manager.get(f"/events/{event.slug}/organize/").content.decode()
    assert f"/events/{event.slug}/organize/participants.csv" in organize
    assert (
        signed_in(zeta.user).get(f"/events/{event.slug}/organize/participants.csv").status_code
        == 403
    )


# --- every agenda ----------------------------------------------------------------------------
def test_every_agenda_one_participant_to_a_page_with_the_code_and_meetings(
    django_assert_max_num_queries: Any,
) -> None:
    event = make_event(status=EventStatus.PUBLISHED, published_at=timezone.now())
    zeta = register(event, OrganizationFactory(name="Zeta"), attendees="Ana")
    alfa = register(event, OrganizationFactory(name="Alfa"))
    beta = register(event, OrganizationFactory(name="Beta"))
    lonely = register(event, OrganizationFactory(name="Omega"))
    first, second = event.slots.order_by("starts_at")[:2]
    accepted_meeting(zeta, alfa, slot=second, table=2)
    accepted_meeting(beta, zeta, slot=first, table=1)
    accepted_meeting(alfa, beta)  # not placed: on nobody's page

    agendas = selectors.all_agendas(event)

    assert [p.display_name for p, _meetings in agendas] == ["Alfa", "Beta", "Omega", "Zeta"]
    by_name = {p.display_name: meetings for p, meetings in agendas}
    assert [(m.slot_id, other.display_name) for m, other in by_name["Zeta"]] == [
        (first.pk, "Beta"),
        (second.pk, "Alfa"),
    ]
    assert by_name["Omega"] == []
    manager = signed_in(make_manager("medellin"))
    url = f"/events/{event.slug}/organize/agendas/"
    assert url in manager.get(f"/events/{event.slug}/organize/").content.decode()
    with django_assert_max_num_queries(12):
        html = manager.get(url).content.decode()
    pages = html.split('class="card printed-agenda"')[1:]
    assert len(pages) == 4
    assert html.count('class="qr"') == 4
    zeta_page = pages[3]
    assert "Attending: Ana" in zeta_page
    assert zeta_page.index("Beta") < zeta_page.index("Alfa")  # time order
    assert "No meetings on this agenda." in pages[2]
    assert signed_in(lonely.user).get(url).status_code == 403


def test_the_check_in_desk_and_the_badges_list_participants_as_people_read_names() -> None:
    event = make_event()
    for name in ("zeta Foods", "Álamo Verde", "Beta", "Ébano", "alfa"):
        register(event, OrganizationFactory(name=name))
    manager = signed_in(make_manager("medellin"))
    expected = ["Álamo Verde", "alfa", "Beta", "Ébano", "zeta Foods"]

    html = manager.get(f"/events/{event.slug}/organize/").content.decode()
    rows = re.findall(r'<tr data-participant="\d+">\s*<td>([^<]+)<', html)

    assert rows == expected
    assert [badge.participant.display_name for badge in selectors.badges_of(event)] == expected
