"""Independent checker of schedules: hard constraints and reported figures.

This module deliberately re-derives everything from the :class:`Problem` itself and
shares no code with the solvers, so it can catch their mistakes.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Iterable

from .problem import Assignment, Problem, Solution


def count_breaks(problem: Problem, assignments: Iterable[Assignment]) -> dict[str, int]:
    """Breaks per participant (every participant, zero included).

    A break is a maximal run of idle slots between two meetings of the same participant,
    counted over the slots in the order given (session boundaries are not special).
    """
    order = {s.id: i for i, s in enumerate(problem.slots)}
    meetings = problem.meeting_by_id
    used: dict[str, set[int]] = {p.id: set() for p in problem.participants}
    for assignment in assignments:
        for participant in meetings[assignment.meeting].participants:
            used[participant].add(order[assignment.slot])
    result: dict[str, int] = {}
    for participant, positions in used.items():
        ordered = sorted(positions)
        result[participant] = sum(
            1 for left, right in itertools.pairwise(ordered) if right - left > 1
        )
    return result


def validate(problem: Problem, solution: Solution) -> list[str]:
    """Return every violation found in ``solution`` (an empty list means valid).

    Checks each hard constraint (one meeting per participant and slot, capacity,
    distinct tables in 1..capacity, sessions, unavailability, fixed slots, locks,
    'after' order) and that the reported unscheduled list, breaks and placed priority
    agree with the assignments.
    """
    errors: list[str] = []
    slots = problem.slot_by_id
    meetings = problem.meeting_by_id
    unavailable = {p.id: set(p.unavailable) for p in problem.participants}
    order = {s.id: i for i, s in enumerate(problem.slots)}
    placed: dict[str, Assignment] = {}
    for assignment in solution.assignments:
        if assignment.meeting not in meetings:
            errors.append(f"assignment of unknown meeting {assignment.meeting!r}")
            continue
        if assignment.slot not in slots:
            errors.append(f"meeting {assignment.meeting!r} in unknown slot {assignment.slot!r}")
            continue
        if assignment.meeting in placed:
            errors.append(f"meeting {assignment.meeting!r} is assigned twice")
            continue
        placed[assignment.meeting] = assignment
    errors.extend(_check_slots_and_tables(problem, placed.values()))
    for meeting_id, assignment in placed.items():
        meeting = meetings[meeting_id]
        slot = slots[assignment.slot]
        if meeting.session is not None and slot.session != meeting.session:
            errors.append(f"meeting {meeting_id!r} outside its session {meeting.session!r}")
        if meeting.fixed_slot is not None and assignment.slot != meeting.fixed_slot:
            errors.append(f"meeting {meeting_id!r} not in its fixed slot {meeting.fixed_slot!r}")
        for participant in meeting.participants:
            if assignment.slot in unavailable[participant]:
                errors.append(
                    f"meeting {meeting_id!r} in slot {assignment.slot!r}, unavailable for "
                    f"{participant!r}"
                )
        for before in meeting.after:
            earlier = placed.get(before)
            if earlier is None:
                errors.append(f"meeting {meeting_id!r} placed but {before!r} (after) is not")
            elif order[earlier.slot] >= order[assignment.slot]:
                errors.append(f"meeting {meeting_id!r} is not strictly after {before!r}")
    for lock in problem.locked:
        kept = placed.get(lock.meeting)
        if kept is None or kept.slot != lock.slot:
            errors.append(f"locked meeting {lock.meeting!r} not in slot {lock.slot!r}")
        elif lock.table is not None and kept.table != lock.table:
            errors.append(f"locked meeting {lock.meeting!r} not at table {lock.table}")
    errors.extend(_check_reported_figures(problem, solution, placed))
    return errors


def _check_slots_and_tables(problem: Problem, placed: Iterable[Assignment]) -> list[str]:
    errors: list[str] = []
    slots = problem.slot_by_id
    meetings = problem.meeting_by_id
    per_slot: Counter[str] = Counter()
    tables: set[tuple[str, int]] = set()
    busy: set[tuple[str, str]] = set()
    for assignment in placed:
        slot = slots[assignment.slot]
        per_slot[slot.id] += 1
        table = assignment.table
        if isinstance(table, bool) or not isinstance(table, int):
            errors.append(f"meeting {assignment.meeting!r} has non-integer table {table!r}")
        elif not 1 <= table <= slot.capacity:
            errors.append(
                f"meeting {assignment.meeting!r}: table {table} outside 1..{slot.capacity}"
            )
        elif (slot.id, table) in tables:
            errors.append(f"table {table} of slot {slot.id!r} used twice")
        else:
            tables.add((slot.id, table))
        for participant in meetings[assignment.meeting].participants:
            if (participant, slot.id) in busy:
                errors.append(f"participant {participant!r} has two meetings in slot {slot.id!r}")
            busy.add((participant, slot.id))
    for slot_id, count in per_slot.items():
        if count > slots[slot_id].capacity:
            errors.append(
                f"slot {slot_id!r} holds {count} meetings, capacity {slots[slot_id].capacity}"
            )
    return errors


def _check_reported_figures(
    problem: Problem, solution: Solution, placed: dict[str, Assignment]
) -> list[str]:
    errors: list[str] = []
    expected_unscheduled = {m.id for m in problem.meetings} - set(placed)
    if len(solution.unscheduled) != len(set(solution.unscheduled)):
        errors.append("unscheduled lists a meeting twice")
    if set(solution.unscheduled) != expected_unscheduled:
        errors.append("unscheduled does not match the meetings left out of the assignments")
    breaks = count_breaks(problem, placed.values())
    if solution.breaks_per_participant != breaks:
        errors.append("breaks_per_participant does not match the assignments")
    if solution.breaks_total != sum(breaks.values()):
        errors.append(f"breaks_total {solution.breaks_total} != recomputed {sum(breaks.values())}")
    if solution.lower_bound > solution.breaks_total and solution.status != "infeasible":
        errors.append("lower_bound exceeds breaks_total")
    meetings = problem.meeting_by_id
    priority = sum(meetings[m].priority for m in placed)
    if solution.placed_priority != priority:
        errors.append(f"placed_priority {solution.placed_priority} != recomputed {priority}")
    return errors
