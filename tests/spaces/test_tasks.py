"""Background jobs: releasing no-shows, and event reminders in each recipient's language."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from puente.spaces import services_community, tasks
from puente.spaces.models import CommunityEvent
from tests.factories import UserFactory
from tests.spaces.test_community import make_event

pytestmark = pytest.mark.django_db


def test_event_reminders_go_once_in_each_recipients_language() -> None:
    event = make_event(capacity=5)
    CommunityEvent.objects.filter(pk=event.pk).update(
        starts_at=timezone.now() + dt.timedelta(hours=5),
        ends_at=timezone.now() + dt.timedelta(hours=7),
    )
    services_community.event_register(
        event=event, actor=UserFactory(language="es", email="es@example.org")
    )
    services_community.event_register(
        event=event, actor=UserFactory(language="en", email="en@example.org")
    )
    assert tasks.remind_event_attendees.delay().get() == 2
    subjects = {message.to[0]: message.subject for message in mail.outbox}
    assert subjects == {
        "es@example.org": "Mañana: Encuentro fintech",
        "en@example.org": "Tomorrow: Fintech meetup",
    }
    assert tasks.remind_event_attendees.delay().get() == 0


def test_the_release_job_runs_as_a_task() -> None:
    assert tasks.release_unchecked_bookings.delay().get() == 0
