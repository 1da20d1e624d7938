"""Domain errors raised by services and selectors, mapped to HTTP answers at the edges.

Each carries a machine code and a translated, human-readable message. Views show the message;
the API answers ``{"code": ..., "message": ..., "errors": [...]}``.
"""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """Base class: something the user asked for cannot be done, and why."""

    status = 400
    default_code = "invalid"

    def __init__(
        self,
        message: Any,
        *,
        code: str | None = None,
        field: str | None = None,
        errors: list[dict[str, Any]] | None = None,
    ) -> None:
        super().__init__(str(message))
        self.message = str(message)
        self.code = code or self.default_code
        self.field = field
        self.errors = errors or []

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.field:
            data["field"] = self.field
        if self.errors:
            data["errors"] = self.errors
        return data


class ValidationFailed(DomainError):
    status = 422
    default_code = "invalid"


class PermissionDenied(DomainError):
    status = 403
    default_code = "forbidden"


class NotFound(DomainError):
    status = 404
    default_code = "not_found"


class Conflict(DomainError):
    status = 409
    default_code = "conflict"
