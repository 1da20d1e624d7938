"""Writes of the organizer's schedule: scheduler runs, manual adjustments checked against every
hard constraint, and publishing the agenda."""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from typing import Any

from django.conf import settings
from django.db import IntegrityError, connections, transaction
from django.db.models import Max, Min, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from puente.accounts.models import EmailTopic, User
from puente.core.audit import audit_record, snapshot
from puente.core.errors import Conflict, PermissionDenied, ValidationFailed
from puente.core.notifications import notify
from puente.events import adapter, selectors
from puente.events.models import (
    MAX_TABLES,
    Event,
    EventSession,
    EventStatus,
    Meeting,
    Participant,
    ParticipantStatus,
    RequestStatus,
    RunStatus,
    ScheduleRun,
    Slot,
    either_side,
)
from puente.events.scheduling import Problem, ProblemError, Solution, solve
from puente.events.scheduling.advice import advise_tables
from puente.events.services import (
    acts_for,
    cancel_in_calendars,
    claim_once,
    event_update,
    participant_users,
    require_no_run,
    require_organizer,
    speakers_of,
)
from puente.events.services_changes import sides_of, tell_agenda_changed
from puente.impact.services import activity_sync, retract_activity

logger = logging.getLogger(__name__)

_MEETING_STATE = ["slot_id", "table", "locked", "session_id", "priority"]
#: Progress is written at most this often (seconds), so the solver is not slowed by writes.
PROGRESS_INTERVAL = 0.5


# --- scheduler runs ------------------------------------------------------------------------
@transaction.atomic
def schedule_run_start(
    *,
    event: Event,
    actor: User,
    time_limit: int = 30,
    seed: int = 0,
    advise_tables: bool = True,
    tables: int | None = None,
) -> ScheduleRun:
    """Queue a scheduler run for the event; a background job places the meetings (and, with
    ``advise_tables``, then checks whether more tables would reduce breaks). ``tables``
    first sets the event's tables per slot (as a table advice recommends)."""
    require_organizer(actor, event)
    if not 1 <= time_limit <= 600:
        raise ValidationFailed(
            _("The time limit goes from 1 to 600 seconds."),
            code="bad_time_limit",
            field="time_limit",
        )
    if event.status in (EventStatus.DRAFT, EventStatus.CANCELLED):
        raise ValidationFailed(_("Open the event before scheduling its meetings."), code="not_open")
    Event.objects.select_for_update(of=("self",)).filter(pk=event.pk).first()
    if selectors.active_run(event) is not None:
        raise Conflict(_("The scheduler is already running for this event."), code="run_active")
    if tables is not None and tables != event.tables:
        if not 1 <= tables <= MAX_TABLES:
            raise ValidationFailed(
                _("Tables per slot go from 1 to %(max)d.") % {"max": MAX_TABLES},
                code="bad_tables",
                field="tables",
            )
        event = event_update(event=event, actor=actor, values={"tables": tables})
    run = ScheduleRun.objects.create(
        event=event,
        requested_by=actor,
        time_limit=time_limit,
        seed=max(0, seed),
        advise_tables=advise_tables,
    )
    audit_record(
        actor=actor,
        action="event.schedule_start",
        target=run,
        after=snapshot(run, ["event_id", "time_limit", "seed", "advise_tables"]),
        hub=event.hub,
    )
    run_id = run.pk
    transaction.on_commit(lambda: _enqueue(run_id))
    return run


def _enqueue(run_id: int) -> None:
    from puente.events.tasks import run_scheduler

    if settings.CELERY_TASK_ALWAYS_EAGER and settings.EVENTS_SCHEDULER_THREAD:
        # Embedded mode (no broker): a thread of the web process runs it, so the page
        # answers at once and shows the progress, as with a worker.
        threading.Thread(
            target=_run_in_thread, args=(run_id,), name=f"scheduler-run-{run_id}", daemon=True
        ).start()
        return
    run_scheduler.delay(run_id)


def _run_in_thread(run_id: int) -> None:
    try:
        schedule_run_execute(run_id=run_id)
    except Exception:  # no worker to retry: the run is marked failed, not left running
        logger.exception("scheduler run %s failed", run_id)
        run = ScheduleRun.objects.filter(pk=run_id).first()
        if run is not None and not run.is_finished:
            _fail(run, _("The scheduler stopped with an error; nothing was changed."))
    finally:
        connections.close_all()


