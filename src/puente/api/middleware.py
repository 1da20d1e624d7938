"""Refuse NUL characters in the address before any view or endpoint reads it.

PostgreSQL cannot store or compare text containing U+0000, so a NUL in a query parameter that
reaches a filter would end as a database error. Request bodies are checked by the API schemas;
this covers the query string of every page and endpoint in one place.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.utils.translation import gettext as _

from puente.api.errors import json_error

NUL = "\x00"


class RefuseNulCharactersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if NUL in request.path or any(
            NUL in key or any(NUL in value for value in values)
            for key, values in request.GET.lists()
        ):
            message = _("Remove the NUL character (U+0000): it is not allowed in text.")
            if request.path.startswith("/api/"):
                return json_error(status=400, code="null_character", message=message)
            return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
        return self.get_response(request)
