"""The committed OpenAPI document (docs/openapi.json): how it is produced and compared."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.utils import translation

from puente.api.api import api

API_PREFIX = "/api/v1/"
DOCUMENT_PATH = Path(__file__).resolve().parents[3] / "docs" / "openapi.json"


def openapi_schema() -> dict[str, Any]:
    """The API's OpenAPI schema as the code defines it, in English."""
    with translation.override("en"):
        return dict(api.get_openapi_schema(path_prefix=API_PREFIX))


def openapi_document() -> str:
    """The schema as committed: stable key order, two-space indent, trailing newline."""
    return json.dumps(openapi_schema(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
