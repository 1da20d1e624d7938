"""How far the scheduler's case split proves a lower bound when it is given the time.

Run from the repository root::

    PYTHONPATH=src python bench/scheduler_bound.py --only r6 --breaks 6    # about 7 min
    PYTHONPATH=src python bench/scheduler_bound.py --only r6 --breaks 5    # seconds

For each realistic instance chosen, a fast-mode run of 30 nominal seconds
(``--hint-work``) gives the schedule that orders and hints the cases (as in the
solver), then the question "is there a schedule with at most ``--breaks`` breaks?" is
settled by the solver's own case split (``split_question``: every participant at its
floor but the ones a case lets exceed it) with ``--work-limit`` nominal seconds. It
prints the outcome (``infeasible`` proves the bound ``breaks + 1``; ``found`` a
schedule with that many breaks; ``open`` the budget ran out), the number of cases and
the work and wall time they took. This is research tooling for docs/scheduling.md
("Limitations"): the 30-second runs cannot
afford these splits, which is the point it measures.
"""

from __future__ import annotations

import argparse
import time

from puente.events.scheduling import solve
from puente.events.scheduling.generator import generate
from puente.events.scheduling.index import build_index
from puente.events.scheduling.lower_bounds import participant_bounds
from puente.events.scheduling.solver import split_question
from scheduler import REALISTIC


def settle(
    name: str, breaks: int, work_limit: float, seed: int = 0, hint_work: float = 30.0
) -> dict[str, object]:
    """Settle "at most ``breaks``?" on the instance ``name`` by the case split, after a
    run of ``hint_work`` nominal seconds for the hint."""
    spec = next(s for s in REALISTIC if s.name.startswith(name))
    problem = generate(spec)
    hint = solve(problem, time_limit=3 * hint_work, work_limit=hint_work, seed=seed)
    floors = sum(participant_bounds(build_index(problem)))
    row: dict[str, object] = {
        "instance": spec.name,
        "breaks": breaks,
        "floors": floors,
        "slack": breaks - floors,
        "hint_breaks": hint.breaks_total,
    }
    if breaks <= floors:
        row["outcome"] = "not a split question (no slack over the floors)"
        return row
    started = time.perf_counter()
    settled = split_question(
        problem,
        breaks,
        hint=hint.slot_of(),
        work_limit=work_limit,
        time_limit=4 * work_limit,
        seed=seed,
    )
    row.update(
        outcome=settled.outcome,
        cases=settled.cases,
        work_nominal_s=round(settled.work, 1),
        wall_s=round(time.perf_counter() - started, 1),
        wall_clock_cut=settled.wall_clock_cut,
    )
    return row


def main(argv: list[str] | None = None) -> int:
    """Entry point: parse options, settle the question per instance, print the rows."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default="r6", help="comma-separated instance prefixes")
    parser.add_argument("--breaks", type=int, required=True, help="the question's target")
    parser.add_argument(
        "--work-limit", type=float, default=900.0, help="nominal seconds for the split"
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--hint-work", type=float, default=30.0, help="nominal seconds of the hinting run"
    )
    args = parser.parse_args(argv)
    for name in (p.strip() for p in args.only.split(",") if p.strip()):
        row = settle(name, args.breaks, args.work_limit, args.seed, args.hint_work)
        print("  ".join(f"{key}={value}" for key, value in row.items()), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
