"""The other apps' services record KPI facts as things happen (and retract them when undone);
the backfill rebuilds the same facts from the stored records."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone

from puente.core.errors import ValidationFailed
from puente.directory.models import MembershipRole
from puente.events import services as event_services
from puente.events import services_schedule
from puente.events.models import EventStatus
from puente.impact.computation import Quarter
from puente.impact.models import ActivityKind as K
from puente.impact.models import ActivityRecord
from puente.impact.selectors import Direction, Scope, build_dashboard
from puente.impact.services import activity_sync, activity_sync_existing, retract_activity
from puente.introductions import services as introduction_services
from puente.landing import services as landing_services
from puente.landing.models import SurveyRequest
from puente.spaces import services as space_services
from puente.spaces import services_community
from puente.spaces.models import (
    BookingStatus,
    CommunityEvent,
    EventKind,
    MentorSession,
    SessionStatus,
)
from tests.events.helpers import accepted_meeting, make_event, register
from tests.factories import OrganizationFactory, UserFactory, hub, make_manager, make_member
from tests.impact.conftest import partnership
from tests.landing.conftest import build_landing_world
from tests.spaces.helpers import make_mentor, make_office_hours, make_space, next_weekday

pytestmark = pytest.mark.django_db


def kpi(code: str, quarter: Quarter, **scope: Any) -> Decimal | None:
    board = build_dashboard(quarter=quarter, scope=Scope(**scope))
    return board.row(code).value.value


def this_quarter(hub_slug: str = "medellin") -> Quarter:
    return Quarter.of_moment(timezone.now(), hub(hub_slug).zone)


def facts() -> set[tuple[str, str, str, str, int]]:
    return set(
        ActivityRecord.objects.values_list(
            "kind", "source_type", "source_id", "quantity", "quarter"
        )
    )


# --- spaces ----------------------------------------------------------------------------------
def test_a_confirmed_booking_counts_its_hours_in_the_hubs_quarter_and_cancelling_retracts_it() -> (
    None
):
    space = make_space(hours=("06:00", "23:59"), weekdays=range(7))
    member = UserFactory()
    before = Quarter(2026, 3)
    # 22:00–23:30 on 30 September in Medellín is 03:00–04:30 UTC on 1 October: still Q3 there.
    [booking] = space_services.booking_create(
        space=space,
        actor=member,
        start=dt.datetime(2026, 9, 30, 22, 0),
        end=dt.datetime(2026, 9, 30, 23, 30),
        now=dt.datetime(2026, 9, 1, 12, 0, tzinfo=dt.UTC),
    )
    assert booking.starts_at.astimezone(dt.UTC).date() == dt.date(2026, 10, 1)
    assert kpi("space_bookings", before) == 1
    assert kpi("space_bookings", Quarter(2026, 4)) == 0
    record = ActivityRecord.objects.get(kind=K.SPACE_BOOKING)
    assert (record.quantity, record.local_date) == (Decimal("1.50"), dt.date(2026, 9, 30))
    space_services.booking_cancel(
        booking=booking, actor=make_manager("medellin"), now=booking.starts_at
    )
    assert kpi("space_bookings", before) == 0


def test_a_tentative_booking_counts_only_once_approved() -> None:
    space = make_space(requires_approval=True)
    member = UserFactory()
    day = next_weekday(1)
    [booking] = space_services.booking_create(
        space=space,
        actor=member,
        start=dt.datetime.combine(day, dt.time(9)),
        end=dt.datetime.combine(day, dt.time(11)),
    )
    assert booking.status == BookingStatus.TENTATIVE
    quarter = Quarter.of_date(day)
    assert kpi("space_bookings", quarter) == 0
    space_services.booking_decide(booking=booking, actor=make_manager("medellin"), approve=True)
    assert kpi("space_bookings", quarter) == 1
    assert ActivityRecord.objects.get(kind=K.SPACE_BOOKING).quantity == 2


def test_community_event_attendance_and_mentoring_hours() -> None:
    start = timezone.now() + dt.timedelta(days=2)
    event = CommunityEvent.objects.create(
        hub=hub("medellin"),
        slug="meetup-impact",
        kind=EventKind.MEETUP,
        title_en="Fintech meetup",
        title_es="Encuentro fintech",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=2),
        capacity=10,
    )
    registrations = [
        services_community.event_register(event=event, actor=UserFactory()) for _n in range(3)
    ]
    quarter = Quarter.of_moment(start, hub("medellin").zone)
    assert kpi("events_held", quarter) == 0  # nobody attended yet
    manager = make_manager("medellin")
    for registration in registrations[:2]:
        services_community.event_check_in(registration=registration, actor=manager)
    assert kpi("events_held", quarter) == 1
    assert kpi("event_attendance", quarter) == 2

    mentor = make_mentor()
    offer = make_office_hours(mentor)
    held_at = dt.datetime(2026, 8, 4, 15, 0, tzinfo=hub("medellin").zone)
    session = MentorSession.objects.create(
        office_hours=offer,
        mentor=mentor,
        founder=UserFactory(),
        starts_at=held_at,
        ends_at=held_at + dt.timedelta(minutes=45),
        topic="Levantar capital",
    )
    later = held_at + dt.timedelta(hours=2)
    services_community.session_record(
        session=session, actor=mentor, values={"outcome": "completed"}, now=later
    )
    assert kpi("mentoring_hours", Quarter(2026, 3)) == Decimal("0.75")
    assert ActivityRecord.objects.get(kind=K.MENTORING_HOURS).person == mentor.person
    services_community.session_record(
        session=session, actor=mentor, values={"outcome": "no_show"}, now=later
    )
    session.refresh_from_db()
    assert session.status == SessionStatus.NO_SHOW
    assert kpi("mentoring_hours", Quarter(2026, 3)) == 0


# --- events ----------------------------------------------------------------------------------
def test_brokerage_meetings_count_once_the_agenda_is_published_and_not_after_removal() -> None:
    medellin, miami = partnership()
    organizer = make_manager("medellin")
    event = make_event(organizer=organizer)
    cafe = register(event, OrganizationFactory(name="Cafetal"))
    coral = register(event, OrganizationFactory(name="Coral", hub=miami))
    paisa = register(event, OrganizationFactory(name="Paisa"))
    slots = list(event.slots.order_by("starts_at"))
    first = accepted_meeting(cafe, coral)
    second = accepted_meeting(paisa, coral)
    services_schedule.meeting_move(meeting=first, actor=organizer, slot=slots[0], table=1)
    services_schedule.meeting_move(meeting=second, actor=organizer, slot=slots[1], table=1)
    quarter = Quarter(2026, 1)  # the helpers' event day, 10 March 2026
    assert kpi("meetings_held", quarter) == 0  # the agenda is not published yet
    services_schedule.event_publish(event=event, actor=organizer)
    assert kpi("meetings_held", quarter) == 2
    assert kpi("events_held", quarter) == 1
    assert kpi("meetings_held", quarter, direction=Direction(medellin, miami)) == 2
    services_schedule.participant_check_in(participant=cafe, actor=organizer)
    assert kpi("event_attendance", quarter) == 1
    services_schedule.meeting_remove(meeting=second, actor=organizer)
    assert kpi("meetings_held", quarter) == 1
    services_schedule.participant_mark_no_show(participant=cafe, actor=organizer)
    assert kpi("meetings_held", quarter) == 0  # out of its slot
    assert kpi("event_attendance", quarter) == 0
    event_services.event_set_status(event=event, actor=organizer, status=EventStatus.CANCELLED)
    assert kpi("events_held", quarter) == 0
    assert not ActivityRecord.objects.exists()


def test_a_published_event_counts_only_once_its_time_has_come(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Funders read "held": an agenda published for next month is not yet an event or
    meetings held; the daily sync records them once their slots have begun."""
    partnership()
    organizer = make_manager("medellin")
    day = dt.date.today() + dt.timedelta(days=40)
    event = make_event(organizer=organizer, day=day)
    meeting = accepted_meeting(register(event), register(event))
    slot = event.slots.order_by("starts_at").first()
    services_schedule.meeting_move(meeting=meeting, actor=organizer, slot=slot, table=1)
    services_schedule.event_publish(event=event, actor=organizer)
    assert not ActivityRecord.objects.filter(kind__in=[K.MEETING_HELD, K.EVENT_HELD]).exists()
    later = slot.starts_at + dt.timedelta(minutes=5)
    monkeypatch.setattr(timezone, "now", lambda: later)
    activity_sync_existing(sources=["events.event", "events.meeting"])
    kinds = set(ActivityRecord.objects.values_list("kind", flat=True))
    assert {K.MEETING_HELD, K.EVENT_HELD} <= kinds


