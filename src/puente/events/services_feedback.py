"""After the meetings: each side says whether a meeting took place, how useful it was and
where it leads. Funders count meetings held; organizers see what the event produced."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from puente.accounts.models import EmailTopic, User
from puente.core.audit import audit_record, snapshot
from puente.core.errors import PermissionDenied, ValidationFailed
from puente.core.notifications import notify
from puente.events.models import (
    Event,
    EventStatus,
    Meeting,
    MeetingFeedback,
    MeetingOutcome,
    Participant,
    ParticipantStatus,
    Slot,
)
from puente.events.services import acts_for, claim_once, participant_users
from puente.impact.services import activity_sync

_FEEDBACK_STATE = ["held", "rating", "outcome", "note"]

#: Participants are asked for feedback this long after their last meeting ends.
FEEDBACK_ASK_AFTER = dt.timedelta(hours=2)
#: ... and not at all when that was longer ago than this (a job that was off for weeks).
FEEDBACK_ASK_UNTIL = dt.timedelta(days=14)


def feedback_open(event: Event, slot: Slot | None, now: dt.datetime | None = None) -> bool:
    """Whether the sides of a meeting in ``slot`` can give feedback: the agenda is
    published and the meeting's time has come."""
    return (
        event.status == EventStatus.PUBLISHED
        and slot is not None
        and slot.starts_at <= (now or timezone.now())
    )


@transaction.atomic
def meeting_feedback_give(
    *,
    meeting: Meeting,
    participant: Participant,
    actor: User,
    values: dict[str, Any],
    now: dt.datetime | None = None,
) -> MeetingFeedback:
    """One side's feedback on a meeting (given again, it replaces the earlier one). A
    meeting that did not take place has no usefulness or outcome."""
    if (
        participant.pk not in (meeting.first_id, meeting.second_id)
        or participant.status != ParticipantStatus.REGISTERED
        or not acts_for(actor, participant)
    ):
        raise PermissionDenied(_("Only the two sides of a meeting can say how it went."))
    if not feedback_open(meeting.event, meeting.slot, now):
        raise ValidationFailed(
            _("You can say how a meeting went once its time has come."), code="feedback_closed"
        )
    held = bool(values.get("held"))
    rating = values.get("rating") if held else None
    if rating is not None and not 1 <= int(rating) <= 5:
        raise ValidationFailed(_("Usefulness goes from 1 to 5."), code="bad_rating", field="rating")
    outcome = (values.get("outcome") or "") if held else ""
    if outcome and outcome not in MeetingOutcome.values:
        raise ValidationFailed(_("Choose what comes next."), code="bad_outcome", field="outcome")
    note = (values.get("note") or "").strip()
    if len(note) > 1000:
        raise ValidationFailed(
            _("Keep the note under 1,000 characters."), code="note_too_long", field="note"
        )
    feedback = (
        MeetingFeedback.objects.select_for_update(of=("self",))
        .filter(meeting=meeting, participant=participant)
        .first()
    )
    before = snapshot(feedback, _FEEDBACK_STATE) if feedback is not None else None
    if feedback is None:
        feedback = MeetingFeedback(meeting=meeting, participant=participant)
    feedback.held, feedback.rating, feedback.outcome, feedback.note = held, rating, outcome, note
    feedback.save()
    activity_sync(sources=[meeting])  # "not held" from both sides: not a meeting held
    audit_record(
        actor=actor,
        action="event.meeting_feedback",
        target=feedback,
        before=before,
        after=snapshot(feedback, _FEEDBACK_STATE),
        hub=meeting.event.hub,
    )
    return feedback


def feedback_requests_send(*, now: dt.datetime | None = None) -> int:
    """Ask each participant of a published event, once, how their meetings went: a couple
    of hours after their last meeting ends, and not when that was more than two weeks ago
    (a periodic job, safe to repeat). Participants marked absent are not asked. Returns how
    many were asked."""
    now = now or timezone.now()
    recent = Meeting.objects.filter(
        event__status=EventStatus.PUBLISHED,
        event__end_date__gte=(now - FEEDBACK_ASK_UNTIL - dt.timedelta(days=1)).date(),
        slot__isnull=False,
    )
    last_end: dict[int, dt.datetime] = {}
    for side in ("first", "second"):
        rows = (
            recent.filter(
                **{
                    f"{side}__status": ParticipantStatus.REGISTERED,
                    f"{side}__no_show": False,
                    f"{side}__feedback_asked_at__isnull": True,
                }
            )
            .values(f"{side}_id")
            .annotate(last=Max("slot__ends_at"))
            .values_list(f"{side}_id", "last")
        )
        for participant_id, ends_at in rows:
            last_end[participant_id] = max(ends_at, last_end.get(participant_id, ends_at))
    due_ids = [
        pk
        for pk, ends_at in last_end.items()
        if now - FEEDBACK_ASK_UNTIL <= ends_at <= now - FEEDBACK_ASK_AFTER
    ]
    asked = 0
    for participant in Participant.objects.filter(pk__in=due_ids).select_related(
        "event", "user", "organization"
    ):
        if not claim_once(participant, "feedback_asked_at", now):
            continue
        event = participant.event
        params = {"event": event.title}
        notify(
            users=participant_users([participant]),
            kind="events.feedback_request",
            params=params,
            url=reverse("events:agenda", kwargs={"slug": event.slug}) + "#agenda",
            email_template="events/email/feedback_request",
            email_topic=EmailTopic.REMINDERS,
            email_context=params,
        )
        asked += 1
    return asked
