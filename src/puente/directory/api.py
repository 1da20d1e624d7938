"""API: organizations of the directory and claims on them (people: ``api_people``).

Each endpoint parses its input, calls one selector or service and answers with a schema.
Relations are addressed by taxonomy code or hub slug, validated by the same forms the web
app and the importer use, so every channel gives the same translated errors.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from puente.accounts.viewer import Viewer, viewer_for
from puente.api.auth import caller, caller_or_anonymous, required_auth
from puente.api.schemas import (
    ABSENT,
    ERRORS,
    MAX_LIST_ITEMS,
    MAX_OFFSET,
    READ_ERRORS,
    Codes,
    InputSchema,
    ObjectId,
    PageParams,
    TermRef,
)
from puente.api.validation import refuse_unknown_codes, require_change
from puente.core.errors import PermissionDenied
from puente.core.forms import validated
from puente.core.models import Vocabulary
from puente.directory import selectors, services
from puente.directory.forms import (
    ClaimForm,
    OrganizationForm,
    organization_initial,
)
from puente.directory.models import Organization, OrganizationClaim

router = Router(tags=["directory"])


# --- Organizations --------------------------------------------------------------------------


class FacetValueOut(Schema):
    code: str
    label: str
    count: int
    selected: bool


class OrganizationOut(Schema):
    id: int
    external_id: str | None = Field(
        ..., description="Identifier in the source the record was imported from."
    )
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
    verification_status: Literal["unverified", "verified"]
    is_verified: bool
    is_stale: bool = Field(
        ..., description="True when nobody confirmed the profile in the last 12 months."
    )
    last_confirmed_at: dt.datetime
    details_visible: bool
    size: str | None = Field(
        None, description="Null when the viewer may not see the organization's details."
    )
    founded_year: int | None = None
    city: str | None = None
    address: str | None = None
    contact_visible: bool
    email: str | None = Field(
        None, description="Null unless the viewer may see contact details; never public."
    )
    phone: str | None = None
    profile_visibility: str
    details_visibility: str
    contact_visibility: str


class OrganizationPage(Schema):
    items: list[OrganizationOut]
    count: int
    facets: dict[str, list[FacetValueOut]] | None = Field(
        None, description="Counts per hub, type, stage, sector and technology, with facets=true."
    )


class OrganizationFilters(InputSchema):
    q: str = Field(
        "",
        max_length=500,
        description="Words to search in names, descriptions and taxonomy labels, in any language.",
    )
    hub: Codes = Field(
        [],
        max_length=MAX_LIST_ITEMS,
        description="Hub slugs (home hub or presence); repeat the parameter for several.",
    )
    type: Codes = Field([], max_length=MAX_LIST_ITEMS, description="Organization type codes.")
    sector: Codes = Field([], max_length=MAX_LIST_ITEMS, description="Sector codes.")
    technology: Codes = Field([], max_length=MAX_LIST_ITEMS, description="Technology codes.")
    stage: Codes = Field([], max_length=MAX_LIST_ITEMS, description="Stage codes.")
    verified: bool | None = Field(
        None, description="Only verified (true) or unverified (false) organizations."
    )
    stale: bool | None = Field(None, description="Only stale (true) or current (false) profiles.")
    external_id: str | None = Field(
        None,
        max_length=100,
        description="Find the organization imported with this id (other filters are ignored).",
    )
    sort: Literal["", "name", "-name", "recent", "updated"] = Field(
        "", description="Default: relevance when searching, else name."
    )
    facets: bool = Field(False, description="Also return facet counts.")
    limit: int = Field(20, ge=1, le=100)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


class OrganizationIn(InputSchema):
    """Every field an organization has; relations by code or hub slug."""

    name: str = Field(..., max_length=200)
    type: str = Field(..., max_length=60, description="Organization type code.")
    hub: str = Field(..., max_length=40, description="Home hub slug.")
    other_hubs: Codes = Field([], max_length=MAX_LIST_ITEMS)
    tagline: str = Field("", max_length=200)
    description: str = Field("", max_length=5000)
    description_language: str = Field("es", max_length=8)
    description_translation: str = Field("", max_length=5000)
    description_translation_language: str = Field("", max_length=8)
    sectors: Codes = Field([], max_length=MAX_LIST_ITEMS)
    technologies: Codes = Field([], max_length=MAX_LIST_ITEMS)
    markets: Codes = Field([], max_length=MAX_LIST_ITEMS)
    target_hubs: Codes = Field([], max_length=MAX_LIST_ITEMS)
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


class OrganizationPatch(InputSchema):
    """Only the fields sent change. ``stage`` and ``founded_year`` may be null to clear them."""

    name: str = Field(ABSENT, max_length=200)
    type: str = Field(ABSENT, max_length=60)
    hub: str = Field(ABSENT, max_length=40)
    other_hubs: Codes = Field(ABSENT, max_length=MAX_LIST_ITEMS)
    tagline: str = Field(ABSENT, max_length=200)
    description: str = Field(ABSENT, max_length=5000)
    description_language: str = Field(ABSENT, max_length=8)
    description_translation: str = Field(ABSENT, max_length=5000)
    description_translation_language: str = Field(ABSENT, max_length=8)
    sectors: Codes = Field(ABSENT, max_length=MAX_LIST_ITEMS)
    technologies: Codes = Field(ABSENT, max_length=MAX_LIST_ITEMS)
    markets: Codes = Field(ABSENT, max_length=MAX_LIST_ITEMS)
    target_hubs: Codes = Field(ABSENT, max_length=MAX_LIST_ITEMS)
    stage: str | None = Field(None, max_length=60)
    size: str = Field(ABSENT, max_length=10)
    founded_year: int | None = Field(None, ge=1800, le=2100)
    website: str = Field(ABSENT, max_length=300)
    city: str = Field(ABSENT, max_length=120)
    address: str = Field(ABSENT, max_length=240)
    email: str = Field(ABSENT, max_length=254)
    phone: str = Field(ABSENT, max_length=40)
    profile_visibility: str = Field(ABSENT, max_length=20)
    details_visibility: str = Field(ABSENT, max_length=20)
    contact_visibility: str = Field(ABSENT, max_length=20)
    external_id: str = Field(
        ABSENT, max_length=100, description="A blank value keeps the current id."
    )


def _term_ref(term: Any) -> TermRef:
    return TermRef.model_construct(code=term.code, label=term.label)


def organization_out(organization: Organization, viewer: Viewer) -> OrganizationOut:
    """The organization as the viewer may see it.

    Built with ``model_construct`` (every value here already has its schema's type): ninja
    validates the response once anyway, and validating each item twice made a page of 24
    organizations cost more in the API than rendering the HTML page.
    """
    access = selectors.organization_access(viewer, organization)
    return OrganizationOut.model_construct(
        id=organization.pk,
        external_id=organization.external_id,
        slug=organization.slug,
        url=reverse("directory:organization", kwargs={"slug": organization.slug}),
        name=organization.name,
        type=_term_ref(organization.type),
        hub=organization.hub.slug,
        other_hubs=[hub.slug for hub in organization.other_hubs.all()],
        tagline=organization.tagline,
        description=organization.description,
        description_language=organization.description_language,
        description_translation=organization.description_translation,
        description_translation_language=organization.description_translation_language,
        sectors=[_term_ref(term) for term in organization.sectors.all()],
        technologies=[_term_ref(term) for term in organization.technologies.all()],
        markets=[_term_ref(term) for term in organization.markets.all()],
        target_hubs=[hub.slug for hub in organization.target_hubs.all()],
        stage=_term_ref(organization.stage) if organization.stage else None,
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


def _organization_after_write(viewer: Viewer, organization: Organization) -> OrganizationOut:
    """The organization as the writer now sees it (even if the change hid it from them)."""
    try:
        return organization_out(
            selectors.organization_for_viewer(viewer, pk=organization.pk), viewer
        )
    except Http404:
        fresh = (
            Organization.objects.select_related("type", "hub", "stage")
            .prefetch_related("sectors", "technologies", "markets", "target_hubs", "other_hubs")
            .get(pk=organization.pk)
        )
        return organization_out(fresh, viewer)


@router.get(
    "/organizations",
    response={200: OrganizationPage, **READ_ERRORS},
    summary="Search and filter organizations",
)
def list_organizations(
    request: HttpRequest, filters: Query[OrganizationFilters]
) -> OrganizationPage:
    viewer = viewer_for(caller_or_anonymous(request))
    if filters.external_id:
        found = (
            selectors.organizations_visible_to(viewer)
            .filter(external_id=filters.external_id)
            .values_list("pk", flat=True)
            .first()
        )
        items = (
            [organization_out(selectors.organization_for_viewer(viewer, pk=found), viewer)]
            if found
            else []
        )
        return OrganizationPage(items=items, count=len(items), facets=None)
    refuse_unknown_codes(
        hubs=filters.hub,
        terms={
            "type": (Vocabulary.ORGANIZATION_TYPE, filters.type),
            "sector": (Vocabulary.SECTOR, filters.sector),
            "technology": (Vocabulary.TECHNOLOGY, filters.technology),
            "stage": (Vocabulary.STAGE, filters.stage),
        },
    )
    directory_filters = selectors.DirectoryFilters(
        q=filters.q.strip(),
        hubs=filters.hub,
        types=filters.type,
        sectors=filters.sector,
        technologies=filters.technology,
        stages=filters.stage,
        verified=filters.verified,
        stale=filters.stale,
        sort=filters.sort,
    )
    result = selectors.organization_directory(
        viewer,
        directory_filters,
        offset=filters.offset,
        limit=filters.limit,
        with_facets=filters.facets,
        detail=True,
    )
    facets = (
        {
            name: [FacetValueOut.model_construct(**vars(value)) for value in values]
            for name, values in result.facets.items()
        }
        if filters.facets
        else None
    )
    return OrganizationPage.model_construct(  # validated once, as the response
        items=[organization_out(item, viewer) for item in result.items],
        count=result.count,
        facets=facets,
    )


@router.get(
    "/organizations/{organization_id}",
    response={200: OrganizationOut, **READ_ERRORS},
    summary="One organization",
)
def get_organization(request: HttpRequest, organization_id: ObjectId) -> OrganizationOut:
    viewer = viewer_for(caller_or_anonymous(request))
    return organization_out(selectors.organization_for_viewer(viewer, pk=organization_id), viewer)


@router.post(
    "/organizations",
    response={201: OrganizationOut, **ERRORS},
    auth=required_auth,
    summary="Add an organization (hub managers)",
)
def create_organization(request: HttpRequest, payload: OrganizationIn) -> Status[OrganizationOut]:
    user = caller(request)
    viewer = viewer_for(user)
    if not viewer.is_manager:
        raise PermissionDenied(_("Only hub managers can add organizations."))
    values = validated(OrganizationForm(payload.dict()))
    organization = services.organization_create(actor=user, values=values)
    return Status(201, _organization_after_write(viewer, organization))


@router.patch(
    "/organizations/{organization_id}",
    response={200: OrganizationOut, **ERRORS},
    auth=required_auth,
    summary="Change an organization (its admins, hub managers)",
)
def update_organization(
    request: HttpRequest, organization_id: ObjectId, payload: OrganizationPatch
) -> OrganizationOut:
    user = caller(request)
    viewer = viewer_for(user)
    organization = selectors.organization_for_viewer(viewer, pk=organization_id)
    if not selectors.organization_access(viewer, organization).can_edit:
        raise PermissionDenied(_("You cannot edit this organization."))
    sent = payload.dict(exclude_unset=True)
    require_change(sent)
    cleaned = validated(
        OrganizationForm({**organization_initial(organization), **sent}, instance=organization)
    )
    services.organization_update(
        organization=organization,
        actor=user,
        values={key: cleaned[key] for key in sent if key in cleaned},
    )
    return _organization_after_write(viewer, organization)


class VerificationIn(InputSchema):
    verified: bool = Field(
        ...,
        description="true marks the organization verified by the hub; false withdraws the mark.",
    )


@router.post(
    "/organizations/{organization_id}/verification",
    response={200: OrganizationOut, **ERRORS},
    auth=required_auth,
    summary="Verify an organization (hub managers)",
)
def verify_organization(
    request: HttpRequest, organization_id: ObjectId, payload: VerificationIn
) -> OrganizationOut:
    user = caller(request)
    viewer = viewer_for(user)
    organization = selectors.organization_for_viewer(viewer, pk=organization_id)
    services.organization_set_verification(
        organization=organization, actor=user, verified=payload.verified
    )
    return _organization_after_write(viewer, organization)


@router.post(
    "/organizations/{organization_id}/confirmation",
    response={200: OrganizationOut, **ERRORS},
    auth=required_auth,
    summary="Confirm the profile is current (its admins, hub managers)",
)
def confirm_organization(request: HttpRequest, organization_id: ObjectId) -> OrganizationOut:
    user = caller(request)
    viewer = viewer_for(user)
    organization = selectors.organization_for_viewer(viewer, pk=organization_id)
    services.organization_confirm_current(organization=organization, actor=user)
    return _organization_after_write(viewer, organization)


# --- Claims ---------------------------------------------------------------------------------


class ClaimIn(InputSchema):
    role_title: str = Field(..., max_length=120, description="Your role in the organization.")
    message: str = Field(
        "", max_length=2000, description="How the hub can confirm you represent it."
    )


class ClaimOut(Schema):
    id: int
    organization_id: int
    organization_name: str
    user_email: str
    role_title: str
    message: str
    status: Literal["pending", "approved", "rejected", "withdrawn"]
    created_at: dt.datetime
    decided_at: dt.datetime | None


class ClaimPage(Schema):
    items: list[ClaimOut]
    count: int


class ClaimDecisionIn(InputSchema):
    approve: bool = Field(..., description="true makes the claimant an admin of the organization.")
    note: str = Field("", max_length=500, description="Sent to the claimant with the decision.")


def _claim_out(claim: OrganizationClaim) -> ClaimOut:
    return ClaimOut(
        id=claim.pk,
        organization_id=claim.organization_id,
        organization_name=claim.organization.name,
        user_email=claim.user.email,
        role_title=claim.role_title,
        message=claim.message,
        status=claim.status,  # type: ignore[arg-type]
        created_at=claim.created_at,
        decided_at=claim.decided_at,
    )


@router.post(
    "/organizations/{organization_id}/claims",
    response={201: ClaimOut, **ERRORS},
    auth=required_auth,
    summary="Claim an organization",
)
def claim_organization(
    request: HttpRequest, organization_id: ObjectId, payload: ClaimIn
) -> Status[ClaimOut]:
    user = caller(request)
    organization = selectors.organization_for_viewer(viewer_for(user), pk=organization_id)
    values = validated(ClaimForm(payload.dict()))
    claim = services.organization_claim_submit(
        organization=organization,
        user=user,
        role_title=values["role_title"],
        message=values["message"],
    )
    return Status(201, _claim_out(claim))


@router.get(
    "/claims",
    response={200: ClaimPage, **ERRORS},
    auth=required_auth,
    summary="Pending claims on your hubs' organizations (hub managers)",
)
def list_claims(request: HttpRequest, page: Query[PageParams]) -> ClaimPage:
    viewer = viewer_for(caller(request))
    if not viewer.is_manager:
        raise PermissionDenied(_("Only hub managers review claims."))
    claims = selectors.claims_for_manager(viewer)
    items = list(claims[page.offset : page.offset + page.limit])
    count = claims.count() if (page.offset or len(items) == page.limit) else len(items)
    return ClaimPage(items=[_claim_out(claim) for claim in items], count=count)


@router.post(
    "/claims/{claim_id}/decision",
    response={200: ClaimOut, **ERRORS},
    auth=required_auth,
    summary="Approve or reject a claim (hub managers)",
)
def decide_claim(request: HttpRequest, claim_id: ObjectId, payload: ClaimDecisionIn) -> ClaimOut:
    user = caller(request)
    claim = selectors.claim_for_manager(viewer_for(user), claim_id)
    return _claim_out(
        services.organization_claim_decide(
            claim=claim, actor=user, approve=payload.approve, note=payload.note
        )
    )
