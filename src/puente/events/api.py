"""API: brokerage events, registration, meeting requests and the caller's agenda (JSON and
iCalendar). Each endpoint parses its input, calls one selector or service and answers."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from puente.accounts.viewer import viewer_for
from puente.api.auth import caller, caller_or_anonymous, required_auth
from puente.api.schemas import ERRORS, READ_ERRORS, InputSchema, ObjectId, PageParams
from puente.api.validation import refuse_unknown_codes
from puente.core.errors import NotFound, ValidationFailed
from puente.core.ids import MAX_ID
from puente.core.models import Vocabulary
from puente.core.timezones import zone as zone_named
from puente.directory.models import Organization
from puente.events import selectors, services, services_announcements, services_feedback
from puente.events.calendar import agenda_download, webcal
from puente.events.models import Event, MeetingRequest, Participant, Slot
from puente.marketplace.models import Opportunity

router = Router(tags=["events"])


# --- schemas -------------------------------------------------------------------------------
class SlotOut(Schema):
    id: int
    session: str
    starts_at: dt.datetime = Field(..., description="Start, in UTC.")
    ends_at: dt.datetime


class SessionOut(Schema):
    id: int
    name: str
    date: dt.date
    start_time: dt.time = Field(..., description="Wall-clock time in the event's zone.")
    end_time: dt.time
    break_start: dt.time | None
    break_minutes: int


class EventOut(Schema):
    id: int
    slug: str
    url: str = Field(..., description="The event's page in the web app.")
    title: str
    description: str
    language: str
    hub: str = Field(..., description="Slug of the organizing hub.")
    other_hubs: list[str]
    time_zone: str
    format: Literal["in_person", "virtual", "hybrid"]
    venue: str
    start_date: dt.date
    end_date: dt.date
    slot_minutes: int
    tables: int
    status: Literal["draft", "open", "published", "cancelled"]
    registration_closes_at: dt.datetime | None
    requests_close_at: dt.datetime | None
    max_requests_per_participant: int
    max_meetings_per_participant: int


class EventDetailOut(EventOut):
    sessions: list[SessionOut]
    slots: list[SlotOut]
    participants: int
    registered: bool = Field(..., description="Whether the caller speaks for a registration.")


class EventPage(Schema):
    items: list[EventOut]
    count: int


class ParticipantOut(Schema):
    id: int
    name: str
    organization: int | None
    offer: str
    seek: str
    language: str
    unavailable_slots: list[int]
    opportunities: list[int] = Field(..., description="Ids of the linked opportunities.")


class CatalogueFilters(InputSchema):
    q: str = Field(
        "",
        max_length=100,
        description="Words to find in the name, offer, seek and linked opportunities "
        "(every word; accents and case aside).",
    )
    hub: str = Field("", max_length=40, description="Only organizations of this hub (slug).")
    type: str = Field("", max_length=60, description="Only organizations of this type (code).")
    can_ask: bool = Field(
        False,
        description="Only those you can still ask for a meeting: not yourself, nobody you "
        "have an open request with (needs a registration).",
    )


class CatalogueEntryOut(Schema):
    id: int
    name: str
    organization: int | None
    hub: str | None = Field(..., description="The organization's hub (slug).")
    type: str | None = Field(..., description="The organization's type (code).")
    offer: str
    seek: str
    language: str
    attendees: str = Field(
        ..., description="Who will attend; empty unless you are registered or organize."
    )
    opportunities: list[int] = Field(
        ..., description="Ids of the linked opportunities you may see."
    )
    open_request: bool = Field(
        ..., description="Whether you have an open (pending or accepted) request with them."
    )


class CataloguePage(Schema):
    items: list[CatalogueEntryOut]
    count: int


#: Who an announcement is for (``events.models.Audience``).
AudienceCode = Literal["everyone", "checked_in", "not_checked_in", "standby", "no_meetings"]


class AnnouncementIn(InputSchema):
    message: str = Field(..., max_length=1000)
    audience: AudienceCode = "everyone"


class AnnouncementOut(Schema):
    id: int
    message: str
    audience: AudienceCode
    recipients: int | None = Field(
        ..., description="How many people it reached (organizers only; null for others)."
    )
    created_at: dt.datetime


class AnnouncementList(Schema):
    items: list[AnnouncementOut]


class CountOut(Schema):
    name: str
    count: int


class HubPairOut(Schema):
    between: str = Field(..., description='The two sides\' hubs, e.g. "Medellín – Miami".')
    placed: int
    held: int


class ResultsOut(Schema):
    participants: int
    checked_in: int
    no_shows: int
    by_hub: list[CountOut]
    by_type: list[CountOut]
    requests_made: int
    requests_accepted: int
    requests_declined: int
    requests_expired: int
    acceptance_rate: int | None = Field(
        ..., description="Percent accepted of the requests answered (null before any answer)."
    )
    meetings_placed: int
    meetings_held: int = Field(
        ...,
        description="Placed meetings of a published agenda whose time has come, unless the "
        "sides who answered all said it did not take place (the funders' indicator's rule).",
    )
    placed_across_hubs: int
    held_across_hubs: int
    hub_pairs: list[HubPairOut]
    standby_meetings: int
    feedback_answers: int
    average_usefulness: float | None
    outcomes: list[CountOut]


class RegistrationIn(InputSchema):
    organization: int | None = Field(
        None, ge=1, le=MAX_ID, description="Your organization's id; null registers you alone."
    )
    attendees: str = Field("", max_length=300)
    offer: str = Field("", max_length=2000)
    seek: str = Field("", max_length=2000)
    language: Literal["es", "en"] = "es"
    unavailable_slots: list[Annotated[int, Field(ge=1, le=MAX_ID)]] = Field(
        [], max_length=500, description="Slot ids you cannot attend."
    )
    opportunities: list[Annotated[int, Field(ge=1, le=MAX_ID)]] = Field(
        [],
        max_length=100,
        description="Ids of your organization's published opportunities to link to your "
        "catalogue entry.",
    )


class RequestIn(InputSchema):
    message: str = Field("", max_length=1000)
    priority: int = Field(1, ge=1, le=3, description="1 normal, 2 high, 3 essential.")


class AnswerIn(InputSchema):
    message: str = Field("", max_length=500)


class RequestOut(Schema):
    id: int
    event: int
    requester: int
    requester_name: str
    target: int
    target_name: str
    message: str
    priority: int
    status: Literal["pending", "accepted", "declined", "expired", "cancelled"]
    expires_at: dt.datetime
    answer_message: str


class RequestsOut(Schema):
    participant: int
    received: list[RequestOut]
    sent: list[RequestOut]


class RefusedOut(Schema):
    request: RequestOut
    reason: str


class AcceptAllOut(Schema):
    accepted: int = Field(..., description="Requests accepted by this call.")
    refused: list[RefusedOut] = Field(
        ..., description="Pending requests that could not be accepted; they stay pending."
    )


class AgendaItemOut(Schema):
    meeting: int
    uid: str
    starts_at: dt.datetime = Field(..., description="Start in UTC.")
    ends_at: dt.datetime
    starts_at_event_zone: dt.datetime = Field(..., description="Start in the event's zone.")
    starts_at_your_zone: dt.datetime = Field(..., description="Start in the caller's zone.")
    table: int
    video_url: str
    counterpart: int
    counterpart_name: str
    counterpart_offer: str
    counterpart_seek: str
    counterpart_attendees: str
    counterpart_opportunities: list[int] = Field(
        ..., description="Ids of the counterpart's linked opportunities that you may see."
    )
    feedback: FeedbackOut | None = Field(
        None, description="Your feedback on the meeting, once given."
    )


class FeedbackIn(InputSchema):
    held: bool = Field(..., description="Whether the meeting took place.")
    rating: int | None = Field(None, ge=1, le=5, description="Usefulness, 1 to 5.")
    outcome: Literal["", "none", "follow_up", "negotiating", "agreement"] = Field(
        "", description="What comes next (kept only when the meeting took place)."
    )
    note: str = Field("", max_length=1000, description="Read only by the organizers.")


class FeedbackOut(Schema):
    meeting: int
    held: bool
    rating: int | None
    outcome: str
    note: str
    updated_at: dt.datetime


class AgendaOut(Schema):
    event: int
    participant: int
    published: bool
    event_time_zone: str
    your_time_zone: str
    check_in_url: str | None = Field(
        ...,
        description="Your check-in address, to show as a QR code at the desk (once the agenda "
        "is published).",
    )
    items: list[AgendaItemOut]


class SubscriptionIn(InputSchema):
    renew: bool = Field(
        False, description="Replace the address: the old one stops working at once."
    )


class SubscriptionOut(Schema):
    url: str = Field(..., description="The agenda as a calendar feed; no sign-in needed.")
    webcal_url: str = Field(..., description="The same address for calendar apps (webcal://).")


# --- helpers -------------------------------------------------------------------------------
def event_out(event: Event) -> EventOut:
    return EventOut(**_event_fields(event))


def _event_fields(event: Event) -> dict[str, Any]:
    return {
        "id": event.pk,
        "slug": event.slug,
        "url": reverse("events:detail", kwargs={"slug": event.slug}),
        "title": event.title,
        "description": event.description,
        "language": event.language,
        "hub": event.hub.slug,
        "other_hubs": [hub.slug for hub in event.other_hubs.all()],
        "time_zone": event.time_zone,
        "format": event.format,
        "venue": event.venue,
        "start_date": event.start_date,
        "end_date": event.end_date,
        "slot_minutes": event.slot_minutes,
        "tables": event.tables,
        "status": event.status,
        "registration_closes_at": event.registration_closes_at,
        "requests_close_at": event.requests_close_at,
        "max_requests_per_participant": event.max_requests_per_participant,
        "max_meetings_per_participant": event.max_meetings_per_participant,
    }


def participant_out(participant: Participant) -> ParticipantOut:
    return ParticipantOut(
        id=participant.pk,
        name=participant.display_name,
        organization=participant.organization_id,
        offer=participant.offer,
        seek=participant.seek,
        language=participant.language,
        unavailable_slots=[slot.pk for slot in participant.unavailable_slots.all()],
        opportunities=sorted(o.pk for o in participant.opportunities.all()),
    )


def request_out(item: MeetingRequest) -> RequestOut:
    return RequestOut(
        id=item.pk,
        event=item.event_id,
        requester=item.requester_id,
        requester_name=item.requester.display_name,
        target=item.target_id,
        target_name=item.target.display_name,
        message=item.message,
        priority=item.priority,
        status=item.status,  # type: ignore[arg-type]
        expires_at=item.expires_at,
        answer_message=item.answer_message,
    )


def _event(request: HttpRequest, event_id: int) -> Event:
    return selectors.event_for_viewer(viewer_for(caller_or_anonymous(request)), pk=event_id)


def _my_participant(request: HttpRequest, event: Event) -> Participant:
    participant = selectors.participant_for(caller(request), event)
    if participant is None:
        raise NotFound(_("You are not registered for this event."), code="not_registered")
    return participant


def _agenda_participant(request: HttpRequest, event: Event) -> Participant:
    participant = _my_participant(request, event)
    if not (event.is_published or services.can_organize(caller(request), event)):
        raise NotFound(_("The agenda is not published yet."), code="not_published")
    return participant


# --- endpoints -----------------------------------------------------------------------------
@router.get("/events", response={200: EventPage, **READ_ERRORS}, summary="Brokerage events")
def list_events(request: HttpRequest, page: Query[PageParams]) -> EventPage:
    events = selectors.events_visible_to(viewer_for(caller_or_anonymous(request)))
    count = events.count()
    items = events.prefetch_related("other_hubs").order_by("-start_date", "id")[
        page.offset : page.offset + page.limit
    ]
    return EventPage(items=[event_out(event) for event in items], count=count)


@router.get(
    "/events/{event_id}", response={200: EventDetailOut, **READ_ERRORS}, summary="One event"
)
def get_event(request: HttpRequest, event_id: ObjectId) -> EventDetailOut:
    event = _event(request, event_id)
    slots = list(selectors.slots_of(event))
    return EventDetailOut(
        **_event_fields(event),
        sessions=[SessionOut.from_orm(session) for session in event.sessions.all()],
        slots=[
            SlotOut(id=s.pk, session=s.session.name, starts_at=s.starts_at, ends_at=s.ends_at)
            for s in slots
        ],
        participants=selectors.participants_of(event).count(),
        registered=selectors.participant_for(caller_or_anonymous(request), event) is not None,
    )


@router.get(
    "/events/{event_id}/participants",
    response={200: CataloguePage, **READ_ERRORS},
    summary="The event's catalogue of participants",
)
def list_participants(
    request: HttpRequest,
    event_id: ObjectId,
    filters: Query[CatalogueFilters],
    page: Query[PageParams],
) -> CataloguePage:
    """The registered participants, as the event's page lists them, with its filters."""
    viewer = viewer_for(caller_or_anonymous(request))
    event = selectors.event_for_viewer(viewer, pk=event_id)
    refuse_unknown_codes(
        hubs=[filters.hub] if filters.hub else [],
        terms={"type": (Vocabulary.ORGANIZATION_TYPE, [filters.type] if filters.type else [])},
    )
    me = selectors.participant_for(caller_or_anonymous(request), event)
    if filters.can_ask and me is None:
        raise ValidationFailed(
            _("Only registered participants can ask for meetings."),
            field="can_ask",
            code="not_registered",
        )
    search = selectors.search_catalogue(
        list(selectors.catalogue_of(viewer, event)),
        me,
        text=filters.q,
        hub=filters.hub,
        organization_type=filters.type,
        can_ask=filters.can_ask,
    )
    found, open_with = search.found, search.open_with
    sees_attendees = me is not None or services.can_organize(caller_or_anonymous(request), event)
    return CataloguePage(
        items=[
            CatalogueEntryOut(
                id=p.pk,
                name=p.display_name,
                organization=p.organization_id,
                hub=p.organization.hub.slug if p.organization else None,
                type=p.organization.type.code if p.organization else None,
                offer=p.offer,
                seek=p.seek,
                language=p.language,
                attendees=p.attendees if sees_attendees else "",
                opportunities=[o.pk for o in p.linked_opportunities],  # type: ignore[attr-defined]
                open_request=p.pk in open_with,
            )
            for p in found[page.offset : page.offset + page.limit]
        ],
        count=len(found),
    )


