"""Every write to spaces: bookings (one-off and recurring), decisions, check-in, release, feeds.

The no-double-booking guarantee lives in the database (migration 0002): an exclusion
constraint on PostgreSQL, triggers on SQLite. The checks here give clear answers first; the
database settles races, and its refusal becomes the same ``409 Conflict``.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from puente.accounts.models import HubRole, User
from puente.accounts.viewer import viewer_for
from puente.core.audit import audit_record, snapshot
from puente.core.errors import Conflict, PermissionDenied, ValidationFailed
from puente.core.notifications import notify
from puente.impact.services import activity_sync
from puente.spaces import selectors
from puente.spaces.models import (
    HOLDING_STATUSES,
    Booking,
    BookingSeries,
    BookingStatus,
    CalendarFeed,
    Space,
)
from puente.spaces.timeslots import Interval, Occurrence, RecurrenceError, expand, problems_for

logger = logging.getLogger(__name__)

#: Bookings not checked in this long after their start are released.
CHECK_IN_GRACE = dt.timedelta(minutes=15)
_AUDITED = [
    "space_id",
    "user_id",
    "unit",
    "starts_at",
    "ends_at",
    "status",
    "purpose",
    "attendees",
    "price",
    "currency",
    "series_id",
]


class BookingConflict(Conflict):
    """The time is taken; the answer lists the conflicting intervals."""

    default_code = "booking_conflict"

    def __init__(self, message: Any, *, conflicts: list[Interval]) -> None:
        errors = [
            {
                "field": "",
                "code": "conflict",
                "message": str(message),
                "start": item.start.isoformat(),
                "end": item.end.isoformat(),
            }
            for item in conflicts
        ]
        super().__init__(message, errors=errors)
        self.conflicts = conflicts

    def as_dict(self) -> dict[str, Any]:
        data = super().as_dict()
        data["conflicts"] = [
            {"start": item.start.isoformat(), "end": item.end.isoformat()}
            for item in self.conflicts
        ]
        return data


def problem_message(code: str, space: Space) -> str:
    """A translated sentence for a rule or recurrence problem code."""
    messages = {
        "end_before_start": _("The end must be after the start."),
        "too_short": _("Book at least %(minutes)s minutes.")
        % {"minutes": space.min_duration_minutes},
        "too_long": _("Book at most %(minutes)s minutes at a time.")
        % {"minutes": space.max_duration_minutes},
        "in_the_past": _("This time has already passed."),
        "too_far_ahead": _("This space can be booked at most %(days)s days ahead.")
        % {"days": space.max_days_ahead},
        "closed_day": _("The space is closed on this day (public holiday or closure)."),
        "outside_hours": _("The space is not open at this time."),
        "conflict": _("This time is already booked."),
        "invalid_rule": _(
            "The recurrence rule is not valid (use RFC 5545, e.g. FREQ=WEEKLY;COUNT=4)."
        ),
        "unsupported_frequency": _("Repeat daily, weekly or monthly."),
        "unbounded_rule": _("Say how often it repeats (COUNT) or until when (UNTIL)."),
        "too_many_occurrences": _("A series can have at most 100 bookings."),
        "no_occurrences": _("The rule and its exceptions leave no booking."),
        "nonexistent_time": _("This time does not exist on that day (the clocks change)."),
        "invalid_start": _("Give the start as a date and time."),
    }
    return messages.get(code, _("This time cannot be booked."))


@dataclass
class OccurrenceCheck:
    """One occurrence of a requested booking and what stands in its way."""

    occurrence: Occurrence
    problems: list[str] = field(default_factory=list)
    conflict: bool = False
    unit: int | None = None

    @property
    def ok(self) -> bool:
        return not self.problems and not self.conflict


def _local(moment: dt.datetime, space: Space) -> dt.datetime:
    """A naive wall-clock time on the space's calendar (naive input already is one)."""
    if moment.tzinfo is None:
        return moment.replace(second=0, microsecond=0)
    return moment.astimezone(space.zone).replace(tzinfo=None, second=0, microsecond=0)


def _free_unit(
    space: Space,
    taken: Iterable[tuple[int, dt.datetime, dt.datetime]],
    start: dt.datetime,
    blocked_until: dt.datetime,
) -> int | None:
    busy = {
        unit
        for unit, other_start, other_blocked in taken
        if other_start < blocked_until and start < other_blocked
    }
    for unit in range(1, space.units + 1):
        if unit not in busy:
            return unit
    return None


