"""The organizer's schedule: scheduler runs through the adapter, manual adjustments checked
against the hard constraints, publishing, and the agenda's calendar file."""

from __future__ import annotations

import dataclasses
import datetime as dt
import zoneinfo
from typing import Any

import pytest
from icalendar import Calendar

from puente.core.errors import Conflict, PermissionDenied, ValidationFailed
from puente.core.models import Notification
from puente.events import adapter, selectors, services_schedule
from puente.events.calendar import agenda_calendar
from puente.events.models import (
    Event,
    EventStatus,
    Meeting,
    Participant,
    RunStatus,
    ScheduleRun,
    Slot,
)
from puente.events.scheduling import count_breaks, solve, validate
from puente.events.services import event_session_add, event_update
from tests.events.helpers import EVENT_DAY, accepted_meeting, make_event, midday_zone, register
from tests.factories import UserFactory, make_manager

pytestmark = pytest.mark.django_db


def busy_event(tables: int = 2) -> tuple[Any, list[Any], list[Meeting]]:
    """Five participants, six meetings, two sessions of three slots."""
    event = make_event(
        tables=tables,
        sessions=[
            ("Mañana", dt.time(9, 0), dt.time(10, 0)),
            ("Tarde", dt.time(14, 0), dt.time(15, 0)),
        ],
    )
    people = [register(event) for _ in range(5)]
    pairs = [(0, 1), (0, 2), (1, 2), (2, 3), (3, 4), (0, 4)]
    meetings = [accepted_meeting(people[a], people[b]) for a, b in pairs]
    return event, people, meetings


def run_now(event: Any, actor: Any, captured: Any, time_limit: int = 10) -> ScheduleRun:
    with captured(execute=True):
        run = services_schedule.schedule_run_start(event=event, actor=actor, time_limit=time_limit)
    run.refresh_from_db()
    return run


def test_scheduler_run_places_every_meeting_and_reports_breaks(
    django_capture_on_commit_callbacks: Any,
) -> None:
    event, _people, _meetings = busy_event()
    manager = make_manager("medellin")
    run = run_now(event, manager, django_capture_on_commit_callbacks)
    assert run.status == RunStatus.DONE, run.message
    assert run.solver_status == "optimal"
    assert run.meetings_placed == run.meetings_total == 6
    assert run.progress == 1.0
    placed = list(Meeting.objects.filter(event=event))
    assert all(m.slot_id is not None and 1 <= m.table <= 2 for m in placed)
    # Hard constraints hold on what was stored, and the breaks match a recount.
    built = adapter.event_problem(event)
    stats = selectors.event_statistics(event)
    assert stats.meetings_placed == 6
    assert stats.breaks_total == run.breaks_total
    assert run.lower_bound is not None
    assert run.lower_bound <= run.breaks_total
    assert built.previous  # the stored schedule is what a re-run starts from


def test_a_rerun_keeps_locked_meetings_in_place(django_capture_on_commit_callbacks: Any) -> None:
    event, _people, meetings = busy_event()
    manager = make_manager("medellin")
    last = Slot.objects.filter(event=event).order_by("-starts_at").first()
    services_schedule.meeting_move(meeting=meetings[0], actor=manager, slot=last, table=2)
    run = run_now(event, manager, django_capture_on_commit_callbacks)
    assert run.status == RunStatus.DONE
    meetings[0].refresh_from_db()
    assert (meetings[0].slot, meetings[0].table, meetings[0].locked) == (last, 2, True)


def test_only_organizers_run_the_scheduler_and_one_run_at_a_time() -> None:
    event, _people, _meetings = busy_event()
    with pytest.raises(PermissionDenied):
        services_schedule.schedule_run_start(event=event, actor=make_manager("miami"))
    manager = make_manager("medellin")
    services_schedule.schedule_run_start(event=event, actor=manager)  # queued, not run
    with pytest.raises(Conflict):
        services_schedule.schedule_run_start(event=event, actor=manager)
    with pytest.raises(ValidationFailed):
        services_schedule.schedule_run_start(event=make_event(), actor=manager, time_limit=0)


def test_contradictory_locks_fail_the_run_with_a_message(
    django_capture_on_commit_callbacks: Any,
) -> None:
    event, people, meetings = busy_event()
    manager = make_manager("medellin")
    slot = Slot.objects.filter(event=event).first()
    services_schedule.meeting_move(meeting=meetings[0], actor=manager, slot=slot, table=1)
    # Make the lock impossible behind the service's back: the participant is now unavailable.
    people[0].unavailable_slots.add(slot)
    run = run_now(event, manager, django_capture_on_commit_callbacks)
    assert run.status == RunStatus.FAILED
    assert run.message


