"""Exact mode against a brute-force oracle, and fast mode against exact mode.

The oracle enumerates every assignment of a tiny problem (each meeting in one slot of
its own or left out), keeps the valid ones and applies the documented lexicographic
order: the greatest placed priority, then the smallest workable fairness bound, then the
fewest breaks. It shares no code with the solver.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from puente.events.scheduling import (
    Lock,
    Meeting,
    Participant,
    Problem,
    Slot,
    count_breaks,
    solve,
    validate,
)
from puente.events.scheduling import model as model_module
from puente.events.scheduling import solver as solver_module
from puente.events.scheduling.generator import InstanceSpec, generate
from puente.events.scheduling.index import breaks_of_mask, build_index
from puente.events.scheduling.lower_bounds import participant_bounds
from puente.events.scheduling.model import ModelRequest, ScheduleModel
from puente.events.scheduling.state import UNPLACED, Schedule


@dataclass(frozen=True)
class Optimum:
    """Lexicographic optimum of a problem: priority, fairness bound used, breaks."""

    placed_priority: int
    fairness_used: int
    breaks: int


def _allowed_slots(problem: Problem, meeting: Meeting) -> list[str]:
    blocked: set[str] = set()
    for participant in problem.participants:
        if participant.id in meeting.participants:
            blocked |= set(participant.unavailable)
    locked = {lock.meeting: lock.slot for lock in problem.locked}
    return [
        slot.id
        for slot in problem.slots
        if slot.capacity > 0
        and slot.id not in blocked
        and (meeting.session is None or slot.session == meeting.session)
        and (meeting.fixed_slot is None or slot.id == meeting.fixed_slot)
        and (meeting.id not in locked or slot.id == locked[meeting.id])
    ]


def brute_force(problem: Problem) -> Optimum | None:
    """The lexicographic optimum by enumeration (None when the locks cannot hold)."""
    order = {slot.id: i for i, slot in enumerate(problem.slots)}
    capacity = {slot.id: slot.capacity for slot in problem.slots}
    locked = {lock.meeting for lock in problem.locked}
    options = [
        [*_allowed_slots(problem, m), *([] if m.id in locked else [None])] for m in problem.meetings
    ]
    by_priority: dict[int, list[tuple[int, int]]] = {}
    for choice in itertools.product(*options):
        placed = {m.id: s for m, s in zip(problem.meetings, choice, strict=True) if s is not None}
        load: dict[str, int] = {}
        busy: set[tuple[str, str]] = set()
        ok = True
        for meeting in problem.meetings:
            slot = placed.get(meeting.id)
            if slot is None:
                continue
            load[slot] = load.get(slot, 0) + 1
            for participant in meeting.participants:
                if (participant, slot) in busy:
                    ok = False
                busy.add((participant, slot))
            for before in meeting.after:
                if before not in placed or order[placed[before]] >= order[slot]:
                    ok = False
        if not ok or any(load[s] > capacity[s] for s in load):
            continue
        used: dict[str, list[int]] = {p.id: [] for p in problem.participants}
        for meeting in problem.meetings:
            if meeting.id in placed:
                for participant in meeting.participants:
                    used[participant].append(order[placed[meeting.id]])
        breaks = []
        for positions in used.values():
            positions.sort()
            breaks.append(sum(1 for a, b in itertools.pairwise(positions) if b - a > 1))
        priority = sum(m.priority for m in problem.meetings if m.id in placed)
        spread = max(breaks) - min(breaks) if breaks else 0
        by_priority.setdefault(priority, []).append((spread, sum(breaks)))
    if not by_priority:
        return None
    best_priority = max(by_priority)
    candidates = by_priority[best_priority]
    fairness_used = max(problem.fairness, min(spread for spread, _ in candidates))
    fewest = min(total for spread, total in candidates if spread <= fairness_used)
    return Optimum(best_priority, fairness_used, fewest)


@st.composite
def tiny_problems(draw: st.DrawFn) -> Problem:
    """Problems small enough to enumerate (at most 4 slots and 6 meetings)."""
    n_slots = draw(st.integers(2, 4))
    slots = tuple(
        Slot(
            id=f"s{t}", session="am" if t < n_slots // 2 else "pm", capacity=draw(st.integers(1, 2))
        )
        for t in range(n_slots)
    )
    n_people = draw(st.integers(2, 5))
    people = tuple(
        Participant(
            id=f"p{i}",
            unavailable=tuple(s.id for s in slots if draw(st.integers(0, 5)) == 0),
        )
        for i in range(n_people)
    )
    blocked = {p.id: set(p.unavailable) for p in people}
    meetings: list[Meeting] = []
    for k in range(draw(st.integers(1, 6))):
        a, b = draw(st.lists(st.integers(0, n_people - 1), min_size=2, max_size=2, unique=True))
        pa, pb = f"p{a}", f"p{b}"
        session = draw(st.sampled_from([None, None, None, "am", "pm"]))
        open_slots = [
            s.id
            for s in slots
            if s.id not in blocked[pa] | blocked[pb] and (session is None or s.session == session)
        ]
        fixed = None
        if open_slots and draw(st.integers(0, 7)) == 0:
            fixed = draw(st.sampled_from(open_slots))
        after = tuple(m.id for m in meetings if draw(st.integers(0, 7)) == 0)
        meetings.append(
            Meeting(
                id=f"m{k}",
                participants=(pa, pb),
                session=session,
                fixed_slot=fixed,
                priority=draw(st.integers(1, 2)),
                after=after,
            )
        )
    locked: tuple[Lock, ...] = ()
    first = meetings[0]
    if draw(st.integers(0, 3)) == 0:
        options = [
            s.id
            for s in slots
            if s.id not in blocked[first.participants[0]] | blocked[first.participants[1]]
            and (first.session is None or s.session == first.session)
            and (first.fixed_slot is None or s.id == first.fixed_slot)
        ]
        if options:
            locked = (Lock(meeting=first.id, slot=draw(st.sampled_from(options))),)
    return Problem(
        slots=slots,
        participants=people,
        meetings=tuple(meetings),
        fairness=draw(st.integers(0, 2)),
        locked=locked,
    )


ORACLE = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@ORACLE
@given(tiny_problems())
def test_exact_mode_reaches_the_brute_force_optimum(problem: Problem) -> None:
    expected = brute_force(problem)
    solution = solve(problem, time_limit=30, work_limit=2, mode="exact")
    assert validate(problem, solution) == []
    if expected is None:
        assert solution.status == "infeasible"
        return
    assert solution.status == "optimal", solution.stats
    assert solution.placed_priority == expected.placed_priority
    assert solution.fairness_used == expected.fairness_used
    assert solution.breaks_total == expected.breaks
    assert solution.lower_bound == expected.breaks
    assert sum(count_breaks(problem, solution.assignments).values()) == expected.breaks


@ORACLE
@given(tiny_problems())
def test_fast_mode_is_never_better_than_the_optimum(problem: Problem) -> None:
    expected = brute_force(problem)
    solution = solve(problem, time_limit=30, work_limit=2, mode="fast")
    assert validate(problem, solution) == []
    if expected is None:
        assert solution.status == "infeasible"
        return
    assert solution.placed_priority <= expected.placed_priority
    assert solution.lower_bound <= expected.breaks or (
        solution.placed_priority < expected.placed_priority
    )
    if solution.status == "optimal":
        assert solution.placed_priority == expected.placed_priority
        assert solution.fairness_used == expected.fairness_used
        assert solution.breaks_total == expected.breaks


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tiny_problems())
def test_window_constraints_do_not_change_the_optimum(problem: Problem) -> None:
    with_windows = solve(problem, time_limit=30, work_limit=2, mode="exact")
    saved = dict(solver_module.WINDOWS)
    try:
        solver_module.WINDOWS["exact"] = False
        without = solve(problem, time_limit=30, work_limit=2, mode="exact")
    finally:
        solver_module.WINDOWS.update(saved)
    assert with_windows.status == without.status
    assert (with_windows.placed_priority, with_windows.breaks_total) == (
        without.placed_priority,
        without.breaks_total,
    )


def test_brute_force_oracle_sees_a_forced_break() -> None:
    # p1 meets p2 and p3; p2 and p3 are only free in s1 and s3: p1 must wait in s2.
    problem = Problem(
        slots=tuple(Slot(id=f"s{i}", capacity=2) for i in (1, 2, 3)),
        participants=(
            Participant(id="p1"),
            Participant(id="p2", unavailable=("s2", "s3")),
            Participant(id="p3", unavailable=("s1", "s2")),
        ),
        meetings=(
            Meeting(id="m1", participants=("p1", "p2")),
            Meeting(id="m2", participants=("p1", "p3")),
        ),
    )
    assert brute_force(problem) == Optimum(placed_priority=2, fairness_used=2, breaks=1)
    solution = solve(problem, time_limit=10, mode="exact")
    assert (solution.status, solution.breaks_total, solution.lower_bound) == ("optimal", 1, 1)


def test_exact_mode_proves_a_dense_medium_instance() -> None:
    """20 participants, 50 meetings, 8 slots: most breaks are forced by the meeting graph,
    not by any single participant (the participant bound alone is below the optimum), so
    the proof needs the search; exact mode closes it."""
    problem = generate(InstanceSpec("m2-20p-50m-8s", 20, 50, 8, 8, seed=32))
    solution = solve(problem, time_limit=120, mode="exact")
    assert validate(problem, solution) == []
    assert solution.status == "optimal", solution.stats.get("cp_sat_calls")
    assert solution.breaks_total == solution.lower_bound


def _split_question(problem: Problem, target: int) -> str:
    """Outcome of the case split of "at most ``target`` breaks?" (every meeting placed)."""
    settled = solver_module.split_question(
        problem, target, work_limit=1e6, time_limit=600, mode="exact"
    )
    if settled.outcome == "found":
        assert settled.slot_of is not None
        schedule = Schedule(build_index(problem), settled.slot_of)
        assert schedule.breaks_total() <= target
        assert all(s != UNPLACED for s in settled.slot_of)
    return settled.outcome


@st.composite
def dense_problems(draw: st.DrawFn) -> Problem:
    """3-5 participants meeting most of the others in 3-5 slots: breaks forced by the
    meeting graph (a triangle needs one) beyond the participant floors."""
    n_slots = draw(st.integers(3, 5))
    slots = tuple(Slot(id=f"s{t}", capacity=draw(st.integers(1, 3))) for t in range(n_slots))
    n_people = draw(st.integers(3, 5))
    people = tuple(
        Participant(
            id=f"p{i}",
            unavailable=tuple(s.id for s in slots if draw(st.integers(0, 7)) == 0),
        )
        for i in range(n_people)
    )
    pairs = list(itertools.combinations(range(n_people), 2))
    chosen = draw(st.lists(st.sampled_from(pairs), min_size=3, max_size=6, unique=True))
    meetings = tuple(
        Meeting(id=f"m{k}", participants=(f"p{a}", f"p{b}")) for k, (a, b) in enumerate(chosen)
    )
    return Problem(
        slots=slots, participants=people, meetings=meetings, fairness=draw(st.integers(0, 2))
    )


def fewest_breaks_all_placed(problem: Problem) -> int | None:
    """Fewest breaks over the schedules that place every meeting within the fairness
    bound (None when there is none), by enumeration."""
    order = {slot.id: i for i, slot in enumerate(problem.slots)}
    capacity = {slot.id: slot.capacity for slot in problem.slots}
    best: int | None = None
    options = [_allowed_slots(problem, m) for m in problem.meetings]
    for choice in itertools.product(*options):
        used: dict[str, list[int]] = {p.id: [] for p in problem.participants}
        load: dict[str, int] = {}
        for meeting, slot in zip(problem.meetings, choice, strict=True):
            load[slot] = load.get(slot, 0) + 1
            for participant in meeting.participants:
                used[participant].append(order[slot])
        if any(load[s] > capacity[s] for s in load):
            continue
        if any(len(set(v)) < len(v) for v in used.values()):
            continue
        breaks = [
            sum(1 for a, b in itertools.pairwise(sorted(v)) if b - a > 1) for v in used.values()
        ]
        if max(breaks) - min(breaks) > problem.fairness:
            continue
        if best is None or sum(breaks) < best:
            best = sum(breaks)
    return best


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(dense_problems(), st.booleans())
def test_case_split_answers_like_the_brute_force_oracle(
    problem: Problem, solve_nodes: bool
) -> None:
    """Every target between the participant floors and the optimum: the split says
    "infeasible" below the optimum and finds a schedule at it (cases solved directly, or
    always split down to single participants)."""
    optimum = fewest_breaks_all_placed(problem)
    if optimum is None:
        return
    floor_total = sum(participant_bounds(build_index(problem)))
    saved = solver_module.SPLIT_NODE_SLICE, solver_module.SPLIT_GROUP
    try:
        solver_module.SPLIT_NODE_SLICE = saved[0] if solve_nodes else 0.0
        solver_module.SPLIT_GROUP = 4 if solve_nodes else 1
        for target in range(floor_total + 1, optimum + 1):
            outcome = _split_question(problem, target)
            assert outcome == ("found" if target == optimum else "infeasible")
    finally:
        solver_module.SPLIT_NODE_SLICE, solver_module.SPLIT_GROUP = saved


def test_dense_problems_reach_beyond_the_participant_floors() -> None:
    """The oracle test above is not vacuous: a triangle needs one break, its floors 0."""
    triangle = Problem(
        slots=tuple(Slot(id=f"s{t}", capacity=2) for t in range(4)),
        participants=tuple(Participant(id=f"p{i}") for i in range(3)),
        meetings=tuple(
            Meeting(id=f"m{k}", participants=(f"p{a}", f"p{b}"))
            for k, (a, b) in enumerate(itertools.combinations(range(3), 2))
        ),
    )
    assert fewest_breaks_all_placed(triangle) == 1
    assert sum(participant_bounds(build_index(triangle))) == 0
    assert _split_question(triangle, 1) == "found"
    # At the floors themselves there is nothing to split.
    with pytest.raises(ValueError, match="no slack"):
        _split_question(triangle, 0)


@ORACLE
@given(tiny_problems())
def test_exact_mode_with_the_case_split_reaches_the_brute_force_optimum(
    problem: Problem,
) -> None:
    """The target stage splits every open question at once (and every case down to
    the leaves): the optimum and the proven bound are still the oracle's."""
    expected = brute_force(problem)
    saved = (solver_module.SPLIT_AFTER_OPEN, solver_module.SPLIT_NODE_SLICE)
    try:
        solver_module.SPLIT_AFTER_OPEN = 0
        solver_module.SPLIT_NODE_SLICE = 0.0
        solution = solve(problem, time_limit=30, work_limit=2, mode="exact")
    finally:
        solver_module.SPLIT_AFTER_OPEN, solver_module.SPLIT_NODE_SLICE = saved
    assert validate(problem, solution) == []
    if expected is None:
        assert solution.status == "infeasible"
        return
    assert solution.status == "optimal", solution.stats
    assert solution.breaks_total == expected.breaks
    assert solution.lower_bound == expected.breaks


