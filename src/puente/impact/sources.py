"""Which KPI facts each kind of record stands for: one builder per source model, used both when
the other apps' services act (``impact.services.activity_sync``) and when existing data is
backfilled (``puente impact_sync``), so a fact is built by one code path.

A builder reads the source's current state and returns the facts it stands for now; facts of
the source's other kinds are retracted. The other apps' models are imported inside the
builders: the impact app depends on their data, never on their views or services.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from typing import Any

from django.db import models
from django.utils import timezone

from puente.core.models import Hub
from puente.directory.models import Organization, Person
from puente.impact.models import ActivityKind as K

HOUR = Decimal("3600")


@dataclass(frozen=True)
class Fact:
    """One fact a source stands for: the keyword arguments of ``record_activity``."""

    kind: str
    occurred_at: dt.datetime
    hub: Hub
    organization: Organization | None = None
    partner_organization: Organization | None = None
    person: Person | None = None
    quantity: Decimal | int = 1
    currency: str = ""
    # Sources that stand for one fact of a kind per period (a space's hours, per quarter) tell
    # their facts apart by this key; the fact's source id becomes ``"<pk>@<key>"``.
    key: str = ""

    def as_kwargs(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "occurred_at": self.occurred_at,
            "hub": self.hub,
            "organization": self.organization,
            "partner_organization": self.partner_organization,
            "person": self.person,
            "quantity": self.quantity,
            "currency": self.currency,
        }


@dataclass(frozen=True)
class SourceAdapter:
    """How one source model becomes facts: the kinds it may produce, the builder, and the
    queryset that lists every source (with what the builder reads) for a backfill."""

    label: str
    kinds: tuple[str, ...]
    build: Callable[[Any], list[Fact]]
    everything: Callable[[], models.QuerySet[Any]] = field(repr=False)
    # Keyed sources: the keys the builder speaks for now (e.g. the current and next quarter).
    # Facts under other keys (past quarters) are history and are never retracted by a sync.
    covers: Callable[[Any], Iterable[str]] | None = field(default=None, repr=False)
    # Recomputed by the daily job (their facts depend on the calendar, not only on the record).
    refresh_daily: bool = False


def source_id_of(pk: Any, key: str = "") -> str:
    """The ``source_id`` of a fact: the record's primary key, with the fact's key if it has one."""
    return f"{pk}@{key}" if key else str(pk)


def _hours(start: dt.datetime, end: dt.datetime) -> Decimal:
    return (Decimal((end - start).total_seconds()) / HOUR).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP
    )


def _noon(day: dt.date, hub: Hub) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(12), tzinfo=hub.zone)


def _person_of(user: Any) -> Person | None:
    """The directory profile of an account, if it has one (cached on the user)."""
    try:
        person: Person = user.person
    except Person.DoesNotExist:
        return None
    return person


def _organization_of(user: Any) -> Organization | None:
    """The organization an account acts for: its first membership."""
    membership = user.memberships.select_related("organization").order_by("id").first()
    return membership.organization if membership is not None else None


# --- directory -------------------------------------------------------------------------------
def _organization_facts(organization: Organization) -> list[Fact]:
    return [
        Fact(
            K.ORGANIZATION_ACTIVE,
            organization.created_at,
            organization.hub,
            organization=organization,
        )
    ]


# --- introductions ---------------------------------------------------------------------------
def _introduction_facts(intro: Any) -> list[Fact]:
    """Requested when created; accepted when both sides accepted (at the later answer)."""
    from puente.introductions.models import IntroductionStatus

    hub = intro.requester.hub
    sides = {"organization": intro.requester, "partner_organization": intro.target}
    facts = [Fact(K.INTRODUCTION_REQUESTED, intro.created_at, hub, **sides)]
    if intro.status == IntroductionStatus.ACCEPTED:
        answers = [m for m in (intro.requester_accepted_at, intro.target_accepted_at) if m]
        accepted = max(answers) if answers else intro.updated_at
        facts.append(Fact(K.INTRODUCTION_ACCEPTED, accepted, hub, **sides))
    return facts


def _outcome_facts(outcome: Any) -> list[Fact]:
    """Met → a meeting held; investment → the amount; hire → jobs. Other outcomes: none."""
    from puente.introductions.models import OutcomeKind

    intro = outcome.introduction
    hub = intro.requester.hub
    at = _noon(outcome.occurred_on, hub)
    sides = {"organization": intro.requester, "partner_organization": intro.target}
    if outcome.kind == OutcomeKind.MET:
        return [Fact(K.MEETING_HELD, at, hub, **sides)]
    if outcome.kind == OutcomeKind.INVESTMENT and outcome.amount and outcome.currency:
        return [
            Fact(K.INVESTMENT, at, hub, quantity=outcome.amount, currency=outcome.currency, **sides)
        ]
    if outcome.kind == OutcomeKind.HIRE and outcome.hires:
        return [Fact(K.JOBS_CREATED, at, hub, quantity=outcome.hires, **sides)]
    return []


# --- events (brokerage) ----------------------------------------------------------------------
def _brokerage_event_start(event: Any) -> dt.datetime:
    first_slot = event.slots.order_by("starts_at").first()
    if first_slot is not None:
        start: dt.datetime = first_slot.starts_at
        return start
    return dt.datetime.combine(event.start_date, dt.time(9), tzinfo=event.zone)


def _brokerage_event_facts(event: Any) -> list[Fact]:
    """A brokerage event is held once its agenda is published and its first slot has begun
    (cancelling or reopening it retracts that; the daily sync records events whose day
    came); its attendance is the number of participants checked in."""
    from puente.events.models import EventStatus, ParticipantStatus

    if event.status != EventStatus.PUBLISHED:
        return []
    at = _brokerage_event_start(event)
    if at > timezone.now():
        return []
    facts = [Fact(K.EVENT_HELD, at, event.hub)]
    present = event.participants.filter(
        status=ParticipantStatus.REGISTERED, checked_in_at__isnull=False
    ).count()
    if present:
        facts.append(Fact(K.EVENT_ATTENDANCE, at, event.hub, quantity=present))
    return facts


def _brokerage_meeting_facts(meeting: Any) -> list[Fact]:
    """A meeting is held when it has a place (slot and table) in a published agenda; a no-show
    takes it out of its slot, which retracts it (a standby replacement is a new meeting).
    Only once its time has come: the daily sync records meetings as their slots begin.
    When its sides give feedback, one "it took place" keeps it; "it did not" from those who
    answered retracts it."""
    from puente.events.selectors import counts_as_held

    if not counts_as_held(meeting, timezone.now()):
        return []
    event = meeting.event
    return [
        Fact(
            K.MEETING_HELD,
            meeting.slot.starts_at,
            event.hub,
            organization=meeting.first.organization,
            partner_organization=meeting.second.organization,
        )
    ]


# --- landing ---------------------------------------------------------------------------------
def _case_file_facts(case_file: Any) -> list[Fact]:
    """A company has landed when it is admitted and its case file opens in the destination hub."""
    return [
        Fact(
            K.COMPANY_LANDED,
            case_file.opened_at,
            case_file.hub,
            organization=case_file.application.organization,
        )
    ]


def _survey_facts(survey: Any) -> list[Fact]:
    """Jobs created in the host city and investment raised, from the answered follow-up survey of
    an admitted company (rejected applicants answer too, as a comparison group: not counted)."""
    from puente.landing.models import ApplicationState

    application = survey.application
    if survey.answered_at is None or application.state != ApplicationState.ADMITTED:
        return []
    hub = application.call.program.destination_hub
    organization = application.organization
    facts = []
    if survey.jobs_created_host_city:
        facts.append(
            Fact(
                K.JOBS_CREATED,
                survey.answered_at,
                hub,
                organization=organization,
                quantity=survey.jobs_created_host_city,
            )
        )
    if survey.investment_raised and survey.currency:
        facts.append(
            Fact(
                K.INVESTMENT,
                survey.answered_at,
                hub,
                organization=organization,
                quantity=survey.investment_raised,
                currency=survey.currency,
            )
        )
    return facts


# --- spaces ----------------------------------------------------------------------------------
def _booking_facts(booking: Any) -> list[Fact]:
    """A confirmed booking counts, with its hours; tentative, rejected, cancelled and released
    (nobody checked in) bookings do not."""
    from puente.spaces.models import BookingStatus

    if booking.status != BookingStatus.APPROVED:
        return []
    return [
        Fact(
            K.SPACE_BOOKING,
            booking.starts_at,
            booking.space.hub,
            organization=_organization_of(booking.user),
            person=_person_of(booking.user),
            quantity=_hours(booking.starts_at, booking.ends_at),
        )
    ]


def _community_event_facts(event: Any) -> list[Fact]:
    """A published community event is held once someone is checked in; attendance is the
    number of people checked in."""
    from puente.spaces.models import RegistrationStatus

    if not event.is_published:
        return []
    present = event.registrations.filter(
        status=RegistrationStatus.REGISTERED, checked_in_at__isnull=False
    ).count()
    if not present:
        return []
    return [
        Fact(K.EVENT_HELD, event.starts_at, event.hub),
        Fact(K.EVENT_ATTENDANCE, event.starts_at, event.hub, quantity=present),
    ]


def _mentor_session_facts(session: Any) -> list[Fact]:
    """Mentoring hours: a session of office hours the mentor recorded as held."""
    from puente.spaces.models import SessionStatus

    if session.status != SessionStatus.COMPLETED:
        return []
    return [
        Fact(
            K.MENTORING_HOURS,
            session.starts_at,
            session.office_hours.hub,
            organization=_organization_of(session.founder),
            person=_person_of(session.mentor),
            quantity=_hours(session.starts_at, session.ends_at),
        )
    ]


def offer_quarters(hub: Hub, now: dt.datetime | None = None) -> list[tuple[dt.date, dt.date]]:
    """(first day, last day) of the current and the next quarter on the hub's wall clock: the
    quarters whose offered hours a space's facts are kept in line with."""
    today = (now or timezone.now()).astimezone(hub.zone).date()
    first = dt.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    quarters = []
    for _n in range(2):
        following = (
            dt.date(first.year + 1, 1, 1)
            if first.month == 10
            else dt.date(first.year, first.month + 3, 1)
        )
        quarters.append((first, following - dt.timedelta(days=1)))
        first = following
    return quarters


