"""Sign-up: every invalid input is refused with a specific, translated message and changes
nothing; a valid sign-up records one consent per purpose with policy version and address."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client

from puente.accounts.models import Consent, ConsentPurpose, User
from puente.core.models import AuditEntry
from tests.accounts.conftest import page_text
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

VALID = {
    "full_name": "Valentina Gómez",
    "email": "valentina@cafetal.co",
    "password": "cafetales del quindio 2026",
    "home_hub": "medellin",
    "language": "es",
    "time_zone": "America/Bogota",
    "consent_account": "on",
}


@pytest.fixture
def sign_up(after_commit: Any) -> Any:
    """Post the sign-up form and run what the request schedules after commit (the email)."""

    def post(data: dict[str, Any], language: str = "en", **extra: Any) -> Any:
        with after_commit():
            return Client(HTTP_ACCEPT_LANGUAGE=language).post("/accounts/sign-up/", data, **extra)

    return post


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        pytest.param(
            {"consent_account": None},
            "You must accept the privacy policy to create an account.",
            id="missing-required-consent",
        ),
        pytest.param(
            {"password": "short1"},
            "This password is too short. It must contain at least 10 characters.",
            id="short-password",
        ),
        pytest.param(
            {"password": "12345678901234"},
            "This password is entirely numeric.",
            id="numeric-password",
        ),
        pytest.param(
            {"password": "password1234"}, "This password is too common.", id="common-password"
        ),
        pytest.param(
            {"password": "valentina@cafetal.co"},
            "The password is too similar to the email address.",
            id="password-like-email",
        ),
        pytest.param({"password": ""}, "This field is required.", id="empty-password"),
        pytest.param(
            {"email": "valentina-at-cafetal"}, "Enter a valid email address.", id="invalid-email"
        ),
        pytest.param(
            {"email": "a" * 250 + "@x.co"},
            "Ensure this value has at most 254 characters",
            id="oversized-email",
        ),
        pytest.param(
            {"full_name": "V" * 151},
            "Ensure this value has at most 150 characters (it has 151).",
            id="oversized-name",
        ),
        pytest.param({"full_name": "   "}, "This field is required.", id="blank-name"),
        pytest.param(
            {"home_hub": "atlantis"}, "Choose one of the hubs in the list.", id="unknown-hub"
        ),
        pytest.param(
            {"language": "fr"},
            "Select a valid choice. fr is not one of the available choices.",
            id="unsupported-language",
        ),
        pytest.param(
            {"full_name": "Vale\x00ntina"}, "Null characters are not allowed.", id="nul-in-name"
        ),
    ],
)
def test_sign_up_refuses_invalid_input_and_creates_nothing(
    sign_up: Any, changes: dict[str, Any], expected: str
) -> None:
    data = {key: value for key, value in {**VALID, **changes}.items() if value is not None}
    response = sign_up(data)
    assert response.status_code == 200
    assert expected in page_text(response)
    assert not User.objects.exists()
    assert not Consent.objects.exists()
    assert mail.outbox == []


def test_duplicate_email_in_other_case_is_refused(sign_up: Any) -> None:
    UserFactory(email="valentina@cafetal.co")
    response = sign_up({**VALID, "email": "Valentina@CAFETAL.co"})
    assert (
        "An account with this email address already exists. Sign in or reset your password."
        in page_text(response)
    )
    assert User.objects.count() == 1
    assert mail.outbox == []


def test_errors_are_shown_in_spanish(sign_up: Any) -> None:
    response = sign_up({**VALID, "password": "short1", "consent_account": ""}, language="es")
    text = page_text(response)
    assert "Debes aceptar la política de privacidad para crear una cuenta." in text
    assert "La contraseña es demasiado corta. Debe contener por lo menos 10 caracteres." in text


def test_sign_up_records_each_purpose_with_policy_version_and_address(sign_up: Any) -> None:
    response = sign_up(
        {**VALID, "consent_matching": "on"},
        REMOTE_ADDR="203.0.113.9",
        HTTP_USER_AGENT="Firefox/130",
    )
    assert response.status_code == 302
    assert response["Location"] == "/accounts/sign-up/check-your-email/"
    user = User.objects.get()
    assert user.email == "valentina@cafetal.co"
    assert not user.is_verified
    consents = {consent.purpose: consent for consent in Consent.objects.filter(user=user)}
    assert set(consents) == set(ConsentPurpose.values)
    assert {purpose for purpose, consent in consents.items() if consent.granted} == {
        "account",
        "matching",
    }
    for consent in consents.values():
        assert consent.policy_version == settings.PRIVACY_POLICY_VERSION
        assert consent.ip_address == "203.0.113.9"
        assert consent.user_agent == "Firefox/130"
    assert AuditEntry.objects.filter(action="user.sign_up", target_id=str(user.pk)).exists()


def test_sign_up_sets_language_cookie_and_sends_confirmation_in_chosen_language(
    sign_up: Any,
) -> None:
    response = sign_up({**VALID, "language": "en"}, language="es")
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    [message] = mail.outbox
    assert message.to == ["valentina@cafetal.co"]
    assert message.subject == "Confirm your email address for Puente"
    html = message.alternatives[0][0]
    assert 'lang="en"' in html
    assert "Confirm my email address" in html


def test_time_zone_from_the_browser_is_kept_and_a_bogus_one_falls_back_to_the_hub(
    sign_up: Any,
) -> None:
    sign_up({**VALID, "time_zone": "America/Mexico_City"})
    assert User.objects.get().time_zone == "America/Mexico_City"
    sign_up({**VALID, "email": "otra@cafetal.co", "home_hub": "miami", "time_zone": "Mars/Olympus"})
    assert User.objects.get(email="otra@cafetal.co").time_zone == "America/New_York"


def test_signed_in_users_are_sent_home_from_sign_up(user: User) -> None:
    client = Client()
    client.force_login(user)
    assert client.get("/accounts/sign-up/")["Location"] == "/"
