"""Bad input gets a clear JSON error, in the caller's language, and changes nothing."""

from __future__ import annotations

import json

import pytest
from django.test import Client, override_settings

from puente.directory.models import Organization, Person
from tests.api.conftest import ApiClient, ApiResponse, World

pytestmark = pytest.mark.django_db

VALID_ORGANIZATION = {"name": "Nueva Startup", "type": "startup", "hub": "medellin"}


def assert_error(response: ApiResponse, status: int, code: str) -> dict:
    assert response.status == status, response.data
    assert response.headers["Content-Type"].startswith("application/json")
    assert response.data["code"] == code, response.data
    assert response.data["message"]
    return response.data


def field_errors(response: ApiResponse) -> dict[str, str]:
    return {error["field"]: error["code"] for error in response.data.get("errors", [])}


@pytest.fixture
def manager_token(world: World) -> str:
    token = world.tokens["manager_same_hub"]
    assert token
    return token


def test_malformed_json_says_where_the_syntax_breaks(api: ApiClient, manager_token: str) -> None:
    before = Organization.objects.count()
    response = api.post("/organizations", raw_body='{"name": "A",\n "type": }', token=manager_token)
    data = assert_error(response, 400, "malformed_json")
    assert "line 2, column 10" in data["message"]
    assert Organization.objects.count() == before


@pytest.mark.parametrize(
    ("raw_body", "code"),
    [
        (b'{"name": "\xff\xfe"}', "invalid_encoding"),
        ('{"founded_year": NaN}', "malformed_json"),
        ('{"name": "A"} trailing', "malformed_json"),
        ("[" * 100_000 + "]" * 100_000, "json_too_deep"),
    ],
    ids=["not-utf8", "nan", "trailing-text", "deeply-nested"],
)
def test_unreadable_bodies_are_refused(
    api: ApiClient, manager_token: str, raw_body: str | bytes, code: str
) -> None:
    assert_error(api.post("/organizations", raw_body=raw_body, token=manager_token), 400, code)


@pytest.mark.parametrize(
    "content_type", ["text/plain", "application/x-www-form-urlencoded", "application/xml"]
)
def test_bodies_must_be_sent_as_json(api: ApiClient, manager_token: str, content_type: str) -> None:
    response = api.post(
        "/organizations",
        raw_body=json.dumps(VALID_ORGANIZATION),
        content_type=content_type,
        token=manager_token,
    )
    data = assert_error(response, 415, "unsupported_media_type")
    assert "application/json" in data["message"]
    assert not Organization.objects.filter(name="Nueva Startup").exists()


def test_multipart_form_bodies_are_refused(client: Client, world: World) -> None:
    response = client.post(
        "/api/v1/organizations",
        data=VALID_ORGANIZATION,
        HTTP_AUTHORIZATION=f"Bearer {world.tokens['manager_same_hub']}",
    )
    assert response.status_code == 415
    assert response.json()["code"] == "unsupported_media_type"


def test_json_in_another_charset_is_refused(api: ApiClient, manager_token: str) -> None:
    response = api.post(
        "/organizations",
        raw_body=json.dumps(VALID_ORGANIZATION),
        content_type="application/json; charset=latin-1",
        token=manager_token,
    )
    assert_error(response, 415, "unsupported_charset")


def test_json_content_type_is_case_insensitive_and_accepts_utf8_charset(
    api: ApiClient, manager_token: str
) -> None:
    response = api.post(
        "/organizations",
        raw_body=json.dumps(VALID_ORGANIZATION),
        content_type="Application/JSON; charset=UTF-8",
        token=manager_token,
    )
    assert response.status == 201, response.data


@pytest.mark.parametrize(
    ("raw_body", "code"),
    [
        ("", "body_missing"),
        ("[1, 2]", "body_not_object"),
        ('"text"', "body_not_object"),
        ("null", "body_not_object"),
    ],
)
def test_the_body_must_be_one_json_object(
    api: ApiClient, manager_token: str, raw_body: str, code: str
) -> None:
    response = api.post("/organizations", raw_body=raw_body, token=manager_token)
    assert_error(response, 422, "invalid")
    assert field_errors(response) == {"body": code}


