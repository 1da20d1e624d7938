"""Soft-landing objects added to the API permission table's world (tests/api/conftest.py).

The world's Medellín organization (members: org_member, org_admin) applies to three calls of a
Medellín program: a draft (call A), a submitted application assigned to the ``mentor`` role as
reviewer (call B), an admitted one with its case file and a milestone (call C), and one in the
screening round of call D assigned to the ``mentor`` role as screener.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from puente.landing import services, services_cases, services_screening
from puente.landing.checklists import ensure_default_checklists
from puente.landing.models import (
    Application,
    Call,
    CaseFile,
    Criterion,
    FieldKind,
    FormField,
    Milestone,
    Program,
    Review,
    ScreeningVote,
)
from tests.api.conftest import World
from tests.factories import hub


@dataclass(frozen=True)
class LandingObjects:
    program: Program
    call_a: Call
    draft: Application
    call_b: Call
    review: Review
    case_file: CaseFile
    milestone: Milestone
    screening_vote: ScreeningVote


def landing_objects(world: World) -> LandingObjects:
    cached = getattr(world, "_landing", None)
    if cached is not None:
        return cached
    ensure_default_checklists()
    medellin = hub("medellin")
    program = Program.objects.create(
        hub=medellin,
        destination_hub=hub("miami"),
        direction="outbound",
        slug="miami-soft-landing",
        name_en="Miami Soft Landing",
        name_es="Aterrizaje en Miami",
    )
    now = timezone.now()
    calls = []
    for title in ("A", "B", "C", "D"):
        call = Call.objects.create(
            program=program,
            title_en=title,
            title_es=title,
            opens_at=now - dt.timedelta(days=1),
            closes_at=now + dt.timedelta(days=5),
        )
        FormField.objects.create(
            call=call,
            key="pitch",
            kind=FieldKind.TEXT,
            label_en="Pitch",
            label_es="Propuesta",
            max_length=200,
        )
        Criterion.objects.create(
            call=call, name_en="Team", name_es="Equipo", weight=Decimal(1), scale_max=5
        )
        calls.append(call)
    call_a, call_b, call_c, call_d = calls
    applicant = world.user("org_admin")
    manager = world.user("manager_same_hub")
    organization = world.organization
    draft = services.application_save(
        actor=applicant, call=call_a, organization=organization, answers={"pitch": "Café"}
    )
    submitted = services.application_submit(
        actor=applicant,
        application=services.application_save(
            actor=applicant, call=call_b, organization=organization, answers={"pitch": "Café"}
        ),
    )
    services.reviewer_add(actor=manager, call=call_b, reviewer=world.user("mentor"))
    review = services.assignment_create(
        actor=manager, application=submitted, reviewer=world.user("mentor")
    )
    admitted = services.application_submit(
        actor=applicant,
        application=services.application_save(
            actor=applicant, call=call_c, organization=organization, answers={"pitch": "Café"}
        ),
    )
    services.application_decide(actor=manager, application=admitted, decision="admitted")
    case_file = CaseFile.objects.get(application=admitted)
    milestone = services_cases.milestone_add(
        actor=manager,
        case_file=case_file,
        values={"title_en": "First client", "title_es": "Primer cliente"},
    )
    call_d.has_screening = True
    call_d.save(update_fields=["has_screening"])
    services.application_submit(
        actor=applicant,
        application=services.application_save(
            actor=applicant, call=call_d, organization=organization, answers={"pitch": "Café"}
        ),
    )
    services.reviewer_add(actor=manager, call=call_d, reviewer=world.user("mentor"))
    call_d.screeners_per_application = 1
    call_d.save(update_fields=["screeners_per_application"])
    (screening_vote,) = services_screening.screening_assign_auto(actor=manager, call=call_d)
    objects = LandingObjects(
        program=program,
        call_a=call_a,
        draft=draft,
        call_b=call_b,
        review=review,
        case_file=case_file,
        milestone=milestone,
        screening_vote=screening_vote,
    )
    object.__setattr__(world, "_landing", objects)
    return objects
