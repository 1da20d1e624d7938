"""Solver behaviour: optimality on small cases, determinism, locks, rescheduling."""

from __future__ import annotations

import time
from typing import Any

import pytest

from puente.events.scheduling import (
    Meeting,
    Participant,
    Problem,
    Slot,
    problem_from_dict,
    solution_to_dict,
    solve,
    validate,
)
from puente.events.scheduling import solver as solver_module
from puente.events.scheduling.generator import InstanceSpec, generate
from puente.events.scheduling.index import build_index
from puente.events.scheduling.model import ModelRequest, ModelResult, ScheduleModel
from puente.events.scheduling.state import UNPLACED, Schedule

from .conftest import make_document


def _slots(count: int, capacity: int = 5) -> tuple[Slot, ...]:
    return tuple(Slot(id=f"s{i + 1}", session=None, capacity=capacity) for i in range(count))


def _people(count: int) -> tuple[Participant, ...]:
    return tuple(Participant(id=f"p{i + 1}") for i in range(count))


def test_small_problem_is_solved_to_optimality(small_problem: Problem) -> None:
    solution = solve(small_problem, time_limit=10)
    assert validate(small_problem, solution) == []
    assert solution.status == "optimal"
    assert solution.unscheduled == []
    assert solution.breaks_total == solution.lower_bound


def test_star_needs_contiguous_blocks() -> None:
    # p1 meets everybody; one of them is only free at the ends: one break is forced.
    participants = (
        Participant("p1"),
        Participant("p2", unavailable=("s2", "s3")),
        Participant("p3"),
        Participant("p4"),
    )
    meetings = tuple(Meeting(id=f"m{i}", participants=("p1", f"p{i}")) for i in (2, 3, 4))
    problem = Problem(slots=_slots(4), participants=participants, meetings=meetings)
    solution = solve(problem, time_limit=10)
    assert validate(problem, solution) == []
    assert solution.status == "optimal"
    assert solution.breaks_total == 0  # s1 for p2, then s2 and s3 or s4 stays contiguous
    assert solution.slot_of()["m2"] in {"s1", "s4"}


def test_forced_break_is_found_and_proven() -> None:
    participants = (Participant("p1", unavailable=("s2",)), Participant("p2"), Participant("p3"))
    meetings = (
        Meeting("a", ("p1", "p2")),
        Meeting("b", ("p1", "p3")),
        Meeting("c", ("p1", "p2"), fixed_slot="s3"),
    )
    problem = Problem(slots=_slots(3), participants=participants, meetings=meetings)
    solution = solve(problem, time_limit=10)
    assert validate(problem, solution) == []
    assert solution.status == "optimal"
    assert solution.breaks_total == solution.lower_bound == 1


def _triangle(slots: int) -> Problem:
    # Three participants who all meet each other: three meetings cannot be pairwise
    # adjacent, so one break is forced, though each participant alone needs none.
    meetings = (
        Meeting("a", ("p1", "p2")),
        Meeting("b", ("p2", "p3")),
        Meeting("c", ("p1", "p3")),
    )
    return Problem(slots=_slots(slots), participants=_people(3), meetings=meetings)


def test_target_stage_proves_a_break_the_participant_bound_misses() -> None:
    problem = _triangle(3)
    solution = solve(problem, time_limit=10, mode="exact")
    assert validate(problem, solution) == []
    assert solution.status == "optimal"
    assert solution.breaks_total == solution.lower_bound == 1
    calls = solution.stats["cp_sat_calls"]
    # "at most 0 breaks?" is refuted (by both of its copies, asked side by side); the
    # incumbent then meets the raised bound.
    assert [(c["stage"], c["status"]) for c in calls] == [("target", "infeasible")] * 2


def _ask_from_a_worse_triangle(
    **options: Any,
) -> tuple[solver_module._Run, Schedule, int, bool]:
    """The target questions from bound 0 on the triangle over 4 slots, starting from a
    schedule with 2 breaks (the optimum is 1)."""
    index = build_index(_triangle(4))
    bad = Schedule(index)
    for meeting, slot in enumerate((0, 3, 1)):  # p1: s1 s2, p2: s1 s4, p3: s2 s4
        bad.place(meeting, slot)
    assert bad.breaks_total() == 2
    run = solver_module._Run.begin(index, time_limit=10, mode="exact", seed=0)
    schedule, bound, refuted_below = solver_module._target_search(
        run,
        bad,
        0,
        5.0,
        must_place={0, 1, 2},
        min_priority=None,
        fairness_used=2,
        breaks_floor={},
        **options,
    )
    return run, schedule, bound, refuted_below