def test_wrong_types_are_reported_per_field(api: ApiClient, manager_token: str) -> None:
    body = {
        **VALID_ORGANIZATION,
        "name": 123,
        "founded_year": "long ago",
        "sectors": "fintech",
        "other_hubs": [1, {}],
    }
    response = api.post("/organizations", body, token=manager_token)
    assert_error(response, 422, "invalid")
    errors = field_errors(response)
    assert errors["name"] == "string_type"
    assert errors["founded_year"] == "int_parsing"
    assert errors["sectors"] == "list_type"
    assert errors["other_hubs.0"] == "string_type"
    assert errors["other_hubs.1"] == "string_type"


def test_null_is_refused_where_a_value_is_required(api: ApiClient, manager_token: str) -> None:
    response = api.post("/organizations", {**VALID_ORGANIZATION, "name": None}, token=manager_token)
    assert_error(response, 422, "invalid")
    assert field_errors(response) == {"name": "null"}
    assert "null" in response.data["errors"][0]["message"]


def test_patch_refuses_null_for_required_fields_but_clears_optional_ones(
    api: ApiClient, world: World, manager_token: str
) -> None:
    url = f"/organizations/{world.organization.pk}"
    response = api.patch(url, {"name": None}, token=manager_token)
    assert field_errors(response) == {"name": "null"}
    assert Organization.objects.get(pk=world.organization.pk).name == "Café Trazable"

    response = api.patch(url, {"stage": None, "founded_year": None}, token=manager_token)
    assert response.status == 200, response.data
    assert response.data["stage"] is None
    assert Organization.objects.get(pk=world.organization.pk).stage is None


def test_an_empty_patch_is_refused(api: ApiClient, world: World, manager_token: str) -> None:
    assert_error(
        api.patch(f"/organizations/{world.organization.pk}", {}, token=manager_token),
        422,
        "empty_patch",
    )


def test_unknown_fields_are_refused_by_name(api: ApiClient, manager_token: str) -> None:
    response = api.post(
        "/organizations", {**VALID_ORGANIZATION, "sector": ["fintech"]}, token=manager_token
    )
    assert_error(response, 422, "invalid")
    assert field_errors(response) == {"sector": "extra_forbidden"}
    assert not Organization.objects.filter(name="Nueva Startup").exists()


def test_oversized_fields_say_the_limit(api: ApiClient, manager_token: str) -> None:
    response = api.post(
        "/organizations",
        {**VALID_ORGANIZATION, "name": "N" * 201, "description": "d" * 5001},
        token=manager_token,
    )
    assert field_errors(response) == {"name": "string_too_long", "description": "string_too_long"}
    messages = {error["field"]: error["message"] for error in response.data["errors"]}
    assert "200" in messages["name"]
    assert "5000" in messages["description"]


def test_too_many_codes_in_a_list_are_refused(api: ApiClient, manager_token: str) -> None:
    response = api.post(
        "/organizations", {**VALID_ORGANIZATION, "sectors": ["fintech"] * 21}, token=manager_token
    )
    assert field_errors(response) == {"sectors": "too_long"}


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=2_000)
def test_oversized_bodies_get_413(api: ApiClient, manager_token: str) -> None:
    response = api.post(
        "/organizations", {**VALID_ORGANIZATION, "description": "x" * 3_000}, token=manager_token
    )
    data = assert_error(response, 413, "payload_too_large")
    assert "2,000" in data["message"]
    assert not Organization.objects.filter(name="Nueva Startup").exists()


@pytest.mark.parametrize("path", ["/organizations/987654", "/people/987654", "/hubs/atlantis"])
def test_unknown_ids_get_a_json_404(api: ApiClient, world: World, path: str) -> None:
    assert_error(api.get(path), 404, "not_found")