# --- landing ---------------------------------------------------------------------------------
def test_admission_lands_the_company_and_its_survey_adds_jobs_and_investment() -> None:
    world = build_landing_world()
    application = landing_services.application_save(
        actor=world.applicant,
        call=world.call,
        organization=world.company,
        answers={"pitch": "Pagos para tiendas."},
        uploads={"deck": SimpleUploadedFile("deck.pdf", b"%PDF-1.4\n%%EOF\n")},
        language="en",
    )
    application = landing_services.application_submit(
        actor=world.applicant, application=application
    )
    quarter = this_quarter()
    miami_to_medellin = Direction(hub("miami"), hub("medellin"))
    partnership()
    assert kpi("companies_landed", quarter, direction=miami_to_medellin) == 0
    landing_services.application_decide(
        actor=world.manager, application=application, decision="admitted"
    )
    assert kpi("companies_landed", quarter, direction=miami_to_medellin) == 1
    assert kpi("companies_landed", quarter, hub=hub("medellin")) == 1
    landing_services.surveys_send(actor=world.manager, call=world.call, period_label="2026-H2")
    survey = SurveyRequest.objects.get(application=application)
    landing_services.survey_answer(
        actor=world.applicant,
        survey=survey,
        values={
            "currency": "USD",
            "revenue": Decimal("1000"),
            "full_time_employees": 9,
            "investment_raised": Decimal("250000"),
            "jobs_created_host_city": 4,
        },
    )
    quarter = this_quarter()
    assert kpi("jobs_created", quarter, direction=miami_to_medellin) == 4
    assert kpi("investment_mobilized", quarter, direction=miami_to_medellin) == Decimal("250000.00")


