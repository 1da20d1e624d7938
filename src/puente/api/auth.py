"""API authentication: a personal bearer token, or the browser session (with CSRF)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja.security.base import AuthBase
from ninja.utils import check_csrf

from puente.accounts.models import ApiToken
from puente.core.errors import DomainError

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


class NotAuthenticated(DomainError):
    status = 401
    default_code = "not_authenticated"


def _user_from_header(request: HttpRequest) -> Any | None:
    header = request.headers.get("Authorization", "")
    if not header:
        return None
    scheme, _sep, raw = header.partition(" ")
    if scheme.lower() not in ("bearer", "token") or not raw.strip():
        raise NotAuthenticated(_("Send the token as “Authorization: Bearer <token>”."), code="invalid_auth_header")
    token = ApiToken.objects.for_raw(raw.strip()).select_related("user").first()
    if token is None or not token.user.is_active:
        raise NotAuthenticated(_("The API token is not valid or has been revoked."), code="invalid_token")
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 300:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


class TokenOrSession(AuthBase):
    """Authenticate by bearer token or session; anonymous callers pass unless ``required``."""

    openapi_type = "http"
    openapi_scheme = "bearer"

    def __init__(self, *, required: bool) -> None:
        self.required = required
        super().__init__()

    def __call__(self, request: HttpRequest) -> Any:
        user = _user_from_header(request)
        if user is None:
            session_user = getattr(request, "user", None)
            if session_user is not None and session_user.is_authenticated:
                if request.method not in SAFE_METHODS and check_csrf(request) is not None:
                    raise DomainError(_("CSRF check failed: reload the page and try again."), code="csrf_failed")
                user = session_user
        if user is None:
            if self.required:
                raise NotAuthenticated(_("Sign in or send an API token to do this."))
            return AnonymousUser()
        request.user = user
        return user


optional_auth = TokenOrSession(required=False)
required_auth = TokenOrSession(required=True)
