"""The hours each space is offered per quarter (the occupancy KPI's denominator) are recorded
from its opening hours, public holidays and closures, kept in line when they change, and
rebuilt the same way by the backfill."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from typing import Any
from unittest import mock

import pytest

from puente.core.errors import PermissionDenied, ValidationFailed
from puente.impact.computation import Quarter
from puente.impact.models import ActivityKind as K
from puente.impact.models import ActivityRecord
from puente.impact.selectors import Scope, build_dashboard
from puente.impact.services import activity_refresh, activity_sync, activity_sync_existing
from puente.spaces import services as space_services
from puente.spaces import services_calendar
from puente.spaces.models import Space
from puente.spaces.selectors import hours_offered
from tests.factories import UserFactory, hub, make_manager
from tests.spaces.helpers import make_space

pytestmark = pytest.mark.django_db

# 1 September 2026, noon UTC: Q3 is the current quarter in both hubs.
SEPTEMBER = dt.datetime(2026, 9, 1, 12, 0, tzinfo=dt.UTC)
# 04:30 UTC on 1 October is 23:30 on 30 September in Medellín (still Q3) and 00:30 on
# 1 October in Miami (already Q4).
BOUNDARY = dt.datetime(2026, 10, 1, 4, 30, tzinfo=dt.UTC)


@pytest.fixture
def clock() -> Iterator[Any]:
    with mock.patch("django.utils.timezone.now", return_value=SEPTEMBER) as now:
        yield now


def open_space(hub_slug: str = "medellin", **values: Any) -> Space:
    """A space with opening hours, as the admin saves it (which records its hours offered)."""
    space = make_space(hub_slug, **values)
    services_calendar.spaces_hours_offered_sync(spaces=[space])
    return space


def offered(space: Space) -> dict[str, Decimal]:
    """The space's recorded hours offered, by quarter code."""
    return {
        str(quarter): quantity
        for quarter, quantity in ActivityRecord.objects.filter(
            kind=K.SPACE_HOURS_OFFERED,
            source_type="spaces.space",
            source_id__startswith=f"{space.pk}@",
        ).values_list("quarter", "quantity")
    }


def occupancy(quarter: Quarter, hub_slug: str) -> Decimal | None:
    board = build_dashboard(quarter=quarter, scope=Scope(hub=hub(hub_slug)))
    return board.row("space_occupancy").value.value


def test_a_quarter_offers_its_weekdays_less_holidays_and_closures(clock: Any) -> None:
    # Q3 2026 has 66 weekdays; Colombia's public holidays on four of them (13 and 20 July,
    # 7 and 17 August) and a two-day closure (14–15 September) leave 60 days of 10 hours.
    space = open_space(hours=("08:00", "18:00"))
    manager = make_manager("medellin")
    assert hub("medellin").country == "CO"
    services_calendar.closure_create(
        actor=manager,
        hub=space.hub,
        space=space,
        starts_on=dt.date(2026, 9, 14),
        ends_on=dt.date(2026, 9, 15),
        reason_en="Floor works",
        reason_es="Obras en el piso",
    )
    # Q4: 66 weekdays, five holidays (12 Oct, 2 and 16 Nov, 8 and 25 Dec): 61 days.
    assert offered(space) == {"20263": Decimal("600.00"), "20264": Decimal("610.00")}
    assert hours_offered(space, dt.date(2026, 7, 1), dt.date(2026, 9, 30)) == Decimal("600.00")

    # Occupancy = booked hours / offered hours: 6 booked hours of 600 is 1.0 %.
    space_services.booking_create(
        space=space,
        actor=UserFactory(),
        start=dt.datetime(2026, 9, 16, 9, 0),
        end=dt.datetime(2026, 9, 16, 15, 0),
        now=SEPTEMBER,
    )
    assert occupancy(Quarter(2026, 3), "medellin") == Decimal("1.0")

    # A closure of every space of the hub (a Monday and Tuesday in Q4) removes 20 hours there.
    closure = services_calendar.closure_create(
        actor=manager, hub=space.hub, starts_on=dt.date(2026, 10, 5), ends_on=dt.date(2026, 10, 6)
    )
    assert offered(space)["20264"] == Decimal("590.00")
    services_calendar.closure_delete(closure=closure, actor=manager)
    assert offered(space)["20264"] == Decimal("610.00")


def test_units_multiply_the_hours_and_new_opening_hours_recompute_them(clock: Any) -> None:
    desks = open_space(hours=("08:00", "18:00"), units=3)
    assert offered(desks) == {"20263": Decimal("1860.00"), "20264": Decimal("1830.00")}
    manager = make_manager("medellin")
    # Mornings only, Monday to Friday, plus Saturday 9–13: Q3 has 13 Saturdays, none a holiday.
    services_calendar.space_opening_hours_set(
        space=desks,
        actor=manager,
        hours=[(day, dt.time(8), dt.time(12)) for day in range(5)] + [(5, dt.time(9), dt.time(13))],
    )
    assert offered(desks)["20263"] == Decimal(3 * (62 * 4 + 13 * 4))


