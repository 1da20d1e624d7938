"""Reads of brokerage events with their rules: who sees which event, whose registration the
viewer speaks for, requests, agendas and the organizer's figures."""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, Q, QuerySet, prefetch_related_objects
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from puente.accounts.viewer import Viewer
from puente.core.errors import NotFound
from puente.core.spreadsheets import safe_cell
from puente.core.text import fold, sort_key
from puente.events.models import (
    RUN_STALE_MARGIN,
    Announcement,
    Audience,
    Event,
    EventStatus,
    Meeting,
    MeetingCancellation,
    MeetingFeedback,
    MeetingOutcome,
    MeetingRequest,
    Participant,
    ParticipantStatus,
    RequestStatus,
    RunStatus,
    ScheduleRun,
    Slot,
    either_side,
)
from puente.marketplace.models import Opportunity
from puente.marketplace.models import Status as OpportunityStatus
from puente.marketplace.selectors import opportunities_visible_to


def active_run(event: Event) -> ScheduleRun | None:
    """The event's scheduler run that is queued or running (and not given up as dead)."""
    for run in ScheduleRun.objects.filter(
        event=event, status__in=[RunStatus.QUEUED, RunStatus.RUNNING]
    ):
        deadline = run.created_at + dt.timedelta(seconds=run.time_limit) + RUN_STALE_MARGIN
        if deadline > timezone.now():
            return run
    return None


def _other_hubs(hub_ids: frozenset[int]) -> QuerySet[Any]:
    return Event.other_hubs.through.objects.filter(hub_id__in=hub_ids).values("event_id")


def events_visible_to(viewer: Viewer) -> QuerySet[Event]:
    """Events the viewer may see: visible ones that are not drafts, and every event of the
    hubs they manage."""
    visible = viewer.visibility_q(
        field_name="visibility", hub_field="hub", other_hubs_subquery=_other_hubs
    )
    not_draft = ~Q(status=EventStatus.DRAFT)
    condition = visible & not_draft
    if viewer.is_staff:
        condition = Q()
    elif viewer.managed_hub_ids:
        condition |= Q(hub_id__in=viewer.managed_hub_ids) | Q(
            id__in=_other_hubs(viewer.managed_hub_ids)
        )
    return Event.objects.filter(condition).select_related("hub")


def event_for_viewer(viewer: Viewer, *, slug: str | None = None, pk: int | None = None) -> Event:
    """The event, or the same NotFound whether it is missing or hidden from the viewer."""
    events = events_visible_to(viewer)
    event = (
        events.filter(slug=slug).first() if slug is not None else events.filter(id=pk or 0).first()
    )
    if event is None:
        raise NotFound(_("There is no such event, or you cannot see it."))
    return event


def participant_by_feed_key(key: str) -> Participant:
    """The participant whose calendar subscription has this key, at an event whose agenda
    is published (or was, before the event was cancelled); else NotFound. A withdrawn
    participant keeps the feed, which then only cancels."""
    participant = (
        Participant.objects.filter(
            calendar_token=key,
            event__published_at__isnull=False,
            event__status__in=[EventStatus.PUBLISHED, EventStatus.CANCELLED],
            status__in=[ParticipantStatus.REGISTERED, ParticipantStatus.CANCELLED],
        )
        .select_related("event", "organization", "user")
        .first()
        if key
        else None
    )
    if participant is None:
        raise NotFound(_("This calendar address is not valid (any more)."))
    return participant


def participant_for(user: Any, event: Event) -> Participant | None:
    """The registration the user speaks for at this event (theirs or their organization's)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    from puente.accounts.viewer import viewer_for

    organization_ids = viewer_for(user).organization_ids
    return (
        Participant.objects.filter(event=event, status=ParticipantStatus.REGISTERED)
        .filter(Q(user=user) | Q(organization_id__in=organization_ids))
        .select_related("organization", "user")
        .order_by("id")
        .first()
    )


CHECK_IN_SALT = "puente.events.check-in"
_CHECK_IN_CODE = re.compile(r"(\d{1,18})-([0-9a-f]{12})/?$")


def check_in_code(participant: Participant) -> str:
    """The participant's check-in code: their id and a keyed hash of it and the event, so
    codes cannot be guessed and a code of one event means nothing at another."""
    mac = salted_hmac(CHECK_IN_SALT, f"{participant.event_id}:{participant.pk}").hexdigest()
    return f"{participant.pk}-{mac[:12]}"


def check_in_path(event: Event, participant: Participant) -> str:
    """The address of the participant's check-in code (what their QR code holds)."""
    return reverse(
        "events:check_in_code", kwargs={"slug": event.slug, "code": check_in_code(participant)}
    )


def participant_by_check_in_code(event: Event, text: str) -> Participant:
    """The registered participant whose check-in code is ``text`` (the code, or the whole
    address a scanner read); else NotFound."""
    match = _CHECK_IN_CODE.search(text.strip().lower())  # some scanners type capitals
    participant = (
        participants_of(event).filter(pk=int(match[1])).first() if match is not None else None
    )
    if participant is None or not constant_time_compare(
        check_in_code(participant),
        f"{match[1]}-{match[2]}",  # type: ignore[index]
    ):
        raise NotFound(_("This is not a check-in code of this event."))
    return participant


