"""Rate limits of the API, read from settings on every request.

Anonymous callers are counted per IP address (``API_RATE_ANONYMOUS``), signed-in callers per
account (``API_RATE_AUTHENTICATED``), whatever token or session they use. Rates look like
``300/m`` (per second ``s``, minute ``m``, hour ``h`` or day ``d``); an empty value turns the
limit off.
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


class AnonymousRateThrottle(_SettingsRateThrottle):
    scope = "puente-anonymous"
    setting_name = "API_RATE_ANONYMOUS"

    def get_cache_key(self, request: HttpRequest) -> str | None:
        if _caller_id(request) is not None:
            return None
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


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
