"""Table advice: how many more tables per slot reach the best result the requests allow."""

from __future__ import annotations

from puente.events.scheduling import (
    Meeting,
    Participant,
    Problem,
    Slot,
    Solution,
    solve,
    validate,
)
from puente.events.scheduling.advice import (
    TableOption,
    _envelope,
    advise_tables,
    with_extra_tables,
)
from puente.events.scheduling.generator import InstanceSpec, generate


def tight_problem() -> Problem:
    """One table per slot; a fixed meeting takes the table of s3, so p1's three meetings
    cannot be consecutive (one break). A second table removes the break."""
    return Problem(
        slots=tuple(Slot(f"s{i}", capacity=1) for i in range(1, 6)),
        participants=tuple(Participant(f"p{i}") for i in range(1, 7)),
        meetings=(
            Meeting("fixed", ("p5", "p6"), fixed_slot="s3"),
            Meeting("m1", ("p1", "p2")),
            Meeting("m2", ("p1", "p3")),
            Meeting("m3", ("p1", "p4")),
        ),
    )


def test_more_tables_that_remove_breaks_are_found_and_proven() -> None:
    problem = tight_problem()
    current = solve(problem, time_limit=10)
    assert (current.status, current.breaks_total) == ("optimal", 1)
    advice = advise_tables(problem, current, time_limit=20)
    assert advice.helps
    assert (advice.current.breaks, advice.current.extra_tables) == (1, 0)
    assert advice.unlimited.breaks == 0
    assert advice.unlimited.proven
    assert advice.recommended is not None
    assert (advice.recommended.extra_tables, advice.recommended.breaks) == (1, 0)
    assert advice.recommended.proven
    assert advice.recommended.placed == 4
    # Every option is backed by a schedule the solver found: check the recommended one.
    with_one_more = with_extra_tables(problem, advice.recommended.extra_tables)
    again = solve(with_one_more, time_limit=10)
    assert validate(with_one_more, again) == []
    assert again.breaks_total == 0


def test_no_advice_when_tables_do_not_bind(small_problem: Problem) -> None:
    current = solve(small_problem, time_limit=10)
    advice = advise_tables(small_problem, current, time_limit=10)
    assert not advice.helps
    assert advice.recommended is None
    assert advice.options == ()
    assert advice.unlimited.breaks >= current.breaks_total


def test_more_tables_that_place_more_meetings_help() -> None:
    # Two slots with one table each, three meetings: one stays out.
    problem = Problem(
        slots=(Slot("s1", capacity=1), Slot("s2", capacity=1)),
        participants=tuple(Participant(f"p{i}") for i in range(1, 7)),
        meetings=(
            Meeting("a", ("p1", "p2")),
            Meeting("b", ("p3", "p4")),
            Meeting("c", ("p5", "p6"), priority=2),
        ),
    )
    current = solve(problem, time_limit=10)
    assert len(current.assignments) == 2
    advice = advise_tables(problem, current, time_limit=10)
    assert advice.helps
    assert advice.recommended is not None
    assert advice.recommended.extra_tables == 1
    assert advice.recommended.placed == 3


def test_slots_without_tables_stay_closed() -> None:
    problem = Problem(
        slots=(Slot("s1", capacity=2), Slot("s2", capacity=0)),
        participants=(Participant("p1"), Participant("p2")),
        meetings=(Meeting("m1", ("p1", "p2")),),
    )
    wider = with_extra_tables(problem, 3)
    assert [s.capacity for s in wider.slots] == [5, 0]
    assert wider.meetings == problem.meetings


def test_advice_is_deterministic_and_serialisable() -> None:
    problem = tight_problem()
    current = solve(problem, time_limit=10)
    first = advise_tables(problem, current, time_limit=20, seed=4)
    second = advise_tables(problem, current, time_limit=20, seed=4)
    assert first.options == second.options
    assert first.recommended == second.recommended
    document = first.to_dict()
    assert document["recommended"]["extra_tables"] == 1
    assert set(document) == {
        "helps",
        "current",
        "unlimited",
        "recommended",
        "options",
        "elapsed_s",
    }


def test_bisection_reports_the_fewest_tables_that_reached_the_best_result() -> None:
    problem = generate(InstanceSpec("advice", 20, 50, 8, 5, seed=6))
    current = solve(problem, time_limit=60, work_limit=2)
    advice = advise_tables(problem, current, time_limit=60, work_limit=3)
    assert advice.helps
    assert advice.recommended is not None
    extras = [o.extra_tables for o in advice.options]
    assert extras == sorted(extras)
    assert len(extras) >= 3
    best = advice.unlimited
    assert advice.recommended.breaks <= best.breaks
    for option in advice.options:
        reaches = option.placed_priority >= best.placed_priority and option.breaks <= best.breaks
        # The recommended count is the first that reached it; fewer tables did not.
        assert reaches == (option.extra_tables >= advice.recommended.extra_tables)
    assert advice.recommended.breaks < current.breaks_total


def test_options_never_get_worse_with_more_tables() -> None:
    problem = generate(InstanceSpec("advice", 20, 50, 8, 5, seed=6))
    current = solve(problem, time_limit=60, work_limit=2)
    advice = advise_tables(problem, current, time_limit=60, work_limit=3)
    previous = advice.current
    for option in advice.options:
        assert (option.placed_priority, -option.breaks) >= (
            previous.placed_priority,
            -previous.breaks,
        )
        previous = option


def test_envelope_carries_the_best_result_to_larger_counts() -> None:
    now = TableOption(0, 3, 3, 10, False)
    found = [
        TableOption(2, 3, 3, 12, False),  # a short solve did worse than now
        TableOption(4, 3, 3, 4, True),
        TableOption(6, 3, 3, 7, False),  # and worse than with 4
    ]
    loose = Solution(
        status="optimal",
        assignments=[],
        unscheduled=[],
        breaks_total=4,
        breaks_per_participant={},
        lower_bound=4,
        elapsed_s=0.0,
        placed_priority=3,
        priority_upper_bound=3,
    )
    options = _envelope(now, found, loose)
    assert [(o.extra_tables, o.breaks) for o in options] == [(2, 10), (4, 4), (6, 4)]
    # Carried results are proven only when they meet the unlimited solve's bounds.
    assert [o.proven for o in options] == [False, True, True]