def test_manual_moves_respect_every_hard_constraint() -> None:
    event, people, meetings = busy_event(tables=1)
    manager = make_manager("medellin")
    first_slot, second_slot = list(Slot.objects.filter(event=event).order_by("starts_at"))[:2]
    services_schedule.meeting_move(meeting=meetings[0], actor=manager, slot=first_slot)
    with pytest.raises(Conflict):  # participant 0 is busy, and the only table is taken
        services_schedule.meeting_move(meeting=meetings[1], actor=manager, slot=first_slot)
    with pytest.raises(Conflict):  # table taken (participants 3 and 4 are free)
        services_schedule.meeting_move(meeting=meetings[4], actor=manager, slot=first_slot)
    with pytest.raises(ValidationFailed):  # no table 2
        services_schedule.meeting_move(
            meeting=meetings[4], actor=manager, slot=second_slot, table=2
        )
    people[3].unavailable_slots.add(second_slot)
    with pytest.raises(ValidationFailed):
        services_schedule.meeting_move(meeting=meetings[4], actor=manager, slot=second_slot)
    afternoon = next(s for s in event.sessions.all() if s.name == "Tarde")
    Meeting.objects.filter(pk=meetings[5].pk).update(session=afternoon)
    meetings[5].refresh_from_db()
    with pytest.raises(ValidationFailed):  # required session
        services_schedule.meeting_move(meeting=meetings[5], actor=manager, slot=second_slot)
    with pytest.raises(PermissionDenied):
        services_schedule.meeting_move(meeting=meetings[5], actor=UserFactory(), slot=None)


def test_moving_a_meeting_bumps_its_calendar_revision_and_keeps_its_uid() -> None:
    event, _people, meetings = busy_event()
    manager = make_manager("medellin")
    slots = list(Slot.objects.filter(event=event).order_by("starts_at"))
    meeting = services_schedule.meeting_move(meeting=meetings[0], actor=manager, slot=slots[0])
    uid, sequence = meeting.uid, meeting.sequence
    meeting = services_schedule.meeting_move(meeting=meeting, actor=manager, slot=slots[1])
    assert meeting.uid == uid
    assert meeting.sequence == sequence + 1


def test_organizer_adds_and_removes_meetings() -> None:
    event, people, meetings = busy_event()
    manager = make_manager("medellin")
    added = services_schedule.meeting_add(
        event=event, actor=manager, first=people[1], second=people[4]
    )
    assert added.request is None
    with pytest.raises(Conflict):
        services_schedule.meeting_add(event=event, actor=manager, first=people[4], second=people[1])
    services_schedule.meeting_remove(meeting=meetings[0], actor=manager)
    assert not Meeting.objects.filter(pk=meetings[0].pk).exists()
    meetings[0].request.refresh_from_db()
    assert meetings[0].request.status == "cancelled"


def test_publishing_needs_a_schedule_and_tells_every_participant(
    django_capture_on_commit_callbacks: Any,
) -> None:
    event, people, _meetings = busy_event()
    manager = make_manager("medellin")
    with pytest.raises(ValidationFailed):
        services_schedule.event_publish(event=event, actor=manager)
    run_now(event, manager, django_capture_on_commit_callbacks)
    services_schedule.event_publish(event=event, actor=manager)
    event.refresh_from_db()
    assert event.status == EventStatus.PUBLISHED
    assert event.published_at
    notified = set(
        Notification.objects.filter(kind="events.agenda_published").values_list("user", flat=True)
    )
    assert notified == {p.user_id for p in people}


def test_new_slot_length_recuts_slots_and_unplaces_lost_meetings() -> None:
    event, _people, meetings = busy_event()
    manager = make_manager("medellin")
    slot = Slot.objects.filter(event=event).order_by("starts_at").last()
    services_schedule.meeting_move(meeting=meetings[0], actor=manager, slot=slot)
    from puente.events.services import event_update

    event_update(event=event, actor=manager, values={"slot_minutes": 30})
    assert Slot.objects.filter(event=event).count() == 4
    meetings[0].refresh_from_db()
    assert meetings[0].slot is None
    assert meetings[0].table is None
    with pytest.raises(ValidationFailed):
        event_session_add(
            event=event,
            actor=manager,
            values={
                "name": "x",
                "date": EVENT_DAY,
                "start_time": dt.time(11),
                "end_time": dt.time(10),
            },
        )


