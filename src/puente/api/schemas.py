"""Schemas shared by every router: errors and paging."""

from __future__ import annotations

from typing import Any

from ninja import Field, Schema


class ErrorItem(Schema):
    field: str
    code: str
    message: str


class ErrorOut(Schema):
    code: str = Field(..., description="Machine-readable error code, stable across languages.")
    message: str = Field(..., description="Human-readable explanation in the request's language.")
    errors: list[ErrorItem] | None = None
    field: str | None = None


class PageParams(Schema):
    limit: int = Field(20, ge=1, le=100, description="How many items to return (1–100).")
    offset: int = Field(0, ge=0, le=1_000_000, description="How many items to skip.")


ERRORS: dict[int, Any] = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}
READ_ERRORS: dict[int, Any] = {400: ErrorOut, 401: ErrorOut, 404: ErrorOut, 422: ErrorOut}
