"""The agreement's KPIs, each defined once: bilingual name and definition, unit, computation."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from puente.impact.computation import (
    COUNT,
    DISTINCT_ORGANIZATIONS,
    DISTINCT_PEOPLE,
    MONEY,
    RATIO,
    SUM,
    KpiSpec,
)
from puente.impact.models import ActivityKind as K


@dataclass(frozen=True)
class KpiDefinition:
    """One KPI: what it is called and means (both languages through the catalog) and its spec."""

    spec: KpiSpec
    name: Promise
    definition: Promise
    unit: Promise
    source: Promise

    @property
    def code(self) -> str:
        return self.spec.code

    @property
    def is_money(self) -> bool:
        return self.spec.measure == MONEY

    @property
    def lists_organizations(self) -> bool:
        """Its drill-down lists organizations rather than individual records."""
        return self.spec.measure in (DISTINCT_ORGANIZATIONS, DISTINCT_PEOPLE)


RECORDED = _("Activity recorded on the platform")
MANUAL = _("Activity recorded on the platform and figures entered by hub managers with evidence")

KPIS: tuple[KpiDefinition, ...] = (
    KpiDefinition(
        KpiSpec("organizations_active", DISTINCT_ORGANIZATIONS),
        _("Organizations active"),
        _("Distinct organizations with at least one recorded activity in the period."),
        _("organizations"),
        RECORDED,
    ),
    KpiDefinition(
        KpiSpec("people_active", DISTINCT_PEOPLE),
        _("People active"),
        _("Distinct people with at least one recorded activity in the period."),
        _("people"),
        RECORDED,
    ),
    KpiDefinition(
        KpiSpec("matches_shown", COUNT, (K.MATCH_SHOWN,)),
        _("Matches shown"),
        _("Suggested matches shown to members."),
        _("matches"),
        RECORDED,
    ),
    KpiDefinition(
        KpiSpec("introductions_requested", COUNT, (K.INTRODUCTION_REQUESTED,)),
        _("Introductions requested"),
        _("Introductions requested by members or brokered by hub managers."),
        _("introductions"),
        RECORDED,
    ),
    KpiDefinition(
        KpiSpec("introductions_accepted", COUNT, (K.INTRODUCTION_ACCEPTED,)),
        _("Introductions accepted"),
        _("Introductions accepted by both sides."),
        _("introductions"),
        RECORDED,
    ),
    KpiDefinition(
        KpiSpec("meetings_held", COUNT, (K.MEETING_HELD,)),
        _("Meetings held"),
        _("Meetings held at brokerage events and after introductions."),
        _("meetings"),
        RECORDED,
    ),
    KpiDefinition(
        KpiSpec("companies_landed", COUNT, (K.COMPANY_LANDED,)),
        _("Companies landed"),
        _(
            "Companies admitted to a landing program in the other hub, counted when their landing case file opens there."
        ),
        _("companies"),
        MANUAL,
    ),
    KpiDefinition(
        KpiSpec("jobs_created", SUM, (K.JOBS_CREATED,)),
        _("Jobs created"),
        _("People hired as a result of introductions and landings."),
        _("jobs"),
        MANUAL,
    ),
    KpiDefinition(
        KpiSpec("investment_mobilized", MONEY, (K.INVESTMENT,)),
        _("Investment mobilized"),
        _(
            "Investment made after introductions and landings, summed by currency and converted with the stated rate."
        ),
        _("money"),
        MANUAL,
    ),
    KpiDefinition(
        KpiSpec("events_held", COUNT, (K.EVENT_HELD,)),
        _("Events held"),
        _("Brokerage and community events held."),
        _("events"),
        RECORDED,
    ),
    KpiDefinition(
        KpiSpec("event_attendance", SUM, (K.EVENT_ATTENDANCE,)),
        _("Event attendance"),
        _("People who attended events (checked in)."),
        _("attendees"),
        RECORDED,
    ),
    KpiDefinition(
        KpiSpec("mentoring_hours", SUM, (K.MENTORING_HOURS,)),
        _("Mentoring hours"),
        _("Hours of mentoring and office hours given."),
        _("hours"),
        RECORDED,
    ),
    KpiDefinition(
        KpiSpec("space_bookings", COUNT, (K.SPACE_BOOKING,)),
        _("Space bookings"),
        _("Bookings of the hubs' spaces."),
        _("bookings"),
        RECORDED,
    ),
    KpiDefinition(
        KpiSpec("space_occupancy", RATIO, (K.SPACE_BOOKING,), (K.SPACE_HOURS_OFFERED,)),
        _("Space occupancy"),
        _("Hours booked as a share of the hours the spaces were offered."),
        _("%"),
        RECORDED,
    ),
)

KPI_BY_CODE: dict[str, KpiDefinition] = {kpi.code: kpi for kpi in KPIS}
KPI_CHOICES = [(kpi.code, kpi.name) for kpi in KPIS]


def kpi_definition(code: str) -> KpiDefinition | None:
    return KPI_BY_CODE.get(code)
