"""Reads of accounts that carry rules: a user's own consents and tokens, never another's."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import F, QuerySet
from django.http import Http404

from puente.accounts.models import REQUIRED_CONSENTS, ApiToken, Consent, ConsentPurpose, User

_MAX_PK = 2**63 - 1


@dataclass(frozen=True)
class ConsentState:
    """Where one purpose stands for a user: the latest grant or withdrawal, if any."""

    purpose: str
    label: str
    required: bool
    latest: Consent | None

    @property
    def granted(self) -> bool:
        return self.latest is not None and self.latest.granted


def consent_states(user: User) -> list[ConsentState]:
    """Every purpose in declaration order with the user's latest decision about it."""
    latest: dict[str, Consent] = {}
    for consent in Consent.objects.filter(user=user).order_by("recorded_at", "id"):
        latest[consent.purpose] = consent
    return [
        ConsentState(
            purpose=purpose.value,
            label=str(purpose.label),
            required=purpose in REQUIRED_CONSENTS,
            latest=latest.get(purpose.value),
        )
        for purpose in ConsentPurpose
    ]


def consent_history(user: User) -> QuerySet[Consent]:
    """Every consent decision the user has made, newest first."""
    return Consent.objects.filter(user=user).order_by("-recorded_at", "-id")


def api_tokens_of(user: User) -> QuerySet[ApiToken]:
    """The user's tokens: active ones first, newest first within each group."""
    return ApiToken.objects.filter(user=user).order_by(
        F("revoked_at").desc(nulls_first=True), "-created_at", "-id"
    )


def api_token_for_user(user: User, token_id: int) -> ApiToken:
    """One of the user's own tokens, or the same 404 whether it is missing or someone else's."""
    if not 0 < token_id <= _MAX_PK:
        raise Http404("token")
    token = ApiToken.objects.filter(user=user, pk=token_id).first()
    if token is None:
        raise Http404("token")
    return token
