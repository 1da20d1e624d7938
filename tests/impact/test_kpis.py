"""Every KPI computed from hand-built activity: period boundaries in the hubs' time zones,
direction and hub filters, currency conversion with dated rates, targets, adapters."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from puente.accounts.viewer import viewer_for
from puente.core.errors import PermissionDenied, ValidationFailed
from puente.impact.computation import Quarter
from puente.impact.models import ActivityKind as K
from puente.impact.models import ActivityRecord, ExchangeRate
from puente.impact.selectors import Direction, Scope, kpi_dashboard, kpi_records
from puente.impact.services import (
    activity_record_manual,
    activity_sync_existing,
    kpi_target_set,
    record_activity,
)
from tests.factories import OrganizationFactory, UserFactory, hub, make_manager
from tests.impact.conftest import at, fact, partnership

pytestmark = pytest.mark.django_db
Q3 = Quarter(2026, 3)


def values(board) -> dict[str, Decimal | None]:  # type: ignore[no-untyped-def]
    return {row.definition.code: row.value.value for row in board.rows}


@pytest.fixture
def world():  # type: ignore[no-untyped-def]
    medellin, miami = partnership()
    cafe = OrganizationFactory(name="Cafetal Digital")
    paisa = OrganizationFactory(name="Paisa Pagos")
    coral = OrganizationFactory(name="Coral Pay", hub=miami)
    # Medellín hub, Q3 in Bogotá time (UTC-5): the last one is 23:30 on 30 September locally.
    fact(
        K.INTRODUCTION_REQUESTED, "2026-07-01 05:00", organization=cafe, partner_organization=coral
    )
    fact(K.INTRODUCTION_ACCEPTED, "2026-08-10 15:00", organization=cafe, partner_organization=coral)
    fact(K.MEETING_HELD, "2026-10-01 04:30", organization=cafe, partner_organization=coral)
    # 04:59 UTC on 1 July is still 30 June in Bogotá: Q2.
    fact(K.MEETING_HELD, "2026-07-01 04:59", organization=paisa, partner_organization=coral)
    # Miami hub (New York time, UTC-4 in summer): 04:30 UTC on 1 October is 00:30 local: Q4.
    fact(K.MEETING_HELD, "2026-10-01 04:30", "miami", organization=coral, partner_organization=cafe)
    fact(
        K.MEETING_HELD, "2026-09-30 12:00", "miami", organization=coral, partner_organization=paisa
    )
    # Landings: Cafetal lands in Miami (Medellín → Miami); Coral lands in Medellín.
    fact(K.COMPANY_LANDED, "2026-08-01 12:00", "miami", organization=cafe)
    fact(K.COMPANY_LANDED, "2026-09-15 12:00", "medellin", organization=coral)
    fact(K.JOBS_CREATED, "2026-08-02 12:00", "miami", organization=cafe, quantity=7)
    fact(
        K.INVESTMENT,
        "2026-08-03 12:00",
        "miami",
        organization=cafe,
        quantity=8_000_000,
        currency="COP",
    )
    fact(
        K.INVESTMENT, "2026-09-03 12:00", "miami", organization=cafe, quantity=1000, currency="USD"
    )
    fact(K.EVENT_HELD, "2026-09-01 12:00")
    fact(K.EVENT_ATTENDANCE, "2026-09-01 12:00", quantity=85)
    fact(K.MENTORING_HOURS, "2026-09-02 12:00", quantity=Decimal("12.5"))
    fact(K.SPACE_HOURS_OFFERED, "2026-07-01 12:00", quantity=400)
    fact(K.SPACE_BOOKING, "2026-07-05 12:00", organization=paisa, quantity=30)
    fact(K.SPACE_BOOKING, "2026-07-06 12:00", organization=cafe, quantity=70)
    fact(K.MATCH_SHOWN, "2026-07-06 12:00", organization=paisa, partner_organization=coral)
    ExchangeRate.objects.create(
        currency="COP", rate=Decimal("3000"), valid_on=dt.date(2026, 6, 30), source="older"
    )
    ExchangeRate.objects.create(
        currency="COP", rate=Decimal("4000"), valid_on=dt.date(2026, 9, 30), source="end of quarter"
    )
    ExchangeRate.objects.create(
        currency="COP",
        rate=Decimal("5000"),
        valid_on=dt.date(2026, 10, 15),
        source="after the quarter",
    )
    return {"medellin": medellin, "miami": miami, "cafe": cafe, "paisa": paisa, "coral": coral}


def test_every_kpi_of_the_joint_quarter_computed_by_hand(world) -> None:  # type: ignore[no-untyped-def]
    board = kpi_dashboard(viewer_for(make_manager()), quarter=Q3, scope=Scope())
    assert values(board) == {
        "organizations_active": 3,  # cafe, paisa, coral as acting organization in Q3
        "people_active": 0,
        "matches_shown": 1,
        "introductions_requested": 1,
        "introductions_accepted": 1,
        "meetings_held": 2,  # Medellín 23:30 on 30 Sep + Miami 30 Sep; not Q2's, not Miami's Q4
        "companies_landed": 2,
        "jobs_created": 7,
        "investment_mobilized": Decimal(
            "3000.00"
        ),  # 8,000,000 COP / 4,000 (rate of 30 Sep) + 1,000 USD
        "events_held": 1,
        "event_attendance": 85,
        "mentoring_hours": Decimal("12.5"),
        "space_bookings": 2,
        "space_occupancy": Decimal("25.0"),  # 100 of 400 hours
    }
    money = board.row("investment_mobilized").value
    assert [(rate.rate, rate.valid_on) for rate in money.rates] == [
        (Decimal("4000"), dt.date(2026, 9, 30))
    ]


def test_quarter_boundaries_follow_each_hubs_time_zone(world) -> None:  # type: ignore[no-untyped-def]
    viewer = viewer_for(make_manager())
    q2 = values(kpi_dashboard(viewer, quarter=Quarter(2026, 2), scope=Scope()))
    q4 = values(kpi_dashboard(viewer, quarter=Quarter(2026, 4), scope=Scope()))
    assert q2["meetings_held"] == 1  # 04:59 UTC on 1 July = 23:59 on 30 June in Bogotá
    assert q4["meetings_held"] == 1  # 04:30 UTC on 1 October = 00:30 in Miami
    records = ActivityRecord.objects.filter(kind=K.MEETING_HELD, occurred_at=at("2026-10-01 04:30"))
    assert sorted((r.hub.slug, r.local_date.isoformat(), r.quarter) for r in records) == [
        ("medellin", "2026-09-30", 20263),
        ("miami", "2026-10-01", 20264),
    ]


def test_hub_and_direction_filters(world) -> None:  # type: ignore[no-untyped-def]
    viewer = viewer_for(make_manager())
    to_miami = Direction(world["medellin"], world["miami"])
    to_medellin = Direction(world["miami"], world["medellin"])
    medellin_to_miami = values(kpi_dashboard(viewer, quarter=Q3, scope=Scope(direction=to_miami)))
    miami_to_medellin = values(
        kpi_dashboard(viewer, quarter=Q3, scope=Scope(direction=to_medellin))
    )
    assert medellin_to_miami["companies_landed"] == 1
    assert medellin_to_miami["investment_mobilized"] == Decimal("3000.00")
    assert medellin_to_miami["meetings_held"] == 1  # Cafetal's meeting with Coral in Medellín's Q3
    assert miami_to_medellin["companies_landed"] == 1
    assert miami_to_medellin["meetings_held"] == 1  # Coral with Paisa, 30 September in Miami
    assert miami_to_medellin["investment_mobilized"] == Decimal("0.00")
    miami_only = values(kpi_dashboard(viewer, quarter=Q3, scope=Scope(hub=world["miami"])))
    assert miami_only["companies_landed"] == 1
    assert miami_only["jobs_created"] == 7
    assert miami_only["events_held"] == 0


def test_a_rate_dated_after_the_quarter_is_not_used(world) -> None:  # type: ignore[no-untyped-def]
    ExchangeRate.objects.filter(valid_on=dt.date(2026, 9, 30)).delete()
    board = kpi_dashboard(viewer_for(make_manager()), quarter=Q3, scope=Scope())
    assert board.row("investment_mobilized").value.value == Decimal(
        "3666.67"
    )  # 8,000,000/3,000 + 1,000


def test_targets_and_progress(world) -> None:  # type: ignore[no-untyped-def]
    staff = UserFactory(is_staff=True)
    kpi_target_set(actor=staff, kpi="companies_landed", year=2026, quarter=3, value=Decimal(4))
    kpi_target_set(
        actor=staff, kpi="companies_landed", year=2026, quarter=3, value=Decimal(8)
    )  # changes it
    board = kpi_dashboard(viewer_for(staff), quarter=Q3, scope=Scope())
    assert board.row("companies_landed").value.target == 8
    assert board.row("companies_landed").value.progress == Decimal("25.0")
    with pytest.raises(PermissionDenied):
        kpi_target_set(
            actor=make_manager(), kpi="companies_landed", year=2026, quarter=3, value=Decimal(1)
        )
    with pytest.raises(ValidationFailed):
        kpi_target_set(actor=staff, kpi="nope", year=2026, quarter=3, value=Decimal(1))


def test_only_managers_see_the_dashboard(world) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(PermissionDenied):
        kpi_dashboard(viewer_for(UserFactory()), quarter=Q3, scope=Scope())


def test_drill_down_lists_the_records_and_hides_names_the_viewer_may_not_see(world) -> None:  # type: ignore[no-untyped-def]
    from puente.impact.kpis import KPI_BY_CODE

    world["coral"].profile_visibility = "private"
    world["coral"].save()
    manager = viewer_for(make_manager("medellin"))
    rows, total = kpi_records(manager, KPI_BY_CODE["companies_landed"], quarter=Q3, scope=Scope())
    assert total == 2
    assert sorted(str(row.organization) for row in rows) == [
        "Cafetal Digital",
        "None",
    ]  # Coral is private to Miami
    rows, total = kpi_records(
        manager, KPI_BY_CODE["organizations_active"], quarter=Q3, scope=Scope()
    )
    assert total == 3


def test_record_activity_is_idempotent_per_source_and_validates(world) -> None:  # type: ignore[no-untyped-def]
    cafe = world["cafe"]
    first = record_activity(
        kind=K.COMPANY_LANDED,
        occurred_at=at("2026-08-01 12:00"),
        hub=hub("miami"),
        organization=cafe,
        source=cafe,
    )
    again = record_activity(
        kind=K.COMPANY_LANDED,
        occurred_at=at("2026-08-02 12:00"),
        hub=hub("miami"),
        organization=cafe,
        source=cafe,
    )
    assert first.pk == again.pk
    assert ActivityRecord.objects.get(pk=first.pk).local_date == dt.date(2026, 8, 2)
    assert (again.origin_hub.slug, again.destination_hub.slug) == ("medellin", "miami")
    with pytest.raises(ValidationFailed):
        record_activity(
            kind=K.INVESTMENT, occurred_at=at("2026-08-01 12:00"), hub=hub(), quantity=5
        )
    with pytest.raises(ValidationFailed):
        record_activity(kind="bogus", occurred_at=at("2026-08-01 12:00"), hub=hub())
    with pytest.raises(ValidationFailed):
        record_activity(kind=K.JOBS_CREATED, occurred_at=dt.datetime(2026, 8, 1), hub=hub())


def test_manual_figures_need_a_manager_of_the_hub_and_evidence(world) -> None:  # type: ignore[no-untyped-def]
    manager = make_manager("medellin")
    record = activity_record_manual(
        actor=manager,
        kind=K.JOBS_CREATED,
        occurred_on=dt.date(2026, 9, 30),
        hub=hub("medellin"),
        quantity=3,
        evidence="Payroll letter",
    )
    assert record.quarter == 20263
    assert record.evidence == "Payroll letter"
    with pytest.raises(PermissionDenied):
        activity_record_manual(
            actor=manager,
            kind=K.JOBS_CREATED,
            occurred_on=dt.date(2026, 9, 30),
            hub=hub("miami"),
            quantity=3,
            evidence="x",
        )
    with pytest.raises(ValidationFailed):
        activity_record_manual(
            actor=manager,
            kind=K.JOBS_CREATED,
            occurred_on=dt.date(2026, 9, 30),
            hub=hub("medellin"),
            quantity=3,
            evidence=" ",
        )
    with pytest.raises(ValidationFailed):
        activity_record_manual(
            actor=manager,
            kind=K.MATCH_SHOWN,
            occurred_on=dt.date(2026, 9, 30),
            hub=hub("medellin"),
            quantity=3,
            evidence="x",
        )


def test_adapters_turn_introductions_and_outcomes_into_facts_once() -> None:
    from puente.introductions.models import Introduction, IntroductionOutcome

    medellin, miami = partnership()
    cafe = OrganizationFactory(name="Cafetal Digital")
    coral = OrganizationFactory(name="Coral Pay", hub=miami)
    intro = Introduction.objects.create(
        requester=cafe,
        target=coral,
        status="accepted",
        expires_at=at("2026-09-01 00:00"),
        requester_accepted_at=at("2026-08-01 10:00"),
        target_accepted_at=at("2026-08-02 10:00"),
    )
    IntroductionOutcome.objects.create(
        introduction=intro,
        kind="investment",
        occurred_on=dt.date(2026, 8, 20),
        amount=Decimal("250000"),
        currency="USD",
    )
    IntroductionOutcome.objects.create(
        introduction=intro, kind="hire", occurred_on=dt.date(2026, 8, 21), hires=2
    )
    IntroductionOutcome.objects.create(
        introduction=intro, kind="met", occurred_on=dt.date(2026, 8, 5)
    )
    created = activity_sync_existing()
    assert created == 2 + 2 + 3  # two organizations, requested + accepted, three outcomes
    assert activity_sync_existing() == 0
    board = kpi_dashboard(
        viewer_for(make_manager()), quarter=Q3, scope=Scope(direction=Direction(medellin, miami))
    )
    got = values(board)
    assert (
        got["introductions_accepted"],
        got["meetings_held"],
        got["jobs_created"],
        got["investment_mobilized"],
    ) == (1, 1, 2, Decimal("250000.00"))
