"""API: the caller's own account, roles and API tokens."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema, Status

from puente.accounts import services
from puente.accounts.models import ApiToken, EmailTopic, User
from puente.accounts.viewer import viewer_for
from puente.api.auth import caller, required_auth
from puente.api.schemas import ERRORS, InputSchema, ObjectId, PageParams
from puente.core.models import Hub
from puente.directory.selectors import memberships_of

router = Router(tags=["account"])

#: A kind of notification email (``accounts.models.EmailTopic``).
EmailTopicCode = Literal["requests", "schedule", "reminders", "announcements"]


class MembershipOut(Schema):
    organization_id: int
    organization_name: str
    role: str = Field(..., description="admin or member.")


class MeOut(Schema):
    id: int
    email: str
    full_name: str
    language: str
    time_zone: str
    home_hub: str | None
    email_verified: bool
    is_staff: bool
    managed_hubs: list[str] = Field(..., description="Slugs of the hubs this user manages.")
    memberships: list[MembershipOut]
    email_topics: list[EmailTopicCode] = Field(
        ...,
        description="Kinds of notification that also come by email (the others arrive in the "
        "app only); emails about the account, applications and bookings always do.",
    )


class EmailTopicsIn(InputSchema):
    topics: list[EmailTopicCode] = Field(
        ..., max_length=10, description="Kinds of notification that should also come by email."
    )


@router.get(
    "/me", response={200: MeOut, **ERRORS}, auth=required_auth, summary="The signed-in user"
)
def me(request: HttpRequest) -> MeOut:
    user = caller(request)
    viewer = viewer_for(user)
    managed = (
        sorted(Hub.objects.filter(pk__in=viewer.managed_hub_ids).values_list("slug", flat=True))
        if viewer.managed_hub_ids
        else []
    )
    return MeOut(
        id=user.pk,
        email=user.email,
        full_name=user.full_name,
        language=user.language,
        time_zone=user.time_zone,
        home_hub=user.home_hub.slug if user.home_hub else None,
        email_verified=user.is_verified,
        is_staff=user.is_staff,
        managed_hubs=managed,
        memberships=[
            MembershipOut(
                organization_id=m.organization_id,
                organization_name=m.organization.name,
                role=m.role,
            )
            for m in memberships_of(user)
        ],
        email_topics=_email_topics(user),
    )


def _email_topics(user: User) -> list[EmailTopicCode]:
    off = set(user.emails_off or [])
    return [topic for topic in EmailTopic.values if topic not in off]  # type: ignore[misc]


@router.put(
    "/me/email-topics",
    response={200: EmailTopicsIn, **ERRORS},
    auth=required_auth,
    summary="Choose which notifications also come by email",
)
def set_email_topics(request: HttpRequest, payload: EmailTopicsIn) -> EmailTopicsIn:
    user = services.user_set_email_topics(
        user=caller(request), actor=caller(request), topics=payload.topics
    )
    return EmailTopicsIn(topics=_email_topics(user))


class TokenOut(Schema):
    id: int
    name: str
    key_hint: str = Field(..., description="The first characters of the token, to recognise it.")
    created_at: dt.datetime
    last_used_at: dt.datetime | None
    revoked_at: dt.datetime | None


class NewTokenOut(TokenOut):
    token: str = Field(..., description="The secret; shown only in this response.")


class TokenIn(InputSchema):
    name: str = Field(
        ..., max_length=80, description="What the token is for, to recognise it later."
    )


class TokenPage(Schema):
    items: list[TokenOut]
    count: int


def _token_out(token: ApiToken) -> TokenOut:
    return TokenOut(
        id=token.pk,
        name=token.name,
        key_hint=token.key_hint,
        created_at=token.created_at,
        last_used_at=token.last_used_at,
        revoked_at=token.revoked_at,
    )


@router.get(
    "/tokens",
    response={200: TokenPage, **ERRORS},
    auth=required_auth,
    summary="My API tokens, newest first",
)
def list_tokens(request: HttpRequest, page: Query[PageParams]) -> TokenPage:
    tokens = caller(request).api_tokens.order_by("-created_at", "-id")
    items = list(tokens[page.offset : page.offset + page.limit])
    count = tokens.count() if (page.offset or len(items) == page.limit) else len(items)
    return TokenPage(items=[_token_out(token) for token in items], count=count)


@router.post(
    "/tokens",
    response={201: NewTokenOut, **ERRORS},
    auth=required_auth,
    summary="Create an API token",
)
def create_token(request: HttpRequest, payload: TokenIn) -> Status[NewTokenOut]:
    token, raw = services.api_token_create(user=caller(request), name=payload.name)
    return Status(201, NewTokenOut(**_token_out(token).dict(), token=raw))


@router.delete(
    "/tokens/{token_id}",
    response={204: None, **ERRORS},
    auth=required_auth,
    summary="Revoke an API token",
)
def revoke_token(request: HttpRequest, token_id: ObjectId) -> Status[None]:
    user = caller(request)
    token = user.api_tokens.filter(pk=token_id).first()
    if token is None:
        raise Http404("token")
    services.api_token_revoke(token=token, actor=user)
    return Status(204, None)
