"""Every write to accounts: sign-up with consent, verification, passwords, profile, consents,
API tokens and hub roles. Sign-in and its lockout live in :mod:`puente.accounts.lockout`."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from puente.accounts.lockout import lockout_error, sign_in_failed, sign_in_locked_until
from puente.accounts.meta import NO_REQUEST, RequestMeta
from puente.accounts.models import (
    REQUIRED_CONSENTS,
    ApiToken,
    Consent,
    ConsentPurpose,
    EmailTopic,
    HubRole,
    LoginAttempt,
    User,
)
from puente.accounts.tokens import email_verification_token, password_reset_token
from puente.accounts.viewer import forget_viewer
from puente.core.audit import audit_record, snapshot
from puente.core.errors import Conflict, PermissionDenied, ValidationFailed
from puente.core.models import Hub

__all__ = ["RequestMeta"]  # re-exported: views and the API build it from the request

_PROFILE_FIELDS = ["full_name", "language", "time_zone", "home_hub_id"]
# A new confirmation or password-reset email at most this often per account, so the forms
# cannot be used to flood someone's inbox.
EMAIL_RESEND_INTERVAL = dt.timedelta(minutes=2)
MAX_ACTIVE_API_TOKENS = 20
# Primary keys are 64-bit; a larger number in a link is tampering, not a lookup.
_MAX_PK = 2**63 - 1


def _validate_password(password: str, user: User, *, field: str) -> None:
    try:
        password_validation.validate_password(password, user)
    except ValidationError as error:
        raise ValidationFailed(
            " ".join(error.messages), code="weak_password", field=field
        ) from error


def _wait_message(wait: dt.timedelta) -> str:
    seconds = max(1, math.ceil(wait.total_seconds()))
    if seconds < 60:
        return ngettext(
            "You can ask again in %(count)s second.",
            "You can ask again in %(count)s seconds.",
            seconds,
        ) % {"count": seconds}
    minutes = math.ceil(seconds / 60)
    return ngettext(
        "You can ask again in %(count)s minute.", "You can ask again in %(count)s minutes.", minutes
    ) % {"count": minutes}


# --- Sign-up and email verification ----------------------------------------------------------


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
    meta: RequestMeta = NO_REQUEST,
) -> User:
    """Create an unverified account, record its consents and send the verification email."""
    email = User.objects.normalize_email(email.strip()).lower()
    granted = set(consents)
    missing = [purpose for purpose in REQUIRED_CONSENTS if purpose not in granted]
    if missing:
        raise ValidationFailed(
            _("You must accept the privacy policy to create an account."),
            code="consent_required",
            field="consents",
        )
    unknown = granted - set(ConsentPurpose.values)
    if unknown:
        raise ValidationFailed(
            _("Unknown consent purpose."), code="invalid_consent", field="consents"
        )
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationFailed(
            _("An account with this email address already exists. Sign in or reset your password."),
            code="email_taken",
            field="email",
        )
    now = timezone.now()
    user = User(
        email=email,
        full_name=full_name.strip(),
        language=language,
        time_zone=time_zone,
        home_hub=home_hub,
        verification_sent_at=now,
    )
    _validate_password(password, user, field="password")
    user.set_password(password)
    try:
        user.full_clean(exclude=["password"])
    except ValidationError as error:
        field = next(iter(error.message_dict), None)
        raise ValidationFailed(" ".join(error.messages), code="invalid", field=field) from error
    user.save()
    Consent.objects.bulk_create(
        [
            Consent(
                user=user,
                purpose=purpose,
                policy_version=settings.PRIVACY_POLICY_VERSION,
                granted=purpose in granted,
                recorded_at=now,
                ip_address=meta.ip_address,
                user_agent=meta.user_agent[:300],
            )
            for purpose in ConsentPurpose.values
        ]
    )
    audit_record(
        actor=user,
        action="user.sign_up",
        target=user,
        after=snapshot(user, ["email", *_PROFILE_FIELDS]),
        hub=home_hub,
    )
    transaction.on_commit(lambda: _send_verification(user.pk))
    return user


def _send_verification(user_id: int) -> None:
    from puente.accounts.tasks import send_verification_email

    send_verification_email.delay(user_id)


def uid_for(user: User) -> str:
    return urlsafe_base64_encode(force_bytes(user.pk))


def verification_token(user: User) -> tuple[str, str]:
    """The (uid, token) pair of the verification link; it stops working once used."""
    return uid_for(user), email_verification_token.make_token(user)


def password_reset_link_token(user: User) -> tuple[str, str]:
    """The (uid, token) pair of a password-reset link; it stops working once the password changes."""
    return uid_for(user), password_reset_token.make_token(user)


def user_for_token(
    uidb64: str, token: str, *, generator: PasswordResetTokenGenerator = email_verification_token
) -> User | None:
    """The user an emailed link (verification by default) belongs to, if the link is valid."""
    try:
        user_id = int(force_str(urlsafe_base64_decode(uidb64)))
    except (TypeError, ValueError, OverflowError, UnicodeDecodeError):
        return None
    if not 0 < user_id <= _MAX_PK:
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
        raise ValidationFailed(
            _("This verification link is invalid or has expired. Ask for a new one."),
            code="invalid_link",
        )
    if user.email_verified_at is None:
        user.email_verified_at = timezone.now()
        user.save(update_fields=["email_verified_at"])
        audit_record(
            actor=user,
            action="user.verify_email",
            target=user,
            after={"email_verified_at": user.email_verified_at.isoformat()},
        )
        forget_viewer(user)
    return user


@transaction.atomic
def user_resend_verification(*, user: User) -> User:
    """Send a new confirmation link, at most once every two minutes per account."""
    locked = User.objects.select_for_update().get(pk=user.pk)
    if locked.email_verified_at is not None:
        raise Conflict(_("Your email address is already confirmed."), code="already_verified")
    now = timezone.now()
    if (
        locked.verification_sent_at is not None
        and now < locked.verification_sent_at + EMAIL_RESEND_INTERVAL
    ):
        wait = locked.verification_sent_at + EMAIL_RESEND_INTERVAL - now
        raise ValidationFailed(
            _("We sent you a confirmation email a moment ago; check your inbox and spam folder.")
            + " "
            + _wait_message(wait),
            code="too_soon",
        )
    locked.verification_sent_at = now
    locked.save(update_fields=["verification_sent_at"])
    user.verification_sent_at = now
    audit_record(
        actor=locked,
        action="user.resend_verification",
        target=locked,
        after={"verification_sent_at": now.isoformat()},
    )
    transaction.on_commit(lambda: _send_verification(locked.pk))
    return locked


# --- Passwords -----------------------------------------------------------------------------


@transaction.atomic
def password_reset_request(*, email: str, meta: RequestMeta = NO_REQUEST) -> None:
    """Email a password-reset link if an active account has this address.

    The caller answers the same whether or not the account exists, so nothing here tells.
    Repeated requests within two minutes send nothing new.
    """
    user = (
        User.objects.select_for_update()
        .filter(email__iexact=email.strip()[:254], is_active=True)
        .first()
    )
    if user is None or not user.has_usable_password():
        return
    now = timezone.now()
    if (
        user.password_reset_sent_at is not None
        and now < user.password_reset_sent_at + EMAIL_RESEND_INTERVAL
    ):
        return
    user.password_reset_sent_at = now
    user.save(update_fields=["password_reset_sent_at"])
    audit_record(
        actor=None,
        action="user.password_reset_request",
        target=user,
        after={"ip_address": meta.ip_address, "password_reset_sent_at": now.isoformat()},
    )
    user_id = user.pk
    transaction.on_commit(lambda: _send_password_reset(user_id))


def _send_password_reset(user_id: int) -> None:
    from puente.accounts.tasks import send_password_reset_email

    send_password_reset_email.delay(user_id)


def _send_password_changed(user_id: int, changed_at: dt.datetime) -> None:
    from puente.accounts.tasks import send_password_changed_email

    send_password_changed_email.delay(user_id, changed_at.isoformat())


def password_reset_user(*, uidb64: str, token: str) -> User | None:
    """The account a password-reset link belongs to, if the link is still valid."""
    return user_for_token(uidb64, token, generator=password_reset_token)


@transaction.atomic
def user_password_reset(
    *, uidb64: str, token: str, new_password: str, meta: RequestMeta = NO_REQUEST
) -> User:
    """Set a new password from an emailed link; the link stops working, the lockout is lifted."""
    user = password_reset_user(uidb64=uidb64, token=token)
    if user is None:
        raise ValidationFailed(
            _(
                "This password reset link is invalid, has expired or was already used. Ask for a new one."
            ),
            code="invalid_link",
        )
    _validate_password(new_password, user, field="new_password")
    now = timezone.now()
    user.set_password(new_password)
    fields = ["password"]
    after: dict[str, Any] = {"password": "changed", "ip_address": meta.ip_address}
    if user.email_verified_at is None:
        # Opening a link sent to the address proves it belongs to the user.
        user.email_verified_at = now
        fields.append("email_verified_at")
        after["email_verified_at"] = now.isoformat()
    user.save(update_fields=fields)
    LoginAttempt.objects.filter(email=user.email.lower()).delete()
    audit_record(actor=user, action="user.password_reset", target=user, after=after)
    forget_viewer(user)
    transaction.on_commit(lambda: _send_password_changed(user.pk, now))
    return user


def user_change_password(
    *, user: User, current_password: str, new_password: str, meta: RequestMeta = NO_REQUEST
) -> User:
    """Change a signed-in user's password after checking the current one.

    Wrong current passwords count as failed sign-ins (recorded outside the transaction, so
    the refusal does not roll them back): a borrowed session cannot be used to guess it.
    """
    until = sign_in_locked_until(email=user.email, ip_address=meta.ip_address)
    if until is not None:
        raise lockout_error(until)
    if not user.check_password(current_password):
        sign_in_failed(email=user.email, meta=meta)
        raise ValidationFailed(
            _("Your current password is not correct."),
            code="wrong_password",
            field="current_password",
        )
    if current_password == new_password:
        raise ValidationFailed(
            _("Choose a password different from the current one."),
            code="same_password",
            field="new_password",
        )
    _validate_password(new_password, user, field="new_password")
    now = timezone.now()
    with transaction.atomic():
        user.set_password(new_password)
        user.save(update_fields=["password"])
        audit_record(
            actor=user,
            action="user.password_change",
            target=user,
            after={"password": "changed", "ip_address": meta.ip_address},
        )
        transaction.on_commit(lambda: _send_password_changed(user.pk, now))
    return user


# --- Profile and consents ------------------------------------------------------------------


@transaction.atomic
def user_set_email_topics(*, user: User, actor: User, topics: Iterable[str]) -> User:
    """Choose which kinds of notification also come by email; the others stay in the app
    only. Essential emails (account, applications, bookings) are not affected."""
    if actor.pk != user.pk and not actor.is_staff:
        raise PermissionDenied(_("You can only change your own account."))
    wanted = set(topics)
    unknown = wanted - set(EmailTopic.values)
    if unknown:
        raise ValidationFailed(_("Unknown kind of email."), code="invalid", field="topics")
    before = {"emails_off": list(user.emails_off or [])}
    user.emails_off = [topic for topic in EmailTopic.values if topic not in wanted]
    if user.emails_off == before["emails_off"]:
        return user
    user.save(update_fields=["emails_off"])
    audit_record(
        actor=actor,
        action="user.email_topics",
        target=user,
        before=before,
        after={"emails_off": user.emails_off},
        hub=user.home_hub,
    )
    return user


def user_update_profile(
    *, user: User, actor: User, full_name: str, language: str, time_zone: str, home_hub: Hub | None
) -> User:
    """Change a user's own name, language, time zone and home hub."""
    if actor.pk != user.pk and not actor.is_staff:
        raise PermissionDenied(_("You can only change your own account."))
    before = snapshot(user, _PROFILE_FIELDS)
    original = (user.full_name, user.language, user.time_zone, user.home_hub)
    user.full_name, user.language, user.time_zone, user.home_hub = (
        full_name.strip(),
        language,
        time_zone,
        home_hub,
    )
    try:
        user.full_clean(exclude=["password"])
    except ValidationError as error:
        user.full_name, user.language, user.time_zone, user.home_hub = original
        field = next(iter(error.message_dict), None)
        raise ValidationFailed(" ".join(error.messages), code="invalid", field=field) from error
    after = snapshot(user, _PROFILE_FIELDS)
    if after == before:
        return user
    user.save(update_fields=["full_name", "language", "time_zone", "home_hub"])
    audit_record(
        actor=actor, action="user.update", target=user, before=before, after=after, hub=home_hub
    )
    forget_viewer(user)
    return user


