"""Every API error is JSON: a machine ``code``, a translated ``message`` and, for invalid
input, the list of ``errors`` per field. No input produces a server error page."""

from __future__ import annotations

import logging
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from puente.core.errors import DomainError

logger = logging.getLogger(__name__)


def _pydantic_message(error: dict[str, Any]) -> tuple[str, str]:
    kind = str(error.get("type", "invalid"))
    ctx = error.get("ctx") or {}
    messages = {
        "missing": _("This field is required."),
        "int_parsing": _("Enter a whole number."),
        "int_type": _("Enter a whole number."),
        "int_from_float": _("Enter a whole number."),
        "float_parsing": _("Enter a number."),
        "float_type": _("Enter a number."),
        "decimal_parsing": _("Enter a number."),
        "bool_parsing": _("Enter true or false."),
        "bool_type": _("Enter true or false."),
        "string_type": _("Enter text."),
        "list_type": _("Enter a list."),
        "dict_type": _("Enter an object."),
        "model_type": _("Enter an object."),
        "model_attributes_type": _("Enter an object."),
        "datetime_parsing": _("Enter a date and time in ISO 8601 format."),
        "datetime_from_date_parsing": _("Enter a date and time in ISO 8601 format."),
        "date_parsing": _("Enter a date in YYYY-MM-DD format."),
        "date_from_datetime_parsing": _("Enter a date in YYYY-MM-DD format."),
        "uuid_parsing": _("Enter a valid identifier."),
        "extra_forbidden": _("This field is not allowed."),
        "json_invalid": _("The body is not valid JSON."),
        "enum": _("Choose one of: %(choices)s.") % {"choices": ctx.get("expected", "")},
        "literal_error": _("Choose one of: %(choices)s.") % {"choices": ctx.get("expected", "")},
        "string_too_long": _("Use at most %(max)s characters.") % {"max": ctx.get("max_length", "")},
        "string_too_short": _("Use at least %(min)s characters.") % {"min": ctx.get("min_length", "")},
        "too_long": _("Give at most %(max)s items.") % {"max": ctx.get("max_length", "")},
        "too_short": _("Give at least %(min)s items.") % {"min": ctx.get("min_length", "")},
        "greater_than_equal": _("Enter a value of at least %(min)s.") % {"min": ctx.get("ge", "")},
        "greater_than": _("Enter a value greater than %(min)s.") % {"min": ctx.get("gt", "")},
        "less_than_equal": _("Enter a value of at most %(max)s.") % {"max": ctx.get("le", "")},
        "less_than": _("Enter a value less than %(max)s.") % {"max": ctx.get("lt", "")},
        "string_pattern_mismatch": _("The value has the wrong format."),
        "value_error": _("The value is not valid."),
        "url_parsing": _("Enter a valid URL."),
        "url_type": _("Enter a valid URL."),
    }
    return kind, messages.get(kind, _("The value is not valid."))


def _field_path(loc: Any) -> str:
    parts = [str(part) for part in loc or () if part not in ("body", "payload", "query", "path", "form", "data")]
    return ".".join(parts) or "body"


def error_response(api: NinjaAPI, request: HttpRequest, *, status: int, code: str, message: str, errors: list[dict[str, Any]] | None = None, **extra: Any) -> HttpResponse:
    data: dict[str, Any] = {"code": code, "message": message}
    if errors:
        data["errors"] = errors
    data.update(extra)
    return api.create_response(request, data, status=status)


def install_error_handlers(api: NinjaAPI) -> None:
    @api.exception_handler(ValidationError)
    def on_validation(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        errors = []
        for error in exc.errors:
            kind, message = _pydantic_message(error)
            errors.append({"field": _field_path(error.get("loc")), "code": kind, "message": message})
        return error_response(api, request, status=422, code="invalid", message=_("Some values are not valid."), errors=errors)

    @api.exception_handler(DomainError)
    def on_domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
        return api.create_response(request, exc.as_dict(), status=exc.status)

    @api.exception_handler(Http404)
    def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return error_response(api, request, status=404, code="not_found", message=_("Not found."))

    @api.exception_handler(AuthenticationError)
    def on_authentication(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return error_response(api, request, status=401, code="not_authenticated", message=_("Sign in or send an API token to do this."))

    @api.exception_handler(HttpError)
    def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        if exc.status_code == 400 and str(exc).startswith("Cannot parse request body"):
            return error_response(api, request, status=400, code="malformed_body", message=_("The request body could not be read: send valid JSON (or form data where the endpoint says so)."))
        codes = {401: "not_authenticated", 403: "forbidden", 404: "not_found", 405: "method_not_allowed", 429: "throttled"}
        return error_response(api, request, status=exc.status_code, code=codes.get(exc.status_code, "error"), message=str(exc))

    @api.exception_handler(Exception)
    def on_unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
        logger.exception("Unexpected API error on %s %s", request.method, request.path)
        return error_response(api, request, status=500, code="server_error", message=_("Something went wrong on our side. It has been logged; please try again."))
