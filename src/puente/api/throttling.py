"""Rate limits of the API, read from settings on every request.

Anonymous callers are counted per IP address (``API_RATE_ANONYMOUS``), signed-in callers per
account (``API_RATE_AUTHENTICATED``), whatever token or session they use. Rates look like
``300/m`` (per second ``s``, minute ``m``, hour ``h`` or day ``d``); an empty value turns the
limit off.

The address of an anonymous caller is the connection's, unless ``API_PROXY_COUNT`` says how
many trusted reverse proxies stand in front of Puente: then it is the address those proxies
recorded in ``X-Forwarded-For``. Without that setting the header is ignored, so a client cannot
escape its limit by inventing addresses.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from ninja.throttling import SimpleRateThrottle


def _caller_id(request: HttpRequest) -> int | None:
    user = getattr(request, "auth", None)
    if user is not None and getattr(user, "is_authenticated", False):
        return int(user.pk)
    return None


class _SettingsRateThrottle(SimpleRateThrottle):
    """A throttle whose rate comes from a setting, so it can change without a restart of code."""

    setting_name = ""

    def __init__(self) -> None:
        super().__init__(rate=self.current_rate() or "1/s")

    def current_rate(self) -> str:
        return str(getattr(settings, self.setting_name, "") or "").strip()

    def allow_request(self, request: HttpRequest) -> bool:
        rate = self.current_rate()
        if not rate:
            return True
        if rate != self.rate:
            self.rate = rate
            self.num_requests, self.duration = self.parse_rate(rate)
        return bool(super().allow_request(request))


def client_address(request: HttpRequest) -> str:
    """The caller's IP address, trusting ``X-Forwarded-For`` only behind known proxies."""
    proxies = int(getattr(settings, "API_PROXY_COUNT", 0) or 0)
    remote = str(request.META.get("REMOTE_ADDR", ""))
    forwarded = [
        part.strip()
        for part in str(request.META.get("HTTP_X_FORWARDED_FOR", "")).split(",")
        if part.strip()
    ]
    if proxies > 0 and forwarded:
        return forwarded[-min(proxies, len(forwarded))][:64]
    return remote


class AnonymousRateThrottle(_SettingsRateThrottle):
    scope = "puente-anonymous"
    setting_name = "API_RATE_ANONYMOUS"

    def get_cache_key(self, request: HttpRequest) -> str | None:
        if _caller_id(request) is not None:
            return None
        return self.cache_format % {"scope": self.scope, "ident": client_address(request)}


class AccountRateThrottle(_SettingsRateThrottle):
    scope = "puente-account"
    setting_name = "API_RATE_AUTHENTICATED"

    def get_cache_key(self, request: HttpRequest) -> str | None:
        user_id = _caller_id(request)
        if user_id is None:
            return None
        return self.cache_format % {"scope": self.scope, "ident": user_id}


def api_throttles() -> list[Any]:
    return [AnonymousRateThrottle(), AccountRateThrottle()]
