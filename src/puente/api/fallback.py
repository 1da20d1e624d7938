"""The last route of the API: any other address under /api/v1/ gets a JSON 404, never HTML."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _
from ninja import Router

from puente.api.errors import json_error

router = Router()

FALLBACK_URL_NAME = "api-not-found"
ALL_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]


def _resolves_elsewhere(path: str) -> bool:
    try:
        match = resolve(path)
    except Resolver404:
        return False
    return match.url_name != FALLBACK_URL_NAME


@router.api_operation(
    ALL_METHODS, "/{path:rest}", auth=None, include_in_schema=False, url_name=FALLBACK_URL_NAME
)
def unknown_address(request: HttpRequest, rest: str) -> HttpResponse:
    path = request.path
    if path.endswith("/") and _resolves_elsewhere(path.rstrip("/")):
        message = _("There is no endpoint at this address; remove the trailing slash: %(path)s") % {
            "path": path.rstrip("/")
        }
    else:
        message = _(
            "There is no endpoint at this address. The list of endpoints is at /api/v1/docs."
        )
    return json_error(status=404, code="not_found", message=message)
