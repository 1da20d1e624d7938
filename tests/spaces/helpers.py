"""Test data of spaces: spaces with opening hours, hub calendars, mentors with office hours."""

from __future__ import annotations

import datetime as dt
from itertools import count
from typing import Any

import holidays

from puente.spaces.models import HubCalendar, OfficeHours, OpeningHours, Space, SpaceKind
from tests.factories import PersonFactory, UserFactory, hub

_numbers = count(1)
WEEKDAYS = range(5)
_COLOMBIA = holidays.country_holidays("CO")
_FLORIDA = holidays.country_holidays("US", subdiv="FL")


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
    values.setdefault("name_en", f"Room {number}")
    values.setdefault("name_es", f"Sala {number}")
    space = Space.objects.create(hub=hub(hub_slug), slug=f"space-{number}", **values)
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


def public_holiday(day: dt.date) -> bool:
    """Whether either hub's spaces could close on ``day`` for a public holiday.

    Deliberately the union of Colombia's and Florida's holidays rather than the app's
    ``spaces.selectors.closed_dates``: a test picks its day before (or without) setting up
    hub calendars, and a day open under every calendar is open under the one it sets."""
    return day in _COLOMBIA or day in _FLORIDA


def next_weekday(
    weekday: int, *, after: dt.date | None = None, weeks: int = 1, series: int = 1
) -> dt.date:
    """The ``weeks``-th given weekday (0 = Monday) after today (or ``after``) that is a working day.

    Weeks whose day is a public holiday in Colombia or Florida are passed over, so that a test
    booking "next Tuesday" never lands on a closed day, whatever the date it runs on (8 December
    is a holiday in Colombia). With ``series``, the day and the ``series - 1`` same weekdays
    after it are all working days, for tests that book a weekly series.
    """
    day = (after or dt.date.today()) + dt.timedelta(days=1)
    day += dt.timedelta(days=(weekday - day.weekday()) % 7)
    found = 0
    while True:
        if not any(public_holiday(day + dt.timedelta(weeks=n)) for n in range(series)):
            found += 1
            if found == weeks:
                return day
        day += dt.timedelta(weeks=1)


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
