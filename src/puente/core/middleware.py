"""Activate the viewer's time zone for rendering: account setting, else the browser's."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from puente.core.timezones import DEFAULT_VIEWER_TIME_ZONE, is_time_zone, zone

TIME_ZONE_COOKIE = "puente_tz"


class TimezoneMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        name = None
        if (
            user is not None
            and user.is_authenticated
            and is_time_zone(getattr(user, "time_zone", ""))
        ):
            name = user.time_zone
        else:
            cookie = request.COOKIES.get(TIME_ZONE_COOKIE, "")
            name = cookie if is_time_zone(cookie) else DEFAULT_VIEWER_TIME_ZONE
        request.viewer_time_zone = name  # type: ignore[attr-defined]
        timezone.activate(zone(name))
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
