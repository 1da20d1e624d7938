"""Every write to brokerage events: events and sessions, registration, meeting requests and
their answers. Scheduling, manual adjustments and publishing live in ``services_schedule``."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from puente.accounts.models import EmailTopic, User
from puente.accounts.viewer import viewer_for
from puente.core.audit import audit_record, snapshot
from puente.core.errors import Conflict, PermissionDenied, ValidationFailed
from puente.core.notifications import notify
from puente.directory.models import Organization, OrganizationMembership
from puente.events.models import (
    Event,
    EventSession,
    EventStatus,
    Meeting,
    MeetingCancellation,
    MeetingRequest,
    Participant,
    ParticipantStatus,
    RequestStatus,
    Slot,
    either_side,
)
from puente.events.slots import session_slots
from puente.impact.services import activity_sync, retract_activity
from puente.marketplace.models import Opportunity

EVENT_FIELDS = [
    "title",
    "description",
    "language",
    "hub_id",
    "time_zone",
    "format",
    "venue",
    "online_url",
    "room_links",
    "start_date",
    "end_date",
    "slot_minutes",
    "changeover_minutes",
    "tables",
    "registration_closes_at",
    "requests_close_at",
    "request_expiry_hours",
    "max_requests_per_participant",
    "max_meetings_per_participant",
    "fairness",
    "visibility",
    "status",
]
_EDITABLE = [name.removesuffix("_id") if name == "hub_id" else name for name in EVENT_FIELDS]
#: Addresses under /events/ that are pages, not events.
RESERVED_SLUGS = {"new", "requests"}
_REQUEST_STATE = ["status", "answered_at", "answer_message"]
#: Fields whose change re-cuts the slots of every session.
_SLOT_SHAPE = {"slot_minutes", "changeover_minutes", "time_zone"}


# --- permissions ---------------------------------------------------------------------------
def can_organize(user: Any, event: Event) -> bool:
    """Organizers are the managers of the event's hubs (and staff)."""
    return viewer_for(user).manages_any(event.hub_ids())


def require_organizer(user: Any, event: Event) -> None:
    if not can_organize(user, event):
        raise PermissionDenied(_("Only the managers of the event's hubs can organize it."))


def require_no_run(event: Event) -> None:
    """Changes to the schedule's inputs wait for a scheduler run to finish (it would
    overwrite them when it applies its schedule)."""
    from puente.events.selectors import active_run

    if active_run(event) is not None:
        raise Conflict(
            _("The scheduler is running for this event: wait for it to finish."),
            code="run_active",
        )


def acts_for(user: Any, participant: Participant) -> bool:
    """Whether the user speaks for a participant: who registered it or a member of its
    organization."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if participant.user_id == user.pk:
        return True
    return (
        participant.organization_id is not None
        and participant.organization_id in viewer_for(user).organization_ids
    )


def speakers_of(participants: Iterable[Participant]) -> dict[int, list[User]]:
    """Everyone who speaks for each participant (by id): who registered it, then the
    members of its organization."""
    participants = list(participants)
    members: dict[int, list[User]] = {}
    organization_ids = {p.organization_id for p in participants if p.organization_id}
    if organization_ids:
        for membership in OrganizationMembership.objects.filter(
            organization_id__in=organization_ids
        ).select_related("user"):
            members.setdefault(membership.organization_id, []).append(membership.user)
    speakers: dict[int, list[User]] = {}
    for participant in participants:
        people = {participant.user_id: participant.user}
        if participant.organization_id is not None:
            for user in members.get(participant.organization_id, []):
                people.setdefault(user.pk, user)
        speakers[participant.pk] = list(people.values())
    return speakers


def participant_users(participants: Iterable[Participant]) -> list[User]:
    """Everyone who speaks for these participants: who registered them and their members."""
    users: dict[int, User] = {}
    for people in speakers_of(participants).values():
        for user in people:
            users.setdefault(user.pk, user)
    return list(users.values())


def cancel_in_calendars(meetings: Iterable[Meeting]) -> None:
    """Before meetings of a published event are deleted, those that had a place in the
    schedule leave a cancellation, so the participants' calendar files drop them."""
    MeetingCancellation.objects.bulk_create(
        MeetingCancellation(
            event_id=meeting.event_id,
            first_id=meeting.first_id,
            second_id=meeting.second_id,
            slot_id=slot_id,
            uid=meeting.uid,
            sequence=meeting.sequence + 1,
        )
        for meeting in meetings
        if meeting.event.published_at is not None
        and (slot_id := meeting.slot_id or meeting.last_slot_id) is not None
    )


