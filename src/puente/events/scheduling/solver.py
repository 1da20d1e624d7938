"""The anytime, lexicographic solver behind :func:`solve`.

Stages (each one keeps the optimum of the previous ones as a constraint):

1. *priority* - maximise the total priority of placed meetings;
2. *fairness* - when the requested bound ``d`` on the breaks spread cannot be met,
   find the smallest workable bound (``fairness_used``);
3. *breaks* - minimise the total breaks: first satisfaction questions "at most ``b``
   breaks?" for ``b`` rising from the lower bound (each "no" proves the bound up, a
   "yes" at the bound is optimal), then an optimisation model for what is left;
4. *moves* - with a previous schedule, move as few of its meetings as possible.

Small and medium problems are solved with one CP-SAT model per stage. Problems whose
model would be too big (``meetings x slots`` above :data:`LARGE_MODEL_CELLS`) are solved
in ``fast`` mode by large-neighbourhood search: CP-SAT re-optimises groups of related
participants while the rest of the schedule stays fixed.

Determinism: every CP-SAT call uses a fixed seed, interleaved (deterministic) parallel
search and a *deterministic* time limit derived from the wall-clock budget, and the
search-neighbourhood choice uses a seeded generator and counts deterministic time, so
the same problem, seed and ``time_limit`` give the same schedule, unless the wall-clock
safety limit (the full ``time_limit``) is hit first, which the result reports in
``stats["wall_clock_cut"]``.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from functools import partial
from typing import Any, Literal

from .heuristics import fill_unplaced, place_locked, sweep_schedule
from .index import Index, breaks_of_mask, build_index
from .local_search import anneal
from .lower_bounds import participant_bounds
from .model import ModelRequest, ModelResult, ScheduleModel
from .problem import Problem, Solution
from .state import UNPLACED, Schedule, to_solution

Mode = Literal["fast", "exact"]
ProgressCallback = Callable[[dict[str, Any]], None]

#: Above this many (meeting, slot) cells, ``fast`` mode uses neighbourhood search.
LARGE_MODEL_CELLS = 20_000
#: CP-SAT deterministic time granted per second of wall-clock budget. Measured on a
#: 2-core machine at 0.12 to 0.4 units per second, depending on the model; kept low so the
#: deterministic limit, not the clock, normally ends each run.
DTIME_PER_SECOND = 0.12
#: Participants per neighbourhood in the large-neighbourhood search.
LNS_GROUP_SIZE = 24
#: Meetings of full slots added to a neighbourhood that has unplaced meetings.
LNS_CAPACITY_EXTRA = 24
#: Conflict limit of one neighbourhood sub-solve (a deterministic work limit).
LNS_CONFLICTS = 300
#: Annealing moves granted per second of budget (40k to 100k moves/s measured, unloaded).
ANNEAL_MOVES_PER_SECOND = 40_000
#: Neighbourhoods per second of budget (one takes 0.1 to 0.2 s on a 2-core machine).
LNS_ITERATIONS_PER_SECOND = 8
#: Add the redundant window constraints (see ``ScheduleModel._add_windows``) to the
#: fairness and breaks models, by mode.
WINDOWS = {"fast": True, "exact": True}
#: Share of the budget left after the fairness stage that the target stage may use
#: (see :func:`_target_search`), by mode; the breaks optimisation gets the rest.
TARGET_SHARE = {"fast": 0.9, "exact": 0.9}
#: CP-SAT deterministic time per nominal second for the target stage's single worker
#: without linear relaxation (measured 1.2 to 2.9 units per CPU second on the realistic
#: instances; 1.55 to 1.97 units per wall second, mean 1.78, over seven runs of the
#: case split on ``r2`` at load 3.7-4.8, where one worker has a core; 1.5 before).
TARGET_DTIME_PER_SECOND = 1.8
#: Nominal seconds of the first attempt at one target; each open attempt is followed by
#: one with the next seed and twice the work (the search time to a "yes" varies a lot
#: between seeds: 0.6 to 12 CPU seconds on ``r1``).
TARGET_FIRST_SLICE = 1.0
#: Largest slack (target minus the participant floors) at which an open target question
#: is split into cases (see :func:`_split_target`); the cases grow as participants^slack.
SPLIT_MAX_SLACK = 2
#: Nominal seconds of one case that is not split further (measured on ``r2``: 0.2 to
#: 3 work units, most under 0.5) and of one case that can still be split.
SPLIT_CASE_SLICE = 3.0
SPLIT_NODE_SLICE = 0.25
#: Share of the budget left after the target stage that fast mode spends annealing
#: again from the incumbent (when the stage left a gap and every meeting is placed),
#: before the breaks optimisation model, which gets the rest. Measured from the first
#: annealing's schedule, 1,000,000 more moves (2-5 s): ``r3`` 11 -> 9-10, ``r5`` 20 ->
#: 17-18, ``r6`` 30 -> 27-30, ``r2`` 7 -> 6-7 (seeds 1-2); the optimisation model's
#: 5 nominal seconds there moved none of them. In 30 s runs about 5 nominal seconds
#: are left here (about 1,000,000 moves at this share).
POST_TARGET_ANNEAL_SHARE = 0.9
#: Start temperature of the annealing runs that continue from an annealed schedule
#: (the gap annealing below and the one after the target stage). Measured on ``r5``
#: (20 breaks) and ``r6`` (30), 4,000,000 moves, seeds 10-12: start 0.3 reached 13-16
#: and 24-27, the first run's 0.6 16-17 and 25-28, 0.15 18-20 (``r5``).
REANNEAL_TEMPERATURE = 0.3
#: Fast mode: when the annealed schedule is more than this many breaks above the
#: proven bound before the target stage, the target questions (which climb from the
#: bound one break at a time) cannot close the gap within the budget, and the
#: schedule the user gets is the incumbent: anneal again first, with
#: :data:`GAP_ANNEAL_SHARE` of the budget left. Gaps after the first annealing with
#: seed 0: ``r2`` 6 (proven by the target stage, which needs most of the budget),
#: ``r3`` 10, ``r5`` 17, ``r6`` 26.
GAP_ANNEAL_THRESHOLD = 8
GAP_ANNEAL_SHARE = 0.5
#: Share of the budget left that a first round of target questions gets before that
#: annealing: with the slot loads they can close a wide gap at once (``r3``: 13
#: breaks after the first annealing, proven optimal at 3 in 2 nominal seconds). That
#: round does not split questions (whole ones retried with twice the work settle
#: ``r3`` with every seed tried; its split spent the round on 382 open cases with
#: seed 1).
GAP_FIRST_TARGET_SHARE = 0.35
#: Nominal seconds of the first attempt in that round (then twice as much, ...). The
#: round never splits a question, so short attempts would only restart it: on ``r5``
#: "at most 3 breaks?" needed 6.8 units of work or more with each of seeds 0-11 (4
#: nominal seconds is 7.2 units; with the two-block encoding since, 2.7 to 9.5 units
#: for the half of the seeds that answer within 12). With 1 second, and 20% of the
#: budget for the round, seeds 0-2 left ``r5`` at 14-16 breaks; with these two, all
#: three proved it optimal at 3 in 15.5-22.2 s (seeds 3-6: 2 of 4, the other two cut by
#: the wall clock on a machine doing about 1 unit per second instead of 1.8; with the
#: two-block encoding since, 7 of seeds 0-8). Elsewhere the first attempt stays short
#: (:data:`TARGET_FIRST_SLICE`): ``r2`` is settled by the split after one open
#: attempt, and with 4 seconds there it was proven by 2 of seeds 0-2 in 26.8-27.4 s,
#: against 3 of 3 in 16.1-20.0 s.
GAP_FIRST_SLICE = 4.0
#: Share of the budget left that the target stage then gets (instead of
#: :data:`TARGET_SHARE`); the annealing after it gets most of the rest.
GAP_TARGET_SHARE = 0.5
#: Nominal seconds charged per (meeting, slot) cell for building one case's model in
#: Python (not CP-SAT work; measured 1.5e-5 to 2e-5 s per cell on the realistic
#: instances at load 4, 0.014 s for ``r2`` to 0.084 s for ``r6``).
SPLIT_BUILD_PER_CELL = 2e-5
#: Nominal seconds charged per case for what its CP-SAT call costs beyond its work
#: units (model copy, presolve set-up; measured about 0.014 s per case on ``r3``, whose
#: cases take 0.005 units each).
SPLIT_CASE_OVERHEAD = 0.015
#: Order of the participants in a case split after those above their floor in the
#: incumbent: 1 for fewer meetings first, -1 for more meetings first (on ``r2``, "at
#: most 3 breaks?" found a schedule after 15 cases with -1, none in 60 nominal seconds
#: with 1).
SPLIT_DEGREE_ORDER = -1
#: Cases of a split solved side by side (one CP-SAT worker each, in threads: CP-SAT
#: releases the GIL; 8 cases of ``r2`` took 1.3 s on two threads against 2.5 s on one,
#: load 1.9). Capped by ``solve(workers=...)``. The cases of a batch are charged the
#: longest of them (they share the wall time of the two cores; until 30 November each
#: was charged its full work, which spent the budget at twice the wall time's pace).
SPLIT_THREADS = 2
#: Copies of a whole target question asked side by side, each with its own seed, one
#: CP-SAT worker each (capped by ``solve(workers=...)``). The time to a "yes" depends
#: mostly on the seed: on ``r5``, "at most 3 breaks?" (no hint) was answered within 20
#: units of work by 8 of seeds 0-11 (5 of them in 6.8 to 8.3 units, 3 in 14 to 19), and
#: the other 4 stayed open. Two seeds at once use the machine's second core.
TARGET_SEEDS = 2
#: Open attempts at a question before it is split (tests set 0: split at once). One
#: direct attempt first: since the slot loads (:meth:`ScheduleModel._add_slot_loads`)
#: the whole question often settles in a slice ("at most 3 breaks?" on ``r3`` in 2 s,
#: where its 124 cases stayed open), and ``r2``'s split still has the time it needs.
SPLIT_AFTER_OPEN = 1
#: Participants per case for the first participant above its floor when the slack is
#: 1 (a group case is infeasible when each single one is; on ``r2`` groups of 4 took
#: 24-28 work units against 39 for single participants, groups of 2, 6, 8, 16: 27-59).
SPLIT_GROUP = 4
#: Share of the budget spent annealing before the CP-SAT stages, by mode (at
#: :data:`ANNEAL_MOVES_PER_SECOND_MODELS`). Fast mode was 0.1; 0.05 leaves the proofs
#: more time. Plain 30 s runs on the slow machine of 29 November: ``r2`` proven with 3
#: of seeds 0-3 (23.8-29.6 s) against 1 of 4 with 0.1 (the others cut by the wall
#: clock); ``r1`` and ``r4``, whose optimum the annealing finds itself at 0.1, are
#: still proven but slower (11.5 and 10.0 s against 3.2 and 5.3 s: the target
#: questions find it); the unproven ones end about the same (seed 0: ``r3`` 7 against
#: 9 breaks, ``r5`` 16 and 16, ``r6`` 30 against 28).
ANNEAL_SHARE_FAST = 0.05
ANNEAL_SHARE_EXACT = 0.02
#: Annealing moves per nominal second before the CP-SAT stages (small and medium
#: problems). Measured 240,000 to 560,000 moves per CPU second on the realistic
#: instances (load about 4 on 2 cores), where 40,000 was assumed before, so the
#: annealing was charged 15 nominal seconds of a 30-second budget for about 1-2 s of
#: work. :data:`ANNEAL_MOVES_PER_SECOND` (40,000) stays the rate of the large
#: problems' path (205,000 moves per second measured on the large instance).
ANNEAL_MOVES_PER_SECOND_MODELS = 200_000
#: What those moves are charged: a move costs about proportionally to the number of
#: slots (measured moves per second x slots: 4.4 to 5.3 million on the six realistic
#: instances, 8 to 22 slots, load about 4), so the annealing before the CP-SAT stages
#: is charged at ``ANNEAL_MOVE_SLOTS_PER_SECOND / slots`` moves per nominal second, at
#: most :data:`ANNEAL_MAX_MOVES_PER_SECOND` (``r2``: 550,000; ``r6``: 200,000).
ANNEAL_MOVE_SLOTS_PER_SECOND = 4_400_000
ANNEAL_MAX_MOVES_PER_SECOND = 600_000


@dataclass
class _Run:
    """Shared state of one solve call."""

    index: Index
    seed: int
    mode: Mode
    started: float
    deadline: float
    workers: int
    deterministic: bool
    progress: ProgressCallback | None
    previous: dict[int, int]
    nominal_total: float = 0.0
    nominal_used: float = 0.0
    stats: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def begin(
        cls,
        index: Index,
        *,
        time_limit: float,
        work_limit: float | None = None,
        seed: int = 0,
        mode: Mode = "fast",
        workers: int = 2,
        deterministic: bool = True,
        progress: ProgressCallback | None = None,
        previous: dict[int, int] | None = None,
        started: float | None = None,
    ) -> _Run:
        """A run starting now (or at ``started``): ``time_limit`` wall-clock seconds,
        ``work_limit`` (default ``time_limit``) nominal seconds of deterministic work."""
        started = time.perf_counter() if started is None else started
        return cls(
            index=index,
            seed=seed,
            mode=mode,
            started=started,
            deadline=started + max(0.1, time_limit),
            workers=workers,
            deterministic=deterministic,
            progress=progress,
            previous=previous or {},
            nominal_total=max(0.1, time_limit if work_limit is None else work_limit),
        )

    def remaining(self) -> float:
        """Wall-clock seconds left (the safety net)."""
        return max(0.0, self.deadline - time.perf_counter())

    def nominal_remaining(self) -> float:
        """Budget left in nominal seconds, counted from deterministic work only."""
        return max(0.0, self.nominal_total - self.nominal_used)

    def spend(self, nominal_seconds: float) -> None:
        """Record deterministic work, converted to nominal seconds."""
        self.nominal_used += nominal_seconds

    def fraction(self) -> float:
        """Share of the budget used so far (the larger of nominal and wall clock)."""
        wall = self.elapsed() / max(1e-9, self.deadline - self.started)
        return min(1.0, max(wall, self.nominal_used / max(1e-9, self.nominal_total)))

    def charge(self, result: ModelResult, dtime_limit: float, rate: float) -> None:
        """Charge one CP-SAT call: its deterministic work at ``rate`` units per nominal
        second (its wall time when not deterministic), noting a wall-clock cut when it
        stopped open before ``dtime_limit``."""
        if (
            self.deterministic
            and result.status in ("feasible", "unknown")
            and result.deterministic_time < dtime_limit * 0.98
        ):
            self.wall_cut()
        self.spend(result.deterministic_time / rate if self.deterministic else result.wall_time)

    def wall_cut(self) -> None:
        """Note that the wall clock, not the deterministic budget, stopped some work."""
        self.stats["wall_clock_cut"] = True

    def elapsed(self) -> float:
        return time.perf_counter() - self.started

    def report(self, stage: str, fraction: float, **info: Any) -> None:
        if self.progress is not None:
            self.progress(
                {
                    "stage": stage,
                    "fraction": min(1.0, max(0.0, fraction)),
                    "elapsed_s": round(self.elapsed(), 3),
                    **info,
                }
            )

    def run_model(
        self,
        model: ScheduleModel,
        budget: float,
        stage: str,
        hint: list[int] | None = None,
        *,
        single_worker: bool = False,
        seed: int | None = None,
    ) -> ModelResult:
        """Run one CP-SAT model for ``budget`` nominal seconds.

        Deterministic runs stop on CP-SAT's deterministic time (``budget`` times
        :data:`DTIME_PER_SECOND`), with the remaining wall clock as a safety net; other
        runs stop on the wall clock. ``single_worker`` runs one CP-SAT worker without
        linear relaxation (the setting of the target stage, see :func:`_target_search`),
        whose work is counted at :data:`TARGET_DTIME_PER_SECOND`.
        """
        if hint is not None and model.hint_ok:
            model.add_hint(hint)
        budget = max(0.05, budget)
        rate = TARGET_DTIME_PER_SECOND if single_worker else DTIME_PER_SECOND
        dtime = budget * rate if self.deterministic else None

        def hook(objective: float, bound: float) -> None:
            self.report(stage, self.fraction(), objective=objective, bound=bound)

        result = model.solve(
            seed=self.seed if seed is None else seed,
            time_limit=self.remaining() if self.deterministic else min(budget, self.remaining()),
            deterministic_limit=dtime,
            workers=1 if single_worker else self.workers,
            interleave=self.deterministic,
            on_improvement=hook if self.progress else None,
            extra=[("linearization_level", 0)] if single_worker else (),
        )
        self.charge(result, budget * rate, rate)
        self._note_call(stage, result)
        return result

    def ask_side_by_side(
        self,
        model: ScheduleModel,
        budget: float,
        stage: str,
        hint: list[int],
        seeds: list[int],
    ) -> list[ModelResult]:
        """Ask one satisfaction question (``model``) with each of ``seeds`` at once: one
        CP-SAT worker without linear relaxation per seed, each in its own thread (CP-SAT
        releases the GIL), each stopped by the deterministic limit of ``budget``.

        The results come back in the order of ``seeds``, whichever finished first, so
        the outcome is deterministic. The calls ran side by side on the machine's two
        cores, so the run is charged the longest of them, as the budget counts the
        machine's time (the same rule as the case split, :func:`_split_target`).
        """
        if model.hint_ok:
            model.add_hint(hint)
        with ThreadPoolExecutor(max_workers=len(seeds)) as pool:
            futures = [pool.submit(_solve_single, self, model, budget, s) for s in seeds]
            results = [future.result() for future in futures]
        self.charge_side_by_side(results, [budget] * len(results))
        for result in results:
            self._note_call(stage, result)
        return results

    def charge_side_by_side(self, results: list[ModelResult], budgets: list[float]) -> None:
        """Charge single-worker calls that ran side by side (``budgets`` in nominal
        seconds): the longest of them, as they shared the wall time of the cores."""
        rate = TARGET_DTIME_PER_SECOND
        k = max(range(len(results)), key=lambda i: results[i].deterministic_time)
        self.charge(results[k], max(0.05, budgets[k]) * rate, rate)

    def _note_call(self, stage: str, result: ModelResult) -> None:
        self.stats.setdefault("cp_sat_calls", []).append(
            {
                "stage": stage,
                "status": result.status,
                "objective": result.objective,
                "bound": result.bound,
                "wall_s": round(result.wall_time, 3),
                "dtime": round(result.deterministic_time, 3),
            }
        )


def solve(
    problem: Problem,
    *,
    time_limit: float,
    seed: int = 0,
    mode: Mode = "fast",
    previous: Mapping[str, str] | Solution | None = None,
    previous_tables: Mapping[str, int] | None = None,
    progress: ProgressCallback | None = None,
    workers: int = 2,
    deterministic: bool = True,
    work_limit: float | None = None,
) -> Solution:
    """Schedule ``problem`` within ``time_limit`` seconds; return the best schedule found.

    ``mode="exact"`` always solves one CP-SAT model per stage (best for proofs);
    ``mode="fast"`` switches to neighbourhood search on large problems. ``previous``
    maps meeting ids to the slot ids of an earlier schedule (unknown ids are ignored), or
    is an earlier :class:`Solution` (then meetings that keep their slot also keep their
    table when possible; ``previous_tables``, meeting id to table, does the same for a
    mapping): the solver moves as few of those meetings as it can (below breaks in the
    objective order). ``work_limit`` (default: ``time_limit``) is the
    budget in nominal seconds of deterministic work; ``time_limit`` stays the wall-clock
    cap. Set a ``work_limit`` well below ``time_limit`` for results that do not depend on
    the machine's load. ``progress`` receives dicts with ``stage``, ``fraction`` (of the
    time budget) and, when known, ``objective`` and ``bound``.
    """
    if mode not in ("fast", "exact"):
        raise ValueError(f"unknown mode {mode!r}")
    started = time.perf_counter()
    index = build_index(problem)
    previous_tables = dict(previous_tables or {})
    if isinstance(previous, Solution):
        previous_tables = {a.meeting: a.table for a in previous.assignments}
        previous = previous.slot_of()
    previous_slots = _previous_positions(index, previous)
    run = _Run.begin(
        index,
        time_limit=time_limit,
        work_limit=work_limit,
        seed=seed,
        mode=mode,
        workers=workers,
        deterministic=deterministic,
        progress=progress,
        previous=previous_slots,
        started=started,
    )
    run.report("start", 0.0)
    cells = sum(len(d) for d in index.domain)
    large = mode == "fast" and cells > LARGE_MODEL_CELLS
    run.stats["strategy"] = "neighbourhood-search" if large else "cp-sat-stages"
    outcome = _solve_large(run) if large else _solve_with_models(run)
    tables = {
        index.meeting_pos[m]: t
        for m, t in previous_tables.items()
        if m in index.meeting_pos
        and outcome.slot_of[index.meeting_pos[m]]
        == previous_slots.get(index.meeting_pos[m], UNPLACED)
    }
    solution = to_solution(
        index,
        outcome.slot_of,
        status=outcome.status,
        lower_bound=outcome.lower_bound,
        elapsed_s=run.elapsed(),
        priority_upper_bound=outcome.priority_bound,
        fairness_used=outcome.fairness_used,
        moved=_count_moved(outcome.slot_of, previous_slots) if previous is not None else None,
        preferred_tables=tables,
        message=outcome.message,
    )
    solution.stats = run.stats
    run.report("done", 1.0, objective=solution.breaks_total, bound=solution.lower_bound)
    return solution


@dataclass
class _Outcome:
    slot_of: list[int]
    status: Literal["optimal", "feasible", "infeasible"]
    lower_bound: int
    priority_bound: int
    fairness_used: int
    message: str = ""


def _previous_positions(index: Index, previous: Mapping[str, str] | None) -> dict[int, int]:
    if not previous:
        return {}
    result = {}
    for meeting_id, slot_id in previous.items():
        m = index.meeting_pos.get(meeting_id)
        if m is None:
            continue  # meeting cancelled since: nothing to keep
        result[m] = index.slot_pos.get(slot_id, UNPLACED)
    return result


def _count_moved(slot_of: list[int], previous: dict[int, int]) -> int:
    return sum(1 for m, slot in previous.items() if slot_of[m] != slot or slot == UNPLACED)


def _spread(schedule: Schedule) -> int:
    return schedule.breaks_spread()


def _initial_schedule(run: _Run) -> Schedule:
    """Best of a few seeded sweeps and, when given, the repaired previous schedule."""
    index = run.index
    rng = random.Random(run.seed)
    candidates: list[Schedule] = []
    if run.previous:
        kept = Schedule(index)
        place_locked(kept)
        for m in index.topo_order:
            slot = run.previous.get(m, UNPLACED)
            if kept.slot_of[m] == UNPLACED and slot != UNPLACED and kept.can_place(m, slot):
                kept.place(m, slot)
        fill_unplaced(kept)
        candidates.append(kept)
    attempts = 1 if index.n_meetings * index.n_slots > LARGE_MODEL_CELLS else 4
    for attempt in range(attempts):
        schedule = sweep_schedule(index, rng, noise=0.0 if attempt == 0 else 3.0)
        fill_unplaced(schedule)
        candidates.append(schedule)
    return min(candidates, key=lambda s: (-s.placed_priority(), s.breaks_total()))


def _anneal_charge_rate(index: Index) -> int:
    """Annealing moves per nominal second on a small or medium problem (by its slots)."""
    by_slots = ANNEAL_MOVE_SLOTS_PER_SECOND // max(1, index.n_slots)
    return max(1, min(ANNEAL_MAX_MOVES_PER_SECOND, by_slots))


def _priority_upper_bound(index: Index) -> int:
    return sum(p for p, d in zip(index.priority, index.domain, strict=True) if d)


def _solve_with_models(run: _Run) -> _Outcome:
    index = run.index
    total_budget = run.nominal_remaining()
    incumbent = _initial_schedule(run)
    share = ANNEAL_SHARE_FAST if run.mode == "fast" else ANNEAL_SHARE_EXACT
    anneal_rate = _anneal_charge_rate(index)
    incumbent = _anneal_if_better(
        run,
        incumbent,
        int(total_budget * share * ANNEAL_MOVES_PER_SECOND_MODELS),
        run.seed,
        rate=anneal_rate,
    )
    run.report(
        "anneal",
        run.fraction(),
        objective=incumbent.breaks_total(),
        placed_priority=incumbent.placed_priority(),
    )
    locked = {m for m in range(index.n_meetings) if index.locked_slot[m] != UNPLACED}
    priority_bound = _priority_upper_bound(index)
    proven = {"priority": False, "fairness": False, "breaks": False, "moves": True}
    # Stage 1: placed priority.
    locks_missing = any(incumbent.slot_of[m] == UNPLACED for m in locked)
    if incumbent.placed_priority() < priority_bound or locks_missing:
        model = ScheduleModel(
            index, ModelRequest(objective="priority", base=incumbent.slot_of, must_place=locked)
        )
        result = run.run_model(model, total_budget * 0.3, "priority", incumbent.slot_of)
        if result.status == "infeasible":
            return _Outcome(
                [UNPLACED] * index.n_meetings,
                "infeasible",
                0,
                0,
                index.problem.fairness,
                "the locked assignments cannot all be honoured together",
            )
        if result.slot_of is not None:
            candidate = Schedule(index, result.slot_of)
            if candidate.placed_priority() >= incumbent.placed_priority():
                incumbent = candidate
        if result.bound is not None:
            priority_bound = min(priority_bound, int(result.bound + 1e-6))
        if locks_missing and any(incumbent.slot_of[m] == UNPLACED for m in locked):
            return _Outcome(
                [UNPLACED] * index.n_meetings,
                "infeasible",
                0,
                priority_bound,
                index.problem.fairness,
                "no schedule honouring the locked assignments was found in time",
            )
    placed_priority = incumbent.placed_priority()
    proven["priority"] = placed_priority >= priority_bound
    all_placed = all(s != UNPLACED for s in incumbent.slot_of)
    must_place = set(range(index.n_meetings)) if all_placed else locked
    min_priority = None if all_placed else placed_priority
    floors = participant_bounds(index, sorted(must_place)) if all_placed else []
    lower_bound = sum(floors)
    breaks_floor = {p: f for p, f in enumerate(floors) if f > 0}
    run.report("priority", run.fraction(), placed_priority=placed_priority)
    # Stage 2: fairness.
    fairness = index.problem.fairness
    fairness_used = max(fairness, _spread(incumbent))
    if fairness_used == fairness:
        proven["fairness"] = True
    else:
        model = ScheduleModel(
            index,
            ModelRequest(
                objective="excess",
                base=incumbent.slot_of,
                must_place=must_place,
                min_priority=min_priority,
                fairness_bound=fairness,
                breaks_floor=breaks_floor,
                windows=WINDOWS[run.mode],
            ),
        )
        result = run.run_model(model, run.nominal_remaining() * 0.25, "fairness", incumbent.slot_of)
        if result.slot_of is not None:
            candidate = Schedule(index, result.slot_of)
            if _spread(candidate) < _spread(incumbent) and (
                candidate.placed_priority() >= placed_priority
            ):
                incumbent = candidate
        fairness_used = max(fairness, _spread(incumbent))
        proven["fairness"] = result.status == "optimal" or fairness_used == fairness
    # Stage 3a: breaks targets (prove the bound up, or reach it). When the gap is wide,
    # a first round of questions, then more annealing if they did not close it.
    target_share = TARGET_SHARE[run.mode]
    ask_targets = partial(
        _target_search,
        run,
        must_place=must_place,
        min_priority=min_priority,
        fairness_used=fairness_used,
        breaks_floor=breaks_floor,
    )
    refuted_below = False
    annealing_helps = run.mode == "fast" and all_placed and not run.previous
    if annealing_helps and incumbent.breaks_total() - lower_bound > GAP_ANNEAL_THRESHOLD:
        incumbent, lower_bound, refuted_below = ask_targets(
            incumbent,
            lower_bound,
            run.nominal_remaining() * GAP_FIRST_TARGET_SHARE,
            may_split=False,
            first_slice=GAP_FIRST_SLICE,
        )
    if annealing_helps and incumbent.breaks_total() - lower_bound > GAP_ANNEAL_THRESHOLD:
        before = incumbent.breaks_total()
        incumbent = _reanneal(
            run, incumbent, run.nominal_remaining() * GAP_ANNEAL_SHARE, anneal_rate, fairness_used
        )
        run.stats["gap_anneal"] = {
            "bound": lower_bound,
            "before": before,
            "after": incumbent.breaks_total(),
        }
        run.report("anneal", run.fraction(), objective=incumbent.breaks_total())
        target_share = GAP_TARGET_SHARE
    incumbent, lower_bound, _ = ask_targets(
        incumbent,
        lower_bound,
        run.nominal_remaining() * target_share,
        refuted_below=refuted_below,
    )
    # Stage 3b: breaks, first by annealing again (fast mode), then the optimisation model.
    if annealing_helps and incumbent.breaks_total() > lower_bound:
        incumbent = _reanneal(
            run,
            incumbent,
            run.nominal_remaining() * POST_TARGET_ANNEAL_SHARE,
            anneal_rate,
            fairness_used,
            seed_offset=2,
        )
    reserve = 0.25 if run.previous else 0.0
    breaks = incumbent.breaks_total()
    if breaks > lower_bound:
        model = ScheduleModel(
            index,
            ModelRequest(
                objective="breaks",
                base=incumbent.slot_of,
                must_place=must_place,
                min_priority=min_priority,
                fairness_bound=fairness_used,
                breaks_floor=breaks_floor,
                windows=WINDOWS[run.mode],
            ),
        )
        result = run.run_model(
            model, run.nominal_remaining() * (1 - reserve), "breaks", incumbent.slot_of
        )
        if result.slot_of is not None:
            candidate = Schedule(index, result.slot_of)
            if _improves(candidate, incumbent, fairness_used):
                incumbent = candidate
        if result.bound is not None:
            lower_bound = max(lower_bound, _ceil(result.bound) + model.constant_breaks)
        if result.status == "infeasible":
            lower_bound = incumbent.breaks_total()
    lower_bound = min(lower_bound, incumbent.breaks_total())
    proven["breaks"] = incumbent.breaks_total() <= lower_bound
    # Stage 4: moves.
    if run.previous:
        incumbent, proven["moves"] = _minimise_moves(
            run, incumbent, must_place, min_priority, fairness_used
        )
    status: Literal["optimal", "feasible"] = "optimal" if all(proven.values()) else "feasible"
    run.stats["proven"] = proven
    return _Outcome(incumbent.slot_of, status, lower_bound, priority_bound, fairness_used)


def _target_search(
    run: _Run,
    incumbent: Schedule,
    lower_bound: int,
    budget: float,
    *,
    must_place: set[int],
    min_priority: int | None,
    fairness_used: int,
    breaks_floor: dict[int, int],
    refuted_below: bool = False,
    may_split: bool = True,
    first_slice: float = TARGET_FIRST_SLICE,
) -> tuple[Schedule, int, bool]:
    """Ask, for ``target`` = the lower bound, then one more, ...: is there a schedule
    with at most ``target`` breaks (keeping the earlier stages' optima)?

    Each question is a satisfaction model (no objective) solved by one CP-SAT worker
    without linear relaxation: clause learning settles these fast where the
    optimisation model's search and bound both stall. "Infeasible" proves the bound
    up by one; a schedule found has breaks equal to the bound, so it is optimal. An
    open question whose slack over the participant floors is between 1 and
    :data:`SPLIT_MAX_SLACK`, and whose target minus one was refuted (here, or in an
    earlier round: ``refuted_below``), is first asked whole for one slice
    (:data:`SPLIT_AFTER_OPEN`), then split into cases by the participants that exceed
    their floor (:func:`_split_target`); a question with no slack holds every
    participant at its floor, so those at 0 get the single-window encoding and those
    at 1 the two-block one;
    other open questions are retried with the next seed and twice the work (restarts:
    the time to a "yes" varies widely between seeds). The stage stops at the first
    question left open when its ``budget`` (nominal seconds) runs out; the breaks
    optimisation then continues from the incumbent. Without ``may_split`` open
    questions are only retried. Each attempt asks :data:`TARGET_SEEDS` copies of the
    question side by side, with their own seeds; the first gets ``first_slice``
    nominal seconds. Returns the incumbent, the bound and whether the
    question below the bound was refuted.
    """
    index = run.index
    used = run.nominal_used
    attempt = 0
    while lower_bound < incumbent.breaks_total():
        left = budget - (run.nominal_used - used)
        if left < 0.05 or run.remaining() < 0.1:
            break
        slack = lower_bound - sum(breaks_floor.values())
        model = _question_model(
            run,
            lower_bound,
            base=incumbent.slot_of,
            must_place=must_place,
            min_priority=min_priority,
            fairness=fairness_used,
            breaks_floor=breaks_floor,
        )
        split = (
            may_split
            and refuted_below
            and 1 <= slack <= SPLIT_MAX_SLACK
            and attempt == SPLIT_AFTER_OPEN
        )
        result_status: str  # "infeasible", or a schedule found / the question still open
        if split:
            status, slot_of = _split_target(
                run,
                model,
                incumbent.slot_of,
                slack,
                breaks_floor,
                budget - (run.nominal_used - used),
            )
            run.stats.setdefault("split", []).append(
                {"target": lower_bound, "slack": slack, "outcome": status}
            )
            if status == "open":
                break
            result_status, result_slot_of = status, slot_of
        else:
            slice_ = min(left, first_slice * 2**attempt)
            copies = max(1, min(run.workers, TARGET_SEEDS))
            seeds = [run.seed + copies * attempt + i for i in range(copies)]
            results = run.ask_side_by_side(model, slice_, "target", incumbent.slot_of, seeds)
            refuted = any(r.status == "infeasible" for r in results)
            found = next((r.slot_of for r in results if r.slot_of is not None), None)
            result_status = "infeasible" if refuted else "open"
            result_slot_of = None if refuted else found
        if result_status == "infeasible":
            lower_bound += 1
            attempt = 0
            refuted_below = True
            run.report("target", run.fraction(), bound=lower_bound)
            continue
        if result_slot_of is None:
            attempt += 1  # open: ask again (split, or another seed and twice the work)
            continue
        candidate = Schedule(index, result_slot_of)
        if _improves(candidate, incumbent, fairness_used):
            incumbent = candidate
        break
    return incumbent, lower_bound, refuted_below


def _question_model(
    run: _Run,
    target: int,
    *,
    base: list[int],
    must_place: set[int],
    min_priority: int | None,
    fairness: int,
    breaks_floor: dict[int, int],
) -> ScheduleModel:
    """The satisfaction model of "at most ``target`` breaks?" (every meeting free, so no
    breaks are constant: the slack is the target over the floors). With no slack, every
    participant stays at its floor: those at 0 are one window each, those at 1 two
    blocks."""
    at_floor = target == sum(breaks_floor.values())
    return ScheduleModel(
        run.index,
        ModelRequest(
            objective="none",
            base=base,
            must_place=must_place,
            min_priority=min_priority,
            fairness_bound=fairness,
            max_breaks=target,
            breaks_floor=breaks_floor,
            windows=WINDOWS[run.mode],
            zero_breaks=frozenset(
                p for p in range(run.index.n_participants) if at_floor and p not in breaks_floor
            ),
            one_break=frozenset(p for p, f in breaks_floor.items() if at_floor and f == 1),
        ),
    )


def _split_target(
    run: _Run,
    model: ScheduleModel,
    hint: list[int],
    slack: int,
    floors: dict[int, int],
    budget: float,
) -> tuple[Literal["infeasible", "found", "open"], list[int] | None]:
    """Settle "at most ``b`` breaks?" (``model``) by cases, when "at most ``b - 1``?"
    is already refuted and ``b`` exceeds the participant floors by ``slack``.

    In a schedule with at most ``b`` breaks, the participants whose breaks exceed their
    floor, taken in a fixed order, are ``q1, q2, ...`` (at most ``slack`` of them, at
    least one since ``b - 1`` is refuted). A case ``(chosen, start, stop)`` says: the
    ``chosen`` participants (a prefix of that list) exceed their floor; the next one,
    if any, is among ``order[start:stop]``; every other participant is at its floor.
    The children of a case cover it, so when every case of a cover is infeasible the
    question is answered "no"; any case answered "yes" gives a schedule with at most
    ``b`` breaks (the total stays a constraint). Each case is the question with a few
    more bounds, which CP-SAT's presolve and search refute in a fraction of a second
    where the whole question stays open for minutes (``r2``: "at most 2 breaks?",
    66 participants that may exceed their floor). With one unit of slack and nobody
    chosen yet, the candidates are grouped by :data:`SPLIT_GROUP` (one case per group;
    a group left open is split into single participants). A case that
    cannot be split further and stays open makes the answer "open" (the other cases
    are still tried, for a schedule).

    The order puts first the participants above their floor in the ``hint`` schedule,
    then by number of meetings (:data:`SPLIT_DEGREE_ORDER`: more first), which is
    where a "yes" was met early on ``r2``.
    """
    index = run.index
    floor = {p: floors.get(p, 0) for p in model.breaks}
    hinted = Schedule(index, hint)
    # Only participants that can exceed their floor at all (k meetings: k - 1 breaks).
    parts = sorted(
        (p for p in model.breaks if len(index.meetings_of[p]) - 1 > floor[p]),
        key=lambda p: (
            -(breaks_of_mask(hinted.busy[p]) - floor[p]),
            SPLIT_DEGREE_ORDER * len(index.meetings_of[p]),
            p,
        ),
    )
    can_exceed = set(parts)
    never = frozenset(p for p in model.breaks if floor[p] == 0 and p not in can_exceed)
    used = run.nominal_used
    n = len(parts)
    stack = list(reversed(_split_children((), 0, n, slack, parts)))
    undecided = False
    threads = max(1, min(run.workers, SPLIT_THREADS))
    with ThreadPoolExecutor(max_workers=threads) as pool:
        while stack:
            left = budget - (run.nominal_used - used)
            if left < 0.05 or run.remaining() < 0.1:
                return "open", None
            # Up to ``threads`` cases from the top of the stack, solved side by side;
            # their results are then taken in stack order, so the outcome does not
            # depend on which finishes first.
            batch: list[tuple[tuple[tuple[int, ...], int, int], ScheduleModel, float]] = []
            while stack and len(batch) < threads:
                chosen, start, stop = stack.pop()
                remaining = slack - len(chosen)
                leaf = remaining == 0 or stop - start <= 1
                small = leaf or (not chosen and remaining == 1 and stop - start <= SPLIT_GROUP)
                chosen_set = set(chosen)
                caps = {p: floor[p] for p in parts if p not in chosen_set}
                caps.update({p: floor[p] + remaining for p in parts[start:stop]})
                caps.update({q: floor[q] + remaining + 1 for q in chosen})
                raised = {q: floor[q] + 1 for q in chosen}
                # Participants held at 0 breaks are encoded by their window alone (a
                # smaller model than the break literals with a cap of 0), those held at
                # a floor of 1 by their two blocks.
                zero = frozenset(p for p, cap in caps.items() if cap == 0) | never
                one = frozenset(p for p, cap in caps.items() if cap == 1 == floor[p])
                case = ScheduleModel(index, replace(model.request, zero_breaks=zero, one_break=one))
                case.add_hint(hint)
                kept = {p: c for p, c in caps.items() if p not in case.block_encoded}
                case = case.restricted(kept, raised)
                run.spend(SPLIT_CASE_OVERHEAD + len(case.x) * SPLIT_BUILD_PER_CELL)
                slice_ = min(left, SPLIT_CASE_SLICE if small else SPLIT_NODE_SLICE)
                batch.append(((chosen, start, stop), case, slice_))
            if not batch:
                continue
            futures = [pool.submit(_solve_single, run, case, slice_) for _, case, slice_ in batch]
            results = [future.result() for future in futures]
            run.charge_side_by_side(results, [slice_ for _, _, slice_ in batch])
            run.stats["split_cases"] = run.stats.get("split_cases", 0) + len(results)
            later: list[list[tuple[tuple[int, ...], int, int]]] = []
            for (node, _, _), result in zip(batch, results, strict=True):
                chosen, start, stop = node
                remaining = slack - len(chosen)
                if result.status == "infeasible":
                    continue
                if result.slot_of is not None:
                    return "found", result.slot_of
                if remaining == 0 or stop - start <= 1:
                    undecided = True  # this case stays open; others may still find one
                    continue
                later.append(_split_children(chosen, start, stop, remaining, parts))
            for children in reversed(later):
                stack.extend(reversed(children))
    return ("open" if undecided else "infeasible"), None


@dataclass
class SplitOutcome:
    """What :func:`split_question` settled: ``outcome`` is ``"infeasible"`` (the bound
    is proven up by one), ``"found"`` (``slot_of`` has at most that many breaks) or
    ``"open"``; ``cases`` counts the cases solved, ``work`` the nominal seconds used."""

    outcome: Literal["infeasible", "found", "open"]
    slot_of: list[int] | None
    cases: int
    work: float
    wall_clock_cut: bool


def split_question(
    problem: Problem,
    target: int,
    *,
    work_limit: float,
    time_limit: float,
    hint: Mapping[str, str] | None = None,
    seed: int = 0,
    mode: Mode = "fast",
) -> SplitOutcome:
    """Settle "is there a schedule that places every meeting with at most ``target``
    breaks?" by the case split alone, with its own budget. ``hint`` (meeting id to slot
    id, like ``solve``'s ``previous``) orders and hints the cases. The solver asks this
    inside its stages with what its budget leaves; this entry point is for measuring the
    split (``bench/scheduler_bound.py``) and testing it. Raises ``ValueError`` when
    ``target`` leaves no slack over the participant floors (nothing to split)."""
    index = build_index(problem)
    run = _Run.begin(index, time_limit=time_limit, work_limit=work_limit, seed=seed, mode=mode)
    floors = participant_bounds(index)
    breaks_floor = {p: f for p, f in enumerate(floors) if f > 0}
    slack = target - sum(floors)
    if slack < 1:
        raise ValueError(f"at most {target} breaks leaves no slack over the floors")
    base = [UNPLACED] * index.n_meetings
    for m, slot in _previous_positions(index, hint).items():
        base[m] = slot
    model = _question_model(
        run,
        target,
        base=base,
        must_place=set(range(index.n_meetings)),
        min_priority=None,
        fairness=problem.fairness,
        breaks_floor=breaks_floor,
    )
    outcome, slot_of = _split_target(run, model, base, slack, breaks_floor, work_limit)
    return SplitOutcome(
        outcome=outcome,
        slot_of=slot_of,
        cases=run.stats.get("split_cases", 0),
        work=run.nominal_used,
        wall_clock_cut=bool(run.stats.get("wall_clock_cut")),
    )


def _solve_single(
    run: _Run, model: ScheduleModel, budget: float, seed: int | None = None
) -> ModelResult:
    """Solve a target question or one case of a split: one CP-SAT worker, no LP,
    ``budget`` nominal seconds; touches none of the run's shared state (it may run in a
    thread beside another call)."""
    budget = max(0.05, budget)
    return model.solve(
        seed=run.seed if seed is None else seed,
        time_limit=run.remaining() if run.deterministic else min(budget, run.remaining()),
        deterministic_limit=budget * TARGET_DTIME_PER_SECOND if run.deterministic else None,
        workers=1,
        interleave=run.deterministic,
        extra=[("linearization_level", 0)],
    )


def _split_children(
    chosen: tuple[int, ...], start: int, stop: int, remaining: int, parts: list[int]
) -> list[tuple[tuple[int, ...], int, int]]:
    """Cases covering case ``(chosen, start, stop)`` with ``remaining`` slack.

    With one unit left, the next participant above its floor (if any) is one of
    ``parts[start:stop]``: groups of :data:`SPLIT_GROUP` of them when nobody is chosen
    yet, else (or when the case is already a group) single ones. With more, either
    nobody else exceeds (skipped when nobody is chosen: that is the refuted target
    minus one) or the next one is ``parts[j]``, and later ones come after it.
    """
    if remaining == 1:
        size = 1 if chosen or stop - start <= SPLIT_GROUP else SPLIT_GROUP
        return [(chosen, j, min(j + size, stop)) for j in range(start, stop, size)]
    children = [(chosen, stop, stop)] if chosen else []
    children += [((*chosen, parts[j]), j + 1, stop) for j in range(start, stop)]
    return children


def _minimise_moves(
    run: _Run,
    incumbent: Schedule,
    must_place: set[int],
    min_priority: int | None,
    fairness_used: int,
) -> tuple[Schedule, bool]:
    index = run.index
    moved_now = _count_moved(incumbent.slot_of, run.previous)
    if moved_now == 0:
        return incumbent, True
    model = ScheduleModel(
        index,
        ModelRequest(
            objective="moves",
            base=incumbent.slot_of,
            must_place=must_place,
            min_priority=min_priority,
            fairness_bound=fairness_used,
            max_breaks=incumbent.breaks_total(),
            previous=run.previous,
        ),
    )
    result = run.run_model(model, run.nominal_remaining(), "moves", incumbent.slot_of)
    if result.slot_of is not None:
        candidate = Schedule(index, result.slot_of)
        if (
            _count_moved(candidate.slot_of, run.previous) < moved_now
            and candidate.breaks_total() <= incumbent.breaks_total()
            and candidate.placed_priority() >= incumbent.placed_priority()
            and _spread(candidate) <= fairness_used
        ):
            incumbent = candidate
    return incumbent, result.status == "optimal"


def _ceil(value: float) -> int:
    rounded = round(value)
    return int(rounded) if abs(value - rounded) < 1e-6 else int(value) + (value > 0)


# ---------------------------------------------------------------- large problems
def _solve_large(run: _Run) -> _Outcome:
    """Annealing, CP-SAT neighbourhoods, annealing, and neighbourhoods for leftovers."""
    index = run.index
    rng = random.Random(run.seed)
    incumbent = _initial_schedule(run)
    priority_bound = _priority_upper_bound(index)
    fairness = index.problem.fairness
    all_placed_bound = sum(participant_bounds(index))  # cheap; computed before the search
    total = run.nominal_remaining()
    moves = int(total * ANNEAL_MOVES_PER_SECOND)
    iterations = int(total * LNS_ITERATIONS_PER_SECOND)
    incumbent = _anneal_if_better(run, incumbent, int(moves * 0.5), run.seed)
    run.report(
        "anneal",
        run.fraction(),
        objective=incumbent.breaks_total(),
        placed_priority=incumbent.placed_priority(),
    )
    incumbent = _neighbourhood_search(run, incumbent, rng, int(iterations * 0.15))
    incumbent = _anneal_if_better(
        run, incumbent, int(moves * 0.3), run.seed + 1, start_temperature=0.3
    )
    if any(s == UNPLACED and index.domain[m] for m, s in enumerate(incumbent.slot_of)):
        incumbent = _neighbourhood_search(
            run, incumbent, rng, int(iterations * 0.1), only_unplaced=True
        )
    all_placed = all(s != UNPLACED for s in incumbent.slot_of)
    lower_bound = all_placed_bound if all_placed else 0
    lower_bound = min(lower_bound, incumbent.breaks_total())
    placed = incumbent.placed_priority()
    fairness_used = max(fairness, _spread(incumbent))
    optimal = (
        placed >= priority_bound
        and incumbent.breaks_total() <= lower_bound
        and fairness_used == fairness
        and (not run.previous or _count_moved(incumbent.slot_of, run.previous) == 0)
    )
    return _Outcome(
        incumbent.slot_of,
        "optimal" if optimal else "feasible",
        lower_bound,
        priority_bound,
        fairness_used,
    )


def _reanneal(
    run: _Run,
    incumbent: Schedule,
    budget: float,
    rate: int,
    fairness_used: int,
    seed_offset: int = 1,
) -> Schedule:
    """Anneal a schedule that places everything again, from a lower temperature, for
    ``budget`` nominal seconds; keep the result only if it has fewer breaks and
    stays within ``fairness_used``."""
    candidate = _anneal_if_better(
        run,
        incumbent,
        int(budget * rate),
        run.seed + seed_offset,
        start_temperature=REANNEAL_TEMPERATURE,
        rate=rate,
    )
    return candidate if _improves(candidate, incumbent, fairness_used) else incumbent


def _improves(candidate: Schedule, incumbent: Schedule, fairness_used: int) -> bool:
    """Fewer breaks than ``incumbent``, as much placed priority, within the spread bound."""
    return (
        candidate.breaks_total() < incumbent.breaks_total()
        and candidate.placed_priority() >= incumbent.placed_priority()
        and _spread(candidate) <= fairness_used
    )


def _anneal_if_better(
    run: _Run,
    incumbent: Schedule,
    moves: int,
    seed: int,
    start_temperature: float = 0.6,
    rate: int = ANNEAL_MOVES_PER_SECOND,
) -> Schedule:
    if moves <= 0 or run.index.n_meetings == 0:
        return incumbent
    if run.remaining() <= 0.5:
        run.wall_cut()
        return incumbent
    fairness = run.index.problem.fairness
    candidate, done = anneal(
        incumbent,
        fairness_cap=fairness,
        moves=moves,
        seed=seed,
        deadline=run.deadline - 0.3,
        start_temperature=start_temperature,
        previous=run.previous or None,
    )
    if done < moves:
        run.wall_cut()
    run.spend(done / rate)
    run.stats["anneal_moves"] = run.stats.get("anneal_moves", 0) + done
    return candidate if _better(candidate, incumbent, run.previous, fairness) else incumbent


def _neighbourhood_search(
    run: _Run,
    incumbent: Schedule,
    rng: random.Random,
    budget: int,
    only_unplaced: bool = False,
) -> Schedule:
    """CP-SAT on groups of related participants, the rest of the schedule fixed.

    Runs ``budget`` neighbourhoods (each limited in conflicts, so deterministic), or
    until every meeting is placed when ``only_unplaced``.
    """
    index = run.index
    fairness = index.problem.fairness
    iterations = improvements = 0
    neighbours = _partners(index)
    while iterations < budget:
        if run.remaining() < 1.0:
            run.wall_cut()
            break
        iterations += 1
        if only_unplaced and all(
            s != UNPLACED or not index.domain[m] for m, s in enumerate(incumbent.slot_of)
        ):
            break
        focus = _pick_focus(index, incumbent, rng, 1.0 if only_unplaced else 0.8)
        if focus is None:
            break
        size = LNS_GROUP_SIZE + (min(iterations, 40) // 2 if only_unplaced else 0)
        group = _grow_group(focus, neighbours, rng, size)
        free = {
            m
            for p in group
            for m in index.meetings_of[p]
            if incumbent.slot_of[m] == UNPLACED or all(q in group for q in index.ends[m])
        }
        free |= _predecessors_of_unplaced(index, incumbent, free)
        free |= _capacity_room(index, incumbent, free, rng)
        all_placed = all(s != UNPLACED for s in incumbent.slot_of)
        request = ModelRequest(
            objective="combined",
            base=incumbent.slot_of,
            free=free,
            must_place={m for m in free if incumbent.slot_of[m] != UNPLACED}
            if all_placed
            else set(),
            fairness_bound=fairness,
            previous=run.previous or None,
        )
        model = ScheduleModel(index, request)
        model.add_hint(incumbent.slot_of)
        result = model.solve(
            seed=run.seed + iterations,
            time_limit=run.remaining(),
            deterministic_limit=None,
            workers=1,
            extra=[
                ("linearization_level", 0),
                ("max_number_of_conflicts", LNS_CONFLICTS * (3 if only_unplaced else 1)),
            ],
        )
        run.spend(1.0 / LNS_ITERATIONS_PER_SECOND)
        if result.slot_of is None:
            continue
        candidate = Schedule(index, result.slot_of)
        if _better(candidate, incumbent, run.previous, fairness):
            incumbent = candidate
            improvements += 1
        if iterations % 20 == 0:
            run.report(
                "neighbourhoods",
                run.fraction(),
                objective=incumbent.breaks_total(),
                placed_priority=incumbent.placed_priority(),
            )
    run.stats["lns_iterations"] = run.stats.get("lns_iterations", 0) + iterations
    run.stats["lns_improvements"] = run.stats.get("lns_improvements", 0) + improvements
    return incumbent


def _predecessors_of_unplaced(index: Index, schedule: Schedule, free: set[int]) -> set[int]:
    """'after' predecessors (transitively) of unplaced free meetings: they may have to
    move earlier for the meeting to fit."""
    result: set[int] = set()
    stack = [m for m in free if schedule.slot_of[m] == UNPLACED]
    while stack:
        m = stack.pop()
        for pred in index.preds[m]:
            if pred not in result and pred not in free:
                result.add(pred)
                stack.append(pred)
    return result


def _capacity_room(
    index: Index, schedule: Schedule, free: set[int], rng: random.Random
) -> set[int]:
    """Some meetings of the full slots that unplaced free meetings could use.

    Freeing them lets the neighbourhood move them elsewhere and make room: without it,
    a meeting whose only slots are full could never be placed by a small neighbourhood.
    """
    wanted: set[int] = set()
    unplaced = {m for m in free if schedule.slot_of[m] == UNPLACED}
    targets = unplaced | _predecessors_of_unplaced(index, schedule, unplaced)
    for m in targets:
        wanted.update(t for t in index.domain[m] if schedule.load[t] >= index.capacity[t])
    if not wanted:
        return set()
    candidates = [
        m
        for m, slot in enumerate(schedule.slot_of)
        if slot in wanted
        and m not in free
        and index.locked_slot[m] == UNPLACED
        and not index.preds[m]
        and not index.succs[m]
    ]
    rng.shuffle(candidates)
    return set(candidates[:LNS_CAPACITY_EXTRA])


def _key(schedule: Schedule, previous: dict[int, int], fairness: int) -> tuple[int, ...]:
    excess = max(0, _spread(schedule) - fairness)
    return (
        -schedule.placed_priority(),
        excess,
        schedule.breaks_total(),
        _count_moved(schedule.slot_of, previous) if previous else 0,
    )


def _better(
    candidate: Schedule, incumbent: Schedule, previous: dict[int, int], fairness: int
) -> bool:
    return _key(candidate, previous, fairness) <= _key(incumbent, previous, fairness)


def _partners(index: Index) -> list[list[int]]:
    result: list[list[int]] = [[] for _ in range(index.n_participants)]
    for a, b in index.ends:
        result[a].append(b)
        result[b].append(a)
    return result


def _pick_focus(
    index: Index, schedule: Schedule, rng: random.Random, unplaced_share: float = 0.8
) -> list[int] | None:
    """Participants to improve: both ends of an unplaced meeting, or one with breaks."""
    unplaced = [m for m, s in enumerate(schedule.slot_of) if s == UNPLACED and index.domain[m]]
    if unplaced and rng.random() < unplaced_share:
        return list(index.ends[rng.choice(unplaced)])
    broken = [p for p, mask in enumerate(schedule.busy) if breaks_of_mask(mask) > 0]
    if broken and rng.random() < 0.9:
        return [rng.choice(broken)]
    return [rng.randrange(index.n_participants)] if index.n_participants else None


def _grow_group(
    focus: list[int], neighbours: list[list[int]], rng: random.Random, size: int
) -> set[int]:
    group = set(focus)
    frontier = list(focus)
    while frontier and len(group) < size:
        current = frontier.pop(rng.randrange(len(frontier)))
        options = [q for q in neighbours[current] if q not in group]
        rng.shuffle(options)
        for q in options[:4]:
            if len(group) >= size:
                break
            group.add(q)
            frontier.append(q)
    return group
