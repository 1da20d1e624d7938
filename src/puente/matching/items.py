"""Turn directory and marketplace rows into the engine's plain ``Item`` values.

Item ids are strings ``"<type>:<pk>"`` so one engine ranks organizations, people and
opportunities together.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from decimal import Decimal

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from puente.directory.models import Organization, Person
from puente.marketplace.models import Opportunity, Side, Status
from puente.matching.engine import AmountRange, Direction, Item

OPPORTUNITY, ORGANIZATION, PERSON = "opportunity", "organization", "person"
ITEM_TYPES = (OPPORTUNITY, ORGANIZATION, PERSON)

# Which kinds of organization can answer a request of each connection kind.
PROVIDER_TYPES: dict[str, frozenset[str]] = {
    "capital": frozenset({"investor", "corporate", "government"}),
    "client": frozenset({"corporate", "scaleup", "government", "startup"}),
    "talent": frozenset({"university", "service_provider", "innovation_center"}),
    "expertise": frozenset(
        {"service_provider", "university", "innovation_center", "government", "corporate"}
    ),
    "technology": frozenset({"startup", "scaleup", "university", "corporate"}),
    "research_partner": frozenset({"university", "innovation_center", "corporate"}),
    "landing_support": frozenset({"service_provider", "innovation_center", "government"}),
}


def item_id(item_type: str, pk: int) -> str:
    return f"{item_type}:{pk}"


def parse_item_id(value: object) -> tuple[str, int]:
    item_type, _sep, pk = str(value).partition(":")
    return item_type, int(pk)


def _codes(terms: Iterable[object]) -> frozenset[str]:
    return frozenset(term.code for term in terms)  # type: ignore[attr-defined]


def _amount(low: Decimal | None, high: Decimal | None, currency: str) -> AmountRange | None:
    if low is None and high is None:
        return None
    return AmountRange(
        minimum=float(low) if low is not None else None,
        maximum=float(high) if high is not None else None,
        currency=currency or "USD",
    )


def opportunity_item(opportunity: Opportunity) -> Item:
    organization = opportunity.organization
    kind = opportunity.kind.code
    is_request = opportunity.side == Side.REQUEST
    return Item(
        category=OPPORTUNITY,
        id=item_id(OPPORTUNITY, opportunity.pk),
        language=opportunity.language,
        fields={"title": opportunity.title, "description": opportunity.description},
        kind=kind,
        direction=Direction.REQUEST if is_request else Direction.OFFER,
        organization_id=item_id(ORGANIZATION, organization.pk),
        organization_type=organization.type.code,
        accepted_organization_types=PROVIDER_TYPES.get(kind, frozenset())
        if is_request
        else frozenset(),
        sectors=_codes(opportunity.sectors.all()),
        technologies=_codes(opportunity.technologies.all()),
        stage=organization.stage.code if organization.stage_id else None,  # type: ignore[union-attr]
        accepted_stages=_codes(opportunity.stages.all()) if not is_request else frozenset(),
        amount=_amount(opportunity.amount_min, opportunity.amount_max, opportunity.currency),
        hub=opportunity.hub.slug,
        target_hubs=frozenset(hub.slug for hub in opportunity.target_hubs.all()),
    )


def organization_item(organization: Organization) -> Item:
    return Item(
        category=ORGANIZATION,
        id=item_id(ORGANIZATION, organization.pk),
        language=organization.description_language,
        fields={
            "name": organization.name,
            "tagline": organization.tagline,
            "description": organization.description,
        },
        organization_id=item_id(ORGANIZATION, organization.pk),
        organization_type=organization.type.code,
        sectors=_codes(organization.sectors.all()),
        technologies=_codes(organization.technologies.all()),
        stage=organization.stage.code if organization.stage_id else None,  # type: ignore[union-attr]
        hub=organization.hub.slug,
        target_hubs=frozenset(hub.slug for hub in organization.target_hubs.all()),
    )


def person_item(person: Person) -> Item:
    expertise = list(person.expertise.all())
    return Item(
        category=PERSON,
        id=item_id(PERSON, person.pk),
        language=person.bio_language,
        fields={"name": person.full_name, "headline": person.headline, "bio": person.bio},
        sectors=frozenset(term.code for term in expertise if term.vocabulary == "sector"),
        technologies=frozenset(term.code for term in expertise if term.vocabulary == "technology"),
        hub=person.hub.slug,
    )


def live_opportunities() -> QuerySet[Opportunity]:
    return Opportunity.objects.filter(status=Status.PUBLISHED, expires_at__gt=timezone.now())


def opportunity_rows(ids: Iterable[int] | None = None) -> QuerySet[Opportunity]:
    rows = Opportunity.objects.select_related(
        "organization", "organization__type", "organization__stage", "hub", "kind"
    ).prefetch_related("sectors", "technologies", "stages", "target_hubs")
    return rows.filter(pk__in=list(ids)) if ids is not None else rows


def organization_rows(ids: Iterable[int] | None = None) -> QuerySet[Organization]:
    rows = Organization.objects.select_related("type", "stage", "hub").prefetch_related(
        "sectors", "technologies", "target_hubs"
    )
    return rows.filter(pk__in=list(ids)) if ids is not None else rows


def person_rows(ids: Iterable[int] | None = None) -> QuerySet[Person]:
    rows = Person.objects.select_related("hub").prefetch_related(Prefetch("expertise"))
    return rows.filter(pk__in=list(ids)) if ids is not None else rows


def items_of(
    item_type: str, ids: Iterable[int] | None = None, *, chunk: int = 2000
) -> Iterator[Item]:
    """Engine items of one type (all rows, or those ids), read in chunks to bound memory."""
    if item_type == OPPORTUNITY:
        rows: QuerySet[Opportunity] | QuerySet[Organization] | QuerySet[Person] = opportunity_rows(
            ids
        )
        build = opportunity_item
    elif item_type == ORGANIZATION:
        rows, build = organization_rows(ids), organization_item  # type: ignore[assignment]
    elif item_type == PERSON:
        rows, build = person_rows(ids), person_item  # type: ignore[assignment]
    else:
        raise ValueError(item_type)
    for row in rows.order_by("pk").iterator(chunk_size=chunk):
        yield build(row)  # type: ignore[arg-type]