def claim_once(record: Participant | MeetingRequest, field: str, now: dt.datetime) -> bool:
    """Stamp ``field`` (a "done once" time of the record) if nobody has: True for the job
    that did, so two overlapping runs of a periodic job never send the same thing."""
    return bool(
        type(record)
        .objects.filter(pk=record.pk, **{f"{field}__isnull": True})
        .update(**{field: now})
    )


def _event_path(event: Event, name: str = "events:detail") -> str:
    return reverse(name, kwargs={"slug": event.slug})


# --- events and sessions -------------------------------------------------------------------
def _unique_slug(title: str) -> str:
    base = slugify(title)[:120] or "event"
    if base in RESERVED_SLUGS:
        base = f"{base}-event"
    slug, counter = base, 2
    while Event.objects.filter(slug=slug).exists():
        slug = f"{base}-{counter}"
        counter += 1
    return slug


def _check_event_values(values: dict[str, Any]) -> None:
    if values["end_date"] < values["start_date"]:
        raise ValidationFailed(
            _("The last day cannot come before the first day."), code="bad_dates", field="end_date"
        )
    closes, requests_close = values.get("registration_closes_at"), values.get("requests_close_at")
    if closes and requests_close and requests_close < closes:
        raise ValidationFailed(
            _("Meeting requests cannot close before registration closes."),
            code="bad_window",
            field="requests_close_at",
        )


@transaction.atomic
def event_create(*, actor: User, values: dict[str, Any]) -> Event:
    """A hub manager creates a brokerage event (as a draft) for their hub."""
    hub = values["hub"]
    if not viewer_for(actor).manages_any({hub.pk}):
        raise PermissionDenied(_("Only the managers of a hub can create events for it."))
    _check_event_values(values)
    other_hubs = list(values.get("other_hubs") or [])
    fields = {name: values[name] for name in _EDITABLE if name in values and name != "status"}
    event = Event.objects.create(slug=_unique_slug(values["title"]), organizer=actor, **fields)
    event.other_hubs.set([h for h in other_hubs if h.pk != hub.pk])
    audit_record(
        actor=actor,
        action="event.create",
        target=event,
        after=snapshot(event, [*EVENT_FIELDS, "other_hubs"]),
        hub=hub,
    )
    return event


@transaction.atomic
def event_copy(*, event: Event, actor: User, title: str, start_date: dt.date) -> Event:
    """The next edition: a draft with the event's settings, joint hubs and sessions, moved
    to begin on ``start_date`` (windows and sessions keep their wall-clock times in the
    event's zone). Participants, requests and meetings stay with the original."""
    require_organizer(actor, event)
    shift = start_date - event.start_date

    def moved(moment: dt.datetime | None) -> dt.datetime | None:
        if moment is None:
            return None
        local = moment.astimezone(event.zone)
        return dt.datetime.combine(local.date() + shift, local.time(), tzinfo=event.zone)

    values: dict[str, Any] = {
        name: getattr(event, name) for name in _EDITABLE if name not in ("status", "hub")
    }
    values.update(
        hub=event.hub,
        other_hubs=list(event.other_hubs.all()),
        title=title,
        start_date=start_date,
        end_date=event.end_date + shift,
        registration_closes_at=moved(event.registration_closes_at),
        requests_close_at=moved(event.requests_close_at),
    )
    copy = event_create(actor=actor, values=values)
    for session in event.sessions.order_by("date", "start_time"):
        _cut_slots(
            copy,
            EventSession.objects.create(
                event=copy,
                name=session.name,
                date=session.date + shift,
                start_time=session.start_time,
                end_time=session.end_time,
                break_start=session.break_start,
                break_minutes=session.break_minutes,
            ),
        )
    audit_record(
        actor=actor,
        action="event.copy",
        target=copy,
        after={"copied_from": event.pk},
        hub=event.hub,
    )
    return copy


