"""A NUL character in the address is refused by the API and dropped by pages, on every database."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_export_refuses_nul_in_a_query_parameter_like_every_endpoint(client: Client) -> None:
    response = client.get("/api/v1/organizations/export", {"hub": "\x00"})
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid"
    assert [(error["field"], error["code"]) for error in body["errors"]] == [
        ("hub", "null_character")
    ]


def test_pages_drop_nul_from_a_query_parameter(client: Client) -> None:
    response = client.get("/directory/", {"q": "caf\x00é"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "\x00" not in page
    assert 'value="café"' in page  # the search box keeps what was meant


def test_ordinary_queries_still_pass(client: Client) -> None:
    assert client.get("/directory/", {"q": "café"}).status_code == 200
