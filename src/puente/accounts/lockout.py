"""Sign-in with lockout: failed attempts are counted by address and by IP; while locked even the
right password is refused, with a message saying when to try again. Old attempts are purged."""

from __future__ import annotations

import datetime as dt
import math

from django.conf import settings
from django.db.models import QuerySet
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from puente.accounts.meta import RequestMeta
from puente.accounts.models import LoginAttempt, User
from puente.core.errors import PermissionDenied, ValidationFailed


def lockout_span() -> dt.timedelta:
    """How far back failed sign-ins count (and how long a lockout lasts at most)."""
    return dt.timedelta(
        seconds=max(settings.LOGIN_LOCKOUT_SECONDS, settings.LOGIN_LOCKOUT_WINDOW_SECONDS)
    )


def _locked_until(
    attempts: QuerySet[LoginAttempt], limit: int, span: dt.timedelta
) -> dt.datetime | None:
    # With `limit` failures inside the span the lock lasts until the oldest of the latest
    # `limit` failures leaves the span: then fewer than `limit` failures count.
    times = list(attempts.order_by("-at").values_list("at", flat=True)[:limit])
    if len(times) < limit:
        return None
    return times[-1] + span


def sign_in_locked_until(*, email: str, ip_address: str | None) -> dt.datetime | None:
    """When sign-in for this address (or from this IP) unlocks, or None when it is not locked."""
    span = lockout_span()
    recent = LoginAttempt.objects.filter(at__gt=timezone.now() - span)
    until = _locked_until(
        recent.filter(email=email.strip().lower()[:254]), settings.LOGIN_LOCKOUT_ATTEMPTS, span
    )
    if ip_address:
        # An address guessing many accounts is locked too, with a wider allowance.
        by_ip = _locked_until(
            recent.filter(ip_address=ip_address), settings.LOGIN_LOCKOUT_ATTEMPTS * 4, span
        )
        if by_ip is not None and (until is None or by_ip > until):
            until = by_ip
    return until


def sign_in_locked(*, email: str, ip_address: str | None) -> bool:
    """Whether sign-in for this address (or from this IP) is locked after repeated failures."""
    return sign_in_locked_until(email=email, ip_address=ip_address) is not None


def lockout_error(until: dt.datetime) -> PermissionDenied:
    """The refusal shown while locked out, saying when to try again (in the viewer's time zone)."""
    minutes = max(1, math.ceil((until - timezone.now()).total_seconds() / 60))
    at = formats.time_format(timezone.localtime(until), "TIME_FORMAT")
    message = ngettext(
        "Too many failed sign-in attempts. Try again in %(minutes)s minute (at %(time)s) or reset your password.",
        "Too many failed sign-in attempts. Try again in %(minutes)s minutes (at %(time)s) or reset your password.",
        minutes,
    ) % {"minutes": minutes, "time": at}
    return PermissionDenied(message, code="locked_out")


def sign_in_failed(*, email: str, meta: RequestMeta) -> None:
    LoginAttempt.objects.create(email=email.strip().lower()[:254], ip_address=meta.ip_address)


def sign_in_succeeded(*, user: User) -> None:
    """A successful sign-in starts the count of failures for this account afresh."""
    LoginAttempt.objects.filter(email=user.email.lower()).delete()


def authenticate_with_lockout(*, email: str, password: str, meta: RequestMeta) -> User:
    """Check credentials, refusing while the account or address is locked out — even the right password."""
    from django.contrib.auth import authenticate

    until = sign_in_locked_until(email=email, ip_address=meta.ip_address)
    if until is not None:
        raise lockout_error(until)
    user = authenticate(username=email, password=password)
    if user is None:
        sign_in_failed(email=email, meta=meta)
        until = sign_in_locked_until(email=email, ip_address=meta.ip_address)
        if until is not None:
            raise lockout_error(until)
        raise ValidationFailed(
            _("The email address or password is not correct."), code="invalid_credentials"
        )
    sign_in_succeeded(user=user)
    assert isinstance(user, User)
    return user


def login_attempts_purge(*, now: dt.datetime | None = None) -> int:
    """Delete failed sign-ins too old to count towards any lockout; returns how many."""
    cutoff = (now or timezone.now()) - lockout_span()
    deleted, _by_model = LoginAttempt.objects.filter(at__lte=cutoff).delete()
    return deleted
