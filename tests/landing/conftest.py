"""A small soft-landing world: a Medellín program with an open call, its form and rubric,
two Miami applicants, two reviewers and the managers of each hub."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.utils import timezone

from puente.accounts.models import User
from puente.directory.models import MembershipRole, Organization
from puente.landing.checklists import ensure_default_checklists
from puente.landing.models import Call, Criterion, FieldKind, FormField, Program
from tests.factories import OrganizationFactory, UserFactory, hub, make_manager, make_member


@dataclass
class LandingWorld:
    program: Program
    call: Call
    company: Organization
    other_company: Organization
    applicant: User
    other_applicant: User
    reviewer_a: User
    reviewer_b: User
    outsider_reviewer: User
    manager: User
    manager_other_hub: User
    stranger: User


def build_landing_world() -> LandingWorld:
    ensure_default_checklists()
    medellin, miami = hub("medellin"), hub("miami")
    program = Program.objects.create(
        hub=medellin,
        destination_hub=medellin,
        direction="inbound",
        slug="landing-medellin",
        name_en="Landing Medellín",
        name_es="Aterriza en Medellín",
        services=["hosting", "desk", "legal"],
        capacity=5,
    )
    now = timezone.now()
    call = Call.objects.create(
        program=program,
        title_en="2026 cohort",
        title_es="Cohorte 2026",
        opens_at=now - dt.timedelta(days=1),
        closes_at=now + dt.timedelta(days=10),
        reviewers_per_application=2,
    )
    FormField.objects.create(
        call=call,
        key="pitch",
        kind=FieldKind.LONG_TEXT,
        label_en="Why Medellín?",
        label_es="¿Por qué Medellín?",
        max_length=500,
        sort_order=1,
    )
    FormField.objects.create(
        call=call,
        key="employees",
        kind=FieldKind.NUMBER,
        label_en="Employees",
        label_es="Empleados",
        required=False,
        sort_order=2,
    )
    FormField.objects.create(
        call=call,
        key="deck",
        kind=FieldKind.FILE,
        label_en="Pitch deck",
        label_es="Presentación",
        allowed_extensions=["pdf"],
        max_file_mb=1,
        sort_order=3,
    )
    Criterion.objects.create(
        call=call, name_en="Team", name_es="Equipo", weight=Decimal(2), scale_max=5
    )
    Criterion.objects.create(
        call=call, name_en="Fit", name_es="Encaje", weight=Decimal(1), scale_max=5
    )
    company = OrganizationFactory(name="Coral Pay", hub=miami, description_language="en")
    other_company = OrganizationFactory(
        name="Brickell Health", hub=miami, description_language="en"
    )
    reviewer_a = UserFactory(full_name="Reviewer A")
    reviewer_b = UserFactory(full_name="Reviewer B")
    call.reviewers.add(reviewer_a, reviewer_b)
    return LandingWorld(
        program=program,
        call=call,
        company=company,
        other_company=other_company,
        applicant=make_member(company, role=MembershipRole.ADMIN, language="en", home_hub=miami),
        other_applicant=make_member(
            other_company, role=MembershipRole.ADMIN, language="en", home_hub=miami
        ),
        reviewer_a=reviewer_a,
        reviewer_b=reviewer_b,
        outsider_reviewer=UserFactory(full_name="Not a reviewer"),
        manager=make_manager("medellin"),
        manager_other_hub=make_manager("miami", home_hub=miami),
        stranger=UserFactory(),
    )


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Uploads of these tests go to a temporary folder."""
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def landing(db: None) -> LandingWorld:
    return build_landing_world()