def test_unknown_ids_in_writes_get_a_json_404(
    api: ApiClient, world: World, manager_token: str
) -> None:
    assert_error(
        api.patch("/organizations/987654", {"name": "X"}, token=manager_token), 404, "not_found"
    )
    assert_error(
        api.post("/claims/987654/decision", {"approve": True}, token=manager_token),
        404,
        "not_found",
    )
    assert_error(api.delete("/tokens/987654", token=manager_token), 404, "not_found")


@pytest.mark.parametrize("raw_id", ["abc", "0", "-1", "1.5", "99999999999999999999999999"])
def test_ids_that_cannot_exist_are_invalid(api: ApiClient, world: World, raw_id: str) -> None:
    response = api.get(f"/organizations/{raw_id}")
    assert_error(response, 422, "invalid")
    assert list(field_errors(response)) == ["organization_id"]


def test_unknown_codes_in_the_body_are_named(api: ApiClient, manager_token: str) -> None:
    response = api.post(
        "/organizations",
        {**VALID_ORGANIZATION, "type": "unicorn", "sectors": ["fintech", "space_mining"]},
        token=manager_token,
    )
    assert_error(response, 422, "invalid")
    messages = {error["field"]: error["message"] for error in response.data["errors"]}
    assert "unicorn" in messages["type"]
    assert "space_mining" in messages["sectors"]


def test_unknown_codes_in_filters_are_named(api: ApiClient, world: World) -> None:
    response = api.get("/organizations?sector=fintech&sector=space_mining&hub=atlantis&stage=seed")
    assert_error(response, 422, "invalid")
    messages = {error["field"]: error["message"] for error in response.data["errors"]}
    assert set(messages) == {"sector", "hub"}
    assert "space_mining" in messages["sector"]
    assert "/api/v1/taxonomy?vocabulary=sector" in messages["sector"]
    assert "atlantis" in messages["hub"]
    response = api.get("/people?expertise=quantum_knitting")
    assert field_errors(response) == {"expertise": "unknown_code"}


@pytest.mark.parametrize(
    "query",
    [
        "limit=1000",
        "limit=0",
        "offset=-1",
        "offset=100000000",
        "limit=99999999999999999999999999",
        "verified=maybe",
        "sort=price",
    ],
)
def test_out_of_range_paging_and_filters_are_refused(
    api: ApiClient, world: World, query: str
) -> None:
    response = api.get(f"/organizations?{query}")
    assert_error(response, 422, "invalid")
    assert list(field_errors(response)) == [query.split("=")[0]]


def test_unknown_routes_under_the_api_answer_json(api: ApiClient, client: Client) -> None:
    data = assert_error(api.get("/no-such-thing"), 404, "not_found")
    assert "/api/v1/docs" in data["message"]
    data = assert_error(api.get("/hubs/"), 404, "not_found")
    assert "/api/v1/hubs" in data["message"]
    for path in ("/api/", "/api/v2/organizations", "/api/v1"):
        response = client.post(path, data="{}", content_type="application/json")
        assert response.status_code == 404, path
        assert response.json()["code"] == "not_found"


def test_the_api_root_points_at_the_documentation(api: ApiClient) -> None:
    response = api.get("/api/v1/")
    assert response.status == 200
    assert response.data["docs"] == "/api/v1/docs"
    assert response.data["openapi"] == "/api/v1/openapi.json"


def test_wrong_methods_get_a_json_405_with_the_allowed_methods(
    api: ApiClient, world: World
) -> None:
    response = api.delete("/hubs")
    data = assert_error(response, 405, "method_not_allowed")
    assert response.headers["Allow"] == "GET"
    assert "DELETE" in data["message"]
    response = api.call("PUT", f"/organizations/{world.organization.pk}", {"name": "X"})
    assert_error(response, 405, "method_not_allowed")
    assert set(response.headers["Allow"].split(", ")) == {"GET", "PATCH"}


