"""Demo step: two joint brokerage events of the first two hubs, with participants of both,
meeting requests (accepted, pending, declined) and a published, scheduler-made agenda: one
coming up, and last edition, held, with check-ins and feedback on its meetings."""

from __future__ import annotations

import datetime as dt
import random

from puente.accounts.models import HubRole, User
from puente.core.audit import audit_record, snapshot
from puente.core.models import Hub, Visibility
from puente.demo.seed import SeedContext, seed_step
from puente.directory.models import Organization, OrganizationMembership, Position
from puente.events import adapter, services_schedule
from puente.events.models import (
    Announcement,
    Audience,
    Event,
    EventFormat,
    EventSession,
    EventStatus,
    Meeting,
    MeetingFeedback,
    MeetingOutcome,
    MeetingRequest,
    Participant,
    RequestStatus,
    ScheduleRun,
)
from puente.events.scheduling import solve
from puente.events.services import _cut_slots
from puente.impact.services import activity_sync

PER_HUB = {"small": 6, "full": 12}
TYPES = ["startup", "scaleup", "corporate", "investor", "service_provider"]

OFFERS = {
    "startup": (
        "Software listo para pilotos con clientes corporativos",
        "Software ready for pilots with corporate clients",
        "es",
    ),
    "scaleup": (
        "Una plataforma probada en tres países de la región",
        "A platform proven in three countries of the region",
        "en",
    ),
    "corporate": (
        "Programas de innovación abierta y compras a startups",
        "Open innovation programs and procurement from startups",
        "en",
    ),
    "investor": (
        "Capital semilla y serie A para empresas con tracción",
        "Seed and series A capital for companies with traction",
        "en",
    ),
    "service_provider": (
        "Acompañamiento legal y contable para aterrizar en el otro mercado",
        "Legal and accounting support to land in the other market",
        "es",
    ),
}
SEEKS = {
    "startup": (
        "Clientes e inversión en el otro nodo",
        "Clients and investment in the other hub",
        "es",
    ),
    "scaleup": ("Socios de distribución y talento", "Distribution partners and talent", "en"),
    "corporate": (
        "Startups con soluciones para nuestras unidades de negocio",
        "Startups with solutions for our business units",
        "en",
    ),
    "investor": (
        "Equipos fundadores con ambición regional",
        "Founding teams with regional ambition",
        "en",
    ),
    "service_provider": (
        "Empresas que preparan su expansión",
        "Companies preparing their expansion",
        "es",
    ),
}


@seed_step("events", order=600)
def seed_events(context: SeedContext) -> None:
    """An upcoming joint event organized by the first hub, with its agenda published, and
    last edition, organized by the second hub: held six weeks ago, with check-ins and the
    participants' feedback on their meetings."""
    rng = context.random("events")
    hubs = sorted(context.hubs.values(), key=lambda hub: (hub.sort_order, hub.slug))[:2]
    if len(hubs) < 2:
        return
    home, guest = hubs
    counts = {"event_participants": 0, "meeting_requests": 0, "meetings": 0}
    editions = [(home, guest, 21), (guest, home, -42)]
    for organizing, other, days_away in editions:
        day = (context.now + dt.timedelta(days=days_away)).date()
        event = _event(context, organizing, other, _manager_of(organizing), day)
        participants = _participants(context, rng, event, [organizing, other])
        counts["meeting_requests"] += _requests(context, rng, event, participants)
        _schedule_and_publish(context, event)
        if days_away < 0:
            _held(context, rng, event)
        else:
            _announce(context, event)
        counts["event_participants"] += len(participants)
        counts["meetings"] += Meeting.objects.filter(event=event).count()
    context.counts["events"] = len(editions)
    context.counts.update(counts)


def _manager_of(hub: Hub) -> User | None:
    role = HubRole.objects.filter(hub=hub).select_related("user").order_by("id").first()
    return role.user if role is not None else User.objects.filter(is_staff=True).first()


