"""Events services: creating events and sessions, registering, requesting and answering
meetings, with their permission checks, limits and notifications."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from puente.core.errors import Conflict, PermissionDenied, ValidationFailed
from puente.core.models import AuditEntry, Notification
from puente.events import services
from puente.events.models import (
    EventStatus,
    Meeting,
    MeetingRequest,
    ParticipantStatus,
    RequestStatus,
    Slot,
)
from puente.events.slots import session_slots
from tests.events.helpers import EVENT_DAY, make_event, pending_request, register
from tests.factories import OrganizationFactory, UserFactory, hub, make_manager, make_member

pytestmark = pytest.mark.django_db


def event_values(**overrides: object) -> dict[str, object]:
    values: dict[str, object] = {
        "title": "Rueda Medellín–Miami",
        "description": "",
        "language": "es",
        "hub": hub("medellin"),
        "other_hubs": [hub("miami")],
        "time_zone": "America/Bogota",
        "format": "hybrid",
        "venue": "Ruta N",
        "online_url": "",
        "start_date": EVENT_DAY,
        "end_date": EVENT_DAY,
        "slot_minutes": 20,
        "changeover_minutes": 5,
        "tables": 10,
        "registration_closes_at": None,
        "requests_close_at": None,
        "request_expiry_hours": 72,
        "max_requests_per_participant": 15,
        "max_meetings_per_participant": 12,
        "fairness": 2,
        "visibility": "public",
    }
    values.update(overrides)
    return values


def test_slots_skip_the_pause_and_stop_before_the_end() -> None:
    import zoneinfo

    slots = session_slots(
        day=EVENT_DAY,
        start=dt.time(9, 0),
        end=dt.time(11, 0),
        slot_minutes=20,
        changeover_minutes=5,
        zone=zoneinfo.ZoneInfo("America/Bogota"),
        break_start=dt.time(9, 50),
        break_minutes=20,
    )
    local = [s.starts_at.astimezone(zoneinfo.ZoneInfo("America/Bogota")).time() for s in slots]
    # 09:00, 09:25, then the 09:50 slot would overlap the pause: next at 10:10, 10:35.
    assert local == [dt.time(9, 0), dt.time(9, 25), dt.time(10, 10), dt.time(10, 35)]
    assert slots[0].starts_at.utcoffset() == dt.timedelta(0)
    assert slots[0].starts_at.hour == 14  # UTC


def test_manager_creates_an_event_and_a_session_cuts_slots() -> None:
    manager = make_manager("medellin")
    event = services.event_create(actor=manager, values=event_values())
    assert event.status == EventStatus.DRAFT
    assert event.organizer == manager
    assert [h.slug for h in event.other_hubs.all()] == ["miami"]
    session = services.event_session_add(
        event=event,
        actor=manager,
        values={
            "name": "Mañana",
            "date": EVENT_DAY,
            "start_time": dt.time(9, 0),
            "end_time": dt.time(10, 0),
        },
    )
    assert session.slots.count() == 2  # 09:00-09:20, 09:25-09:45 (09:50 would end at 10:10)
    assert AuditEntry.objects.filter(action="event.session_add").exists()


def test_only_managers_of_the_hub_create_events() -> None:
    with pytest.raises(PermissionDenied):
        services.event_create(actor=make_manager("miami"), values=event_values())
    with pytest.raises(PermissionDenied):
        services.event_create(actor=UserFactory(), values=event_values())


def test_event_dates_must_be_in_order() -> None:
    with pytest.raises(ValidationFailed) as error:
        services.event_create(
            actor=make_manager("medellin"),
            values=event_values(end_date=EVENT_DAY - dt.timedelta(days=1)),
        )
    assert error.value.field == "end_date"


def test_sessions_outside_the_dates_or_overlapping_are_refused() -> None:
    manager = make_manager("medellin")
    event = make_event()
    values = {
        "name": "Tarde",
        "date": EVENT_DAY,
        "start_time": dt.time(9, 30),
        "end_time": dt.time(11, 0),
    }
    with pytest.raises(Conflict):
        services.event_session_add(event=event, actor=manager, values=values)
    with pytest.raises(ValidationFailed):
        services.event_session_add(
            event=event, actor=manager, values={**values, "date": EVENT_DAY + dt.timedelta(days=3)}
        )
    with pytest.raises(ValidationFailed):  # too short for one meeting
        services.event_session_add(
            event=event,
            actor=manager,
            values={**values, "start_time": dt.time(14, 0), "end_time": dt.time(14, 10)},
        )


def test_member_registers_their_organization_once() -> None:
    event = make_event()
    organization = OrganizationFactory()
    member = make_member(organization)
    slot = Slot.objects.filter(event=event).first()
    participant = services.participant_register(
        event=event,
        actor=member,
        organization=organization,
        values={"offer": "Pagos", "seek": "Clientes", "unavailable_slots": [slot]},
    )
    assert list(participant.unavailable_slots.all()) == [slot]
    with pytest.raises(Conflict):
        services.participant_register(
            event=event, actor=member, organization=organization, values={}
        )
    with pytest.raises(PermissionDenied):
        services.participant_register(
            event=event, actor=UserFactory(), organization=organization, values={}
        )


def test_registration_needs_an_open_event_and_a_verified_email() -> None:
    draft = make_event(status=EventStatus.DRAFT)
    with pytest.raises(ValidationFailed):
        services.participant_register(
            event=draft, actor=UserFactory(), organization=None, values={}
        )
    closed = make_event(registration_closes_at=timezone.now() - dt.timedelta(hours=1))
    with pytest.raises(ValidationFailed):
        services.participant_register(
            event=closed, actor=UserFactory(), organization=None, values={}
        )
    with pytest.raises(PermissionDenied):
        services.participant_register(
            event=make_event(),
            actor=UserFactory(email_verified_at=None),
            organization=None,
            values={},
        )


def test_request_notifies_the_other_side_in_their_language(
    django_capture_on_commit_callbacks: Any,
) -> None:
    event = make_event()
    miami = OrganizationFactory(hub=hub("miami"))
    english_reader = make_member(miami, language="en")
    first, second = register(event), register(event, miami, user=english_reader)
    sender = first.user
    with pytest.raises(PermissionDenied):
        services.meeting_request_create(actor=english_reader, requester=first, target=second)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        request = services.meeting_request_create(
            actor=sender, requester=first, target=second, message="Hola", priority=2
        )
    assert request.status == RequestStatus.PENDING
    assert Notification.objects.filter(
        user=english_reader, kind="events.meeting_requested"
    ).exists()
    sent = [m for m in mail.outbox if english_reader.email in m.to]
    assert sent
    assert "asks you for a meeting" in sent[0].subject
    with pytest.raises(Conflict):  # one open request per pair, either direction
        services.meeting_request_create(actor=english_reader, requester=second, target=first)


def test_accepting_creates_a_meeting_and_tells_the_requester() -> None:
    event = make_event()
    first, second = register(event), register(event)
    request = pending_request(first, second)
    with pytest.raises(PermissionDenied):
        services.meeting_request_answer(request=request, actor=first.user, accept=True)
    services.meeting_request_answer(request=request, actor=second.user, accept=True, message="¡Sí!")
    request.refresh_from_db()
    assert request.status == RequestStatus.ACCEPTED
    meeting = Meeting.objects.get(request=request)
    assert (meeting.first, meeting.second, meeting.slot) == (first, second, None)
    assert Notification.objects.filter(user=first.user, kind="events.meeting_accepted").exists()
    with pytest.raises(ValidationFailed):
        services.meeting_request_answer(request=request, actor=second.user, accept=False)


def test_declining_creates_no_meeting() -> None:
    event = make_event()
    first, second = register(event), register(event)
    request = pending_request(first, second)
    services.meeting_request_answer(request=request, actor=second.user, accept=False)
    assert not Meeting.objects.exists()
    assert Notification.objects.filter(user=first.user, kind="events.meeting_declined").exists()


def test_expired_requests_cannot_be_accepted_and_expire_in_bulk() -> None:
    event = make_event()
    first, second = register(event), register(event)
    request = pending_request(first, second)
    MeetingRequest.objects.filter(pk=request.pk).update(
        expires_at=timezone.now() - dt.timedelta(minutes=1)
    )
    with pytest.raises(ValidationFailed) as error:
        services.meeting_request_answer(request=request, actor=second.user, accept=True)
    assert error.value.code == "expired"
    other = pending_request(register(event), second)
    MeetingRequest.objects.filter(pk=other.pk).update(
        expires_at=timezone.now() - dt.timedelta(minutes=1)
    )
    assert services.meeting_requests_expire_due() == 2
    other.refresh_from_db()
    assert other.status == RequestStatus.EXPIRED
    assert services.meeting_requests_expire_due() == 0


def test_an_expired_request_shows_expired_and_does_not_block_a_new_one() -> None:
    from puente.events import selectors

    event = make_event()
    first, second = register(event), register(event)
    request = pending_request(first, second)
    MeetingRequest.objects.filter(pk=request.pk).update(
        expires_at=timezone.now() - dt.timedelta(minutes=1)
    )
    shown = selectors.requests_of(second)["received"]
    assert [item.status for item in shown] == [RequestStatus.EXPIRED]  # no Accept button
    again = services.meeting_request_create(actor=second.user, requester=second, target=first)
    request.refresh_from_db()
    assert request.status == RequestStatus.EXPIRED
    assert again.status == RequestStatus.PENDING


def test_after_requests_close_a_request_can_be_declined_not_accepted() -> None:
    event = make_event()
    first, second = register(event), register(event)
    request = pending_request(first, second)
    event.requests_close_at = timezone.now() - dt.timedelta(minutes=1)
    event.save(update_fields=["requests_close_at"])
    with pytest.raises(ValidationFailed) as error:
        services.meeting_request_answer(request=request, actor=second.user, accept=True)
    assert error.value.code == "closed"
    services.meeting_request_answer(request=request, actor=second.user, accept=False)
    request.refresh_from_db()
    assert request.status == RequestStatus.DECLINED


def test_accepting_a_meeting_the_organizers_already_added_creates_no_second_one() -> None:
    event = make_event()
    first, second = register(event), register(event)
    added = Meeting.objects.create(event=event, first=second, second=first)
    request = pending_request(first, second)
    services.meeting_request_answer(request=request, actor=second.user, accept=True)
    request.refresh_from_db()
    assert request.status == RequestStatus.ACCEPTED
    assert list(Meeting.objects.filter(event=event)) == [added]
    added.refresh_from_db()
    assert added.request_id == request.pk


def test_limits_on_requests_sent_and_meetings_held() -> None:
    event = make_event(max_requests_per_participant=1, max_meetings_per_participant=1)
    first, second, third = register(event), register(event), register(event)
    services.meeting_request_create(actor=first.user, requester=first, target=second)
    with pytest.raises(ValidationFailed) as error:
        services.meeting_request_create(actor=first.user, requester=first, target=third)
    assert error.value.code == "request_limit"
    request = MeetingRequest.objects.get(requester=first)
    services.meeting_request_answer(request=request, actor=second.user, accept=True)
    late = pending_request(third, second)
    with pytest.raises(ValidationFailed) as error:
        services.meeting_request_answer(request=late, actor=second.user, accept=True)
    assert error.value.code == "meeting_limit"


def test_requests_to_oneself_or_outside_the_event_are_refused() -> None:
    event = make_event()
    first = register(event)
    outsider = register(make_event())
    with pytest.raises(ValidationFailed):
        services.meeting_request_create(actor=first.user, requester=first, target=first)
    with pytest.raises(ValidationFailed):
        services.meeting_request_create(actor=first.user, requester=first, target=outsider)


def test_cancelling_a_registration_drops_its_requests_and_meetings() -> None:
    event = make_event()
    first, second = register(event), register(event)
    request = pending_request(first, second)
    services.participant_cancel(participant=first, actor=first.user)
    request.refresh_from_db()
    first.refresh_from_db()
    assert request.status == RequestStatus.CANCELLED
    assert first.status == ParticipantStatus.CANCELLED


def test_moving_an_event_to_another_hub_needs_its_managers() -> None:
    event = make_event()
    manager = make_manager("medellin")
    with pytest.raises(PermissionDenied):
        services.event_update(event=event, actor=manager, values={"hub": hub("miami")})
    staff = UserFactory(is_staff=True)
    services.event_update(event=event, actor=staff, values={"hub": hub("miami")})
    event.refresh_from_db()
    assert event.hub == hub("miami")


def test_publishing_emails_each_reader_in_their_language(
    django_capture_on_commit_callbacks: Any,
) -> None:
    from puente.events import services_schedule
    from puente.events.models import Meeting

    event = make_event(title="Rueda Bilingüe")
    spanish = register(event, user=UserFactory(language="es"))
    english = register(event, user=UserFactory(language="en"))
    meeting = Meeting.objects.create(event=event, first=spanish, second=english)
    meeting.slot, meeting.table = event.slots.first(), 1
    meeting.save()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services_schedule.event_publish(event=event, actor=make_manager("medellin"))
    subjects = {message.to[0]: message.subject for message in mail.outbox}
    assert subjects[spanish.user.email] == "Tu agenda de Rueda Bilingüe está lista"
    assert subjects[english.user.email] == "Your agenda for Rueda Bilingüe is ready"
