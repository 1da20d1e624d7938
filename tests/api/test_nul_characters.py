"""A NUL character in the address gets a clear 400 on pages and endpoints, on every database."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_api_refuses_nul_in_a_query_parameter_with_a_json_error(client: Client) -> None:
    response = client.get("/api/v1/organizations/export", {"hub": "\x00"})
    assert response.status_code == 400
    assert response.json()["code"] == "null_character"


def test_pages_refuse_nul_in_a_query_parameter(client: Client) -> None:
    response = client.get("/directory/", {"q": "caf\x00e"}, HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 400
    assert "U+0000" in response.content.decode()


def test_ordinary_queries_still_pass(client: Client) -> None:
    assert client.get("/directory/", {"q": "café"}).status_code == 200