@transaction.atomic
def consent_record(
    *, user: User, purpose: str, granted: bool, meta: RequestMeta = NO_REQUEST
) -> Consent:
    """Grant or withdraw consent for one purpose; the account purpose cannot be withdrawn here.

    Asking for the state already recorded under the current policy version records nothing new.
    """
    if purpose not in ConsentPurpose.values:
        raise ValidationFailed(
            _("Unknown consent purpose."), code="invalid_consent", field="purpose"
        )
    if purpose in REQUIRED_CONSENTS and not granted:
        raise ValidationFailed(
            _("Consent to operate your account can only be withdrawn by deleting the account."),
            code="consent_required",
            field="purpose",
        )
    latest = (
        Consent.objects.filter(user=user, purpose=purpose).order_by("-recorded_at", "-id").first()
    )
    if (
        latest is not None
        and latest.granted == granted
        and latest.policy_version == settings.PRIVACY_POLICY_VERSION
    ):
        return latest
    consent = Consent.objects.create(
        user=user,
        purpose=purpose,
        policy_version=settings.PRIVACY_POLICY_VERSION,
        granted=granted,
        ip_address=meta.ip_address,
        user_agent=meta.user_agent[:300],
    )
    audit_record(
        actor=user,
        action="consent.grant" if granted else "consent.withdraw",
        target=consent,
        before={
            "purpose": purpose,
            "granted": latest.granted if latest else None,
            "policy_version": latest.policy_version if latest else None,
        },
        after=snapshot(consent, ["purpose", "granted", "policy_version"]),
    )
    return consent