def participants_of(event: Event) -> QuerySet[Participant]:
    """The registered participants, as the catalogue lists them."""
    return (
        Participant.objects.filter(event=event, status=ParticipantStatus.REGISTERED)
        .select_related("organization__hub", "organization__type", "user")
        .order_by("id")
    )


def alphabetical(participants: Iterable[Participant]) -> list[Participant]:
    """Participants by name as people read a list: accents and case ignored ("Álamo" before
    "Zeta"), registration order between equal names."""
    return sorted(participants, key=lambda p: (sort_key(p.display_name), p.pk))


def _live_opportunity() -> Q:
    return Q(status=OpportunityStatus.PUBLISHED) & (
        Q(expires_at__isnull=True) | Q(expires_at__gt=timezone.now())
    )


def linkable_opportunities(organization_ids: Iterable[int]) -> QuerySet[Opportunity]:
    """Opportunities a participant may link to its catalogue entry: the live (published,
    unexpired) ones of its organization."""
    return (
        Opportunity.objects.filter(_live_opportunity(), organization_id__in=list(organization_ids))
        .select_related("organization")
        .order_by("organization__sort_name", "title", "id")
    )


def _shown_opportunities(viewer: Viewer) -> Prefetch:
    """Linked opportunities as ``linked_opportunities``: only live ones the viewer may see, so
    every link opens."""
    return Prefetch(
        "opportunities",
        queryset=opportunities_visible_to(viewer)
        .filter(_live_opportunity())
        .order_by("title", "id"),
        to_attr="linked_opportunities",
    )


def catalogue_of(viewer: Viewer, event: Event) -> QuerySet[Participant]:
    """The registered participants with the linked opportunities the viewer may see."""
    return participants_of(event).prefetch_related(_shown_opportunities(viewer))


def filter_catalogue(
    participants: list[Participant],
    *,
    text: str = "",
    hub: str = "",
    organization_type: str = "",
    leave_out: Iterable[int] = (),
) -> list[Participant]:
    """The participants that match: every word of ``text`` in their name, offer, seek or
    linked opportunities (accents and case aside, in either language), their
    organization's hub and type (codes; empty for any), and not in ``leave_out``."""
    words = fold(text).split()
    left_out = set(leave_out)
    kept = []
    for participant in participants:
        organization = participant.organization
        if participant.pk in left_out:
            continue
        if hub and (organization is None or organization.hub.slug != hub):
            continue
        if organization_type and (
            organization is None or organization.type.code != organization_type
        ):
            continue
        if words:
            haystack = fold(
                " ".join(
                    [
                        participant.display_name,
                        participant.offer,
                        participant.seek,
                        *(o.title for o in getattr(participant, "linked_opportunities", [])),
                    ]
                )
            )
            if not all(word in haystack for word in words):
                continue
        kept.append(participant)
    return kept


@dataclass(frozen=True)
class CatalogueSearch:
    """The catalogue as one viewer searched it: everyone, who matched, and whom the
    viewer's registration already has an open request with."""

    everyone: list[Participant]
    found: list[Participant]
    open_with: set[int]


def search_catalogue(
    everyone: list[Participant],
    me: Participant | None,
    *,
    text: str = "",
    hub: str = "",
    organization_type: str = "",
    can_ask: bool = False,
) -> CatalogueSearch:
    """The catalogue (``catalogue_of``) narrowed as the page and the API let participants
    narrow it; ``can_ask`` leaves out ``me`` and whoever ``me`` has an open request with."""
    open_with = open_request_partners(me) if me is not None else set()
    found = filter_catalogue(
        everyone,
        text=text,
        hub=hub,
        organization_type=organization_type,
        leave_out=open_with | {me.pk} if me is not None and can_ask else (),
    )
    return CatalogueSearch(everyone=everyone, found=found, open_with=open_with)


def announcements_of(event: Event) -> list[Announcement]:
    """Everything the organizers sent, newest first (for the organizers)."""
    return list(Announcement.objects.filter(event=event).select_related("author"))


#: How many announcements the event's page keeps for a participant (the newest).
PAGE_ANNOUNCEMENTS = 5


def announcements_for(participant: Participant) -> list[Announcement]:
    """The newest announcements the event's page shows the participant: those to
    everyone, and to standby when they are on standby. Day-of messages to who has or has
    not checked in reached them when they were sent, and would mislead later."""
    audiences = [Audience.EVERYONE] + ([Audience.STANDBY] if participant.standby else [])
    return list(
        Announcement.objects.filter(event_id=participant.event_id, audience__in=audiences)[
            :PAGE_ANNOUNCEMENTS
        ]
    )


def participant_in_event(event: Event, pk: int) -> Participant:
    participant = participants_of(event).filter(pk=pk).first()
    if participant is None:
        raise NotFound(_("There is no such participant at this event."))
    return participant


