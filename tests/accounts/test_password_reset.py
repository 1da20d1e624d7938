"""Forgotten password: the same answer whether or not the address exists, an email in the
account holder's language, a link that works once and for three days, and a lifted lockout."""

from __future__ import annotations

import datetime as dt
from typing import Any
from unittest import mock

import pytest
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core import mail
from django.test import Client
from django.utils import timezone

from puente.accounts.models import LoginAttempt, User
from puente.accounts.services import password_reset_link_token, verification_token
from puente.core.models import AuditEntry
from tests.accounts.conftest import PASSWORD, link_in, page_text
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "puente entre dos ciudades"
INVALID = "This password reset link is invalid, has expired or was already used. Ask for a new one."


def main_part(response: Any) -> str:
    text = page_text(response)
    return text[text.index("<main") : text.index("</main>")]


def request_reset(after_commit: Any, email: str, language: str = "en") -> Any:
    with after_commit():
        return Client(HTTP_ACCEPT_LANGUAGE=language).post(
            "/accounts/password/reset/", {"email": email}, follow=True
        )


def test_sign_in_page_links_to_password_reset() -> None:
    response = Client(HTTP_ACCEPT_LANGUAGE="en").get("/accounts/sign-in/")
    assert '<a href="/accounts/password/reset/">Forgot your password?</a>' in page_text(response)


def test_same_answer_whether_or_not_the_address_has_an_account(
    user: User, after_commit: Any
) -> None:
    known = request_reset(after_commit, "ana@example.org")
    unknown = request_reset(after_commit, "nadie@example.org")
    assert (
        known.redirect_chain == unknown.redirect_chain == [("/accounts/password/reset/sent/", 302)]
    )
    assert main_part(known).replace("ana@example.org", "X") == main_part(unknown).replace(
        "nadie@example.org", "X"
    )
    assert [message.to for message in mail.outbox] == [["ana@example.org"]]


@pytest.mark.parametrize(
    ("language", "subject", "phrase"),
    [
        (
            "es",
            "Restablece tu contraseña de Puente",
            "Alguien (esperamos que tú) pidió restablecer la contraseña",
        ),
        ("en", "Reset your Puente password", "Someone (we hope you) asked to reset the password"),
    ],
)
def test_email_is_in_the_account_holders_language(
    language: str, subject: str, phrase: str, after_commit: Any
) -> None:
    UserFactory(email="persona@example.org", language=language)
    # The page is browsed in the other language: the email still follows the account.
    request_reset(after_commit, "persona@example.org", language="en" if language == "es" else "es")
    [message] = mail.outbox
    assert message.subject == subject
    assert phrase in message.body
    html, mime = message.alternatives[0]
    assert mime == "text/html"
    assert phrase in html
    assert f'lang="{language}"' in html
    assert link_in(message).startswith("/accounts/password/reset/")


def test_reset_flow_end_to_end(user: User, after_commit: Any) -> None:
    for _ in range(5):
        LoginAttempt.objects.create(email="ana@example.org")
    request_reset(after_commit, "ana@example.org")
    link = link_in(mail.outbox[0])
    client = Client(HTTP_ACCEPT_LANGUAGE="en")

    response = client.get(link)
    assert response.status_code == 302
    form_url = response["Location"]
    assert form_url.endswith("/set-password/")
    assert link.split("/")[-2] not in form_url  # the token left the address bar

    page = client.get(form_url)
    assert "For the account <strong>ana@example.org</strong>." in page_text(page)

    mismatch = client.post(
        form_url, {"new_password": NEW_PASSWORD, "new_password_confirm": NEW_PASSWORD + "!"}
    )
    assert "The two passwords do not match." in page_text(mismatch)
    weak = client.post(form_url, {"new_password": "12345", "new_password_confirm": "12345"})
    assert "This password is too short." in page_text(weak)
    user.refresh_from_db()
    assert user.check_password(PASSWORD)

    with after_commit():
        done = client.post(
            form_url,
            {"new_password": NEW_PASSWORD, "new_password_confirm": NEW_PASSWORD},
            follow=True,
        )
    assert done.redirect_chain[-1][0] == "/accounts/password/reset/done/"
    assert "Your new password is saved" in page_text(done)
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert not LoginAttempt.objects.filter(email="ana@example.org").exists()
    assert [
        entry.action for entry in AuditEntry.objects.filter(target_id=str(user.pk)).order_by("id")
    ] == [
        "user.password_reset_request",
        "user.password_reset",
    ]
    notice = mail.outbox[-1]
    assert notice.subject == "Tu contraseña de Puente cambió"
    assert "La contraseña de tu cuenta de Puente se cambió el" in notice.body

    # The link works once.
    again = Client(HTTP_ACCEPT_LANGUAGE="en").get(link)
    assert again.status_code == 400
    assert INVALID in page_text(again)
    assert client.get(form_url).status_code == 400

    signed = Client()
    assert (
        signed.post(
            "/accounts/sign-in/", {"email": "ana@example.org", "password": NEW_PASSWORD}
        ).status_code
        == 302
    )


