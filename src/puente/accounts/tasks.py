"""Background jobs of accounts: each is a thin entry point that is safe to run twice."""

from __future__ import annotations

from celery import shared_task
from django.urls import reverse

from puente.accounts.models import User
from puente.core.notify import send_templated_email


@shared_task
def send_verification_email(user_id: int) -> bool:
    from puente.accounts.services import verification_token

    user = User.objects.filter(pk=user_id, email_verified_at__isnull=True).first()
    if user is None:
        return False
    uidb64, token = verification_token(user)
    path = reverse("accounts:verify", kwargs={"uidb64": uidb64, "token": token})
    send_templated_email(to=user.email, language=user.language, template="accounts/email/verify", context={"user": user, "path": path})
    return True