@router.post(
    "/events/{event_id}/participants",
    response={201: ParticipantOut, **ERRORS},
    auth=required_auth,
    summary="Register for an event (yourself or your organization)",
)
def register(
    request: HttpRequest, event_id: ObjectId, payload: RegistrationIn
) -> Status[ParticipantOut]:
    user = caller(request)
    event = _event(request, event_id)
    organization = None
    if payload.organization is not None:
        organization = Organization.objects.filter(pk=payload.organization).first()
        if organization is None:
            raise ValidationFailed(
                _("There is no such organization."), code="bad_organization", field="organization"
            )
    slots = list(Slot.objects.filter(pk__in=payload.unavailable_slots[:500]))
    if len(slots) != len(set(payload.unavailable_slots)):
        raise ValidationFailed(
            _("Choose slots of this event."), code="bad_slot", field="unavailable_slots"
        )
    opportunities = list(Opportunity.objects.filter(pk__in=payload.opportunities))
    if len(opportunities) != len(set(payload.opportunities)):
        raise ValidationFailed(
            _("There is no such opportunity."), code="bad_opportunity", field="opportunities"
        )
    participant = services.participant_register(
        event=event,
        actor=user,
        organization=organization,
        values={
            **payload.dict(exclude={"organization", "unavailable_slots", "opportunities"}),
            "unavailable_slots": slots,
            "opportunities": opportunities,
        },
    )
    return Status(201, participant_out(participant))


