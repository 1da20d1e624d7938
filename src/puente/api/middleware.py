"""NUL characters in the query string of web pages, dropped before any view reads it.

PostgreSQL cannot store or compare text containing U+0000, so a NUL in a query parameter that
reaches a filter would end as a database error. The API refuses NUL in every body and query
through ``api.schemas.InputSchema``; pages have no schema, so this drops the character (a
browser user never means it) and the page goes on.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import TooManyFieldsSent
from django.http import HttpRequest, HttpResponse, QueryDict

NUL = "\x00"


class DropNulCharactersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        raw = request.META.get("QUERY_STRING", "")
        if ("%00" in raw or NUL in raw) and not request.path.startswith("/api/"):
            try:
                params = list(request.GET.lists())
            except TooManyFieldsSent:
                return self.get_response(request)  # the view answers that one
            if any(NUL in key or any(NUL in v for v in values) for key, values in params):
                cleaned = QueryDict(mutable=True)
                for key, values in params:
                    cleaned.setlist(key.replace(NUL, ""), [v.replace(NUL, "") for v in values])
                cleaned._mutable = False
                request.GET = cleaned  # type: ignore[assignment]
        return self.get_response(request)
