"""Pages of the whole network: home, privacy policy, about, health and error pages."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from puente.accounts.viewer import viewer_for
from puente.directory import selectors as directory_selectors


def home(request: HttpRequest) -> HttpResponse:
    viewer = viewer_for(request.user)
    overview = directory_selectors.network_overview(viewer)
    return render(
        request,
        "core/home.html",
        {"overview": overview, "recent": directory_selectors.recently_confirmed(viewer)},
    )


def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "core/privacy.html")


def about(request: HttpRequest) -> HttpResponse:
    return render(request, "core/about.html")


@never_cache
def health(request: HttpRequest) -> JsonResponse:
    """Liveness and database reachability, for load balancers and the demo script."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return JsonResponse({"status": "ok", "database": connection.vendor})


def _error(request: HttpRequest, status: int, template: str, **context: Any) -> HttpResponse:
    if request.path.startswith("/api/"):
        from django.utils.translation import gettext as _

        messages = {
            400: _("Bad request."),
            403: _("Forbidden."),
            404: _("Not found."),
            500: _("Something went wrong on our side."),
        }
        codes = {400: "bad_request", 403: "forbidden", 404: "not_found", 500: "server_error"}
        return JsonResponse({"code": codes[status], "message": messages[status]}, status=status)
    return render(request, template, context, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 400, "400.html")


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 403, "403.html")


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 404, "404.html")


def server_error(request: HttpRequest) -> HttpResponse:
    return _error(request, 500, "500.html")