def slots_of(event: Event) -> QuerySet[Slot]:
    return Slot.objects.filter(event=event).select_related("session").order_by("starts_at", "id")


def event_over(event: Event, now: dt.datetime | None = None) -> bool:
    """Whether every slot of the event has ended (an event without slots is not over)."""
    slots = Slot.objects.filter(event=event)
    return slots.exists() and not slots.filter(ends_at__gt=now or timezone.now()).exists()


def requests_of(participant: Participant) -> dict[str, list[MeetingRequest]]:
    """Requests the participant received and sent, newest first. A pending request past its
    answer time shows as expired (the periodic job records it; answers are refused already)."""
    base = MeetingRequest.objects.select_related(
        "requester__organization", "requester__user", "target__organization", "target__user"
    )
    now = timezone.now()
    found = {
        "received": list(base.filter(target=participant)),
        "sent": list(base.filter(requester=participant)),
    }
    for item in found["received"] + found["sent"]:
        if item.status == RequestStatus.PENDING and item.expires_at <= now:
            item.status = RequestStatus.EXPIRED
    return found


def open_request_partners(participant: Participant) -> set[int]:
    """The participants this one has an open request with, either way: accepted, or
    pending and not past its answer time (an expired one does not stop a new request)."""
    open_requests = Q(status=RequestStatus.ACCEPTED) | Q(
        status=RequestStatus.PENDING, expires_at__gt=timezone.now()
    )
    partners: set[int] = set()
    for pair in MeetingRequest.objects.filter(
        Q(requester=participant) | Q(target=participant), open_requests
    ).values_list("requester_id", "target_id"):
        partners.update(pair)
    partners.discard(participant.pk)
    return partners


def request_for_viewer(user: Any, pk: int) -> MeetingRequest:
    """A request the user is a side of (or organizes), else NotFound."""
    from puente.events.services import acts_for, can_organize

    request = (
        MeetingRequest.objects.select_related(
            "event__hub",
            "requester__organization",
            "requester__user",
            "target__organization",
            "target__user",
        )
        .filter(pk=pk)
        .first()
    )
    if request is None or not (
        acts_for(user, request.requester)
        or acts_for(user, request.target)
        or can_organize(user, request.event)
    ):
        raise NotFound(_("There is no such meeting request, or it is not yours."))
    return request


def _meetings(event: Event) -> QuerySet[Meeting]:
    return Meeting.objects.filter(event=event).select_related(
        "slot__session",
        "first__organization__hub",
        "first__user",
        "second__organization__hub",
        "second__user",
        "session",
    )


@dataclass(frozen=True)
class AgendaItem:
    """One meeting of a participant's agenda."""

    meeting: Meeting
    slot: Slot
    counterpart: Participant
    table: int
    video_url: str


def agenda_of(participant: Participant, viewer: Viewer | None = None) -> list[AgendaItem]:
    """The participant's placed meetings in time order; given a viewer, each counterpart
    carries the linked opportunities that viewer may see (one query for all)."""
    event = participant.event
    items = []
    for meeting in _meetings(event).filter(either_side(participant), slot__isnull=False):
        assert meeting.slot is not None
        assert meeting.table is not None
        video = event.video_link(meeting.table)
        items.append(
            AgendaItem(
                meeting=meeting,
                slot=meeting.slot,
                counterpart=meeting.other(participant),
                table=meeting.table,
                video_url=video,
            )
        )
    items.sort(key=lambda item: (item.slot.starts_at, item.table))
    if viewer is not None:
        prefetch_related_objects([item.counterpart for item in items], _shown_opportunities(viewer))
    return items


@dataclass(frozen=True)
class CancelledItem:
    """A meeting that left a participant's schedule, at the last time it had: what a
    calendar file needs to tell clients that imported it to drop it."""

    uid: Any
    sequence: int
    modified: dt.datetime
    slot: Slot
    counterpart: Participant


def cancelled_of(participant: Participant) -> list[CancelledItem]:
    """The participant's meetings that left the schedule after being placed: those still
    to place again (at the slot they had) and those removed for good."""
    mine = either_side(participant)
    items = [
        CancelledItem(
            uid=meeting.uid,
            sequence=meeting.sequence,
            modified=meeting.updated_at,
            slot=meeting.last_slot,
            counterpart=meeting.other(participant),
        )
        for meeting in _meetings(participant.event)
        .filter(mine, slot__isnull=True)
        .exclude(last_slot=None)
        .select_related("last_slot")
        if meeting.last_slot is not None
    ]
    items.extend(
        CancelledItem(
            uid=gone.uid,
            sequence=gone.sequence,
            modified=gone.cancelled_at,
            slot=gone.slot,
            counterpart=gone.other(participant),
        )
        for gone in MeetingCancellation.objects.filter(
            mine, event_id=participant.event_id
        ).select_related(
            "slot",
            "first__organization",
            "first__user",
            "second__organization",
            "second__user",
        )
    )
    items.sort(key=lambda item: item.slot.starts_at)
    return items