@transaction.atomic
def event_update(*, event: Event, actor: User, values: dict[str, Any]) -> Event:
    """The organizer changes the event; a new slot length re-cuts the sessions' slots."""
    require_organizer(actor, event)
    moves_hub = "hub" in values and values["hub"].pk != event.hub_id
    # Moving the event takes it from its hub: only who manages both hubs may do it (a joint
    # hub's manager organizes the event but does not take it over).
    if moves_hub and not viewer_for(actor).manages_any({values["hub"].pk}):
        raise PermissionDenied(_("Only the managers of a hub can create events for it."))
    if moves_hub and not viewer_for(actor).manages_any({event.hub_id}):
        raise PermissionDenied(_("Only the managers of the organizing hub can move the event."))
    merged = {name: values.get(name, getattr(event, name)) for name in ("start_date", "end_date")}
    merged["registration_closes_at"] = values.get(
        "registration_closes_at", event.registration_closes_at
    )
    merged["requests_close_at"] = values.get("requests_close_at", event.requests_close_at)
    _check_event_values(merged)
    before = snapshot(event, [*EVENT_FIELDS, "other_hubs"])
    reshape = any(name in values and values[name] != getattr(event, name) for name in _SLOT_SHAPE)
    if reshape or values.get("tables", event.tables) != event.tables:
        require_no_run(event)
    for name in _EDITABLE:
        if name in values and name != "status":
            setattr(event, name, values[name])
    event.save()
    if "other_hubs" in values:
        event.other_hubs.set([h for h in values["other_hubs"] if h.pk != event.hub_id])
    if reshape:
        for session in event.sessions.all():
            _cut_slots(event, session)
    if "tables" in values:
        # Imported here: services_changes builds on this module.
        from puente.events.services_changes import sides_of, tell_agenda_changed

        beyond = Meeting.objects.filter(event=event, table__gt=event.tables)
        tell_agenda_changed(event, sides_of(beyond))
        beyond.update(
            last_slot=F("slot"), slot=None, table=None, locked=False, sequence=F("sequence") + 1
        )
    audit_record(
        actor=actor,
        action="event.update",
        target=event,
        before=before,
        after=snapshot(event, [*EVENT_FIELDS, "other_hubs"]),
        hub=event.hub,
    )
    return event


@transaction.atomic
def event_set_status(*, event: Event, actor: User, status: str) -> Event:
    """Open an event for registration, take it back to draft, or cancel it (publishing the
    agenda is ``services_schedule.event_publish``)."""
    require_organizer(actor, event)
    if status == event.status:
        return event  # saved as it was: nothing changes (a published agenda stays so)
    allowed = {EventStatus.DRAFT, EventStatus.OPEN, EventStatus.CANCELLED}
    if status not in allowed:
        raise ValidationFailed(_("Unknown event status."), code="bad_status", field="status")
    if status == EventStatus.OPEN and not event.slots.exists():
        raise ValidationFailed(
            _("Add at least one session with meeting slots before opening the event."),
            code="no_slots",
        )
    before = snapshot(event, ["status", "published_at"])
    event.status = status
    if status != EventStatus.PUBLISHED:
        event.published_at = None
    event.save(update_fields=["status", "published_at", "updated_at"])
    activity_sync(sources=[event, *event.meetings.all()])
    audit_record(
        actor=actor,
        action="event.status",
        target=event,
        before=before,
        after=snapshot(event, ["status", "published_at"]),
        hub=event.hub,
    )
    return event


def _cut_slots(event: Event, session: EventSession) -> list[Slot]:
    """(Re)create a session's slots. Meetings in removed slots lose their place."""
    times = session_slots(
        day=session.date,
        start=session.start_time,
        end=session.end_time,
        slot_minutes=event.slot_minutes,
        changeover_minutes=event.changeover_minutes,
        zone=event.zone,
        break_start=session.break_start,
        break_minutes=session.break_minutes,
    )
    existing = {slot.starts_at: slot for slot in session.slots.all()}
    wanted = {item.starts_at: item for item in times}
    stale = [slot.pk for start, slot in existing.items() if start not in wanted]
    if stale:
        Meeting.objects.filter(slot_id__in=stale).update(slot=None, table=None, locked=False)
        Slot.objects.filter(pk__in=stale).delete()
    for start, item in wanted.items():
        slot = existing.get(start)
        if slot is None:
            Slot.objects.create(
                event=event, session=session, starts_at=item.starts_at, ends_at=item.ends_at
            )
        elif slot.ends_at != item.ends_at:
            slot.ends_at = item.ends_at
            slot.save(update_fields=["ends_at"])
    return list(session.slots.all())