def test_a_rerun_keeps_the_tables_of_meetings_that_keep_their_slot(
    django_capture_on_commit_callbacks: Any,
) -> None:
    event, _people, _meetings = busy_event(tables=3)
    manager = make_manager("medellin")
    run_now(event, manager, django_capture_on_commit_callbacks)
    # Printed agendas name tables: move two meetings of one slot to other tables by hand.
    by_slot: dict[int, list[Meeting]] = {}
    for meeting in Meeting.objects.filter(event=event, slot__isnull=False).order_by("pk"):
        by_slot.setdefault(meeting.slot_id, []).append(meeting)
    shared = next(group for group in by_slot.values() if len(group) >= 2)
    first, second = shared[0], shared[1]
    Meeting.objects.filter(pk=first.pk).update(table=None)
    Meeting.objects.filter(pk=second.pk).update(table=3)
    Meeting.objects.filter(pk=first.pk).update(table=second.table)
    before = {m.pk: (m.slot_id, m.table, m.sequence) for m in Meeting.objects.filter(event=event)}
    assert before[second.pk][1] == 3
    run = run_now(event, manager, django_capture_on_commit_callbacks)
    assert run.status == RunStatus.DONE
    assert run.moved == 0
    after = {m.pk: (m.slot_id, m.table, m.sequence) for m in Meeting.objects.filter(event=event)}
    assert after == before  # same slots, same tables, so no calendar update either


def test_agenda_ics_has_a_vtimezone_and_round_trips(
    django_capture_on_commit_callbacks: Any,
) -> None:
    event, people, _meetings = busy_event()
    manager = make_manager("medellin")
    run_now(event, manager, django_capture_on_commit_callbacks)
    items = selectors.agenda_of(people[0])
    assert len(items) == 3
    body = agenda_calendar(event, people[0], items)
    calendar = Calendar.from_ical(body)
    zones = list(calendar.walk("VTIMEZONE"))
    assert [str(z["TZID"]) for z in zones] == ["America/Bogota"]
    events = calendar.walk("VEVENT")
    assert len(events) == 3
    starts = sorted(e.decoded("DTSTART") for e in events)
    assert starts == [item.slot.starts_at for item in items]  # same instants, zone-aware
    assert all(str(e["DTSTART"].params["TZID"]) == "America/Bogota" for e in events)
    assert {str(e["UID"]) for e in events} == {f"meeting-{i.meeting.uid}@puente" for i in items}
    assert Calendar.from_ical(calendar.to_ical()).to_ical() == calendar.to_ical()


def test_a_meeting_taken_out_of_the_schedule_comes_cancelled_in_the_calendar(
    django_capture_on_commit_callbacks: Any,
) -> None:
    event, people, _meetings = busy_event()
    manager = make_manager("medellin")
    run_now(event, manager, django_capture_on_commit_callbacks)
    (first, *_rest) = selectors.agenda_of(people[0])
    uid = f"meeting-{first.meeting.uid}@puente"
    before = Calendar.from_ical(agenda_calendar(event, people[0], selectors.agenda_of(people[0])))
    old = next(e for e in before.walk("VEVENT") if str(e["UID"]) == uid)
    services_schedule.meeting_move(meeting=first.meeting, actor=manager, slot=None)
    cancelled = selectors.cancelled_of(people[0])
    assert [item.uid for item in cancelled] == [first.meeting.uid]
    body = agenda_calendar(
        event, people[0], selectors.agenda_of(people[0]), selectors.cancelled_of(people[0])
    )
    after = Calendar.from_ical(body)
    entry = next(e for e in after.walk("VEVENT") if str(e["UID"]) == uid)
    assert str(entry["STATUS"]) == "CANCELLED"
    assert entry.decoded("DTSTART") == first.slot.starts_at  # where the client has it
    assert int(entry["SEQUENCE"]) > int(old["SEQUENCE"])  # so the client applies it
    # The other side gets the same cancellation; placed again, it is an ordinary event.
    other = first.counterpart
    assert [i.uid for i in selectors.cancelled_of(other)] == [first.meeting.uid]
    services_schedule.meeting_move(meeting=first.meeting, actor=manager, slot=first.slot)
    assert selectors.cancelled_of(people[0]) == []
    # The web download carries it too.
    services_schedule.meeting_move(meeting=first.meeting, actor=manager, slot=None)
    event.status = EventStatus.PUBLISHED
    event.save(update_fields=["status"])
    from django.test import Client

    client = Client()
    client.force_login(manager)
    response = client.get(f"/events/{event.slug}/agenda.ics?participant={people[0].pk}")
    statuses = {
        str(e["UID"]): str(e["STATUS"]) for e in Calendar.from_ical(response.content).walk("VEVENT")
    }
    assert statuses[uid] == "CANCELLED"