def _progress_writer(run_id: int) -> Any:
    last = [0.0]

    def write(report: dict[str, Any]) -> None:
        now = time.monotonic()
        if now - last[0] < PROGRESS_INTERVAL:
            return
        last[0] = now
        fraction = float(report.get("fraction") or 0.0)
        ScheduleRun.objects.filter(pk=run_id).update(
            progress=min(0.99, max(0.0, fraction)), stage=str(report.get("stage", ""))[:40]
        )

    return write


def schedule_run_execute(*, run_id: int) -> ScheduleRun | None:
    """Run the solver for a queued run and apply its schedule (the job's body; safe to repeat:
    a finished run is left alone)."""
    with transaction.atomic():
        run = ScheduleRun.objects.select_for_update(of=("self",)).filter(pk=run_id).first()
        if run is None or run.is_finished:
            return run
        run.status, run.stage, run.progress = RunStatus.RUNNING, "model", 0.0
        run.save(update_fields=["status", "stage", "progress"])
    # Messages stored with the run are in the language of the organizer who asked for it
    # (a worker or a thread has no request to take it from).
    language = (
        User.objects.filter(pk=run.requested_by_id).values_list("language", flat=True).first()
        if run.requested_by_id is not None
        else None
    )
    with translation.override(language or settings.LANGUAGE_CODE):
        return _execute(run)


def _execute(run: ScheduleRun) -> ScheduleRun:
    event = Event.objects.get(pk=run.event_id)
    # Once the agenda is out, the slots that have begun are history (the event under way).
    history_until = timezone.now() if event.status == EventStatus.PUBLISHED else None
    try:
        built = adapter.event_problem(event, now=history_until)
    except ProblemError as error:
        return _fail(run, _lock_problem(event, error))
    solution = solve(
        built.problem,
        time_limit=run.time_limit,
        seed=run.seed,
        previous=built.previous,
        previous_tables=built.previous_tables,
        progress=_progress_writer(run.pk),
    )
    if solution.status == "infeasible":
        return _fail(run, solution.message or _("No schedule honours the locked meetings."))
    try:
        run = _apply(run, event, built.meeting_ids, solution)
    except IntegrityError:  # a meeting was placed by other means meanwhile: nothing changed
        logger.warning("scheduler run %s collided with a change to the schedule", run.pk)
        return _fail(run, _("The schedule changed while the scheduler ran: run it again."))
    if run.advise_tables and solution.status != "optimal":
        _advise(run, event, built.problem, solution)
    return run


def _advise(run: ScheduleRun, event: Event, problem: Problem, solution: Solution) -> None:
    """Check whether more tables would reduce breaks, after the schedule is applied (the
    organizer can already publish it); the answer is stored with the run."""
    run.table_advice = {"state": "running"}
    run.save(update_fields=["table_advice"])
    try:
        advice = advise_tables(problem, solution, time_limit=run.time_limit, seed=run.seed)
    except Exception:  # the schedule stands; only the advice is lost, and logged
        logger.exception("table advice failed for scheduler run %s", run.pk)
        run.table_advice = {"state": "failed"}
    else:
        # The event's tables when advised: the options are counted from there, even if
        # the organizer changes the tables later.
        run.table_advice = {"state": "done", "tables": event.tables, **advice.to_dict()}
    run.save(update_fields=["table_advice"])


#: Why a locked meeting cannot be kept, by the scheduler's ``ProblemError`` code.
_LOCK_REASONS = {
    "slot_unavailable": gettext_lazy("one of its participants cannot attend that slot"),
    "session_mismatch": gettext_lazy("its slot is outside the session the meeting requires"),
    "lock_conflict": gettext_lazy(
        "it clashes with another locked meeting (same participant, same table, or more "
        "locked meetings than tables in that slot)"
    ),
    "bad_table": gettext_lazy("its table is beyond the event's tables per slot"),
}