@transaction.atomic
def event_session_add(*, event: Event, actor: User, values: dict[str, Any]) -> EventSession:
    """Add a session (a day's block of slots, with an optional pause) and cut its slots."""
    require_organizer(actor, event)
    require_no_run(event)
    day = values["date"]
    if not event.start_date <= day <= event.end_date:
        raise ValidationFailed(
            _("The session must fall between the event's first and last day."),
            code="bad_date",
            field="date",
        )
    if values["end_time"] <= values["start_time"]:
        raise ValidationFailed(
            _("The session must end after it starts."), code="bad_times", field="end_time"
        )
    overlapping = event.sessions.filter(
        date=day, start_time__lt=values["end_time"], end_time__gt=values["start_time"]
    )
    if overlapping.exists():
        raise Conflict(
            _("This session overlaps another session of the same day."), code="session_overlap"
        )
    session = EventSession.objects.create(
        event=event,
        name=values["name"],
        date=day,
        start_time=values["start_time"],
        end_time=values["end_time"],
        break_start=values.get("break_start"),
        break_minutes=values.get("break_minutes") or 0,
    )
    if not _cut_slots(event, session):
        raise ValidationFailed(
            _("No meeting fits in this session: make it longer or the meetings shorter."),
            code="no_slots",
            field="end_time",
        )
    audit_record(
        actor=actor,
        action="event.session_add",
        target=session,
        after=snapshot(
            session, ["event_id", "name", "date", "start_time", "end_time", "break_start"]
        ),
        hub=event.hub,
    )
    return session


@transaction.atomic
def event_session_remove(*, session: EventSession, actor: User) -> None:
    """Remove a session and its slots; meetings placed in them go back to unscheduled."""
    event = session.event
    require_organizer(actor, event)
    require_no_run(event)
    Meeting.objects.filter(slot__session=session).update(slot=None, table=None, locked=False)
    audit_record(
        actor=actor,
        action="event.session_remove",
        target=session,
        before=snapshot(session, ["event_id", "name", "date", "start_time", "end_time"]),
        hub=event.hub,
    )
    session.delete()


# --- registration --------------------------------------------------------------------------
def registration_open(event: Event) -> bool:
    """Whether participants may register now."""
    if event.status != EventStatus.OPEN:
        return False
    return event.registration_closes_at is None or event.registration_closes_at > timezone.now()


def _check_slots_of(event: Event, slots: Iterable[Slot]) -> list[Slot]:
    slots = list(slots)
    if any(slot.event_id != event.pk for slot in slots):
        raise ValidationFailed(
            _("Choose slots of this event."), code="bad_slot", field="unavailable_slots"
        )
    return slots


def _check_opportunities_of(
    organization_id: int | None, opportunities: Iterable[Opportunity]
) -> list[Opportunity]:
    """Only live (published, unexpired) opportunities of the participating organization can
    be linked to its catalogue entry."""
    opportunities = list(opportunities)
    if not opportunities:
        return []
    if organization_id is None:
        raise ValidationFailed(
            _("Only participants taking part for an organization can link opportunities."),
            code="bad_opportunity",
            field="opportunities",
        )
    if any(o.organization_id != organization_id or not o.is_live for o in opportunities):
        raise ValidationFailed(
            _("Choose published opportunities of the organization taking part."),
            code="bad_opportunity",
            field="opportunities",
        )
    return opportunities


