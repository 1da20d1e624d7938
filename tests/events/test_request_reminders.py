"""Pending meeting requests about to expire are brought back to the asked side, once: one
notice per participant, in the app and by email, while the event still takes requests."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone, translation

from puente.core.models import Notification
from puente.core.notifications import render_notification
from puente.events.models import EventStatus, MeetingRequest, RequestStatus
from puente.events.services import request_reminders_send
from puente.events.tasks import remind_pending_requests
from tests.events.helpers import make_event, register
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


def ask(requester: Any, target: Any, expires_in: dt.timedelta, **fields: Any) -> MeetingRequest:
    return MeetingRequest.objects.create(
        event=requester.event,
        requester=requester,
        target=target,
        expires_at=timezone.now() + expires_in,
        **fields,
    )


def test_one_notice_per_asked_participant_for_the_requests_about_to_expire(
    django_capture_on_commit_callbacks: Any,
) -> None:
    event = make_event(request_expiry_hours=72)
    asked = register(event, OrganizationFactory(name="Asked"))
    alfa, beta, gama = (
        register(event, OrganizationFactory(name=name)) for name in ("Alfa", "Beta", "Gama")
    )
    soon = ask(alfa, asked, dt.timedelta(hours=5))
    later_today = ask(beta, asked, dt.timedelta(hours=20))
    next_week = ask(gama, asked, dt.timedelta(hours=60))  # not yet
    answered = ask(gama, alfa, dt.timedelta(hours=3), status=RequestStatus.ACCEPTED)
    past = ask(beta, alfa, -dt.timedelta(hours=1))  # expired: the expiry job's business

    with django_capture_on_commit_callbacks(execute=True):
        assert request_reminders_send() == 1
    assert request_reminders_send() == 0  # once

    (notice,) = Notification.objects.filter(kind="events.requests_waiting")
    assert notice.user == asked.user
    assert notice.url == f"/events/{event.slug}/requests/"
    assert notice.params["count"] == 2
    with translation.override("en"):
        text = render_notification(notice.kind, notice.params)
    assert text.startswith("2 meeting requests at Rueda de negocios wait for your answer")
    with translation.override("es"):
        assert render_notification(notice.kind, notice.params).startswith("2 solicitudes")
    (email,) = mail.outbox
    assert email.to == [asked.user.email]
    assert "Alfa" in email.body
    assert "Beta" in email.body
    reminded = set(MeetingRequest.objects.filter(reminded_at__isnull=False))
    assert reminded == {soon, later_today}
    assert next_week not in reminded
    assert answered not in reminded
    assert past not in reminded


def test_short_answer_times_are_reminded_halfway_and_closed_windows_not_at_all() -> None:
    event = make_event(request_expiry_hours=8)
    asked, alfa = register(event), register(event)
    early = ask(alfa, asked, dt.timedelta(hours=6))  # more than half of 8 h left
    assert request_reminders_send() == 0
    early.expires_at = timezone.now() + dt.timedelta(hours=3)
    early.save()
    closed = make_event(status=EventStatus.OPEN, requests_close_at=timezone.now())
    late = ask(register(closed), register(closed), dt.timedelta(hours=2))
    assert remind_pending_requests() == 1
    late.refresh_from_db()
    assert late.reminded_at is None  # declining is all that is left: no reminder
