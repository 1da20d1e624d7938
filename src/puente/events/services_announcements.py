"""Messages of the organizers to the event's participants: in the app and by email, each
reader getting the organizers' words with the event named in their own language."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from puente.accounts.models import EmailTopic, User
from puente.core.audit import audit_record
from puente.core.errors import Conflict, ValidationFailed
from puente.core.notifications import notify
from puente.events.models import (
    Announcement,
    Audience,
    Event,
    EventStatus,
    Meeting,
    Participant,
    ParticipantStatus,
)
from puente.events.services import participant_users, require_organizer

MAX_MESSAGE = 1000
#: The same message to the same people again within this time is taken as a double send.
REPEAT_WINDOW = dt.timedelta(minutes=10)

_AUDIENCE = {
    Audience.EVERYONE: Q(),
    Audience.CHECKED_IN: Q(checked_in_at__isnull=False),
    Audience.NOT_CHECKED_IN: Q(checked_in_at__isnull=True, no_show=False),
    Audience.STANDBY: Q(standby=True),
    # Before the event, a nudge to use the catalogue: a meeting in either role, placed or
    # not, counts.
    Audience.NO_MEETINGS: ~Q(
        Exists(Meeting.objects.filter(Q(first=OuterRef("pk")) | Q(second=OuterRef("pk"))))
    ),
}


def audience_of(event: Event, audience: str) -> list[Participant]:
    """The registered participants an announcement to ``audience`` reaches."""
    return list(
        Participant.objects.filter(event=event, status=ParticipantStatus.REGISTERED)
        .filter(_AUDIENCE[Audience(audience)])
        .select_related("user", "organization")
    )


@transaction.atomic
def announcement_send(
    *, event: Event, actor: User, message: str, audience: str = Audience.EVERYONE
) -> Announcement:
    """Send the organizers' message to the chosen participants (everyone who speaks for
    each of them), in the app and by email, and keep it on the event's page."""
    require_organizer(actor, event)
    text = message.strip()
    if not text:
        raise ValidationFailed(_("Write the message."), field="message", code="required")
    if len(text) > MAX_MESSAGE:
        raise ValidationFailed(
            _("A message has at most %(max)s characters.") % {"max": MAX_MESSAGE},
            field="message",
            code="too_long",
        )
    if audience not in Audience.values:
        raise ValidationFailed(_("Choose who gets the message."), field="audience")
    if event.status not in (EventStatus.OPEN, EventStatus.PUBLISHED):
        raise ValidationFailed(
            _("Announcements go out while the event is open or published."), code="not_open"
        )
    # Lock the event so two clicks on "Send" cannot both pass the repeat check.
    Event.objects.select_for_update().filter(pk=event.pk).first()
    if Announcement.objects.filter(
        event=event,
        audience=audience,
        message=text,
        created_at__gte=timezone.now() - REPEAT_WINDOW,
    ).exists():
        raise Conflict(_("This message was just sent to the same people."), code="repeated")
    users = participant_users(audience_of(event, audience))
    if not users:
        raise ValidationFailed(
            _("No participant is in this group yet."), field="audience", code="no_recipients"
        )
    announcement = Announcement.objects.create(
        event=event, author=actor, audience=audience, message=text, recipients=len(users)
    )
    notify(
        users=users,
        kind="events.announcement",
        params={"event": event.title, "message": _excerpt(text)},
        url=reverse("events:detail", kwargs={"slug": event.slug}) + "#announcements",
        email_template="events/email/announcement",
        email_topic=EmailTopic.ANNOUNCEMENTS,
        email_context={"event": event.title, "message": text, "author": actor.full_name},
    )
    audit_record(
        actor=actor,
        action="event.announce",
        target=event,
        before=None,
        after={"audience": audience, "recipients": len(users), "message": text[:200]},
        hub=event.hub,
    )
    return announcement


def _excerpt(text: str, limit: int = 160) -> str:
    """The message as the notification list shows it: one line, cut at a word."""
    line = " ".join(text.split())
    if len(line) <= limit:
        return line
    return line[:limit].rsplit(" ", 1)[0] + "…"
