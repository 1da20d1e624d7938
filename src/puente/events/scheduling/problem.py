"""Data model of the B2B meeting scheduling problem and its structural checks.

Everything here is plain Python: frozen dataclasses that describe an event (slots,
participants, requested meetings, locked assignments) and the result of a solve.
Building a :class:`Problem` checks its structure and raises :class:`ProblemError`
naming the offending id, so a malformed problem can never reach a solver.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

Status = Literal["optimal", "feasible", "infeasible"]


class ProblemError(ValueError):
    """A malformed or self-contradictory problem.

    ``code`` is a short machine-readable reason (e.g. ``"unknown_slot"``) and ``ref``
    the id of the offending slot, participant or meeting (``None`` when the error is
    about the document as a whole).
    """

    def __init__(self, code: str, message: str, ref: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.ref = ref


@dataclass(frozen=True)
class Slot:
    """A time slot, in event order. ``capacity`` is the number of tables."""

    id: str
    session: str | None = None
    capacity: int = 1


@dataclass(frozen=True)
class Participant:
    """A company or person who meets others. ``unavailable`` lists slot ids."""

    id: str
    unavailable: tuple[str, ...] = ()


@dataclass(frozen=True)
class Meeting:
    """A requested meeting between exactly two participants.

    ``session`` restricts the meeting to slots of that session, ``fixed_slot`` to one
    slot. ``after`` names meetings that must be placed strictly earlier: a meeting can
    only be placed when every meeting it names is placed, in an earlier slot.
    """

    id: str
    participants: tuple[str, str]
    session: str | None = None
    fixed_slot: str | None = None
    priority: int = 1
    after: tuple[str, ...] = ()


@dataclass(frozen=True)
class Lock:
    """A meeting that must stay in ``slot`` (and at ``table`` when given)."""

    meeting: str
    slot: str
    table: int | None = None


@dataclass(frozen=True)
class Assignment:
    """A placed meeting: its slot and its table number (1..capacity)."""

    meeting: str
    slot: str
    table: int


@dataclass
class Solution:
    """The result of a solve (or of a baseline heuristic).

    ``lower_bound`` is a proven lower bound on the total breaks of any schedule that
    places at least ``placed_priority`` and keeps every pair of participants within
    ``fairness_used`` breaks of each other. ``status`` is ``"optimal"`` when every
    objective stage was proven optimal, ``"feasible"`` when the time ran out first and
    ``"infeasible"`` when the locked assignments cannot all be honoured.
    """

    status: Status
    assignments: list[Assignment]
    unscheduled: list[str]
    breaks_total: int
    breaks_per_participant: dict[str, int]
    lower_bound: int
    elapsed_s: float
    placed_priority: int = 0
    priority_upper_bound: int = 0
    fairness_requested: int = 2
    fairness_used: int = 2
    moved: int | None = None
    message: str = ""
    stats: dict[str, Any] = field(default_factory=dict)

    @property
    def fairness_relaxed(self) -> bool:
        """True when the fairness bound had to be loosened to find a schedule."""
        return self.fairness_used > self.fairness_requested

    def slot_of(self) -> dict[str, str]:
        """Map meeting id to slot id for every placed meeting."""
        return {a.meeting: a.slot for a in self.assignments}


def _require_id(value: object, what: str) -> str:
    if not isinstance(value, str) or not value:
        raise ProblemError("bad_id", f"{what} id must be a non-empty string, got {value!r}")
    return value


def _require_int(value: object, code: str, message: str, ref: str | None) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ProblemError(code, message, ref)
    return value


@dataclass(frozen=True)
class Problem:
    """A complete scheduling problem. Construction validates it (raises ProblemError)."""

    slots: tuple[Slot, ...]
    participants: tuple[Participant, ...]
    meetings: tuple[Meeting, ...]
    fairness: int = 2
    locked: tuple[Lock, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "slots", tuple(self.slots))
        object.__setattr__(self, "participants", tuple(self.participants))
        object.__setattr__(self, "meetings", tuple(self.meetings))
        object.__setattr__(self, "locked", tuple(self.locked))
        _check_problem(self)

    @property
    def slot_by_id(self) -> dict[str, Slot]:
        """Slots keyed by id."""
        return {s.id: s for s in self.slots}

    @property
    def meeting_by_id(self) -> dict[str, Meeting]:
        """Meetings keyed by id."""
        return {m.id: m for m in self.meetings}

    @property
    def participant_by_id(self) -> dict[str, Participant]:
        """Participants keyed by id."""
        return {p.id: p for p in self.participants}


def _check_unique(ids: Iterable[str], kind: str) -> None:
    seen: set[str] = set()
    for ident in ids:
        if ident in seen:
            raise ProblemError(f"duplicate_{kind}", f"duplicate {kind} id {ident!r}", ident)
        seen.add(ident)


def _check_problem(problem: Problem) -> None:
    fairness = _require_int(
        problem.fairness,
        "bad_fairness",
        f"fairness must be an integer, got {problem.fairness!r}",
        None,
    )
    if fairness < 0:
        raise ProblemError("bad_fairness", f"fairness must be >= 0, got {fairness}")
    slots = _check_slots(problem.slots)
    unavailable = _check_participants(problem.participants, slots)
    _check_meetings(problem.meetings, slots, unavailable)
    _check_locks(problem, slots, unavailable)


def _check_slots(slots: tuple[Slot, ...]) -> dict[str, Slot]:
    for slot in slots:
        _require_id(slot.id, "slot")
        capacity = _require_int(
            slot.capacity,
            "bad_capacity",
            f"slot {slot.id!r}: capacity must be an integer, got {slot.capacity!r}",
            slot.id,
        )
        if capacity < 0:
            raise ProblemError(
                "bad_capacity", f"slot {slot.id!r}: capacity must be >= 0, got {capacity}", slot.id
            )
        if slot.session is not None and (not isinstance(slot.session, str) or not slot.session):
            raise ProblemError(
                "bad_session",
                f"slot {slot.id!r}: session must be a non-empty string or null",
                slot.id,
            )
    _check_unique((s.id for s in slots), "slot")
    return {s.id: s for s in slots}


def _check_participants(
    participants: tuple[Participant, ...], slots: Mapping[str, Slot]
) -> dict[str, frozenset[str]]:
    for participant in participants:
        _require_id(participant.id, "participant")
        for slot_id in participant.unavailable:
            if slot_id not in slots:
                raise ProblemError(
                    "unknown_slot",
                    f"participant {participant.id!r}: unknown unavailable slot {slot_id!r}",
                    participant.id,
                )
    _check_unique((p.id for p in participants), "participant")
    return {p.id: frozenset(p.unavailable) for p in participants}


def _check_meetings(
    meetings: tuple[Meeting, ...],
    slots: Mapping[str, Slot],
    unavailable: Mapping[str, frozenset[str]],
) -> None:
    sessions = {s.session for s in slots.values() if s.session is not None}
    for meeting in meetings:
        _require_id(meeting.id, "meeting")
        _check_meeting(meeting, slots, unavailable, sessions)
    _check_unique((m.id for m in meetings), "meeting")
    known = {m.id for m in meetings}
    for meeting in meetings:
        for before in meeting.after:
            if before not in known:
                raise ProblemError(
                    "unknown_meeting",
                    f"meeting {meeting.id!r}: 'after' names unknown meeting {before!r}",
                    meeting.id,
                )
            if before == meeting.id:
                raise ProblemError(
                    "cyclic_after", f"meeting {meeting.id!r} is 'after' itself", meeting.id
                )
    cycle_member = _find_cycle({m.id: m.after for m in meetings})
    if cycle_member is not None:
        raise ProblemError(
            "cyclic_after",
            f"meeting {cycle_member!r} is part of a cycle of 'after' constraints",
            cycle_member,
        )


def _check_meeting(
    meeting: Meeting,
    slots: Mapping[str, Slot],
    unavailable: Mapping[str, frozenset[str]],
    sessions: set[str],
) -> None:
    ref = meeting.id
    if not isinstance(meeting.participants, tuple) or len(meeting.participants) != 2:
        raise ProblemError(
            "bad_participants",
            f"meeting {ref!r}: needs exactly two participants, got {meeting.participants!r}",
            ref,
        )
    first, second = meeting.participants
    for participant_id in meeting.participants:
        if participant_id not in unavailable:
            raise ProblemError(
                "unknown_participant",
                f"meeting {ref!r}: unknown participant {participant_id!r}",
                ref,
            )
    if first == second:
        raise ProblemError(
            "bad_participants",
            f"meeting {ref!r}: participant {first!r} cannot meet themself",
            ref,
        )
    priority = _require_int(
        meeting.priority,
        "bad_priority",
        f"meeting {ref!r}: priority must be an integer, got {meeting.priority!r}",
        ref,
    )
    if priority < 1:
        raise ProblemError("bad_priority", f"meeting {ref!r}: priority must be >= 1", ref)
    if meeting.session is not None and meeting.session not in sessions:
        raise ProblemError(
            "unknown_session", f"meeting {ref!r}: no slot has session {meeting.session!r}", ref
        )
    if meeting.fixed_slot is not None:
        slot = slots.get(meeting.fixed_slot)
        if slot is None:
            raise ProblemError(
                "unknown_slot", f"meeting {ref!r}: unknown fixed slot {meeting.fixed_slot!r}", ref
            )
        _check_slot_allowed(meeting, slot, unavailable, "fixed slot")


def _check_slot_allowed(
    meeting: Meeting, slot: Slot, unavailable: Mapping[str, frozenset[str]], what: str
) -> None:
    ref = meeting.id
    if meeting.session is not None and slot.session != meeting.session:
        raise ProblemError(
            "session_mismatch",
            f"meeting {ref!r}: {what} {slot.id!r} is not in session {meeting.session!r}",
            ref,
        )
    for participant_id in meeting.participants:
        if slot.id in unavailable[participant_id]:
            raise ProblemError(
                "slot_unavailable",
                f"meeting {ref!r}: {what} {slot.id!r} is unavailable for participant "
                f"{participant_id!r}",
                ref,
            )
    if slot.capacity == 0:
        raise ProblemError(
            "slot_unavailable", f"meeting {ref!r}: {what} {slot.id!r} has no tables", ref
        )


def _find_cycle(after: Mapping[str, tuple[str, ...]]) -> str | None:
    """Return a meeting id on a cycle of the 'after' graph, or None (iterative DFS)."""
    state: dict[str, int] = {}  # 1 = on stack, 2 = done
    for root in after:
        if state.get(root):
            continue
        stack: list[tuple[str, int]] = [(root, 0)]
        state[root] = 1
        while stack:
            node, index = stack[-1]
            successors = after[node]
            if index < len(successors):
                stack[-1] = (node, index + 1)
                nxt = successors[index]
                if state.get(nxt) == 1:
                    return nxt
                if not state.get(nxt):
                    state[nxt] = 1
                    stack.append((nxt, 0))
            else:
                state[node] = 2
                stack.pop()
    return None


def _check_locks(
    problem: Problem, slots: Mapping[str, Slot], unavailable: Mapping[str, frozenset[str]]
) -> None:
    meetings = {m.id: m for m in problem.meetings}
    locked_slot: dict[str, str] = {}
    tables_used: dict[tuple[str, int], str] = {}
    per_slot: dict[str, int] = {}
    busy: dict[tuple[str, str], str] = {}
    for lock in problem.locked:
        meeting = meetings.get(lock.meeting)
        if meeting is None:
            raise ProblemError(
                "unknown_meeting",
                f"locked assignment names unknown meeting {lock.meeting!r}",
                lock.meeting,
            )
        ref = meeting.id
        if ref in locked_slot:
            raise ProblemError("duplicate_lock", f"meeting {ref!r} is locked twice", ref)
        slot = slots.get(lock.slot)
        if slot is None:
            raise ProblemError(
                "unknown_slot", f"meeting {ref!r}: locked to unknown slot {lock.slot!r}", ref
            )
        if meeting.fixed_slot is not None and meeting.fixed_slot != lock.slot:
            raise ProblemError(
                "lock_conflict",
                f"meeting {ref!r}: locked to {lock.slot!r} but fixed to {meeting.fixed_slot!r}",
                ref,
            )
        _check_slot_allowed(meeting, slot, unavailable, "locked slot")
        if lock.table is not None:
            table = _require_int(
                lock.table, "bad_table", f"meeting {ref!r}: table must be an integer", ref
            )
            if not 1 <= table <= slot.capacity:
                raise ProblemError(
                    "bad_table",
                    f"meeting {ref!r}: table {table} outside 1..{slot.capacity} of slot "
                    f"{slot.id!r}",
                    ref,
                )
            other = tables_used.get((slot.id, table))
            if other is not None:
                raise ProblemError(
                    "lock_conflict",
                    f"meeting {ref!r}: table {table} of slot {slot.id!r} is already locked "
                    f"for meeting {other!r}",
                    ref,
                )
            tables_used[(slot.id, table)] = ref
        per_slot[slot.id] = per_slot.get(slot.id, 0) + 1
        if per_slot[slot.id] > slot.capacity:
            raise ProblemError(
                "lock_conflict",
                f"meeting {ref!r}: slot {slot.id!r} has more locked meetings than tables",
                ref,
            )
        for participant_id in meeting.participants:
            other = busy.get((participant_id, slot.id))
            if other is not None:
                raise ProblemError(
                    "lock_conflict",
                    f"meeting {ref!r}: participant {participant_id!r} is already locked in slot "
                    f"{slot.id!r} by meeting {other!r}",
                    ref,
                )
            busy[(participant_id, slot.id)] = ref
        locked_slot[ref] = slot.id
    order = {s.id: i for i, s in enumerate(problem.slots)}
    for ref, slot_id in locked_slot.items():
        for before in meetings[ref].after:
            before_slot = locked_slot.get(before)
            if before_slot is not None and order[before_slot] >= order[slot_id]:
                raise ProblemError(
                    "lock_conflict",
                    f"meeting {ref!r}: locked in {slot_id!r}, not after meeting {before!r} "
                    f"locked in {before_slot!r}",
                    ref,
                )
