"""Once the agenda is published, participants are told when their meetings change: moved,
taken out or removed by the organizers, left out by a re-run, beyond fewer tables, or left
without a counterpart by a no-show. In the app at once; by email once the organizers have
stopped changing the schedule, at most once an hour, counting every meeting that changed."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from puente.accounts.models import EmailTopic
from puente.core.models import Notification
from puente.core.notifications import render_notification
from puente.events import services_schedule
from puente.events.models import EventStatus, Meeting, Participant, Slot
from puente.events.services import event_update
from puente.events.services_changes import (
    AGENDA_CHANGE_EMAIL_GAP,
    AGENDA_CHANGE_QUIET,
    agenda_change_emails_send,
)
from tests.events.helpers import accepted_meeting, make_event, register
from tests.factories import make_manager

pytestmark = pytest.mark.django_db


def scene(status: str = EventStatus.PUBLISHED) -> tuple[Any, list[Participant], list[Meeting]]:
    """Four participants; meetings 0-1, 0-2 and 2-3 placed in the first three of six slots."""
    event = make_event(
        status=status, tables=4, sessions=[("Mañana", dt.time(9, 0), dt.time(11, 0))]
    )
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


def emails() -> list[Any]:
    return [m for m in mail.outbox if "agenda" in m.subject.lower()]


def later(minutes: float) -> dt.datetime:
    return timezone.now() + dt.timedelta(minutes=minutes)


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
    assert first.params == {
        "event": event.title,
        "count": 1,
        "event_id": event.pk,
        "meetings": [meetings[0].pk],
        "email": "pending",
    }
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
    assert emails() == []  # the organizers may run it again: the email waits
    after = eve + AGENDA_CHANGE_QUIET + dt.timedelta(seconds=1)
    assert agenda_change_emails_send(now=after) == 4
    assert len(emails()) == 4


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


def test_two_runs_in_a_row_tell_twice_in_the_app_and_email_once(
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
    assert agenda_change_emails_send(now=eve + AGENDA_CHANGE_QUIET * 2) == 4  # one each
    assert agenda_change_emails_send(now=eve + AGENDA_CHANGE_QUIET * 3) == 0


def test_moves_are_emailed_once_the_organizers_stop_counting_each_meeting_once() -> None:
    event, people, meetings = scene()
    manager = make_manager("medellin")
    slots = list(event.slots.order_by("starts_at"))
    people[0].user.language = "en"
    people[0].user.save(update_fields=["language"])
    services_schedule.meeting_move(meeting=meetings[0], actor=manager, slot=slots[4])
    services_schedule.meeting_move(meeting=meetings[0], actor=manager, slot=slots[5])
    services_schedule.meeting_move(meeting=meetings[1], actor=manager, slot=None)
    assert [len(told(p)) for p in people] == [3, 2, 1, 0]  # each change, in the app at once
    assert agenda_change_emails_send(now=later(5)) == 0  # still within the quiet time
    assert emails() == []
    assert agenda_change_emails_send(now=later(11)) == 3
    by_address = {m.to[0]: m for m in emails()}
    assert set(by_address) == {people[i].user.email for i in range(3)}
    # Participant 0 had two meetings changed (one of them moved twice), 1 and 2 one each;
    # each reads it in their language.
    assert "2 of your meetings" in by_address[people[0].user.email].body
    assert "1 de tus reuniones" in by_address[people[1].user.email].body
    assert f"/events/{event.slug}/agenda/" in by_address[people[2].user.email].body
    assert all(n.params["email"] == "sent" for n in told(people[0]))
    assert agenda_change_emails_send(now=later(20)) == 0  # nothing twice


def test_an_email_comes_at_most_once_an_hour_and_the_next_covers_the_changes_between() -> None:
    event, _people, meetings = scene()
    manager = make_manager("medellin")
    slots = list(event.slots.order_by("starts_at"))
    services_schedule.meeting_move(meeting=meetings[2], actor=manager, slot=slots[4])
    assert agenda_change_emails_send(now=later(11)) == 2  # participants 2 and 3
    mail.outbox.clear()
    services_schedule.meeting_move(meeting=meetings[2], actor=manager, slot=slots[5])
    Notification.objects.filter(params__email="pending").update(created_at=later(20))
    assert agenda_change_emails_send(now=later(40)) == 0  # 29 minutes after the last email
    gap_over = later(11 + AGENDA_CHANGE_EMAIL_GAP.total_seconds() / 60 + 1)
    assert agenda_change_emails_send(now=gap_over) == 2
    assert [len(emails())] == [2]


def test_no_email_for_those_who_turned_agendas_off_nor_for_an_unpublished_event() -> None:
    event, people, meetings = scene()
    manager = make_manager("medellin")
    people[1].user.emails_off = [EmailTopic.SCHEDULE]
    people[1].user.save(update_fields=["emails_off"])
    services_schedule.meeting_move(meeting=meetings[0], actor=manager, slot=None)
    assert agenda_change_emails_send(now=later(11)) == 1
    assert [m.to[0] for m in emails()] == [people[0].user.email]
    assert told(people[1])[0].params["email"] == "off"  # read in the app only
    mail.outbox.clear()
    services_schedule.meeting_move(meeting=meetings[2], actor=manager, slot=None)
    event.status = EventStatus.OPEN  # taken back to draft before the email went out
    event.save(update_fields=["status"])
    assert agenda_change_emails_send(now=later(11)) == 0
    assert told(people[3])[0].params["email"] == "dropped"
    event.status = EventStatus.PUBLISHED
    event.save(update_fields=["status"])
    assert agenda_change_emails_send(now=later(30)) == 0  # not sent on publishing again


def test_no_show_gaps_are_told_in_the_app_only() -> None:
    _event, people, meetings = scene()
    services_schedule.participant_mark_no_show(
        participant=people[0],
        actor=make_manager("medellin"),
        now=meetings[0].slot.starts_at - dt.timedelta(minutes=30),
    )
    assert "email" not in told(people[1])[0].params
    assert agenda_change_emails_send(now=later(11)) == 0


def test_a_failed_email_is_kept_for_the_next_run(monkeypatch: pytest.MonkeyPatch) -> None:
    _event, people, meetings = scene()
    services_schedule.meeting_move(meeting=meetings[2], actor=make_manager("medellin"), slot=None)

    def broken(**_kwargs: Any) -> None:
        raise ConnectionError("mail server down")

    from puente.events import services_changes

    monkeypatch.setattr(services_changes, "send_templated_email", broken)
    assert agenda_change_emails_send(now=later(11)) == 0
    assert told(people[2])[0].params["email"] == "pending"
    monkeypatch.undo()
    assert agenda_change_emails_send(now=later(16)) == 2


def test_someone_speaking_for_two_participants_gets_one_notice_and_one_email() -> None:
    event, people, meetings = scene()
    colleague = people[0].user
    shared = register(event, user=colleague)  # registers a second organization too
    Meeting.objects.filter(pk=meetings[2].pk).update(second=shared)  # 2 meets the colleague
    meetings[2].refresh_from_db()
    manager = make_manager("medellin")
    services_schedule.meeting_move(meeting=meetings[0], actor=manager, slot=None)
    services_schedule.meeting_move(meeting=meetings[2], actor=manager, slot=None)
    assert agenda_change_emails_send(now=later(11)) == 3
    mine = [m for m in emails() if m.to[0] == colleague.email]
    assert len(mine) == 1
    assert "2 de tus reuniones" in mine[0].body