@router.get(
    "/events/{event_id}/requests",
    response={200: RequestsOut, **READ_ERRORS},
    auth=required_auth,
    summary="Your meeting requests at an event, received and sent",
)
def my_requests(request: HttpRequest, event_id: ObjectId) -> RequestsOut:
    event = _event(request, event_id)
    participant = _my_participant(request, event)
    found = selectors.requests_of(participant)
    return RequestsOut(
        participant=participant.pk,
        received=[request_out(item) for item in found["received"]],
        sent=[request_out(item) for item in found["sent"]],
    )


@router.post(
    "/events/{event_id}/participants/{participant_id}/requests",
    response={201: RequestOut, **ERRORS},
    auth=required_auth,
    summary="Ask another participant for a meeting",
)
def create_request(
    request: HttpRequest, event_id: ObjectId, participant_id: ObjectId, payload: RequestIn
) -> Status[RequestOut]:
    event = _event(request, event_id)
    participant = _my_participant(request, event)
    target = selectors.participant_in_event(event, participant_id)
    created = services.meeting_request_create(
        actor=caller(request),
        requester=participant,
        target=target,
        message=payload.message,
        priority=payload.priority,
    )
    return Status(201, request_out(created))


def _answer(request: HttpRequest, request_id: int, accept: bool, message: str) -> RequestOut:
    meeting_request = selectors.request_for_viewer(caller(request), request_id)
    answered = services.meeting_request_answer(
        request=meeting_request, actor=caller(request), accept=accept, message=message
    )
    return request_out(answered)