def booking_check(
    *,
    space: Space,
    start: dt.datetime,
    end: dt.datetime,
    rule: str = "",
    exceptions: Iterable[dt.date] = (),
    attendees: int = 1,
    now: dt.datetime | None = None,
) -> list[OccurrenceCheck]:
    """Expand a requested booking and check every occurrence against the rules and the bookings.

    ``start`` and ``end`` are wall-clock times of the space (naive) or aware moments. Raises
    ``ValidationFailed`` for input that makes no sense as a whole (bad rule, end before start).
    """
    now = now or timezone.now()
    local_start, local_end = _local(start, space), _local(end, space)
    if local_end <= local_start:
        raise ValidationFailed(
            problem_message("end_before_start", space), code="end_before_start", field="end"
        )
    if local_end - local_start > dt.timedelta(minutes=space.max_duration_minutes):
        raise ValidationFailed(problem_message("too_long", space), code="too_long", field="end")
    if attendees < 1 or attendees > space.capacity:
        raise ValidationFailed(
            _("This space holds at most %(capacity)s people.") % {"capacity": space.capacity},
            code="over_capacity",
            field="attendees",
        )
    horizon = now.astimezone(space.zone).replace(tzinfo=None) + dt.timedelta(
        days=space.max_days_ahead
    )
    try:
        occurrences = expand(
            local_start=local_start,
            duration=local_end - local_start,
            zone_name=space.time_zone,
            rule=rule,
            exceptions=exceptions,
            horizon=horizon,
        )
    except RecurrenceError as error:
        raise ValidationFailed(
            problem_message(error.code, space), code=error.code, field="rule" if rule else "start"
        ) from error
    rules = selectors.space_rules(
        space, occurrences[0].local_start.date(), occurrences[-1].local_start.date()
    )
    buffer = rules.buffer
    taken = list(
        selectors.holding_bookings(
            space, occurrences[0].start, occurrences[-1].end + buffer
        ).values_list("unit", "starts_at", "blocked_until")
    )
    checks = []
    for occurrence in occurrences:
        check = OccurrenceCheck(
            occurrence=occurrence,
            problems=[
                problem.code
                for problem in problems_for(occurrence.start, occurrence.end, rules, now=now)
            ],
        )
        check.unit = _free_unit(space, taken, occurrence.start, occurrence.end + buffer)
        check.conflict = check.unit is None
        if check.unit is not None:
            taken.append((check.unit, occurrence.start, occurrence.end + buffer))
        checks.append(check)
    return checks


def _refuse_problems(checks: list[OccurrenceCheck], space: Space) -> None:
    errors = [
        {
            "field": "start" if len(checks) == 1 else f"occurrences[{index}]",
            "code": code,
            "message": problem_message(code, space),
            "start": check.occurrence.start.isoformat(),
        }
        for index, check in enumerate(checks)
        for code in check.problems
    ]
    if errors:
        first = errors[0]
        raise ValidationFailed(first["message"], code=first["code"], errors=errors)


def _price(space: Space, start: dt.datetime, end: dt.datetime) -> Decimal:
    hours = Decimal((end - start).total_seconds()) / Decimal(3600)
    return (space.price_per_hour * hours).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _ensure_may_book(actor: User, space: Space) -> None:
    viewer = viewer_for(actor)
    if not viewer.is_authenticated:
        raise PermissionDenied(_("Sign in to book a space."))
    if not viewer.is_verified and not viewer.manages_any([space.hub_id]):
        raise PermissionDenied(
            _("Confirm your email address before booking."), code="email_not_verified"
        )
    if not selectors.may_book(viewer, space):
        raise PermissionDenied(
            _("This space is open to members of other hubs only."), code="not_allowed_here"
        )


def _insert(booking: Booking, space: Space) -> bool:
    """Insert one booking; False when the database refuses it as overlapping."""
    try:
        with transaction.atomic():
            booking.save()
    except IntegrityError:
        # A concurrent booking committed between the check and this insert.
        logger.info(
            "booking_refused_by_database space=%s unit=%s start=%s",
            space.pk,
            booking.unit,
            booking.starts_at.isoformat(),
        )
        booking.pk = None
        return False
    return True