def test_case_split_refutes_and_reaches_the_optimum_of_medium_instances() -> None:
    """``m1`` (optimum 3, participant floors 1): "at most 2?" is refuted by cases (one
    participant above its floor) and "at most 3?" (two) finds a schedule; ``m2``
    (optimum 2, floors 1) is reached at slack 1."""
    m1 = generate(InstanceSpec("m1-16p-40m-8s", 16, 40, 8, 6, seed=31))
    assert _split_question(m1, 2) == "infeasible"
    assert _split_question(m1, 3) == "found"
    m2 = generate(InstanceSpec("m2-20p-50m-8s", 20, 50, 8, 8, seed=32))
    assert _split_question(m2, 2) == "found"


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tiny_problems())
def test_single_window_encoding_equals_a_cap_of_zero(problem: Problem) -> None:
    """Participants in ``zero_breaks`` (window alone, no break literals) admit exactly the
    schedules where they have no break: same feasibility as capping their breaks at 0."""
    index = build_index(problem)
    everyone = frozenset(range(index.n_participants))
    request = ModelRequest(
        objective="none",
        base=[UNPLACED] * index.n_meetings,
        must_place=set(range(index.n_meetings)),
        fairness_bound=problem.fairness,
    )
    capped = ScheduleModel(index, request).restricted(dict.fromkeys(everyone, 0), {})
    windowed = ScheduleModel(index, replace(request, zero_breaks=everyone))
    status = [
        model.solve(seed=0, time_limit=10, deterministic_limit=None, workers=1).status
        for model in (capped, windowed)
    ]
    assert status[0] == status[1]
    assert status[0] in ("optimal", "infeasible")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tiny_problems(), st.integers(min_value=0, max_value=1))
