"""Demo step: spaces of both hubs with hours, holidays and a closure; bookings (one waiting for
approval), community events with registrations, and the demo mentor's office hours."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from puente.accounts.models import User
from puente.core.errors import ValidationFailed
from puente.demo.seed import SeedContext, seed_step
from puente.impact.services import activity_refresh
from puente.spaces import services, services_community
from puente.spaces.models import (
    Booking,
    Closure,
    CommunityEvent,
    EventFormat,
    EventKind,
    HubCalendar,
    OpeningHours,
    Space,
    SpaceKind,
)

# Which public holidays close each demo hub's spaces (the holidays package's codes).
HOLIDAY_CALENDARS = {"medellin": ("CO", ""), "miami": ("US", "FL")}

# (hub, slug, kind, name_en, name_es, capacity, units, approval, induction, price/hour, equipment)
SPACES = [
    (
        "medellin",
        "medellin-coworking",
        SpaceKind.DESK,
        "Coworking desks",
        "Puestos de coworking",
        24,
        24,
        False,
        False,
        "0",
        "",
    ),
    (
        "medellin",
        "medellin-sala-cafe",
        SpaceKind.MEETING_ROOM,
        "Café meeting room",
        "Sala de reuniones Café",
        8,
        1,
        False,
        False,
        "60000",
        "Pantalla 65”, videoconferencia",
    ),
    (
        "medellin",
        "medellin-lab-prototipado",
        SpaceKind.LAB,
        "Prototyping lab",
        "Laboratorio de prototipado",
        6,
        1,
        True,
        True,
        "120000",
        "Impresoras 3D, cortadora láser, osciloscopios",
    ),
    (
        "medellin",
        "medellin-auditorio",
        SpaceKind.EVENT_HALL,
        "Innovation auditorium",
        "Auditorio de innovación",
        180,
        1,
        True,
        False,
        "900000",
        "Sonido, proyector, transmisión en vivo",
    ),
    (
        "miami",
        "miami-hot-desks",
        SpaceKind.DESK,
        "Hot desks",
        "Puestos flexibles",
        16,
        16,
        False,
        False,
        "15",
        "",
    ),
    (
        "miami",
        "miami-bay-room",
        SpaceKind.MEETING_ROOM,
        "Bay meeting room",
        "Sala de reuniones Bahía",
        10,
        1,
        False,
        False,
        "45",
        "85” display, video conferencing",
    ),
    (
        "miami",
        "miami-office-4b",
        SpaceKind.OFFICE,
        "Private office 4B",
        "Oficina privada 4B",
        4,
        1,
        True,
        False,
        "35",
        "Lockable, 4 desks",
    ),
    (
        "miami",
        "miami-wet-lab",
        SpaceKind.LAB,
        "Life-science wet lab",
        "Laboratorio húmedo de ciencias de la vida",
        8,
        1,
        True,
        True,
        "80",
        "Fume hood, centrifuges, -80 °C freezer",
    ),
]

EVENTS = [
    (
        "medellin",
        (),
        "demo-fintech-meetup",
        EventKind.MEETUP,
        "Fintech meetup: payments across the Americas",
        "Encuentro fintech: pagos en las Américas",
        EventFormat.IN_PERSON,
        5,
        18,
        60,
    ),
    (
        "miami",
        ("medellin",),
        "demo-bridge-demo-day",
        EventKind.DEMO_DAY,
        "Bridge Demo Day: Medellín startups in Miami",
        "Demo Day Puente: startups de Medellín en Miami",
        EventFormat.HYBRID,
        12,
        16,
        120,
    ),
    (
        "medellin",
        (),
        "demo-taller-levantamiento",
        EventKind.WORKSHOP,
        "Workshop: raising a seed round in the US",
        "Taller: levantar una ronda semilla en EE. UU.",
        EventFormat.ONLINE,
        9,
        17,
        40,
    ),
    (
        "miami",
        (),
        "demo-ai-talk",
        EventKind.TALK,
        "Talk: applied AI for logistics",
        "Charla: IA aplicada a la logística",
        EventFormat.IN_PERSON,
        20,
        18,
        2,
    ),
]


BOOKING_WEEKS_TRIED = 6


def _book_first_open_week(
    *,
    space: Space,
    actor: User,
    day: dt.date,
    start: dt.time,
    end: dt.time,
    rule: str,
    purpose: str,
) -> list[Booking]:
    """Book ``day`` (and its series), or the same day of the first later week, up to
    ``BOOKING_WEEKS_TRIED``, where no occurrence falls on a closed day (a public holiday or
    a closure): the demo has the same bookings whatever the date it is seeded on. Any
    other refusal is a bug of the seed and is raised."""
    for week in range(BOOKING_WEEKS_TRIED):
        moved = day + dt.timedelta(weeks=week)
        try:
            return services.booking_create(
                space=space,
                actor=actor,
                start=dt.datetime.combine(moved, start),
                end=dt.datetime.combine(moved, end),
                rule=rule,
                purpose=purpose,
            )
        except ValidationFailed as refused:
            codes = {error["code"] for error in refused.errors} or {refused.code}
            if codes != {"closed_day"}:
                raise
    return []


def _next(day: dt.date, weekday: int) -> dt.date:
    return day + dt.timedelta(days=(weekday - day.weekday()) % 7 or 7)


@seed_step("spaces", order=450)
def seed_spaces(context: SeedContext) -> None:
    for slug, (country, subdivision) in HOLIDAY_CALENDARS.items():
        if slug in context.hubs:
            HubCalendar.objects.create(
                hub=context.hubs[slug], holiday_country=country, holiday_subdivision=subdivision
            )
    spaces: dict[str, Space] = {}
    for (
        hub_slug,
        slug,
        kind,
        name_en,
        name_es,
        capacity,
        units,
        approval,
        induction,
        price,
        equipment,
    ) in SPACES:
        hub = context.hubs[hub_slug]
        space = Space.objects.create(
            hub=hub,
            slug=slug,
            kind=kind,
            name_en=name_en,
            name_es=name_es,
            description_en=f"{name_en} at the {hub.name_en} hub.",
            description_es=f"{name_es} en el nodo {hub.name_es}.",
            capacity=capacity,
            units=units,
            requires_approval=approval,
            requires_induction=induction,
            price_per_hour=Decimal(price),
            equipment=equipment,
            buffer_minutes=15 if kind in (SpaceKind.MEETING_ROOM, SpaceKind.LAB) else 0,
            max_duration_minutes=600,
        )
        hours = [
            OpeningHours(space=space, weekday=day, opens=dt.time(8), closes=dt.time(19))
            for day in range(5)
        ]
        if kind == SpaceKind.DESK:
            hours.append(OpeningHours(space=space, weekday=5, opens=dt.time(9), closes=dt.time(13)))
        OpeningHours.objects.bulk_create(hours)
        spaces[slug] = space
    today = context.now.astimezone(context.hubs["medellin"].zone).date()
    maintenance = _next(today, 4) + dt.timedelta(days=21)
    Closure.objects.create(
        hub=context.hubs["medellin"],
        space=spaces["medellin-lab-prototipado"],
        starts_on=maintenance,
        ends_on=maintenance,
        reason_en="Equipment maintenance",
        reason_es="Mantenimiento de equipos",
    )

    users = {user.email: user for user in User.objects.filter(email__endswith="@puente.example")}
    member, founder, mentor = (
        users.get("member@puente.example"),
        users.get("org.admin@puente.example"),
        users.get("mentor@puente.example"),
    )
    bookings = 0
    wishes = [
        (
            member,
            "medellin-lab-prototipado",
            _next(today, 1),
            "10:00",
            "12:00",
            "",
            "Hardware prototype test",
        ),
        (
            member,
            "miami-bay-room",
            _next(today, 2),
            "09:00",
            "10:00",
            "FREQ=WEEKLY;COUNT=4",
            "Weekly product sync",
        ),
        (
            founder,
            "medellin-sala-cafe",
            _next(today, 3),
            "15:00",
            "16:30",
            "",
            "Reunión con inversionistas",
        ),
        (
            founder,
            "medellin-coworking",
            _next(today, 0),
            "08:00",
            "18:00",
            "FREQ=DAILY;COUNT=5",
            "Semana de trabajo",
        ),
    ]
    for user, slug, day, start, end, rule, purpose in wishes:
        if user is None:
            continue
        bookings += len(
            _book_first_open_week(
                space=spaces[slug],
                actor=user,
                day=day,
                start=dt.time.fromisoformat(start),
                end=dt.time.fromisoformat(end),
                rule=rule,
                purpose=purpose,
            )
        )

    events = 0
    participants = [user for user in (member, founder, mentor) if user is not None]
    for (
        hub_slug,
        joint,
        slug,
        event_kind,
        title_en,
        title_es,
        event_format,
        days_ahead,
        hour,
        capacity,
    ) in EVENTS:
        hub = context.hubs[hub_slug]
        starts = dt.datetime.combine(today + dt.timedelta(days=days_ahead), dt.time(hour), hub.zone)
        event = CommunityEvent.objects.create(
            hub=hub,
            slug=slug,
            kind=event_kind,
            title_en=title_en,
            title_es=title_es,
            description_en=f"{title_en}. Organized by the {hub.name_en} hub of the network.",
            description_es=f"{title_es}. Organizado por el nodo {hub.name_es} de la red.",
            format=event_format,
            location="" if event_format == EventFormat.ONLINE else hub.city,
            online_url="https://meet.example.org/puente"
            if event_format != EventFormat.IN_PERSON
            else "",
            starts_at=starts,
            ends_at=starts + dt.timedelta(hours=2),
            capacity=capacity,
        )
        event.joint_hubs.set([context.hubs[other] for other in joint])
        for user in participants:
            services_community.event_register(event=event, actor=user)
        events += 1

    sessions = 0
    if mentor is not None:
        office_hours = services_community.office_hours_publish(
            mentor=mentor,
            values={
                "hub": context.hubs["medellin"],
                "time_zone": "America/Bogota",
                "rule": "FREQ=WEEKLY;BYDAY=TU,TH",
                "first_day": today,
                "starts": dt.time(15),
                "ends": dt.time(17),
                "slot_minutes": 30,
                "weekly_cap": 4,
                "location": "Ruta N, piso 3 / video",
            },
        )
        if member is not None:
            from puente.spaces.selectors import free_office_hour_slots

            slots = free_office_hour_slots(
                office_hours,
                context.now + dt.timedelta(days=1),
                context.now + dt.timedelta(days=15),
            )
            if slots:
                services_community.session_book(
                    office_hours=office_hours,
                    founder=member,
                    starts_at=slots[0].start,
                    topic="Entering the US market from Colombia",
                    now=context.now,
                )
                sessions += 1
    context.counts["spaces"] = len(spaces)
    context.counts["space_bookings"] = bookings
    context.counts["community_events"] = events
    context.counts["mentor_sessions"] = sessions
    # The hours each space offers this quarter and next are live facts (impact.sources), as
    # the daily job would record them; the impact step wrote illustrative ones for the past.
    context.counts["space_hours_facts"] = activity_refresh()
