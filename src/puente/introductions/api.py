"""API: double opt-in introductions — request, broker, accept, decline, cancel, outcomes.

Contact details of the other side are present only once both sides accepted.
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
from puente.api.auth import caller, required_auth
from puente.api.schemas import ERRORS, MAX_OFFSET, READ_ERRORS, InputSchema, ObjectId
from puente.core.errors import PermissionDenied
from puente.core.ids import MAX_ID
from puente.directory.models import Organization
from puente.directory.selectors import organizations_visible_to
from puente.introductions import selectors, services
from puente.introductions.models import Introduction, IntroductionOutcome
from puente.marketplace.selectors import opportunities_visible_to
from puente.matching.explanations import reasons_from_stored, stored_factors
from puente.matching.selectors import opportunity_matches

router = Router(tags=["introductions"])


class SideOut(Schema):
    id: int
    name: str
    hub: str
    accepted_at: dt.datetime | None


class ContactOut(Schema):
    organization: int
    email: str
    phone: str
    people: list[dict[str, str]] = Field(
        ..., description="Names and emails of the other side's people."
    )


class OutcomeOut(Schema):
    id: int
    kind: Literal["met", "follow_up", "deal", "investment", "hire", "no_fit"]
    occurred_on: dt.date
    amount: Decimal | None
    currency: str
    hires: int | None
    note: str


class ReasonOut(Schema):
    code: str
    text: str
    contribution: float


class IntroductionOut(Schema):
    id: int
    url: str
    status: Literal["pending", "accepted", "declined", "expired", "cancelled"]
    requester: SideOut
    target: SideOut
    brokered: bool
    opportunity: int | None
    target_opportunity: int | None
    message: str
    explanation: list[ReasonOut]
    your_side: Literal["requester", "target"] | None
    contact: ContactOut | None = Field(
        None, description="The other side's contact details, only after both accepted."
    )
    outcomes: list[OutcomeOut]
    expires_at: dt.datetime
    created_at: dt.datetime


class IntroductionPage(Schema):
    items: list[IntroductionOut]
    count: int


def introduction_out(
    introduction: Introduction, viewer: Viewer, *, detail: bool = False
) -> IntroductionOut:
    contact = selectors.counterpart_contact(viewer, introduction) if detail else None
    return IntroductionOut(
        id=introduction.pk,
        url=reverse("introductions:detail", kwargs={"pk": introduction.pk}),
        status=introduction.status,  # type: ignore[arg-type]
        requester=SideOut(
            id=introduction.requester_id,
            name=introduction.requester.name,
            hub=introduction.requester.hub.slug,
            accepted_at=introduction.requester_accepted_at,
        ),
        target=SideOut(
            id=introduction.target_id,
            name=introduction.target.name,
            hub=introduction.target.hub.slug,
            accepted_at=introduction.target_accepted_at,
        ),
        brokered=introduction.brokered_by_id is not None,
        opportunity=introduction.opportunity_id,
        target_opportunity=introduction.target_opportunity_id,
        message=introduction.message,
        explanation=[
            ReasonOut(code=reason.code, text=reason.text, contribution=reason.contribution)
            for reason in reasons_from_stored(introduction.match_explanation or [])
        ],
        your_side=introduction.side_of(viewer.organization_ids),  # type: ignore[arg-type]
        contact=ContactOut(
            organization=contact.organization.pk,
            email=contact.email,
            phone=contact.phone,
            people=[{"name": name, "email": email} for name, email in contact.people],
        )
        if contact
        else None,
        outcomes=[_outcome_out(outcome) for outcome in introduction.outcomes.all()],
        expires_at=introduction.expires_at,
        created_at=introduction.created_at,
    )


def _outcome_out(outcome: IntroductionOutcome) -> OutcomeOut:
    return OutcomeOut(
        id=outcome.pk,
        kind=outcome.kind,  # type: ignore[arg-type]
        occurred_on=outcome.occurred_on,
        amount=outcome.amount,
        currency=outcome.currency,
        hires=outcome.hires,
        note=outcome.note,
    )


def _detail(viewer: Viewer, pk: int) -> IntroductionOut:
    return introduction_out(selectors.introduction_for_viewer(viewer, pk), viewer, detail=True)


class IntroductionFilters(InputSchema):
    box: Literal["waiting", "incoming", "outgoing", "all"] = Field(
        "all",
        description="waiting: for your answer; incoming: you were asked; outgoing: you asked.",
    )
    limit: int = Field(20, ge=1, le=100)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


@router.get(
    "/introductions",
    response={200: IntroductionPage, **READ_ERRORS},
    auth=required_auth,
    summary="Your introductions",
)
def list_introductions(
    request: HttpRequest, filters: Query[IntroductionFilters]
) -> IntroductionPage:
    viewer = viewer_for(caller(request))
    items, count = selectors.introduction_inbox(
        viewer, filters.box, offset=filters.offset, limit=filters.limit
    )
    return IntroductionPage(items=[introduction_out(item, viewer) for item in items], count=count)


class BrokerIn(InputSchema):
    first: int = Field(..., ge=1, le=MAX_ID)
    second: int = Field(..., ge=1, le=MAX_ID)
    message: str = Field("", max_length=2000)


@router.post(
    "/introductions/broker",
    response={201: IntroductionOut, **ERRORS},
    auth=required_auth,
    summary="Broker an introduction (hub managers; both must accept)",
)
def broker_introduction(request: HttpRequest, payload: BrokerIn) -> Status[IntroductionOut]:
    user = caller(request)
    viewer = viewer_for(user)
    if not viewer.is_manager:
        raise PermissionDenied(_("Only hub managers can broker introductions."))
    found = {
        organization.pk: organization
        for organization in organizations_visible_to(viewer).filter(
            pk__in=[payload.first, payload.second]
        )
    }
    if payload.first not in found or payload.second not in found:
        raise Http404("organization")
    introduction = services.introduction_broker(
        actor=user,
        first=found[payload.first],
        second=found[payload.second],
        message=payload.message,
    )
    return Status(201, _detail(viewer, introduction.pk))


@router.get(
    "/introductions/{introduction_id}",
    response={200: IntroductionOut, **READ_ERRORS},
    auth=required_auth,
    summary="One introduction (contacts after both accepted)",
)
def get_introduction(request: HttpRequest, introduction_id: ObjectId) -> IntroductionOut:
    return _detail(viewer_for(caller(request)), introduction_id)


class IntroductionIn(InputSchema):
    requester: int = Field(..., ge=1, le=MAX_ID, description="Id of your organization.")
    target: int | None = Field(
        None,
        ge=1,
        le=MAX_ID,
        description="Id of the organization to meet (or give target_opportunity).",
    )
    opportunity: int | None = Field(
        None, ge=1, le=MAX_ID, description="Your opportunity the match came from."
    )
    target_opportunity: int | None = Field(
        None, ge=1, le=MAX_ID, description="The matched opportunity of the other organization."
    )
    message: str = Field("", max_length=2000)


@router.post(
    "/introductions",
    response={201: IntroductionOut, **ERRORS},
    auth=required_auth,
    summary="Request an introduction (your side counts as accepted)",
)
def request_introduction(request: HttpRequest, payload: IntroductionIn) -> Status[IntroductionOut]:
    user = caller(request)
    viewer = viewer_for(user)
    requester = Organization.objects.filter(
        pk=payload.requester, pk__in=viewer.organization_ids
    ).first()
    if requester is None:
        raise PermissionDenied(_("You can only request introductions for your own organization."))
    visible = opportunities_visible_to(viewer).select_related("organization")
    target_opportunity = (
        visible.filter(pk=payload.target_opportunity).first()
        if payload.target_opportunity
        else None
    )
    opportunity = visible.filter(pk=payload.opportunity).first() if payload.opportunity else None
    if (payload.target_opportunity and target_opportunity is None) or (
        payload.opportunity and opportunity is None
    ):
        raise Http404("opportunity")
    target = (
        target_opportunity.organization
        if target_opportunity
        else organizations_visible_to(viewer).filter(pk=payload.target).first()
        if payload.target
        else None
    )
    if target is None:
        raise Http404("organization")
    reasons = []
    if opportunity is not None:
        item_type, item_id = (
            ("opportunity", target_opportunity.pk)
            if target_opportunity
            else ("organization", target.pk)
        )
        reasons = next(
            (
                match.reasons
                for match in opportunity_matches(viewer, opportunity, limit=50)
                if match.item_type == item_type and match.id == item_id
            ),
            [],
        )
    introduction = services.introduction_request(
        actor=user,
        requester=requester,
        target=target,
        message=payload.message,
        opportunity=opportunity,
        target_opportunity=target_opportunity,
        explanation=stored_factors(reasons),
    )
    return Status(201, _detail(viewer, introduction.pk))


class DeclineIn(InputSchema):
    reason: str = Field("", max_length=500)


@router.post(
    "/introductions/{introduction_id}/accept",
    response={200: IntroductionOut, **ERRORS},
    auth=required_auth,
    summary="Accept on behalf of your organization",
)
def accept_introduction(request: HttpRequest, introduction_id: ObjectId) -> IntroductionOut:
    user = caller(request)
    viewer = viewer_for(user)
    introduction = selectors.introduction_for_viewer(viewer, introduction_id)
    services.introduction_respond(introduction=introduction, actor=user, accept=True)
    return _detail(viewer, introduction_id)


@router.post(
    "/introductions/{introduction_id}/decline",
    response={200: IntroductionOut, **ERRORS},
    auth=required_auth,
    summary="Decline on behalf of your organization",
)
def decline_introduction(
    request: HttpRequest, introduction_id: ObjectId, payload: DeclineIn
) -> IntroductionOut:
    user = caller(request)
    viewer = viewer_for(user)
    introduction = selectors.introduction_for_viewer(viewer, introduction_id)
    services.introduction_respond(
        introduction=introduction, actor=user, accept=False, reason=payload.reason
    )
    return _detail(viewer, introduction_id)


@router.post(
    "/introductions/{introduction_id}/cancel",
    response={200: IntroductionOut, **ERRORS},
    auth=required_auth,
    summary="Cancel a request nobody answered yet",
)
def cancel_introduction(request: HttpRequest, introduction_id: ObjectId) -> IntroductionOut:
    user = caller(request)
    viewer = viewer_for(user)
    introduction = selectors.introduction_for_viewer(viewer, introduction_id)
    services.introduction_cancel(introduction=introduction, actor=user)
    return _detail(viewer, introduction_id)


class OutcomeIn(InputSchema):
    kind: Literal["met", "follow_up", "deal", "investment", "hire", "no_fit"]
    occurred_on: dt.date
    amount: Decimal | None = Field(None, ge=0, max_digits=16, decimal_places=2)
    currency: Literal["", "COP", "USD", "EUR"] = ""
    hires: int | None = Field(None, ge=1, le=10_000)
    note: str = Field("", max_length=500)


@router.post(
    "/introductions/{introduction_id}/outcomes",
    response={201: OutcomeOut, **ERRORS},
    auth=required_auth,
    summary="Record what came of an accepted introduction",
)
def record_outcome(
    request: HttpRequest, introduction_id: ObjectId, payload: OutcomeIn
) -> Status[OutcomeOut]:
    user = caller(request)
    viewer = viewer_for(user)
    introduction = selectors.introduction_for_viewer(viewer, introduction_id)
    outcome = services.introduction_record_outcome(
        introduction=introduction, actor=user, **payload.dict()
    )
    return Status(201, _outcome_out(outcome))