# --- API tokens ----------------------------------------------------------------------------


@transaction.atomic
def api_token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """Issue a personal API token; the secret is returned once and only its hash is kept."""
    name = name.strip()
    if not name:
        raise ValidationFailed(
            _("Give the token a name so you can recognise it later."),
            code="name_required",
            field="name",
        )
    if len(name) > 80:
        raise ValidationFailed(
            _("Use at most 80 characters for the token name."), code="name_too_long", field="name"
        )
    if not user.is_verified:
        raise PermissionDenied(
            _("Confirm your email address before creating API tokens."), code="email_not_verified"
        )
    if user.api_tokens.active().count() >= MAX_ACTIVE_API_TOKENS:
        raise ValidationFailed(
            _("You have too many active tokens; revoke one first."), code="too_many_tokens"
        )
    raw, key_hash, hint = ApiToken.new_secret()
    token = ApiToken.objects.create(user=user, name=name, key_hash=key_hash, key_hint=hint)
    audit_record(
        actor=user,
        action="api_token.create",
        target=token,
        after={"name": token.name, "key_hint": hint},
    )
    return token, raw


@transaction.atomic
def api_token_revoke(*, token: ApiToken, actor: User) -> ApiToken:
    """Revoke a token so the API refuses it from now on; revoking twice changes nothing."""
    if token.user_id != actor.pk and not actor.is_staff:
        raise PermissionDenied(_("You can only revoke your own tokens."))
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(
            actor=actor,
            action="api_token.revoke",
            target=token,
            after={"revoked_at": token.revoked_at.isoformat()},
        )
    return token


