"""A brokerage event in a real browser: an organizer creates it, participants request and
accept a meeting, the organizer runs the scheduler and publishes, and a participant in Miami
reads the agenda in both time zones and downloads the .ics (parsed with icalendar)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import re
import zoneinfo
from pathlib import Path
from typing import Any

import pytest
from icalendar import Calendar
from playwright.sync_api import expect
from pypdf import PdfReader

from puente.directory.models import MembershipRole
from puente.events import services_schedule
from puente.events.models import Event, Meeting
from tests.events.helpers import (
    COMING_DAY,
    accepted_meeting,
    event_under_way,
    make_event,
    register,
)
from tests.factories import OrganizationFactory, hub, make_manager, make_member, term

PASSWORD = "correct horse battery staple"
DAY = "2027-04-06"  # Miami on daylight saving time (UTC-4), Medellín on UTC-5


def sign_in(page: Any, email: str) -> None:
    page.goto("/accounts/sign-in/")
    page.get_by_label(re.compile("^(Email address|Correo electrónico)")).fill(email)
    page.get_by_label(re.compile("^(Password|Contraseña)")).fill(PASSWORD)
    page.locator("form.card").get_by_role(
        "button", name=re.compile("^(Sign in|Ingresar|Entrar|Iniciar sesión)")
    ).click()
    page.wait_for_load_state()


def test_organizer_schedules_and_a_participant_reads_the_agenda_in_both_zones(
    new_page: Any,
) -> None:
    manager = make_manager("medellin", language="en")
    cafe = OrganizationFactory(name="Cafetal Digital")
    coral = OrganizationFactory(name="Coral Pay", hub=hub("miami"), description_language="en")
    camila = make_member(cafe, role=MembershipRole.ADMIN, full_name="Camila Restrepo")
    kevin = make_member(
        coral,
        role=MembershipRole.ADMIN,
        full_name="Kevin Álvarez",
        language="en",
        time_zone="America/New_York",
        home_hub=hub("miami"),
    )

    # The organizer creates the event, adds a session and opens registration (in English).
    page = new_page("en")
    sign_in(page, manager.email)
    page.goto("/events/")
    page.get_by_role("link", name="New event").click()
    page.get_by_label("Title").fill("Rueda Medellín Miami")
    page.get_by_label("First day").fill(DAY)
    page.get_by_label("Last day").fill(DAY)
    page.get_by_label("Tables (or video rooms) per slot").fill("4")
    page.get_by_role("button", name="Create event").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Organize Rueda Medellín Miami")
    page.get_by_label("Name", exact=True).fill("Morning")
    page.get_by_label("Day", exact=True).fill(DAY)
    page.get_by_label("Starts", exact=True).fill("09:00")
    page.get_by_label("Ends", exact=True).fill("10:30")
    page.get_by_role("button", name="Add session").click()
    expect(page.locator("#slot-count")).to_contain_text("3 slots")
    page.locator("#id_status").select_option("open")
    page.get_by_role("button", name="Save status").click()
    event = Event.objects.get(title="Rueda Medellín Miami")
    assert event.status == "open"

    # Camila registers her startup and asks Coral Pay for a meeting (in Spanish).
    camila_page = new_page("es")
    sign_in(camila_page, camila.email)
    camila_page.goto(f"/events/{event.slug}/register/")
    camila_page.get_by_label("Qué ofreces").fill("Trazabilidad del café")
    camila_page.get_by_role("button", name="Inscribirme").click()
    kevin_page = new_page("en", time_zone="America/New_York")
    sign_in(kevin_page, kevin.email)
    kevin_page.goto(f"/events/{event.slug}/register/")
    kevin_page.get_by_label("What you offer").fill("Payments for the Americas")
    kevin_page.get_by_role("button", name="Register").click()

    camila_page.goto(f"/events/{event.slug}/")
    camila_page.get_by_role("link", name="Solicitar una reunión — Coral Pay").click()
    camila_page.get_by_label("Mensaje").fill("¿Hablamos de pagos para cafeteros?")
    camila_page.get_by_role("button", name="Enviar solicitud").click()
    expect(camila_page.locator("#sent")).to_contain_text("Coral Pay")

    kevin_page.goto(f"/events/{event.slug}/requests/")
    expect(kevin_page.locator("#received")).to_contain_text("¿Hablamos de pagos para cafeteros?")
    kevin_page.get_by_role("button", name="Accept — Cafetal Digital").click()
    expect(kevin_page.locator("#received")).to_contain_text("Accepted")

    # The organizer runs the scheduler (a background job, inline here) and publishes.
    page.goto(f"/events/{event.slug}/organize/")
    page.get_by_label("Time limit (seconds)").fill("5")
    page.get_by_role("button", name="Run the scheduler").click()
    expect(page.locator("#run-status")).to_have_attribute("data-status", "done")
    expect(page.locator("#run-optimality")).to_contain_text("Optimal (proven)")
    expect(page.locator("#stat-placed")).to_contain_text("1 / 1")
    page.get_by_role("button", name="Publish the agenda").click()
    expect(page.locator(".messages")).to_contain_text("The agenda is published")

    # Kevin, in Miami, reads his agenda in his zone and the event's, and downloads the .ics.
    meeting = Meeting.objects.select_related("slot").get(event=event)
    assert meeting.slot is not None
    kevin_page.goto(f"/events/{event.slug}/agenda/")
    agenda = kevin_page.locator("#agenda")
    expect(agenda).to_contain_text("Cafetal Digital")
    expect(agenda.locator("thead")).to_contain_text("America/New_York")
    expect(agenda.locator("thead")).to_contain_text("America/Bogota")
    miami = meeting.slot.starts_at.astimezone(zoneinfo.ZoneInfo("America/New_York"))
    medellin = meeting.slot.starts_at.astimezone(zoneinfo.ZoneInfo("America/Bogota"))
    expect(agenda.locator(".mine-time")).to_contain_text(miami.strftime("%H:%M"))
    expect(agenda.locator(".event-time")).to_contain_text(medellin.strftime("%H:%M"))
    assert miami.hour == medellin.hour + 1
    with kevin_page.expect_download() as download_info:
        kevin_page.get_by_role("link", name="Add to my calendar (.ics)").click()
    body = Path(download_info.value.path()).read_bytes()

    calendar = Calendar.from_ical(body)
    assert Calendar.from_ical(calendar.to_ical()).to_ical() == calendar.to_ical()
    (entry,) = calendar.walk("VEVENT")
    assert [str(zone["TZID"]) for zone in calendar.walk("VTIMEZONE")] == ["America/Bogota"]
    assert entry.decoded("DTSTART") == meeting.slot.starts_at
    assert entry.decoded("DTSTART").astimezone(dt.UTC) == meeting.slot.starts_at
    assert "Cafetal Digital" in str(entry["SUMMARY"])
    assert str(entry["UID"]) == f"meeting-{meeting.uid}@puente"


def test_organizer_sees_table_advice_and_applies_it_in_one_click(
    new_page: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # One table per slot for a busy event: the run (reported as cut short, as on a big
    # event) leaves breaks, and the check finds that a second table removes them.
    real = services_schedule.solve
    monkeypatch.setattr(
        services_schedule,
        "solve",
        lambda *args, **kwargs: dataclasses.replace(real(*args, **kwargs), status="feasible"),
    )
    manager = make_manager("medellin", language="en")
    event = make_event(
        tables=1,
        organizer=manager,
        sessions=[
            ("Morning", dt.time(9, 0), dt.time(10, 0)),
            ("Afternoon", dt.time(14, 0), dt.time(15, 0)),
        ],
    )
    people = [register(event) for _ in range(5)]
    for a, b in [(0, 1), (0, 2), (1, 2), (2, 3), (3, 4), (0, 4)]:
        accepted_meeting(people[a], people[b])
    page = new_page("en")
    sign_in(page, manager.email)
    page.goto(f"/events/{event.slug}/organize/")
    page.get_by_label("Time limit (seconds)").fill("5")
    expect(page.get_by_label(re.compile("check whether more tables would help"))).to_be_checked()
    page.get_by_role("button", name="Run the scheduler").click()
    advice = page.locator("#run-advice")
    expect(advice).to_contain_text("Would more tables help?")
    expect(advice).to_contain_text("With 1 more table per slot (2 in all)")
    expect(page.locator("#run-advice-options tr.highlight")).to_contain_text("2")
    page.get_by_role("button", name="Use 2 tables per slot and run again").click()
    expect(page.locator(".messages")).to_contain_text("The scheduler is running")
    event.refresh_from_db()
    assert event.tables == 2


def test_a_participant_subscribes_to_the_agenda_and_checks_in_by_code(new_page: Any) -> None:
    """A subscribed calendar follows a move without signing in; at the desk the organizer
    types the code shown under the participant's QR code, and they are checked in."""
    manager = make_manager("medellin", language="en")
    event = make_event(
        status="published", published_at=dt.datetime.now(dt.UTC), tables=2, day=COMING_DAY
    )
    coral = OrganizationFactory(name="Coral Pay", hub=hub("miami"))
    kevin = make_member(coral, role=MembershipRole.ADMIN, language="en")
    mine = register(event, coral, user=kevin)
    theirs = register(event, OrganizationFactory(name="Cafetal Digital"))
    meeting = accepted_meeting(mine, theirs)
    slots = list(event.slots.order_by("starts_at"))
    meeting.slot, meeting.table = slots[0], 1
    meeting.save()

    kevin_page = new_page("en")
    sign_in(kevin_page, kevin.email)
    kevin_page.goto(f"/events/{event.slug}/agenda/")
    kevin_page.get_by_role("button", name="Get a subscription address").click()
    address = kevin_page.locator("#feed-url").input_value()
    assert address.startswith("http")
    assert address.endswith(".ics")
    subscribe = kevin_page.get_by_role("link", name="Subscribe", exact=True)
    assert subscribe.get_attribute("href") == "webcal://" + address.split("://", 1)[1]
    code = kevin_page.locator("#check-in-code code").inner_text()
    expect(kevin_page.locator("#check-in-code svg.qr")).to_be_visible()

    calendar_app = new_page("en")  # no session: the address is the permission
    first = Calendar.from_ical(calendar_app.request.get(address).body())
    (entry,) = first.walk("VEVENT")
    assert entry.decoded("DTSTART") == slots[0].starts_at

    organizer = new_page("en")
    sign_in(organizer, manager.email)
    services_schedule.meeting_move(meeting=meeting, actor=manager, slot=slots[2], table=2)
    moved = Calendar.from_ical(calendar_app.request.get(address).body())
    (entry_after,) = moved.walk("VEVENT")
    assert str(entry_after["UID"]) == str(entry["UID"])
    assert entry_after.decoded("DTSTART") == slots[2].starts_at
    assert int(entry_after["SEQUENCE"]) > int(entry["SEQUENCE"])

    organizer.goto(f"/events/{event.slug}/organize/")
    organizer.get_by_label("Scan or type a check-in code").fill(code)
    organizer.get_by_label("Scan or type a check-in code").press("Enter")
    expect(organizer.locator(".messages")).to_contain_text("Coral Pay checked in")
    row = organizer.locator(f'#event-day tr[data-participant="{mine.pk}"]')
    expect(row).to_contain_text("Checked in")