def _lock_problem(event: Event, error: ProblemError) -> str:
    """The organizer's reading of a contradiction among locks: which meeting (by its
    participants and time) and why, in their language; the solver's own text (with its
    internal ids) when it names no meeting of this event."""
    meeting = None
    if error.ref and error.ref.startswith("m") and error.ref[1:].isdigit():
        meeting = (
            Meeting.objects.filter(event=event, pk=adapter.key_pk(error.ref))
            .select_related("first__organization", "first__user", "second__organization")
            .select_related("second__user", "slot")
            .first()
        )
    if meeting is None or error.code not in _LOCK_REASONS:
        # Not a lock the organizer's page can make: the schedule changed while the run was
        # being prepared, or the data is inconsistent. The code is kept for support.
        logger.warning("scheduler run of event %s refused its locks: %s", event.pk, error)
        return _(
            "The locked meetings could not be read as they are now (%(code)s). Run the "
            "scheduler again; if this comes back, unlock the meetings locked last."
        ) % {"code": error.code}
    when = (
        meeting.slot.starts_at.astimezone(event.zone).strftime("%Y-%m-%d %H:%M")
        if meeting.slot
        else "—"
    )
    return _(
        "The locked meeting %(first)s – %(second)s (%(when)s) cannot be kept: %(reason)s. "
        "Move or unlock it and run the scheduler again."
    ) % {
        "first": meeting.first.display_name,
        "second": meeting.second.display_name,
        "when": when,
        "reason": _LOCK_REASONS[error.code],
    }


def _fail(run: ScheduleRun, message: str) -> ScheduleRun:
    run.status, run.message, run.finished_at = RunStatus.FAILED, message[:500], timezone.now()
    run.save(update_fields=["status", "message", "finished_at"])
    audit_record(
        actor=None,
        action="event.schedule_fail",
        target=run,
        after=snapshot(run, ["status", "message"]),
    )
    return run


@transaction.atomic
def _apply(run: ScheduleRun, event: Event, meeting_ids: list[int], solution: Any) -> ScheduleRun:
    placed = adapter.placements(solution)
    meetings = list(Meeting.objects.select_for_update(of=("self",)).filter(pk__in=meeting_ids))
    valid_slots = set(Slot.objects.filter(event=event).values_list("pk", flat=True))
    # Clear first so a swap of two tables never meets the one-meeting-per-table constraint.
    Meeting.objects.filter(pk__in=[m.pk for m in meetings]).update(slot=None, table=None)
    changed: list[Meeting] = []
    moved: list[Meeting] = []
    for meeting in meetings:
        slot_id, table = placed.get(meeting.pk, (None, None))
        if slot_id is not None and slot_id not in valid_slots:
            slot_id, table = None, None
        if (slot_id, table) != (meeting.slot_id, meeting.table):
            meeting.sequence += 1
            moved.append(meeting)
        if slot_id is None and meeting.slot_id is not None:
            meeting.last_slot_id = meeting.slot_id  # calendars get it cancelled
        meeting.slot_id, meeting.table = slot_id, table
        changed.append(meeting)
    Meeting.objects.bulk_update(changed, ["slot", "table", "sequence", "last_slot"])
    activity_sync(sources=changed)
    tell_agenda_changed(event, sides_of(moved))
    run.status = RunStatus.DONE
    run.progress, run.stage = 1.0, "done"
    run.solver_status = solution.status
    run.meetings_total = len(meeting_ids)
    run.meetings_placed = len(placed)
    run.breaks_total = solution.breaks_total
    run.lower_bound = solution.lower_bound
    run.breaks_per_participant = adapter.breaks_by_participant(solution)
    run.unscheduled = [adapter.key_pk(key) for key in solution.unscheduled]
    run.moved = solution.moved
    run.fairness_used = solution.fairness_used
    run.elapsed_s = round(solution.elapsed_s, 3)
    run.message = (solution.message or "")[:500]
    run.finished_at = timezone.now()
    run.save()
    audit_record(
        actor=None,
        action="event.schedule_apply",
        target=run,
        after=snapshot(
            run,
            ["solver_status", "meetings_total", "meetings_placed", "breaks_total", "lower_bound"],
        ),
        hub=event.hub,
    )
    return run


