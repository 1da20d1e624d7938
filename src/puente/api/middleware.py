"""NUL characters in the query string, handled before any view or endpoint reads it.

PostgreSQL cannot store or compare text containing U+0000, so a NUL in a query parameter that
reaches a filter would end as a database error. The API refuses it as invalid input naming each
parameter at fault (request bodies are checked by the API schemas); pages drop the character
and go on, as a browser user never means it.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import TooManyFieldsSent
from django.http import HttpRequest, HttpResponse, QueryDict
from django.utils.translation import gettext as _

from puente.api.errors import json_error

NUL = "\x00"


class RefuseNulCharactersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        raw = request.META.get("QUERY_STRING", "")
        if "%00" in raw or NUL in raw:
            try:
                params = list(request.GET.lists())
            except TooManyFieldsSent:
                return self.get_response(request)  # the view answers that one
            at_fault = [
                key for key, values in params if NUL in key or any(NUL in value for value in values)
            ]
            if at_fault:
                if request.path.startswith("/api/"):
                    return self._refuse(request, at_fault)
                cleaned = QueryDict(mutable=True)
                for key, values in params:
                    cleaned.setlist(key.replace(NUL, ""), [v.replace(NUL, "") for v in values])
                cleaned._mutable = False
                request.GET = cleaned  # type: ignore[assignment]
        return self.get_response(request)

    @staticmethod
    def _refuse(request: HttpRequest, keys: list[str]) -> HttpResponse:
        message = _("Remove the NUL character (U+0000): it is not allowed in text.")
        errors = [
            {"field": key.replace(NUL, ""), "code": "null_character", "message": message}
            for key in keys
        ]
        return json_error(status=422, code="invalid", message=message, errors=errors)
