"""Sign-in lockout: five failures in fifteen minutes lock the account — even against the right
password — with a message saying when to retry; success resets the count; old failures are purged."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db.models import F
from django.test import Client
from django.utils import formats, timezone

from puente.accounts.models import LoginAttempt, User
from puente.accounts.tasks import purge_login_attempts
from puente.core.timezones import zone
from tests.accounts.conftest import PASSWORD, page_text

pytestmark = pytest.mark.django_db

WRONG = "not the password at all"
NOT_CORRECT = "The email address or password is not correct."


def attempt(client: Client, email: str, password: str, **extra: Any) -> Any:
    return client.post("/accounts/sign-in/", {"email": email, "password": password}, **extra)


def fail_times(count: int, email: str = "ana@example.org", **extra: Any) -> Any:
    response = None
    for _ in range(count):
        response = attempt(Client(HTTP_ACCEPT_LANGUAGE="en"), email, WRONG, **extra)
    return response


def time_passes(minutes: int) -> None:
    LoginAttempt.objects.update(at=F("at") - dt.timedelta(minutes=minutes))


def test_four_failures_only_say_the_password_is_wrong(user: User) -> None:
    response = fail_times(4)
    assert response.status_code == 200
    assert NOT_CORRECT in page_text(response)
    assert "Too many failed sign-in attempts" not in page_text(response)


def test_fifth_failure_locks_and_says_when_to_retry(user: User) -> None:
    response = fail_times(5)
    assert response.status_code == 429
    text = page_text(response)
    first = LoginAttempt.objects.order_by("at").first()
    assert first is not None
    retry_at = formats.time_format(
        (first.at + dt.timedelta(minutes=15)).astimezone(zone("America/Bogota")), "TIME_FORMAT"
    )
    assert (
        f"Too many failed sign-in attempts. Try again in 15 minutes (at {retry_at}) or reset your password."
        in text
    )
    assert 'href="/accounts/password/reset/"' in text


def test_right_password_is_refused_while_locked(user: User) -> None:
    fail_times(5)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    response = attempt(client, "ana@example.org", PASSWORD)
    assert response.status_code == 429
    assert "Too many failed sign-in attempts" in page_text(response)
    assert "_auth_user_id" not in client.session


def test_lockout_counts_the_address_case_insensitively(user: User) -> None:
    fail_times(3, "ANA@example.org")
    fail_times(2, "ana@EXAMPLE.org")
    assert attempt(Client(), "ana@example.org", PASSWORD).status_code == 429


def test_lockout_ends_after_the_window(user: User) -> None:
    fail_times(5)
    time_passes(14)
    assert attempt(Client(), "ana@example.org", PASSWORD).status_code == 429
    time_passes(2)
    client = Client()
    response = attempt(client, "ana@example.org", PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_retry_time_counts_down(user: User) -> None:
    fail_times(5)
    time_passes(13)
    response = attempt(Client(HTTP_ACCEPT_LANGUAGE="en"), "ana@example.org", PASSWORD)
    assert "Try again in 2 minutes" in page_text(response)
    time_passes(1)
    response = attempt(Client(HTTP_ACCEPT_LANGUAGE="en"), "ana@example.org", PASSWORD)
    assert "Try again in 1 minute (at" in page_text(response)


def test_successful_sign_in_resets_the_counter(user: User) -> None:
    fail_times(4)
    assert attempt(Client(), "ana@example.org", PASSWORD).status_code == 302
    assert not LoginAttempt.objects.filter(email="ana@example.org").exists()
    response = fail_times(4)
    assert response.status_code == 200
    assert attempt(Client(), "ana@example.org", PASSWORD).status_code == 302


def test_one_address_guessing_many_accounts_is_locked(user: User) -> None:
    for number in range(20):
        attempt(Client(), f"guess{number}@example.org", WRONG, REMOTE_ADDR="198.51.100.7")
    assert (
        attempt(Client(), "ana@example.org", PASSWORD, REMOTE_ADDR="198.51.100.7").status_code
        == 429
    )
    assert (
        attempt(Client(), "ana@example.org", PASSWORD, REMOTE_ADDR="198.51.100.8").status_code
        == 302
    )


def test_lockout_message_in_spanish(user: User) -> None:
    for _ in range(5):
        response = attempt(Client(HTTP_ACCEPT_LANGUAGE="es"), "ana@example.org", WRONG)
    assert (
        "Demasiados intentos fallidos de inicio de sesión. Vuelve a intentarlo en 15 minutos"
        in page_text(response)
    )


def test_unknown_addresses_are_locked_too() -> None:
    response = fail_times(5, "nadie@example.org")
    assert response.status_code == 429


def _old_and_new_attempts() -> None:
    LoginAttempt.objects.create(
        email="old@example.org", at=timezone.now() - dt.timedelta(minutes=16)
    )
    LoginAttempt.objects.create(email="old@example.org", at=timezone.now() - dt.timedelta(days=3))
    LoginAttempt.objects.create(
        email="new@example.org", at=timezone.now() - dt.timedelta(minutes=14)
    )


def test_purge_task_deletes_attempts_older_than_the_window() -> None:
    _old_and_new_attempts()
    assert purge_login_attempts.delay().get() == 2
    assert list(LoginAttempt.objects.values_list("email", flat=True)) == ["new@example.org"]
    assert purge_login_attempts() == 0


def test_purge_command_reports_what_it_deleted() -> None:
    _old_and_new_attempts()
    out = StringIO()
    with _english():
        call_command("purge_login_attempts", stdout=out)
    assert out.getvalue().strip() == "Deleted 2 old failed sign-ins."
    assert LoginAttempt.objects.count() == 1


def _english() -> Any:
    from django.utils import translation

    return translation.override("en")


def test_celery_beat_schedules_the_purge() -> None:
    from puente.celery import app

    entry = app.conf.beat_schedule["accounts.purge_login_attempts"]
    assert entry["task"] == "puente.accounts.tasks.purge_login_attempts"
    assert entry["schedule"].total_seconds() == 15 * 60
