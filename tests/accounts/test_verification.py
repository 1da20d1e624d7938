"""Email verification: the link works once, tampered or expired links are refused, unverified
users see a banner and can ask for a new link at most once every two minutes."""

from __future__ import annotations

import base64
import datetime as dt
from typing import Any
from unittest import mock

import pytest
from django.core import mail
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.utils import timezone, translation

from puente.accounts.models import User
from puente.accounts.services import password_reset_link_token, verification_token
from puente.accounts.tokens import EmailVerificationTokenGenerator
from puente.core.models import AuditEntry
from tests.accounts.conftest import link_in, page_text, signed_in
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

INVALID = "This verification link is invalid or has expired. Ask for a new one."


def verify_path(uidb64: str, token: str) -> str:
    return f"/accounts/verify/{uidb64}/{token}/"


def test_link_from_the_email_verifies_and_signs_in(
    unverified_user: User, after_commit: Any
) -> None:
    with after_commit():
        Client().post("/accounts/verify/resend/", {"email": unverified_user.email})
    [message] = mail.outbox
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    response = client.get(link_in(message), follow=True)
    assert response.redirect_chain[-1][0] == "/"
    assert "Your email address is confirmed. Welcome to Puente!" in page_text(response)
    assert response.context["user"].pk == unverified_user.pk
    unverified_user.refresh_from_db()
    assert unverified_user.is_verified
    assert (
        AuditEntry.objects.filter(
            action="user.verify_email", target_id=str(unverified_user.pk)
        ).count()
        == 1
    )


def test_link_stops_working_once_used(unverified_user: User) -> None:
    path = verify_path(*verification_token(unverified_user))
    assert Client().get(path).status_code == 302
    response = Client(HTTP_ACCEPT_LANGUAGE="en").get(path)
    assert response.status_code == 400
    assert INVALID in page_text(response)


def _b64(value: bytes) -> str:
    return base64.urlsafe_b64encode(value).decode().rstrip("=")


@pytest.mark.parametrize(
    "tamper",
    [
        pytest.param(lambda uid, token, other: (other, token), id="uid-of-another-user"),
        pytest.param(lambda uid, token, other: ("!!!", token), id="uid-not-base64"),
        pytest.param(lambda uid, token, other: (_b64(b"abc"), token), id="uid-not-a-number"),
        pytest.param(
            lambda uid, token, other: (_b64(b"99999999999999999999999999"), token),
            id="uid-beyond-64-bits",
        ),
        pytest.param(lambda uid, token, other: (_b64(b"-1"), token), id="uid-negative"),
        pytest.param(lambda uid, token, other: (_b64(b"\xff\xfe"), token), id="uid-not-utf8"),
        pytest.param(
            lambda uid, token, other: (uid, token[:-1] + ("a" if token[-1] != "a" else "b")),
            id="token-changed",
        ),
        pytest.param(lambda uid, token, other: (uid, "x"), id="token-too-short"),
        pytest.param(lambda uid, token, other: (uid, "z" * 600), id="token-oversized"),
    ],
)
def test_tampered_links_are_refused(unverified_user: User, tamper: Any) -> None:
    other = UserFactory(email_verified_at=None)
    uid, token = verification_token(unverified_user)
    other_uid, _other_token = verification_token(other)
    response = Client(HTTP_ACCEPT_LANGUAGE="en").get(verify_path(*tamper(uid, token, other_uid)))
    assert response.status_code == 400
    assert INVALID in page_text(response)
    assert not User.objects.filter(
        email_verified_at__isnull=False, pk__in=[unverified_user.pk, other.pk]
    ).exists()


def test_password_reset_token_cannot_verify_an_address(unverified_user: User) -> None:
    response = Client().get(verify_path(*password_reset_link_token(unverified_user)))
    assert response.status_code == 400
    unverified_user.refresh_from_db()
    assert not unverified_user.is_verified


def test_link_expires_after_three_days(unverified_user: User) -> None:
    path = verify_path(*verification_token(unverified_user))
    later = dt.datetime.now() + dt.timedelta(days=3, hours=1)
    with mock.patch.object(EmailVerificationTokenGenerator, "_now", return_value=later):
        response = Client(HTTP_ACCEPT_LANGUAGE="en").get(path)
    assert response.status_code == 400
    assert INVALID in page_text(response)
    almost = dt.datetime.now() + dt.timedelta(days=2, hours=23)
    with mock.patch.object(EmailVerificationTokenGenerator, "_now", return_value=almost):
        assert Client().get(path).status_code == 302