def test_solver_schedule_meets_hard_constraints(django_capture_on_commit_callbacks: Any) -> None:
    event, _people, _meetings = busy_event(tables=1)
    manager = make_manager("medellin")
    run = run_now(event, manager, django_capture_on_commit_callbacks)
    built = adapter.event_problem(event)
    from puente.events.scheduling import Assignment, Solution

    placed = [
        Assignment(
            meeting=adapter.meeting_key(m.pk), slot=adapter.slot_key(m.slot_id), table=m.table
        )
        for m in Meeting.objects.filter(event=event, slot__isnull=False)
    ]
    breaks = count_breaks(built.problem, placed)
    solution = Solution(
        status="feasible",
        assignments=placed,
        unscheduled=[
            adapter.meeting_key(m.pk)
            for m in Meeting.objects.filter(event=event, slot__isnull=True)
        ],
        breaks_total=sum(breaks.values()),
        breaks_per_participant=breaks,
        lower_bound=0,
        elapsed_s=0.0,
        placed_priority=len(placed),
    )
    assert validate(built.problem, solution) == []
    assert sum(breaks.values()) == run.breaks_total


def standby_scene() -> tuple[Any, list[Any], list[Meeting], list[Slot], Any, Any]:
    """Participant 0 meets 1 in slot 0 (table 1) and 2 in slot 1 (table 2); one participant
    on standby is checked in."""
    event, people, meetings = busy_event()
    manager = make_manager("medellin")
    slots = list(Slot.objects.filter(event=event).order_by("starts_at"))
    services_schedule.meeting_move(meeting=meetings[0], actor=manager, slot=slots[0], table=1)
    services_schedule.meeting_move(meeting=meetings[1], actor=manager, slot=slots[1], table=2)
    standby = register(event, standby=True)
    services_schedule.participant_check_in(participant=standby, actor=manager)
    return event, people, meetings, slots, manager, standby


def test_no_show_frees_meetings_for_checked_in_participants_on_standby() -> None:
    event, people, meetings, slots, manager, standby = standby_scene()
    busy_standby = register(event, standby=True)
    # Not checked in: never picked.
    assert busy_standby.checked_in_at is None
    before_the_day = slots[0].starts_at - dt.timedelta(hours=1)
    reassigned = services_schedule.participant_mark_no_show(
        participant=people[0], actor=manager, now=before_the_day
    )
    assert reassigned == 2
    # Both sides of each new meeting are told.
    assert (
        Notification.objects.filter(user=standby.user, kind="events.standby_meeting").count() == 2
    )
    told = Notification.objects.get(user=people[1].user, kind="events.meeting_replaced")
    assert told.params["other"] == standby.display_name
    assert told.params["time"] == "09:00"
    people[0].refresh_from_db()
    assert people[0].no_show
    for original, counterpart, slot, table in (
        (meetings[0], people[1], slots[0], 1),
        (meetings[1], people[2], slots[1], 2),
    ):
        original.refresh_from_db()
        assert original.slot is None
        replacement = Meeting.objects.get(replaces=original)
        assert {replacement.first, replacement.second} == {counterpart, standby}
        assert (replacement.slot, replacement.table, replacement.locked) == (slot, table, True)
    stats = selectors.event_statistics(event)
    assert stats.no_shows == 1
    assert stats.checked_in == 1
    assert stats.standby_meetings == 2
    with pytest.raises(PermissionDenied):
        services_schedule.participant_mark_no_show(participant=people[1], actor=people[1].user)


def test_a_lock_that_cannot_be_kept_fails_the_run_naming_the_meeting(
    django_capture_on_commit_callbacks: Any,
) -> None:
    event, _people, meetings = busy_event()
    manager = make_manager("medellin")
    manager.language = "en"
    manager.save(update_fields=["language"])
    slot = Slot.objects.filter(event=event).order_by("starts_at").first()
    Meeting.objects.filter(pk=meetings[0].pk).update(slot=slot, table=1, locked=True)
    meetings[0].first.unavailable_slots.add(slot)  # the organizer's lock, then a change
    run = run_now(event, manager, django_capture_on_commit_callbacks)
    assert run.status == RunStatus.FAILED
    first, second = meetings[0].first.display_name, meetings[0].second.display_name
    assert f"{first} – {second}" in run.message
    assert "one of its participants cannot attend that slot" in run.message  # the asker's
    assert f"m{meetings[0].pk}" not in run.message  # no internal ids


