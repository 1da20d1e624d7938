"""Every write to accounts: sign-up with consent, verification, sign-in lockout, tokens, roles."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from django.utils.translation import gettext as _

from puente.accounts.tokens import email_verification_token
from puente.accounts.models import REQUIRED_CONSENTS, ApiToken, Consent, ConsentPurpose, HubRole, LoginAttempt, User
from puente.accounts.viewer import forget_viewer
from puente.core.audit import audit_record, snapshot
from puente.core.errors import PermissionDenied, ValidationFailed
from puente.core.models import Hub

_PROFILE_FIELDS = ["full_name", "language", "time_zone", "home_hub_id"]


@dataclass(frozen=True)
class RequestMeta:
    """Where a request came from, recorded with consents and sign-in attempts."""

    ip_address: str | None = None
    user_agent: str = ""


@transaction.atomic
def user_sign_up(
    *,
    email: str,
    password: str,
    full_name: str,
    language: str,
    time_zone: str,
    home_hub: Hub | None,
    consents: Iterable[str],
    meta: RequestMeta = RequestMeta(),
) -> User:
    """Create an unverified account, record its consents and send the verification email."""
    email = User.objects.normalize_email(email.strip()).lower()
    granted = set(consents)
    missing = [purpose for purpose in REQUIRED_CONSENTS if purpose not in granted]
    if missing:
        raise ValidationFailed(_("You must accept the privacy policy to create an account."), code="consent_required", field="consents")
    unknown = granted - set(ConsentPurpose.values)
    if unknown:
        raise ValidationFailed(_("Unknown consent purpose."), code="invalid_consent", field="consents")
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationFailed(_("An account with this email address already exists. Sign in or reset your password."), code="email_taken", field="email")
    user = User(email=email, full_name=full_name.strip(), language=language, time_zone=time_zone, home_hub=home_hub)
    try:
        password_validation.validate_password(password, user)
    except ValidationError as error:
        raise ValidationFailed(" ".join(error.messages), code="weak_password", field="password") from error
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    now = timezone.now()
    Consent.objects.bulk_create(
        [
            Consent(user=user, purpose=purpose, policy_version=settings.PRIVACY_POLICY_VERSION, granted=purpose in granted, recorded_at=now, ip_address=meta.ip_address, user_agent=meta.user_agent[:300])
            for purpose in ConsentPurpose.values
        ]
    )
    audit_record(actor=user, action="user.sign_up", target=user, after=snapshot(user, ["email", *_PROFILE_FIELDS]), hub=home_hub)
    transaction.on_commit(lambda: _send_verification(user.pk))
    return user


def _send_verification(user_id: int) -> None:
    from puente.accounts.tasks import send_verification_email

    send_verification_email.delay(user_id)


def verification_token(user: User) -> tuple[str, str]:
    """The (uid, token) pair of the verification link; it stops working once used."""
    return urlsafe_base64_encode(force_bytes(user.pk)), email_verification_token.make_token(user)


def user_for_token(uidb64: str, token: str, *, generator: Any = email_verification_token) -> User | None:
    """The user an emailed link (verification by default) belongs to, if the link is valid."""
    try:
        user_id = int(force_str(urlsafe_base64_decode(uidb64)))
    except (TypeError, ValueError, OverflowError):
        return None
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or not generator.check_token(user, token):
        return None
    return user


@transaction.atomic
def user_verify_email(*, uidb64: str, token: str) -> User:
    """Mark the email address as verified from the link sent at sign-up."""
    user = user_for_token(uidb64, token)
    if user is None:
        raise ValidationFailed(_("This verification link is invalid or has expired. Ask for a new one."), code="invalid_link")
    if user.email_verified_at is None:
        user.email_verified_at = timezone.now()
        user.save(update_fields=["email_verified_at"])
        audit_record(actor=user, action="user.verify_email", target=user, after={"email_verified_at": user.email_verified_at.isoformat()})
        forget_viewer(user)
    return user


def user_resend_verification(*, user: User) -> None:
    if user.email_verified_at is None:
        transaction.on_commit(lambda: _send_verification(user.pk))


def _lockout_since() -> dt.datetime:
    return timezone.now() - dt.timedelta(seconds=settings.LOGIN_LOCKOUT_WINDOW_SECONDS)


def sign_in_locked(*, email: str, ip_address: str | None) -> bool:
    """Whether sign-in for this address (or from this IP) is locked after repeated failures."""
    recent = LoginAttempt.objects.filter(at__gte=timezone.now() - dt.timedelta(seconds=max(settings.LOGIN_LOCKOUT_SECONDS, settings.LOGIN_LOCKOUT_WINDOW_SECONDS)))
    by_email = recent.filter(email=email.strip().lower()).count()
    if by_email >= settings.LOGIN_LOCKOUT_ATTEMPTS:
        return True
    # An address guessing many accounts is locked too, with a wider allowance.
    return bool(ip_address) and recent.filter(ip_address=ip_address).count() >= settings.LOGIN_LOCKOUT_ATTEMPTS * 4


def sign_in_failed(*, email: str, meta: RequestMeta) -> None:
    LoginAttempt.objects.create(email=email.strip().lower()[:254], ip_address=meta.ip_address)


def sign_in_succeeded(*, user: User) -> None:
    LoginAttempt.objects.filter(email=user.email.lower()).delete()


def authenticate_with_lockout(*, email: str, password: str, meta: RequestMeta) -> User:
    """Check credentials, refusing while the account or address is locked out."""
    from django.contrib.auth import authenticate

    if sign_in_locked(email=email, ip_address=meta.ip_address):
        minutes = max(1, settings.LOGIN_LOCKOUT_SECONDS // 60)
        raise PermissionDenied(
            _("Too many failed sign-in attempts. Try again in %(minutes)s minutes or reset your password.") % {"minutes": minutes},
            code="locked_out",
        )
    user = authenticate(username=email, password=password)
    if user is None:
        sign_in_failed(email=email, meta=meta)
        raise ValidationFailed(_("The email address or password is not correct."), code="invalid_credentials")
    sign_in_succeeded(user=user)
    return user  # type: ignore[return-value]


@transaction.atomic
def user_update_profile(*, user: User, actor: User, full_name: str, language: str, time_zone: str, home_hub: Hub | None) -> User:
    """Change a user's own name, language, time zone and home hub."""
    if actor.pk != user.pk and not actor.is_staff:
        raise PermissionDenied(_("You can only change your own account."))
    before = snapshot(user, _PROFILE_FIELDS)
    user.full_name, user.language, user.time_zone, user.home_hub = full_name.strip(), language, time_zone, home_hub
    try:
        user.full_clean(exclude=["password"])
    except ValidationError as error:
        raise ValidationFailed(" ".join(error.messages), code="invalid") from error
    user.save()
    audit_record(actor=actor, action="user.update", target=user, before=before, after=snapshot(user, _PROFILE_FIELDS))
    forget_viewer(user)
    return user


