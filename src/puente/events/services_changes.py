"""Telling participants that their published agenda changed: in the app at once, by email
once the organizers have stopped changing the schedule.

An organizer fixing a schedule moves several meetings, or runs the scheduler again, in a
row. Each change tells the people concerned in the app straight away (one notice per
person, with how many of their meetings moved, were placed or were taken out). The email
waits: a job every few minutes (``agenda_change_emails_send``) emails each person once the
event's schedule has been left alone for ``AGENDA_CHANGE_QUIET``, at most once per
``AGENDA_CHANGE_EMAIL_GAP`` for each event, and that email counts every meeting of theirs
that changed since the last one (a meeting moved twice counts once). The notices keep the
state of their email in their params (``email``: pending, sent, off or dropped).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Collection, Iterable, Mapping

from django.urls import reverse
from django.utils import timezone

from puente.accounts.models import EmailTopic, User
from puente.core.models import Notification
from puente.core.notifications import notify
from puente.core.notify import send_templated_email
from puente.events.models import Event, EventStatus, Meeting, Participant, ParticipantStatus
from puente.events.services import speakers_of

logger = logging.getLogger(__name__)

KIND = "events.agenda_changed"
#: Emails about agenda changes wait until an event's schedule has not changed for this long.
AGENDA_CHANGE_QUIET = dt.timedelta(minutes=10)
#: Each person gets at most one agenda-change email per event in this long; the next one
#: covers everything that changed in between.
AGENDA_CHANGE_EMAIL_GAP = dt.timedelta(hours=1)
#: Notices older than this are not emailed any more (their news is stale).
AGENDA_CHANGE_EMAIL_HORIZON = dt.timedelta(days=2)

PENDING, SENT, OFF, DROPPED = "pending", "sent", "off", "dropped"


def sides_of(meetings: Iterable[Meeting]) -> dict[int, set[int]]:
    """The given meetings of each participant: participant id -> meeting ids."""
    changes: dict[int, set[int]] = {}
    for meeting in meetings:
        changes.setdefault(meeting.first_id, set()).add(meeting.pk)
        changes.setdefault(meeting.second_id, set()).add(meeting.pk)
    return changes


def tell_agenda_changed(
    event: Event, changes: Mapping[int, Collection[int]], *, email: bool = True
) -> None:
    """Once the agenda is published, tell everyone who speaks for the participants in
    ``changes`` (participant id -> ids of their meetings that moved, were placed or left
    the schedule) in the app, one notice each with how many meetings; with ``email``, the
    notice also waits for the agenda-change email (see the module's docstring)."""
    if event.status != EventStatus.PUBLISHED or not changes:
        return
    participants = list(
        Participant.objects.filter(
            pk__in=list(changes), status=ParticipantStatus.REGISTERED
        ).select_related("user")
    )
    speakers = speakers_of(participants)
    users: dict[int, User] = {}
    meetings_of: dict[int, set[int]] = {}
    for participant in participants:
        for user in speakers[participant.pk]:
            users[user.pk] = user
            meetings_of.setdefault(user.pk, set()).update(changes[participant.pk])
    groups: dict[tuple[int, ...], list[User]] = {}
    for user_id, ids in meetings_of.items():
        groups.setdefault(tuple(sorted(ids)), []).append(users[user_id])
    path = reverse("events:agenda", kwargs={"slug": event.slug})
    for meeting_ids, people in groups.items():
        params: dict[str, object] = {"event": event.title, "count": len(meeting_ids)}
        if email:
            params |= {"event_id": event.pk, "meetings": list(meeting_ids), "email": PENDING}
        notify(users=people, kind=KIND, params=params, url=path)


def agenda_change_emails_send(*, now: dt.datetime | None = None) -> int:
    """Email the agenda changes that have waited long enough; returns how many emails went
    out. Safe to run twice at once: each notice is claimed before its email is sent."""
    now = now or timezone.now()
    pending = list(
        Notification.objects.filter(
            kind=KIND, created_at__gte=now - AGENDA_CHANGE_EMAIL_HORIZON, params__email=PENDING
        ).select_related("user")
    )
    by_event: dict[int, list[Notification]] = {}
    for notice in pending:
        by_event.setdefault(int(notice.params["event_id"]), []).append(notice)
    events = Event.objects.in_bulk(list(by_event))
    sent = 0
    for event_id, notices in by_event.items():
        event = events.get(event_id)
        if event is None or event.status != EventStatus.PUBLISHED:
            _settle(notices, DROPPED, now)  # unpublished or gone: nothing to look at
            continue
        if max(notice.created_at for notice in notices) > now - AGENDA_CHANGE_QUIET:
            continue  # the organizers are still at it
        sent += _email_event(event, notices, now)
    return sent


def _email_event(event: Event, notices: list[Notification], now: dt.datetime) -> int:
    by_user: dict[int, list[Notification]] = {}
    for notice in notices:
        by_user.setdefault(notice.user_id, []).append(notice)
    last_email = _last_emails(event, list(by_user), now)
    path = reverse("events:agenda", kwargs={"slug": event.slug})
    sent = 0
    for user_id, own in by_user.items():
        user = own[0].user
        if not user.is_active:
            _settle(own, DROPPED, now)
            continue
        if EmailTopic.SCHEDULE in (user.emails_off or []):
            _settle(own, OFF, now)
            continue
        previous = last_email.get(user_id)
        if previous is not None and now < previous + AGENDA_CHANGE_EMAIL_GAP:
            continue  # a later run sends it, with whatever changes in between
        claimed = _settle(own, SENT, now)
        if not claimed:
            continue  # another run took them
        meeting_ids = {int(m) for notice in claimed for m in notice.params.get("meetings", [])}
        try:
            send_templated_email(
                to=user.email,
                language=user.language,
                template="events/email/agenda_changed",
                context={"event": event.title, "count": len(meeting_ids), "path": path},
            )
        except Exception:
            logger.exception(
                "Agenda-change email to user %s failed; kept for the next run", user_id
            )
            _settle(claimed, PENDING, now, expect=SENT)
            continue
        sent += 1
    return sent


def _last_emails(event: Event, user_ids: list[int], now: dt.datetime) -> dict[int, dt.datetime]:
    """When each user was last emailed about this event's agenda changes (recently)."""
    since = now - AGENDA_CHANGE_EMAIL_GAP - AGENDA_CHANGE_EMAIL_HORIZON
    last: dict[int, dt.datetime] = {}
    for user_id, params in Notification.objects.filter(
        kind=KIND,
        user_id__in=user_ids,
        created_at__gte=since,
        params__event_id=event.pk,
        params__email=SENT,
    ).values_list("user_id", "params"):
        moment = dt.datetime.fromisoformat(params["emailed_at"])
        if user_id not in last or moment > last[user_id]:
            last[user_id] = moment
    return last


def _settle(
    notices: list[Notification], state: str, now: dt.datetime, *, expect: str = PENDING
) -> list[Notification]:
    """Move each notice's email from ``expect`` to ``state``; returns the notices this call
    moved (a concurrent run may have moved some first)."""
    moved: list[Notification] = []
    for notice in notices:
        params = {**notice.params, "email": state}
        if state == SENT:
            params["emailed_at"] = now.isoformat()
        else:
            params.pop("emailed_at", None)
        claimed = Notification.objects.filter(pk=notice.pk, params__email=expect).update(
            params=params
        )
        if claimed:
            notice.params = params
            moved.append(notice)
    return moved
