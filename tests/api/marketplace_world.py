"""Rows of the permission table for the marketplace, matching and introductions endpoints.

The objects they act on are made on demand in the test's database: a published request and a
draft of the world's organization (Café Trazable, Medellín), a Miami fund with a published
offer, introductions between the two in several states, and an expression of interest.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.utils import timezone

from puente.core.models import AuditEntry
from puente.introductions.models import Introduction, IntroductionOutcome, IntroductionStatus
from puente.marketplace.models import ExpressionOfInterest, Opportunity, Status
from puente.matching.models import MatchFeedback
from tests.api.conftest import World
from tests.factories import OrganizationFactory, hub, term
from tests.marketplace.helpers import post_opportunity


def fund(world: World) -> Any:
    from puente.directory.models import Organization

    found = Organization.objects.filter(slug="biscayne-seed-fund").first()
    return found or OrganizationFactory(
        name="Biscayne Seed Fund",
        slug="biscayne-seed-fund",
        hub=hub("miami"),
        type=term("organization_type", "investor"),
    )


def request(world: World) -> Opportunity:
    found = Opportunity.objects.filter(external_id="perm-request").first()
    return found or post_opportunity(
        world.organization,
        external_id="perm-request",
        side="request",
        language="es",
        title="Buscamos capital semilla",
        description="Buscamos capital semilla para la trazabilidad del café.",
        sectors=["agritech"],
    )


def draft(world: World) -> Opportunity:
    found = Opportunity.objects.filter(external_id="perm-draft").first()
    return found or post_opportunity(
        world.organization,
        external_id="perm-draft",
        publish=False,
        title="Borrador de oferta",
        description="Ofrecemos datos de trazabilidad a compradores.",
    )


def offer(world: World) -> Opportunity:
    found = Opportunity.objects.filter(external_id="perm-offer").first()
    return found or post_opportunity(fund(world), external_id="perm-offer", sectors=["agritech"])


def _introduction(world: World, *, incoming: bool, accepted: bool = False) -> Introduction:
    now = timezone.now()
    requester, target = (
        (fund(world), world.organization) if incoming else (world.organization, fund(world))
    )
    return Introduction.objects.create(
        requester=requester,
        target=target,
        requester_accepted_at=now,
        target_accepted_at=now if accepted else None,
        status=IntroductionStatus.ACCEPTED if accepted else IntroductionStatus.PENDING,
        expires_at=now + dt.timedelta(days=30),
    )


def interest(world: World) -> ExpressionOfInterest:
    return ExpressionOfInterest.objects.create(
        opportunity=offer(world), organization=world.organization, user=world.user("org_member")
    )


def marketplace_rows(
    case: Callable[..., Any], expect: Callable[..., dict[str, int]]
) -> dict[tuple[str, str], Any]:
    managers = {"org_member": 200, "org_admin": 200, "manager_same_hub": 200, "staff": 200}
    created = dict.fromkeys(managers, 201)
    return {
        ("GET", "/opportunities"): case(
            lambda w, r: (request(w), "/opportunities?hub=medellin&kind=capital")[1], expect(200)
        ),
        ("GET", "/opportunities/{opportunity_id}"): case(
            lambda w, r: f"/opportunities/{request(w).pk}", expect(200)
        ),
        ("POST", "/opportunities"): case(
            lambda w, r: "/opportunities",
            expect(403, anonymous=401, **created),
            body=lambda w, r: {
                "organization": w.organization.pk,
                "side": "offer",
                "kind": "technology",
                "title": "Trazabilidad como servicio",
                "description": "Ofrecemos nuestra plataforma de trazabilidad a exportadores.",
                "hub": "medellin",
                "publish": True,
            },
            happened=lambda w, r: Opportunity.objects.filter(
                title="Trazabilidad como servicio"
            ).exists(),
        ),
        ("PATCH", "/opportunities/{opportunity_id}"): case(
            lambda w, r: f"/opportunities/{request(w).pk}",
            expect(403, anonymous=401, **managers),
            body={"title": "Buscamos capital semilla y mentoría"},
            happened=lambda w, r: Opportunity.objects.filter(
                title="Buscamos capital semilla y mentoría"
            ).exists(),
        ),
        ("POST", "/opportunities/{opportunity_id}/publish"): case(
            lambda w, r: f"/opportunities/{draft(w).pk}/publish",
            expect(404, anonymous=401, **managers),
            happened=lambda w, r: (
                Opportunity.objects.get(external_id="perm-draft").status == Status.PUBLISHED
            ),
        ),
        ("POST", "/opportunities/{opportunity_id}/renew"): case(
            lambda w, r: f"/opportunities/{request(w).pk}/renew",
            expect(403, anonymous=401, **managers),
            happened=lambda w, r: AuditEntry.objects.filter(action="opportunity.renew").exists(),
        ),
        ("POST", "/opportunities/{opportunity_id}/archive"): case(
            lambda w, r: f"/opportunities/{request(w).pk}/archive",
            expect(403, anonymous=401, **managers),
            happened=lambda w, r: (
                Opportunity.objects.get(external_id="perm-request").status == Status.ARCHIVED
            ),
        ),
        ("GET", "/opportunities/{opportunity_id}/interests"): case(
            lambda w, r: f"/opportunities/{request(w).pk}/interests", expect(200, anonymous=401)
        ),
        ("POST", "/opportunities/{opportunity_id}/interests"): case(
            lambda w, r: f"/opportunities/{offer(w).pk}/interests",
            expect(403, anonymous=401, org_member=201, org_admin=201),
            body=lambda w, r: {"organization": w.organization.pk, "message": "Nos interesa"},
            happened=lambda w, r: ExpressionOfInterest.objects.filter(
                message="Nos interesa"
            ).exists(),
        ),
        ("POST", "/interests/{interest_id}/withdraw"): case(
            lambda w, r: f"/interests/{interest(w).pk}/withdraw",
            expect(404, anonymous=401, org_member=200, org_admin=200, staff=403),
            happened=lambda w, r: ExpressionOfInterest.objects.filter(status="withdrawn").exists(),
        ),
        ("GET", "/search"): case(
            lambda w, r: (request(w), "/search?q=capital%20semilla&type=opportunity")[1],
            expect(200),
        ),
        ("GET", "/opportunities/{opportunity_id}/matches"): case(
            lambda w, r: (offer(w), f"/opportunities/{request(w).pk}/matches")[1],
            expect(403, anonymous=401, **managers),
        ),
        ("GET", "/feedback"): case(lambda w, r: "/feedback", expect(200, anonymous=401)),
        ("POST", "/feedback"): case(
            lambda w, r: "/feedback",
            expect(201, anonymous=401),
            body=lambda w, r: {
                "item_type": "opportunity",
                "item_id": offer(w).pk,
                "kind": "not_relevant",
            },
            happened=lambda w, r: MatchFeedback.objects.filter(kind="not_relevant").exists(),
        ),
        ("DELETE", "/feedback/{item_type}/{item_id}"): case(
            lambda w, r: f"/feedback/opportunity/{offer(w).pk}", expect(204, anonymous=401)
        ),
        ("GET", "/introductions"): case(
            lambda w, r: "/introductions?box=all", expect(200, anonymous=401)
        ),
        ("GET", "/introductions/{introduction_id}"): case(
            lambda w, r: f"/introductions/{_introduction(w, incoming=True).pk}",
            expect(404, anonymous=401, manager_other_hub=200, **managers),
        ),
        ("POST", "/introductions"): case(
            lambda w, r: "/introductions",
            expect(403, anonymous=401, org_member=201, org_admin=201),
            body=lambda w, r: {
                "requester": w.organization.pk,
                "target": fund(w).pk,
                "message": "Hola",
            },
            happened=lambda w, r: Introduction.objects.filter(message="Hola").exists(),
        ),
        ("POST", "/introductions/broker"): case(
            lambda w, r: "/introductions/broker",
            expect(403, anonymous=401, manager_same_hub=201, manager_other_hub=201, staff=201),
            body=lambda w, r: {
                "first": w.organization.pk,
                "second": fund(w).pk,
                "message": "Deberían conocerse",
            },
            happened=lambda w, r: Introduction.objects.filter(brokered_by__isnull=False).exists(),
        ),
        ("POST", "/introductions/{introduction_id}/accept"): case(
            lambda w, r: f"/introductions/{_introduction(w, incoming=True).pk}/accept",
            expect(
                404,
                anonymous=401,
                org_member=200,
                org_admin=200,
                manager_same_hub=403,
                manager_other_hub=403,
                staff=403,
            ),
            happened=lambda w, r: Introduction.objects.filter(
                status=IntroductionStatus.ACCEPTED
            ).exists(),
        ),
        ("POST", "/introductions/{introduction_id}/decline"): case(
            lambda w, r: f"/introductions/{_introduction(w, incoming=True).pk}/decline",
            expect(
                404,
                anonymous=401,
                org_member=200,
                org_admin=200,
                manager_same_hub=403,
                manager_other_hub=403,
                staff=403,
            ),
            body={"reason": "No es el momento"},
            happened=lambda w, r: Introduction.objects.filter(
                status=IntroductionStatus.DECLINED
            ).exists(),
        ),
        ("POST", "/introductions/{introduction_id}/cancel"): case(
            lambda w, r: f"/introductions/{_introduction(w, incoming=False).pk}/cancel",
            expect(
                404,
                anonymous=401,
                org_member=200,
                org_admin=200,
                manager_same_hub=403,
                manager_other_hub=403,
                staff=403,
            ),
            happened=lambda w, r: Introduction.objects.filter(
                status=IntroductionStatus.CANCELLED
            ).exists(),
        ),
        ("POST", "/introductions/{introduction_id}/outcomes"): case(
            lambda w, r: (
                f"/introductions/{_introduction(w, incoming=True, accepted=True).pk}/outcomes"
            ),
            expect(
                404,
                anonymous=401,
                org_member=201,
                org_admin=201,
                manager_same_hub=201,
                manager_other_hub=201,
                staff=201,
            ),
            body=lambda w, r: {
                "kind": "met",
                "occurred_on": timezone.localdate().isoformat(),
                "note": "Primera reunión",
            },
            happened=lambda w, r: IntroductionOutcome.objects.filter(
                note="Primera reunión"
            ).exists(),
        ),
    }