def test_the_current_quarter_is_the_hubs_own_at_the_boundary(clock: Any) -> None:
    clock.return_value = BOUNDARY
    medellin = open_space("medellin", hours=("08:00", "18:00"))
    miami = open_space("miami", hours=("08:00", "18:00"))
    assert set(offered(medellin)) == {"20263", "20264"}
    # Miami is already in Q4: Q4 (US holidays on 12 Oct, 11 and 26 Nov, 25 Dec: 62 days) and
    # Q1 2027 (1 and 18 Jan, 15 Feb: 61 days).
    assert offered(miami) == {"20264": Decimal("620.00"), "20271": Decimal("610.00")}


def test_syncing_again_changes_nothing_and_the_backfill_rebuilds_the_same_facts(
    clock: Any,
) -> None:
    first = open_space(hours=("08:00", "18:00"))
    second = open_space("miami", hours=("09:00", "17:00"), weekdays=range(7))
    everything = ActivityRecord.objects.filter(kind=K.SPACE_HOURS_OFFERED)

    def rows() -> set[tuple[Any, ...]]:
        return set(everything.values_list("source_id", "quarter", "quantity", "hub_id"))

    recorded = rows()
    assert len(recorded) == 4
    activity_sync(sources=[first, second])
    activity_refresh()
    assert rows() == recorded
    assert everything.count() == 4

    everything.delete()
    assert activity_sync_existing(sources=["spaces.space"]) == 4
    assert rows() == recorded
    assert activity_sync_existing(sources=["spaces.space"]) == 0


def test_a_deactivated_space_is_no_longer_offered_but_past_quarters_stay(clock: Any) -> None:
    space = open_space(hours=("08:00", "18:00"))
    assert set(offered(space)) == {"20263", "20264"}
    # A quarter later (Q4 current), the daily job adds Q1 2027; Q3 stays as it was recorded.
    clock.return_value = dt.datetime(2026, 11, 2, 12, 0, tzinfo=dt.UTC)
    activity_refresh()
    assert set(offered(space)) == {"20263", "20264", "20271"}

    manager = make_manager("medellin")
    services_calendar.space_set_active(space=space, actor=manager, is_active=False)
    assert offered(space) == {"20263": Decimal("620.00")}  # no closure here: 62 days
    services_calendar.space_set_active(space=space, actor=manager, is_active=True)
    assert set(offered(space)) == {"20263", "20264", "20271"}


def test_only_managers_of_the_hub_change_when_a_space_is_open_and_bad_input_is_refused(
    clock: Any,
) -> None:
    space = open_space(hours=("08:00", "18:00"))
    before = offered(space)
    with pytest.raises(PermissionDenied):
        services_calendar.space_opening_hours_set(
            space=space, actor=make_manager("miami"), hours=[(0, dt.time(8), dt.time(9))]
        )
    manager = make_manager("medellin")
    with pytest.raises(ValidationFailed):
        services_calendar.space_opening_hours_set(
            space=space, actor=manager, hours=[(0, dt.time(18), dt.time(8))]
        )
    with pytest.raises(ValidationFailed):
        services_calendar.closure_create(
            actor=manager, hub=space.hub, starts_on=dt.date(2026, 9, 2), ends_on=dt.date(2026, 9, 1)
        )
    assert offered(space) == before
    assert space.hours.count() == 5


def test_closures_added_and_deleted_in_the_admin_move_the_hours_offered(clock: Any) -> None:
    from django.test import Client

    from puente.spaces.models import Closure

    space = open_space(hours=("08:00", "18:00"))
    before = offered(space)["20263"]
    staff = UserFactory(email="staff-hours@example.org", is_staff=True, is_superuser=True)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(staff)
    response = client.post(
        "/admin/spaces/closure/add/",
        {
            "hub": str(space.hub_id),
            "space": str(space.pk),
            "starts_on": "2026-09-21",
            "ends_on": "2026-09-22",
            "reason_en": "Painting",
            "reason_es": "Pintura",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    # Two weekdays of ten hours less.
    assert offered(space)["20263"] == before - 20
    closure = Closure.objects.get()
    response = client.post(
        "/admin/spaces/closure/",
        {"action": "delete_selected", "_selected_action": [str(closure.pk)], "post": "yes"},
    )
    assert response.status_code == 302
    assert not Closure.objects.exists()
    assert offered(space)["20263"] == before