# --- manual adjustments --------------------------------------------------------------------
def _check_place(meeting: Meeting, slot: Slot, table: int | None) -> int:
    """Check a place for a meeting against every hard constraint; return the table to use."""
    event = meeting.event
    if slot.event_id != event.pk:
        raise ValidationFailed(_("Choose a slot of this event."), code="bad_slot", field="slot")
    if meeting.session_id is not None and slot.session_id != meeting.session_id:
        raise ValidationFailed(
            _("This meeting must take place in the session %(session)s.")
            % {"session": meeting.session.name},  # type: ignore[union-attr]
            code="session_mismatch",
            field="slot",
        )
    for participant in (meeting.first, meeting.second):
        if participant.unavailable_slots.filter(pk=slot.pk).exists():
            raise ValidationFailed(
                _("%(name)s cannot attend this slot.") % {"name": participant.display_name},
                code="slot_unavailable",
                field="slot",
            )
    busy = (
        Meeting.objects.filter(slot=slot)
        .exclude(pk=meeting.pk)
        .filter(
            Q(first__in=[meeting.first_id, meeting.second_id])
            | Q(second__in=[meeting.first_id, meeting.second_id])
        )
    )
    if busy.exists():
        raise Conflict(
            _("One of the participants already has a meeting in this slot."),
            code="participant_busy",
            field="slot",
        )
    taken = set(
        Meeting.objects.filter(slot=slot).exclude(pk=meeting.pk).values_list("table", flat=True)
    )
    if table is None:
        free = [t for t in range(1, event.tables + 1) if t not in taken]
        if not free:
            raise Conflict(_("Every table of this slot is taken."), code="slot_full", field="slot")
        return free[0]
    if not 1 <= table <= event.tables:
        raise ValidationFailed(
            _("Tables go from 1 to %(tables)d.") % {"tables": event.tables},
            code="bad_table",
            field="table",
        )
    if table in taken:
        raise Conflict(_("That table is taken in this slot."), code="table_taken", field="table")
    return table


def _record(meeting: Meeting, actor: User, action: str, before: dict[str, Any] | None) -> None:
    audit_record(
        actor=actor,
        action=action,
        target=meeting,
        before=before,
        after=snapshot(meeting, _MEETING_STATE),
        hub=meeting.event.hub,
    )


@transaction.atomic
def meeting_move(
    *, meeting: Meeting, actor: User, slot: Slot | None, table: int | None = None, lock: bool = True
) -> Meeting:
    """The organizer places a meeting by hand (locked by default, so re-runs keep it), or takes
    it out of the schedule with ``slot=None``."""
    require_organizer(actor, meeting.event)
    require_no_run(meeting.event)
    meeting = (
        Meeting.objects.select_for_update(of=("self",))
        .select_related("event", "first", "second", "session")
        .get(pk=meeting.pk)
    )
    before = snapshot(meeting, _MEETING_STATE)
    if slot is None:
        if meeting.slot_id is not None:
            meeting.last_slot_id = meeting.slot_id  # calendars get it cancelled
        meeting.slot, meeting.table, meeting.locked = None, None, False
    else:
        meeting.table = _check_place(meeting, slot, table)
        meeting.slot = slot
        meeting.locked = lock
    if (meeting.slot_id, meeting.table) != (before["slot_id"], before["table"]):
        meeting.sequence += 1
        tell_agenda_changed(meeting.event, sides_of([meeting]))
    meeting.save()
    activity_sync(sources=[meeting])
    _record(meeting, actor, "event.meeting_move", before)
    return meeting


@transaction.atomic
def meeting_set_lock(*, meeting: Meeting, actor: User, locked: bool) -> Meeting:
    """Lock a placed meeting (re-runs keep it) or unlock it."""
    require_organizer(actor, meeting.event)
    require_no_run(meeting.event)
    if locked and meeting.slot_id is None:
        raise ValidationFailed(
            _("Place the meeting in a slot before locking it."), code="not_placed"
        )
    before = snapshot(meeting, _MEETING_STATE)
    meeting.locked = locked
    meeting.save(update_fields=["locked", "updated_at"])
    _record(meeting, actor, "event.meeting_lock", before)
    return meeting