@dataclass(frozen=True)
class WithdrawalEffects:
    """What withdrawing would undo: the meetings (with whom, placed or not) and the
    requests still open either way."""

    counterparts: list[Participant]
    placed: int
    open_requests: int


def withdrawal_effects(participant: Participant) -> WithdrawalEffects:
    mine = either_side(participant)
    meetings = list(_meetings(participant.event).filter(mine).order_by("slot__starts_at", "id"))
    return WithdrawalEffects(
        counterparts=[meeting.other(participant) for meeting in meetings],
        placed=sum(1 for meeting in meetings if meeting.slot_id is not None),
        open_requests=MeetingRequest.objects.filter(
            Q(requester=participant) | Q(target=participant),
            status__in=[RequestStatus.PENDING, RequestStatus.ACCEPTED],
        )
        .exclude(meeting__isnull=False)
        .count(),
    )


def feed_of(participant: Participant) -> tuple[list[AgendaItem], list[CancelledItem]]:
    """What the participant's calendar subscription carries: the agenda and the meetings
    that left it; when the event is cancelled, every meeting as cancelled."""
    items, cancelled = agenda_of(participant), cancelled_of(participant)
    if participant.event.status != EventStatus.CANCELLED:
        return items, cancelled
    cancelled.extend(
        CancelledItem(
            uid=item.meeting.uid,
            sequence=item.meeting.sequence + 1,
            modified=participant.event.updated_at,
            slot=item.slot,
            counterpart=item.counterpart,
        )
        for item in items
    )
    cancelled.sort(key=lambda item: item.slot.starts_at)
    return [], cancelled


def meetings_of(event: Event) -> list[Meeting]:
    return list(_meetings(event).order_by("slot__starts_at", "table", "id"))


def schedule_rows(event: Event) -> list[list[Any]]:
    """The schedule as spreadsheet rows, header first: placed meetings in time order (times
    in the event's zone), then those not placed; names safe from formula injection."""
    rows: list[list[Any]] = [
        [
            _("Day"),
            _("Start"),
            _("End"),
            _("Session"),
            _("Table"),
            _("Participant"),
            _("Other participant"),
            _("Priority"),
            _("Locked"),
            _("Video link"),
        ]
    ]
    meetings = meetings_of(event)
    meetings.sort(key=lambda m: m.slot is None)  # stable: placed ones keep their order
    for meeting in meetings:
        slot = meeting.slot
        start = slot.starts_at.astimezone(event.zone) if slot else None
        end = slot.ends_at.astimezone(event.zone) if slot else None
        session = slot.session if slot else meeting.session
        rows.append(
            [
                start.date().isoformat() if start else _("Not placed"),
                start.strftime("%H:%M") if start else "",
                end.strftime("%H:%M") if end else "",
                session.name if session else "",
                meeting.table or "",
                safe_cell(meeting.first.display_name),
                safe_cell(meeting.second.display_name),
                meeting.priority,
                _("yes") if meeting.locked else "",
                event.video_link(meeting.table) if slot else "",
            ]
        )
    return rows


def _feedback_named(event: Event) -> QuerySet[MeetingFeedback]:
    """The event's feedback with what names its sides and the meeting's time."""
    return MeetingFeedback.objects.filter(meeting__event=event).select_related(
        "participant__organization",
        "participant__user",
        "meeting__slot",
        "meeting__first__organization",
        "meeting__first__user",
        "meeting__second__organization",
        "meeting__second__user",
    )


def feedback_rows(event: Event) -> list[list[Any]]:
    """Every feedback answer as spreadsheet rows, header first, in the meetings' time order
    (times in the event's zone); names and notes safe from formula injection."""
    rows: list[list[Any]] = [
        [
            _("Day"),
            _("Start"),
            _("Participant"),
            _("Other participant"),
            _("Took place"),
            _("Usefulness (1 to 5)"),
            _("What comes next"),
            _("Note for the organizers"),
            _("Answered on"),
        ]
    ]
    answers = _feedback_named(event).order_by(
        "meeting__slot__starts_at", "meeting_id", "participant_id"
    )
    for answer in answers:
        slot = answer.meeting.slot
        start = slot.starts_at.astimezone(event.zone) if slot else None
        rows.append(
            [
                start.date().isoformat() if start else "",
                start.strftime("%H:%M") if start else "",
                safe_cell(answer.participant.display_name),
                safe_cell(answer.meeting.other(answer.participant).display_name),
                _("yes") if answer.held else _("no"),
                answer.rating or "",
                answer.get_outcome_display() if answer.outcome else "",
                safe_cell(answer.note),
                answer.updated_at.astimezone(event.zone).strftime("%Y-%m-%d %H:%M"),
            ]
        )
    return rows


