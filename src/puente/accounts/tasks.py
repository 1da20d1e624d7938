"""Background jobs of accounts: each is a thin entry point that is safe to run twice."""

from __future__ import annotations

import datetime as dt

from celery import shared_task
from django.urls import reverse

from puente.accounts.models import User
from puente.core.notify import send_templated_email


@shared_task
def send_verification_email(user_id: int) -> bool:
    """Email the confirmation link to an account that is still unverified."""
    from puente.accounts.services import verification_token

    user = User.objects.filter(pk=user_id, is_active=True, email_verified_at__isnull=True).first()
    if user is None:
        return False
    uidb64, token = verification_token(user)
    path = reverse("accounts:verify", kwargs={"uidb64": uidb64, "token": token})
    send_templated_email(
        to=user.email,
        language=user.language,
        template="accounts/email/verify",
        context={"user": user, "path": path},
    )
    return True


@shared_task
def send_password_reset_email(user_id: int) -> bool:
    """Email a password-reset link in the account holder's language."""
    from puente.accounts.services import password_reset_link_token

    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return False
    uidb64, token = password_reset_link_token(user)
    path = reverse("accounts:password_reset_confirm", kwargs={"uidb64": uidb64, "token": token})
    send_templated_email(
        to=user.email,
        language=user.language,
        template="accounts/email/password_reset",
        context={"user": user, "path": path, "reset_path": reverse("accounts:password_reset")},
    )
    return True


@shared_task
def send_password_changed_email(user_id: int, changed_at: str) -> bool:
    """Tell the account holder their password changed, so a change they did not make is noticed."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return False
    send_templated_email(
        to=user.email,
        language=user.language,
        template="accounts/email/password_changed",
        context={
            "user": user,
            "changed_at": dt.datetime.fromisoformat(changed_at),
            "reset_path": reverse("accounts:password_reset"),
        },
    )
    return True


@shared_task
def purge_login_attempts() -> int:
    """Delete failed sign-ins too old to count towards a lockout."""
    from puente.accounts.lockout import login_attempts_purge

    return login_attempts_purge()