def _banner(user: Any, language: str = "en") -> str:
    request = RequestFactory().get("/directory/")
    request.user = user
    with translation.override(language):
        return render_to_string(
            "accounts/_verification_banner.html",
            {"user": user, "request": request},
            request=request,
        )


def test_banner_shows_only_to_signed_in_unverified_users(unverified_user: User, user: User) -> None:
    from django.contrib.auth.models import AnonymousUser

    banner = _banner(unverified_user)
    assert (
        "Confirm your email address: open the link we sent to <strong>nueva@example.org</strong>"
        in banner
    )
    assert 'action="/accounts/verify/resend/"' in banner
    assert 'name="next" value="/directory/"' in banner
    assert "Confirma tu correo electrónico: abre el enlace" in _banner(unverified_user, "es")
    assert _banner(user).strip() == ""
    assert _banner(AnonymousUser()).strip() == ""


def test_account_menu_offers_confirmation_to_unverified_users(unverified_user: User) -> None:
    client = signed_in(unverified_user, "en")
    assert "Confirm your email address" in page_text(client.get("/accounts/settings/"))


def test_resend_from_the_banner_is_rate_limited(unverified_user: User, after_commit: Any) -> None:
    client = signed_in(unverified_user, "en")
    with after_commit():
        response = client.post("/accounts/verify/resend/", {"next": "/directory/"}, follow=True)
    assert response.redirect_chain[0][0] == "/directory/"
    assert (
        "We sent a new confirmation link to nueva@example.org. It works for three days."
        in page_text(response)
    )
    assert len(mail.outbox) == 1
    with after_commit():
        response = client.post("/accounts/verify/resend/", {"next": "/directory/"}, follow=True)
    assert "You can ask again in 2 minutes." in page_text(response)
    assert len(mail.outbox) == 1
    User.objects.filter(pk=unverified_user.pk).update(
        verification_sent_at=timezone.now() - dt.timedelta(seconds=90)
    )
    with after_commit():
        response = client.post("/accounts/verify/resend/", {"next": "/directory/"}, follow=True)
    assert "You can ask again in 30 seconds." in page_text(response)
    User.objects.filter(pk=unverified_user.pk).update(
        verification_sent_at=timezone.now() - dt.timedelta(minutes=3)
    )
    with after_commit():
        client.post("/accounts/verify/resend/", {"next": "/directory/"})
    assert len(mail.outbox) == 2
    assert AuditEntry.objects.filter(action="user.resend_verification").count() == 2


def test_rate_limit_message_is_translated(unverified_user: User) -> None:
    client = signed_in(unverified_user, "es")
    client.post("/accounts/verify/resend/")
    response = client.post("/accounts/verify/resend/", follow=True)
    assert "Puedes volver a pedirlo en 2 minutos." in page_text(response)


def test_resend_refuses_an_unsafe_next_url(unverified_user: User) -> None:
    response = signed_in(unverified_user).post(
        "/accounts/verify/resend/", {"next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


def test_verified_users_are_told_they_are_done(user: User, after_commit: Any) -> None:
    client = signed_in(user, "en")
    with after_commit():
        response = client.post("/accounts/verify/resend/", follow=True)
    assert "Your email address is already confirmed." in page_text(response)
    assert mail.outbox == []


def test_public_resend_answers_the_same_for_unknown_addresses(
    unverified_user: User, after_commit: Any
) -> None:
    with after_commit():
        known = Client(HTTP_ACCEPT_LANGUAGE="en").post(
            "/accounts/verify/resend/", {"email": "NUEVA@example.org"}, follow=True
        )
        unknown = Client(HTTP_ACCEPT_LANGUAGE="en").post(
            "/accounts/verify/resend/", {"email": "nobody@example.org"}, follow=True
        )
        again = Client(HTTP_ACCEPT_LANGUAGE="en").post(
            "/accounts/verify/resend/", {"email": "nueva@example.org"}, follow=True
        )
    assert (
        known.redirect_chain
        == unknown.redirect_chain
        == again.redirect_chain
        == [("/accounts/sign-up/check-your-email/", 302)]
    )
    assert [message.to for message in mail.outbox] == [["nueva@example.org"]]


def test_sign_up_counts_as_the_first_send(after_commit: Any) -> None:
    with after_commit():
        Client().post(
            "/accounts/sign-up/",
            {
                "full_name": "Luis Pérez",
                "email": "luis@example.org",
                "password": "montañas y cafetales",
                "home_hub": "medellin",
                "language": "es",
                "consent_account": "on",
            },
        )
        Client().post("/accounts/verify/resend/", {"email": "luis@example.org"})
    assert len(mail.outbox) == 1