def participant_rows(event: Event) -> list[list[Any]]:
    """The participants as spreadsheet rows, header first, in alphabetical order: who they
    are, their catalogue entry, their requests and placed meetings, and the event day
    (times in the event's zone). Withdrawn ones come too, marked so."""
    rows: list[list[Any]] = [
        [
            _("Participant"),
            _("Type"),
            _("Hub"),
            _("Status"),
            _("Registered by"),
            _("Attendees"),
            _("What they offer"),
            _("What they seek"),
            _("On standby"),
            _("Requests sent"),
            _("Requests received"),
            _("Meetings placed"),
            _("Checked in"),
            _("Did not show up"),
            _("Registered on"),
        ]
    ]
    participants = Participant.objects.filter(event=event).select_related(
        "organization__hub", "organization__type", "user"
    )
    sent = Counter(
        MeetingRequest.objects.filter(event=event).values_list("requester_id", flat=True)
    )
    received = Counter(
        MeetingRequest.objects.filter(event=event).values_list("target_id", flat=True)
    )
    placed: Counter[int] = Counter()
    for first, second in Meeting.objects.filter(event=event, slot__isnull=False).values_list(
        "first_id", "second_id"
    ):
        placed.update((first, second))
    zone = event.zone

    def when(moment: dt.datetime | None) -> str:
        return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M") if moment else ""

    for participant in alphabetical(participants):
        organization = participant.organization
        rows.append(
            [
                safe_cell(participant.display_name),
                organization.type.label if organization else "",
                organization.hub.name if organization else "",
                participant.get_status_display(),
                safe_cell(participant.user.full_name or participant.user.email),
                safe_cell(participant.attendees),
                safe_cell(participant.offer),
                safe_cell(participant.seek),
                _("yes") if participant.standby else "",
                sent[participant.pk],
                received[participant.pk],
                placed[participant.pk],
                when(participant.checked_in_at),
                _("yes") if participant.no_show else "",
                when(participant.created_at),
            ]
        )
    return rows


#: Meeting filters of the organizer's list.
MEETING_FILTERS = ("all", "unplaced", "locked", "placed")


def filter_meetings(
    meetings: list[Meeting], *, text: str = "", show: str = "all", slot_id: int | None = None
) -> list[Meeting]:
    """The organizer's list narrowed to a participant's name, a state and a slot."""
    words = text.casefold().split()
    kept = []
    for meeting in meetings:
        names = f"{meeting.first.display_name} {meeting.second.display_name}".casefold()
        if any(word not in names for word in words):
            continue
        if show == "unplaced" and meeting.slot_id is not None:
            continue
        if show == "placed" and meeting.slot_id is None:
            continue
        if show == "locked" and not meeting.locked:
            continue
        if slot_id is not None and meeting.slot_id != slot_id:
            continue
        kept.append(meeting)
    return kept


_ATTENDEE_SEPARATORS = ",;\n"


def attendee_names(text: str) -> list[tuple[str, str]]:
    """The people in a registration's "who will attend" text, as (name, role) pairs:
    entries are separated by commas, semicolons or new lines outside parentheses, and a
    role is what an entry has in parentheses ("Ana Gómez (CEO, founder)"). Repeated names
    count once."""
    entries: list[str] = []
    depth = 0
    current: list[str] = []
    for char in text:
        depth += char == "("
        depth -= char == ")" and depth > 0
        if char in _ATTENDEE_SEPARATORS and depth == 0:
            entries.append("".join(current))
            current = []
        else:
            current.append(char)
    entries.append("".join(current))
    people: dict[str, tuple[str, str]] = {}
    for entry in entries:
        name, _open, role = entry.partition("(")
        name = " ".join(name.split())
        role = " ".join(role.rstrip().removesuffix(")").split())
        if name and name.casefold() not in people:
            people[name.casefold()] = (name, role)
    return list(people.values())


@dataclass(frozen=True)
class Badge:
    """One name badge for the event day: a person and whom they come for (the badge
    carries the participant's check-in code, the same on each of its people's badges)."""

    participant: Participant
    name: str
    role: str


def badges_of(event: Event, participant_id: int | None = None) -> list[Badge]:
    """Name badges of the registered participants (or of one), in alphabetical order of
    participant and then as their people were listed. A participant that named nobody
    gets one badge in the name of the person who registered it."""
    participants = participants_of(event)
    if participant_id is not None:
        participants = participants.filter(pk=participant_id)
    badges: list[Badge] = []
    for participant in alphabetical(participants):
        people = attendee_names(participant.attendees) or [
            (participant.user.full_name or participant.user.email, "")
        ]
        badges.extend(Badge(participant, name, role) for name, role in people)
    return badges


def all_agendas(event: Event) -> list[tuple[Participant, list[tuple[Meeting, Participant]]]]:
    """Every registered participant's placed meetings in time order, each with its
    counterpart, participants in alphabetical order (one query for the meetings), for
    printing every agenda at once."""
    placed: dict[int, list[tuple[Meeting, Participant]]] = {}
    for meeting in meetings_of(event):
        if meeting.slot_id is None:
            continue
        placed.setdefault(meeting.first_id, []).append((meeting, meeting.second))
        placed.setdefault(meeting.second_id, []).append((meeting, meeting.first))
    return [
        (participant, placed.get(participant.pk, []))
        for participant in alphabetical(participants_of(event))
    ]