@transaction.atomic
def participant_register(
    *,
    event: Event,
    actor: User,
    organization: Organization | None,
    values: dict[str, Any],
) -> Participant:
    """Register an organization the actor belongs to (or the actor alone) for an event."""
    if not registration_open(event):
        raise ValidationFailed(_("Registration for this event is closed."), code="closed")
    if not actor.is_verified:
        raise PermissionDenied(
            _("Confirm your email address before registering for events."),
            code="email_not_verified",
        )
    if organization is not None and organization.pk not in viewer_for(actor).organization_ids:
        raise PermissionDenied(_("You can only register organizations you belong to."))
    duplicate = Participant.objects.filter(event=event)
    duplicate = (
        duplicate.filter(organization=organization)
        if organization is not None
        else duplicate.filter(organization__isnull=True, user=actor)
    )
    if organization is None:
        # Someone who already speaks for a registration (theirs or their organization's)
        # does not take part a second time on their own.
        duplicate_or_speaking = Participant.objects.filter(
            event=event, status=ParticipantStatus.REGISTERED
        ).filter(Q(user=actor) | Q(organization_id__in=viewer_for(actor).organization_ids))
        if duplicate_or_speaking.exists():
            raise Conflict(_("Already registered for this event."), code="already_registered")
    if duplicate.exclude(status=ParticipantStatus.CANCELLED).exists():
        raise Conflict(_("Already registered for this event."), code="already_registered")
    unavailable = _check_slots_of(event, values.get("unavailable_slots") or [])
    opportunities = _check_opportunities_of(
        organization.pk if organization is not None else None, values.get("opportunities") or []
    )
    previous = duplicate.first()
    try:
        with transaction.atomic():
            if previous is not None:
                participant = previous
                participant.status = ParticipantStatus.REGISTERED
                participant.user = actor
            else:
                participant = Participant(event=event, organization=organization, user=actor)
            participant.attendees = values.get("attendees", "")
            participant.offer = values.get("offer", "")
            participant.seek = values.get("seek", "")
            participant.language = values.get("language") or actor.language or "es"
            participant.standby = bool(values.get("standby", False))
            participant.save()
    except IntegrityError as error:
        raise Conflict(
            _("Already registered for this event."), code="already_registered"
        ) from error
    participant.unavailable_slots.set(unavailable)
    participant.opportunities.set(opportunities)
    audit_record(
        actor=actor,
        action="event.register",
        target=participant,
        after=snapshot(participant, ["event_id", "organization_id", "offer", "seek", "status"]),
        hub=event.hub,
    )
    return participant


@transaction.atomic
def participant_update(
    *, participant: Participant, actor: User, values: dict[str, Any]
) -> Participant:
    """Change a participant's catalogue entry and availability (before the agenda is out)."""
    event = participant.event
    if not (acts_for(actor, participant) or can_organize(actor, event)):
        raise PermissionDenied(_("Only the participant and the organizers can change this."))
    if event.is_published and not can_organize(actor, event):
        raise ValidationFailed(
            _("The agenda is published: ask the organizers for changes."), code="published"
        )
    fields = [
        "attendees",
        "offer",
        "seek",
        "language",
        "standby",
        "unavailable_slots",
        "opportunities",
    ]
    before = snapshot(participant, fields)
    opportunities = None
    if "opportunities" in values:
        opportunities = _check_opportunities_of(
            participant.organization_id, values["opportunities"] or []
        )
    for name in ("attendees", "offer", "seek", "language", "standby"):
        if name in values:
            setattr(participant, name, values[name])
    participant.save()
    if opportunities is not None:
        participant.opportunities.set(opportunities)
    if "unavailable_slots" in values:
        unavailable = _check_slots_of(event, values["unavailable_slots"])
        participant.unavailable_slots.set(unavailable)
        # A meeting in a slot the participant can no longer attend loses its place.
        Meeting.objects.filter(either_side(participant), slot__in=unavailable).update(
            slot=None, table=None, locked=False
        )
    audit_record(
        actor=actor,
        action="event.participant_update",
        target=participant,
        before=before,
        after=snapshot(participant, fields),
        hub=event.hub,
    )
    return participant


@transaction.atomic
def participant_cancel(*, participant: Participant, actor: User) -> Participant:
    """Withdraw from an event: open requests are cancelled and meetings removed."""
    event = participant.event
    if not (acts_for(actor, participant) or can_organize(actor, event)):
        raise PermissionDenied(_("Only the participant and the organizers can change this."))
    before = snapshot(participant, ["status"])
    participant.status = ParticipantStatus.CANCELLED
    participant.save(update_fields=["status"])
    MeetingRequest.objects.filter(
        Q(requester=participant) | Q(target=participant),
        status__in=[RequestStatus.PENDING, RequestStatus.ACCEPTED],
    ).update(status=RequestStatus.CANCELLED)
    withdrawn = list(
        Meeting.objects.filter(either_side(participant)).select_related("event", "first", "second")
    )
    counterparts = [meeting.other(participant) for meeting in withdrawn]
    retract_activity(sources=withdrawn)
    cancel_in_calendars(withdrawn)
    Meeting.objects.filter(pk__in=[meeting.pk for meeting in withdrawn]).delete()
    activity_sync(sources=[event])
    notify(
        users=participant_users(counterparts),
        kind="events.participant_withdrew",
        params={"name": participant.display_name, "event": event.title},
        url=reverse("events:detail", kwargs={"slug": event.slug}),
    )
    audit_record(
        actor=actor,
        action="event.participant_cancel",
        target=participant,
        before=before,
        after=snapshot(participant, ["status"]),
        hub=event.hub,
    )
    return participant


