"""The API keeps its contract: the committed OpenAPI document matches the code, and real
responses (successes and errors) validate against the document's schemas."""

from __future__ import annotations

import copy
import json
import re
from functools import cache
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from puente.api.openapi import API_PREFIX, DOCUMENT_PATH, openapi_document
from tests.api.conftest import ApiClient, ApiResponse, World

pytestmark = pytest.mark.django_db


def test_the_committed_schema_matches_the_code() -> None:
    committed = DOCUMENT_PATH.read_text(encoding="utf-8") if DOCUMENT_PATH.exists() else ""
    assert committed == openapi_document(), (
        "docs/openapi.json differs from the API's schema: run make openapi and review the diff"
    )


def test_the_served_schema_is_the_committed_one(api: ApiClient) -> None:
    served = api.get("/openapi.json", language="es")
    assert served.status == 200
    assert served.data == json.loads(DOCUMENT_PATH.read_text(encoding="utf-8"))


def test_the_documentation_page_is_served_without_external_assets(client: Any) -> None:
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger" in html.lower()
    assert "cdn." not in html


@cache
def _document() -> dict[str, Any]:
    document = json.loads(DOCUMENT_PATH.read_text(encoding="utf-8"))
    # Responses must not carry fields the document does not describe.
    for name, schema in document["components"]["schemas"].items():
        if name.endswith(("Out", "Page", "Item")) and schema.get("type") == "object":
            schema.setdefault("additionalProperties", False)
    return document


def _operation(method: str, path: str) -> tuple[str, dict[str, Any]]:
    path = path.split("?", 1)[0]
    for template, operations in _document()["paths"].items():
        pattern = "^" + re.sub(r"\\{[^}]+\\}", "[^/]+", re.escape(template)) + "$"
        if re.match(pattern, f"{API_PREFIX.rstrip('/')}{path}") and method.lower() in operations:
            return template, operations[method.lower()]
    raise AssertionError(f"{method} {path} is not in the OpenAPI document")


def assert_matches_schema(method: str, path: str, response: ApiResponse) -> None:
    template, operation = _operation(method, path)
    documented = operation["responses"]
    assert str(response.status) in documented, (
        f"{method} {template} answered {response.status}, which the document does not list"
    )
    content = documented[str(response.status)].get("content")
    if content is None:
        assert response.data is None
        return
    schema = copy.deepcopy(content["application/json"]["schema"])
    schema["components"] = _document()["components"]
    errors = sorted(
        Draft202012Validator(schema).iter_errors(response.data),
        key=lambda error: list(error.absolute_path),
    )
    assert not errors, f"{method} {path}: " + "; ".join(
        f"{list(error.absolute_path)}: {error.message}" for error in errors[:5]
    )


def test_successful_responses_match_the_schema(api: ApiClient, world: World) -> None:
    manager = world.tokens["manager_same_hub"]
    organization, person, claim = world.organization.pk, world.person.pk, world.claim.pk
    calls: list[tuple[str, str, dict[str, Any] | None, str | None]] = [
        ("GET", "/hubs", None, None),
        ("GET", "/hubs/miami", None, None),
        ("GET", "/taxonomy", None, None),
        ("GET", "/organizations?facets=true", None, None),
        ("GET", "/organizations?facets=true&q=cafe", None, manager),
        ("GET", f"/organizations/{organization}", None, None),
        ("GET", f"/organizations/{organization}", None, manager),
        ("GET", "/people", None, None),
        ("GET", f"/people/{person}", None, manager),
        ("GET", "/claims", None, manager),
        ("GET", "/me", None, manager),
        ("GET", "/tokens", None, manager),
        (
            "POST",
            "/organizations",
            {
                "name": "Esquema",
                "type": "startup",
                "hub": "medellin",
                "stage": "seed",
                "founded_year": 2020,
            },
            manager,
        ),
        ("PATCH", f"/organizations/{organization}", {"tagline": "Nuevo"}, manager),
        ("POST", f"/organizations/{organization}/verification", {"verified": True}, manager),
        ("POST", f"/organizations/{organization}/confirmation", None, manager),
        (
            "POST",
            f"/organizations/{organization}/claims",
            {"role_title": "CTO"},
            world.tokens["member_without_org"],
        ),
        ("POST", f"/claims/{claim}/decision", {"approve": False, "note": "No"}, manager),
        ("POST", "/people", {"full_name": "Esquema Persona", "hub": "medellin"}, manager),
        ("PATCH", f"/people/{person}", {"bio": "Bio"}, manager),
        ("POST", "/tokens", {"name": "esquema"}, manager),
        (
            "DELETE",
            f"/tokens/{world.users['staff'].api_tokens.first().pk}",
            None,
            world.tokens["staff"],
        ),  # type: ignore[union-attr]
    ]
    for method, path, body, token in calls:
        response = api.call(method, path, body, token=token)
        assert response.status < 300, (method, path, response.data)
        assert_matches_schema(method, path, response)


def test_error_responses_match_the_schema(api: ApiClient, world: World) -> None:
    manager = world.tokens["manager_same_hub"]
    calls: list[tuple[str, str, Any, dict[str, Any]]] = [
        ("GET", "/organizations?limit=0", None, {}),
        ("GET", "/organizations?sector=nope", None, {}),
        ("GET", "/organizations/987654", None, {}),
        ("GET", "/hubs/nowhere", None, {}),
        ("GET", "/me", None, {}),
        ("GET", "/claims", None, {"token": world.tokens["org_member"]}),
        ("POST", "/organizations", {"name": None}, {"token": manager}),
        ("POST", "/organizations", None, {"token": manager, "raw_body": "{oops"}),
        (
            "POST",
            "/organizations",
            None,
            {"token": manager, "raw_body": "{}", "content_type": "text/plain"},
        ),
        (
            "PATCH",
            f"/organizations/{world.organization.pk}",
            {"name": "x"},
            {"token": world.tokens["org_member"]},
        ),
        ("POST", "/tokens", {"name": "x", "scope": "all"}, {"token": manager}),
    ]
    for method, path, body, options in calls:
        response = api.call(method, path, body, **options)
        assert response.status >= 400, (method, path)
        assert_matches_schema(method, path, response)


@pytest.mark.parametrize(
    ("status", "data"),
    [
        (200, {"items": [], "count": 0, "secret": 1}),
        (200, {"items": [], "count": "0"}),
        (404, {"code": "not_found"}),
        (409, {"code": "conflict", "message": "undocumented status"}),
    ],
    ids=["extra-field", "wrong-type", "missing-message", "undocumented-status"],
)
def test_the_schema_check_catches_responses_that_break_the_contract(
    status: int, data: dict[str, Any]
) -> None:
    with pytest.raises(AssertionError):
        assert_matches_schema("GET", "/hubs", ApiResponse(status=status, data=data, headers={}))
