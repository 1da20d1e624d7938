"""API authentication: a personal bearer token, or the browser session (with CSRF)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja.security.base import AuthBase
from ninja.utils import check_csrf

from puente.accounts.models import ApiToken, User
from puente.core.errors import DomainError, PermissionDenied

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
# Tokens are "pnt_" and 43 URL-safe characters; anything much longer is not a token.
MAX_TOKEN_LENGTH = 200
# Recording every use would turn each read into a write; once per few minutes is enough.
LAST_USED_RESOLUTION_SECONDS = 300


class NotAuthenticated(DomainError):
    status = 401
    default_code = "not_authenticated"


def _user_from_header(request: HttpRequest) -> User | None:
    header = request.headers.get("Authorization", "")
    if not header:
        return None
    scheme, _sep, raw = header.partition(" ")
    raw = raw.strip()
    if scheme.lower() not in ("bearer", "token") or not raw:
        raise NotAuthenticated(
            _("Send the token as “Authorization: Bearer <token>”."), code="invalid_auth_header"
        )
    token = None
    if len(raw) <= MAX_TOKEN_LENGTH:
        token = ApiToken.objects.for_raw(raw).select_related("user").first()
    if token is None or not token.user.is_active:
        raise NotAuthenticated(
            _("The API token is not valid or has been revoked."), code="invalid_token"
        )
    now = timezone.now()
    if (
        token.last_used_at is None
        or (now - token.last_used_at).total_seconds() > LAST_USED_RESOLUTION_SECONDS
    ):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


class TokenOrSession(AuthBase):
    """Authenticate by bearer token or session; anonymous callers pass unless ``required``.

    A token that is sent must be valid even on public endpoints: a client with a broken token
    learns it at once instead of silently seeing the public view.
    """

    openapi_type = "http"
    openapi_scheme = "bearer"

    def __init__(self, *, required: bool) -> None:
        self.required = required
        super().__init__()

    def __call__(self, request: HttpRequest) -> Any:
        user: Any = _user_from_header(request)
        if user is None:
            session_user = getattr(request, "user", None)
            if session_user is not None and session_user.is_authenticated:
                if request.method not in SAFE_METHODS and check_csrf(request) is not None:
                    raise PermissionDenied(
                        _("CSRF check failed: reload the page and try again."), code="csrf_failed"
                    )
                user = session_user
        if user is None:
            if self.required:
                raise NotAuthenticated(_("Sign in or send an API token to do this."))
            return AnonymousUser()
        request.user = user
        return user


optional_auth = TokenOrSession(required=False)
required_auth = TokenOrSession(required=True)


def caller(request: HttpRequest) -> User:
    """The signed-in user of an endpoint that requires authentication."""
    user = getattr(request, "auth", None)
    if not isinstance(user, User):
        raise NotAuthenticated(_("Sign in or send an API token to do this."))
    return user


def caller_or_anonymous(request: HttpRequest) -> Any:
    """The signed-in user, or an anonymous user, of a public endpoint."""
    return getattr(request, "auth", None) or AnonymousUser()