# --- introductions ---------------------------------------------------------------------------
def test_introductions_requested_and_accepted_are_counted_when_they_happen() -> None:
    medellin, miami = partnership()
    cafe = OrganizationFactory(name="Cafetal")
    coral = OrganizationFactory(name="Coral", hub=miami)
    asker = make_member(cafe, role=MembershipRole.ADMIN)
    answerer = make_member(coral, role=MembershipRole.ADMIN, home_hub=miami)
    intro = introduction_services.introduction_request(actor=asker, requester=cafe, target=coral)
    quarter = this_quarter()
    assert kpi("introductions_requested", quarter) == 1
    assert kpi("introductions_accepted", quarter) == 0
    introduction_services.introduction_respond(introduction=intro, actor=answerer, accept=True)
    assert kpi("introductions_accepted", quarter, direction=Direction(medellin, miami)) == 1


# --- the impact side -------------------------------------------------------------------------
def test_the_backfill_rebuilds_exactly_the_facts_the_services_recorded() -> None:
    space = make_space()
    day = next_weekday(1)
    space_services.booking_create(
        space=space,
        actor=UserFactory(),
        start=dt.datetime.combine(day, dt.time(9)),
        end=dt.datetime.combine(day, dt.time(10)),
    )
    organizer = make_manager("medellin")
    event = make_event(organizer=organizer)
    meeting = accepted_meeting(register(event), register(event))
    services_schedule.meeting_move(
        meeting=meeting, actor=organizer, slot=event.slots.first(), table=2
    )
    services_schedule.event_publish(event=event, actor=organizer)
    live = facts()
    assert {kind for kind, *_rest in live} == {K.SPACE_BOOKING, K.MEETING_HELD, K.EVENT_HELD}
    ActivityRecord.objects.all().delete()
    activity_sync_existing(sources=["spaces.booking", "events.event", "events.meeting"])
    assert facts() == live
    ActivityRecord.objects.all().delete()
    call_command("impact_sync", "--source", "spaces.booking", stdout=None)
    assert {kind for kind, *_rest in facts()} == {K.SPACE_BOOKING}


