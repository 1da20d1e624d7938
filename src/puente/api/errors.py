"""Every API error is JSON: a machine ``code``, a translated ``message`` and, for invalid
input, the list of ``errors`` per field. No input produces a server error page."""

from __future__ import annotations

import logging
import math
import re
from typing import Any

from django.core.exceptions import (
    ObjectDoesNotExist,
    RequestDataTooBig,
    SuspiciousOperation,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.request import RawPostDataException
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError

from puente.core.errors import DomainError

logger = logging.getLogger(__name__)

#: Marker the API adds to a validation error whose rejected input was JSON ``null``.
NULL_INPUT = "input_was_null"

# Segments of a pydantic location that name where a value came from, not the field.
_LOCATION_SOURCES = {
    "body",
    "payload",
    "query",
    "path",
    "form",
    "data",
    "filters",
    "header",
    "cookie",
}

_QUOTED = re.compile(r"'((?:[^'\\]|\\.)*)'")


def _choices(ctx: dict[str, Any]) -> str:
    """The allowed values of an enum or literal, without pydantic's English "or"."""
    expected = str(ctx.get("expected", ""))
    values = _QUOTED.findall(expected)
    return ", ".join(values) if values else expected


def pydantic_message(error: dict[str, Any]) -> tuple[str, str]:
    """The (code, translated message) for one pydantic error."""
    kind = str(error.get("type", "invalid"))
    ctx = error.get("ctx") or {}
    if error.get(NULL_INPUT) and kind != "missing":
        return "null", _("This field cannot be null: send a value, or leave the field out.")
    simple = {
        "missing": _("This field is required."),
        "int_parsing": _("Enter a whole number."),
        "int_type": _("Enter a whole number."),
        "int_from_float": _("Enter a whole number."),
        "int_parsing_size": _("The number is too large."),
        "float_parsing": _("Enter a number."),
        "float_type": _("Enter a number."),
        "finite_number": _("Enter a finite number."),
        "decimal_parsing": _("Enter a number."),
        "decimal_type": _("Enter a number."),
        "bool_parsing": _("Enter true or false."),
        "bool_type": _("Enter true or false."),
        "string_type": _("Enter text."),
        "string_sub_type": _("Enter text."),
        "string_unicode": _("The text is not valid Unicode."),
        "list_type": _("Enter a list."),
        "tuple_type": _("Enter a list."),
        "set_type": _("Enter a list."),
        "iterable_type": _("Enter a list."),
        "dict_type": _("Enter an object."),
        "model_type": _("Enter an object."),
        "model_attributes_type": _("Enter an object."),
        "datetime_parsing": _("Enter a date and time in ISO 8601 format."),
        "datetime_type": _("Enter a date and time in ISO 8601 format."),
        "datetime_from_date_parsing": _("Enter a date and time in ISO 8601 format."),
        "date_parsing": _("Enter a date in YYYY-MM-DD format."),
        "date_type": _("Enter a date in YYYY-MM-DD format."),
        "date_from_datetime_parsing": _("Enter a date in YYYY-MM-DD format."),
        "uuid_parsing": _("Enter a valid identifier."),
        "uuid_type": _("Enter a valid identifier."),
        "extra_forbidden": _(
            "This field is not allowed here; check its spelling against the API documentation."
        ),
        "json_invalid": _("The body is not valid JSON."),
        "json_type": _("The body is not valid JSON."),
        "null_character": _("Remove the NUL character (U+0000): it is not allowed in text."),
        "string_pattern_mismatch": _("The value has the wrong format."),
        "value_error": _("The value is not valid."),
        "assertion_error": _("The value is not valid."),
        "url_parsing": _("Enter a valid URL."),
        "url_type": _("Enter a valid URL."),
        "url_scheme": _("Enter a URL starting with http:// or https://."),
        "url_too_long": _("The URL is too long."),
        "recursion_loop": _("The value is nested too deeply."),
    }
    if kind in simple:
        return kind, simple[kind]
    with_context = {
        "enum": lambda: _("Choose one of: %(choices)s.") % {"choices": _choices(ctx)},
        "literal_error": lambda: _("Choose one of: %(choices)s.") % {"choices": _choices(ctx)},
        "string_too_long": lambda: (
            _("Use at most %(max)s characters.") % {"max": ctx.get("max_length", "")}
        ),
        "string_too_short": lambda: (
            _("Use at least %(min)s characters.") % {"min": ctx.get("min_length", "")}
        ),
        "too_long": lambda: _("Give at most %(max)s items.") % {"max": ctx.get("max_length", "")},
        "too_short": lambda: _("Give at least %(min)s items.") % {"min": ctx.get("min_length", "")},
        "greater_than_equal": lambda: (
            _("Enter a value of at least %(min)s.") % {"min": ctx.get("ge", "")}
        ),
        "greater_than": lambda: (
            _("Enter a value greater than %(min)s.") % {"min": ctx.get("gt", "")}
        ),
        "less_than_equal": lambda: (
            _("Enter a value of at most %(max)s.") % {"max": ctx.get("le", "")}
        ),
        "less_than": lambda: _("Enter a value less than %(max)s.") % {"max": ctx.get("lt", "")},
    }
    if kind in with_context:
        return kind, with_context[kind]()
    return kind, _("The value is not valid.")


def field_path(loc: Any) -> str:
    """``("body", "payload", "sectors", 2)`` → ``"sectors.2"``; the body itself is ``"body"``."""
    parts = list(loc or ())
    # Drop the leading segments that say where the value came from ("body", "query", the
    # name of the view's parameter); keep the field names and list positions after them.
    while parts and isinstance(parts[0], str) and parts[0] in _LOCATION_SOURCES:
        parts.pop(0)
    return ".".join(str(part) for part in parts) or "body"


def error_payload(
    *, code: str, message: str, errors: list[dict[str, Any]] | None = None, field: str | None = None
) -> dict[str, Any]:
    data: dict[str, Any] = {"code": code, "message": message}
    if field:
        data["field"] = field
    if errors:
        data["errors"] = errors
    return data


def json_error(
    *, status: int, code: str, message: str, errors: list[dict[str, Any]] | None = None
) -> JsonResponse:
    """An error answer outside a ninja operation (unknown routes, wrong methods)."""
    return JsonResponse(
        error_payload(code=code, message=message, errors=errors),
        status=status,
        json_dumps_params={"ensure_ascii": False},
    )


def _body_only(loc: tuple[Any, ...]) -> bool:
    """Whether the location is the body as a whole: ``("body",)`` or ``("body", "payload")``
    (every endpoint names its body parameter ``payload``)."""
    return loc in (("body",), ("body", "payload"))


def validation_errors(exc: ValidationError) -> list[dict[str, Any]]:
    errors: list[dict[str, Any]] = []
    for error in exc.errors:
        loc = tuple(error.get("loc") or ())
        if _body_only(loc):
            if error.get("type") == "missing":
                errors.append(
                    {
                        "field": "body",
                        "code": "body_missing",
                        "message": _("Send a JSON object in the request body."),
                    }
                )
                continue
            if error.get("type") in ("model_type", "model_attributes_type", "dict_type"):
                errors.append(
                    {
                        "field": "body",
                        "code": "body_not_object",
                        "message": _("The body must be a JSON object."),
                    }
                )
                continue
        code, message = pydantic_message(error)
        errors.append({"field": field_path(loc), "code": code, "message": message})
    return errors


def install_error_handlers(api: NinjaAPI) -> None:
    def respond(request: HttpRequest, status: int, data: dict[str, Any]) -> HttpResponse:
        return api.create_response(request, data, status=status)

    @api.exception_handler(ValidationError)
    def on_validation(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        errors = validation_errors(exc)
        if len(errors) == 1:
            message = _("Some values are not valid: %(field)s: %(reason)s") % {
                "field": errors[0]["field"],
                "reason": errors[0]["message"],
            }
        else:
            message = _("Some values are not valid.")
        return respond(request, 422, error_payload(code="invalid", message=message, errors=errors))

    @api.exception_handler(DomainError)
    def on_domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
        return respond(request, exc.status, exc.as_dict())

    @api.exception_handler(Http404)
    def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        messages = {
            "organization": _("There is no organization with this id, or you may not see it."),
            "person": _("There is no person with this id, or you may not see them."),
            "claim": _("There is no pending claim with this id that you can decide."),
            "hub": _("There is no hub with this code."),
            "token": _("You have no API token with this id."),
        }
        return respond(
            request,
            404,
            error_payload(code="not_found", message=messages.get(str(exc), _("Not found."))),
        )

    @api.exception_handler(ObjectDoesNotExist)
    def on_missing_object(request: HttpRequest, exc: ObjectDoesNotExist) -> HttpResponse:
        return respond(request, 404, error_payload(code="not_found", message=_("Not found.")))

    @api.exception_handler(AuthenticationError)
    def on_authentication(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return respond(
            request,
            401,
            error_payload(
                code="not_authenticated", message=_("Sign in or send an API token to do this.")
            ),
        )

    @api.exception_handler(Throttled)
    def on_throttled(request: HttpRequest, exc: Throttled) -> HttpResponse:
        wait = getattr(exc, "wait", None)
        if wait:
            message = _("Too many requests. Wait %(seconds)s seconds and try again.") % {
                "seconds": max(1, math.ceil(wait))
            }
        else:
            message = _("Too many requests. Wait a moment and try again.")
        return respond(request, 429, error_payload(code="throttled", message=message))

    @api.exception_handler(HttpError)
    def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        cause = exc.__cause__
        if isinstance(cause, DomainError):  # raised by our body parser
            return on_domain_error(request, cause)
        if isinstance(cause, RequestDataTooBig):
            return on_too_big(request, cause)
        if exc.status_code == 400:
            return respond(
                request,
                400,
                error_payload(
                    code="malformed_json",
                    message=_("The request body could not be read: send a JSON object."),
                ),
            )
        codes = {
            401: "not_authenticated",
            403: "forbidden",
            404: "not_found",
            405: "method_not_allowed",
        }
        return respond(
            request,
            exc.status_code,
            error_payload(code=codes.get(exc.status_code, "error"), message=str(exc.message)),
        )

    @api.exception_handler(RequestDataTooBig)
    def on_too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
        from django.conf import settings

        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0
        message = _("The request body is too large: send at most %(size)s bytes.") % {
            "size": f"{limit:,}"
        }
        return respond(request, 413, error_payload(code="payload_too_large", message=message))

    @api.exception_handler(RawPostDataException)
    def on_form_body(request: HttpRequest, exc: RawPostDataException) -> HttpResponse:
        return respond(
            request,
            415,
            error_payload(
                code="unsupported_media_type",
                message=_(
                    "Send the body as JSON with the header “Content-Type: application/json”."
                ),
            ),
        )

    @api.exception_handler(TooManyFieldsSent)
    def on_too_many_fields(request: HttpRequest, exc: TooManyFieldsSent) -> HttpResponse:
        return respond(
            request,
            400,
            error_payload(
                code="too_many_parameters", message=_("The request has too many parameters.")
            ),
        )

    api.add_exception_handler(TooManyFilesSent, on_too_many_fields)  # type: ignore[arg-type]

    @api.exception_handler(SuspiciousOperation)
    def on_suspicious(request: HttpRequest, exc: SuspiciousOperation) -> HttpResponse:
        return respond(
            request,
            400,
            error_payload(code="bad_request", message=_("The request could not be understood.")),
        )

    @api.exception_handler(DjangoPermissionDenied)
    def on_forbidden(request: HttpRequest, exc: DjangoPermissionDenied) -> HttpResponse:
        return respond(
            request, 403, error_payload(code="forbidden", message=_("You may not do this."))
        )

    @api.exception_handler(DjangoValidationError)
    def on_model_validation(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
        messages = [str(message) for message in exc.messages] or [_("The value is not valid.")]
        return respond(request, 422, error_payload(code="invalid", message=" ".join(messages)))

    @api.exception_handler(Exception)
    def on_unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
        logger.exception("Unexpected API error on %s %s", request.method, request.path)
        return respond(
            request,
            500,
            error_payload(
                code="server_error",
                message=_(
                    "Something went wrong on our side. It has been logged; please try again."
                ),
            ),
        )
