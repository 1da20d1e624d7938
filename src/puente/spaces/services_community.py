"""Every write to community events and mentor office hours."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Mapping
from typing import Any

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from puente.accounts.models import User
from puente.accounts.viewer import viewer_for
from puente.core.audit import audit_record, snapshot
from puente.core.errors import Conflict, PermissionDenied, ValidationFailed
from puente.core.notifications import notify
from puente.impact.services import activity_sync
from puente.spaces import selectors
from puente.spaces.models import (
    CommunityEvent,
    EventRegistration,
    MentorSession,
    OfficeHours,
    RegistrationStatus,
    SessionStatus,
)
from puente.spaces.timeslots.recurrence import RecurrenceError, expand_between

#: How far ahead founders may book office hours.
OFFICE_HOURS_AHEAD = dt.timedelta(days=60)

# --- Community events --------------------------------------------------------------------------


@transaction.atomic
def event_register(*, event: CommunityEvent, actor: User) -> EventRegistration:
    """Take a place at an event, or a place on its waiting list when it is full."""
    if not actor.is_verified:
        raise PermissionDenied(
            _("Confirm your email address before registering."), code="email_not_verified"
        )
    # Lock the event so two last-place registrations cannot both get in.
    event = CommunityEvent.objects.select_for_update().get(pk=event.pk)
    if event.ends_at <= timezone.now():
        raise ValidationFailed(_("This event is over."), code="event_over")
    registration = EventRegistration.objects.filter(event=event, user=actor).first()
    if registration is not None and registration.status != RegistrationStatus.CANCELLED:
        raise ValidationFailed(_("You are already registered."), code="already_registered")
    taken = EventRegistration.objects.filter(
        event=event, status=RegistrationStatus.REGISTERED
    ).count()
    status = (
        RegistrationStatus.REGISTERED if taken < event.capacity else RegistrationStatus.WAITLISTED
    )
    if registration is None:
        registration = EventRegistration.objects.create(event=event, user=actor, status=status)
    else:
        registration.status = status
        registration.created_at = timezone.now()
        registration.save(update_fields=["status", "created_at"])
    audit_record(
        actor=actor,
        action="event.register",
        target=registration,
        after={"status": status},
        hub=event.hub,
    )
    return registration


@transaction.atomic
def event_registration_cancel(*, registration: EventRegistration, actor: User) -> EventRegistration:
    """Give up a place (or a waiting-list position); the first person waiting gets the place."""
    event = (
        CommunityEvent.objects.select_for_update()
        .select_related("hub")
        .get(pk=registration.event_id)
    )
    if registration.user_id != actor.pk and not viewer_for(actor).manages_any([event.hub_id]):
        raise PermissionDenied(_("You cannot cancel this registration."))
    if registration.status == RegistrationStatus.CANCELLED:
        return registration
    had_place = registration.status == RegistrationStatus.REGISTERED
    registration.status = RegistrationStatus.CANCELLED
    registration.save(update_fields=["status"])
    activity_sync(sources=[event])
    audit_record(
        actor=actor,
        action="event.cancel_registration",
        target=registration,
        after={"status": registration.status},
        hub=event.hub,
    )
    if had_place:
        waiting = (
            EventRegistration.objects.filter(event=event, status=RegistrationStatus.WAITLISTED)
            .select_related("user")
            .order_by("created_at", "id")
            .first()
        )
        if waiting is not None:
            waiting.status = RegistrationStatus.REGISTERED
            waiting.save(update_fields=["status"])
            audit_record(
                actor=None,
                action="event.promote",
                target=waiting,
                after={"status": waiting.status},
                hub=event.hub,
            )
            notify(
                users=[waiting.user],
                kind="spaces.event_promoted",
                params={"event": event.title},
                url=reverse("spaces:event", kwargs={"slug": event.slug}),
            )
    return registration


@transaction.atomic
def event_check_in(*, registration: EventRegistration, actor: User) -> EventRegistration:
    """A hub manager records that a registered person attended."""
    event = registration.event
    if not viewer_for(actor).manages_any(
        [event.hub_id, *event.joint_hubs.values_list("pk", flat=True)]
    ):
        raise PermissionDenied(_("Only the event's hub managers record attendance."))
    if registration.status != RegistrationStatus.REGISTERED:
        raise ValidationFailed(
            _("Only registered people can be checked in."), code="not_registered"
        )
    if registration.checked_in_at is None:
        registration.checked_in_at = timezone.now()
        registration.save(update_fields=["checked_in_at"])
        activity_sync(sources=[event])
        audit_record(
            actor=actor,
            action="event.check_in",
            target=registration,
            after={"checked_in_at": registration.checked_in_at},
            hub=event.hub,
        )
    return registration


def events_due_for_reminder(*, now: dt.datetime | None = None) -> list[int]:
    now = now or timezone.now()
    return list(
        CommunityEvent.objects.filter(
            is_published=True,
            reminder_sent_at__isnull=True,
            starts_at__gt=now,
            starts_at__lte=now + dt.timedelta(hours=24),
        ).values_list("pk", flat=True)
    )


@transaction.atomic
def event_mark_reminded(*, event_id: int) -> bool:
    """Record the reminder; False when another run already sent it (safe to run twice)."""
    return bool(
        CommunityEvent.objects.filter(pk=event_id, reminder_sent_at__isnull=True).update(
            reminder_sent_at=timezone.now()
        )
    )


# --- Mentor office hours -----------------------------------------------------------------------


def is_mentor(user: User) -> bool:
    person = getattr(user, "person", None) if user.is_authenticated else None
    return bool(person is not None and person.is_mentor)


OFFICE_HOURS_FIELDS = (
    "hub",
    "time_zone",
    "rule",
    "first_day",
    "starts",
    "ends",
    "slot_minutes",
    "weekly_cap",
    "location",
)


@transaction.atomic
def office_hours_publish(*, mentor: User, values: Mapping[str, Any]) -> OfficeHours:
    """A mentor publishes recurring availability (e.g. Tuesdays 15:00-17:00 in 30-minute slots)."""
    if not is_mentor(mentor):
        raise PermissionDenied(
            _("Only mentors of the directory publish office hours."), code="not_a_mentor"
        )
    office_hours = OfficeHours(
        mentor=mentor, **{name: values[name] for name in OFFICE_HOURS_FIELDS if name in values}
    )
    if office_hours.starts >= office_hours.ends:
        raise ValidationFailed(
            _("The end must be after the start."), code="end_before_start", field="ends"
        )
    try:
        expand_between(
            rule=office_hours.rule,
            local_start=dt.datetime.combine(office_hours.first_day, office_hours.starts),
            window_start=dt.datetime.combine(office_hours.first_day, office_hours.starts),
            window_end=dt.datetime.combine(office_hours.first_day, office_hours.starts)
            + dt.timedelta(days=1),
        )
    except RecurrenceError as error:
        raise ValidationFailed(
            _("The recurrence rule is not valid (use RFC 5545, e.g. FREQ=WEEKLY;BYDAY=TU)."),
            code=error.code,
            field="rule",
        ) from error
    office_hours.save()
    audit_record(
        actor=mentor,
        action="office_hours.publish",
        target=office_hours,
        after=snapshot(
            office_hours,
            ["hub_id", "rule", "first_day", "starts", "ends", "slot_minutes", "weekly_cap"],
        ),
        hub=office_hours.hub,
    )
    return office_hours


@transaction.atomic
def office_hours_withdraw(*, office_hours: OfficeHours, actor: User) -> OfficeHours:
    if office_hours.mentor_id != actor.pk:
        raise PermissionDenied(_("Only the mentor can withdraw these office hours."))
    office_hours.is_active = False
    office_hours.save(update_fields=["is_active"])
    audit_record(
        actor=actor,
        action="office_hours.withdraw",
        target=office_hours,
        after={"is_active": False},
        hub=office_hours.hub,
    )
    return office_hours


def _week_bounds(moment: dt.datetime, zone_name: str) -> tuple[dt.datetime, dt.datetime]:
    zone = zoneinfo.ZoneInfo(zone_name)
    local = moment.astimezone(zone)
    monday = (local - dt.timedelta(days=local.weekday())).date()
    start = dt.datetime.combine(monday, dt.time(0), zone)
    return start.astimezone(dt.UTC), dt.datetime.combine(
        monday + dt.timedelta(days=7), dt.time(0), zone
    ).astimezone(dt.UTC)


@transaction.atomic
def session_book(
    *,
    office_hours: OfficeHours,
    founder: User,
    starts_at: dt.datetime,
    topic: str,
    now: dt.datetime | None = None,
) -> MentorSession:
    """A founder books one free slot of a mentor's office hours, within the mentor's weekly cap."""
    now = now or timezone.now()
    if not founder.is_verified:
        raise PermissionDenied(
            _("Confirm your email address before booking office hours."), code="email_not_verified"
        )
    if founder.pk == office_hours.mentor_id:
        raise ValidationFailed(_("You cannot book your own office hours."), code="own_office_hours")
    topic = topic.strip()
    if not topic:
        raise ValidationFailed(
            _("Say what you would like to talk about."), code="topic_required", field="topic"
        )
    # One booking at a time per mentor: the weekly cap is counted under this lock.
    office_hours = (
        OfficeHours.objects.select_for_update()
        .select_related("mentor", "hub")
        .get(pk=office_hours.pk)
    )
    if not office_hours.is_active:
        raise ValidationFailed(_("These office hours are no longer offered."), code="withdrawn")
    if starts_at <= now or starts_at > now + OFFICE_HOURS_AHEAD:
        raise ValidationFailed(
            _("Choose a slot in the next 60 days."), code="slot_out_of_range", field="starts_at"
        )
    slot = next(
        (
            item
            for item in selectors.office_hour_slots(
                office_hours, starts_at, starts_at + dt.timedelta(days=1)
            )
            if item.start == starts_at
        ),
        None,
    )
    if slot is None:
        raise ValidationFailed(
            _("This is not one of the mentor's slots."), code="not_a_slot", field="starts_at"
        )
    week_start, week_end = _week_bounds(starts_at, office_hours.time_zone)
    booked = (
        MentorSession.objects.filter(
            mentor_id=office_hours.mentor_id, starts_at__gte=week_start, starts_at__lt=week_end
        )
        .exclude(status=SessionStatus.CANCELLED)
        .count()
    )
    if booked >= office_hours.weekly_cap:
        raise Conflict(
            _("The mentor's sessions for that week are all taken."), code="weekly_cap_reached"
        )
    session = MentorSession(
        office_hours=office_hours,
        mentor=office_hours.mentor,
        founder=founder,
        starts_at=slot.start,
        ends_at=slot.end,
        topic=topic[:300],
    )
    try:
        with transaction.atomic():
            session.save()
    except IntegrityError as error:
        raise Conflict(_("Someone else just booked this slot."), code="slot_taken") from error
    audit_record(
        actor=founder,
        action="office_hours.book",
        target=session,
        after=snapshot(session, ["mentor_id", "founder_id", "starts_at", "topic"]),
        hub=office_hours.hub,
    )
    when = f"{slot.start.astimezone(zoneinfo.ZoneInfo(office_hours.time_zone)):%Y-%m-%d %H:%M} ({office_hours.time_zone})"
    url = reverse("spaces:sessions")
    notify(
        users=[office_hours.mentor],
        kind="spaces.session_booked",
        params={
            "founder": founder.full_name or founder.email,
            "when": when,
            "topic": session.topic,
        },
        url=url,
        email_template="spaces/email/session_booked",
        email_context={
            "when": when,
            "topic": session.topic,
            "other": founder.full_name,
            "session_id": session.pk,
        },
    )
    notify(
        users=[founder],
        kind="spaces.session_confirmed",
        params={"mentor": office_hours.mentor.full_name, "when": when},
        url=url,
        email_template="spaces/email/session_booked",
        email_context={
            "when": when,
            "topic": session.topic,
            "other": office_hours.mentor.full_name,
            "session_id": session.pk,
        },
    )
    return session


@transaction.atomic
def session_cancel(*, session: MentorSession, actor: User) -> MentorSession:
    if actor.pk not in (session.mentor_id, session.founder_id):
        raise PermissionDenied(_("You cannot cancel this session."))
    if session.status != SessionStatus.BOOKED:
        raise ValidationFailed(_("Only booked sessions can be cancelled."), code="not_booked")
    session.status = SessionStatus.CANCELLED
    session.save(update_fields=["status"])
    activity_sync(sources=[session])
    audit_record(
        actor=actor, action="office_hours.cancel", target=session, after={"status": session.status}
    )
    other = session.founder if actor.pk == session.mentor_id else session.mentor
    when = f"{session.starts_at.astimezone(zoneinfo.ZoneInfo(session.office_hours.time_zone)):%Y-%m-%d %H:%M} ({session.office_hours.time_zone})"
    notify(
        users=[other],
        kind="spaces.session_cancelled",
        params={"when": when},
        url=reverse("spaces:sessions"),
    )
    return session


@transaction.atomic
def session_record(
    *,
    session: MentorSession,
    actor: User,
    values: Mapping[str, Any],
    now: dt.datetime | None = None,
) -> MentorSession:
    """After a session: the mentor marks it held or a no-show; either writes the shared private
    notes; the founder rates it."""
    now = now or timezone.now()
    if actor.pk not in (session.mentor_id, session.founder_id):
        raise PermissionDenied(_("Only the mentor and the founder can record this session."))
    before = snapshot(session, ["status", "rating", "feedback"])
    changed: list[str] = []
    outcome = values.get("outcome") or ""
    if outcome:
        if actor.pk != session.mentor_id:
            raise PermissionDenied(_("Only the mentor records whether the session took place."))
        if session.starts_at > now:
            raise ValidationFailed(_("The session has not started yet."), code="not_started")
        if session.status == SessionStatus.CANCELLED:
            raise ValidationFailed(_("This session was cancelled."), code="cancelled")
        session.status = (
            SessionStatus.COMPLETED if outcome == "completed" else SessionStatus.NO_SHOW
        )
        changed.append("status")
    if "notes" in values and values["notes"] is not None:
        session.notes = str(values["notes"])[:5000]
        changed.append("notes")
    if values.get("rating"):
        if actor.pk != session.founder_id:
            raise PermissionDenied(_("Only the founder rates the session."))
        if session.starts_at > now:
            raise ValidationFailed(_("Rate the session after it took place."), code="not_started")
        session.rating = int(values["rating"])
        session.feedback = str(values.get("feedback") or "")[:500]
        changed += ["rating", "feedback"]
    if changed:
        session.save(update_fields=changed)
        activity_sync(sources=[session])
        audit_record(
            actor=actor,
            action="office_hours.record",
            target=session,
            before=before,
            after=snapshot(session, ["status", "rating", "feedback"]),
        )
    return session