@transaction.atomic
def meeting_add(
    *,
    event: Event,
    actor: User,
    first: Participant,
    second: Participant,
    priority: int = 1,
    session: EventSession | None = None,
) -> Meeting:
    """The organizer adds a meeting between two registered participants."""
    require_organizer(actor, event)
    require_no_run(event)
    for participant in (first, second):
        if participant.event_id != event.pk or participant.status != ParticipantStatus.REGISTERED:
            raise ValidationFailed(
                _("Choose participants registered for this event."), code="bad_participant"
            )
    if first.pk == second.pk:
        raise ValidationFailed(
            _("A meeting needs two different participants."), code="same_participant"
        )
    if session is not None and session.event_id != event.pk:
        raise ValidationFailed(_("Choose a session of this event."), code="bad_session")
    if not 1 <= priority <= 3:
        raise ValidationFailed(
            _("Priority goes from 1 (normal) to 3 (essential)."), code="bad_priority"
        )
    exists = Meeting.objects.filter(
        Q(first=first, second=second) | Q(first=second, second=first)
    ).exists()
    if exists:
        raise Conflict(_("These participants already have a meeting."), code="meeting_exists")
    meeting = Meeting.objects.create(
        event=event, first=first, second=second, priority=priority, session=session
    )
    _record(meeting, actor, "event.meeting_add", None)
    return meeting


@transaction.atomic
def meeting_remove(*, meeting: Meeting, actor: User) -> None:
    """The organizer removes a meeting; the request behind it, if any, is cancelled."""
    require_organizer(actor, meeting.event)
    require_no_run(meeting.event)
    _record(meeting, actor, "event.meeting_remove", snapshot(meeting, _MEETING_STATE))
    if meeting.request_id is not None:
        meeting.request.status = RequestStatus.CANCELLED  # type: ignore[union-attr]
        meeting.request.save(update_fields=["status"])  # type: ignore[union-attr]
    retract_activity(sources=[meeting])
    cancel_in_calendars([meeting])
    if meeting.slot_id is not None:
        tell_agenda_changed(meeting.event, sides_of([meeting]))
    meeting.delete()


# --- publishing ----------------------------------------------------------------------------
@transaction.atomic
def event_publish(*, event: Event, actor: User) -> Event:
    """Publish the agenda: each participant is told, in their language, and sees it."""
    require_organizer(actor, event)
    if event.status not in (EventStatus.OPEN, EventStatus.PUBLISHED):
        raise ValidationFailed(_("Open the event before publishing its agenda."), code="not_open")
    if selectors.active_run(event) is not None:
        raise Conflict(_("Wait for the scheduler to finish before publishing."), code="run_active")
    if not Meeting.objects.filter(event=event, slot__isnull=False).exists():
        raise ValidationFailed(
            _("Schedule the meetings before publishing the agenda."), code="nothing_scheduled"
        )
    before = snapshot(event, ["status", "published_at"])
    event.status, event.published_at = EventStatus.PUBLISHED, timezone.now()
    event.save(update_fields=["status", "published_at", "updated_at"])
    activity_sync(sources=[event, *event.meetings.all()])
    audit_record(
        actor=actor,
        action="event.publish",
        target=event,
        before=before,
        after=snapshot(event, ["status", "published_at"]),
        hub=event.hub,
    )
    participants = Participant.objects.filter(
        event=event, status=ParticipantStatus.REGISTERED
    ).select_related("user", "organization")
    url = reverse("events:agenda", kwargs={"slug": event.slug})
    notify(
        users=participant_users(participants),
        kind="events.agenda_published",
        params={"event": event.title},
        url=url,
        email_template="events/email/agenda_published",
        email_topic=EmailTopic.SCHEDULE,
        email_context={"event": event.title},
    )
    return event


# --- the event day: check-in, no-shows, standby ----------------------------------------------
_DAY_STATE = ["checked_in_at", "no_show", "standby"]


@transaction.atomic
def participant_check_in(
    *, participant: Participant, actor: User, present: bool = True
) -> Participant:
    """The organizer records that a participant arrived (or undoes it)."""
    require_organizer(actor, participant.event)
    before = snapshot(participant, _DAY_STATE)
    participant.checked_in_at = timezone.now() if present else None
    if present:
        participant.no_show = False
    participant.save(update_fields=["checked_in_at", "no_show"])
    activity_sync(sources=[participant.event])
    audit_record(
        actor=actor,
        action="event.check_in",
        target=participant,
        before=before,
        after=snapshot(participant, _DAY_STATE),
        hub=participant.event.hub,
    )
    return participant


