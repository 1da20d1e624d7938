"""Test data of spaces: spaces with opening hours, hub calendars, mentors with office hours."""

from __future__ import annotations

import datetime as dt
from itertools import count
from typing import Any

from puente.spaces.models import HubCalendar, OfficeHours, OpeningHours, Space, SpaceKind
from tests.factories import PersonFactory, UserFactory, hub

_numbers = count(1)
WEEKDAYS = range(5)


def make_space(
    hub_slug: str = "medellin",
    *,
    hours: tuple[str, str] = ("08:00", "18:00"),
    weekdays: Any = WEEKDAYS,
    **values: Any,
) -> Space:
    number = next(_numbers)
    values.setdefault("kind", SpaceKind.MEETING_ROOM)
    values.setdefault("max_days_ahead", 400)
    space = Space.objects.create(
        hub=hub(hub_slug),
        slug=f"space-{number}",
        name_en=f"Room {number}",
        name_es=f"Sala {number}",
        **values,
    )
    opens, closes = (dt.time.fromisoformat(value) for value in hours)
    OpeningHours.objects.bulk_create(
        [OpeningHours(space=space, weekday=day, opens=opens, closes=closes) for day in weekdays]
    )
    return space


def florida_calendar() -> None:
    HubCalendar.objects.update_or_create(
        hub=hub("miami"), defaults={"holiday_country": "US", "holiday_subdivision": "FL"}
    )


def make_mentor(**values: Any) -> Any:
    mentor = UserFactory(**values)
    PersonFactory(full_name=mentor.full_name, user=mentor, is_mentor=True)
    return mentor


def make_office_hours(
    mentor: Any, *, weekday: str = "TU", first_day: dt.date | None = None, **values: Any
) -> OfficeHours:
    values.setdefault("time_zone", "America/Bogota")
    values.setdefault("starts", dt.time(15, 0))
    values.setdefault("ends", dt.time(17, 0))
    return OfficeHours.objects.create(
        mentor=mentor,
        hub=values.pop("hub", hub("medellin")),
        rule=f"FREQ=WEEKLY;BYDAY={weekday}",
        first_day=first_day or dt.date(2026, 1, 1),
        **values,
    )


def next_weekday(weekday: int, *, after: dt.date | None = None, weeks: int = 1) -> dt.date:
    """The given weekday (0 = Monday) in ``weeks`` weeks from today (or ``after``)."""
    start = (after or dt.date.today()) + dt.timedelta(days=7 * (weeks - 1) + 1)
    return start + dt.timedelta(days=(weekday - start.weekday()) % 7)


def space_for_table(*, requires_approval: bool = False) -> Space:
    """The Medellín meeting room the API permission table books (one per test database)."""
    slug = "table-room-approval" if requires_approval else "table-room"
    space = Space.objects.filter(slug=slug).first()
    if space is None:
        space = make_space("medellin", requires_approval=requires_approval)
        Space.objects.filter(pk=space.pk).update(slug=slug)
        space.slug = slug
    return space


def booking_for_table(user: Any, *, tentative: bool = False) -> Any:
    """A booking of ``user`` next week (tentative in a room that needs approval)."""
    from puente.spaces.services import booking_create

    space = space_for_table(requires_approval=tentative)
    day = next_weekday(2)
    [booking] = booking_create(
        space=space,
        actor=user,
        start=dt.datetime.combine(day, dt.time(9)),
        end=dt.datetime.combine(day, dt.time(10)),
    )
    return booking
