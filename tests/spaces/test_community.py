"""Community events (capacity, waiting list) and mentor office hours (slots, caps, notes)."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from django.utils import timezone

from puente.core.errors import Conflict, PermissionDenied, ValidationFailed
from puente.core.models import Notification
from puente.spaces import selectors, services_community
from puente.spaces.models import (
    CommunityEvent,
    EventKind,
    MentorSession,
    RegistrationStatus,
    SessionStatus,
)
from tests.factories import UserFactory, hub, make_manager
from tests.spaces.helpers import make_mentor, make_office_hours

pytestmark = pytest.mark.django_db


def make_event(capacity: int = 2, **values: object) -> CommunityEvent:
    start = timezone.now() + dt.timedelta(days=3)
    return CommunityEvent.objects.create(
        hub=hub("medellin"),
        slug=f"evento-{CommunityEvent.objects.count()}",
        kind=EventKind.MEETUP,
        title_en="Fintech meetup",
        title_es="Encuentro fintech",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=2),
        capacity=capacity,
        **values,
    )


def test_registration_fills_places_then_the_waiting_list_and_a_cancellation_promotes() -> None:
    event = make_event(capacity=2)
    first, second, third = UserFactory(), UserFactory(), UserFactory()
    assert (
        services_community.event_register(event=event, actor=first).status
        == RegistrationStatus.REGISTERED
    )
    registration = services_community.event_register(event=event, actor=second)
    assert registration.status == RegistrationStatus.REGISTERED
    assert (
        services_community.event_register(event=event, actor=third).status
        == RegistrationStatus.WAITLISTED
    )
    with pytest.raises(ValidationFailed):
        services_community.event_register(event=event, actor=third)
    services_community.event_registration_cancel(registration=registration, actor=second)
    assert event.registrations.get(user=third).status == RegistrationStatus.REGISTERED
    assert Notification.objects.filter(user=third, kind="spaces.event_promoted").exists()


def test_attendance_is_recorded_by_the_event_hub_managers_only() -> None:
    event = make_event()
    registration = services_community.event_register(event=event, actor=UserFactory())
    with pytest.raises(PermissionDenied):
        services_community.event_check_in(registration=registration, actor=make_manager("miami"))
    services_community.event_check_in(registration=registration, actor=make_manager("medellin"))
    assert registration.checked_in_at is not None


def test_office_hours_slots_follow_the_mentor_wall_clock() -> None:
    mentor = make_mentor()
    offer = make_office_hours(
        mentor,
        weekday="TU",
        time_zone="America/New_York",
        starts=dt.time(9),
        ends=dt.time(10),
        slot_minutes=30,
    )
    start = dt.datetime(2027, 3, 1, tzinfo=dt.UTC)
    slots = selectors.office_hour_slots(offer, start, start + dt.timedelta(days=21))
    miami = zoneinfo.ZoneInfo("America/New_York")
    assert len(slots) == 6
    assert {slot.start.astimezone(miami).time() for slot in slots} == {dt.time(9), dt.time(9, 30)}
    # DST starts 14 March 2027: the same 9:00 slot is an hour earlier in UTC afterwards.
    assert slots[0].start.hour == 14
    assert slots[-1].start.hour == 13


def _next_slot(offer: object, index: int = 0) -> dt.datetime:
    now = timezone.now()
    return selectors.free_office_hour_slots(
        offer, now + dt.timedelta(hours=1), now + dt.timedelta(days=30)
    )[index].start  # type: ignore[arg-type]


def test_a_founder_books_a_slot_both_are_notified_and_it_cannot_be_taken_twice() -> None:
    mentor = make_mentor()
    offer = make_office_hours(mentor)
    founder = UserFactory()
    slot = _next_slot(offer)
    session = services_community.session_book(
        office_hours=offer, founder=founder, starts_at=slot, topic="Levantar capital en Miami"
    )
    assert session.status == SessionStatus.BOOKED
    assert Notification.objects.filter(user=mentor, kind="spaces.session_booked").exists()
    assert Notification.objects.filter(user=founder, kind="spaces.session_confirmed").exists()
    with pytest.raises(Conflict):
        services_community.session_book(
            office_hours=offer, founder=UserFactory(), starts_at=slot, topic="Otro tema"
        )
    assert slot not in [
        item.start
        for item in selectors.free_office_hour_slots(
            offer, slot - dt.timedelta(hours=1), slot + dt.timedelta(hours=3)
        )
    ]


def test_the_weekly_cap_and_bad_slots_are_refused() -> None:
    mentor = make_mentor()
    offer = make_office_hours(mentor, weekly_cap=1)
    slot = _next_slot(offer)
    services_community.session_book(
        office_hours=offer, founder=UserFactory(), starts_at=slot, topic="Uno"
    )
    with pytest.raises(Conflict) as capped:
        services_community.session_book(
            office_hours=offer,
            founder=UserFactory(),
            starts_at=slot + dt.timedelta(minutes=30),
            topic="Dos",
        )
    assert capped.value.code == "weekly_cap_reached"
    with pytest.raises(ValidationFailed):
        services_community.session_book(
            office_hours=offer,
            founder=UserFactory(),
            starts_at=slot + dt.timedelta(minutes=7),
            topic="Tres",
        )
    with pytest.raises(ValidationFailed):
        services_community.session_book(
            office_hours=offer, founder=mentor, starts_at=slot + dt.timedelta(days=7), topic="Yo"
        )
    assert MentorSession.objects.count() == 1


def test_after_the_session_notes_outcome_and_rating_belong_to_the_two_participants() -> None:
    mentor = make_mentor()
    offer = make_office_hours(mentor)
    founder = UserFactory()
    session = services_community.session_book(
        office_hours=offer, founder=founder, starts_at=_next_slot(offer), topic="Go-to-market"
    )
    later = session.ends_at + dt.timedelta(hours=1)
    with pytest.raises(PermissionDenied):
        services_community.session_record(
            session=session, actor=UserFactory(), values={"notes": "x"}, now=later
        )
    with pytest.raises(PermissionDenied):
        services_community.session_record(
            session=session, actor=founder, values={"outcome": "no_show"}, now=later
        )
    services_community.session_record(
        session=session, actor=mentor, values={"outcome": "no_show", "notes": "No llegó"}, now=later
    )
    services_community.session_record(
        session=session, actor=founder, values={"rating": 4, "feedback": "Útil"}, now=later
    )
    session.refresh_from_db()
    assert session.status == SessionStatus.NO_SHOW
    assert session.notes == "No llegó"
    assert session.rating == 4


def test_only_mentors_publish_office_hours() -> None:
    values = {
        "hub": hub("medellin"),
        "time_zone": "America/Bogota",
        "rule": "FREQ=WEEKLY;BYDAY=TU",
        "first_day": dt.date(2027, 1, 5),
        "starts": dt.time(15),
        "ends": dt.time(17),
    }
    with pytest.raises(PermissionDenied):
        services_community.office_hours_publish(mentor=UserFactory(), values=values)
    offer = services_community.office_hours_publish(mentor=make_mentor(), values=values)
    assert offer.pk
    with pytest.raises(ValidationFailed):
        services_community.office_hours_publish(
            mentor=make_mentor(), values={**values, "rule": "FREQ=FOREVER"}
        )
    # A rule with no date at all (February 30th) would leave every page listing office
    # hours walking the calendar to year 9999: it is refused when published.
    with pytest.raises(ValidationFailed) as error:
        services_community.office_hours_publish(
            mentor=make_mentor(), values={**values, "rule": "FREQ=WEEKLY;BYMONTH=2;BYMONTHDAY=30"}
        )
    assert error.value.code == "no_occurrences"