#: Self check-in opens this long before the event day's first slot.
SELF_CHECK_IN_OPENS = selectors.EVENT_DAY_LEAD


def self_check_in_open(event: Event, now: dt.datetime | None = None) -> bool:
    """Whether participants can check themselves in now: the agenda is published and it is
    an event day, from three hours before its first slot to the end of its last."""
    if event.status != EventStatus.PUBLISHED:
        return False
    now = now or timezone.now()
    today = now.astimezone(event.zone).date()
    day_start = dt.datetime.combine(today, dt.time(), tzinfo=event.zone)
    day = Slot.objects.filter(
        event=event, starts_at__gte=day_start, starts_at__lt=day_start + dt.timedelta(days=1)
    ).aggregate(first=Min("starts_at"), last=Max("ends_at"))
    if day["first"] is None:
        return False
    return bool(day["first"] - SELF_CHECK_IN_OPENS <= now <= day["last"])


@transaction.atomic
def participant_self_check_in(
    *, participant: Participant, actor: User, now: dt.datetime | None = None
) -> Participant:
    """A participant tells the organizers they have arrived (on the event day)."""
    event = participant.event
    if not acts_for(actor, participant):
        raise PermissionDenied(_("You can only check in your own registration."))
    if not self_check_in_open(event, now):
        raise ValidationFailed(
            _("Check-in opens on the event day, three hours before the first meeting."),
            code="check_in_closed",
        )
    if participant.no_show:
        raise ValidationFailed(
            _("The organizers marked you absent: please see the check-in desk."),
            code="marked_absent",
        )
    if participant.checked_in_at is not None:
        return participant
    before = snapshot(participant, _DAY_STATE)
    participant.checked_in_at = now or timezone.now()
    participant.save(update_fields=["checked_in_at"])
    activity_sync(sources=[event])
    audit_record(
        actor=actor,
        action="event.self_check_in",
        target=participant,
        before=before,
        after=snapshot(participant, _DAY_STATE),
        hub=event.hub,
    )
    return participant


def _standby_for(
    event: Event, slot_id: int, counterpart: Participant, absent: Participant
) -> Participant | None:
    """A checked-in participant on standby who is free in the slot, can attend it, and has no
    meeting with the counterpart yet."""
    busy = set(Meeting.objects.filter(slot_id=slot_id).values_list("first_id", "second_id"))
    busy_ids = {pk for pair in busy for pk in pair}
    already = set(
        Meeting.objects.filter(Q(first=counterpart) | Q(second=counterpart)).values_list(
            "first_id", "second_id"
        )
    )
    met = {pk for pair in already for pk in pair}
    candidates = (
        Participant.objects.filter(
            event=event,
            status=ParticipantStatus.REGISTERED,
            standby=True,
            no_show=False,
            checked_in_at__isnull=False,
        )
        .exclude(pk__in=busy_ids | met | {absent.pk, counterpart.pk})
        .exclude(unavailable_slots=slot_id)
        .order_by("checked_in_at", "id")
    )
    return candidates.first()