@transaction.atomic
def calendar_feed_key(*, participant: Participant, actor: User, renew: bool = False) -> str:
    """The secret key in the address of the participant's calendar subscription, made on
    first request. ``renew`` replaces it: the old address stops working at once."""
    if not acts_for(actor, participant):
        raise PermissionDenied(_("Only the participant can subscribe to their agenda."))
    if participant.status != ParticipantStatus.REGISTERED:
        raise ValidationFailed(
            _("Only registered participants have an agenda to subscribe to."),
            code="not_registered",
        )
    if participant.calendar_token and not renew:
        return participant.calendar_token
    renewing = bool(participant.calendar_token)
    participant.calendar_token = secrets.token_urlsafe(32)
    participant.save(update_fields=["calendar_token"])
    audit_record(
        actor=actor,
        action="event.calendar_feed_renew" if renewing else "event.calendar_feed_create",
        target=participant,
        hub=participant.event.hub,
    )
    return participant.calendar_token


# --- meeting requests ----------------------------------------------------------------------
def requests_open(event: Event) -> bool:
    """Whether participants may send meeting requests now."""
    if event.status not in (EventStatus.OPEN, EventStatus.PUBLISHED):
        return False
    return event.requests_close_at is None or event.requests_close_at > timezone.now()


def _meeting_count(participant: Participant) -> int:
    return Meeting.objects.filter(either_side(participant)).count()


def _meeting_between(first: Participant, second: Participant) -> Meeting | None:
    return (
        Meeting.objects.filter(Q(first=first, second=second) | Q(first=second, second=first))
        .order_by("pk")
        .first()
    )


def _open_request_between(first: Participant, second: Participant) -> MeetingRequest | None:
    return (
        MeetingRequest.objects.filter(status__in=[RequestStatus.PENDING, RequestStatus.ACCEPTED])
        .filter(Q(requester=first, target=second) | Q(requester=second, target=first))
        .first()
    )


@transaction.atomic
def meeting_request_create(
    *,
    actor: User,
    requester: Participant,
    target: Participant,
    message: str = "",
    priority: int = 1,
) -> MeetingRequest:
    """A participant asks another for a meeting; the other side is told and may accept."""
    event = requester.event
    if not acts_for(actor, requester):
        raise PermissionDenied(_("You can only request meetings for your own registration."))
    if target.event_id != event.pk or target.status != ParticipantStatus.REGISTERED:
        raise ValidationFailed(
            _("That participant is not registered for this event."),
            code="bad_target",
            field="target",
        )
    if requester.status != ParticipantStatus.REGISTERED:
        raise ValidationFailed(_("Your registration is cancelled."), code="not_registered")
    if target.pk == requester.pk:
        raise ValidationFailed(
            _("You cannot request a meeting with yourself."),
            code="same_participant",
            field="target",
        )
    if not requests_open(event):
        raise ValidationFailed(_("Meeting requests for this event are closed."), code="closed")
    if not 1 <= priority <= 3:
        raise ValidationFailed(
            _("Priority goes from 1 (normal) to 3 (essential)."),
            code="bad_priority",
            field="priority",
        )
    # A request that ran out of time no longer stands between them, even before the
    # periodic job has recorded it.
    for stale in MeetingRequest.objects.select_for_update(of=("self",)).filter(
        Q(requester=requester, target=target) | Q(requester=target, target=requester),
        status=RequestStatus.PENDING,
        expires_at__lte=timezone.now(),
    ):
        _expire(stale)
    if _open_request_between(requester, target) is not None:
        raise Conflict(
            _("There is already an open meeting request between you."), code="request_exists"
        )
    sent = MeetingRequest.objects.filter(
        requester=requester, status__in=[RequestStatus.PENDING, RequestStatus.ACCEPTED]
    ).count()
    if sent >= event.max_requests_per_participant:
        raise ValidationFailed(
            _("You have reached this event's limit of %(limit)d meeting requests.")
            % {"limit": event.max_requests_per_participant},
            code="request_limit",
        )
    try:
        with transaction.atomic():
            request = MeetingRequest.objects.create(
                event=event,
                requester=requester,
                target=target,
                requested_by=actor,
                message=message.strip()[:1000],
                priority=priority,
                expires_at=timezone.now() + dt.timedelta(hours=event.request_expiry_hours),
            )
    except IntegrityError as error:
        raise Conflict(
            _("There is already an open meeting request between you."), code="request_exists"
        ) from error
    audit_record(
        actor=actor,
        action="event.request",
        target=request,
        after=snapshot(request, ["requester_id", "target_id", "priority", *_REQUEST_STATE]),
        hub=event.hub,
    )
    notify(
        users=participant_users([target]),
        kind="events.meeting_requested",
        params={"requester": requester.display_name, "event": event.title},
        url=reverse("events:requests", kwargs={"slug": event.slug}),
        email_template="events/email/meeting_requested",
        email_topic=EmailTopic.REQUESTS,
        email_context={
            "requester": requester.display_name,
            "target": target.display_name,
            "event": event.title,
            "message": request.message,
        },
    )
    return request


