"""Sign in by email address, case-insensitively."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from puente.accounts.models import User


class EmailBackend(ModelBackend):
    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        email = (username or kwargs.get("email") or "").strip()
        if not email or password is None:
            return None
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            # Spend the same time hashing so response time does not reveal which emails exist.
            User().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
