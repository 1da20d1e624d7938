"""The demo shows spaces in both hubs, bookings (one waiting for approval), events, office hours."""

from __future__ import annotations

import pytest

from puente.demo.seed import seed_demo
from puente.spaces.models import (
    Booking,
    BookingStatus,
    CommunityEvent,
    HubCalendar,
    MentorSession,
    OfficeHours,
    Space,
)

pytestmark = pytest.mark.django_db


def test_the_demo_seeds_spaces_bookings_events_and_office_hours_in_both_hubs() -> None:
    result = seed_demo(seed=5, size="small")
    assert set(Space.objects.values_list("hub__slug", flat=True)) == {"medellin", "miami"}
    assert HubCalendar.objects.get(hub__slug="miami").holiday_subdivision == "FL"
    assert Booking.objects.filter(status=BookingStatus.TENTATIVE).exists()
    assert Booking.objects.filter(status=BookingStatus.APPROVED).exists()
    assert CommunityEvent.objects.filter(joint_hubs__isnull=False).exists()
    assert OfficeHours.objects.filter(mentor__email="mentor@puente.example").exists()
    assert MentorSession.objects.count() == 1
    assert result.counts["spaces"] == 8
    assert result.counts["space_bookings"] == Booking.objects.count()
    # Every demo booking is made whatever the date: one lab morning, a weekly series of 4, a
    # café meeting, a working week of 5 (a holiday moves it to a later week, not out).
    assert Booking.objects.count() == 11
