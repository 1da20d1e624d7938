"""JSON interchange format: problems in, solutions out (see docs/scheduling.md)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .problem import (
    Assignment,
    Lock,
    Meeting,
    Participant,
    Problem,
    ProblemError,
    Slot,
    Solution,
)

_PROBLEM_KEYS = {"slots", "participants", "meetings", "fairness", "locked"}
_SLOT_KEYS = {"id", "session", "capacity"}
_PARTICIPANT_KEYS = {"id", "unavailable"}
_MEETING_KEYS = {"id", "participants", "session", "fixed_slot", "priority", "after"}
_LOCK_KEYS = {"meeting", "slot", "table"}


def _as_mapping(value: object, what: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise ProblemError("bad_type", f"{what} must be an object, got {type(value).__name__}")
    return value


def _as_list(value: object, what: str, ref: str | None = None) -> list[Any]:
    if not isinstance(value, list):
        raise ProblemError("bad_type", f"{what} must be a list, got {type(value).__name__}", ref)
    return value


def _reject_unknown_keys(item: Mapping[str, Any], allowed: set[str], what: str) -> None:
    unknown = sorted(set(item) - allowed)
    if unknown:
        ref = item.get("id") if isinstance(item.get("id"), str) else None
        label = f"{what} {ref!r}" if ref is not None else what
        raise ProblemError("unknown_field", f"{label}: unknown field(s) {unknown}", ref)


def _field(item: Mapping[str, Any], key: str, what: str) -> Any:
    if key not in item:
        ref = item.get("id") if isinstance(item.get("id"), str) else None
        label = f"{what} {ref!r}" if ref is not None and repr(ref) not in what else what
        raise ProblemError("missing_field", f"{label}: missing field {key!r}", ref)
    return item[key]


def _optional_str(value: object, what: str, ref: str | None) -> str | None:
    if value is None or isinstance(value, str):
        return value
    raise ProblemError("bad_type", f"{what} must be a string or null, got {value!r}", ref)


def _str_list(value: object, what: str, ref: str | None) -> tuple[str, ...]:
    items = _as_list(value, what, ref)
    for item in items:
        if not isinstance(item, str):
            raise ProblemError("bad_type", f"{what} must list string ids, got {item!r}", ref)
    return tuple(items)


def problem_from_dict(data: object) -> Problem:
    """Build a validated :class:`Problem` from the JSON interchange format.

    Raises :class:`ProblemError` (naming the offending id) on any malformed input.
    """
    document = _as_mapping(data, "problem")
    _reject_unknown_keys(document, _PROBLEM_KEYS, "problem")
    slots = [
        _slot_from_dict(item) for item in _as_list(_field(document, "slots", "problem"), "slots")
    ]
    participants = [
        _participant_from_dict(item)
        for item in _as_list(_field(document, "participants", "problem"), "participants")
    ]
    meetings = [
        _meeting_from_dict(item)
        for item in _as_list(_field(document, "meetings", "problem"), "meetings")
    ]
    locked = [_lock_from_dict(item) for item in _as_list(document.get("locked", []), "locked")]
    return Problem(
        slots=tuple(slots),
        participants=tuple(participants),
        meetings=tuple(meetings),
        fairness=document.get("fairness", 2),
        locked=tuple(locked),
    )


def _slot_from_dict(data: object) -> Slot:
    item = _as_mapping(data, "slot")
    _reject_unknown_keys(item, _SLOT_KEYS, "slot")
    ident = _field(item, "id", "slot")
    ref = ident if isinstance(ident, str) else None
    return Slot(
        id=ident,
        session=_optional_str(item.get("session"), f"slot {ident!r}: session", ref),
        capacity=_field(item, "capacity", f"slot {ident!r}"),
    )


def _participant_from_dict(data: object) -> Participant:
    item = _as_mapping(data, "participant")
    _reject_unknown_keys(item, _PARTICIPANT_KEYS, "participant")
    ident = _field(item, "id", "participant")
    ref = ident if isinstance(ident, str) else None
    unavailable = _str_list(item.get("unavailable", []), f"participant {ident!r}: unavailable", ref)
    return Participant(id=ident, unavailable=unavailable)


def _meeting_from_dict(data: object) -> Meeting:
    item = _as_mapping(data, "meeting")
    _reject_unknown_keys(item, _MEETING_KEYS, "meeting")
    ident = _field(item, "id", "meeting")
    ref = ident if isinstance(ident, str) else None
    what = f"meeting {ident!r}"
    participants = _str_list(_field(item, "participants", what), f"{what}: participants", ref)
    if len(participants) != 2:
        raise ProblemError(
            "bad_participants",
            f"{what}: needs exactly two participants, got {list(participants)!r}",
            ref,
        )
    after = item.get("after")
    return Meeting(
        id=ident,
        participants=(participants[0], participants[1]),
        session=_optional_str(item.get("session"), f"{what}: session", ref),
        fixed_slot=_optional_str(item.get("fixed_slot"), f"{what}: fixed_slot", ref),
        priority=item.get("priority", 1) if item.get("priority") is not None else 1,
        after=_str_list(after if after is not None else [], f"{what}: after", ref),
    )


def _lock_from_dict(data: object) -> Lock:
    item = _as_mapping(data, "locked assignment")
    _reject_unknown_keys(item, _LOCK_KEYS, "locked assignment")
    meeting = _field(item, "meeting", "locked assignment")
    ref = meeting if isinstance(meeting, str) else None
    if not isinstance(meeting, str):
        raise ProblemError("bad_type", f"locked assignment: bad meeting id {meeting!r}")
    slot = _field(item, "slot", f"lock of {meeting!r}")
    if not isinstance(slot, str):
        raise ProblemError("bad_type", f"lock of {meeting!r}: slot must be a string id", ref)
    return Lock(meeting=meeting, slot=slot, table=item.get("table"))


def problem_to_dict(problem: Problem) -> dict[str, Any]:
    """Serialise a problem to the interchange format (inverse of problem_from_dict)."""
    document: dict[str, Any] = {
        "slots": [
            {"id": s.id, "session": s.session, "capacity": s.capacity} for s in problem.slots
        ],
        "participants": [
            {"id": p.id, "unavailable": list(p.unavailable)} for p in problem.participants
        ],
        "meetings": [
            {
                "id": m.id,
                "participants": list(m.participants),
                "session": m.session,
                "fixed_slot": m.fixed_slot,
                "priority": m.priority,
                "after": list(m.after),
            }
            for m in problem.meetings
        ],
        "fairness": problem.fairness,
    }
    if problem.locked:
        document["locked"] = [
            {"meeting": lock.meeting, "slot": lock.slot, "table": lock.table}
            for lock in problem.locked
        ]
    return document


def solution_to_dict(solution: Solution) -> dict[str, Any]:
    """Serialise a solution to the output format.

    The documented keys come first; ``placed_priority``, ``fairness_used``,
    ``fairness_relaxed`` and ``moved`` are extra keys that explain the result.
    """
    return {
        "status": solution.status,
        "assignments": [
            {"meeting": a.meeting, "slot": a.slot, "table": a.table} for a in solution.assignments
        ],
        "unscheduled": list(solution.unscheduled),
        "breaks_total": solution.breaks_total,
        "breaks_per_participant": dict(solution.breaks_per_participant),
        "lower_bound": solution.lower_bound,
        "elapsed_s": round(solution.elapsed_s, 3),
        "placed_priority": solution.placed_priority,
        "fairness_used": solution.fairness_used,
        "fairness_relaxed": solution.fairness_relaxed,
        "moved": solution.moved,
    }


def previous_from_dict(data: object) -> dict[str, str]:
    """Read a previous schedule: a solution document or a plain ``{meeting: slot}`` map."""
    document = _as_mapping(data, "previous schedule")
    if "assignments" in document:
        items = _as_list(document["assignments"], "previous assignments")
        return dict(_meeting_and_slot(item, "previous assignment") for item in items)
    for meeting, slot in document.items():
        if not isinstance(meeting, str) or not isinstance(slot, str):
            raise ProblemError(
                "bad_type", f"previous schedule must map meeting ids to slot ids: {meeting!r}"
            )
    return dict(document)


_STATUSES = ("optimal", "feasible", "infeasible")


def _meeting_and_slot(item: object, what: str) -> tuple[str, str]:
    """The string meeting and slot ids of one assignment of a schedule document."""
    entry = _as_mapping(item, what)
    meeting, slot = entry.get("meeting"), entry.get("slot")
    if not isinstance(meeting, str) or not isinstance(slot, str):
        raise ProblemError("bad_type", f"{what} needs string meeting and slot: {entry!r}")
    return meeting, slot


def solution_from_dict(data: object, problem: Problem) -> Solution:
    """Read a solution document of ``problem`` (the output format), e.g. one written by
    another tool.

    The seven documented keys are required (``elapsed_s`` may be missing); the
    explanatory keys are optional and other keys are ignored. Shapes and types are
    checked here, and raise :class:`ProblemError`; whether the schedule keeps the
    problem's constraints is :func:`~.validation.validate`'s job. A missing
    ``placed_priority`` (another tool may not report it) is recomputed from ``problem``,
    so it is not compared.
    """
    document = _as_mapping(data, "solution")
    status = _field(document, "status", "solution")
    if status not in _STATUSES:
        raise ProblemError("bad_status", f"solution status must be one of {_STATUSES}: {status!r}")
    assignments: list[Assignment] = []
    for item in _as_list(_field(document, "assignments", "solution"), "assignments"):
        meeting, slot = _meeting_and_slot(item, "assignment")
        entry = _as_mapping(item, "assignment")
        if "table" not in entry:
            raise ProblemError("missing_field", f"assignment needs a table: {entry!r}")
        assignments.append(Assignment(meeting=meeting, slot=slot, table=entry["table"]))
    unscheduled = _str_list(_field(document, "unscheduled", "solution"), "unscheduled", None)
    breaks = _field(document, "breaks_per_participant", "solution")
    per_participant = dict(_as_mapping(breaks, "breaks_per_participant"))
    if not all(_is_count(v) for v in per_participant.values()):
        raise ProblemError("bad_type", "breaks_per_participant values must be integers >= 0")
    figures = {key: _field(document, key, "solution") for key in ("breaks_total", "lower_bound")}
    if document.get("placed_priority") is None:
        meetings = problem.meeting_by_id
        placed = (meetings[a.meeting].priority for a in assignments if a.meeting in meetings)
        figures["placed_priority"] = sum(placed)
    else:
        figures["placed_priority"] = document["placed_priority"]
    for key, value in figures.items():
        if not _is_count(value):
            raise ProblemError("bad_type", f"solution {key} must be an integer >= 0: {value!r}")
    elapsed = document.get("elapsed_s", 0.0)
    if isinstance(elapsed, bool) or not isinstance(elapsed, int | float):
        raise ProblemError("bad_type", f"solution elapsed_s must be a number: {elapsed!r}")
    return Solution(
        status=status,
        assignments=assignments,
        unscheduled=list(unscheduled),
        breaks_total=figures["breaks_total"],
        breaks_per_participant=per_participant,
        lower_bound=figures["lower_bound"],
        elapsed_s=float(elapsed),
        placed_priority=figures["placed_priority"],
    )


def _is_count(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0