def test_the_backfill_command_refuses_an_unknown_source() -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="Unknown source"):
        call_command("impact_sync", "--source", "nope.model")


def test_sync_is_idempotent_and_retract_removes_only_the_given_kinds() -> None:
    organization = OrganizationFactory()
    activity_sync(sources=[organization])
    activity_sync(sources=[organization])
    assert ActivityRecord.objects.filter(kind=K.ORGANIZATION_ACTIVE).count() == 1
    assert retract_activity(sources=[organization], kinds=[K.MEETING_HELD]) == 0
    assert retract_activity(sources=[organization]) == 1
    assert retract_activity(sources=[]) == 0


def test_a_model_without_facts_is_refused() -> None:
    with pytest.raises(LookupError):
        activity_sync(sources=[hub("medellin")])


def test_the_survey_of_a_rejected_applicant_adds_nothing() -> None:
    world = build_landing_world()
    application = landing_services.application_save(
        actor=world.applicant,
        call=world.call,
        organization=world.company,
        answers={"pitch": "Pagos."},
        uploads={"deck": SimpleUploadedFile("deck.pdf", b"%PDF-1.4\n%%EOF\n")},
        language="en",
    )
    landing_services.application_submit(actor=world.applicant, application=application)
    landing_services.application_decide(
        actor=world.manager, application=application, decision="rejected"
    )
    landing_services.surveys_send(actor=world.manager, call=world.call, period_label="2026-H2")
    survey = SurveyRequest.objects.get(application=application)
    landing_services.survey_answer(
        actor=world.applicant,
        survey=survey,
        values={
            "currency": "USD",
            "revenue": Decimal("1"),
            "full_time_employees": 1,
            "investment_raised": Decimal("5"),
            "jobs_created_host_city": 3,
        },
    )
    assert not ActivityRecord.objects.exists()
    with pytest.raises(ValidationFailed):
        landing_services.application_decide(
            actor=world.manager, application=application, decision="nonsense"
        )


def test_sync_reads_the_stored_state_and_a_deleted_source_loses_its_facts() -> None:
    space = make_space()
    day = next_weekday(1)
    [booking] = space_services.booking_create(
        space=space,
        actor=UserFactory(),
        start=dt.datetime.combine(day, dt.time(9)),
        end=dt.datetime.combine(day, dt.time(10)),
    )
    assert ActivityRecord.objects.filter(kind=K.SPACE_BOOKING).count() == 1
    # A bulk update bypasses the instance the caller holds: the sync reads the row again.
    type(booking).objects.filter(pk=booking.pk).update(status=BookingStatus.REJECTED)
    assert activity_sync(sources=[booking]) == 0
    assert not ActivityRecord.objects.exists()
    type(booking).objects.filter(pk=booking.pk).update(status=BookingStatus.APPROVED)
    assert activity_sync(sources=[booking]) == 1
    type(booking).objects.filter(pk=booking.pk).delete()
    activity_sync(sources=[booking])
    assert not ActivityRecord.objects.exists()
