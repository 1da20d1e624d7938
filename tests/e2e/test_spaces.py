"""Spaces in a real browser: a Miami member books a Medellín lab for next week, sees the time in
both zones, waits for approval, a Medellín manager approves, the member downloads the calendar
file; a founder books mentor office hours."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

from playwright.sync_api import expect

from puente.spaces.models import Booking, BookingStatus, MentorSession, SpaceKind
from tests.e2e.test_directory import sign_in
from tests.factories import UserFactory, hub, make_manager
from tests.spaces.helpers import make_mentor, make_office_hours, make_space, next_weekday


def test_miami_member_books_a_medellin_lab_manager_approves_member_downloads_the_calendar(
    new_page: Any, tmp_path: Path
) -> None:
    lab = make_space(
        "medellin",
        kind=SpaceKind.LAB,
        requires_induction=True,
        equipment="Impresora 3D, osciloscopio",
    )
    lab.name_en, lab.name_es = "Prototyping lab", "Laboratorio de prototipado"
    lab.save()
    UserFactory(
        email="kevin@scaleup.example",
        full_name="Kevin Álvarez",
        home_hub=hub("miami"),
        time_zone="America/New_York",
        language="en",
    )
    make_manager(
        "medellin", email="julian@rutan.example", full_name="Julián Betancur", language="es"
    )
    day = next_weekday(1)  # Tuesday next week

    member = new_page("en", "America/New_York")
    sign_in(member, "kevin@scaleup.example")
    member.goto("/spaces/?hub=medellin")
    member.get_by_role("link", name="Prototyping lab").click()
    expect(member.get_by_role("heading", name="Prototyping lab")).to_be_visible()
    expect(member.locator("main")).to_contain_text("Local time: America/Bogota")
    member.get_by_label(re.compile("^Day")).fill(day.isoformat())
    member.get_by_label(re.compile("^From")).fill("10:00")
    member.get_by_label(re.compile("^Until")).fill("12:00")
    member.get_by_label(re.compile("^Purpose")).fill("Prototype test")
    member.get_by_role("button", name="Book", exact=True).click()

    expect(member.locator(".messages")).to_contain_text("Booking requested: it is tentative")
    row = member.locator("#my-bookings tbody tr", has_text="Prototyping lab")
    expect(row.locator(".booking-status")).to_have_text("Tentative")
    # Both zones: the member's (New York) and the lab's (Bogotá).
    expect(row).to_contain_text("America/New_York")
    expect(row).to_contain_text("America/Bogota")
    booking = Booking.objects.get()
    assert booking.status == BookingStatus.TENTATIVE
    assert booking.starts_at.astimezone(lab.zone).time() == dt.time(10)

    manager = new_page("es", "America/Bogota")
    sign_in(manager, "julian@rutan.example", button="Iniciar sesión")
    manager.goto("/spaces/approvals/")
    card = manager.locator(f"#approval-{booking.pk}")
    expect(card).to_contain_text("Kevin Álvarez")
    expect(card).to_contain_text("inducción de seguridad")
    card.get_by_label("Nota para el miembro").fill("Trae zapatos cerrados")
    card.get_by_role("button", name="Aprobar").click()
    expect(manager.locator(".messages")).to_contain_text("Reserva aprobada.")
    expect(manager.locator(f"#approval-{booking.pk}")).to_have_count(0)

    member.reload()
    expect(row.locator(".booking-status")).to_have_text("Confirmed")
    with member.expect_download() as download_info:
        row.get_by_role("link", name="Download calendar file").click()
    target = tmp_path / "booking.ics"
    download_info.value.save_as(target)
    content = target.read_text()
    assert "BEGIN:VEVENT" in content
    assert "STATUS:CONFIRMED" in content
    assert re.search(rf"DTSTART;TZID=America/Bogota:{day:%Y%m%d}T100000", content)


def test_a_founder_books_mentor_office_hours(new_page: Any) -> None:
    mentor = make_mentor(full_name="Lucía Henao", language="es")
    make_office_hours(mentor, weekday="TU", location="Ruta N, piso 3", first_day=dt.date.today())
    UserFactory(email="camila@startup.example", full_name="Camila Restrepo", language="es")

    founder = new_page("es", "America/Bogota")
    sign_in(founder, "camila@startup.example", button="Iniciar sesión")
    founder.goto("/spaces/office-hours/")
    offer = founder.locator("section", has_text="Lucía Henao")
    expect(offer).to_contain_text("Ruta N, piso 3")
    offer.get_by_label("¿De qué te gustaría hablar?").fill("Cómo levantar capital en Miami")
    offer.get_by_role("button", name="Reservar mentoría").click()
    expect(founder.locator(".messages")).to_contain_text("Mentoría reservada")
    expect(founder.locator("main")).to_contain_text("Cómo levantar capital en Miami")
    session = MentorSession.objects.get()
    assert session.founder.email == "camila@startup.example"
    assert session.starts_at.astimezone(mentor.office_hours.get().hub.zone).weekday() == 1