def _expire(request: MeetingRequest) -> None:
    before = snapshot(request, _REQUEST_STATE)
    request.status = RequestStatus.EXPIRED
    request.save(update_fields=["status"])
    audit_record(
        actor=None,
        action="event.request_expire",
        target=request,
        before=before,
        after=snapshot(request, _REQUEST_STATE),
    )


@dataclass(frozen=True)
class BulkAnswer:
    """What "Accept all" did: how many requests it accepted, and the ones it could not
    accept with why (a meeting limit reached, the window closed)."""

    accepted: int
    refused: list[tuple[MeetingRequest, str]]


def meeting_requests_accept_all(*, participant: Participant, actor: User) -> BulkAnswer:
    """Accept every pending request the participant received, oldest first (each on its
    own, as if answered one by one): those that cannot be accepted stay pending and are
    reported with the reason."""
    if not acts_for(actor, participant):
        raise PermissionDenied(_("Only the participant who was asked can answer this request."))
    pending = MeetingRequest.objects.filter(
        target=participant, status=RequestStatus.PENDING, expires_at__gt=timezone.now()
    ).order_by("created_at", "id")
    accepted, refused = 0, []
    for request in pending:
        try:
            meeting_request_answer(request=request, actor=actor, accept=True)
        except ValidationFailed as error:
            refused.append((request, error.message))
        else:
            accepted += 1
    return BulkAnswer(accepted=accepted, refused=refused)


@transaction.atomic
def meeting_request_answer(
    *, request: MeetingRequest, actor: User, accept: bool, message: str = ""
) -> MeetingRequest:
    """The requested side accepts (a meeting to schedule is created) or declines."""
    request = (
        MeetingRequest.objects.select_for_update(of=("self",))
        .select_related("event", "requester__organization", "requester__user", "target")
        .get(pk=request.pk)
    )
    event = request.event
    if not acts_for(actor, request.target):
        raise PermissionDenied(_("Only the participant who was asked can answer this request."))
    if request.status == RequestStatus.PENDING and request.expires_at <= timezone.now():
        # The periodic job records the expiry; this answer is refused either way.
        raise ValidationFailed(_("This request expired without an answer."), code="expired")
    if request.status != RequestStatus.PENDING:
        raise ValidationFailed(
            _("This request is no longer waiting for an answer."), code="not_pending"
        )
    before = snapshot(request, _REQUEST_STATE)
    request.answered_at, request.answered_by = timezone.now(), actor
    request.answer_message = message.strip()[:500]
    if accept:
        if not requests_open(event):
            # Accepting after the close would add meetings behind the organizers' schedule.
            raise ValidationFailed(
                _("Meeting requests for this event are closed: it can only be declined."),
                code="closed",
            )
        existing = _meeting_between(request.requester, request.target)
        limit = event.max_meetings_per_participant
        for side in (request.requester, request.target):
            if existing is None and _meeting_count(side) >= limit:
                raise ValidationFailed(
                    _("%(name)s already has the most meetings this event allows (%(limit)d).")
                    % {"name": side.display_name, "limit": limit},
                    code="meeting_limit",
                )
        request.status = RequestStatus.ACCEPTED
        request.save()
        if existing is None:
            Meeting.objects.create(
                event=event,
                request=request,
                first=request.requester,
                second=request.target,
                priority=request.priority,
            )
        elif existing.request_id is None:
            # The organizers already added this meeting: the request is answered by it.
            existing.request = request
            existing.save(update_fields=["request"])
    else:
        request.status = RequestStatus.DECLINED
        request.save()
    audit_record(
        actor=actor,
        action="event.request_accept" if accept else "event.request_decline",
        target=request,
        before=before,
        after=snapshot(request, _REQUEST_STATE),
        hub=event.hub,
    )
    kind = "accepted" if accept else "declined"
    notify(
        users=participant_users([request.requester]),
        kind=f"events.meeting_{kind}",
        params={"target": request.target.display_name, "event": event.title},
        url=reverse("events:requests", kwargs={"slug": event.slug}),
        email_template=f"events/email/meeting_{kind}",
        email_topic=EmailTopic.REQUESTS,
        email_context={
            "requester": request.requester.display_name,
            "target": request.target.display_name,
            "event": event.title,
            "message": request.answer_message,
        },
    )
    return request