def test_two_block_encoding_equals_exactly_one_break(problem: Problem, parity: int) -> None:
    """Participants in ``one_break`` (two blocks, no break literals) admit exactly the
    schedules where they have one break: same feasibility as bounding their breaks to
    1 from both sides, and every schedule found gives each of them one break."""
    index = build_index(problem)
    held = {
        p for p in range(index.n_participants) if p % 2 == parity and len(index.meetings_of[p]) >= 2
    }
    request = ModelRequest(
        objective="none",
        base=[UNPLACED] * index.n_meetings,
        must_place=set(range(index.n_meetings)),
        fairness_bound=problem.fairness,
    )
    bounded = ScheduleModel(index, request).restricted(
        dict.fromkeys(held, 1), dict.fromkeys(held, 1)
    )
    blocks = ScheduleModel(index, replace(request, one_break=frozenset(held)))
    assert blocks.block_encoded == held & set(blocks.touched)  # those with a slot left
    results = [
        model.solve(seed=0, time_limit=10, deterministic_limit=None, workers=1)
        for model in (bounded, blocks)
    ]
    assert results[0].status == results[1].status
    assert results[0].status in ("optimal", "infeasible")
    if results[1].slot_of is not None:
        schedule = Schedule(index, results[1].slot_of)
        assert all(breaks_of_mask(schedule.busy[p]) == 1 for p in held)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tiny_problems())
