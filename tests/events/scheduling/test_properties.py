"""Property tests: every schedule returned is valid and its figures are honest."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from puente.events.scheduling import (
    Lock,
    Meeting,
    Participant,
    Problem,
    ProblemError,
    Slot,
    count_breaks,
    greedy_first_come,
    solve,
    validate,
)


@st.composite
def problems(draw: st.DrawFn) -> Problem:
    """Small random problems, valid by construction."""
    n_slots = draw(st.integers(1, 5))
    slots = tuple(
        Slot(
            id=f"s{t}",
            session="am" if t < (n_slots + 1) // 2 else "pm",
            capacity=draw(st.integers(0, 3)),
        )
        for t in range(n_slots)
    )
    n_people = draw(st.integers(2, 6))
    people = tuple(
        Participant(
            id=f"p{i}",
            unavailable=tuple(s.id for s in slots if draw(st.booleans()) and draw(st.booleans())),
        )
        for i in range(n_people)
    )
    blocked = {p.id: set(p.unavailable) for p in people}
    meetings: list[Meeting] = []
    for k in range(draw(st.integers(0, 9))):
        a, b = draw(st.lists(st.integers(0, n_people - 1), min_size=2, max_size=2, unique=True))
        pa, pb = f"p{a}", f"p{b}"
        session = draw(st.sampled_from([None, None, "am", "pm"]))
        if session == "pm" and n_slots == 1:
            session = None
        open_slots = [
            s.id
            for s in slots
            if s.capacity > 0
            and s.id not in blocked[pa] | blocked[pb]
            and (session is None or s.session == session)
        ]
        fixed = draw(st.sampled_from([None, *open_slots])) if open_slots else None
        after = tuple(m.id for m in meetings if draw(st.integers(0, 9)) == 0)
        meetings.append(
            Meeting(
                id=f"m{k}",
                participants=(pa, pb),
                session=session,
                fixed_slot=fixed,
                priority=draw(st.integers(1, 3)),
                after=after,
            )
        )
    locked: tuple[Lock, ...] = ()
    if meetings and draw(st.booleans()):
        first = meetings[0]
        options = [
            s.id
            for s in slots
            if s.capacity > 0
            and s.id not in blocked[first.participants[0]] | blocked[first.participants[1]]
            and (first.session is None or s.session == first.session)
            and (first.fixed_slot is None or s.id == first.fixed_slot)
        ]
        if options:
            locked = (Lock(meeting=first.id, slot=draw(st.sampled_from(options))),)
    fairness = draw(st.integers(0, 2))
    try:
        return Problem(
            slots=slots,
            participants=people,
            meetings=tuple(meetings),
            fairness=fairness,
            locked=locked,
        )
    except ProblemError:  # pragma: no cover - construction above avoids it
        raise


COMMON = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@COMMON
@given(problems())
def test_solver_output_is_valid(problem: Problem) -> None:
    solution = solve(problem, time_limit=2)
    assert validate(problem, solution) == []
    breaks = count_breaks(problem, solution.assignments)
    assert solution.breaks_per_participant == breaks
    assert solution.breaks_total == sum(breaks.values())
    assert solution.lower_bound <= solution.breaks_total
    if solution.status != "infeasible":
        greedy = greedy_first_come(problem)
        assert solution.placed_priority >= greedy.placed_priority
        values = greedy.breaks_per_participant.values()
        greedy_spread = max(values) - min(values) if values else 0
        if (
            solution.status == "optimal"
            and solution.placed_priority == greedy.placed_priority
            and greedy_spread <= solution.fairness_used
        ):
            assert solution.breaks_total <= greedy.breaks_total


@COMMON
@given(problems())
def test_greedy_output_is_valid(problem: Problem) -> None:
    assert validate(problem, greedy_first_come(problem)) == []


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems())
def test_exact_mode_is_valid_and_never_worse_than_its_bound(problem: Problem) -> None:
    solution = solve(problem, time_limit=2, mode="exact")
    assert validate(problem, solution) == []
    if solution.status == "optimal":
        assert solution.breaks_total == solution.lower_bound