def test_after_the_event_a_participant_says_how_a_meeting_went(new_page: Any) -> None:
    """On the agenda of a past event, "Say how it went" opens the form; the organizer's page
    then counts the answer, and the note is there."""
    manager = make_manager("medellin", language="en")
    event = make_event(status="published", published_at=dt.datetime.now(dt.UTC))  # March 2026
    coral = OrganizationFactory(name="Coral Pay", hub=hub("miami"))
    kevin = make_member(coral, role=MembershipRole.ADMIN, language="en")
    mine = register(event, coral, user=kevin)
    meeting = accepted_meeting(mine, register(event, OrganizationFactory(name="Cafetal Digital")))
    meeting.slot, meeting.table = event.slots.order_by("starts_at").first(), 1
    meeting.save()

    kevin_page = new_page("en")
    sign_in(kevin_page, kevin.email)
    kevin_page.goto(f"/events/{event.slug}/agenda/")
    kevin_page.get_by_role("link", name="Say how it went — Cafetal Digital").click()
    kevin_page.get_by_label("Yes").check()
    kevin_page.get_by_label("4", exact=True).check()
    kevin_page.get_by_label("We are negotiating a deal").check()
    kevin_page.get_by_label("Note for the organizers").fill("Pilot in the coffee region")
    kevin_page.get_by_role("button", name="Send").click()
    expect(kevin_page.locator(".messages")).to_contain_text("the organizers have your feedback")
    expect(kevin_page.locator("#agenda")).to_contain_text("4/5")

    organizer = new_page("en")
    sign_in(organizer, manager.email)
    organizer.goto(f"/events/{event.slug}/organize/")
    expect(organizer.locator("#feedback-answers")).to_have_text("1")
    expect(organizer.locator("#feedback-rating")).to_have_text("4.0")
    expect(organizer.locator("#feedback")).to_contain_text("Pilot in the coffee region")


