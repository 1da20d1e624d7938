"""Demo step: bilingual offers and requests for both hubs, and introductions in every state.

The demo organization admin's Medellín startup asks, in Spanish, for seed capital in agritech;
a Miami investor offers, in English, seed capital for Latin American agritech: signed in as the
organization admin, the offer is in the request's matches, ready to request an introduction.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from puente.accounts.models import User
from puente.demo.seed import SeedContext, seed_step
from puente.directory.models import Organization, OrganizationMembership
from puente.introductions.models import (
    Introduction,
    IntroductionOutcome,
    IntroductionStatus,
    OutcomeKind,
)
from puente.marketplace import services
from puente.marketplace.models import Opportunity

ADMIN_EMAIL = "org.admin@puente.example"
MANAGER_EMAIL = "manager.medellin@puente.example"


@dataclass(frozen=True)
class Posting:
    """One opportunity of the demo: who posts it (by hub and organization type) and its text."""

    key: str
    hub: str
    types: tuple[str, ...]
    side: str
    kind: str
    language: str
    title: str
    description: str
    sectors: tuple[str, ...] = ()
    stages: tuple[str, ...] = ()
    target: str = ""
    amount: tuple[int, int, str] | None = None


POSTINGS = (
    Posting(
        "agritech-seed-request",
        "medellin",
        ("startup",),
        "request",
        "capital",
        "es",
        "Buscamos capital semilla para escalar nuestra plataforma agritech",
        "Somos una startup de Medellín que lleva trazabilidad y pagos digitales a caficultores. Buscamos capital semilla (USD 150.000 a 300.000) e inversionistas que nos abran el mercado de Miami.",
        ("agritech",),
        ("seed",),
        "miami",
        (150_000, 300_000, "USD"),
    ),
    Posting(
        "agritech-seed-offer",
        "miami",
        ("investor",),
        "offer",
        "capital",
        "en",
        "Seed capital for Latin American agritech startups",
        "Miami-based fund investing USD 100k–500k tickets in seed-stage agritech and foodtech startups from Latin America that want to expand to the United States.",
        ("agritech",),
        ("seed",),
        "medellin",
        (100_000, 500_000, "USD"),
    ),
    Posting(
        "fintech-pilot-request",
        "miami",
        ("corporate", "scaleup"),
        "request",
        "technology",
        "en",
        "Looking for a payments API partner for Latin America",
        "We are looking for a fintech partner with payment rails in Colombia to run a six-month pilot with our merchants in Miami and Medellín.",
        ("fintech",),
        (),
        "medellin",
    ),
    Posting(
        "fintech-pilot-offer",
        "medellin",
        ("startup", "scaleup"),
        "offer",
        "technology",
        "es",
        "API de pagos para comercios en Colombia",
        "Ofrecemos una API de pagos con recaudo en efectivo y transferencias en Colombia, lista para integrarse con plataformas de comercio de Estados Unidos.",
        ("fintech",),
        ("growth",),
        "miami",
    ),
    Posting(
        "talent-offer",
        "medellin",
        ("university", "innovation_center"),
        "offer",
        "talent",
        "es",
        "Talento en ingeniería de software para empresas de Miami",
        "Conectamos a egresados de ingeniería de sistemas de Medellín con empresas de Miami que buscan desarrolladores bilingües en modalidad remota o híbrida.",
        ("software",),
        (),
        "miami",
    ),
    Posting(
        "talent-request",
        "miami",
        ("scaleup", "corporate"),
        "request",
        "talent",
        "en",
        "Hiring bilingual data engineers",
        "Our Miami team is hiring three bilingual data engineers; we welcome candidates from Medellín for remote roles with trips to Miami every quarter.",
        ("software",),
        (),
        "medellin",
    ),
    Posting(
        "landing-request",
        "medellin",
        ("startup", "scaleup"),
        "request",
        "landing_support",
        "es",
        "Apoyo para aterrizar en Miami: oficina y asesoría legal",
        "Necesitamos orientación para constituir la empresa en Florida, abrir una cuenta bancaria y encontrar un espacio de trabajo compartido durante los primeros seis meses.",
        ("software",),
        (),
        "miami",
    ),
    Posting(
        "expertise-offer",
        "miami",
        ("service_provider", "innovation_center", "investor"),
        "offer",
        "expertise",
        "en",
        "Mentoring on US go-to-market for Colombian founders",
        "Our partners mentor Colombian founders on pricing, sales hiring and fundraising in the United States, with monthly office hours in Spanish or English.",
        (),
        (),
        "medellin",
    ),
    Posting(
        "research-request",
        "miami",
        ("university",),
        "request",
        "research_partner",
        "en",
        "Research partner for tropical crop analytics",
        "Our lab seeks a Colombian university or startup to co-develop machine learning models for coffee and cacao yield prediction from satellite imagery.",
        ("agritech",),
        (),
        "medellin",
    ),
    Posting(
        "client-request",
        "medellin",
        ("corporate", "scaleup"),
        "request",
        "client",
        "es",
        "Buscamos distribuidores en el sur de la Florida",
        "Fabricamos empaques compostables y buscamos distribuidores o clientes mayoristas en el sur de la Florida para nuestra línea de alimentos.",
        (),
        (),
        "miami",
    ),
)


def _pick(
    organizations: list[Organization], hub: str, types: tuple[str, ...], used: set[int]
) -> Organization | None:
    for type_code in types:
        for organization in organizations:
            if (
                organization.hub.slug == hub
                and organization.type.code == type_code
                and organization.pk not in used
            ):
                return organization
    return None


@seed_step("opportunities", order=300)
def seed_opportunities(context: SeedContext) -> None:
    organizations: list[Organization] = sorted(
        context.shared["organizations"], key=lambda org: org.slug
    )
    admin = User.objects.filter(email=ADMIN_EMAIL).first()
    admin_startup = (
        OrganizationMembership.objects.filter(user=admin).select_related("organization").first()
        if admin
        else None
    )
    used: set[int] = set()
    posted: dict[str, Opportunity] = {}
    for posting in POSTINGS:
        owner = (
            admin_startup.organization
            if posting.key == "agritech-seed-request" and admin_startup
            else _pick(organizations, posting.hub, posting.types, used)
        )
        if owner is None:
            continue
        used.add(owner.pk)
        values: dict[str, Any] = {
            "side": posting.side,
            "kind": context.term("connection_kind", posting.kind),
            "title": posting.title,
            "description": posting.description,
            "language": posting.language,
            "hub": context.hubs[posting.hub],
            "visibility": "public",
            "external_id": f"demo-{posting.key}",
            "sectors": [context.term("sector", code) for code in posting.sectors],
            "stages": [context.term("stage", code) for code in posting.stages],
            "target_hubs": [context.hubs[posting.target]] if posting.target else [],
        }
        if posting.amount:
            values.update(
                amount_min=Decimal(posting.amount[0]),
                amount_max=Decimal(posting.amount[1]),
                currency=posting.amount[2],
            )
        posted[posting.key] = services.opportunity_create(
            organization=owner, actor=None, values=values, publish=True
        )
    context.counts["opportunities"] = len(posted)
    context.counts["introductions"] = _introductions(
        context, posted, admin_startup.organization if admin_startup else None
    )


def _introduction(
    requester: Organization, target: Organization, status: str, now: dt.datetime, **extra: Any
) -> Introduction:
    accepted = status == IntroductionStatus.ACCEPTED
    extra.setdefault("requester_accepted_at", now - dt.timedelta(days=9))
    return Introduction.objects.create(
        requester=requester,
        target=target,
        status=status,
        target_accepted_at=now - dt.timedelta(days=6) if accepted else None,
        declined_at=now - dt.timedelta(days=5) if status == IntroductionStatus.DECLINED else None,
        expires_at=now + dt.timedelta(days=21),
        **extra,
    )


def _introductions(
    context: SeedContext, posted: dict[str, Opportunity], admin_startup: Organization | None
) -> int:
    """Introductions in several states between the demo's organizations (not the agritech
    pair: that one is left for the visitor to request)."""
    now = context.now
    made = 0
    pairs = [
        ("fintech-pilot-request", "fintech-pilot-offer", IntroductionStatus.ACCEPTED),
        ("talent-request", "talent-offer", IntroductionStatus.PENDING),
        ("landing-request", "expertise-offer", IntroductionStatus.DECLINED),
    ]
    for request_key, offer_key, status in pairs:
        if request_key not in posted or offer_key not in posted:
            continue
        request, offer = posted[request_key], posted[offer_key]
        introduction = _introduction(
            request.organization,
            offer.organization,
            status,
            now,
            opportunity=request,
            target_opportunity=offer,
            message="Nos gustaría conocerlos."
            if request.language == "es"
            else "We would like to meet you.",
            decline_reason="We are not taking new mentees this quarter."
            if status == IntroductionStatus.DECLINED
            else "",
        )
        made += 1
        if status == IntroductionStatus.ACCEPTED:
            IntroductionOutcome.objects.create(
                introduction=introduction,
                kind=OutcomeKind.MET,
                occurred_on=(now - dt.timedelta(days=3)).date(),
                note="Video call; pilot scope agreed.",
            )
            IntroductionOutcome.objects.create(
                introduction=introduction,
                kind=OutcomeKind.DEAL,
                occurred_on=now.date(),
                amount=Decimal(45_000),
                currency="USD",
                note="Six-month pilot contract.",
            )
    investor = posted.get("research-request")
    if admin_startup is not None and investor is not None:
        # Waiting for the demo organization admin's answer.
        _introduction(
            investor.organization,
            admin_startup,
            IntroductionStatus.PENDING,
            now,
            target_opportunity=None,
            message="Your traceability data could help our research on coffee yields.",
        )
        made += 1
    manager = User.objects.filter(email=MANAGER_EMAIL).first()
    talent, client = posted.get("talent-offer"), posted.get("client-request")
    if (
        manager is not None
        and talent is not None
        and client is not None
        and talent.organization_id != client.organization_id
    ):
        _introduction(
            talent.organization,
            client.organization,
            IntroductionStatus.PENDING,
            now,
            brokered_by=manager,
            requester_accepted_at=None,
            message="Creemos que pueden colaborar en contratación de talento.",
        )
        made += 1
    return made
