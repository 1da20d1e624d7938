"""Every account email is written in the recipient's language, as text and as HTML."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.core import mail
from django.utils import timezone, translation

from puente.accounts.models import User
from puente.accounts.tasks import (
    send_password_changed_email,
    send_password_reset_email,
    send_verification_email,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

EMAILS: list[tuple[str, Callable[[User], bool], dict[str, tuple[str, str]]]] = [
    (
        "verify",
        lambda user: send_verification_email(user.pk),
        {
            "es": (
                "Confirma tu correo electrónico para Puente",
                "Confirma tu correo electrónico abriendo este enlace",
            ),
            "en": (
                "Confirm your email address for Puente",
                "Confirm your email address by opening this link",
            ),
        },
    ),
    (
        "password-reset",
        lambda user: send_password_reset_email(user.pk),
        {
            "es": (
                "Restablece tu contraseña de Puente",
                "Elige una nueva contraseña abriendo este enlace",
            ),
            "en": ("Reset your Puente password", "Choose a new password by opening this link"),
        },
    ),
    (
        "password-changed",
        lambda user: send_password_changed_email(user.pk, timezone.now().isoformat()),
        {
            "es": ("Tu contraseña de Puente cambió", "Si fuiste tú, no tienes que hacer nada."),
            "en": ("Your Puente password was changed", "If it was you, there is nothing to do."),
        },
    ),
]


@pytest.mark.parametrize("ui_language", ["es", "en"])
@pytest.mark.parametrize("language", ["es", "en"])
@pytest.mark.parametrize(("name", "send", "texts"), EMAILS, ids=[email[0] for email in EMAILS])
def test_email_follows_the_recipients_language(
    name: str,
    send: Callable[[User], bool],
    texts: dict[str, tuple[str, str]],
    language: str,
    ui_language: str,
) -> None:
    user = UserFactory(language=language, email_verified_at=None, full_name="Camila Torres")
    with translation.override(ui_language):  # whatever language the sender happens to use
        assert send(user) is True
    [message] = mail.outbox
    subject, phrase = texts[language]
    assert message.to == [user.email]
    assert message.subject == subject
    greeting = "Hola, Camila:" if language == "es" else "Hello Camila,"
    assert message.body.startswith(greeting)
    assert phrase in message.body
    html, mime = message.alternatives[0]
    assert mime == "text/html"
    assert phrase in html
    assert f'<html lang="{language}">' in html


def test_password_changed_notice_gives_the_time_in_the_users_zone() -> None:
    user = UserFactory(language="en", time_zone="America/New_York")
    moment = dt.datetime(2026, 7, 4, 16, 30, tzinfo=dt.UTC)
    send_password_changed_email(user.pk, moment.isoformat())
    assert "was changed on July 4, 2026, 12:30 p.m. (America/New_York)." in mail.outbox[0].body


def test_jobs_for_missing_or_verified_accounts_send_nothing() -> None:
    verified = UserFactory()
    assert send_verification_email(verified.pk) is False
    assert send_password_reset_email(987654) is False
    assert send_password_changed_email(987654, timezone.now().isoformat()) is False
    assert mail.outbox == []