# --- Hub roles -----------------------------------------------------------------------------


@transaction.atomic
def hub_role_grant(
    *, user: User, hub: Hub, actor: User | None, role: str = HubRole.Role.MANAGER
) -> HubRole:
    """Make a user a manager of a hub (staff only, or the command line); granting twice changes nothing."""
    if actor is not None and not actor.is_staff:
        raise PermissionDenied(_("Only staff can appoint hub managers."))
    if role not in HubRole.Role.values:
        raise ValidationFailed(_("Unknown hub role."), code="invalid_role", field="role")
    hub_role, created = HubRole.objects.get_or_create(user=user, hub=hub, role=role)
    if created:
        audit_record(
            actor=actor,
            action="hub_role.grant",
            target=hub_role,
            after={"user": user.pk, "hub": hub.pk, "role": role},
            hub=hub,
        )
    forget_viewer(user)
    return hub_role


@transaction.atomic
def hub_role_revoke(*, hub_role: HubRole, actor: User | None) -> None:
    """Remove a user's role in a hub (staff only, or the command line)."""
    if actor is not None and not actor.is_staff:
        raise PermissionDenied(_("Only staff can appoint hub managers."))
    before = {"user": hub_role.user_id, "hub": hub_role.hub_id, "role": hub_role.role}
    audit_record(
        actor=actor, action="hub_role.revoke", target=hub_role, before=before, hub=hub_role.hub
    )
    hub_role.delete()
    forget_viewer(hub_role.user)