def test_schedule_changes_wait_for_a_run_to_finish() -> None:
    event, people, meetings = busy_event()
    manager = make_manager("medellin")
    slot = Slot.objects.filter(event=event).order_by("starts_at").first()
    run = ScheduleRun.objects.create(event=event, status=RunStatus.RUNNING, time_limit=30)
    attempts = [
        lambda: services_schedule.meeting_move(meeting=meetings[0], actor=manager, slot=slot),
        lambda: services_schedule.meeting_add(
            event=event, actor=manager, first=people[0], second=people[3]
        ),
        lambda: services_schedule.meeting_remove(meeting=meetings[1], actor=manager),
        lambda: services_schedule.participant_mark_no_show(participant=people[2], actor=manager),
        lambda: event_update(event=event, actor=manager, values={"tables": 5}),
    ]
    for attempt in attempts:
        with pytest.raises(Conflict) as error:
            attempt()
        assert error.value.code == "run_active"
    ScheduleRun.objects.filter(pk=run.pk).update(status=RunStatus.DONE)
    services_schedule.meeting_move(meeting=meetings[0], actor=manager, slot=slot)


def test_without_a_broker_a_run_goes_to_a_thread_and_a_crash_fails_it(
    django_capture_on_commit_callbacks: Any,
    monkeypatch: pytest.MonkeyPatch,
    settings: Any,
) -> None:
    """Embedded mode: the organizer's request returns at once; the thread's run is marked
    failed (not left running) when the scheduler raises."""
    settings.EVENTS_SCHEDULER_THREAD = True
    started: list[Any] = []

    class FakeThread:
        def __init__(self, *, target: Any, args: Any, name: str, daemon: bool) -> None:
            self.target, self.args, self.name, self.daemon = target, args, name, daemon

        def start(self) -> None:
            started.append(self)

    monkeypatch.setattr(services_schedule.threading, "Thread", FakeThread)
    monkeypatch.setattr(services_schedule.connections, "close_all", lambda: None)
    event, _people, _meetings = busy_event()
    manager = make_manager("medellin")
    with django_capture_on_commit_callbacks(execute=True):
        run = services_schedule.schedule_run_start(event=event, actor=manager, time_limit=10)
    run.refresh_from_db()
    assert run.status == RunStatus.QUEUED  # nothing ran in the request
    (thread,) = started
    assert thread.daemon
    assert thread.name == f"scheduler-run-{run.pk}"
    thread.target(*thread.args)
    run.refresh_from_db()
    assert run.status == RunStatus.DONE
    assert run.meetings_placed == 6

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("solver crashed")

    monkeypatch.setattr(services_schedule, "solve", broken)
    with django_capture_on_commit_callbacks(execute=True):
        again = services_schedule.schedule_run_start(event=event, actor=manager, time_limit=10)
    started[-1].target(*started[-1].args)
    again.refresh_from_db()
    assert again.status == RunStatus.FAILED
    assert selectors.active_run(event) is None