def test_target_stage_reaches_the_bound_from_a_worse_schedule(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(solver_module, "SPLIT_AFTER_OPEN", 0)  # split at once
    run, schedule, bound, refuted_below = _ask_from_a_worse_triangle()
    assert bound == 1  # at most 0 refuted, at most 1 answered with a schedule
    assert refuted_below
    assert schedule.breaks_total() == 1
    # "At most 0?" is one question, asked as two copies side by side.
    assert [c["status"] for c in run.stats["cp_sat_calls"]] == ["infeasible"] * 2
    # "At most 1?" has slack 1 over the floors (0) after "at most 0?" was refuted: the
    # case split answers it (one participant above its floor) with a schedule.
    assert run.stats["split"] == [{"target": 1, "slack": 1, "outcome": "found"}]


def test_overloaded_participant_keeps_the_highest_priorities() -> None:
    # p1 has four requests but only three slots: the priority-1 meeting is dropped.
    meetings = (
        Meeting("a", ("p1", "p2"), priority=3),
        Meeting("b", ("p1", "p3"), priority=1),
        Meeting("c", ("p1", "p4"), priority=2),
        Meeting("d", ("p1", "p5"), priority=2),
    )
    problem = Problem(slots=_slots(3), participants=_people(5), meetings=meetings)
    solution = solve(problem, time_limit=10)
    assert validate(problem, solution) == []
    assert solution.unscheduled == ["b"]
    assert solution.placed_priority == 7
    assert solution.status == "optimal"


def test_capacity_limits_meetings_per_slot() -> None:
    meetings = tuple(Meeting(f"m{i}", (f"p{2 * i + 1}", f"p{2 * i + 2}")) for i in range(4))
    problem = Problem(slots=_slots(2, capacity=1), participants=_people(8), meetings=meetings)
    solution = solve(problem, time_limit=10)
    assert validate(problem, solution) == []
    assert len(solution.unscheduled) == 2


def test_after_requires_an_earlier_placed_meeting() -> None:
    meetings = (Meeting("intro", ("p1", "p2")), Meeting("follow", ("p1", "p2"), after=("intro",)))
    problem = Problem(slots=_slots(1), participants=_people(2), meetings=meetings)
    solution = solve(problem, time_limit=5)
    assert validate(problem, solution) == []
    assert solution.unscheduled == ["follow"]


def test_locked_meetings_stay_with_their_tables() -> None:
    problem = problem_from_dict(
        make_document(
            locked=[{"meeting": "m3", "slot": "s2", "table": 2}, {"meeting": "m2", "slot": "s1"}]
        )
    )
    solution = solve(problem, time_limit=10)
    assert validate(problem, solution) == []
    placed = {a.meeting: a for a in solution.assignments}
    assert (placed["m3"].slot, placed["m3"].table) == ("s2", 2)
    assert placed["m2"].slot == "s1"


def test_unsatisfiable_locks_give_an_infeasible_status() -> None:
    # m4 must follow m2, but m2 can only be placed after m4's locked slot.
    document = make_document(locked=[{"meeting": "m4", "slot": "s1"}])
    problem = problem_from_dict(document)
    solution = solve(problem, time_limit=5)
    assert solution.status == "infeasible"
    assert solution.assignments == []


def test_rescheduling_an_optimal_schedule_moves_nothing() -> None:
    problem = generate(InstanceSpec("resched", 10, 16, 6, 3, seed=3))
    first = solve(problem, time_limit=10, seed=1)
    assert first.status == "optimal"
    again = solve(problem, time_limit=10, seed=2, previous=first.slot_of())
    assert again.moved == 0
    assert again.breaks_total == first.breaks_total
    assert again.status == "optimal"


def test_rescheduling_after_a_change_moves_few_meetings() -> None:
    problem = generate(InstanceSpec("resched", 10, 16, 6, 3, seed=3))
    first = solve(problem, time_limit=10, seed=1)
    previous = first.slot_of()
    leaving = first.assignments[-1]  # a meeting in the last used slot
    who = problem.meeting_by_id[leaving.meeting].participants[0]
    participants = tuple(
        Participant(p.id, unavailable=tuple(sorted(set(p.unavailable) | {leaving.slot})))
        if p.id == who
        else p
        for p in problem.participants
    )
    changed = Problem(
        slots=problem.slots,
        participants=participants,
        meetings=problem.meetings,
        fairness=problem.fairness,
    )
    again = solve(changed, time_limit=10, seed=1, previous=previous)
    assert validate(changed, again) == []
    assert again.moved is not None
    assert again.moved >= 1
    # Breaks come first, so meetings may move to keep breaks minimal, but no more of
    # them than needed: the moves stage is proven optimal.
    assert again.stats["proven"]["moves"]


def _fingerprint(problem: Problem, seed: int, work: float = 20) -> dict[str, Any]:
    solution = solve(problem, time_limit=60, work_limit=work, seed=seed)
    assert not solution.stats.get("wall_clock_cut"), "machine too slow for this check"
    document = solution_to_dict(solution)
    document.pop("elapsed_s")
    return document


def test_same_seed_gives_identical_output() -> None:
    # A budget the deterministic limits end long before the wall clock would.
    problem = generate(InstanceSpec("determinism", 16, 30, 8, 5, seed=5))
    assert _fingerprint(problem, 7) == _fingerprint(problem, 7)


def test_same_seed_gives_identical_output_when_the_budget_runs_out() -> None:
    problem = generate(InstanceSpec("determinism-hard", 30, 90, 10, 10, seed=8))
    first = _fingerprint(problem, 1, work=4)
    assert first["status"] == "feasible"  # the deterministic budget ended the search
    assert first == _fingerprint(problem, 1, work=4)


def test_same_seed_gives_identical_output_in_neighbourhood_search(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(solver_module, "LARGE_MODEL_CELLS", 10)
    monkeypatch.setattr(solver_module, "ANNEAL_MOVES_PER_SECOND", 1000)
    monkeypatch.setattr(solver_module, "LNS_ITERATIONS_PER_SECOND", 1)
    problem = generate(InstanceSpec("determinism-large", 30, 60, 8, 8, seed=4))
    first = _fingerprint(problem, 3)
    assert first == _fingerprint(problem, 3)


def test_wide_gap_is_annealed_before_the_target_questions(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Any gap counts as wide: the annealing before the target stage always runs.
    monkeypatch.setattr(solver_module, "GAP_ANNEAL_THRESHOLD", -1)
    problem = generate(InstanceSpec("determinism-hard", 30, 90, 10, 10, seed=8))
    solution = solve(problem, time_limit=60, work_limit=2, seed=1)
    assert not solution.stats.get("wall_clock_cut"), "machine too slow for this check"
    assert validate(problem, solution) == []
    gap = solution.stats["gap_anneal"]
    assert gap["after"] <= gap["before"]
    assert solution.breaks_total <= gap["after"]
    assert gap["bound"] <= solution.lower_bound <= solution.breaks_total
    first = solution_to_dict(solution)
    first.pop("elapsed_s")
    assert first == _fingerprint(problem, 1, work=2)


def test_narrow_gap_goes_straight_to_the_target_questions(small_problem: Problem) -> None:
    solution = solve(small_problem, time_limit=10, seed=0)
    assert "gap_anneal" not in solution.stats


def test_progress_callback_reports_fractions(small_problem: Problem) -> None:
    events: list[dict[str, Any]] = []
    solve(small_problem, time_limit=5, progress=events.append)
    assert events[0]["stage"] == "start"
    assert events[-1]["stage"] == "done"
    assert events[-1]["fraction"] == 1.0
    assert all(0.0 <= e["fraction"] <= 1.0 for e in events)


def test_fairness_is_relaxed_and_reported_when_impossible() -> None:
    # p1 is free only at s1, s3, s5, s7 and has four meetings: three breaks are forced.
    participants = (Participant("p1", unavailable=("s2", "s4", "s6")), *_people(5)[1:])
    meetings = tuple(Meeting(f"m{i}", ("p1", f"p{i}")) for i in (2, 3, 4, 5))
    problem = Problem(slots=_slots(7), participants=participants, meetings=meetings, fairness=1)
    solution = solve(problem, time_limit=10)
    assert validate(problem, solution) == []
    assert solution.breaks_total == 3
    assert solution.fairness_used == 3
    assert solution.fairness_relaxed
    assert solution_to_dict(solution)["fairness_relaxed"] is True


def test_fairness_bound_is_respected_when_possible() -> None:
    problem = generate(InstanceSpec("fair", 12, 26, 8, 4, seed=9, fairness=1))
    solution = solve(problem, time_limit=30, work_limit=1.5)
    assert validate(problem, solution) == []
    values = solution.breaks_per_participant.values()
    assert max(values) - min(values) <= solution.fairness_used


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_fast_mode_matches_exact_mode_on_small_instances(seed: int) -> None:
    problem = generate(InstanceSpec("tiny", 8, 12, 5, 3, seed=seed))
    exact = solve(problem, time_limit=10, mode="exact")
    fast = solve(problem, time_limit=10, mode="fast")
    assert exact.status == "optimal"
    assert validate(problem, fast) == []
    assert (fast.placed_priority, fast.breaks_total) == (exact.placed_priority, exact.breaks_total)


def test_neighbourhood_search_path_is_valid(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(solver_module, "LARGE_MODEL_CELLS", 10)
    problem = generate(InstanceSpec("large-path", 30, 60, 8, 8, seed=4))
    solution = solve(problem, time_limit=3)
    assert solution.stats["strategy"] == "neighbourhood-search"
    assert validate(problem, solution) == []
    assert solution.lower_bound <= solution.breaks_total


def test_unknown_mode_is_rejected(small_problem: Problem) -> None:
    with pytest.raises(ValueError, match="mode"):
        solve(small_problem, time_limit=1, mode="slow")  # type: ignore[arg-type]


def test_rescheduling_from_a_solution_keeps_tables() -> None:
    problem = generate(InstanceSpec("tables", 10, 16, 6, 4, seed=6))
    first = solve(problem, time_limit=30, work_limit=1.5, seed=1)
    again = solve(problem, time_limit=30, work_limit=1.5, seed=3, previous=first)
    assert validate(problem, again) == []
    before = {a.meeting: (a.slot, a.table) for a in first.assignments}
    for assignment in again.assignments:
        slot, table = before[assignment.meeting]
        if slot == assignment.slot:
            assert assignment.table == table


def test_empty_problem() -> None:
    problem = Problem(slots=(), participants=(), meetings=())
    solution = solve(problem, time_limit=1)
    assert solution.status == "optimal"
    assert validate(problem, solution) == []
    assert solution_to_dict(solution)["assignments"] == []


def test_slots_without_tables_leave_meetings_unscheduled() -> None:
    problem = Problem(
        slots=_slots(2, capacity=0), participants=_people(2), meetings=(Meeting("m", ("p1", "p2")),)
    )
    solution = solve(problem, time_limit=2)
    assert validate(problem, solution) == []
    assert solution.unscheduled == ["m"]
    assert solution.status == "optimal"


def test_previous_schedule_with_unknown_ids_is_tolerated(small_problem: Problem) -> None:
    solution = solve(
        small_problem, time_limit=5, previous={"cancelled": "s1", "m1": "removed-slot"}
    )
    assert validate(small_problem, solution) == []
    assert solution.moved == 1  # m1 cannot stay in a slot that no longer exists


def test_fast_mode_proves_a_realistic_instance_the_tables_make_hard() -> None:
    """``r3`` from the benchmark (50 participants, 160 meetings, 14 slots of 14 tables):
    the first annealing leaves 13 breaks over a participant bound of 1. The target
    questions, asked before any more annealing, refute 1 and 2 and find a schedule with
    3, so the run ends proven optimal after a few nominal seconds."""
    problem = generate(InstanceSpec("r3-50p-160m-14s", 50, 160, 14, 14, seed=13))
    solution = solve(problem, time_limit=300, work_limit=30, seed=0)
    assert validate(problem, solution) == []
    assert (solution.status, solution.breaks_total, solution.lower_bound) == ("optimal", 3, 3)
    assert "gap_anneal" not in solution.stats


def _result(status: str, dtime: float, slot_of: list[int] | None = None) -> ModelResult:
    return ModelResult(
        status=status,  # type: ignore[arg-type]
        slot_of=slot_of,
        objective=None,
        bound=None,
        wall_time=dtime,
        deterministic_time=dtime,
    )


def test_side_by_side_questions_keep_seed_order_and_charge_the_longest(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Two copies of a question run at once: their results come back in the order of
    the seeds (not of finishing), and the run is charged the longer of the two."""
    index = build_index(_triangle(4))
    slow = [0, 1, 3]

    def fake(run: Any, model: Any, budget: float, seed: int | None = None) -> ModelResult:
        if seed == 5:
            time.sleep(0.05)  # finishes last, but comes first
            return _result("feasible", 0.9, slow)
        return _result("unknown", 0.36)

    monkeypatch.setattr(solver_module, "_solve_single", fake)
    run = solver_module._Run.begin(index, time_limit=10, mode="exact")
    model = ScheduleModel(index, ModelRequest(objective="none", base=[UNPLACED] * 3))
    results = run.ask_side_by_side(model, 1.0, "target", [UNPLACED] * 3, [5, 6])
    assert [r.status for r in results] == ["feasible", "unknown"]
    assert results[0].slot_of == slow
    assert run.nominal_used == pytest.approx(0.9 / solver_module.TARGET_DTIME_PER_SECOND)
    assert [c["dtime"] for c in run.stats["cp_sat_calls"]] == [0.9, 0.36]


def test_calls_side_by_side_are_charged_the_longest() -> None:
    run = solver_module._Run.begin(build_index(_triangle(3)), time_limit=10)
    results = [_result("infeasible", 0.2), _result("unknown", 0.72)]
    run.charge_side_by_side(results, [1.0, 0.4])
    assert run.nominal_used == pytest.approx(0.72 / solver_module.TARGET_DTIME_PER_SECOND)
    # The second call stopped at its own limit (0.4 s = 0.72 units): not a clock cut.
    assert "wall_clock_cut" not in run.stats
    run.charge_side_by_side([_result("unknown", 0.1)], [1.0])  # stopped early: the clock
    assert run.stats["wall_clock_cut"]


def test_a_question_refuted_by_either_copy_raises_the_bound(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen: list[int | None] = []

    def fake(run: Any, model: Any, budget: float, seed: int | None = None) -> ModelResult:
        seen.append(seed)
        if model.request.max_breaks == 0 and seed == 1:
            return _result("infeasible", 0.1)
        if model.request.max_breaks == 1 and seed == 0:
            return _result("feasible", 0.1, [0, 1, 2])  # p1: s1 s3, p2: s1 s2, p3: s2 s3
        return _result("unknown", 0.1)

    monkeypatch.setattr(solver_module, "_solve_single", fake)
    _, schedule, bound, refuted = _ask_from_a_worse_triangle(may_split=False)
    assert (bound, refuted, schedule.breaks_total()) == (1, True, 1)
    assert sorted(seen[:2]) == sorted(seen[2:]) == [0, 1]  # each question: seeds 0 and 1


def test_fast_mode_proves_the_table_tight_instance_r5() -> None:
    """``r5`` from the benchmark (70 participants, 250 meetings, 18 slots of 17
    tables): the annealing leaves about 20 breaks over a participant bound of 3, and
    "at most 3 breaks?" is answered by about half of CP-SAT's seeds. The first round
    of target questions asks it with two seeds at once, long first attempts and its
    three participants at a floor of 1 held by their two blocks, and the run ends
    proven optimal at the bound."""
    problem = generate(InstanceSpec("r5-70p-250m-18s", 70, 250, 18, 17, seed=15))
    solution = solve(problem, time_limit=300, work_limit=30, seed=0)
    assert validate(problem, solution) == []
    assert (solution.status, solution.breaks_total, solution.lower_bound) == ("optimal", 3, 3)
    assert "gap_anneal" not in solution.stats