@router.post(
    "/meeting-requests/{request_id}/accept",
    response={200: RequestOut, **ERRORS},
    auth=required_auth,
    summary="Accept a meeting request (the participant asked)",
)
def accept_request(
    request: HttpRequest, request_id: ObjectId, payload: AnswerIn | None = None
) -> RequestOut:
    return _answer(request, request_id, True, payload.message if payload else "")


@router.post(
    "/meeting-requests/{request_id}/decline",
    response={200: RequestOut, **ERRORS},
    auth=required_auth,
    summary="Decline a meeting request (the participant asked)",
)
def decline_request(
    request: HttpRequest, request_id: ObjectId, payload: AnswerIn | None = None
) -> RequestOut:
    return _answer(request, request_id, False, payload.message if payload else "")


@router.post(
    "/events/{event_id}/requests/accept-all",
    response={200: AcceptAllOut, **ERRORS},
    auth=required_auth,
    summary="Accept every meeting request you received that is still waiting",
)
def accept_all_requests(request: HttpRequest, event_id: ObjectId) -> AcceptAllOut:
    """Oldest first, each as if accepted on its own: those that cannot be accepted (a
    meeting limit reached, the window closed) stay pending and come back with why."""
    event = _event(request, event_id)
    participant = _my_participant(request, event)
    done = services.meeting_requests_accept_all(participant=participant, actor=caller(request))
    return AcceptAllOut(
        accepted=done.accepted,
        refused=[
            RefusedOut(request=request_out(item), reason=str(reason))
            for item, reason in done.refused
        ],
    )