@transaction.atomic
def meeting_request_cancel(*, request: MeetingRequest, actor: User) -> MeetingRequest:
    """The requesting side withdraws a request nobody has answered yet."""
    if not acts_for(actor, request.requester):
        raise PermissionDenied(_("Only the side that sent this request can cancel it."))
    if request.status != RequestStatus.PENDING:
        raise ValidationFailed(
            _("Only requests waiting for an answer can be cancelled."), code="not_pending"
        )
    before = snapshot(request, _REQUEST_STATE)
    request.status = RequestStatus.CANCELLED
    request.save(update_fields=["status"])
    audit_record(
        actor=actor,
        action="event.request_cancel",
        target=request,
        before=before,
        after=snapshot(request, _REQUEST_STATE),
        hub=request.event.hub,
    )
    return request


#: A pending request is brought back to the asked side this long before it expires (or
#: halfway through its answer time, when that is shorter).
REQUEST_REMINDER_AHEAD = dt.timedelta(hours=24)


def request_reminders_send(*, now: dt.datetime | None = None) -> int:
    """Remind the asked side of pending requests that will soon expire, once per request:
    one notice per participant with how many wait and when the first expires (a periodic
    job, safe to repeat). Only while the event still takes requests. Returns how many
    participants were reminded."""
    now = now or timezone.now()
    due: dict[int, list[MeetingRequest]] = {}
    for request in MeetingRequest.objects.filter(
        status=RequestStatus.PENDING,
        reminded_at__isnull=True,
        expires_at__gt=now,
        expires_at__lte=now + REQUEST_REMINDER_AHEAD,
        target__status=ParticipantStatus.REGISTERED,
    ).select_related(
        "event",
        "target__user",
        "target__organization",
        "requester__organization",
        "requester__user",
    ):
        event = request.event
        ahead = min(REQUEST_REMINDER_AHEAD, dt.timedelta(hours=event.request_expiry_hours) / 2)
        if request.expires_at - now > ahead or not requests_open(event):
            continue
        if claim_once(request, "reminded_at", now):
            due.setdefault(request.target_id, []).append(request)
    for waiting in due.values():
        waiting.sort(key=lambda r: r.expires_at)
        first = waiting[0]
        event = first.event
        params = {
            "event": event.title,
            "count": len(waiting),
            "time": first.expires_at.astimezone(event.zone).strftime("%Y-%m-%d %H:%M"),
            "zone": event.time_zone,
        }
        notify(
            users=participant_users([first.target]),
            kind="events.requests_waiting",
            params=params,
            url=reverse("events:requests", kwargs={"slug": event.slug}),
            email_template="events/email/requests_waiting",
            email_topic=EmailTopic.REMINDERS,
            email_context={**params, "names": [r.requester.display_name for r in waiting]},
        )
    return len(due)


@transaction.atomic
def meeting_requests_expire_due(*, now: dt.datetime | None = None) -> int:
    """Expire requests that waited too long for an answer (a periodic job, safe to repeat)."""
    now = now or timezone.now()
    due = list(
        MeetingRequest.objects.select_for_update(of=("self",)).filter(
            status=RequestStatus.PENDING, expires_at__lte=now
        )
    )
    for request in due:
        _expire(request)
    return len(due)
