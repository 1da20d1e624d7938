"""Reading request bodies: JSON only, strictly, with errors that say what is wrong and where."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.parser import Parser

from puente.core.errors import DomainError

JSON_TYPES = ("application/json",)


class UnsupportedMediaType(DomainError):
    status = 415
    default_code = "unsupported_media_type"


class MalformedBody(DomainError):
    status = 400
    default_code = "malformed_json"


def _refuse_constant(name: str) -> Any:
    raise ValueError(name)


def is_json_content_type(content_type: str) -> bool:
    content_type = (content_type or "").strip().lower()
    return content_type in JSON_TYPES or (
        content_type.startswith("application/") and content_type.endswith("+json")
    )


class JsonBodyParser(Parser):
    """Parse request bodies as UTF-8 JSON sent with ``Content-Type: application/json``.

    Errors raised here reach the client through ninja's "Cannot parse request body" error,
    whose cause the error handlers unwrap (see :mod:`puente.api.errors`).
    """

    def parse_body(self, request: HttpRequest) -> Any:
        content_type = request.content_type or ""
        if not is_json_content_type(content_type):
            raise UnsupportedMediaType(
                _(
                    "Send the body as JSON with the header “Content-Type: application/json” (this request said “%(type)s”)."
                )
                % {"type": content_type[:80] or "—"}
            )
        charset = (request.content_params or {}).get("charset", "utf-8").strip().lower()
        if charset not in ("utf-8", "utf8"):
            raise UnsupportedMediaType(
                _("Encode the JSON body as UTF-8."), code="unsupported_charset"
            )
        try:
            text = request.body.decode("utf-8")
        except UnicodeDecodeError as error:
            raise MalformedBody(
                _("The body is not valid UTF-8 (byte %(position)s).")
                % {"position": error.start + 1},
                code="invalid_encoding",
            ) from error
        try:
            return json.loads(text, parse_constant=_refuse_constant)
        except json.JSONDecodeError as error:
            raise MalformedBody(
                _("The body is not valid JSON: %(reason)s at line %(line)s, column %(column)s.")
                % {"reason": _json_reason(error.msg), "line": error.lineno, "column": error.colno}
            ) from error
        except ValueError as error:  # NaN, Infinity
            raise MalformedBody(
                _("The body is not valid JSON: %(value)s is not a JSON number.")
                % {"value": str(error)[:20]}
            ) from error
        except RecursionError as error:
            raise MalformedBody(
                _("The body is nested too deeply."), code="json_too_deep"
            ) from error


def _json_reason(message: str) -> str:
    """The decoder's reason, translated for the common cases."""
    reasons = {
        "Expecting value": _("a value was expected"),
        "Expecting ',' delimiter": _("a comma was expected"),
        "Expecting ':' delimiter": _("a colon was expected"),
        "Expecting property name enclosed in double quotes": _(
            "a field name in double quotes was expected"
        ),
        "Extra data": _("there is text after the end of the JSON value"),
        "Unterminated string starting at": _("a text value is not closed"),
        "Invalid control character at": _("a text value contains a raw control character"),
        "Invalid \\escape": _("a text value contains an invalid escape"),
        "Invalid \\uXXXX escape": _("a text value contains an invalid \\u escape"),
        "Illegal trailing comma before end of object": _(
            "there is a comma before the end of an object"
        ),
        "Illegal trailing comma before end of array": _(
            "there is a comma before the end of a list"
        ),
    }
    return str(reasons.get(message, _("the syntax is wrong")))
