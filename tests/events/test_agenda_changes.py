"""Once the agenda is published, participants are told when their meetings change: moved,
taken out or removed by the organizers, left out by a re-run, beyond fewer tables, or left
without a counterpart by a no-show."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail

from puente.core.models import Notification
from puente.core.notifications import render_notification
from puente.events import services_schedule
from puente.events.models import EventStatus, Meeting, Participant, Slot
from puente.events.services import event_update
from tests.events.helpers import accepted_meeting, make_event, register
from tests.factories import make_manager

pytestmark = pytest.mark.django_db


def scene(status: str = EventStatus.PUBLISHED) -> tuple[Any, list[Participant], list[Meeting]]:
    """Four participants; meetings 0-1, 0-2 and 2-3 placed in the first three slots."""
    event = make_event(status=status, tables=4)
    people = [register(event) for _ in range(4)]
    slots = list(event.slots.order_by("starts_at"))
    meetings = []
    for index, (a, b) in enumerate([(0, 1), (0, 2), (2, 3)]):
        meeting = accepted_meeting(people[a], people[b])
        meeting.slot, meeting.table = slots[index], index + 1
        meeting.save()
        meetings.append(meeting)
    return event, people, meetings


def told(participant: Participant) -> list[Notification]:
    return list(Notification.objects.filter(user=participant.user, kind="events.agenda_changed"))


def test_moving_a_meeting_tells_both_sides_once_published() -> None:
    event, people, meetings = scene(status=EventStatus.OPEN)
    manager = make_manager("medellin")
    free = Slot.objects.filter(event=event).order_by("-starts_at").first()
    services_schedule.meeting_move(meeting=meetings[0], actor=manager, slot=free)
    assert not Notification.objects.filter(kind="events.agenda_changed").exists()  # draft
    event.status = EventStatus.PUBLISHED
    event.save(update_fields=["status"])
    services_schedule.meeting_move(meeting=meetings[0], actor=manager, slot=None)
    (first,) = told(people[0])
    (_second,) = told(people[1])
    assert first.params == {"event": event.title, "count": 1}
    assert first.url == f"/events/{event.slug}/agenda/"
    assert told(people[2]) == []
    assert told(people[3]) == []
    # Locking in place changes nothing anyone sees: nobody is told again.
    services_schedule.meeting_set_lock(meeting=meetings[1], actor=manager, locked=True)
    assert len(told(people[0])) == 1


def test_removing_a_placed_meeting_tells_both_sides() -> None:
    _event, people, meetings = scene()
    services_schedule.meeting_remove(meeting=meetings[2], actor=make_manager("medellin"))
    assert len(told(people[2])) == 1
    assert len(told(people[3])) == 1
    assert told(people[0]) == []


def test_a_re_run_tells_each_participant_how_many_of_their_meetings_changed(
    django_capture_on_commit_callbacks: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    event, people, meetings = scene()
    manager = make_manager("medellin")
    # The day before the event (its slots are in March 2026): none has begun.
    eve = meetings[0].slot.starts_at - dt.timedelta(days=1)
    monkeypatch.setattr(services_schedule.timezone, "now", lambda: eve)
    # Every meeting leaves the schedule: the re-run places all three again.
    Meeting.objects.filter(event=event).update(slot=None, table=None)
    Notification.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        run = services_schedule.schedule_run_start(event=event, actor=manager, time_limit=5)
    run.refresh_from_db()
    assert run.meetings_placed == 3
    counts = {p.pk: [n.params["count"] for n in told(p)] for p in people}
    assert counts == {people[0].pk: [2], people[1].pk: [1], people[2].pk: [2], people[3].pk: [1]}
    changed = [m for m in mail.outbox if "agenda" in m.subject.lower()]
    assert len(changed) == 4


def test_fewer_tables_tell_those_whose_meetings_no_longer_fit() -> None:
    event, people, _meetings = scene()
    event_update(event=event, actor=make_manager("medellin"), values={"tables": 2})
    # The meeting at table 3 (participants 2 and 3) no longer has a table.
    assert [len(told(p)) for p in people] == [0, 0, 1, 1]


def test_a_no_show_tells_counterparts_left_without_a_meeting() -> None:
    _event, people, meetings = scene()
    first = meetings[0].slot
    services_schedule.participant_mark_no_show(
        participant=people[0],
        actor=make_manager("medellin"),
        now=first.starts_at - dt.timedelta(minutes=30),
    )
    # Nobody is on standby: participants 1 and 2 each lose their meeting with 0.
    assert [len(told(p)) for p in people] == [0, 1, 1, 0]


def test_the_message_reads_in_the_singular_and_the_plural() -> None:
    params = {"event": "Rueda", "count": 1}
    from django.utils import translation

    with translation.override("en"):
        assert render_notification("events.agenda_changed", params).endswith(
            "1 meeting moved, added or cancelled."
        )
        assert "3 meetings" in render_notification("events.agenda_changed", {**params, "count": 3})
    with translation.override("es"):
        assert "3 reuniones" in render_notification("events.agenda_changed", {**params, "count": 3})


def test_a_second_run_soon_after_tells_in_the_app_but_does_not_email_again(
    django_capture_on_commit_callbacks: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    event, people, meetings = scene()
    manager = make_manager("medellin")
    eve = meetings[0].slot.starts_at - dt.timedelta(days=1)
    monkeypatch.setattr(services_schedule.timezone, "now", lambda: eve)
    for _run in range(2):
        Meeting.objects.filter(event=event).update(slot=None, table=None)
        with django_capture_on_commit_callbacks(execute=True):
            services_schedule.schedule_run_start(event=event, actor=manager, time_limit=5)
    assert [len(told(p)) for p in people] == [2, 2, 2, 2]  # both runs, in the app
    assert len([m for m in mail.outbox if "agenda" in m.subject.lower()]) == 4  # one each