@dataclass(frozen=True)
class TableCard:
    """What one table hosts over the event, for the card printed and left on it."""

    table: int
    meetings: list[Meeting]


def table_cards(event: Event) -> list[TableCard]:
    """Each table with a meeting and its placed meetings in time order."""
    by_table: dict[int, list[Meeting]] = {}
    for meeting in meetings_of(event):
        if meeting.slot_id is not None and meeting.table is not None:
            by_table.setdefault(meeting.table, []).append(meeting)
    return [TableCard(table, by_table[table]) for table in sorted(by_table)]


#: The event day starts this long before its first slot: participants check themselves in,
#: their agenda shows the next meeting and the organizers watch who is still missing.
EVENT_DAY_LEAD = dt.timedelta(hours=3)


@dataclass(frozen=True)
class SlotWatch:
    """A slot in progress or coming next, for the organizers on the event day: its
    meetings and those with a side that has not checked in (with who is missing)."""

    slot: Slot
    meetings: int
    waiting: list[tuple[Meeting, list[Participant]]]


def now_and_next(
    event: Event, slots: list[Slot], meetings: list[Meeting], now: dt.datetime
) -> tuple[SlotWatch | None, SlotWatch | None]:
    """The slot in progress and the next one (each ``None`` when there is none), on the
    event day of a published agenda: from ``EVENT_DAY_LEAD`` before the next slot."""
    if not event.is_published:
        return None, None
    current = next((s for s in slots if s.starts_at <= now < s.ends_at), None)
    coming = next((s for s in slots if s.starts_at > now), None)
    if coming is not None and coming.starts_at - now > EVENT_DAY_LEAD:
        coming = None

    def watch(slot: Slot | None) -> SlotWatch | None:
        if slot is None:
            return None
        placed = [m for m in meetings if m.slot_id == slot.pk]
        waiting = []
        for meeting in sorted(placed, key=lambda m: m.table or 0):
            missing = [p for p in (meeting.first, meeting.second) if p.checked_in_at is None]
            if missing:
                waiting.append((meeting, missing))
        return SlotWatch(slot=slot, meetings=len(placed), waiting=waiting)

    return watch(current), watch(coming)


@dataclass(frozen=True)
class GridRow:
    """One slot of the schedule grid: the meeting at each table (``None`` when free)."""

    slot: Slot
    cells: list[Meeting | None]

    @property
    def used(self) -> int:
        return sum(cell is not None for cell in self.cells)


def schedule_grid(event: Event, slots: list[Slot], meetings: list[Meeting]) -> list[GridRow]:
    """Slots by tables: who meets where, as the organizer checks the day at a glance."""
    at: dict[tuple[int, int], Meeting] = {
        (m.slot_id, m.table): m for m in meetings if m.slot_id is not None and m.table is not None
    }
    return [
        GridRow(slot=slot, cells=[at.get((slot.pk, t)) for t in range(1, event.tables + 1)])
        for slot in slots
    ]


def latest_run(event: Event) -> ScheduleRun | None:
    return ScheduleRun.objects.filter(event=event).order_by("-created_at", "-id").first()


def run_for_event(event: Event, pk: int) -> ScheduleRun:
    run = ScheduleRun.objects.filter(event=event, pk=pk).first()
    if run is None:
        raise NotFound(_("There is no such scheduler run."))
    return run


def count_breaks(slot_positions: list[int]) -> int:
    """Breaks of one participant: runs of idle slots between two of their meetings."""
    ordered = sorted(set(slot_positions))
    return sum(1 for a, b in itertools.pairwise(ordered) if b - a > 1)


@dataclass
class EventStatistics:
    """The organizer's figures for an event."""

    participants: int = 0
    checked_in: int = 0
    no_shows: int = 0
    standby_meetings: int = 0
    requests_made: int = 0
    requests_accepted: int = 0
    requests_pending: int = 0
    requests_declined: int = 0
    meetings: int = 0
    meetings_placed: int = 0
    breaks_total: int = 0
    meetings_per_participant: dict[int, int] = field(default_factory=dict)
    breaks_per_participant: dict[int, int] = field(default_factory=dict)

    @property
    def average_meetings(self) -> float:
        if not self.participants:
            return 0.0
        return round(sum(self.meetings_per_participant.values()) / self.participants, 1)


