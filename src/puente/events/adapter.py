"""Between the database and the pure scheduler: an event as a scheduling ``Problem``, and a
``Solution`` back as slots and tables of meetings.

Ids in the problem are the rows' primary keys with a one-letter prefix (``s12`` is slot 12,
``p3`` participant 3, ``m40`` meeting 40, ``k2`` session 2), so a solution maps back to rows
without lookups by name.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from puente.events.models import Event, Meeting, Participant, ParticipantStatus, Slot
from puente.events.scheduling import Lock, Problem, Solution
from puente.events.scheduling import Meeting as ProblemMeeting
from puente.events.scheduling import Participant as ProblemParticipant
from puente.events.scheduling import Slot as ProblemSlot


def slot_key(pk: int) -> str:
    return f"s{pk}"


def participant_key(pk: int) -> str:
    return f"p{pk}"


def meeting_key(pk: int) -> str:
    return f"m{pk}"


def session_key(pk: int) -> str:
    return f"k{pk}"


def key_pk(key: str) -> int:
    return int(key[1:])


@dataclass(frozen=True)
class EventProblem:
    """The problem of an event and the schedule it starts from."""

    problem: Problem
    previous: dict[str, str]
    previous_tables: dict[str, int]
    meeting_ids: list[int]


def event_problem(event: Event, *, now: dt.datetime | None = None) -> EventProblem:
    """The event's slots, registered participants and meetings as a scheduling problem.

    Locked meetings become locks; the current places of the other meetings are the previous
    schedule, so a re-run moves as few of them as it can. Participants marked absent are
    left out with their meetings. With ``now`` (the event under way), slots that have begun
    are history: their meetings stay where they are and nothing else is placed there.
    Raises ``ProblemError`` when the locks contradict each other or the participants'
    availability.
    """
    slots = list(Slot.objects.filter(event=event).order_by("starts_at", "id"))
    participants = list(
        Participant.objects.filter(event=event, status=ParticipantStatus.REGISTERED, no_show=False)
        .prefetch_related("unavailable_slots")
        .order_by("id")
    )
    registered = {p.pk for p in participants}
    meetings = [
        m
        for m in Meeting.objects.filter(event=event).order_by("id")
        if m.first_id in registered and m.second_id in registered
    ]
    begun = {s.pk for s in slots if now is not None and s.starts_at <= now}
    held: dict[int, set[int]] = {}  # participant -> begun slots where they hold a meeting
    for m in meetings:
        if m.slot_id in begun:
            held.setdefault(m.first_id, set()).add(m.slot_id)
            held.setdefault(m.second_id, set()).add(m.slot_id)
    problem_slots = tuple(
        ProblemSlot(id=slot_key(s.pk), session=session_key(s.session_id), capacity=event.tables)
        for s in slots
    )
    problem_participants = tuple(
        ProblemParticipant(
            id=participant_key(p.pk),
            unavailable=tuple(
                slot_key(pk)
                for pk in sorted(
                    {s.pk for s in p.unavailable_slots.all()} | (begun - held.get(p.pk, set()))
                )
            ),
        )
        for p in participants
    )
    sessions_with_slots = {s.session_id for s in slots}
    problem_meetings = tuple(
        ProblemMeeting(
            id=meeting_key(m.pk),
            participants=(participant_key(m.first_id), participant_key(m.second_id)),
            session=session_key(m.session_id)
            if m.session_id is not None and m.session_id in sessions_with_slots
            else None,
            priority=m.priority,
        )
        for m in meetings
    )
    # Locked meetings and those held in a slot that has begun stay where they are.
    kept = {
        m.pk: (m.slot_id, m.table)
        for m in meetings
        if m.slot_id is not None and (m.locked or m.slot_id in begun)
    }
    locks = tuple(
        Lock(meeting=meeting_key(pk), slot=slot_key(slot_id), table=table)
        for pk, (slot_id, table) in kept.items()
    )
    kept_ids = set(kept)
    previous = {
        meeting_key(m.pk): slot_key(m.slot_id)
        for m in meetings
        if m.pk not in kept_ids and m.slot_id is not None
    }
    previous_tables = {
        meeting_key(m.pk): m.table
        for m in meetings
        if m.pk not in kept_ids and m.slot_id is not None and m.table is not None
    }
    problem = Problem(
        slots=problem_slots,
        participants=problem_participants,
        meetings=problem_meetings,
        fairness=event.fairness,
        locked=locks,
    )
    return EventProblem(
        problem=problem,
        previous=previous,
        previous_tables=previous_tables,
        meeting_ids=[m.pk for m in meetings],
    )


def placements(solution: Solution) -> dict[int, tuple[int, int]]:
    """Meeting pk -> (slot pk, table) for every placed meeting."""
    return {key_pk(a.meeting): (key_pk(a.slot), a.table) for a in solution.assignments}


def breaks_by_participant(solution: Solution) -> dict[str, int]:
    """Breaks per participant, keyed by participant pk (as text, for JSON)."""
    return {str(key_pk(key)): count for key, count in solution.breaks_per_participant.items()}
