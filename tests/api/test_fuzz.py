"""Hostile input never breaks the API: for every endpoint of the OpenAPI document, hypothesis
generates query strings, path values and JSON bodies; every answer is below 500 and every
error is JSON with a code and a message."""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from puente.api.openapi import API_PREFIX, openapi_schema
from tests.api.conftest import ApiClient, World

pytestmark = pytest.mark.django_db

OPERATIONS = sorted(
    (method.upper(), path.removeprefix(API_PREFIX.rstrip("/")), spec)
    for path, operations in openapi_schema()["paths"].items()
    for method, spec in operations.items()
)
SCHEMAS = openapi_schema()["components"]["schemas"]

hostile_text = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=8).map(lambda text: text + "\x00"),
    st.sampled_from(
        [
            "",
            " ",
            "🚀🇨🇴",
            "medellin",
            "fintech",
            "seed",
            "public",
            "es",
            "%00",
            "' OR 1=1 --",
            "<script>",
            "null",
            "true",
            "-1",
            "0",
            "1e309",
            "9" * 40,
            "a" * 600,
        ]
    ),
)
json_scalar = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False),
    hostile_text,
)
json_value = st.recursive(
    json_scalar,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=12,
)


def _field_names(spec: dict[str, Any]) -> list[str]:
    names = [
        parameter["name"] for parameter in spec.get("parameters", []) if parameter["in"] == "query"
    ]
    body = (
        spec.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema", {})
    )
    if "$ref" in body:
        names += list(SCHEMAS[body["$ref"].rsplit("/", 1)[1]].get("properties", {}))
    return names or ["q"]


def _bodies(spec: dict[str, Any]) -> st.SearchStrategy[Any]:
    names = _field_names(spec)
    known = st.dictionaries(st.sampled_from(names), json_value, max_size=len(names))
    return st.one_of(
        known,
        json_value,
        st.builds(
            lambda base, extra: {**base, **extra},
            known,
            st.dictionaries(st.text(max_size=8), json_scalar, max_size=2),
        ),
    )


def _queries(spec: dict[str, Any]) -> st.SearchStrategy[str]:
    names = st.one_of(st.sampled_from(_field_names(spec)), st.text(max_size=6))
    pair = st.tuples(names, hostile_text).map(
        lambda kv: f"{quote(kv[0], safe='')}={quote(kv[1], safe='')}"
    )
    raw = st.text(alphabet="=&%?;+#abc0\x00 ", max_size=20).map(
        lambda text: quote(text, safe="=&%;+")
    )
    return st.one_of(st.lists(pair, max_size=6).map("&".join), raw)


def _path_values(world: World) -> st.SearchStrategy[str]:
    real = [str(world.organization.pk), str(world.person.pk), str(world.claim.pk), "medellin"]
    return st.one_of(
        st.sampled_from(real),
        st.integers(min_value=-(2**70), max_value=2**70).map(str),
        hostile_text.filter(lambda text: "/" not in text),
    )


def _check(response: Any, context: str) -> None:
    assert response.status < 500, context
    if response.status >= 400:
        assert isinstance(response.data, dict), context
        assert isinstance(response.data.get("code"), str), context
        assert response.data["code"], context
        assert isinstance(response.data.get("message"), str), context
        assert response.data["message"], context


@pytest.mark.parametrize(
    ("method", "path", "spec"), OPERATIONS, ids=[f"{m} {p}" for m, p, _s in OPERATIONS]
)
@pytest.mark.parametrize("caller", ["anonymous", "manager_same_hub"])
def test_hostile_input_never_breaks_an_endpoint(
    api: ApiClient, world: World, method: str, path: str, spec: dict[str, Any], caller: str
) -> None:
    token = world.tokens[caller]

    @settings(
        max_examples=25,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(data=st.data())
    def run(data: st.DataObject) -> None:
        url = re.sub(
            r"\{[^}]+\}", lambda _match: quote(data.draw(_path_values(world)), safe=""), path
        )
        query = data.draw(_queries(spec))
        target = f"{url}?{query}" if query else url
        language = data.draw(st.sampled_from(["es", "en", "fr", "", "*;q=0"]))
        if method in ("GET", "DELETE"):
            response = api.call(method, target, token=token, language=language)
        else:
            body = data.draw(_bodies(spec))
            raw = json.dumps(body) if data.draw(st.booleans()) else data.draw(st.text(max_size=30))
            content_type = data.draw(
                st.sampled_from(
                    [
                        "application/json",
                        "application/json",
                        "text/plain",
                        "application/x-www-form-urlencoded",
                        "application/json; charset=latin-1",
                    ]
                )
            )
            response = api.call(
                method,
                target,
                raw_body=raw,
                content_type=content_type,
                token=token,
                language=language,
            )
        _check(response, f"{method} {target}")

    run()


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("GET", "/opportunities?organization=9223372036854775808", None),
        ("POST", "/opportunities", {"organization": 2**63, "side": "offer"}),
        ("POST", "/introductions/broker", {"first": 2**63, "second": 2**64}),
    ],
)
def test_ids_past_the_database_range_are_refused_not_a_server_error(
    api: ApiClient, world: World, method: str, path: str, body: Any
) -> None:
    """Found by the fuzz test: an organization id of 2**63 reached SQLite's INTEGER and
    raised OverflowError (a 500); every id field now stops at 2**63 - 1."""
    response = api.call(method, path, body, token=world.tokens["manager_same_hub"])
    assert 400 <= response.status < 500
    _check(response, f"{method} {path}")
