"""The REST API object: version 1, mounted at /api/v1/. Routers live in each app's api.py."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    HttpResponseNotAllowed,
    JsonResponse,
)
from django.urls import URLPattern, URLResolver
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI
from ninja.errors import ValidationError, ValidationErrorContext

from puente.api.auth import optional_auth
from puente.api.errors import NULL_INPUT, install_error_handlers, json_error
from puente.api.parser import JsonBodyParser
from puente.api.throttling import api_throttles

DESCRIPTION = """\
REST API of Puente, the network of innovation hubs (Medellín, Miami and any further hub).

* **Authentication**: send `Authorization: Bearer <token>` (create tokens at `POST /tokens` or in
  your account), or call from the web app with the session cookie and the `X-CSRFToken` header.
* **Lists** answer `{"items": [...], "count": N}` and take `limit` (1 to 100) and `offset`.
* **Errors** are JSON: `{"code": "...", "message": "...", "errors": [{"field", "code", "message"}]}`
  with a stable machine `code` and a `message` in the language of `Accept-Language` (es or en).
* **Bodies** are JSON objects sent with `Content-Type: application/json`; unknown fields are
  refused with `extra_forbidden`.

The guide with examples is docs/api.md in the source repository.
"""


def _json_method_not_allowed(
    view: Callable[..., HttpResponseBase],
) -> Callable[..., HttpResponseBase]:
    """Wrap a ninja path view so a wrong method gets a JSON 405 (ninja answers in plain text)."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        response = view(request, *args, **kwargs)
        if isinstance(response, HttpResponseNotAllowed):
            allowed = response["Allow"]
            answer = json_error(
                status=405,
                code="method_not_allowed",
                message=_("This address does not accept %(method)s; it accepts %(allowed)s.")
                % {"method": (request.method or "")[:20], "allowed": allowed},
            )
            answer["Allow"] = allowed
            return answer
        return response

    return wrapper


def api_index(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    """/api/v1/ itself: where the documentation and the schema are."""
    return JsonResponse(
        {
            "name": "Puente API",
            "version": "1",
            "docs": f"{request.path}docs",
            "openapi": f"{request.path}openapi.json",
        }
    )


class PuenteAPI(NinjaAPI):
    """NinjaAPI with JSON answers for everything: wrong methods, unknown routes, null values."""

    def _get_urls(self) -> list[URLResolver | URLPattern]:
        patterns = super()._get_urls()
        wrapped: list[URLResolver | URLPattern] = []
        for pattern in patterns:
            if isinstance(pattern, URLPattern):
                view = api_index if pattern.name == "api-root" else pattern.callback
                pattern = URLPattern(
                    pattern.pattern,
                    _json_method_not_allowed(view),
                    pattern.default_args,
                    pattern.name,
                )
            wrapped.append(pattern)
        return wrapped

    def validation_error_from_error_contexts(
        self, error_contexts: list[ValidationErrorContext]
    ) -> ValidationError:
        # ninja drops each error's input (it may be large or private); keep only whether it
        # was null, so the answer can say "null is not accepted" instead of "enter text".
        null_inputs = []
        for context in error_contexts:
            for details in context.pydantic_validation_error.errors(include_url=False):
                null_inputs.append(details.get("input", ...) is None)
        result = super().validation_error_from_error_contexts(error_contexts)
        for item, was_null in zip(result.errors, null_inputs, strict=False):
            if was_null:
                item[NULL_INPUT] = True
        return result


api = PuenteAPI(
    title="Puente API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    auth=optional_auth,
    docs_url="/docs",
    openapi_url="/openapi.json",
    parser=JsonBodyParser(),
    throttle=api_throttles(),
)
install_error_handlers(api)


def _register_routers() -> None:
    from puente.accounts.api import router as accounts_router
    from puente.api.fallback import router as fallback_router
    from puente.core.api import router as core_router
    from puente.directory.api import router as directory_router
    from puente.directory.api_people import router as people_router
    from puente.impact.api import router as impact_router
    from puente.spaces.api import router as spaces_router

    api.add_router("", core_router)
    api.add_router(
        "", "puente.directory.api_import.router"
    )  # before the directory router: /organizations/export is not an id
    api.add_router("", directory_router)
    api.add_router("", people_router)
    api.add_router("", accounts_router)
    api.add_router("", "puente.events.api.router")
    api.add_router("", impact_router)
    api.add_router("", spaces_router)
    api.add_router("", "puente.marketplace.api.router")
    api.add_router("", "puente.matching.api.router")
    api.add_router("", "puente.introductions.api.router")
    api.add_router("", "puente.landing.api.router")
    # Last: answers every other address under /api/v1/ with a JSON 404.
    api.add_router("", fallback_router)


_register_routers()


@csrf_exempt
def not_found_outside_api(request: HttpRequest, rest: str = "") -> HttpResponse:
    """Addresses under /api/ that are no API version: a JSON 404 pointing at /api/v1/."""
    return json_error(
        status=404,
        code="not_found",
        message=_("There is no API at this address. The current API is at /api/v1/."),
    )