def event_statistics(event: Event, meetings: list[Meeting] | None = None) -> EventStatistics:
    """Requests made and accepted, meetings placed, breaks, meetings per participant."""
    stats = EventStatistics()
    registered = list(
        Participant.objects.filter(event=event, status=ParticipantStatus.REGISTERED).values_list(
            "pk", "checked_in_at", "no_show"
        )
    )
    participant_ids = [pk for pk, _arrived, _absent in registered]
    stats.participants = len(participant_ids)
    stats.checked_in = sum(1 for _pk, arrived, _absent in registered if arrived is not None)
    stats.no_shows = sum(1 for _pk, _arrived, absent in registered if absent)
    by_status = Counter(MeetingRequest.objects.filter(event=event).values_list("status", flat=True))
    stats.requests_made = sum(by_status.values())
    stats.requests_accepted = by_status.get(RequestStatus.ACCEPTED, 0)
    stats.requests_pending = by_status.get(RequestStatus.PENDING, 0)
    stats.requests_declined = by_status.get(RequestStatus.DECLINED, 0)
    meetings = meetings if meetings is not None else meetings_of(event)
    positions = {pk: i for i, pk in enumerate(slots_of(event).values_list("pk", flat=True))}
    per_participant: dict[int, list[int]] = {pk: [] for pk in participant_ids}
    counts: Counter[int] = Counter(dict.fromkeys(participant_ids, 0))
    for meeting in meetings:
        stats.meetings += 1
        if meeting.replaces_id is not None:
            stats.standby_meetings += 1
        counts[meeting.first_id] += 1
        counts[meeting.second_id] += 1
        if meeting.slot_id is not None and meeting.slot_id in positions:
            stats.meetings_placed += 1
            for pk in (meeting.first_id, meeting.second_id):
                per_participant.setdefault(pk, []).append(positions[meeting.slot_id])
    stats.meetings_per_participant = dict(counts)
    stats.breaks_per_participant = {pk: count_breaks(p) for pk, p in per_participant.items()}
    stats.breaks_total = sum(stats.breaks_per_participant.values())
    return stats


@dataclass
class FeedbackSummary:
    """What the participants said about their meetings."""

    answers: int = 0
    participants: int = 0
    meetings: int = 0
    held: int = 0
    not_held: int = 0
    average_rating: float | None = None
    outcomes: list[tuple[str, int]] = field(default_factory=list)
    notes: list[MeetingFeedback] = field(default_factory=list)


def counts_as_held(meeting: Meeting, now: dt.datetime) -> bool:
    """Whether a meeting counts as held, for the funders' figures: it has a place in a
    published agenda, its time has come, and those of its sides who said how it went did
    not all say it did not take place (``meeting.feedback`` is best prefetched)."""
    if meeting.event.status != EventStatus.PUBLISHED or meeting.slot is None:
        return False
    if meeting.slot.starts_at > now:
        return False
    said = [feedback.held for feedback in meeting.feedback.all()]
    return not said or any(said)


@dataclass
class EventResults:
    """An event's results as the funders' report gives them."""

    stats: EventStatistics
    feedback: FeedbackSummary
    by_hub: list[tuple[str, int]] = field(default_factory=list)
    by_type: list[tuple[str, int]] = field(default_factory=list)
    held: int = 0
    held_across_hubs: int = 0
    placed_across_hubs: int = 0
    hub_pairs: list[tuple[str, int, int]] = field(default_factory=list)
    requests_expired: int = 0

    @property
    def acceptance_rate(self) -> int | None:
        answered = self.stats.requests_accepted + self.stats.requests_declined
        return round(100 * self.stats.requests_accepted / answered) if answered else None


def event_results(event: Event, now: dt.datetime | None = None) -> EventResults:
    """Who took part (by hub and type), requests, meetings placed and held (across hubs
    too, and by pair of hubs), the event day and what the participants said."""
    now = now or timezone.now()
    meetings = list(_meetings(event).select_related("event").prefetch_related("feedback"))
    results = EventResults(
        stats=event_statistics(event, meetings), feedback=feedback_summary(event)
    )
    registered = list(participants_of(event))
    results.by_hub = Counter(
        p.organization.hub.name if p.organization else _("No organization") for p in registered
    ).most_common()
    results.by_type = Counter(
        p.organization.type.label if p.organization else _("No organization") for p in registered
    ).most_common()
    results.requests_expired = MeetingRequest.objects.filter(
        event=event, status=RequestStatus.EXPIRED
    ).count()
    pairs: dict[str, list[int]] = {}
    for meeting in meetings:
        if meeting.slot_id is None:
            continue
        hubs = sorted(
            p.organization.hub.name if p.organization else _("No organization")
            for p in (meeting.first, meeting.second)
        )
        across = hubs[0] != hubs[1]
        held = counts_as_held(meeting, now)
        results.held += held
        results.placed_across_hubs += across
        results.held_across_hubs += held and across
        counts = pairs.setdefault(" – ".join(hubs), [0, 0])
        counts[0] += 1
        counts[1] += held
    results.hub_pairs = sorted(
        ((name, placed, held) for name, (placed, held) in pairs.items()), key=lambda row: -row[1]
    )
    return results


#: Notes shown on the organizer's page (the newest).
FEEDBACK_NOTES_SHOWN = 50


