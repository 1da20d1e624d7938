"""API: opportunities of the marketplace, their lifecycle and expressions of interest.

Each endpoint parses its input, calls one selector or service and answers with a schema.
Relations are addressed by taxonomy code or hub slug and validated by the same form the web
app and the importer use, so every channel gives the same translated errors.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Literal

from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from puente.accounts.viewer import Viewer, viewer_for
from puente.api.auth import caller, caller_or_anonymous, required_auth
from puente.api.schemas import (
    ABSENT,
    ERRORS,
    MAX_ID,
    MAX_LIST_ITEMS,
    MAX_OFFSET,
    READ_ERRORS,
    Codes,
    InputSchema,
    ObjectId,
    TermRef,
    term_refs,
)
from puente.api.validation import refuse_unknown_codes, require_change
from puente.core.errors import PermissionDenied
from puente.core.forms import validated
from puente.core.models import Vocabulary
from puente.directory.models import Organization
from puente.marketplace import selectors, services
from puente.marketplace.forms import InterestForm, OpportunityForm, opportunity_initial
from puente.marketplace.models import ExpressionOfInterest, Opportunity

router = Router(tags=["marketplace"])


class OrganizationRef(Schema):
    id: int
    name: str
    slug: str
    hub: str


class OpportunityOut(Schema):
    id: int
    external_id: str | None = Field(
        ..., description="Identifier in the source the record was imported from."
    )
    url: str = Field(..., description="The opportunity's page in the web app.")
    organization: OrganizationRef
    side: Literal["offer", "request"]
    kind: TermRef
    title: str
    description: str
    language: str
    hub: str = Field(..., description="Slug of the hub where it is posted.")
    target_hubs: list[str] = Field(
        ..., description="Where the counterpart should be; empty means any hub."
    )
    sectors: list[TermRef]
    technologies: list[TermRef]
    stages: list[TermRef]
    amount_min: Decimal | None
    amount_max: Decimal | None
    currency: str
    deadline: dt.date | None
    profile_type: str
    visibility: str
    status: Literal["draft", "published", "expired", "archived"]
    published_at: dt.datetime | None
    expires_at: dt.datetime | None
    can_manage: bool = Field(
        ..., description="True when the caller may edit, publish, renew or archive it."
    )


class OpportunityPage(Schema):
    items: list[OpportunityOut]
    count: int


class OpportunityFilters(InputSchema):
    q: str = Field("", max_length=10_000, description="Words to search, in any language.")
    side: Literal["", "offer", "request"] = ""
    kind: Codes = Field([], max_length=MAX_LIST_ITEMS, description="Connection kind codes.")
    hub: Codes = Field(
        [], max_length=MAX_LIST_ITEMS, description="Slugs of the hubs where it is posted."
    )
    target_hub: Codes = Field(
        [], max_length=MAX_LIST_ITEMS, description="Opportunities reaching these hubs (or any hub)."
    )
    sector: Codes = Field([], max_length=MAX_LIST_ITEMS)
    stage: Codes = Field([], max_length=MAX_LIST_ITEMS)
    organization: int | None = Field(
        None,
        ge=1,
        le=MAX_ID,
        description="Only this organization's (drafts included for its members).",
    )
    status: Literal["", "draft", "published", "expired", "archived"] = Field(
        "", description="Default: live ones."
    )
    limit: int = Field(20, ge=1, le=100)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


class OpportunityIn(InputSchema):
    organization: int = Field(
        ..., ge=1, le=MAX_ID, description="Id of the posting organization (one of yours)."
    )
    side: str = Field(..., max_length=10, description="offer or request")
    kind: str = Field(..., max_length=60, description="Connection kind code.")
    title: str = Field(..., max_length=200)
    description: str = Field(..., max_length=8000)
    language: str = Field("es", max_length=8)
    hub: str = Field(..., max_length=40)
    target_hubs: Codes = Field([], max_length=MAX_LIST_ITEMS)
    sectors: Codes = Field([], max_length=MAX_LIST_ITEMS)
    technologies: Codes = Field([], max_length=MAX_LIST_ITEMS)
    stages: Codes = Field([], max_length=MAX_LIST_ITEMS)
    amount_min: Decimal | None = Field(None, ge=0, max_digits=16, decimal_places=2)
    amount_max: Decimal | None = Field(None, ge=0, max_digits=16, decimal_places=2)
    currency: str = Field("", max_length=3)
    deadline: dt.date | None = None
    profile_type: str = Field("", max_length=24)
    visibility: str = Field("public", max_length=20)
    external_id: str | None = Field(None, max_length=100)
    publish: bool = Field(False, description="Publish at once (otherwise a draft is saved).")


class OpportunityPatch(InputSchema):
    """Only the fields sent change; amounts, currency and deadline may be null to clear them."""

    side: str = Field(ABSENT, max_length=10)
    kind: str = Field(ABSENT, max_length=60)
    title: str = Field(ABSENT, max_length=200)
    description: str = Field(ABSENT, max_length=8000)
    language: str = Field(ABSENT, max_length=8)
    hub: str = Field(ABSENT, max_length=40)
    target_hubs: Codes = Field(ABSENT, max_length=MAX_LIST_ITEMS)
    sectors: Codes = Field(ABSENT, max_length=MAX_LIST_ITEMS)
    technologies: Codes = Field(ABSENT, max_length=MAX_LIST_ITEMS)
    stages: Codes = Field(ABSENT, max_length=MAX_LIST_ITEMS)
    amount_min: Decimal | None = Field(None, ge=0, max_digits=16, decimal_places=2)
    amount_max: Decimal | None = Field(None, ge=0, max_digits=16, decimal_places=2)
    currency: str | None = Field(None, max_length=3)
    deadline: dt.date | None = None
    profile_type: str | None = Field(None, max_length=24)
    visibility: str = Field(ABSENT, max_length=20)
    external_id: str = Field(ABSENT, max_length=100)


def opportunity_out(
    opportunity: Opportunity, viewer: Viewer, can_manage: bool | None = None
) -> OpportunityOut:
    organization = opportunity.organization
    if can_manage is None:
        can_manage = viewer.is_authenticated and (
            organization.pk in viewer.organization_ids
            or viewer.manages_any({opportunity.hub_id, organization.hub_id})
            or viewer.is_staff
        )
    return OpportunityOut(
        id=opportunity.pk,
        external_id=opportunity.external_id,
        url=reverse("marketplace:detail", kwargs={"pk": opportunity.pk}),
        organization=OrganizationRef(
            id=organization.pk,
            name=organization.name,
            slug=organization.slug,
            hub=organization.hub.slug,
        ),
        side=opportunity.side,  # type: ignore[arg-type]
        kind=TermRef(code=opportunity.kind.code, label=opportunity.kind.label),
        title=opportunity.title,
        description=opportunity.description,
        language=opportunity.language,
        hub=opportunity.hub.slug,
        target_hubs=[hub.slug for hub in opportunity.target_hubs.all()],
        sectors=term_refs(opportunity.sectors.all()),
        technologies=term_refs(opportunity.technologies.all()),
        stages=term_refs(opportunity.stages.all()),
        amount_min=opportunity.amount_min,
        amount_max=opportunity.amount_max,
        currency=opportunity.currency,
        deadline=opportunity.deadline,
        profile_type=opportunity.profile_type,
        visibility=opportunity.visibility,
        status=opportunity.status,  # type: ignore[arg-type]
        published_at=opportunity.published_at,
        expires_at=opportunity.expires_at,
        can_manage=bool(can_manage),
    )


def _fresh(viewer: Viewer, pk: int) -> OpportunityOut:
    try:
        return opportunity_out(selectors.opportunity_for_viewer(viewer, pk), viewer)
    except Http404:
        opportunity = (
            Opportunity.objects.select_related("organization", "organization__hub", "hub", "kind")
            .prefetch_related("sectors", "technologies", "stages", "target_hubs")
            .get(pk=pk)
        )
        return opportunity_out(opportunity, viewer)


@router.get(
    "/opportunities",
    response={200: OpportunityPage, **READ_ERRORS},
    summary="Browse and search opportunities",
)
def list_opportunities(request: HttpRequest, filters: Query[OpportunityFilters]) -> OpportunityPage:
    viewer = viewer_for(caller_or_anonymous(request))
    refuse_unknown_codes(
        hubs=[*filters.hub, *filters.target_hub],
        terms={
            "kind": (Vocabulary.CONNECTION_KIND, filters.kind),
            "sector": (Vocabulary.SECTOR, filters.sector),
            "stage": (Vocabulary.STAGE, filters.stage),
        },
    )
    result = selectors.opportunity_list(
        viewer,
        selectors.OpportunityFilters(
            q=filters.q.strip()[:500],
            side=filters.side,
            kinds=filters.kind,
            hubs=filters.hub,
            reaching=filters.target_hub,
            sectors=filters.sector,
            stages=filters.stage,
            organization_id=filters.organization,
            status=filters.status,
        ),
        offset=filters.offset,
        limit=filters.limit,
    )
    return OpportunityPage(
        items=[opportunity_out(item, viewer) for item in result.items], count=result.count
    )


@router.get(
    "/opportunities/{opportunity_id}",
    response={200: OpportunityOut, **READ_ERRORS},
    summary="One opportunity",
)
def get_opportunity(request: HttpRequest, opportunity_id: ObjectId) -> OpportunityOut:
    viewer = viewer_for(caller_or_anonymous(request))
    return opportunity_out(selectors.opportunity_for_viewer(viewer, opportunity_id), viewer)


@router.post(
    "/opportunities",
    response={201: OpportunityOut, **ERRORS},
    auth=required_auth,
    summary="Post an opportunity (members of the organization)",
)
def create_opportunity(request: HttpRequest, payload: OpportunityIn) -> Status[OpportunityOut]:
    user = caller(request)
    viewer = viewer_for(user)
    organization = (
        Organization.objects.filter(pk=payload.organization).select_related("hub").first()
    )
    if organization is None or not services.can_manage_opportunities(user, organization):
        raise PermissionDenied(_("Only members of the organization can manage its opportunities."))
    data = payload.dict(exclude={"organization", "publish"})
    values = validated(
        OpportunityForm({key: value for key, value in data.items() if value is not None})
    )
    opportunity = services.opportunity_create(
        organization=organization, actor=user, values=values, publish=payload.publish
    )
    return Status(201, _fresh(viewer, opportunity.pk))


@router.patch(
    "/opportunities/{opportunity_id}",
    response={200: OpportunityOut, **ERRORS},
    auth=required_auth,
    summary="Change an opportunity (members of the organization)",
)
def update_opportunity(
    request: HttpRequest, opportunity_id: ObjectId, payload: OpportunityPatch
) -> OpportunityOut:
    user = caller(request)
    viewer = viewer_for(user)
    opportunity = selectors.opportunity_for_viewer(viewer, opportunity_id)
    if not services.can_manage_opportunities(user, opportunity.organization):
        raise PermissionDenied(_("Only members of the organization can manage its opportunities."))
    sent = payload.dict(exclude_unset=True)
    require_change(sent)
    merged = {
        **opportunity_initial(opportunity),
        **{key: ("" if value is None else value) for key, value in sent.items()},
    }
    cleaned = validated(OpportunityForm(merged, instance=opportunity))
    services.opportunity_update(
        opportunity=opportunity,
        actor=user,
        values={key: cleaned[key] for key in sent if key in cleaned},
    )
    return _fresh(viewer, opportunity.pk)


def _lifecycle(request: HttpRequest, opportunity_id: int, action: str) -> OpportunityOut:
    user = caller(request)
    viewer = viewer_for(user)
    opportunity = selectors.opportunity_for_viewer(viewer, opportunity_id)
    service = {
        "publish": services.opportunity_publish,
        "renew": services.opportunity_renew,
        "archive": services.opportunity_archive,
    }[action]
    service(opportunity=opportunity, actor=user)
    return _fresh(viewer, opportunity.pk)


@router.post(
    "/opportunities/{opportunity_id}/publish",
    response={200: OpportunityOut, **ERRORS},
    auth=required_auth,
    summary="Publish a draft (visible for 365 days)",
)
def publish_opportunity(request: HttpRequest, opportunity_id: ObjectId) -> OpportunityOut:
    return _lifecycle(request, opportunity_id, "publish")


@router.post(
    "/opportunities/{opportunity_id}/renew",
    response={200: OpportunityOut, **ERRORS},
    auth=required_auth,
    summary="Renew for another 365 days",
)
def renew_opportunity(request: HttpRequest, opportunity_id: ObjectId) -> OpportunityOut:
    return _lifecycle(request, opportunity_id, "renew")


@router.post(
    "/opportunities/{opportunity_id}/archive",
    response={200: OpportunityOut, **ERRORS},
    auth=required_auth,
    summary="Archive (take off the marketplace)",
)
def archive_opportunity(request: HttpRequest, opportunity_id: ObjectId) -> OpportunityOut:
    return _lifecycle(request, opportunity_id, "archive")


# --- Expressions of interest ----------------------------------------------------------------
class InterestOut(Schema):
    id: int
    opportunity: int
    organization: OrganizationRef
    user: str = Field(..., description="Full name of who expressed it.")
    message: str
    status: Literal["open", "withdrawn"]
    created_at: dt.datetime


class InterestPage(Schema):
    items: list[InterestOut]
    count: int


class InterestIn(InputSchema):
    organization: int = Field(
        ..., ge=1, le=MAX_ID, description="Id of your organization that is interested."
    )
    message: str = Field("", max_length=2000)


def interest_out(interest: ExpressionOfInterest) -> InterestOut:
    organization = interest.organization
    return InterestOut(
        id=interest.pk,
        opportunity=interest.opportunity_id,
        organization=OrganizationRef(
            id=organization.pk,
            name=organization.name,
            slug=organization.slug,
            hub=organization.hub.slug,
        ),
        user=interest.user.full_name,
        message=interest.message,
        status=interest.status,  # type: ignore[arg-type]
        created_at=interest.created_at,
    )


@router.get(
    "/opportunities/{opportunity_id}/interests",
    response={200: InterestPage, **READ_ERRORS},
    auth=required_auth,
    summary="Expressions of interest (all for the owners, yours otherwise)",
)
def list_interests(request: HttpRequest, opportunity_id: ObjectId) -> InterestPage:
    viewer = viewer_for(caller(request))
    opportunity = selectors.opportunity_for_viewer(viewer, opportunity_id)
    items = [interest_out(interest) for interest in selectors.interests_in(viewer, opportunity)]
    return InterestPage(items=items, count=len(items))


@router.post(
    "/opportunities/{opportunity_id}/interests",
    response={201: InterestOut, **ERRORS},
    auth=required_auth,
    summary="Express interest on behalf of your organization",
)
def create_interest(
    request: HttpRequest, opportunity_id: ObjectId, payload: InterestIn
) -> Status[InterestOut]:
    user = caller(request)
    viewer = viewer_for(user)
    opportunity = selectors.opportunity_for_viewer(viewer, opportunity_id)
    form = InterestForm(
        {"organization": payload.organization, "message": payload.message},
        organizations=Organization.objects.filter(pk__in=viewer.organization_ids),
    )
    if not form.is_valid():
        raise PermissionDenied(
            _("You can only express interest on behalf of your own organization.")
        )
    interest = services.interest_express(
        opportunity=opportunity,
        organization=form.cleaned_data["organization"],
        actor=user,
        message=form.cleaned_data.get("message") or "",
    )
    interest = ExpressionOfInterest.objects.select_related(
        "organization", "organization__hub", "user"
    ).get(pk=interest.pk)
    return Status(201, interest_out(interest))


@router.post(
    "/interests/{interest_id}/withdraw",
    response={200: InterestOut, **ERRORS},
    auth=required_auth,
    summary="Withdraw an expression of interest",
)
def withdraw_interest(request: HttpRequest, interest_id: ObjectId) -> InterestOut:
    user = caller(request)
    viewer = viewer_for(user)
    interest = (
        ExpressionOfInterest.objects.select_related(
            "organization", "organization__hub", "user", "opportunity"
        )
        .filter(pk=interest_id)
        .first()
    )
    if interest is None or (
        interest.user_id != user.pk
        and interest.organization_id not in viewer.organization_ids
        and not viewer.is_staff
    ):
        raise Http404("interest")
    interest = services.interest_withdraw(interest=interest, actor=user)
    return interest_out(interest)