@transaction.atomic
def consent_record(*, user: User, purpose: str, granted: bool, meta: RequestMeta = RequestMeta()) -> Consent:
    """Grant or withdraw consent for one purpose; the account purpose cannot be withdrawn here."""
    if purpose not in ConsentPurpose.values:
        raise ValidationFailed(_("Unknown consent purpose."), code="invalid_consent")
    if purpose in REQUIRED_CONSENTS and not granted:
        raise ValidationFailed(_("Consent to operate your account can only be withdrawn by deleting the account."), code="consent_required")
    consent = Consent.objects.create(user=user, purpose=purpose, policy_version=settings.PRIVACY_POLICY_VERSION, granted=granted, ip_address=meta.ip_address, user_agent=meta.user_agent[:300])
    audit_record(actor=user, action="consent.grant" if granted else "consent.withdraw", target=consent, after=snapshot(consent, ["purpose", "granted", "policy_version"]))
    return consent


def current_consents(user: User) -> dict[str, Consent]:
    """The latest recorded consent per purpose."""
    latest: dict[str, Consent] = {}
    for consent in Consent.objects.filter(user=user).order_by("recorded_at", "id"):
        latest[consent.purpose] = consent
    return latest


@transaction.atomic
def api_token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """Issue a personal API token; the secret is returned once and only its hash is kept."""
    name = name.strip()
    if not name:
        raise ValidationFailed(_("Give the token a name so you can recognise it later."), code="name_required", field="name")
    if not user.is_verified:
        raise PermissionDenied(_("Confirm your email address before creating API tokens."), code="email_not_verified")
    if user.api_tokens.active().count() >= 20:
        raise ValidationFailed(_("You have too many active tokens; revoke one first."), code="too_many_tokens")
    raw, key_hash, hint = ApiToken.new_secret()
    token = ApiToken.objects.create(user=user, name=name[:80], key_hash=key_hash, key_hint=hint)
    audit_record(actor=user, action="api_token.create", target=token, after={"name": token.name, "key_hint": hint})
    return token, raw


@transaction.atomic
def api_token_revoke(*, token: ApiToken, actor: User) -> ApiToken:
    if token.user_id != actor.pk and not actor.is_staff:
        raise PermissionDenied(_("You can only revoke your own tokens."))
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(actor=actor, action="api_token.revoke", target=token, after={"revoked_at": token.revoked_at.isoformat()})
    return token


@transaction.atomic
def hub_role_grant(*, user: User, hub: Hub, actor: User | None, role: str = HubRole.Role.MANAGER) -> HubRole:
    """Make a user a manager of a hub (staff only, or the command line)."""
    if actor is not None and not actor.is_staff:
        raise PermissionDenied(_("Only staff can appoint hub managers."))
    hub_role, _created = HubRole.objects.get_or_create(user=user, hub=hub, role=role)
    audit_record(actor=actor, action="hub_role.grant", target=hub_role, after={"user": user.pk, "hub": hub.pk, "role": role}, hub=hub)
    forget_viewer(user)
    return hub_role