def test_slot_loads_do_not_change_the_optimum(problem: Problem) -> None:
    with_loads = solve(problem, time_limit=30, work_limit=2, mode="exact")
    saved = model_module.SLOT_LOADS
    try:
        model_module.SLOT_LOADS = False
        without = solve(problem, time_limit=30, work_limit=2, mode="exact")
    finally:
        model_module.SLOT_LOADS = saved
    assert with_loads.status == without.status
    assert (with_loads.placed_priority, with_loads.breaks_total) == (
        without.placed_priority,
        without.breaks_total,
    )


def test_a_valid_schedule_satisfies_every_neighbourhood_model() -> None:
    """The slot loads count the busy participants outside a neighbourhood (fixed) and
    inside it (literals); counted twice or missed, a full slot would refute its own
    schedule."""
    problem = generate(InstanceSpec("m2-20p-50m-8s", 20, 50, 8, 8, seed=32))
    index = build_index(problem)
    solution = solve(problem, time_limit=30, work_limit=2, mode="exact")
    slot_of = [
        index.slot_pos[a.slot]
        for a in sorted(solution.assignments, key=lambda a: index.meeting_pos[a.meeting])
    ]
    assert len(slot_of) == index.n_meetings
    full = [t for t in range(index.n_slots) if slot_of.count(t) == index.capacity[t]]
    assert full, "the instance should fill some slot to its tables"
    for free in (set(range(0, index.n_meetings, 2)), set(range(10)), set()):
        model = ScheduleModel(
            index,
            ModelRequest(
                objective="none",
                base=slot_of,
                free=free,
                must_place=set(range(index.n_meetings)),
            ),
        )
        for m in free:
            model.model.add(model.x[(m, slot_of[m])] == 1)
        result = model.solve(seed=0, time_limit=10, deterministic_limit=None, workers=1)
        assert result.status in ("optimal", "feasible"), free


def test_slot_loads_refute_a_target_the_tables_rule_out() -> None:
    """``r3`` (50 participants, 160 meetings, 14 slots of 14 tables): no schedule has at
    most 2 breaks, but only the tables say so (with 16 tables 2 is optimal). Stated on
    the busy literals, CP-SAT refutes it within 5 units of work on one worker; without
    them one worker left the question open after 40 units (60 s)."""
    problem = generate(InstanceSpec("r3-50p-160m-14s", 50, 160, 14, 14, seed=13))
    index = build_index(problem)
    floors = participant_bounds(index)
    model = ScheduleModel(
        index,
        ModelRequest(
            objective="none",
            base=[UNPLACED] * index.n_meetings,
            must_place=set(range(index.n_meetings)),
            fairness_bound=problem.fairness,
            max_breaks=2,
            breaks_floor={p: f for p, f in enumerate(floors) if f > 0},
            windows=True,
        ),
    )
    result = model.solve(
        seed=0,
        time_limit=60,
        deterministic_limit=5,
        workers=1,
        extra=[("linearization_level", 0)],
    )
    assert result.status == "infeasible"