def test_link_expires_after_three_days(user: User) -> None:
    path = "/accounts/password/reset/{}/{}/".format(*password_reset_link_token(user))
    later = dt.datetime.now() + dt.timedelta(days=3, minutes=5)
    with mock.patch.object(PasswordResetTokenGenerator, "_now", return_value=later):
        response = Client(HTTP_ACCEPT_LANGUAGE="en").get(path)
    assert response.status_code == 400
    assert INVALID in page_text(response)


@pytest.mark.parametrize(
    "path",
    [
        pytest.param("/accounts/password/reset/MQ/abc-def/", id="wrong-token"),
        pytest.param("/accounts/password/reset/%21%21/abc-def/", id="garbage-uid"),
        pytest.param(
            "/accounts/password/reset/OTk5OTk5OTk5OTk5OTk5OTk5OTk5/abc-def/",
            id="uid-beyond-64-bits",
        ),
        pytest.param("/accounts/password/reset/MQ/set-password/", id="no-token-in-session"),
    ],
)
def test_invalid_links_are_refused(user: User, path: str) -> None:
    response = Client(HTTP_ACCEPT_LANGUAGE="en").get(path)
    assert response.status_code == 400
    assert INVALID in page_text(response)


def test_verification_token_cannot_reset_a_password(unverified_user: User) -> None:
    path = "/accounts/password/reset/{}/{}/".format(*verification_token(unverified_user))
    assert Client().get(path).status_code == 400


def test_a_link_for_one_account_cannot_reset_another(user: User) -> None:
    other = UserFactory()
    uid, _token = password_reset_link_token(other)
    _uid, token = password_reset_link_token(user)
    assert Client().get(f"/accounts/password/reset/{uid}/{token}/").status_code == 400


def test_repeated_requests_send_one_email_per_two_minutes(user: User, after_commit: Any) -> None:
    request_reset(after_commit, "ana@example.org")
    request_reset(after_commit, "ANA@example.org")
    assert len(mail.outbox) == 1
    User.objects.filter(pk=user.pk).update(
        password_reset_sent_at=timezone.now() - dt.timedelta(minutes=3)
    )
    request_reset(after_commit, "ana@example.org")
    assert len(mail.outbox) == 2


def test_inactive_accounts_get_no_email(after_commit: Any) -> None:
    UserFactory(email="baja@example.org", is_active=False)
    response = request_reset(after_commit, "baja@example.org")
    assert response.redirect_chain == [("/accounts/password/reset/sent/", 302)]
    assert mail.outbox == []


def test_reset_confirms_an_unverified_address(unverified_user: User) -> None:
    client = Client()
    form_url = client.get(
        "/accounts/password/reset/{}/{}/".format(*password_reset_link_token(unverified_user))
    )["Location"]
    client.post(form_url, {"new_password": NEW_PASSWORD, "new_password_confirm": NEW_PASSWORD})
    unverified_user.refresh_from_db()
    assert unverified_user.is_verified


def test_invalid_email_is_refused_with_a_message() -> None:
    response = Client(HTTP_ACCEPT_LANGUAGE="es").post(
        "/accounts/password/reset/", {"email": "no-es-correo"}
    )
    assert response.status_code == 200
    assert "Introduzca una dirección de correo electrónico válida." in page_text(response)