def _event(
    context: SeedContext, home: Hub, guest: Hub, organizer: User | None, day: dt.date
) -> Event:
    opens = dt.datetime.combine(day, dt.time(9), tzinfo=home.zone)  # the hub's morning
    event = Event.objects.create(
        slug="rueda-de-negocios-" + home.slug + "-" + guest.slug,
        title=f"Rueda de negocios {home.name_es}–{guest.name_es} / {home.name_en}–{guest.name_en} business matchmaking",
        description=(
            f"Un día de reuniones de 20 minutos entre empresas de {home.name_es} y {guest.name_es}: "
            "en persona en la sede del nodo y por video para quienes participan desde el otro nodo."
        ),
        language="es",
        hub=home,
        organizer=organizer,
        time_zone=home.time_zone,
        format=EventFormat.HYBRID,
        venue=f"{home.agency_name or home.name_es}, {home.city}",
        online_url="https://meet.example.org/puente-rueda",
        start_date=day,
        end_date=day,
        slot_minutes=20,
        changeover_minutes=5,
        tables=8,
        registration_closes_at=opens - dt.timedelta(days=7),
        requests_close_at=opens - dt.timedelta(days=3),
        visibility=Visibility.PUBLIC,
        status=EventStatus.OPEN,
    )
    event.other_hubs.set([guest])
    for name, start, end, pause in (
        ("Mañana / Morning", dt.time(9, 0), dt.time(12, 30), dt.time(10, 40)),
        ("Tarde / Afternoon", dt.time(14, 0), dt.time(17, 0), None),
    ):
        session = EventSession.objects.create(
            event=event,
            name=name,
            date=day,
            start_time=start,
            end_time=end,
            break_start=pause,
            break_minutes=20 if pause else 0,
        )
        _cut_slots(event, session)
    audit_record(
        actor=None,
        action="event.create",
        target=event,
        after=snapshot(event, ["title", "hub_id", "status"]),
        hub=home,
    )
    return event


def _participants(
    context: SeedContext, rng: random.Random, event: Event, hubs: list[Hub]
) -> list[Participant]:
    per_hub = PER_HUB["small" if context.small else "full"]
    member_orgs = set(OrganizationMembership.objects.values_list("organization_id", flat=True))
    slots = list(event.slots.order_by("starts_at"))
    participants: list[Participant] = []
    for hub in hubs:
        candidates = list(
            Organization.objects.filter(hub=hub, type__code__in=TYPES)
            .select_related("type")
            .order_by("id")
        )
        # Organizations with demo accounts first, so signing in shows an agenda.
        chosen = [org for org in candidates if org.pk in member_orgs]
        others = [org for org in candidates if org.pk not in member_orgs]
        rng.shuffle(others)
        chosen.extend(others[: max(0, per_hub - len(chosen))])
        for organization in chosen[:per_hub]:
            member = (
                OrganizationMembership.objects.filter(organization=organization)
                .select_related("user")
                .order_by("id")
                .first()
            )
            user = member.user if member is not None else _manager_of(hub)
            if user is None:
                continue
            type_code = organization.type.code
            offer_es, offer_en, _lang = OFFERS[type_code]
            seek_es, seek_en, _lang = SEEKS[type_code]
            language = "es" if hub.main_language == "es" else "en"
            participant = Participant.objects.create(
                event=event,
                organization=organization,
                user=user,
                attendees=_attendees(organization, user if member is not None else None),
                offer=offer_es if language == "es" else offer_en,
                seek=seek_es if language == "es" else seek_en,
                language=language,
            )
            # About one in twelve slots unavailable, as organizers see in practice.
            unavailable = [slot for slot in slots if rng.random() < 0.08]
            participant.unavailable_slots.set(unavailable)
            participants.append(participant)
    return participants


def _attendees(organization: Organization, member: User | None) -> str:
    """Who comes: the member who registered, else up to two people of the directory who
    work there (with their role); the organizers' own names never stand in."""
    if member is not None:
        return member.full_name
    positions = Position.objects.filter(organization=organization).select_related("person")
    return ", ".join(f"{p.person.full_name} ({p.title})" for p in positions[:2])


def _requests(
    context: SeedContext, rng: random.Random, event: Event, participants: list[Participant]
) -> int:
    count = 0
    target_requests = len(participants) * 2
    pairs: set[frozenset[int]] = set()
    attempts = 0
    while count < target_requests and attempts < target_requests * 10:
        attempts += 1
        requester, target = rng.sample(participants, 2)
        if requester.organization.hub_id == target.organization.hub_id and rng.random() < 0.7:  # type: ignore[union-attr]
            continue  # mostly cross-hub: the point of the agreement
        pair = frozenset((requester.pk, target.pk))
        if pair in pairs:
            continue
        pairs.add(pair)
        roll = rng.random()
        status = (
            RequestStatus.ACCEPTED
            if roll < 0.75
            else RequestStatus.PENDING
            if roll < 0.9
            else RequestStatus.DECLINED
        )
        language = requester.language
        message = (
            "Nos gustaría conocerles: creemos que hay una oportunidad de trabajar juntos."
            if language == "es"
            else "We would like to meet you: we see a chance to work together."
        )
        request = MeetingRequest.objects.create(
            event=event,
            requester=requester,
            target=target,
            requested_by=requester.user,
            message=message,
            priority=rng.choice([1, 1, 1, 2, 3]),
            status=status,
            expires_at=context.now + dt.timedelta(hours=event.request_expiry_hours),
            answered_at=context.now if status != RequestStatus.PENDING else None,
            answered_by=target.user if status != RequestStatus.PENDING else None,
        )
        if status == RequestStatus.ACCEPTED:
            Meeting.objects.create(
                event=event,
                request=request,
                first=requester,
                second=target,
                priority=request.priority,
                session=None,
            )
        count += 1
    return count