def test_a_run_whose_schedule_collides_with_a_change_fails_cleanly(
    django_capture_on_commit_callbacks: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    event, _people, _meetings = busy_event()
    manager = make_manager("medellin")

    def collide(*args: Any, **kwargs: Any) -> Any:
        from django.db import IntegrityError

        raise IntegrityError("meeting_one_per_table")

    monkeypatch.setattr(services_schedule, "_apply", collide)
    run = run_now(event, manager, django_capture_on_commit_callbacks)
    assert run.status == RunStatus.FAILED
    assert "run it again" in run.message or "vuelve a" in run.message.lower()
    assert selectors.active_run(event) is None


def test_self_check_in_opens_on_the_event_day_only() -> None:
    event, people, _meetings = busy_event()
    slots = list(Slot.objects.filter(event=event).order_by("starts_at"))
    first, last = slots[0].starts_at, slots[-1].ends_at
    me = people[0]
    with pytest.raises(ValidationFailed) as error:  # not published yet
        services_schedule.participant_self_check_in(participant=me, actor=me.user, now=first)
    assert error.value.code == "check_in_closed"
    event.status = EventStatus.PUBLISHED
    event.save(update_fields=["status"])
    assert not services_schedule.self_check_in_open(event, first - dt.timedelta(hours=4))
    assert services_schedule.self_check_in_open(event, first - dt.timedelta(hours=2))
    assert services_schedule.self_check_in_open(event, last)
    assert not services_schedule.self_check_in_open(event, last + dt.timedelta(minutes=1))
    assert not services_schedule.self_check_in_open(event, first + dt.timedelta(days=1))
    with pytest.raises(PermissionDenied):
        services_schedule.participant_self_check_in(participant=me, actor=people[1].user, now=first)
    services_schedule.participant_self_check_in(participant=me, actor=me.user, now=first)
    me.refresh_from_db()
    assert me.checked_in_at == first
    services_schedule.participant_self_check_in(participant=me, actor=me.user, now=last)
    me.refresh_from_db()
    assert me.checked_in_at == first  # the first arrival stands
    assert selectors.event_statistics(event).checked_in == 1
    absent = people[1]
    Participant.objects.filter(pk=absent.pk).update(no_show=True)
    absent.refresh_from_db()
    with pytest.raises(ValidationFailed) as error:
        services_schedule.participant_self_check_in(
            participant=absent, actor=absent.user, now=first
        )
    assert error.value.code == "marked_absent"


def test_a_participant_checks_in_from_the_agenda_on_the_event_day() -> None:
    from django.test import Client

    from puente.events.models import EventSession
    from puente.events.services import _cut_slots

    # A zone where it is about midday now, so the day's slots surround the present at any
    # hour of the run (in Bogotá the last slot has ended from 23:40 on).
    zone_name = midday_zone()
    zone = zoneinfo.ZoneInfo(zone_name)
    today = dt.datetime.now(zone).date()
    event = make_event(status=EventStatus.PUBLISHED, sessions=[], time_zone=zone_name)
    Event.objects.filter(pk=event.pk).update(start_date=today, end_date=today)
    event.refresh_from_db()
    session = EventSession.objects.create(
        event=event,
        name="Todo el día",
        date=today,
        start_time=dt.time(0, 0),
        end_time=dt.time(23, 55),
    )
    _cut_slots(event, session)
    me = register(event)
    client = Client()
    client.force_login(me.user)
    page = client.get(f"/events/{event.slug}/agenda/").content.decode()
    assert 'id="self-check-in"' in page
    response = client.post(f"/events/{event.slug}/check-in/")
    assert response.status_code == 302
    me.refresh_from_db()
    assert me.checked_in_at is not None
    assert (
        'action="/events/'
        not in client.get(f"/events/{event.slug}/agenda/")
        .content.decode()
        .split('id="self-check-in"')[1]
        .split("</div>")[0]
    )
    stranger = Client()
    stranger.force_login(UserFactory())
    assert stranger.post(f"/events/{event.slug}/check-in/").status_code == 404


def test_participants_are_reminded_once_a_day_before_their_first_meeting(
    django_capture_on_commit_callbacks: Any,
) -> None:
    from django.core import mail

    event, people, meetings = busy_event()
    manager = make_manager("medellin")
    slots = list(Slot.objects.filter(event=event).order_by("starts_at"))
    services_schedule.meeting_move(meeting=meetings[0], actor=manager, slot=slots[1], table=1)
    services_schedule.meeting_move(meeting=meetings[1], actor=manager, slot=slots[0], table=1)
    first = slots[0].starts_at
    # Not published: nobody is reminded.
    assert services_schedule.agenda_reminders_send(now=first - dt.timedelta(hours=1)) == 0
    event.status = EventStatus.PUBLISHED
    event.save(update_fields=["status"])
    assert services_schedule.agenda_reminders_send(now=first - dt.timedelta(hours=25)) == 0
    Participant.objects.filter(pk=meetings[1].second_id).update(no_show=True)
    with django_capture_on_commit_callbacks(execute=True):
        sent = services_schedule.agenda_reminders_send(now=first - dt.timedelta(hours=23))
    placed = {meetings[0].first_id, meetings[0].second_id, meetings[1].first_id}
    assert sent == len(placed)
    reminded = Notification.objects.filter(kind="events.agenda_reminder")
    assert reminded.count() == len(placed)
    mine = reminded.get(user=people[0].user)  # participant 0 meets in slots 0 and 1
    assert mine.params["time"] == "09:00"
    assert mine.params["count"] == 2
    assert mine.url == f"/events/{event.slug}/agenda/"
    assert len(mail.outbox) == len(placed)
    assert any("09:00" in message.subject for message in mail.outbox)
    assert services_schedule.agenda_reminders_send(now=first - dt.timedelta(hours=22)) == 0


def test_no_show_without_standby_leaves_the_slot_free() -> None:
    event, people, meetings = busy_event()
    manager = make_manager("medellin")
    slot = Slot.objects.filter(event=event).order_by("starts_at").first()
    services_schedule.meeting_move(meeting=meetings[0], actor=manager, slot=slot)
    early = slot.starts_at - dt.timedelta(minutes=5)
    assert (
        services_schedule.participant_mark_no_show(participant=people[1], actor=manager, now=early)
        == 0
    )
    meetings[0].refresh_from_db()
    assert meetings[0].slot is None


def test_no_show_during_the_event_gives_standby_only_the_meetings_to_come() -> None:
    _event, people, meetings, slots, manager, _standby = standby_scene()
    during_the_first = slots[0].starts_at + dt.timedelta(minutes=10)
    reassigned = services_schedule.participant_mark_no_show(
        participant=people[0], actor=manager, now=during_the_first
    )
    assert reassigned == 1
    meetings[0].refresh_from_db()
    meetings[1].refresh_from_db()
    assert meetings[0].slot is None  # did not happen: out of the schedule, not held
    assert meetings[1].slot is None
    assert not Meeting.objects.filter(replaces=meetings[0]).exists()
    assert Meeting.objects.get(replaces=meetings[1]).slot == slots[1]


def test_a_rerun_leaves_out_absent_participants_and_slots_already_begun() -> None:
    event, people, meetings = busy_event()
    manager = make_manager("medellin")
    slots = list(Slot.objects.filter(event=event).order_by("starts_at"))
    services_schedule.meeting_move(
        meeting=meetings[0], actor=manager, slot=slots[0], table=1, lock=False
    )
    Participant.objects.filter(pk=people[3].pk).update(no_show=True)
    built = adapter.event_problem(event, now=slots[1].starts_at + dt.timedelta(minutes=1))
    ids = {m.id for m in built.problem.meetings}
    assert all(
        adapter.participant_key(people[3].pk) not in m.participants for m in built.problem.meetings
    )
    assert len(ids) < len(meetings)
    # The meeting held in the first slot is kept there, with its table.
    assert [(lock.meeting, lock.slot, lock.table) for lock in built.problem.locked] == [
        (adapter.meeting_key(meetings[0].pk), adapter.slot_key(slots[0].pk), 1)
    ]
    # Nobody else can be placed in the two slots that have begun.
    begun = {adapter.slot_key(slots[0].pk), adapter.slot_key(slots[1].pk)}
    for participant in built.problem.participants:
        holds_first = participant.id in {
            adapter.participant_key(meetings[0].first_id),
            adapter.participant_key(meetings[0].second_id),
        }
        expected = begun - {adapter.slot_key(slots[0].pk)} if holds_first else begun
        assert expected <= set(participant.unavailable)
    solution = solve(built.problem, time_limit=10, seed=0)
    assert all(
        a.slot not in begun or a.meeting == adapter.meeting_key(meetings[0].pk)
        for a in solution.assignments
    )


def _unproven(monkeypatch: pytest.MonkeyPatch) -> None:
    """The run's solve reports "feasible" (as a cut-short run on a big event would), so the
    table check runs on this small event."""
    real = services_schedule.solve

    def cut_short(*args: Any, **kwargs: Any) -> Any:
        return dataclasses.replace(real(*args, **kwargs), status="feasible")

    monkeypatch.setattr(services_schedule, "solve", cut_short)


def test_a_run_not_proven_optimal_checks_whether_more_tables_help(
    django_capture_on_commit_callbacks: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    event, _people, _meetings = busy_event(tables=1)
    _unproven(monkeypatch)
    run = run_now(event, make_manager("medellin"), django_capture_on_commit_callbacks)
    assert run.status == RunStatus.DONE
    advice = run.table_advice
    assert run.advice_state == "done"
    assert run.is_settled
    assert advice["current"]["breaks"] == run.breaks_total
    assert advice["unlimited"]["breaks"] <= run.breaks_total
    # One table per slot forces breaks here; a second table removes them.
    assert advice["helps"]
    assert advice["tables"] == 1
    best = advice["recommended"]
    assert best["extra_tables"] >= 1
    assert best["breaks"] < run.breaks_total
    # The advice never touches the stored schedule: one table per slot still holds.
    assert set(Meeting.objects.filter(event=event).values_list("table", flat=True)) == {1}


def test_table_advice_shows_on_the_run_page(
    django_capture_on_commit_callbacks: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.test import Client

    event, _people, _meetings = busy_event(tables=1)
    manager = make_manager("medellin")
    _unproven(monkeypatch)
    run = run_now(event, manager, django_capture_on_commit_callbacks)
    assert run.table_advice["helps"], run.table_advice  # one table per slot forces breaks
    client = Client()
    client.force_login(manager)
    extra = run.table_advice["recommended"]["extra_tables"]
    pages = {}
    for language in ("en", "es"):
        client.post("/i18n/setlang/", {"language": language, "next": "/"})
        pages[language] = client.get(
            f"/events/{event.slug}/runs/{run.pk}/", HTTP_HX_REQUEST="true"
        ).content.decode()
    assert "Would more tables help?" in pages["en"]
    table, mesa = ("table", "mesa") if extra == 1 else ("tables", "mesas")
    assert f"With {extra} more {table} per slot ({1 + extra} in all)" in pages["en"]
    assert "¿Ayudarían más mesas?" in pages["es"]
    assert f"Con {extra} {mesa} más por franja ({1 + extra} en total)" in pages["es"]
    for body in pages.values():
        assert 'id="run-advice-options"' in body
        assert "hx-trigger" not in body
    assert f'name="tables" value="{1 + extra}"' in pages["en"]
    assert f"Use {1 + extra} tables per slot and run again" in pages["en"]
    # One click: the event gets the advised tables and a new run is queued.
    response = client.post(
        f"/events/{event.slug}/runs/",
        {"tables": 1 + extra, "time_limit": 5, "seed": 0, "advise_tables": "on"},
    )
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.tables == 1 + extra
    queued = ScheduleRun.objects.filter(event=event).exclude(pk=run.pk).get()
    assert (queued.status, queued.advise_tables) == (RunStatus.QUEUED, True)
    # The old run's advice still counts from its own tables, without the button.
    old = client.get(f"/events/{event.slug}/runs/{run.pk}/", HTTP_HX_REQUEST="true")
    body = old.content.decode()
    assert f"({1 + extra} en total)" in body  # the page is still in Spanish
    assert 'id="run-advice-apply"' not in body


def test_a_run_can_set_the_tables_first() -> None:
    event, _people, _meetings = busy_event(tables=2)
    manager = make_manager("medellin")
    with pytest.raises(ValidationFailed):
        services_schedule.schedule_run_start(event=event, actor=manager, tables=0)
    with pytest.raises(ValidationFailed):
        services_schedule.schedule_run_start(event=event, actor=manager, tables=501)
    event.refresh_from_db()
    assert event.tables == 2
    assert not ScheduleRun.objects.filter(event=event).exists()
    services_schedule.schedule_run_start(event=event, actor=manager, tables=3)
    event.refresh_from_db()
    assert event.tables == 3


def test_no_table_check_when_proven_optimal_or_not_asked(
    django_capture_on_commit_callbacks: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    event, _people, _meetings = busy_event()
    manager = make_manager("medellin")
    run = run_now(event, manager, django_capture_on_commit_callbacks)
    assert run.solver_status == "optimal"
    assert run.table_advice == {}
    _unproven(monkeypatch)
    with django_capture_on_commit_callbacks(execute=True):
        run = services_schedule.schedule_run_start(
            event=event, actor=manager, time_limit=5, advise_tables=False
        )
    run.refresh_from_db()
    assert run.table_advice == {}
    assert run.advice_state == ""


def test_a_failed_or_dead_table_check_leaves_the_schedule_alone(
    django_capture_on_commit_callbacks: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    event, _people, _meetings = busy_event(tables=1)
    _unproven(monkeypatch)

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("solver crashed")

    monkeypatch.setattr(services_schedule, "advise_tables", broken)
    run = run_now(event, make_manager("medellin"), django_capture_on_commit_callbacks)
    assert run.status == RunStatus.DONE
    assert run.meetings_placed == 6
    assert run.advice_state == "failed"
    # A check whose worker died stays "running" in the row: it counts as failed once its
    # time limit and a margin have passed, so the page stops polling.
    ScheduleRun.objects.filter(pk=run.pk).update(table_advice={"state": "running"})
    run.refresh_from_db()
    assert run.advice_state == "running"
    assert not run.is_settled
    run.finished_at = run.finished_at - dt.timedelta(seconds=run.time_limit, minutes=6)
    assert run.advice_state == "failed"
    assert run.is_settled


def test_staff_read_a_runs_table_advice_in_the_admin() -> None:
    from django.test import Client

    event = make_event()
    run = ScheduleRun.objects.create(
        event=event, status=RunStatus.DONE, table_advice={"state": "done", "helps": False}
    )
    staff = UserFactory(is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(staff)
    page = client.get(f"/admin/events/schedulerun/{run.pk}/change/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "Comprobar si más mesas ayudarían" in body  # the admin speaks Spanish here
    assert "Consejo sobre mesas" in body
    assert "&quot;helps&quot;: false" in body


def test_a_lock_problem_the_page_cannot_make_reads_without_solver_internals() -> None:
    from django.utils import translation

    from puente.events.scheduling import ProblemError

    event, _people, _meetings = busy_event()
    for error in (
        ProblemError("unknown_meeting", "locked assignment names unknown meeting 'm9'", "m9"),
        ProblemError("duplicate_lock", "meeting 'm1' is locked twice", "m999999"),
    ):
        with translation.override("en"):
            message = services_schedule._lock_problem(event, error)
        assert error.code in message
        assert "'m" not in message  # none of the solver's ids or text
        assert "Run the scheduler again" in message
        with translation.override("es"):
            assert "programador" in services_schedule._lock_problem(event, error)
