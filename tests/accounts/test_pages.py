"""Every account page renders in Spanish and English, and no input makes any of them fail."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from puente.accounts.models import User
from puente.accounts.services import api_token_create, password_reset_link_token
from tests.accounts.conftest import page_text, signed_in

pytestmark = pytest.mark.django_db

# (path, who, English heading, Spanish heading)
PAGES = [
    ("/accounts/sign-up/", None, "Join the network", "Únete a la red"),
    ("/accounts/sign-up/check-your-email/", None, "Check your email", "Revisa tu correo"),
    ("/accounts/sign-in/", None, "Sign in", "Iniciar sesión"),
    (
        "/accounts/verify/resend/",
        None,
        "Resend the confirmation email",
        "Reenviar el correo de confirmación",
    ),
    (
        "/accounts/verify/resend/",
        "unverified",
        "Resend the confirmation email",
        "Reenviar el correo de confirmación",
    ),
    (
        "/accounts/verify/resend/",
        "verified",
        "Resend the confirmation email",
        "Reenviar el correo de confirmación",
    ),
    ("/accounts/verify/MQ/nope/", None, "This link does not work", "Este enlace no funciona"),
    ("/accounts/password/reset/", None, "Reset your password", "Restablece tu contraseña"),
    ("/accounts/password/reset/sent/", None, "Check your email", "Revisa tu correo"),
    (
        "/accounts/password/reset/done/",
        None,
        "Your new password is saved",
        "Tu nueva contraseña quedó guardada",
    ),
    (
        "/accounts/password/reset/MQ/nope/",
        None,
        "This link does not work",
        "Este enlace no funciona",
    ),
    ("/accounts/settings/", "verified", "Profile", "Perfil"),
    ("/accounts/settings/", "unverified", "Profile", "Perfil"),
    ("/accounts/settings/password/", "verified", "Change your password", "Cambia tu contraseña"),
    (
        "/accounts/settings/consents/",
        "verified",
        "Privacy and consents",
        "Privacidad y consentimientos",
    ),
    ("/accounts/settings/tokens/", "verified", "API tokens", "Tokens de API"),
    ("/accounts/settings/tokens/", "unverified", "API tokens", "Tokens de API"),
    ("/accounts/settings/tokens/{token}/revoke/", "verified", "Revoke a token", "Revocar un token"),
]


@pytest.fixture
def people(db: None) -> dict[str, User]:
    from tests.factories import UserFactory

    return {
        "verified": UserFactory(email="ver@example.org"),
        "unverified": UserFactory(email="unver@example.org", email_verified_at=None),
    }


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize(("path", "who", "heading_en", "heading_es"), PAGES)
def test_page_renders_in_both_languages(
    people: dict[str, User],
    language: str,
    path: str,
    who: str | None,
    heading_en: str,
    heading_es: str,
) -> None:
    client = signed_in(people[who], language) if who else Client(HTTP_ACCEPT_LANGUAGE=language)
    if "{token}" in path:
        token, _secret = api_token_create(user=people["verified"], name="ci")
        path = path.format(token=token.pk)
    response = client.get(path)
    assert response.status_code in (200, 400)
    text = page_text(response)
    assert f'<html lang="{language}">' in text
    heading = heading_en if language == "en" else heading_es
    assert f"<h1>{heading}</h1>" in text


def test_reset_form_renders_in_both_languages(people: dict[str, User]) -> None:
    for language, heading in (
        ("en", "Choose a new password"),
        ("es", "Elige una nueva contraseña"),
    ):
        client = Client(HTTP_ACCEPT_LANGUAGE=language)
        form_url = client.get(
            "/accounts/password/reset/{}/{}/".format(*password_reset_link_token(people["verified"]))
        )["Location"]
        assert f"<h1>{heading}</h1>" in page_text(client.get(form_url))


NASTY_VALUES = [
    "",
    " ",
    "\x00",
    "a\x00b@example.org",
    "x" * 20_000,
    "😀" * 300,
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "ana@example.org\r\nBcc: x@y.z",
    "%s%s%n",
    "9" * 40,
    "-1",
]

# Every form of the accounts app, with the fields it reads.
FORMS = [
    (
        "/accounts/sign-up/",
        None,
        [
            "full_name",
            "email",
            "password",
            "home_hub",
            "language",
            "time_zone",
            "consent_account",
            "consent_matching",
        ],
    ),
    ("/accounts/sign-in/", None, ["email", "password", "next"]),
    ("/accounts/verify/resend/", None, ["email"]),
    ("/accounts/verify/resend/", "unverified", ["next"]),
    ("/accounts/password/reset/", None, ["email"]),
    ("/accounts/settings/", "verified", ["full_name", "language", "time_zone", "home_hub"]),
    (
        "/accounts/settings/password/",
        "verified",
        ["current_password", "new_password", "new_password_confirm"],
    ),
    ("/accounts/settings/consents/", "verified", ["purpose", "granted"]),
    ("/accounts/settings/tokens/", "verified", ["name"]),
    ("/accounts/settings/tokens/1/revoke/", "verified", ["confirm"]),
]


@pytest.mark.parametrize(("path", "who", "fields"), FORMS)
def test_bad_input_never_yields_a_server_error(
    people: dict[str, User], path: str, who: str | None, fields: list[str]
) -> None:
    client = signed_in(people[who], "en") if who else Client(HTTP_ACCEPT_LANGUAGE="en")
    before = {
        user.pk: (user.password, user.full_name, user.time_zone, user.language)
        for user in User.objects.all()
    }
    payloads: list[Any] = [{}, *(dict.fromkeys(fields, value) for value in NASTY_VALUES)]
    payloads.append({field: ["one", "two"] for field in fields})  # repeated keys
    for payload in payloads:
        response = client.post(path, payload)
        assert response.status_code < 500, (path, payload)
    after = {
        user.pk: (user.password, user.full_name, user.time_zone, user.language)
        for user in User.objects.all()
    }
    assert after == before
    assert User.objects.filter(email__startswith="x").count() == 0


@pytest.mark.parametrize(
    "path",
    [
        "/accounts/verify/%00/%00/",
        "/accounts/verify/" + "A" * 5000 + "/b/",
        "/accounts/verify/8J-YgA/token/",
        "/accounts/password/reset/%00/set-password/",
        "/accounts/password/reset/" + "Q" * 5000 + "/x/",
        "/accounts/sign-in/?next=%00",
        "/accounts/sign-in/?next=//evil.example/",
        "/accounts/settings/tokens/0/revoke/",
    ],
)
def test_odd_addresses_are_answered_without_a_server_error(
    people: dict[str, User], path: str
) -> None:
    response = signed_in(people["verified"]).get(path) if "settings" in path else Client().get(path)
    assert response.status_code in (200, 302, 400, 404)


def test_malformed_body_is_not_a_server_error(people: dict[str, User]) -> None:
    client = signed_in(people["verified"])
    response = client.post(
        "/accounts/settings/",
        data=b"\xff\xfe\x00garbage",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code < 500
    response = Client().post(
        "/accounts/sign-in/", data='{"email": 1}', content_type="application/json"
    )
    assert response.status_code < 500
