"""Interchange format: round trips and one clear ProblemError per malformed input."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from puente.events.scheduling import (
    Problem,
    ProblemError,
    previous_from_dict,
    problem_from_dict,
    problem_to_dict,
    solution_to_dict,
    solve,
)
from puente.events.scheduling.io import solution_from_dict

from .conftest import make_document


def test_round_trip_keeps_the_problem() -> None:
    problem = problem_from_dict(make_document())
    again = problem_from_dict(problem_to_dict(problem))
    assert again == problem


def test_defaults_for_optional_fields() -> None:
    problem = problem_from_dict(make_document())
    meeting = problem.meeting_by_id["m2"]
    assert meeting.session is None
    assert meeting.priority == 1
    assert meeting.after == ()
    assert problem.participant_by_id["p4"].unavailable == ()


def test_solution_document_has_the_documented_keys() -> None:
    problem = problem_from_dict(make_document())
    document = solution_to_dict(solve(problem, time_limit=5))
    for key in (
        "status",
        "assignments",
        "unscheduled",
        "breaks_total",
        "breaks_per_participant",
        "lower_bound",
        "elapsed_s",
    ):
        assert key in document
    assert set(document["assignments"][0]) == {"meeting", "slot", "table"}


def test_previous_accepts_solution_documents_and_plain_maps() -> None:
    assert previous_from_dict({"m1": "s1"}) == {"m1": "s1"}
    document = {"assignments": [{"meeting": "m1", "slot": "s2", "table": 1}]}
    assert previous_from_dict(document) == {"m1": "s2"}


def _mutated(change: Any) -> dict[str, Any]:
    document = copy.deepcopy(make_document())
    change(document)
    return document


def _set(path: tuple[Any, ...], value: Any) -> Any:
    def change(document: dict[str, Any]) -> None:
        target: Any = document
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return change


MALFORMED = [
    (
        "unknown participant",
        _set(("meetings", 0, "participants"), ["p1", "px"]),
        "unknown_participant",
        "m1",
    ),
    (
        "unknown unavailable slot",
        _set(("participants", 0, "unavailable"), ["s9"]),
        "unknown_slot",
        "p1",
    ),
    ("unknown fixed slot", _set(("meetings", 1, "fixed_slot"), "s9"), "unknown_slot", "m2"),
    ("unknown after", _set(("meetings", 1, "after"), ["m9"]), "unknown_meeting", "m2"),
    ("unknown session", _set(("meetings", 1, "session"), "evening"), "unknown_session", "m2"),
    ("duplicate slot", _set(("slots", 1, "id"), "s1"), "duplicate_slot", "s1"),
    ("duplicate participant", _set(("participants", 1, "id"), "p1"), "duplicate_participant", "p1"),
    ("duplicate meeting", _set(("meetings", 1, "id"), "m1"), "duplicate_meeting", "m1"),
    ("one participant", _set(("meetings", 1, "participants"), ["p1"]), "bad_participants", "m2"),
    (
        "three participants",
        _set(("meetings", 1, "participants"), ["p1", "p2", "p3"]),
        "bad_participants",
        "m2",
    ),
    (
        "same participant twice",
        _set(("meetings", 1, "participants"), ["p1", "p1"]),
        "bad_participants",
        "m2",
    ),
    ("negative capacity", _set(("slots", 2, "capacity"), -1), "bad_capacity", "s3"),
    ("fractional capacity", _set(("slots", 2, "capacity"), 1.5), "bad_capacity", "s3"),
    ("fractional priority", _set(("meetings", 1, "priority"), 1.5), "bad_priority", "m2"),
    ("string priority", _set(("meetings", 1, "priority"), "2"), "bad_priority", "m2"),
    ("boolean priority", _set(("meetings", 1, "priority"), True), "bad_priority", "m2"),
    ("zero priority", _set(("meetings", 1, "priority"), 0), "bad_priority", "m2"),
    ("self after", _set(("meetings", 1, "after"), ["m2"]), "cyclic_after", "m2"),
    ("fixed slot unavailable", _set(("meetings", 2, "fixed_slot"), "s4"), "slot_unavailable", "m3"),
    (
        "fixed slot outside session",
        _set(("meetings", 0, "fixed_slot"), "s3"),
        "session_mismatch",
        "m1",
    ),
    ("unknown field", _set(("meetings", 1, "room"), "A"), "unknown_field", "m2"),
    ("missing capacity", lambda d: d["slots"][0].pop("capacity"), "missing_field", "s1"),
    ("negative fairness", _set(("fairness",), -1), "bad_fairness", None),
    ("slots not a list", _set(("slots",), {"id": "s1"}), "bad_type", None),
    ("empty id", _set(("participants", 3, "id"), ""), "bad_id", None),
]


@pytest.mark.parametrize(
    ("label", "change", "code", "ref"), MALFORMED, ids=[case[0] for case in MALFORMED]
)
def test_malformed_input_raises_a_specific_error(
    label: str, change: Any, code: str, ref: str | None
) -> None:
    with pytest.raises(ProblemError) as caught:
        problem_from_dict(_mutated(change))
    assert caught.value.code == code, label
    assert caught.value.ref == ref
    if ref is not None:
        assert repr(ref) in str(caught.value)


def test_cyclic_after_names_a_meeting_on_the_cycle() -> None:
    def change(document: dict[str, Any]) -> None:
        document["meetings"][0]["after"] = ["m3"]
        document["meetings"][2]["after"] = ["m1"]

    with pytest.raises(ProblemError) as caught:
        problem_from_dict(_mutated(change))
    assert caught.value.code == "cyclic_after"
    assert caught.value.ref in {"m1", "m3"}


def test_not_an_object() -> None:
    with pytest.raises(ProblemError):
        problem_from_dict([1, 2])


LOCK_ERRORS = [
    ("unknown meeting", [{"meeting": "m9", "slot": "s1"}], "unknown_meeting", "m9"),
    ("unknown slot", [{"meeting": "m2", "slot": "s9"}], "unknown_slot", "m2"),
    ("table too high", [{"meeting": "m2", "slot": "s1", "table": 3}], "bad_table", "m2"),
    (
        "locked twice",
        [{"meeting": "m2", "slot": "s1"}, {"meeting": "m2", "slot": "s2"}],
        "duplicate_lock",
        "m2",
    ),
    (
        "participant clash",
        [{"meeting": "m1", "slot": "s1"}, {"meeting": "m2", "slot": "s1"}],
        "lock_conflict",
        "m2",
    ),
    (
        "same table",
        [{"meeting": "m1", "slot": "s1", "table": 1}, {"meeting": "m3", "slot": "s1", "table": 1}],
        "lock_conflict",
        "m3",
    ),
    ("unavailable slot", [{"meeting": "m3", "slot": "s4"}], "slot_unavailable", "m3"),
    (
        "order violated",
        [{"meeting": "m2", "slot": "s3"}, {"meeting": "m4", "slot": "s2"}],
        "lock_conflict",
        "m4",
    ),
]


@pytest.mark.parametrize(
    ("label", "locked", "code", "ref"), LOCK_ERRORS, ids=[case[0] for case in LOCK_ERRORS]
)
def test_bad_locks_raise(label: str, locked: list[dict[str, Any]], code: str, ref: str) -> None:
    with pytest.raises(ProblemError) as caught:
        problem_from_dict(make_document(locked=locked))
    assert caught.value.code == code, label
    assert caught.value.ref == ref


def test_solution_documents_read_back() -> None:
    problem = problem_from_dict(make_document())
    solution = solve(problem, time_limit=5)
    again = solution_from_dict(solution_to_dict(solution), problem)
    assert again.assignments == solution.assignments
    assert again.breaks_per_participant == solution.breaks_per_participant
    assert (again.status, again.breaks_total, again.lower_bound, again.placed_priority) == (
        solution.status,
        solution.breaks_total,
        solution.lower_bound,
        solution.placed_priority,
    )


@pytest.mark.parametrize(
    "document",
    [
        [],
        {"assignments": []},
        {"status": "done"},
        {"status": "optimal", "assignments": {}},
        {"status": "optimal", "assignments": [{"meeting": "m1", "slot": 2, "table": 1}]},
        {"status": "optimal", "assignments": [{"meeting": "m1", "slot": "s1"}]},
        {"status": "optimal", "assignments": [], "unscheduled": [1]},
    ],
)
def test_malformed_solution_documents_raise(document: Any, small_problem: Problem) -> None:
    with pytest.raises(ProblemError):
        solution_from_dict(document, small_problem)


def test_solution_figures_must_be_counts(small_problem: Problem) -> None:
    base = {
        "status": "feasible",
        "assignments": [{"meeting": "m3", "slot": "s1", "table": 1}],
        "unscheduled": [],
        "breaks_per_participant": {"p1": 0},
        "breaks_total": 0,
        "lower_bound": 0,
    }
    # Not reported (another tool): recomputed from the problem (m3 has priority 2).
    assert solution_from_dict(base, small_problem).placed_priority == 2
    assert solution_from_dict({**base, "placed_priority": 5}, small_problem).placed_priority == 5
    for key, value in (("breaks_total", -1), ("lower_bound", True), ("placed_priority", "3")):
        with pytest.raises(ProblemError, match=key):
            solution_from_dict({**base, key: value}, small_problem)
    with pytest.raises(ProblemError, match="breaks_per_participant"):
        solution_from_dict({**base, "breaks_per_participant": {"p1": -2}}, small_problem)
    with pytest.raises(ProblemError, match="elapsed_s"):
        solution_from_dict({**base, "elapsed_s": "fast"}, small_problem)
