"""Users, their roles in hubs, consents, sign-in attempts and API tokens."""

from __future__ import annotations

import hashlib
import secrets
from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from puente.core.models import Hub, validate_time_zone


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create(self, email: str, password: str | None, **extra: Any) -> User:
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.update(is_staff=True, is_superuser=True)
        extra.setdefault("email_verified_at", timezone.now())
        return self._create(email, password, **extra)

    def get_by_natural_key(self, username: str | None) -> User:
        return self.get(email__iexact=username or "")


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in to Puente, identified by email address."""

    email = models.EmailField(_("email address"), max_length=254, unique=True)
    full_name = models.CharField(_("full name"), max_length=150)
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default="es"
    )
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="America/Bogota", validators=[validate_time_zone]
    )
    home_hub = models.ForeignKey(
        Hub,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("home hub"),
    )
    is_staff = models.BooleanField(
        _("staff"), default=False, help_text=_("Can use the back-office admin.")
    )
    is_active = models.BooleanField(_("active"), default=True)
    email_verified_at = models.DateTimeField(_("email verified"), null=True, blank=True)
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)
    # When the last confirmation / password-reset email was sent, to rate-limit new requests.
    verification_sent_at = models.DateTimeField(
        _("confirmation email sent"), null=True, blank=True, editable=False
    )
    password_reset_sent_at = models.DateTimeField(
        _("password reset email sent"), null=True, blank=True, editable=False
    )
    emails_off = models.JSONField(
        _("emails turned off"),
        default=list,
        blank=True,
        help_text=_(
            "Kinds of notification the user reads in the app only (codes of EmailTopic); "
            "essential emails are always sent."
        ),
    )

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [models.UniqueConstraint(Lower("email"), name="user_email_ci_unique")]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email

    @property
    def is_verified(self) -> bool:
        return self.email_verified_at is not None


class HubRole(models.Model):
    """A user's staff role in one hub (the agency staff who curate and run it)."""

    class Role(models.TextChoices):
        MANAGER = "manager", _("Hub manager")

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="hub_roles", verbose_name=_("user")
    )
    hub = models.ForeignKey(
        Hub, on_delete=models.CASCADE, related_name="roles", verbose_name=_("hub")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.MANAGER)
    granted_at = models.DateTimeField(_("granted"), auto_now_add=True)

    class Meta:
        verbose_name = _("hub role")
        verbose_name_plural = _("hub roles")
        constraints = [
            models.UniqueConstraint(fields=["user", "hub", "role"], name="hub_role_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} ({self.hub})"


class EmailTopic(models.TextChoices):
    """Kinds of notification email a user can turn off (they still arrive in the app).
    Emails about the user's own account, applications and bookings are always sent."""

    REQUESTS = "requests", _("Meeting and introduction requests, and the answers to mine")
    SCHEDULE = "schedule", _("My event agendas: published and changed")
    REMINDERS = (
        "reminders",
        _("Reminders: requests about to expire, my first meeting, how my meetings went"),
    )
    ANNOUNCEMENTS = "announcements", _("Messages from the organizers of my events")


class ConsentPurpose(models.TextChoices):
    """What personal data is processed for; consent is recorded per purpose (Ley 1581 de 2012)."""

    ACCOUNT = "account", _("Operate my account and my directory profile")
    CROSS_BORDER = "cross_border", _("Share my profile with the partner hubs in other countries")
    MATCHING = "matching", _("Suggest matches and introductions")
    NEWSLETTER = "newsletter", _("Send me news and event invitations")


REQUIRED_CONSENTS = (ConsentPurpose.ACCOUNT,)


class Consent(models.Model):
    """A recorded grant or withdrawal of consent for one purpose under one policy version."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="consents", verbose_name=_("user")
    )
    purpose = models.CharField(_("purpose"), max_length=32, choices=ConsentPurpose.choices)
    policy_version = models.CharField(_("policy version"), max_length=20)
    granted = models.BooleanField(_("granted"))
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=300, blank=True)

    class Meta:
        ordering = ["-recorded_at", "-id"]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")

    def __str__(self) -> str:
        state = _("granted") if self.granted else _("withdrawn")
        return f"{self.user} · {self.get_purpose_display()} · {state} · v{self.policy_version}"


class LoginAttempt(models.Model):
    """A failed sign-in, kept to lock out repeated guessing by account and by address."""

    email = models.CharField(_("email address"), max_length=254, db_index=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True, db_index=True)
    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("failed sign-in")
        verbose_name_plural = _("failed sign-ins")

    def __str__(self) -> str:
        return f"{self.email} {self.at:%Y-%m-%d %H:%M}"


def _hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def active(self) -> ApiTokenQuerySet:
        return self.filter(revoked_at__isnull=True)

    def for_raw(self, raw: str) -> ApiTokenQuerySet:
        return self.active().filter(key_hash=_hash_token(raw))


class ApiToken(models.Model):
    """A personal token for the REST API; only its hash is stored, the secret is shown once."""

    PREFIX = "pnt_"

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("user")
    )
    name = models.CharField(_("name"), max_length=80)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    key_hint = models.CharField(_("token starts with"), max_length=12, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.key_hint}…)"

    @classmethod
    def new_secret(cls) -> tuple[str, str, str]:
        """A fresh secret with its stored hash and the visible hint."""
        raw = cls.PREFIX + secrets.token_urlsafe(32)
        return raw, _hash_token(raw), raw[:12]