@transaction.atomic
def booking_create(
    *,
    space: Space,
    actor: User,
    start: dt.datetime,
    end: dt.datetime,
    rule: str = "",
    exceptions: Iterable[dt.date] = (),
    purpose: str = "",
    attendees: int = 1,
    now: dt.datetime | None = None,
) -> list[Booking]:
    """Book a space once or as a series: every occurrence or none (409 lists the conflicts)."""
    _ensure_may_book(actor, space)
    exceptions = list(exceptions)
    checks = booking_check(
        space=space,
        start=start,
        end=end,
        rule=rule,
        exceptions=exceptions,
        attendees=attendees,
        now=now,
    )
    _refuse_problems(checks, space)
    conflicts = [
        Interval(check.occurrence.start, check.occurrence.end) for check in checks if check.conflict
    ]
    if conflicts:
        raise BookingConflict(_("This time is already booked."), conflicts=conflicts)
    manages = viewer_for(actor).manages_any([space.hub_id])
    status = (
        BookingStatus.TENTATIVE
        if (space.requires_approval or space.requires_induction) and not manages
        else BookingStatus.APPROVED
    )
    series = (
        BookingSeries.objects.create(
            space=space,
            user=actor,
            rule=rule.strip()[:300],
            exceptions=[day.isoformat() for day in exceptions],
        )
        if rule
        else None
    )
    buffer = dt.timedelta(minutes=space.buffer_minutes)
    bookings = []
    for check in checks:
        occurrence = check.occurrence
        booking = Booking(
            space=space,
            user=actor,
            series=series,
            unit=check.unit or 1,
            starts_at=occurrence.start,
            ends_at=occurrence.end,
            blocked_until=occurrence.end + buffer,
            status=status,
            purpose=purpose.strip()[:200],
            attendees=attendees,
            price=_price(space, occurrence.start, occurrence.end),
            currency=space.currency,
        )
        if not _insert(booking, space) and not _retry_other_unit(booking, space):
            # Someone else took the time between the check and the insert.
            raise BookingConflict(
                _("This time is already booked."),
                conflicts=[Interval(occurrence.start, occurrence.end)],
            )
        audit_record(
            actor=actor,
            action="booking.create",
            target=booking,
            after=snapshot(booking, _AUDITED),
            hub=space.hub,
        )
        bookings.append(booking)
    activity_sync(sources=bookings)
    if status == BookingStatus.TENTATIVE:
        _notify_managers(bookings[0], len(bookings))
    return bookings


def _retry_other_unit(booking: Booking, space: Space) -> bool:
    """Shared desks: a concurrent booking took the chosen desk; try the ones still free."""
    for _attempt in range(space.units - 1):
        taken = selectors.holding_bookings(
            space, booking.starts_at, booking.blocked_until
        ).values_list("unit", "starts_at", "blocked_until")
        unit = _free_unit(space, taken, booking.starts_at, booking.blocked_until)
        if unit is None:
            return False
        booking.unit = unit
        if _insert(booking, space):
            return True
    return False


def when_text(booking: Booking) -> str:
    """A language-neutral description of when, on the space's clock (for notification params)."""
    local = booking.starts_at.astimezone(booking.space.zone)
    return f"{local:%Y-%m-%d %H:%M} ({booking.space.time_zone})"


def _notify_managers(booking: Booking, count: int) -> None:
    managers = User.objects.filter(
        hub_roles__hub_id=booking.space.hub_id, hub_roles__role=HubRole.Role.MANAGER, is_active=True
    ).distinct()
    params = {
        "user": booking.user.full_name or booking.user.email,
        "space": booking.space.name,
        "when": when_text(booking),
        "count": count,
    }
    notify(
        users=list(managers),
        kind="spaces.booking_requested",
        params=params,
        url=reverse("spaces:approvals"),
        email_template="spaces/email/booking_requested",
        email_context=params,
    )


def _ensure_manages(actor: User, booking: Booking) -> None:
    if not viewer_for(actor).manages_any([booking.space.hub_id]):
        raise PermissionDenied(_("Only managers of the space's hub can decide bookings."))


@transaction.atomic
def booking_decide(
    *, booking: Booking, actor: User, approve: bool, note: str = ""
) -> list[Booking]:
    """Approve or reject a tentative booking (and the tentative rest of its series)."""
    _ensure_manages(actor, booking)
    if booking.status != BookingStatus.TENTATIVE:
        raise ValidationFailed(
            _("This booking is not waiting for a decision."), code="not_tentative"
        )
    group = Booking.objects.select_for_update().filter(status=BookingStatus.TENTATIVE)
    group = (
        group.filter(series=booking.series) if booking.series_id else group.filter(pk=booking.pk)
    )
    decided = []
    now = timezone.now()
    for item in group.select_related("space", "space__hub", "user"):
        before = snapshot(item, ["status", "decision_note"])
        item.status = BookingStatus.APPROVED if approve else BookingStatus.REJECTED
        item.decided_at = now
        item.decided_by = actor
        item.decision_note = note.strip()[:500]
        item.save(update_fields=["status", "decided_at", "decided_by", "decision_note"])
        audit_record(
            actor=actor,
            action="booking.approve" if approve else "booking.reject",
            target=item,
            before=before,
            after=snapshot(item, ["status", "decision_note"]),
            hub=item.space.hub,
        )
        decided.append(item)
    activity_sync(sources=decided)
    first = next((item for item in decided if item.pk == booking.pk), decided[0])
    params = {"space": first.space.name, "when": when_text(first), "note": first.decision_note}
    notify(
        users=[first.user],
        kind="spaces.booking_approved" if approve else "spaces.booking_rejected",
        params=params,
        url=reverse("spaces:my_bookings"),
        email_template="spaces/email/booking_decided",
        email_context={**params, "approved": approve, "booking_id": first.pk},
    )
    booking.refresh_from_db()
    return decided


