"""API: organizations, people and claims of the directory."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from puente.accounts.viewer import viewer_for
from puente.api.auth import required_auth
from puente.api.schemas import ERRORS, READ_ERRORS
from puente.core.errors import PermissionDenied, ValidationFailed
from puente.core.forms import validated
from puente.directory import selectors, services
from puente.directory.forms import ClaimForm, OrganizationForm, PersonForm, organization_initial, person_initial
from puente.directory.models import Organization, Person

router = Router(tags=["directory"])

MAX_LIST_FILTER = 20


class TermRef(Schema):
    code: str
    label: str


class FacetValueOut(Schema):
    code: str
    label: str
    count: int
    selected: bool


class OrganizationOut(Schema):
    id: int
    external_id: str | None
    slug: str
    url: str = Field(..., description="The organization's page in the web app.")
    name: str
    type: TermRef
    hub: str = Field(..., description="Slug of the home hub.")
    other_hubs: list[str]
    tagline: str
    description: str
    description_language: str
    description_translation: str
    description_translation_language: str
    sectors: list[TermRef]
    technologies: list[TermRef]
    markets: list[TermRef]
    target_hubs: list[str] = Field(..., description="Hubs the organization wants to reach.")
    stage: TermRef | None
    website: str
    verification_status: str
    is_verified: bool
    is_stale: bool = Field(..., description="True when nobody confirmed the profile in the last 12 months.")
    last_confirmed_at: dt.datetime
    details_visible: bool
    size: str | None = Field(None, description="Null when the viewer may not see the organization's details.")
    founded_year: int | None = None
    city: str | None = None
    address: str | None = None
    contact_visible: bool
    email: str | None = Field(None, description="Null unless the viewer may see contact details; never public.")
    phone: str | None = None
    profile_visibility: str
    details_visibility: str
    contact_visibility: str


class OrganizationPage(Schema):
    items: list[OrganizationOut]
    count: int
    facets: dict[str, list[FacetValueOut]] | None = None


class OrganizationFilters(Schema):
    q: str = Field("", max_length=500, description="Words to search in names, descriptions and taxonomy labels, in any language.")
    hub: list[str] = Field([], max_length=MAX_LIST_FILTER, description="Hub slugs (home hub or presence).")
    type: list[str] = Field([], max_length=MAX_LIST_FILTER, description="Organization type codes.")
    sector: list[str] = Field([], max_length=MAX_LIST_FILTER, description="Sector codes.")
    technology: list[str] = Field([], max_length=MAX_LIST_FILTER, description="Technology codes.")
    stage: list[str] = Field([], max_length=MAX_LIST_FILTER, description="Stage codes.")
    verified: bool | None = None
    stale: bool | None = None
    external_id: str | None = Field(None, max_length=100, description="Find the organization imported with this id.")
    sort: Literal["", "name", "-name", "recent", "updated"] = ""
    facets: bool = Field(False, description="Also return facet counts.")
    limit: int = Field(20, ge=1, le=100)
    offset: int = Field(0, ge=0, le=1_000_000)


class OrganizationIn(Schema):
    """Every field an organization has; relations by code or hub slug."""

    name: str = Field(..., max_length=200)
    type: str = Field(..., max_length=60, description="Organization type code.")
    hub: str = Field(..., max_length=40, description="Home hub slug.")
    other_hubs: list[str] = Field([], max_length=MAX_LIST_FILTER)
    tagline: str = Field("", max_length=200)
    description: str = Field("", max_length=5000)
    description_language: str = Field("es", max_length=8)
    description_translation: str = Field("", max_length=5000)
    description_translation_language: str = Field("", max_length=8)
    sectors: list[str] = Field([], max_length=MAX_LIST_FILTER)
    technologies: list[str] = Field([], max_length=MAX_LIST_FILTER)
    markets: list[str] = Field([], max_length=MAX_LIST_FILTER)
    target_hubs: list[str] = Field([], max_length=MAX_LIST_FILTER)
    stage: str | None = Field(None, max_length=60)
    size: str = Field("", max_length=10)
    founded_year: int | None = Field(None, ge=1800, le=2100)
    website: str = Field("", max_length=300)
    city: str = Field("", max_length=120)
    address: str = Field("", max_length=240)
    email: str = Field("", max_length=254)
    phone: str = Field("", max_length=40)
    profile_visibility: str = Field("public", max_length=20)
    details_visibility: str = Field("public", max_length=20)
    contact_visibility: str = Field("members", max_length=20)
    external_id: str | None = Field(None, max_length=100)


class OrganizationPatch(Schema):
    """Only the fields sent change."""

    name: str | None = Field(None, max_length=200)
    type: str | None = Field(None, max_length=60)
    hub: str | None = Field(None, max_length=40)
    other_hubs: list[str] | None = Field(None, max_length=MAX_LIST_FILTER)
    tagline: str | None = Field(None, max_length=200)
    description: str | None = Field(None, max_length=5000)
    description_language: str | None = Field(None, max_length=8)
    description_translation: str | None = Field(None, max_length=5000)
    description_translation_language: str | None = Field(None, max_length=8)
    sectors: list[str] | None = Field(None, max_length=MAX_LIST_FILTER)
    technologies: list[str] | None = Field(None, max_length=MAX_LIST_FILTER)
    markets: list[str] | None = Field(None, max_length=MAX_LIST_FILTER)
    target_hubs: list[str] | None = Field(None, max_length=MAX_LIST_FILTER)
    stage: str | None = Field(None, max_length=60)
    size: str | None = Field(None, max_length=10)
    founded_year: int | None = Field(None, ge=1800, le=2100)
    website: str | None = Field(None, max_length=300)
    city: str | None = Field(None, max_length=120)
    address: str | None = Field(None, max_length=240)
    email: str | None = Field(None, max_length=254)
    phone: str | None = Field(None, max_length=40)
    profile_visibility: str | None = Field(None, max_length=20)
    details_visibility: str | None = Field(None, max_length=20)
    contact_visibility: str | None = Field(None, max_length=20)
    external_id: str | None = Field(None, max_length=100)


def _terms(items: Any) -> list[TermRef]:
    return [TermRef(code=term.code, label=term.label) for term in items]


def organization_out(organization: Organization, viewer: Any) -> OrganizationOut:
    access = selectors.organization_access(viewer, organization)
    return OrganizationOut(
        id=organization.pk,
        external_id=organization.external_id,
        slug=organization.slug,
        url=reverse("directory:organization", kwargs={"slug": organization.slug}),
        name=organization.name,
        type=TermRef(code=organization.type.code, label=organization.type.label),
        hub=organization.hub.slug,
        other_hubs=[hub.slug for hub in organization.other_hubs.all()],
        tagline=organization.tagline,
        description=organization.description,
        description_language=organization.description_language,
        description_translation=organization.description_translation,
        description_translation_language=organization.description_translation_language,
        sectors=_terms(organization.sectors.all()),
        technologies=_terms(organization.technologies.all()),
        markets=_terms(organization.markets.all()),
        target_hubs=[hub.slug for hub in organization.target_hubs.all()],
        stage=TermRef(code=organization.stage.code, label=organization.stage.label) if organization.stage else None,
        website=organization.website,
        verification_status=organization.verification_status,
        is_verified=organization.is_verified,
        is_stale=organization.is_stale,
        last_confirmed_at=organization.last_confirmed_at,
        details_visible=access.details_visible,
        size=organization.size if access.details_visible else None,
        founded_year=organization.founded_year if access.details_visible else None,
        city=organization.city if access.details_visible else None,
        address=organization.address if access.details_visible else None,
        contact_visible=access.contact_visible,
        email=organization.email if access.contact_visible else None,
        phone=organization.phone if access.contact_visible else None,
        profile_visibility=organization.profile_visibility,
        details_visibility=organization.details_visibility,
        contact_visibility=organization.contact_visibility,
    )


@router.get("/organizations", response={200: OrganizationPage, **READ_ERRORS}, summary="Search and filter organizations")
def list_organizations(request: HttpRequest, filters: Query[OrganizationFilters]) -> OrganizationPage:
    viewer = viewer_for(request.auth)
    if filters.external_id:
        found = selectors.organizations_visible_to(viewer).filter(external_id=filters.external_id).values_list("pk", flat=True).first()
        items = [organization_out(selectors.organization_for_viewer(viewer, pk=found), viewer)] if found else []
        return OrganizationPage(items=items, count=len(items))
    directory_filters = selectors.DirectoryFilters(
        q=filters.q, hubs=filters.hub, types=filters.type, sectors=filters.sector, technologies=filters.technology, stages=filters.stage, verified=filters.verified, stale=filters.stale, sort=filters.sort
    )
    result = selectors.organization_directory(viewer, directory_filters, offset=filters.offset, limit=filters.limit, with_facets=filters.facets, detail=True)
    facets = {name: [FacetValueOut(**vars(value)) for value in values] for name, values in result.facets.items()} if filters.facets else None
    return OrganizationPage(items=[organization_out(item, viewer) for item in result.items], count=result.count, facets=facets)


@router.get("/organizations/{organization_id}", response={200: OrganizationOut, **READ_ERRORS}, summary="One organization")
def get_organization(request: HttpRequest, organization_id: int) -> OrganizationOut:
    viewer = viewer_for(request.auth)
    return organization_out(selectors.organization_for_viewer(viewer, pk=organization_id), viewer)


@router.post("/organizations", response={201: OrganizationOut, **ERRORS}, auth=required_auth, summary="Add an organization (hub managers)")
def create_organization(request: HttpRequest, payload: OrganizationIn) -> tuple[int, OrganizationOut]:
    values = validated(OrganizationForm(payload.dict()))
    organization = services.organization_create(actor=request.auth, values=values)
    viewer = viewer_for(request.auth)
    return 201, organization_out(selectors.organization_for_viewer(viewer, pk=organization.pk), viewer)


@router.patch("/organizations/{organization_id}", response={200: OrganizationOut, **ERRORS}, auth=required_auth, summary="Change an organization (its admins, hub managers)")
def update_organization(request: HttpRequest, organization_id: int, payload: OrganizationPatch) -> OrganizationOut:
    viewer = viewer_for(request.auth)
    organization = selectors.organization_for_viewer(viewer, pk=organization_id)
    sent = payload.dict(exclude_unset=True)
    form = OrganizationForm({**organization_initial(organization), **{key: value for key, value in sent.items() if value is not None or key in ("stage", "founded_year")}}, instance=organization)
    cleaned = validated(form)
    services.organization_update(organization=organization, actor=request.auth, values={key: cleaned[key] for key in sent if key in cleaned})
    return organization_out(selectors.organization_for_viewer(viewer, pk=organization.pk), viewer)


class VerificationIn(Schema):
    verified: bool


@router.post("/organizations/{organization_id}/verification", response={200: OrganizationOut, **ERRORS}, auth=required_auth, summary="Verify an organization (hub managers)")
def verify_organization(request: HttpRequest, organization_id: int, payload: VerificationIn) -> OrganizationOut:
    viewer = viewer_for(request.auth)
    organization = selectors.organization_for_viewer(viewer, pk=organization_id)
    services.organization_set_verification(organization=organization, actor=request.auth, verified=payload.verified)
    return organization_out(selectors.organization_for_viewer(viewer, pk=organization.pk), viewer)


@router.post("/organizations/{organization_id}/confirmation", response={200: OrganizationOut, **ERRORS}, auth=required_auth, summary="Confirm the profile is current")
def confirm_organization(request: HttpRequest, organization_id: int) -> OrganizationOut:
    viewer = viewer_for(request.auth)
    organization = selectors.organization_for_viewer(viewer, pk=organization_id)
    services.organization_confirm_current(organization=organization, actor=request.auth)
    return organization_out(selectors.organization_for_viewer(viewer, pk=organization.pk), viewer)


class ClaimIn(Schema):
    role_title: str = Field(..., max_length=120)
    message: str = Field("", max_length=2000)


class ClaimOut(Schema):
    id: int
    organization_id: int
    organization_name: str
    user_email: str
    role_title: str
    message: str
    status: str
    created_at: dt.datetime
    decided_at: dt.datetime | None


def _claim_out(claim: Any) -> ClaimOut:
    return ClaimOut(
        id=claim.pk,
        organization_id=claim.organization_id,
        organization_name=claim.organization.name,
        user_email=claim.user.email,
        role_title=claim.role_title,
        message=claim.message,
        status=claim.status,
        created_at=claim.created_at,
        decided_at=claim.decided_at,
    )


class ClaimPage(Schema):
    items: list[ClaimOut]
    count: int


@router.post("/organizations/{organization_id}/claims", response={201: ClaimOut, **ERRORS}, auth=required_auth, summary="Claim an organization")
def claim_organization(request: HttpRequest, organization_id: int, payload: ClaimIn) -> tuple[int, ClaimOut]:
    organization = selectors.organization_for_viewer(viewer_for(request.auth), pk=organization_id)
    values = validated(ClaimForm(payload.dict()))
    claim = services.organization_claim_submit(organization=organization, user=request.auth, role_title=values["role_title"], message=values["message"])
    return 201, _claim_out(claim)


@router.get("/claims", response={200: ClaimPage, **ERRORS}, auth=required_auth, summary="Pending claims (hub managers)")
def list_claims(request: HttpRequest, limit: int = Query(20, ge=1, le=100), offset: int = Query(0, ge=0)) -> ClaimPage:
    viewer = viewer_for(request.auth)
    if not viewer.is_manager:
        raise PermissionDenied(_("Only hub managers review claims."))
    claims = selectors.claims_for_manager(viewer)
    return ClaimPage(items=[_claim_out(claim) for claim in claims[offset : offset + limit]], count=claims.count())


class ClaimDecisionIn(Schema):
    approve: bool
    note: str = Field("", max_length=500)


@router.post("/claims/{claim_id}/decision", response={200: ClaimOut, **ERRORS}, auth=required_auth, summary="Approve or reject a claim (hub managers)")
def decide_claim(request: HttpRequest, claim_id: int, payload: ClaimDecisionIn) -> ClaimOut:
    claim = selectors.claim_for_manager(viewer_for(request.auth), claim_id)
    return _claim_out(services.organization_claim_decide(claim=claim, actor=request.auth, approve=payload.approve, note=payload.note))


# --- People -------------------------------------------------------------------------------


class PositionOut(Schema):
    organization_id: int
    organization_name: str
    title: str


class PersonOut(Schema):
    id: int
    external_id: str | None
    slug: str
    url: str
    full_name: str
    headline: str
    bio: str
    bio_language: str
    hub: str
    expertise: list[TermRef]
    languages: list[str]
    is_mentor: bool
    positions: list[PositionOut]
    is_stale: bool
    contact_visible: bool
    email: str | None = Field(None, description="Null unless the viewer may see contact details; never public.")
    phone: str | None = None
    linkedin: str | None = None
    profile_visibility: str
    contact_visibility: str


class PersonPage(Schema):
    items: list[PersonOut]
    count: int


class PeopleFilters(Schema):
    q: str = Field("", max_length=500)
    hub: list[str] = Field([], max_length=MAX_LIST_FILTER)
    expertise: list[str] = Field([], max_length=MAX_LIST_FILTER)
    mentor: bool = False
    limit: int = Field(20, ge=1, le=100)
    offset: int = Field(0, ge=0, le=1_000_000)


class PersonIn(Schema):
    full_name: str = Field(..., max_length=150)
    headline: str = Field("", max_length=200)
    bio: str = Field("", max_length=4000)
    bio_language: str = Field("es", max_length=8)
    hub: str = Field(..., max_length=40)
    expertise: list[str] = Field([], max_length=MAX_LIST_FILTER)
    languages: list[str] = Field([], max_length=10)
    is_mentor: bool = False
    email: str = Field("", max_length=254)
    phone: str = Field("", max_length=40)
    linkedin: str = Field("", max_length=300)
    profile_visibility: str = Field("public", max_length=20)
    contact_visibility: str = Field("members", max_length=20)
    external_id: str | None = Field(None, max_length=100)


class PersonPatch(Schema):
    full_name: str | None = Field(None, max_length=150)
    headline: str | None = Field(None, max_length=200)
    bio: str | None = Field(None, max_length=4000)
    bio_language: str | None = Field(None, max_length=8)
    hub: str | None = Field(None, max_length=40)
    expertise: list[str] | None = Field(None, max_length=MAX_LIST_FILTER)
    languages: list[str] | None = Field(None, max_length=10)
    is_mentor: bool | None = None
    email: str | None = Field(None, max_length=254)
    phone: str | None = Field(None, max_length=40)
    linkedin: str | None = Field(None, max_length=300)
    profile_visibility: str | None = Field(None, max_length=20)
    contact_visibility: str | None = Field(None, max_length=20)
    external_id: str | None = Field(None, max_length=100)


def person_out(person: Person, viewer: Any) -> PersonOut:
    access = selectors.person_access(viewer, person)
    return PersonOut(
        id=person.pk,
        external_id=person.external_id,
        slug=person.slug,
        url=reverse("directory:person", kwargs={"slug": person.slug}),
        full_name=person.full_name,
        headline=person.headline,
        bio=person.bio,
        bio_language=person.bio_language,
        hub=person.hub.slug,
        expertise=_terms(person.expertise.all()),
        languages=list(person.languages or []),
        is_mentor=person.is_mentor,
        positions=[PositionOut(organization_id=position.organization_id, organization_name=position.organization.name, title=position.title) for position in person.positions.all()],
        is_stale=person.is_stale,
        contact_visible=access.contact_visible,
        email=person.email if access.contact_visible else None,
        phone=person.phone if access.contact_visible else None,
        linkedin=person.linkedin if access.contact_visible else None,
        profile_visibility=person.profile_visibility,
        contact_visibility=person.contact_visibility,
    )


@router.get("/people", response={200: PersonPage, **READ_ERRORS}, summary="Search and filter people")
def list_people(request: HttpRequest, filters: Query[PeopleFilters]) -> PersonPage:
    viewer = viewer_for(request.auth)
    people, count = selectors.people_directory(
        viewer, selectors.PeopleFilters(q=filters.q, hubs=filters.hub, expertise=filters.expertise, mentors_only=filters.mentor), offset=filters.offset, limit=filters.limit
    )
    return PersonPage(items=[person_out(person, viewer) for person in people], count=count)


@router.get("/people/{person_id}", response={200: PersonOut, **READ_ERRORS}, summary="One person")
def get_person(request: HttpRequest, person_id: int) -> PersonOut:
    viewer = viewer_for(request.auth)
    return person_out(selectors.person_for_viewer(viewer, pk=person_id), viewer)


@router.post("/people", response={201: PersonOut, **ERRORS}, auth=required_auth, summary="Add a person (hub managers)")
def create_person(request: HttpRequest, payload: PersonIn) -> tuple[int, PersonOut]:
    values = validated(PersonForm(payload.dict()))
    person = services.person_create(actor=request.auth, values=values)
    viewer = viewer_for(request.auth)
    return 201, person_out(selectors.person_for_viewer(viewer, pk=person.pk), viewer)


@router.patch("/people/{person_id}", response={200: PersonOut, **ERRORS}, auth=required_auth, summary="Change a person (themselves, hub managers)")
def update_person(request: HttpRequest, person_id: int, payload: PersonPatch) -> PersonOut:
    viewer = viewer_for(request.auth)
    person = selectors.person_for_viewer(viewer, pk=person_id)
    sent = payload.dict(exclude_unset=True)
    if any(value is None for value in sent.values()):
        raise ValidationFailed(_("Send a value or leave the field out; null is not accepted here."), code="invalid")
    cleaned = validated(PersonForm({**person_initial(person), **sent}, instance=person))
    services.person_update(person=person, actor=request.auth, values={key: cleaned[key] for key in sent if key in cleaned})
    return person_out(selectors.person_for_viewer(viewer, pk=person.pk), viewer)
