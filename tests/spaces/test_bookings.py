"""Booking services: rules, holidays, buffers, desks, recurrence, approval, release, and the
database's own refusal of overlaps."""

from __future__ import annotations

import datetime as dt

import holidays
import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from puente.core.errors import PermissionDenied, ValidationFailed
from puente.core.models import AuditEntry, Notification
from puente.spaces import services
from puente.spaces.models import Booking, BookingStatus, Closure
from puente.spaces.services import BookingConflict
from tests.factories import UserFactory, hub, make_manager
from tests.spaces.helpers import florida_calendar, make_space, next_weekday

pytestmark = pytest.mark.django_db


def at(day: dt.date, clock: str) -> dt.datetime:
    """A wall-clock time (naive, the space's zone)."""
    return dt.datetime.combine(day, dt.time.fromisoformat(clock))


def book(space, user, day, start, end, **kwargs):  # type: ignore[no-untyped-def]
    return services.booking_create(
        space=space, actor=user, start=at(day, start), end=at(day, end), **kwargs
    )


def next_holiday(country: str, subdivision: str | None = None) -> dt.date:
    today = dt.date.today()
    calendar = holidays.country_holidays(
        country, subdiv=subdivision, years=[today.year, today.year + 1]
    )
    return min(day for day in calendar if day > today + dt.timedelta(days=2) and day.weekday() < 5)


def test_a_free_time_is_booked_and_confirmed_at_once_with_price_and_audit() -> None:
    space = make_space(price_per_hour=50000)
    member = UserFactory()
    day = next_weekday(1)
    [booking] = book(space, member, day, "09:00", "10:30", purpose="Reunión de equipo")
    assert booking.status == BookingStatus.APPROVED
    assert booking.starts_at == at(day, "09:00").replace(tzinfo=space.zone)
    assert booking.price == 75000
    assert booking.currency == "COP"
    assert AuditEntry.objects.filter(action="booking.create", target_id=str(booking.pk)).exists()


def test_an_overlapping_booking_is_refused_with_the_conflicting_interval_and_nothing_saved() -> (
    None
):
    space = make_space()
    day = next_weekday(2)
    book(space, UserFactory(), day, "09:00", "11:00")
    with pytest.raises(BookingConflict) as conflict:
        book(space, UserFactory(), day, "10:00", "12:00")
    assert conflict.value.status == 409
    assert conflict.value.as_dict()["conflicts"] == [
        {
            "start": at(day, "10:00").replace(tzinfo=space.zone).astimezone(dt.UTC).isoformat(),
            "end": at(day, "12:00").replace(tzinfo=space.zone).astimezone(dt.UTC).isoformat(),
        }
    ]
    assert Booking.objects.count() == 1
    # Back to back is fine without a buffer.
    book(space, UserFactory(), day, "11:00", "12:00")


def test_the_buffer_keeps_a_gap_between_bookings() -> None:
    space = make_space(buffer_minutes=15)
    day = next_weekday(3)
    book(space, UserFactory(), day, "09:00", "10:00")
    with pytest.raises(BookingConflict):
        book(space, UserFactory(), day, "10:10", "11:00")
    with pytest.raises(BookingConflict):
        book(space, UserFactory(), day, "08:00", "08:50")
    book(space, UserFactory(), day, "10:15", "11:00")
    book(space, UserFactory(), day, "08:00", "08:45")
    assert Booking.objects.count() == 3


def test_a_shared_desk_area_takes_as_many_bookings_as_it_has_desks() -> None:
    space = make_space(units=3, capacity=3)
    day = next_weekday(1)
    units = [book(space, UserFactory(), day, "09:00", "17:00")[0].unit for _ in range(3)]
    assert sorted(units) == [1, 2, 3]
    with pytest.raises(BookingConflict):
        book(space, UserFactory(), day, "12:00", "13:00")
    # Another day has all three desks again.
    book(space, UserFactory(), next_weekday(2), "12:00", "13:00")


