"""Schemas shared by every router: strict input, errors, paging and object ids."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Annotated, Any

from ninja import Field, Path, Schema
from pydantic import ConfigDict, field_validator
from pydantic_core import PydanticCustomError

from puente.core.ids import MAX_ID

#: How far a list may be paged; deeper pages are refused rather than scanned.
MAX_OFFSET = 1_000_000
MAX_LIMIT = 100
#: How many codes one list filter or list field may carry.
MAX_LIST_ITEMS = 20
#: A list of taxonomy codes or hub slugs.
Codes = list[str]

NUL = "\x00"

#: Default of the fields of a partial update (PATCH): a field left out keeps its value. Typed
#: ``Any`` so a field can be declared ``str`` (refusing null) yet be optional.
ABSENT: Any = None


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return NUL in value
    if isinstance(value, list | tuple):
        return any(isinstance(item, str) and NUL in item for item in value)
    return False


class InputSchema(Schema):
    """Base of every request body and query: unknown fields and NUL characters are refused.

    Unknown body fields are an error (``extra_forbidden``) rather than silently dropped, so a
    misspelled field never looks like a successful change. NUL characters are refused because
    PostgreSQL cannot store them in text and they are never meaningful in this API.
    """

    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="before")
    @classmethod
    def _refuse_nul_characters(cls, value: Any) -> Any:
        if _has_nul(value):
            raise PydanticCustomError(
                "null_character", "The text contains a NUL character (U+0000)."
            )
        return value


class TermRef(Schema):
    """A taxonomy term as other records refer to it."""

    code: str
    label: str = Field(..., description="Label in the request's language.")


def term_refs(items: Iterable[Any]) -> list[TermRef]:
    return [TermRef(code=term.code, label=term.label) for term in items]


class ErrorItem(Schema):
    field: str = Field(
        ...,
        description='The field at fault ("body" for the body as a whole, "" for the request as a whole).',
    )
    code: str = Field(..., description="Machine-readable reason, stable across languages.")
    message: str = Field(..., description="Human-readable reason in the request's language.")


class ErrorOut(Schema):
    code: str = Field(..., description="Machine-readable error code, stable across languages.")
    message: str = Field(..., description="Human-readable explanation in the request's language.")
    errors: list[ErrorItem] | None = Field(
        None, description="One entry per invalid field, for invalid input."
    )
    field: str | None = Field(
        None, description="The field at fault, when the error concerns one field."
    )


class PageParams(InputSchema):
    limit: int = Field(20, ge=1, le=MAX_LIMIT, description="How many items to return (1 to 100).")
    offset: int = Field(
        0, ge=0, le=MAX_OFFSET, description="How many items to skip (at most 1,000,000)."
    )


#: A numeric object id in a URL path.
ObjectId = Annotated[int, Path(..., ge=1, le=MAX_ID, description="Numeric id of the object.")]

# Every answer an endpoint may give besides success, for the OpenAPI document.
READ_ERRORS: dict[int, Any] = {
    400: ErrorOut,
    401: ErrorOut,
    404: ErrorOut,
    422: ErrorOut,
    429: ErrorOut,
}
ERRORS: dict[int, Any] = {**READ_ERRORS, 403: ErrorOut, 413: ErrorOut, 415: ErrorOut}
