"""API: the hubs of the network and the shared taxonomy (read-only)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Field, Path, Query, Router, Schema

from puente.api.schemas import READ_ERRORS, InputSchema
from puente.core import selectors
from puente.core.models import Vocabulary

router = Router(tags=["network"])


class HubOut(Schema):
    slug: str
    name: str = Field(..., description="Name in the request's language.")
    name_en: str
    name_es: str
    city: str
    country: str = Field(..., description="ISO 3166-1 alpha-2 code.")
    time_zone: str = Field(..., description="IANA time zone.")
    currency: str = Field(..., description="ISO 4217 code.")
    languages: list[str]
    agency_name: str
    partners: list[str] = Field(..., description="Slugs of partner hubs.")


class HubPage(Schema):
    items: list[HubOut]
    count: int


class TermOut(Schema):
    vocabulary: str
    code: str
    label: str = Field(..., description="Label in the request's language.")
    label_en: str
    label_es: str
    parent: str | None = Field(None, description="Code of the parent term, if any.")


class TermPage(Schema):
    items: list[TermOut]
    count: int


class TaxonomyFilters(InputSchema):
    vocabulary: Vocabulary | None = Field(None, description="Only terms of this vocabulary.")


def _hub_out(hub: selectors.HubWithPartners) -> HubOut:
    return HubOut(
        slug=hub.hub.slug,
        name=hub.hub.name,
        name_en=hub.hub.name_en,
        name_es=hub.hub.name_es,
        city=hub.hub.city,
        country=hub.hub.country,
        time_zone=hub.hub.time_zone,
        currency=hub.hub.currency,
        languages=list(hub.hub.languages),
        agency_name=hub.hub.agency_name,
        partners=hub.partner_slugs,
    )


@router.get("/hubs", response={200: HubPage, **READ_ERRORS}, summary="List hubs")
def list_hubs(request: HttpRequest) -> HubPage:
    hubs = selectors.hubs_with_partners()
    return HubPage(items=[_hub_out(hub) for hub in hubs], count=len(hubs))


@router.get("/hubs/{slug}", response={200: HubOut, **READ_ERRORS}, summary="One hub")
def get_hub(
    request: HttpRequest,
    slug: str = Path(..., max_length=40, description="The hub's code, e.g. medellin."),
) -> HubOut:
    return _hub_out(selectors.hub_with_partners(slug))


@router.get("/taxonomy", response={200: TermPage, **READ_ERRORS}, summary="Taxonomy terms")
def list_terms(request: HttpRequest, filters: Query[TaxonomyFilters]) -> TermPage:
    terms = selectors.taxonomy_terms(vocabulary=filters.vocabulary)
    items = [
        TermOut(
            vocabulary=term.vocabulary,
            code=term.code,
            label=term.label,
            label_en=term.label_en,
            label_es=term.label_es,
            parent=term.parent.code if term.parent else None,
        )
        for term in terms
    ]
    return TermPage(items=items, count=len(items))
