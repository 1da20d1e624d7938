"""The independent checker and the break counter."""

from __future__ import annotations

import dataclasses

from puente.events.scheduling import (
    Assignment,
    Problem,
    Solution,
    count_breaks,
    greedy_first_come,
    problem_from_dict,
    validate,
)

from .conftest import make_document


def _solution_with(problem: Problem, assignments: list[Assignment]) -> Solution:
    base = greedy_first_come(problem)
    placed = {a.meeting for a in assignments}
    breaks = count_breaks(problem, assignments)
    priority = sum(m.priority for m in problem.meetings if m.id in placed)
    return dataclasses.replace(
        base,
        assignments=assignments,
        unscheduled=[m.id for m in problem.meetings if m.id not in placed],
        breaks_per_participant=breaks,
        breaks_total=sum(breaks.values()),
        placed_priority=priority,
        lower_bound=0,
    )


def test_breaks_count_runs_of_idle_slots_between_meetings(small_problem: Problem) -> None:
    assignments = [
        Assignment("m1", "s1", 1),  # p1, p2
        Assignment("m2", "s2", 1),  # p1, p3
        Assignment("m4", "s4", 1),  # p1, p4: p1 idle at s3 -> one break
    ]
    breaks = count_breaks(small_problem, assignments)
    assert breaks == {"p1": 1, "p2": 0, "p3": 0, "p4": 0}


def test_leading_and_trailing_idle_slots_are_not_breaks(small_problem: Problem) -> None:
    breaks = count_breaks(small_problem, [Assignment("m3", "s3", 1)])
    assert set(breaks.values()) == {0}


def test_a_long_gap_is_one_break() -> None:
    document = make_document()
    document["meetings"] = [
        {"id": "a", "participants": ["p1", "p3"]},
        {"id": "b", "participants": ["p1", "p4"]},
    ]
    problem = problem_from_dict(document)
    breaks = count_breaks(problem, [Assignment("a", "s1", 1), Assignment("b", "s4", 1)])
    assert breaks["p1"] == 1


def test_greedy_baseline_is_valid(small_problem: Problem) -> None:
    assert validate(small_problem, greedy_first_come(small_problem)) == []


def test_validate_reports_each_kind_of_violation(small_problem: Problem) -> None:
    bad = _solution_with(
        small_problem,
        [
            Assignment("m1", "s3", 1),  # m1 must be in the morning
            Assignment("m3", "s4", 1),  # p2 unavailable at s4
            Assignment("m2", "s4", 1),  # table 1 of s4 used twice; p3 twice in s4
            Assignment("m4", "s1", 3),  # before m2 (after), table outside 1..2
        ],
    )
    errors = "\n".join(validate(small_problem, bad))
    assert "outside its session" in errors
    assert "unavailable" in errors
    assert "used twice" in errors
    assert "two meetings in slot" in errors
    assert "not strictly after" in errors
    assert "outside 1..2" in errors


def test_validate_checks_capacity_and_reported_figures(small_problem: Problem) -> None:
    document = make_document()
    document["slots"][0]["capacity"] = 1
    problem = problem_from_dict(document)
    crowded = _solution_with(
        problem, [Assignment("m1", "s1", 1), Assignment("m2", "s2", 1), Assignment("m3", "s1", 2)]
    )
    assert any("capacity" in e for e in validate(problem, crowded))
    lying = dataclasses.replace(
        _solution_with(small_problem, [Assignment("m1", "s1", 1)]), breaks_total=3, unscheduled=[]
    )
    errors = validate(small_problem, lying)
    assert any("breaks_total" in e for e in errors)
    assert any("unscheduled" in e for e in errors)


def test_validate_checks_locks() -> None:
    problem = problem_from_dict(make_document(locked=[{"meeting": "m3", "slot": "s2", "table": 2}]))
    moved = _solution_with(problem, [Assignment("m3", "s1", 1)])
    assert any("locked" in e for e in validate(problem, moved))
    wrong_table = _solution_with(problem, [Assignment("m3", "s2", 1)])
    assert any("table 2" in e for e in validate(problem, wrong_table))