def test_the_organizer_prints_name_badges_and_table_cards(new_page: Any) -> None:
    """Badges come eight to an A4 page (and to a US Letter page), each with the
    participant's QR code; table cards come one table to a page."""
    manager = make_manager("medellin", language="en")
    event = make_event(tables=3, day=COMING_DAY)
    people = ["Ana Gómez (CEO)", "Luis Ríos (ventas)", "Marta Díaz"]
    participants = [
        register(event, OrganizationFactory(name=f"Empresa {index}"), attendees=", ".join(people))
        for index in range(3)
    ]
    slots = list(event.slots.order_by("starts_at"))
    for table, (first, second) in enumerate(
        [(participants[0], participants[1]), (participants[2], participants[0])], start=1
    ):
        accepted_meeting(first, second, slot=slots[table], table=table)

    page = new_page("en")
    sign_in(page, manager.email)
    page.goto(f"/events/{event.slug}/organize/")
    page.get_by_role("link", name="Print name badges").click()
    expect(page.locator(".name-badge")).to_have_count(9)
    expect(page.locator(".name-badge svg.qr")).to_have_count(9)
    expect(page.locator(".name-badge").first).to_contain_text("Ana Gómez")
    for paper in ("A4", "Letter"):
        pages = PdfReader(io.BytesIO(page.pdf(format=paper))).pages
        assert [p.extract_text().count("Empresa") for p in pages] == [8, 1], paper

    page.goto(f"/events/{event.slug}/organize/")
    page.get_by_role("link", name="Print every agenda").click()
    expect(page.locator(".printed-agenda")).to_have_count(3)
    pages = PdfReader(io.BytesIO(page.pdf(format="A4"))).pages
    assert [re.findall(r"Empresa \d", p.extract_text())[0] for p in pages] == [
        "Empresa 0",
        "Empresa 1",
        "Empresa 2",
    ]  # one participant to a page, each page headed by its participant

    page.goto(f"/events/{event.slug}/organize/")
    page.get_by_role("link", name="Print table cards").click()
    expect(page.locator(".table-card")).to_have_count(2)
    pages = PdfReader(io.BytesIO(page.pdf(format="A4"))).pages
    assert [re.findall(r"Table \d", p.extract_text()) for p in pages] == [["Table 1"], ["Table 2"]]