def _schedule_and_publish(context: SeedContext, event: Event) -> None:
    built = adapter.event_problem(event)
    # A fixed amount of solver work (not wall-clock time), so the demo is the same on any machine.
    solution = solve(built.problem, time_limit=60, work_limit=4, seed=context.seed)
    run = ScheduleRun.objects.create(event=event, time_limit=60, seed=context.seed)
    services_schedule._apply(run, event, built.meeting_ids, solution)
    event.status = EventStatus.PUBLISHED
    event.published_at = context.now
    event.save(update_fields=["status", "published_at"])


#: Feedback of the past edition: usefulness 1-5 and what comes next, with their weights.
RATINGS = ([1, 2, 3, 4, 5], [5, 10, 25, 35, 25])
OUTCOMES = (
    [
        MeetingOutcome.NONE,
        MeetingOutcome.FOLLOW_UP,
        MeetingOutcome.NEGOTIATING,
        MeetingOutcome.AGREEMENT,
    ],
    [30, 45, 18, 7],
)
NOTES = {
    "es": [
        "Quedamos en enviar una propuesta la próxima semana.",
        "Buena conversación; el video se cortó dos veces.",
        "Nos faltaron diez minutos: pediremos otra reunión.",
    ],
    "en": [
        "We agreed to send a proposal next week.",
        "Good conversation; the video dropped twice.",
        "Twenty minutes was short: we will ask for a follow-up.",
    ],
}


#: What the organizers wrote to the participants of the coming edition (both languages in
#: one message, as organizers of a joint event do).
ANNOUNCEMENTS = [
    (
        5,
        "La agenda está publicada: revísala y suscríbete a tu calendario. / The agenda is "
        "published: check it and subscribe your calendar.",
    ),
    (
        1,
        "Solicitudes de última hora: respóndelas antes de que venzan. / Late requests: "
        "answer them before they expire.",
    ),
]


def _announce(context: SeedContext, event: Event) -> None:
    """The organizers' messages so far (kept on the event's page; no emails sent)."""
    for days_ago, message in ANNOUNCEMENTS:
        announcement = Announcement.objects.create(
            event=event,
            author=_manager_of(event.hub),
            audience=Audience.EVERYONE,
            message=message,
            recipients=event.participants.count(),
        )
        Announcement.objects.filter(pk=announcement.pk).update(
            created_at=context.now - dt.timedelta(days=days_ago)
        )


def _held(context: SeedContext, rng: random.Random, event: Event) -> None:
    """The past edition as it went: most participants checked in, and about two thirds of
    the sides said how each meeting went."""
    first_slot = event.slots.order_by("starts_at").first()
    participants = list(event.participants.all())
    for participant in participants:
        participant.feedback_asked_at = context.now - dt.timedelta(days=41)
        if first_slot is not None and rng.random() < 0.9:
            participant.checked_in_at = first_slot.starts_at - dt.timedelta(
                minutes=rng.randint(5, 40)
            )
    Participant.objects.bulk_update(participants, ["checked_in_at", "feedback_asked_at"])
    answers = []
    meetings = list(Meeting.objects.filter(event=event, slot__isnull=False))
    for meeting in meetings:
        for side in (meeting.first, meeting.second):
            if rng.random() >= 0.67:
                continue
            held = rng.random() < 0.93
            answers.append(
                MeetingFeedback(
                    meeting=meeting,
                    participant=side,
                    held=held,
                    rating=rng.choices(*RATINGS)[0] if held else None,
                    outcome=rng.choices(*OUTCOMES)[0] if held else "",
                    note=rng.choice(NOTES[side.language]) if rng.random() < 0.15 else "",
                )
            )
    MeetingFeedback.objects.bulk_create(answers)
    activity_sync(sources=[event, *meetings])