def _quarter_key(first_day: dt.date) -> str:
    return str(first_day.year * 10 + (first_day.month - 1) // 3 + 1)


def _space_covers(space: Any) -> list[str]:
    return [_quarter_key(first) for first, _last in offer_quarters(space.hub)]


def _space_hours_facts(space: Any) -> list[Fact]:
    """Hours an active space is offered in the current and next quarter of its hub (opening
    hours less holidays and closures, times its units): the denominator of occupancy. Earlier
    quarters keep the hours recorded while they ran."""
    from puente.spaces.selectors import hours_offered

    if not space.is_active:
        return []
    facts = []
    for first, last in offer_quarters(space.hub):
        hours = hours_offered(space, first, last)
        if hours:
            facts.append(
                Fact(
                    K.SPACE_HOURS_OFFERED,
                    _noon(first, space.hub),
                    space.hub,
                    quantity=hours,
                    key=_quarter_key(first),
                )
            )
    return facts


# --- matching --------------------------------------------------------------------------------
def _match_impression_facts(impression: Any) -> list[Fact]:
    """A matched item shown for the first time to an organization (or a user acting for none):
    from the subject organization's hub to the matched item's hub."""
    subject = impression.subject_organization
    return [
        Fact(
            K.MATCH_SHOWN,
            impression.shown_at,
            subject.hub,
            organization=subject,
            partner_organization=impression.matched_organization,
        )
    ]


@cache
def source_adapters() -> dict[str, SourceAdapter]:
    """Every source model that stands for KPI facts, by its label (``app.model``)."""
    from puente.events.models import Event, Meeting
    from puente.introductions.models import Introduction, IntroductionOutcome
    from puente.landing.models import CaseFile, SurveyRequest
    from puente.matching.models import MatchImpression
    from puente.spaces.models import Booking, CommunityEvent, MentorSession, Space

    adapters = [
        SourceAdapter(
            "directory.organization",
            (K.ORGANIZATION_ACTIVE,),
            _organization_facts,
            lambda: Organization.objects.select_related("hub"),
        ),
        SourceAdapter(
            "introductions.introduction",
            (K.INTRODUCTION_REQUESTED, K.INTRODUCTION_ACCEPTED),
            _introduction_facts,
            lambda: Introduction.objects.select_related("requester__hub", "target"),
        ),
        SourceAdapter(
            "introductions.introductionoutcome",
            (K.MEETING_HELD, K.INVESTMENT, K.JOBS_CREATED),
            _outcome_facts,
            lambda: IntroductionOutcome.objects.select_related(
                "introduction__requester__hub", "introduction__target"
            ),
        ),
        SourceAdapter(
            "events.event",
            (K.EVENT_HELD, K.EVENT_ATTENDANCE),
            _brokerage_event_facts,
            lambda: Event.objects.select_related("hub"),
        ),
        SourceAdapter(
            "events.meeting",
            (K.MEETING_HELD,),
            _brokerage_meeting_facts,
            lambda: Meeting.objects.select_related(
                "event__hub", "slot", "first__organization", "second__organization"
            ).prefetch_related("feedback"),
        ),
        SourceAdapter(
            "landing.casefile",
            (K.COMPANY_LANDED,),
            _case_file_facts,
            lambda: CaseFile.objects.select_related("hub", "application__organization__hub"),
        ),
        SourceAdapter(
            "landing.surveyrequest",
            (K.JOBS_CREATED, K.INVESTMENT),
            _survey_facts,
            lambda: SurveyRequest.objects.select_related(
                "application__organization__hub", "application__call__program__destination_hub"
            ),
        ),
        SourceAdapter(
            "spaces.booking",
            (K.SPACE_BOOKING,),
            _booking_facts,
            lambda: Booking.objects.select_related("space__hub", "user__person"),
        ),
        SourceAdapter(
            "spaces.communityevent",
            (K.EVENT_HELD, K.EVENT_ATTENDANCE),
            _community_event_facts,
            lambda: CommunityEvent.objects.select_related("hub"),
        ),
        SourceAdapter(
            "spaces.mentorsession",
            (K.MENTORING_HOURS,),
            _mentor_session_facts,
            lambda: MentorSession.objects.select_related(
                "office_hours__hub", "mentor__person", "founder"
            ),
        ),
        SourceAdapter(
            "spaces.space",
            (K.SPACE_HOURS_OFFERED,),
            _space_hours_facts,
            lambda: Space.objects.select_related("hub").prefetch_related("hours"),
            covers=_space_covers,
            refresh_daily=True,
        ),
        SourceAdapter(
            "matching.matchimpression",
            (K.MATCH_SHOWN,),
            _match_impression_facts,
            lambda: MatchImpression.objects.select_related(
                "subject_organization__hub", "matched_organization__hub"
            ),
        ),
    ]
    return {adapter.label: adapter for adapter in adapters}


def adapter_for(source: models.Model) -> SourceAdapter:
    """The adapter of a source instance; LookupError for a model that stands for no facts."""
    label = source._meta.label_lower
    adapters = source_adapters()
    if label not in adapters:
        raise LookupError(f"{label} records no KPI facts")
    return adapters[label]


def labels() -> Iterable[str]:
    return source_adapters().keys()