def test_on_the_event_day_the_organizer_writes_to_latecomers_and_marks_one_absent(
    new_page: Any,
) -> None:
    """The organizer's page shows the slot in progress with the meeting waiting for a
    latecomer; the organizer writes to everyone not checked in, the latecomer reads it
    and sees the meeting in progress at the top of their agenda; then the organizer marks
    another latecomer absent from the slot's panel."""
    manager = make_manager("medellin", language="en")
    event = event_under_way(tables=2)
    coral = OrganizationFactory(name="Coral Pay", hub=hub("miami"))
    kevin = make_member(coral, role=MembershipRole.ADMIN, language="en")
    late = register(event, coral, user=kevin)
    here = register(event, OrganizationFactory(name="Cafetal Digital"))
    here.checked_in_at = dt.datetime.now(dt.UTC)
    here.save()
    gone = register(event, OrganizationFactory(name="Nube Andina"))
    now = dt.datetime.now(dt.UTC)
    slots = list(event.slots.order_by("starts_at"))
    current = next(s for s in slots if s.starts_at <= now < s.ends_at)
    accepted_meeting(here, late, slot=current, table=1)
    accepted_meeting(gone, here, slot=slots[slots.index(current) + 1], table=2)

    organizer = new_page("en")
    sign_in(organizer, manager.email)
    organizer.goto(f"/events/{event.slug}/organize/")
    expect(organizer.locator("#slot-now")).to_contain_text("Not checked in: Coral Pay")
    expect(organizer.locator("#slot-next")).to_contain_text("Not checked in: Nube Andina")
    organizer.get_by_role("link", name="Write to the participants").click()
    organizer.get_by_label("To").select_option("not_checked_in")
    organizer.get_by_label("Message").fill("Your first meeting has started: come to table 1.")
    organizer.get_by_role("button", name="Send").click()
    expect(organizer.locator(".messages")).to_contain_text("Message sent to")
    expect(organizer.locator("#sent")).to_contain_text("come to table 1")

    kevin_page = new_page("en")
    sign_in(kevin_page, kevin.email)
    kevin_page.goto("/notifications/")
    expect(kevin_page.locator("main")).to_contain_text("Your first meeting has started")
    kevin_page.goto(f"/events/{event.slug}/agenda/")
    expect(kevin_page.locator("#next-meeting")).to_contain_text("Now")
    expect(kevin_page.locator("#next-meeting")).to_contain_text("With Cafetal Digital")

    organizer.goto(f"/events/{event.slug}/organize/")
    # The desk finds someone without a code by typing part of the name, accents aside.
    organizer.get_by_label("Find a participant").fill("cafetal")
    rows = organizer.locator("#event-day tbody tr")
    expect(rows.filter(has_text="Cafetal Digital")).to_be_visible()
    expect(rows.filter(has_text="Coral Pay")).to_be_hidden()
    expect(organizer.locator("#day-filter-count")).to_have_text("1 of 3")
    organizer.get_by_label("Find a participant").fill("núbe")
    expect(rows.filter(has_text="Nube Andina")).to_be_visible()
    organizer.get_by_label("Find a participant").fill("")
    expect(rows.filter(has_text="Coral Pay")).to_be_visible()
    organizer.locator("#slot-next").get_by_role("button", name="Mark no-show — Nube Andina").click()
    expect(organizer.locator(".messages")).to_be_visible()
    expect(organizer.locator("#slot-next")).not_to_contain_text("Nube Andina")