def feedback_summary(event: Event) -> FeedbackSummary:
    """Answers, meetings reported as held or not, average usefulness, outcomes in the order
    of their choices, and the newest notes for the organizers."""
    answers = list(
        MeetingFeedback.objects.filter(meeting__event=event).values_list(
            "participant_id", "meeting_id", "held", "rating", "outcome"
        )
    )
    summary = FeedbackSummary(answers=len(answers))
    if not answers:
        return summary
    summary.participants = len({row[0] for row in answers})
    held_by_meeting: dict[int, bool] = {}
    for _participant, meeting, held, _rating, _outcome in answers:
        held_by_meeting[meeting] = held_by_meeting.get(meeting, False) or held
    summary.meetings = len(held_by_meeting)
    summary.held = sum(1 for held in held_by_meeting.values() if held)
    summary.not_held = summary.meetings - summary.held
    ratings = [rating for *_rest, rating, _outcome in answers if rating is not None]
    if ratings:
        summary.average_rating = round(sum(ratings) / len(ratings), 1)
    counted = Counter(outcome for *_rest, outcome in answers if outcome)
    summary.outcomes = [
        (str(label), counted[value]) for value, label in MeetingOutcome.choices if counted[value]
    ]
    summary.notes = list(
        _feedback_named(event)
        .exclude(note="")
        .order_by("-updated_at", "-id")[:FEEDBACK_NOTES_SHOWN]
    )
    return summary


def meeting_of(participant: Participant, pk: int) -> Meeting:
    """One of the participant's own meetings, else NotFound."""
    meeting = (
        _meetings(participant.event)
        .filter(either_side(participant), pk=pk)
        .select_related("event__hub")
        .first()
    )
    if meeting is None:
        raise NotFound(_("There is no such meeting on your agenda."))
    return meeting


def feedback_of(participant: Participant) -> dict[int, MeetingFeedback]:
    """The participant's own feedback, by meeting id."""
    return {
        feedback.meeting_id: feedback
        for feedback in MeetingFeedback.objects.filter(participant=participant)
    }


def run_in_progress(event: Event) -> ScheduleRun | None:
    return (
        ScheduleRun.objects.filter(event=event, status__in=[RunStatus.QUEUED, RunStatus.RUNNING])
        .order_by("-created_at")
        .first()
    )


def upcoming_cutoff() -> dt.date:
    return timezone.localdate() - dt.timedelta(days=1)


@dataclass(frozen=True)
class Suggestion:
    """A participant the matching engine ranks well for the viewer's opportunities or what
    they seek."""

    participant: Participant
    score: float
    reasons: list[Any]


#: How many of ``me``'s linked opportunities are matched for suggestions.
MAX_MATCHED_OPPORTUNITIES = 10


def suggested_participants(
    viewer: Viewer, me: Participant, *, limit: int = 8, depth: int = 200
) -> list[Suggestion]:
    """Participants of the same event the matching engine ranks as counterparts, best first.

    First the matches of each of ``me``'s live linked opportunities (a matched opportunity of
    another participant's organization, or that organization itself, suggests the
    participant; the best score wins), then a free-text search on what ``me`` seeks fills up
    to ``limit``. What ``me`` offers is not searched: who offers the same is a competitor.
    Participants already asked or asking, and ``me``, are left out."""
    from puente.matching.explanations import Reason
    from puente.matching.items import OPPORTUNITY, ORGANIZATION
    from puente.matching.selectors import opportunity_matches, search

    asked = open_request_partners(me) | {me.pk}
    by_organization = {
        p.organization_id: p
        for p in participants_of(me.event).exclude(pk__in=asked)
        if p.organization_id is not None
    }
    if not by_organization:
        return []
    best: dict[int, Suggestion] = {}
    mine = me.opportunities.filter(_live_opportunity()).order_by("id")[:MAX_MATCHED_OPPORTUNITIES]
    for opportunity in mine:
        for result in opportunity_matches(viewer, opportunity, limit=depth):
            if result.item_type == OPPORTUNITY:
                organization_id = result.object.organization_id  # type: ignore[attr-defined]
                because = _("Matches your opportunity “%(mine)s” with their “%(theirs)s”.") % {
                    "mine": opportunity.title,
                    "theirs": result.object.title,  # type: ignore[attr-defined]
                }
            elif result.item_type == ORGANIZATION:
                organization_id = result.id
                because = _("Fits your opportunity “%(mine)s”.") % {"mine": opportunity.title}
            else:
                continue
            participant = by_organization.get(organization_id)
            if participant is None:
                continue
            current = best.get(participant.pk)
            if current is None or result.score > current.score:
                linked = Reason(
                    code="linked_opportunity",
                    text=because,
                    contribution=0.0,
                    params={"opportunity": opportunity.pk, "item_type": result.item_type},
                )
                best[participant.pk] = Suggestion(
                    participant=participant,
                    score=result.score,
                    reasons=[linked, *result.reasons],
                )
    suggestions = sorted(best.values(), key=lambda s: (-s.score, s.participant.pk))[:limit]
    if len(suggestions) < limit and me.seek.strip():
        for result in search(viewer, me.seek, types=[ORGANIZATION], limit=depth):
            participant = by_organization.get(result.id)
            if participant is None or participant.pk in best:
                continue
            best[participant.pk] = Suggestion(
                participant=participant, score=result.score, reasons=result.reasons
            )
            suggestions.append(best[participant.pk])
            if len(suggestions) >= limit:
                break
    return suggestions
