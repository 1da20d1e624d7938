"""API: one search over organizations, people and opportunities; an opportunity's matches;
feedback on suggestions. Every result carries its explanation in the caller's language."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from pydantic import StringConstraints

from puente.accounts.viewer import viewer_for
from puente.api.auth import caller, caller_or_anonymous, required_auth
from puente.api.schemas import (
    ERRORS,
    MAX_LIST_ITEMS,
    READ_ERRORS,
    Codes,
    InputSchema,
    ObjectId,
)
from puente.api.validation import refuse_unknown_codes
from puente.core.errors import PermissionDenied, ValidationFailed
from puente.core.ids import MAX_ID
from puente.marketplace import selectors as marketplace_selectors
from puente.marketplace import services as marketplace_services
from puente.matching import selectors, services
from puente.matching.models import MatchFeedback
from puente.matching.selectors import Result

router = Router(tags=["matching"])

MAX_QUERY = 10_000
ITEM_REFERENCE = r"^(organization|person|opportunity):[1-9][0-9]{0,17}$"


class ReasonOut(Schema):
    code: str = Field(
        ..., description="Machine code of the factor (same_sector, complementary_kind, …)."
    )
    text: str = Field(..., description="The reason as a sentence in the request's language.")
    contribution: float = Field(..., description="Signed contribution of the factor to the score.")


class RankedOut(Schema):
    id: int
    external_id: str | None
    type: Literal["organization", "person", "opportunity"]
    score: float
    title: str = Field(..., description="Opportunity title, organization name or person's name.")
    hub: str
    url: str = Field(..., description="The item's page in the web app.")
    explanation: list[ReasonOut]


class RankedPage(Schema):
    items: list[RankedOut]
    count: int


def _url(result: Result) -> str:
    item: Any = result.object
    if result.item_type == "opportunity":
        return reverse("marketplace:detail", kwargs={"pk": item.pk})
    if result.item_type == "organization":
        return reverse("directory:organization", kwargs={"slug": item.slug})
    return reverse("directory:person", kwargs={"slug": item.slug})


def ranked_out(result: Result) -> RankedOut:
    item: Any = result.object
    title = (
        getattr(item, "title", None)
        or getattr(item, "name", None)
        or getattr(item, "full_name", "")
    )
    return RankedOut(
        id=result.id,
        external_id=result.external_id,
        type=result.item_type,  # type: ignore[arg-type]
        score=result.score,
        title=str(title or ""),
        hub=item.hub.slug,
        url=_url(result),
        explanation=[
            ReasonOut(code=reason.code, text=reason.text, contribution=reason.contribution)
            for reason in result.reasons
        ],
    )


class SearchParams(InputSchema):
    q: str = Field(
        ...,
        max_length=MAX_QUERY,
        description="Free text in any language (the first 2,000 characters count).",
    )
    type: list[Literal["organization", "person", "opportunity"]] = Field(
        [], max_length=3, description="Only these kinds of item; repeat for several."
    )
    hub: Codes = Field([], max_length=MAX_LIST_ITEMS, description="Only items of these hubs.")
    exclude: list[Annotated[str, StringConstraints(pattern=ITEM_REFERENCE)]] = Field(
        [],
        max_length=MAX_LIST_ITEMS,
        description=(
            "Items never to return, e.g. `organization:12` when looking for organizations like "
            "that one with its own description; repeat for several."
        ),
    )
    limit: int = Field(10, ge=1, le=50)


@router.get(
    "/search",
    response={200: RankedPage, **READ_ERRORS},
    summary="Search organizations, people and opportunities",
)
def search(request: HttpRequest, params: Query[SearchParams]) -> RankedPage:
    viewer = viewer_for(caller_or_anonymous(request))
    if not params.q.strip():
        raise ValidationFailed(_("Write something to search for."), code="empty_query", field="q")
    refuse_unknown_codes(hubs=params.hub)
    results = selectors.search(
        viewer,
        params.q,
        types=params.type,
        hubs=params.hub,
        exclude=params.exclude,
        limit=params.limit,
    )
    return RankedPage(items=[ranked_out(result) for result in results], count=len(results))


class MatchParams(InputSchema):
    limit: int = Field(10, ge=1, le=50)


@router.get(
    "/opportunities/{opportunity_id}/matches",
    response={200: RankedPage, **ERRORS},
    auth=required_auth,
    summary="Counterparts for an opportunity (its organization's members)",
)
def opportunity_matches(
    request: HttpRequest, opportunity_id: ObjectId, params: Query[MatchParams]
) -> RankedPage:
    user = caller(request)
    viewer = viewer_for(user)
    opportunity = marketplace_selectors.opportunity_for_viewer(
        viewer, opportunity_id, with_terms=False
    )
    if not marketplace_services.can_manage_opportunities(user, opportunity.organization):
        raise PermissionDenied(
            _("Only members of the organization can see the matches of its opportunities.")
        )
    results = selectors.opportunity_matches(viewer, opportunity, limit=params.limit)
    services.matches_shown_record(viewer=viewer, subject=opportunity, results=results)
    return RankedPage(items=[ranked_out(result) for result in results], count=len(results))


class FeedbackIn(InputSchema):
    item_type: Literal["organization", "person", "opportunity"]
    item_id: int = Field(..., ge=1, le=MAX_ID)
    kind: Literal["not_relevant", "already_met", "dismissed"] = Field(
        ...,
        description="not_relevant also ranks similar items lower; every kind hides the item from you for good.",
    )


class FeedbackOut(Schema):
    item_type: str
    item_id: int
    kind: str
    created_at: dt.datetime


class FeedbackPage(Schema):
    items: list[FeedbackOut]
    count: int


def _feedback_out(feedback: MatchFeedback) -> FeedbackOut:
    return FeedbackOut(
        item_type=feedback.item_type,
        item_id=feedback.item_id,
        kind=feedback.kind,
        created_at=feedback.created_at,
    )


@router.get(
    "/feedback",
    response={200: FeedbackPage, **READ_ERRORS},
    auth=required_auth,
    summary="Your feedback on suggestions",
)
def list_feedback(request: HttpRequest) -> FeedbackPage:
    items = [
        _feedback_out(item)
        for item in MatchFeedback.objects.filter(user=caller(request)).order_by(
            "-created_at", "-id"
        )[:500]
    ]
    return FeedbackPage(items=items, count=len(items))


@router.post(
    "/feedback",
    response={201: FeedbackOut, **ERRORS},
    auth=required_auth,
    summary="Mark a suggestion not relevant or already met",
)
def create_feedback(request: HttpRequest, payload: FeedbackIn) -> Status[FeedbackOut]:
    feedback = services.match_feedback_record(
        user=caller(request),
        item_type=payload.item_type,
        item_id=payload.item_id,
        kind=payload.kind,
    )
    return Status(201, _feedback_out(feedback))


@router.delete(
    "/feedback/{item_type}/{item_id}",
    response={204: None, **ERRORS},
    auth=required_auth,
    summary="Withdraw feedback (the item may be suggested again)",
)
def delete_feedback(
    request: HttpRequest,
    item_type: Literal["organization", "person", "opportunity"],
    item_id: ObjectId,
) -> Status[None]:
    services.match_feedback_withdraw(user=caller(request), item_type=item_type, item_id=item_id)
    return Status(204, None)