def test_the_database_itself_refuses_an_overlap_that_skipped_the_checks() -> None:
    space = make_space()
    day = next_weekday(1)
    [first] = book(space, UserFactory(), day, "09:00", "10:00")
    clone = Booking(
        space=space,
        user=UserFactory(),
        unit=1,
        starts_at=first.starts_at + dt.timedelta(minutes=30),
        ends_at=first.ends_at + dt.timedelta(minutes=30),
        blocked_until=first.ends_at + dt.timedelta(minutes=30),
        status=BookingStatus.TENTATIVE,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        clone.save()
    # A cancelled booking holds no time, and a different desk does not collide.
    clone.status = BookingStatus.CANCELLED
    clone.save()
    Booking.objects.create(
        space=space,
        user=first.user,
        unit=2,
        starts_at=first.starts_at,
        ends_at=first.ends_at,
        blocked_until=first.ends_at,
        status=BookingStatus.APPROVED,
    )
    # Re-activating the cancelled overlapping booking is refused too.
    clone.status = BookingStatus.APPROVED
    with pytest.raises(IntegrityError), transaction.atomic():
        clone.save()


def test_colombian_public_holidays_close_medellin_spaces() -> None:
    space = make_space("medellin")
    holiday = next_holiday("CO")
    with pytest.raises(ValidationFailed) as refused:
        book(space, UserFactory(), holiday, "09:00", "10:00")
    assert refused.value.code == "closed_day"
    assert Booking.objects.count() == 0


def test_florida_holidays_close_miami_spaces_and_closures_are_data() -> None:
    florida_calendar()
    space = make_space("miami")
    member = UserFactory(home_hub=hub("miami"))
    holiday = next_holiday("US", "FL")
    with pytest.raises(ValidationFailed):
        book(space, member, holiday, "09:00", "10:00")
    day = next_weekday(3, weeks=2)
    Closure.objects.create(hub=hub("miami"), starts_on=day, ends_on=day, reason_en="Maintenance")
    with pytest.raises(ValidationFailed) as refused:
        book(space, member, day, "09:00", "10:00")
    assert refused.value.code == "closed_day"


@pytest.mark.parametrize(
    ("start", "end", "code"),
    [
        ("10:00", "09:00", "end_before_start"),
        ("10:00", "10:00", "end_before_start"),
        ("06:00", "07:00", "outside_hours"),
        ("17:00", "19:00", "outside_hours"),
        ("09:00", "09:10", "too_short"),
    ],
)
def test_bad_times_are_refused_with_a_clear_code_and_nothing_saved(
    start: str, end: str, code: str
) -> None:
    space = make_space()
    with pytest.raises(ValidationFailed) as refused:
        book(space, UserFactory(), next_weekday(1), start, end)
    assert refused.value.code == code
    assert refused.value.message
    assert Booking.objects.count() == 0


def test_multi_year_and_past_bookings_are_refused() -> None:
    space = make_space()
    user = UserFactory()
    with pytest.raises(ValidationFailed) as refused:
        services.booking_create(
            space=space,
            actor=user,
            start=at(next_weekday(1), "09:00"),
            end=at(next_weekday(1), "09:00") + dt.timedelta(days=800),
        )
    assert refused.value.code == "too_long"
    with pytest.raises(ValidationFailed) as refused:
        book(space, user, dt.date.today() - dt.timedelta(days=7), "09:00", "10:00")
    assert refused.value.code in ("in_the_past", "outside_hours")


def test_a_weekly_series_is_checked_occurrence_by_occurrence_and_saved_all_or_nothing() -> None:
    space = make_space()
    first = next_weekday(0, weeks=2, series=4)
    other = UserFactory()
    book(space, other, first + dt.timedelta(days=14), "09:00", "10:00")
    checks = services.booking_check(
        space=space, start=at(first, "09:00"), end=at(first, "10:00"), rule="FREQ=WEEKLY;COUNT=4"
    )
    assert [check.conflict for check in checks] == [False, False, True, False]
    with pytest.raises(BookingConflict) as conflict:
        book(space, UserFactory(), first, "09:00", "10:00", rule="FREQ=WEEKLY;COUNT=4")
    assert len(conflict.value.conflicts) == 1
    assert Booking.objects.count() == 1
    series = book(
        space,
        UserFactory(),
        first,
        "09:00",
        "10:00",
        rule="FREQ=WEEKLY;COUNT=4",
        exceptions=[first + dt.timedelta(days=14)],
    )
    assert len(series) == 3
    assert len({booking.series_id for booking in series}) == 1


def test_invalid_recurrence_rules_save_nothing() -> None:
    space = make_space()
    with pytest.raises(ValidationFailed) as refused:
        book(
            space, UserFactory(), next_weekday(1), "09:00", "10:00", rule="FREQ=YEARLY;INTERVAL=abc"
        )
    assert refused.value.field == "rule"
    assert Booking.objects.count() == 0


def test_approval_required_bookings_stay_tentative_until_a_manager_decides(
    django_capture_on_commit_callbacks,
) -> None:  # type: ignore[no-untyped-def]
    space = make_space(requires_approval=True)
    manager = make_manager("medellin")
    member = UserFactory(language="en")
    [booking] = book(space, member, next_weekday(2), "09:00", "10:00")
    assert booking.status == BookingStatus.TENTATIVE
    assert Notification.objects.filter(user=manager, kind="spaces.booking_requested").exists()
    with pytest.raises(PermissionDenied):
        services.booking_decide(booking=booking, actor=member, approve=True)
    with pytest.raises(PermissionDenied):
        services.booking_decide(booking=booking, actor=make_manager("miami"), approve=True)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.booking_decide(booking=booking, actor=manager, approve=True)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.APPROVED
    assert booking.decided_by == manager
    assert Notification.objects.filter(user=member, kind="spaces.booking_approved").exists()
    assert [message.to for message in mail.outbox] == [[member.email]]
    assert "confirmed" in mail.outbox[0].subject  # the member's language is English


def test_only_members_of_the_network_may_book_and_unverified_accounts_must_confirm() -> None:
    space = make_space()
    with pytest.raises(PermissionDenied):
        book(space, UserFactory(email_verified_at=None), next_weekday(1), "09:00", "10:00")
    restricted = make_space()
    restricted.open_to_hubs.set([hub("miami")])
    with pytest.raises(PermissionDenied):
        book(restricted, UserFactory(home_hub=hub("medellin")), next_weekday(1), "09:00", "10:00")
    book(restricted, UserFactory(home_hub=hub("miami")), next_weekday(1), "09:00", "10:00")


def test_cancel_rules_and_check_in_and_release_of_no_shows() -> None:
    space = make_space()
    member = UserFactory()
    [booking] = book(space, member, next_weekday(1), "09:00", "10:00")
    with pytest.raises(PermissionDenied):
        services.booking_cancel(booking=booking, actor=UserFactory())
    services.booking_cancel(booking=booking, actor=member)
    assert booking.status == BookingStatus.CANCELLED
    [again] = book(space, member, next_weekday(1), "09:00", "10:00")  # the time is free again
    [other] = book(space, member, next_weekday(1), "11:00", "12:00")
    with pytest.raises(ValidationFailed):
        services.booking_check_in(booking=again, actor=member)  # too early
    services.booking_check_in(
        booking=again, actor=member, now=again.starts_at + dt.timedelta(minutes=5)
    )
    released = services.bookings_release_unchecked(now=other.starts_at + dt.timedelta(minutes=16))
    assert released == 1
    again.refresh_from_db()
    other.refresh_from_db()
    assert again.status == BookingStatus.APPROVED
    assert other.status == BookingStatus.RELEASED
    assert services.bookings_release_unchecked(now=other.starts_at + dt.timedelta(minutes=30)) == 0


def test_over_capacity_is_refused() -> None:
    space = make_space(capacity=4)
    with pytest.raises(ValidationFailed) as refused:
        book(space, UserFactory(), next_weekday(1), "09:00", "10:00", attendees=5)
    assert refused.value.code == "over_capacity"


def test_times_given_with_an_offset_are_read_on_the_space_clock() -> None:
    space = make_space("medellin")
    day = next_weekday(1)
    start = dt.datetime.combine(day, dt.time(14, 0), dt.UTC)  # 9:00 in Bogotá
    [booking] = services.booking_create(
        space=space, actor=UserFactory(), start=start, end=start + dt.timedelta(hours=1)
    )
    assert booking.starts_at.astimezone(space.zone).time() == dt.time(9, 0)
    assert timezone.is_aware(booking.starts_at)