@transaction.atomic
def booking_cancel(*, booking: Booking, actor: User, now: dt.datetime | None = None) -> Booking:
    """Cancel a booking: its owner until it starts, a manager of its hub at any time."""
    now = now or timezone.now()
    viewer = viewer_for(actor)
    manages = viewer.manages_any([booking.space.hub_id])
    if booking.user_id != actor.pk and not manages:
        raise PermissionDenied(_("You cannot cancel this booking."))
    if booking.status not in HOLDING_STATUSES:
        raise ValidationFailed(_("This booking is no longer active."), code="not_active")
    if booking.starts_at <= now and not manages:
        raise ValidationFailed(
            _("A booking that has started cannot be cancelled; ask the hub team."),
            code="already_started",
        )
    before = snapshot(booking, ["status"])
    booking.status = BookingStatus.CANCELLED
    booking.cancelled_at = now
    booking.save(update_fields=["status", "cancelled_at"])
    activity_sync(sources=[booking])
    audit_record(
        actor=actor,
        action="booking.cancel",
        target=booking,
        before=before,
        after=snapshot(booking, ["status"]),
        hub=booking.space.hub,
    )
    return booking


@transaction.atomic
def booking_check_in(*, booking: Booking, actor: User, now: dt.datetime | None = None) -> Booking:
    """The booker says they arrived: from 15 minutes before the start until the end."""
    now = now or timezone.now()
    if booking.user_id != actor.pk and not viewer_for(actor).manages_any([booking.space.hub_id]):
        raise PermissionDenied(_("You cannot check in to this booking."))
    if booking.status != BookingStatus.APPROVED:
        raise ValidationFailed(
            _("Only confirmed bookings can be checked in."), code="not_confirmed"
        )
    if not (booking.starts_at - CHECK_IN_GRACE <= now < booking.ends_at):
        raise ValidationFailed(
            _("Check in between 15 minutes before the start and the end."), code="not_now"
        )
    if booking.checked_in_at is None:
        booking.checked_in_at = now
        booking.save(update_fields=["checked_in_at"])
        audit_record(
            actor=actor,
            action="booking.check_in",
            target=booking,
            after={"checked_in_at": now},
            hub=booking.space.hub,
        )
    return booking


@transaction.atomic
def bookings_release_unchecked(*, now: dt.datetime | None = None) -> int:
    """Release confirmed bookings nobody checked in to within 15 minutes of the start (a job;
    running it twice releases nothing more)."""
    now = now or timezone.now()
    due = list(
        Booking.objects.select_for_update()
        .filter(
            status=BookingStatus.APPROVED,
            checked_in_at__isnull=True,
            starts_at__lte=now - CHECK_IN_GRACE,
            ends_at__gt=now - dt.timedelta(days=1),
        )
        .select_related("space", "space__hub", "user")
    )
    for booking in due:
        booking.status = BookingStatus.RELEASED
        booking.save(update_fields=["status"])
        activity_sync(sources=[booking])
        audit_record(
            actor=None,
            action="booking.release",
            target=booking,
            before={"status": BookingStatus.APPROVED},
            after={"status": booking.status},
            hub=booking.space.hub,
        )
        notify(
            users=[booking.user],
            kind="spaces.booking_released",
            params={"space": booking.space.name, "when": when_text(booking)},
            url=reverse("spaces:my_bookings"),
        )
    return len(due)


# --- Calendar feeds ----------------------------------------------------------------------------


@transaction.atomic
def calendar_feed_create(*, actor: User, space: Space | None = None) -> tuple[CalendarFeed, str]:
    """A new secret feed address for the actor's calendar (or a space's, for its hub managers)."""
    if space is not None and not viewer_for(actor).manages_any([space.hub_id]):
        raise PermissionDenied(_("Only managers of the space's hub can publish its calendar."))
    raw, token_hash = CalendarFeed.new_secret()
    feed = CalendarFeed.objects.create(user=actor, space=space, token_hash=token_hash)
    audit_record(
        actor=actor,
        action="calendar_feed.create",
        target=feed,
        after={"space_id": space.pk if space else None},
    )
    return feed, raw


@transaction.atomic
def calendar_feed_revoke(*, feed: CalendarFeed, actor: User) -> CalendarFeed:
    if feed.user_id != actor.pk:
        raise PermissionDenied(_("You cannot revoke this calendar address."))
    if feed.revoked_at is None:
        feed.revoked_at = timezone.now()
        feed.save(update_fields=["revoked_at"])
        audit_record(
            actor=actor,
            action="calendar_feed.revoke",
            target=feed,
            after={"revoked_at": feed.revoked_at},
        )
    return feed