@transaction.atomic
def participant_mark_no_show(
    *, participant: Participant, actor: User, now: dt.datetime | None = None
) -> int:
    """The organizer marks a participant absent: their meetings are taken out of the
    schedule (they do not happen, nor count as held), and each one still to come is given,
    same slot and table, to a checked-in participant on standby when one is free (both
    are told). Returns how many meetings were reassigned."""
    event = participant.event
    require_organizer(actor, event)
    require_no_run(event)
    now = now or timezone.now()
    before = snapshot(participant, _DAY_STATE)
    participant.no_show, participant.checked_in_at = True, None
    participant.save(update_fields=["no_show", "checked_in_at"])
    reassigned = 0
    unreplaced: dict[int, set[int]] = {}
    freed = list(
        Meeting.objects.select_for_update(of=("self",))
        .filter(either_side(participant), slot__isnull=False)
        .select_related("event", "first", "second", "slot")
        .order_by("slot__starts_at")
    )
    for meeting in freed:
        counterpart = meeting.other(participant)
        slot, table = meeting.slot, meeting.table
        meeting.last_slot = slot
        meeting.slot, meeting.table, meeting.locked = None, None, False
        meeting.sequence += 1
        meeting.save(
            update_fields=["slot", "table", "locked", "sequence", "last_slot", "updated_at"]
        )
        if counterpart.no_show or slot is None or slot.starts_at <= now:
            continue  # nobody to meet, or the slot has begun: too late for standby
        standby = _standby_for(event, slot.pk, counterpart, participant)
        if standby is None:
            # A gap in their agenda: they are told (in the app: the day is under way).
            unreplaced.setdefault(counterpart.pk, set()).add(meeting.pk)
            continue
        replacement = Meeting.objects.create(
            event=event,
            first=counterpart,
            second=standby,
            priority=meeting.priority,
            slot=slot,
            table=table,
            locked=True,
            replaces=meeting,
        )
        _record(replacement, actor, "event.standby_reassign", None)
        activity_sync(sources=[replacement])
        _tell_replacement(event, replacement, slot, absent=participant)
        reassigned += 1
    tell_agenda_changed(event, unreplaced, email=False)
    activity_sync(sources=[event, *freed])
    audit_record(
        actor=actor,
        action="event.no_show",
        target=participant,
        before=before,
        after=snapshot(participant, _DAY_STATE),
        hub=event.hub,
    )
    return reassigned


def _tell_replacement(event: Event, meeting: Meeting, slot: Slot, *, absent: Participant) -> None:
    """Tell both sides of a standby meeting (in the app: it is the event day)."""
    url = reverse("events:agenda", kwargs={"slug": event.slug})
    start = slot.starts_at.astimezone(event.zone).strftime("%H:%M")
    counterpart, standby = meeting.first, meeting.second
    notify(
        users=participant_users([counterpart]),
        kind="events.meeting_replaced",
        params={
            "absent": absent.display_name,
            "other": standby.display_name,
            "time": start,
            "event": event.title,
        },
        url=url,
    )
    notify(
        users=participant_users([standby]),
        kind="events.standby_meeting",
        params={"other": counterpart.display_name, "time": start, "event": event.title},
        url=url,
    )


# --- reminders -------------------------------------------------------------------------------
#: Participants are reminded this long before their first meeting.
REMINDER_AHEAD = dt.timedelta(hours=24)


def agenda_reminders_send(*, now: dt.datetime | None = None) -> int:
    """Remind each participant of a published event, once, when their first meeting is less
    than a day away: the time in the event's zone and how many meetings, with a link to the
    agenda and its calendar file (a periodic job, safe to repeat). Returns how many
    participants were reminded."""
    now = now or timezone.now()
    first_of: dict[int, Meeting] = {}
    for meeting in (
        Meeting.objects.filter(
            event__status=EventStatus.PUBLISHED,
            slot__starts_at__gt=now,
            slot__starts_at__lte=now + REMINDER_AHEAD,
        )
        .select_related("event", "slot")
        .order_by("slot__starts_at", "id")
    ):
        for participant_id in (meeting.first_id, meeting.second_id):
            first_of.setdefault(participant_id, meeting)
    due = list(
        Participant.objects.filter(
            pk__in=first_of,
            status=ParticipantStatus.REGISTERED,
            no_show=False,
            reminded_at__isnull=True,
        ).select_related("event", "user", "organization")
    )
    speakers = speakers_of(due)
    placed = sides_of(
        Meeting.objects.filter(Q(first__in=due) | Q(second__in=due), slot__isnull=False).only(
            "first", "second"
        )
    )
    sent = 0
    for participant in due:
        if not claim_once(participant, "reminded_at", now):
            continue
        meeting = first_of[participant.pk]
        event = meeting.event
        assert meeting.slot is not None
        count = len(placed[participant.pk])
        when = meeting.slot.starts_at.astimezone(event.zone)
        params = {
            "event": event.title,
            "time": when.strftime("%H:%M"),
            "zone": event.time_zone,
            "count": count,
        }
        notify(
            users=speakers[participant.pk],
            kind="events.agenda_reminder",
            params=params,
            url=reverse("events:agenda", kwargs={"slug": event.slug}),
            email_template="events/email/agenda_reminder",
            email_topic=EmailTopic.REMINDERS,
            email_context={**params, "date": when.date().isoformat()},
        )
        sent += 1
    return sent
