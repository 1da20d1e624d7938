"""Who is calling: bearer tokens, browser sessions with CSRF, and rate limits."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client, override_settings
from django.utils import timezone

from puente.accounts.models import ApiToken
from tests.api.conftest import ApiClient, World, token_for

pytestmark = pytest.mark.django_db


def test_a_bearer_token_identifies_its_owner(api: ApiClient, world: World) -> None:
    response = api.get("/me", token=world.tokens["org_admin"])
    assert response.status == 200
    assert response.data["email"] == world.user("org_admin").email
    assert response.data["memberships"] == [
        {
            "organization_id": world.organization.pk,
            "organization_name": "Café Trazable",
            "role": "admin",
        }
    ]


def test_the_token_scheme_name_is_also_accepted(api: ApiClient, world: World) -> None:
    response = api.get("/me", HTTP_AUTHORIZATION=f"Token {world.tokens['staff']}")
    assert response.status == 200
    assert response.data["is_staff"] is True


@pytest.mark.parametrize(
    "header", ["Basic dXNlcjpwYXNz", "Bearer", "Bearer   ", "pnt_only-the-token"]
)
def test_a_malformed_authorization_header_says_how_to_send_the_token(
    api: ApiClient, header: str
) -> None:
    response = api.get("/hubs", HTTP_AUTHORIZATION=header)
    assert response.status == 401
    assert response.data["code"] == "invalid_auth_header"
    assert "Bearer" in response.data["message"]


def test_an_unknown_token_is_refused_even_on_public_endpoints(api: ApiClient, world: World) -> None:
    response = api.get("/hubs", token="pnt_not-a-real-token")
    assert response.status == 401
    assert response.data["code"] == "invalid_token"
    response = api.get("/hubs", token="x" * 5000)
    assert response.status == 401
    assert response.data["code"] == "invalid_token"


def test_a_revoked_token_stops_working_at_once(api: ApiClient, world: World) -> None:
    user = world.user("member_without_org")
    created = api.post(
        "/tokens", {"name": "Script de reportes"}, token=world.tokens["member_without_org"]
    )
    assert created.status == 201
    secret = created.data["token"]
    assert secret.startswith("pnt_")
    assert created.data["key_hint"] == secret[:12]
    assert api.get("/me", token=secret).status == 200
    assert api.delete(f"/tokens/{created.data['id']}", token=secret).status == 204
    response = api.get("/me", token=secret)
    assert response.status == 401
    assert response.data["code"] == "invalid_token"
    listed = api.get("/tokens", token=world.tokens["member_without_org"]).data
    revoked = next(item for item in listed["items"] if item["id"] == created.data["id"])
    assert revoked["revoked_at"] is not None
    assert "token" not in revoked  # the secret is shown only once
    assert ApiToken.objects.filter(user=user).count() == 2


def test_a_token_of_a_deactivated_account_is_refused(api: ApiClient, world: World) -> None:
    user = world.user("org_member")
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert api.get("/me", token=world.tokens["org_member"]).status == 401


def test_using_a_token_records_when_it_was_last_used(api: ApiClient, world: World) -> None:
    token, secret = token_for(world.user("staff"), name="old")
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now() - dt.timedelta(days=3))
    api.get("/hubs", token=secret)
    token.refresh_from_db()
    assert token.last_used_at is not None
    assert timezone.now() - token.last_used_at < dt.timedelta(minutes=1)


def test_someone_elses_token_cannot_be_revoked(api: ApiClient, world: World) -> None:
    other, _secret = token_for(world.user("staff"), name="staff token")
    response = api.delete(f"/tokens/{other.pk}", token=world.tokens["org_member"])
    assert response.status == 404
    other.refresh_from_db()
    assert other.revoked_at is None


def test_the_browser_session_works_for_reads(world: World) -> None:
    client = Client()
    client.force_login(world.user("org_admin"))
    response = client.get("/api/v1/me")
    assert response.status_code == 200
    assert response.json()["email"] == world.user("org_admin").email


def test_session_writes_need_the_csrf_token(world: World) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.user("manager_same_hub"))
    response = client.post(
        "/api/v1/tokens", data={"name": "desde el navegador"}, content_type="application/json"
    )
    assert response.status_code == 403
    assert response.json()["code"] == "csrf_failed"
    assert not ApiToken.objects.filter(name="desde el navegador").exists()

    client.get("/")  # the web app sets the CSRF cookie
    csrf = client.cookies["csrftoken"].value
    response = client.post(
        "/api/v1/tokens",
        data={"name": "desde el navegador"},
        content_type="application/json",
        HTTP_X_CSRFTOKEN=csrf,
    )
    assert response.status_code == 201, response.json()


def test_signing_in_is_required_for_account_endpoints(api: ApiClient, world: World) -> None:
    response = api.get("/me", language="es")
    assert response.status == 401
    assert response.data == {
        "code": "not_authenticated",
        "message": "Inicia sesión o envía un token de la API para hacer esto.",
    }


@override_settings(API_RATE_ANONYMOUS="3/m", API_RATE_AUTHENTICATED="1000/m")
def test_anonymous_callers_are_limited_per_address(api: ApiClient, world: World) -> None:
    for _ in range(3):
        assert api.get("/hubs").status == 200
    response = api.get("/hubs")
    assert response.status == 429
    assert response.data["code"] == "throttled"
    assert int(response.headers["Retry-After"]) >= 1
    # A signed-in caller from the same address has its own allowance.
    assert api.get("/hubs", token=world.tokens["staff"]).status == 200


@override_settings(API_RATE_ANONYMOUS="2/m", API_RATE_AUTHENTICATED="1000/m")
def test_inventing_forwarded_addresses_does_not_escape_the_limit(
    api: ApiClient, world: World
) -> None:
    statuses = [
        api.get("/hubs", HTTP_X_FORWARDED_FOR=f"203.0.113.{index}").status for index in range(3)
    ]
    assert statuses == [200, 200, 429]


@override_settings(API_RATE_ANONYMOUS="2/m", API_RATE_AUTHENTICATED="1000/m", API_PROXY_COUNT=1)
def test_behind_a_trusted_proxy_each_client_address_has_its_own_limit(
    api: ApiClient, world: World
) -> None:
    first = [api.get("/hubs", HTTP_X_FORWARDED_FOR="198.51.100.7").status for _ in range(3)]
    other = api.get("/hubs", HTTP_X_FORWARDED_FOR="spoofed, 198.51.100.8").status
    assert first == [200, 200, 429]
    assert other == 200


@override_settings(API_RATE_ANONYMOUS="1000/m", API_RATE_AUTHENTICATED="2/m")
def test_signed_in_callers_are_limited_per_account_whatever_the_token(
    api: ApiClient, world: World
) -> None:
    user = world.user("org_member")
    _token, second_secret = token_for(user, name="second")
    assert api.get("/me", token=world.tokens["org_member"]).status == 200
    assert api.get("/me", token=second_secret).status == 200
    limited = api.get("/me", token=world.tokens["org_member"], language="es")
    assert limited.status == 429
    assert limited.data["message"].startswith("Demasiadas solicitudes")
    assert api.get("/me", token=world.tokens["org_admin"]).status == 200


@override_settings(API_RATE_ANONYMOUS="", API_RATE_AUTHENTICATED="")
def test_an_empty_rate_turns_the_limit_off(api: ApiClient, world: World) -> None:
    assert all(api.get("/hubs").status == 200 for _ in range(5))


def test_an_unverified_account_cannot_create_tokens(api: ApiClient, world: World) -> None:
    response = api.post("/tokens", {"name": "x"}, token=world.tokens["unverified"])
    assert response.status == 403
    assert response.data["code"] == "email_not_verified"


def test_a_blank_token_name_is_refused(api: ApiClient, world: World) -> None:
    response = api.post("/tokens", {"name": "   "}, token=world.tokens["staff"])
    assert response.status == 422
    assert response.data["code"] == "name_required"