@router.get(
    "/events/{event_id}/agenda",
    response={200: AgendaOut, **READ_ERRORS},
    auth=required_auth,
    summary="Your agenda at an event, in the event's zone and yours",
)
def my_agenda(request: HttpRequest, event_id: ObjectId) -> AgendaOut:
    event = _event(request, event_id)
    participant = _agenda_participant(request, event)
    user = caller(request)
    your_zone = user.time_zone or event.time_zone
    zone = zone_named(your_zone)
    given = selectors.feedback_of(participant)
    items = [
        AgendaItemOut(
            meeting=item.meeting.pk,
            uid=str(item.meeting.uid),
            starts_at=item.slot.starts_at,
            ends_at=item.slot.ends_at,
            starts_at_event_zone=item.slot.starts_at.astimezone(event.zone),
            starts_at_your_zone=item.slot.starts_at.astimezone(zone),
            table=item.table,
            video_url=item.video_url,
            counterpart=item.counterpart.pk,
            counterpart_name=item.counterpart.display_name,
            counterpart_offer=item.counterpart.offer,
            counterpart_seek=item.counterpart.seek,
            counterpart_attendees=item.counterpart.attendees,
            counterpart_opportunities=[
                opportunity.pk
                for opportunity in getattr(item.counterpart, "linked_opportunities", [])
            ],
            feedback=_feedback_out(given[item.meeting.pk]) if item.meeting.pk in given else None,
        )
        for item in selectors.agenda_of(participant, viewer_for(user))
    ]
    return AgendaOut(
        event=event.pk,
        participant=participant.pk,
        published=event.is_published,
        event_time_zone=event.time_zone,
        your_time_zone=your_zone,
        check_in_url=request.build_absolute_uri(selectors.check_in_path(event, participant))
        if event.is_published
        else None,
        items=items,
    )


def _feedback_out(feedback: Any) -> FeedbackOut:
    return FeedbackOut(
        meeting=feedback.meeting_id,
        held=feedback.held,
        rating=feedback.rating,
        outcome=feedback.outcome,
        note=feedback.note,
        updated_at=feedback.updated_at,
    )


@router.post(
    "/events/{event_id}/meetings/{meeting_id}/feedback",
    response={200: FeedbackOut, **ERRORS},
    auth=required_auth,
    summary="Say how one of your meetings went (once its time has come; again to change it)",
)
def give_feedback(
    request: HttpRequest, event_id: ObjectId, meeting_id: ObjectId, payload: FeedbackIn
) -> FeedbackOut:
    event = _event(request, event_id)
    participant = _agenda_participant(request, event)
    meeting = selectors.meeting_of(participant, meeting_id)
    feedback = services_feedback.meeting_feedback_give(
        meeting=meeting, participant=participant, actor=caller(request), values=payload.dict()
    )
    return _feedback_out(feedback)