def test_emoji_are_kept_and_searchable_text_is_unaffected(
    api: ApiClient, manager_token: str
) -> None:
    response = api.post(
        "/organizations",
        {**VALID_ORGANIZATION, "name": "Cohete 🚀 Labs", "tagline": "Café ☕ y código 💻"},
        token=manager_token,
    )
    assert response.status == 201, response.data
    assert response.data["name"] == "Cohete 🚀 Labs"
    found = api.get("/organizations?q=cohete")
    assert [item["name"] for item in found.data["items"]] == ["Cohete 🚀 Labs"]
    only_emoji = api.get("/organizations?q=🚀")
    assert only_emoji.status == 200
    assert only_emoji.data == {"items": [], "count": 0, "facets": None}


def test_nul_characters_are_refused_in_bodies_queries_and_tokens(
    api: ApiClient, world: World, manager_token: str
) -> None:
    """PostgreSQL cannot store NUL in text; the API refuses it with a clear error everywhere."""
    response = api.post(
        "/organizations",
        {**VALID_ORGANIZATION, "tagline": "Hola\u0000mundo", "sectors": ["fin\u0000tech"]},
        token=manager_token,
    )
    assert_error(response, 422, "invalid")
    assert field_errors(response) == {"tagline": "null_character", "sectors": "null_character"}
    assert not Organization.objects.filter(name="Nueva Startup").exists()
    for query in ("q=a%00b", "external_id=x%00", "hub=medellin%00", "sector=%00"):
        response = api.get(f"/organizations?{query}")
        assert field_errors(response) == {query.split("=")[0]: "null_character"}, query
    assert field_errors(api.get("/people?q=%00")) == {"q": "null_character"}
    assert_error(api.post("/tokens", {"name": "ci\u0000"}, token=manager_token), 422, "invalid")
    assert_error(
        api.patch(f"/people/{world.person.pk}", {"bio": "\u0000"}, token=manager_token),
        422,
        "invalid",
    )
    assert_error(
        api.post(
            f"/claims/{world.claim.pk}/decision",
            {"approve": False, "note": "\u0000"},
            token=manager_token,
        ),
        422,
        "invalid",
    )
    assert_error(api.get("/hubs/medellin%00"), 404, "not_found")
    assert_error(api.get("/me", HTTP_AUTHORIZATION="Bearer pnt_\u0000"), 401, "invalid_token")
    assert Person.objects.get(pk=world.person.pk).bio == ""


def test_too_many_query_parameters_are_refused(api: ApiClient, world: World) -> None:
    query = "&".join(f"x{i}=1" for i in range(1_100))
    assert_error(api.get(f"/organizations?{query}"), 400, "too_many_parameters")


def test_errors_speak_the_callers_language(api: ApiClient, manager_token: str) -> None:
    english = api.post(
        "/organizations", {"type": "startup", "hub": "medellin"}, token=manager_token, language="en"
    )
    spanish = api.post(
        "/organizations", {"type": "startup", "hub": "medellin"}, token=manager_token, language="es"
    )
    assert english.data["errors"][0]["message"] == "This field is required."
    assert spanish.data["errors"][0]["message"] == "Este campo es obligatorio."
    assert english.data["code"] == spanish.data["code"] == "invalid"
    spanish_404 = api.get("/organizations/987654", language="es")
    assert (
        spanish_404.data["message"] == "No hay ninguna organización con este id, o no puedes verla."
    )
    spanish_415 = api.post(
        "/organizations",
        raw_body="{}",
        content_type="text/plain",
        token=manager_token,
        language="es",
    )
    assert spanish_415.data["message"].startswith("Envía el cuerpo como JSON")


def test_a_second_claim_while_one_is_pending_is_refused(api: ApiClient, world: World) -> None:
    token = world.tokens["member_without_org"]
    url = f"/organizations/{world.organization.pk}/claims"
    assert api.post(url, {"role_title": "CTO"}, token=token).status == 201
    assert_error(api.post(url, {"role_title": "CTO"}, token=token), 422, "claim_pending")


@pytest.mark.parametrize("path", ["/claims?limit=0", "/tokens?offset=-5"])
def test_paging_errors_name_the_parameter_on_every_list(
    api: ApiClient, manager_token: str, path: str
) -> None:
    response = api.get(path, token=manager_token)
    assert_error(response, 422, "invalid")
    assert list(field_errors(response)) == [path.split("?")[1].split("=")[0]]