def test_the_organizer_page_and_a_profile_fit_a_phone_without_sideways_scrolling(
    browser: Any, live_server: Any, reference_data: None
) -> None:
    """At 390 px the wide tables scroll inside their own frame; nothing else may widen the
    page (the visually hidden labels of the check-in table once did, and a long type badge
    on a university's profile)."""
    event = make_event(
        status="published", tables=4, sessions=[("Mañana", dt.time(9, 0), dt.time(11, 0))]
    )
    people = [register(event) for _ in range(4)]
    slots = list(event.slots.order_by("starts_at"))
    for index, (a, b) in enumerate([(0, 1), (0, 2), (2, 3)]):
        meeting = accepted_meeting(people[a], people[b])
        meeting.slot, meeting.table = slots[index], index + 1
        meeting.save()
    university = OrganizationFactory(
        name="Universidad de Antioquia", type=term("organization_type", "university")
    )
    manager = make_manager("medellin")
    context = browser.new_context(
        locale="es", viewport={"width": 390, "height": 844}, base_url=live_server.url
    )
    try:
        page = context.new_page()
        sign_in(page, manager.email)
        for path in (
            f"/events/{event.slug}/organize/",
            f"/events/{event.slug}/organize/agendas/",
            f"/directory/organizations/{university.slug}/",
        ):
            page.goto(path)
            expect(page.locator("h1")).to_be_visible()
            assert page.evaluate("document.documentElement.scrollWidth") <= 390, path
    finally:
        context.close()