@router.get(
    "/events/{event_id}/results",
    response={200: ResultsOut, **READ_ERRORS},
    auth=required_auth,
    summary="The event's results for the funders' report (organizers)",
)
def event_results(request: HttpRequest, event_id: ObjectId) -> ResultsOut:
    event = _event(request, event_id)
    services.require_organizer(caller(request), event)
    found = selectors.event_results(event)
    stats, feedback = found.stats, found.feedback
    return ResultsOut(
        participants=stats.participants,
        checked_in=stats.checked_in,
        no_shows=stats.no_shows,
        by_hub=[CountOut(name=name, count=count) for name, count in found.by_hub],
        by_type=[CountOut(name=name, count=count) for name, count in found.by_type],
        requests_made=stats.requests_made,
        requests_accepted=stats.requests_accepted,
        requests_declined=stats.requests_declined,
        requests_expired=found.requests_expired,
        acceptance_rate=found.acceptance_rate,
        meetings_placed=stats.meetings_placed,
        meetings_held=found.held,
        placed_across_hubs=found.placed_across_hubs,
        held_across_hubs=found.held_across_hubs,
        hub_pairs=[
            HubPairOut(between=name, placed=placed, held=held)
            for name, placed, held in found.hub_pairs
        ],
        standby_meetings=stats.standby_meetings,
        feedback_answers=feedback.answers,
        average_usefulness=feedback.average_rating,
        outcomes=[CountOut(name=label, count=count) for label, count in feedback.outcomes],
    )


@router.get(
    "/events/{event_id}/announcements",
    response={200: AnnouncementList, **READ_ERRORS},
    auth=required_auth,
    summary="The organizers' announcements: all of them for organizers, those kept for you "
    "as a participant",
)
def list_announcements(request: HttpRequest, event_id: ObjectId) -> AnnouncementList:
    event = _event(request, event_id)
    organizer = services.can_organize(caller(request), event)
    found = (
        selectors.announcements_of(event)
        if organizer
        else selectors.announcements_for(_my_participant(request, event))
    )
    return AnnouncementList(items=[_announcement_out(item, organizer) for item in found])


def _announcement_out(item: Any, organizer: bool) -> AnnouncementOut:
    return AnnouncementOut(
        id=item.pk,
        message=item.message,
        audience=item.audience,
        recipients=item.recipients if organizer else None,
        created_at=item.created_at,
    )


@router.post(
    "/events/{event_id}/announcements",
    response={201: AnnouncementOut, **ERRORS},
    auth=required_auth,
    summary="Write to the event's participants, in the app and by email (organizers)",
)
def send_announcement(
    request: HttpRequest, event_id: ObjectId, payload: AnnouncementIn
) -> Status[AnnouncementOut]:
    event = _event(request, event_id)
    item = services_announcements.announcement_send(
        event=event, actor=caller(request), message=payload.message, audience=payload.audience
    )
    return Status(201, _announcement_out(item, organizer=True))


@router.post(
    "/events/{event_id}/agenda/subscription",
    response={200: SubscriptionOut, **ERRORS},
    auth=required_auth,
    summary="The address of your agenda as a calendar subscription (made on first call)",
)
def agenda_subscription(
    request: HttpRequest, event_id: ObjectId, payload: SubscriptionIn | None = None
) -> SubscriptionOut:
    event = _event(request, event_id)
    participant = _agenda_participant(request, event)
    key = services.calendar_feed_key(
        participant=participant, actor=caller(request), renew=bool(payload and payload.renew)
    )
    url = request.build_absolute_uri(reverse("events:agenda_feed", kwargs={"key": key}))
    return SubscriptionOut(url=url, webcal_url=webcal(url))


@router.get(
    "/events/{event_id}/agenda.ics",
    response={200: None, **READ_ERRORS},
    auth=required_auth,
    summary="Your agenda as an iCalendar file (text/calendar, with VTIMEZONE)",
)
def my_agenda_ics(request: HttpRequest, event_id: ObjectId) -> HttpResponse:
    event = _event(request, event_id)
    return agenda_download(event, _agenda_participant(request, event))
