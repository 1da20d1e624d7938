"""Sign-in and sign-out: where the user lands, in which language, and what they are told."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from puente.accounts.models import User
from tests.accounts.conftest import PASSWORD, page_text
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("next_url", "lands_on"),
    [
        ("/directory/?hub=miami", "/directory/?hub=miami"),
        ("https://evil.example/steal", "/"),
        ("//evil.example/", "/"),
        ("javascript:alert(1)", "/"),
        ("😀", "/"),
        ("/\x00", "/"),
    ],
)
def test_sign_in_returns_only_to_pages_of_this_site(
    user: User, next_url: str, lands_on: str
) -> None:
    response = Client().post(
        "/accounts/sign-in/", {"email": "ana@example.org", "password": PASSWORD, "next": next_url}
    )
    assert response.status_code == 302
    assert response["Location"] == lands_on


def test_sign_in_switches_to_the_accounts_language(english_user: User) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="es")
    response = client.post(
        "/accounts/sign-in/", {"email": "JOHN@example.org", "password": PASSWORD}
    )
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert '<html lang="en">' in page_text(client.get("/"))


def test_unverified_users_are_reminded_to_confirm(unverified_user: User) -> None:
    response = Client(HTTP_ACCEPT_LANGUAGE="en").post(
        "/accounts/sign-in/", {"email": "nueva@example.org", "password": PASSWORD}, follow=True
    )
    assert (
        "Confirm your email address to use everything Puente offers: check your inbox."
        in page_text(response)
    )


def test_inactive_accounts_cannot_sign_in() -> None:
    UserFactory(email="baja@example.org", is_active=False)
    response = Client(HTTP_ACCEPT_LANGUAGE="en").post(
        "/accounts/sign-in/", {"email": "baja@example.org", "password": PASSWORD}
    )
    assert "The email address or password is not correct." in page_text(response)


def test_sign_out_needs_a_post_and_ends_the_session(user_client: Client) -> None:
    assert user_client.get("/accounts/sign-out/").status_code == 405
    response = user_client.post("/accounts/sign-out/", follow=True, HTTP_ACCEPT_LANGUAGE="en")
    assert "You have signed out." in page_text(response)
    assert "_auth_user_id" not in user_client.session
