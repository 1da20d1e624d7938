"""Time-indexed CP-SAT model of the scheduling problem (full problem or a neighbourhood).

Variables: ``x[m, t]`` is true when meeting ``m`` sits in slot ``t`` (only slots of its
domain get a variable). ``busy[p, t]`` is the sum of the ``x`` of ``p``'s meetings at
``t`` (so at most one meeting per participant and slot). ``start[p, t]`` is true when
``p`` is busy at ``t`` but not at ``t - 1``: the number of busy *blocks* of ``p`` is the
sum of its starts and ``breaks[p] = blocks[p] - 1`` when ``p`` has any meeting. Starts
are defined exactly (both directions), so every stage's optimum is the true value.
Redundant constraints (windows, slot loads, caps) only help the search.

A model can fix every meeting outside a *free* set at its current slot; the heuristics
use this for large-neighbourhood search on instances too big for one model.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Literal, TypeAlias

from ortools.sat.python import cp_model

from .index import Index, breaks_of_mask
from .state import UNPLACED

Objective = Literal["priority", "excess", "breaks", "moves", "combined", "none"]
Literal_: TypeAlias = "cp_model.IntVar | int"

ProgressHook = Callable[[float, float], None]

#: State the tables on the ``busy`` literals too (:meth:`ScheduleModel._add_slot_loads`);
#: tests turn it off to check that it never changes an optimum.
SLOT_LOADS = True
#: Most two-block patterns one participant held at one break may get (a participant
#: with ``k`` meetings over ``n`` slots has at most ``(k - 1)(n - k)(n - k + 1) / 2``:
#: under 800 on the realistic instances); above it, it keeps its break literals.
MAX_BLOCK_PATTERNS = 6000


@dataclass
class ModelRequest:
    """What to optimise and under which side constraints.

    ``base`` is the current slot per meeting: it fixes meetings outside ``free`` and is
    the search hint (``objective="none"`` builds a satisfaction model: only the side
    constraints). ``must_place`` meetings must be placed. ``min_priority`` keeps the
    first objective, ``fairness_bound`` caps the breaks spread (``excess`` adds a
    variable on top of it), ``max_breaks`` keeps the second objective, ``previous`` maps
    meetings to the slot they had before (for the ``moves`` objective).
    ``zero_breaks`` and ``one_break`` participants are held at exactly 0 and exactly 1
    break, encoded by the blocks of slots they can be busy in (one block, two blocks:
    :meth:`ScheduleModel._add_blocks`) instead of break literals.
    """

    objective: Objective
    base: list[int]
    free: set[int] | None = None
    must_place: set[int] = field(default_factory=set)
    min_priority: int | None = None
    fairness_bound: int | None = None
    max_breaks: int | None = None
    previous: dict[int, int] | None = None
    breaks_floor: dict[int, int] = field(default_factory=dict)
    counted: set[int] | None = None
    relax_outside_order: bool = False
    windows: bool = False
    zero_breaks: frozenset[int] = frozenset()
    one_break: frozenset[int] = frozenset()


@dataclass
class ModelResult:
    """Outcome of one CP-SAT run."""

    status: Literal["optimal", "feasible", "infeasible", "unknown"]
    slot_of: list[int] | None
    objective: float | None
    bound: float | None
    wall_time: float
    deterministic_time: float


class ScheduleModel:
    """CP-SAT model for one :class:`ModelRequest`."""

    def __init__(self, index: Index, request: ModelRequest) -> None:
        self.index = index
        self.request = request
        self.model = cp_model.CpModel()
        self.x: dict[tuple[int, int], cp_model.IntVar] = {}
        self.hint_ok = True
        base = request.base
        n = index.n_meetings
        self.free = list(range(n)) if request.free is None else sorted(request.free)
        free_set = set(self.free)
        self._free_set = free_set
        self.fixed_busy = [0] * index.n_participants
        self.fixed_load = [0] * index.n_slots
        for m in range(n):
            if m not in free_set and base[m] != UNPLACED:
                a, b = index.ends[m]
                self.fixed_busy[a] |= 1 << base[m]
                self.fixed_busy[b] |= 1 << base[m]
                self.fixed_load[base[m]] += 1
        self._build_assignment(free_set)
        self._build_participants()
        self._build_objective()

    # ------------------------------------------------------------------ building
    def _free_domain(self, m: int, free_set: set[int]) -> tuple[list[int], bool]:
        """Slots left for free meeting ``m`` and whether it must be placed."""
        index = self.index
        base = self.request.base
        a, b = index.ends[m]
        mask = index.domain_bits[m] & ~(self.fixed_busy[a] | self.fixed_busy[b])
        must = m in self.request.must_place
        relax = self.request.relax_outside_order
        for pred in index.preds[m]:
            if pred in free_set or relax:
                continue
            if base[pred] == UNPLACED:
                mask = 0
            else:
                mask &= ~((1 << (base[pred] + 1)) - 1)
        for succ in index.succs[m]:
            if succ in free_set or relax or base[succ] == UNPLACED:
                continue
            must = True
            mask &= (1 << base[succ]) - 1
        slots = [t for t in range(index.n_slots) if mask >> t & 1]
        return slots, must

    def _build_assignment(self, free_set: set[int]) -> None:
        index = self.index
        model = self.model
        base = self.request.base
        self.placed: dict[int, cp_model.LinearExprT] = {}
        per_slot: list[list[cp_model.IntVar]] = [[] for _ in range(index.n_slots)]
        for m in self.free:
            slots, must = self._free_domain(m, free_set)
            xs = []
            for t in slots:
                var = model.new_bool_var(f"x_{m}_{t}")
                self.x[(m, t)] = var
                xs.append(var)
                per_slot[t].append(var)
            if must:
                if not xs:
                    model.add_bool_or([])  # infeasible on purpose
                else:
                    model.add_exactly_one(xs)
            elif xs:
                model.add_at_most_one(xs)
            self.placed[m] = cp_model.LinearExpr.sum(xs) if xs else 0
            if base[m] != UNPLACED and base[m] not in slots:
                self.hint_ok = False
        for t, xs in enumerate(per_slot):
            room = index.capacity[t] - self.fixed_load[t]
            if len(xs) > room:
                model.add(cp_model.LinearExpr.sum(xs) <= room)
        for m in self.free:
            for pred in index.preds[m]:
                if pred not in free_set:
                    continue
                for t in range(index.n_slots):
                    found = self.x.get((m, t))
                    if found is None:
                        continue
                    var = found
                    earlier = [self.x[(pred, u)] for u in range(t) if (pred, u) in self.x]
                    if earlier:
                        model.add_bool_or([*earlier, var.Not()])
                    else:
                        model.add(var == 0)

    def _build_participants(self) -> None:
        index = self.index
        model = self.model
        n_slots = index.n_slots
        touched: dict[int, list[list[cp_model.IntVar]]] = {}
        for (m, t), var in self.x.items():
            for p in index.ends[m]:
                touched.setdefault(p, [[] for _ in range(n_slots)])[t].append(var)
        self.touched = sorted(touched)
        self.constant_breaks = 0
        self.constant_break_values: list[int] = []
        touched_set = set(self.touched)
        for p in range(index.n_participants):
            if p not in touched_set:
                value = breaks_of_mask(self.fixed_busy[p])
                self.constant_breaks += value
                self.constant_break_values.append(value)
        self.busy: dict[tuple[int, int], Literal_] = {}
        self.block_encoded: set[int] = set()  # held participants encoded by their blocks
        self.starts: dict[int, list[Literal_]] = {}
        self.any_meeting: dict[int, Literal_] = {}
        self.breaks: dict[int, cp_model.LinearExprT] = {}
        forced = self._participants_with_forced_meeting()
        for p in self.touched:
            column = touched[p]
            busy: list[Literal_] = []
            for t in range(n_slots):
                if self.fixed_busy[p] >> t & 1:
                    busy.append(1)
                elif not column[t]:
                    busy.append(0)
                elif len(column[t]) == 1:
                    busy.append(column[t][0])
                else:
                    var = model.new_bool_var(f"busy_{p}_{t}")
                    model.add(cp_model.LinearExpr.sum(column[t]) == var)
                    busy.append(var)
                self.busy[(p, t)] = busy[t]
            held = 0 if p in self.request.zero_breaks else None
            if p in self.request.one_break:
                held = 1
            if held is not None and self._add_blocks(p, busy, held + 1):
                self.block_encoded.add(p)
                self.starts[p] = []
                self.any_meeting[p] = 1
                self.breaks[p] = cp_model.LinearExpr.sum([]) + held
                continue
            starts = self._break_literals(p, busy)
            self.starts[p] = starts
            if self.fixed_busy[p] or p in forced:
                any_meeting: Literal_ = 1
            else:
                any_var = model.new_bool_var(f"any_{p}")
                literals = [b for b in busy if not isinstance(b, int)]
                model.add_max_equality(any_var, literals)
                any_meeting = any_var
            self.any_meeting[p] = any_meeting
            self.breaks[p] = cp_model.LinearExpr.sum(starts)
            floor = self.request.breaks_floor.get(p, 0)
            if floor > 0:
                model.add(self.breaks[p] >= floor)
            elif self.request.windows:
                self._add_windows(p, busy)
        if SLOT_LOADS:
            self._add_slot_loads()

    def _add_slot_loads(self) -> None:
        """Redundant constraints: at most ``2 x capacity`` participants are busy in a slot.

        Every meeting in a slot makes its two participants busy, so this follows from the
        tables, but stated on the ``busy`` literals it propagates as soon as enough
        participants are known to be busy at ``t`` (a window chosen, say), before it is
        known which of their meetings they hold there. Where the tables are tight this is
        what refutes low break targets and finds schedules at them: on ``r3`` "at most 2
        breaks?" went from open after 60 s (one worker) to refuted in 0.4 s and "at most
        3?" from open (124 cases) to answered in 2-3 s. Added only where it can bind.
        """
        index = self.index
        touched = set(self.touched)
        for t in range(index.n_slots):
            bit = 1 << t
            fixed = sum(
                1
                for p in range(index.n_participants)
                if p not in touched and self.fixed_busy[p] & bit
            )
            literals: list[cp_model.IntVar] = []
            for p in self.touched:
                lit = self.busy[(p, t)]
                if isinstance(lit, int):
                    fixed += lit
                else:
                    literals.append(lit)
            room = 2 * index.capacity[t] - fixed
            if len(literals) > room:
                self.model.add(cp_model.LinearExpr.sum(literals) <= room)

    def _break_literals(self, p: int, busy: list[Literal_]) -> list[Literal_]:
        """Literals true at each slot where a busy block of ``p`` ends and another follows.

        ``later[t]`` is "busy at some slot >= t"; a break ends at ``t`` when ``p`` is busy
        at ``t``, idle at ``t + 1`` and busy later. All links are equivalences, so the
        count is exact in both directions.
        """
        model = self.model
        n_slots = self.index.n_slots
        later: list[Literal_] = [0] * (n_slots + 1)
        for t in range(n_slots - 1, -1, -1):
            now, nxt = busy[t], later[t + 1]
            if (isinstance(now, int) and now == 1) or (isinstance(nxt, int) and nxt == 1):
                later[t] = 1
            elif isinstance(now, int):
                later[t] = nxt
            elif isinstance(nxt, int):
                later[t] = now
            else:
                var = model.new_bool_var(f"later_{p}_{t}")
                model.add_bool_or([now, nxt, var.Not()])
                model.add_implication(now, var)
                model.add_implication(nxt, var)
                later[t] = var
        result: list[Literal_] = []
        for t in range(n_slots - 2):
            now, idle_next, rest = busy[t], busy[t + 1], later[t + 2]
            if (
                (isinstance(now, int) and now == 0)
                or (isinstance(idle_next, int) and idle_next == 1)
                or (isinstance(rest, int) and rest == 0)
            ):
                continue
            parts = [lit for lit in (now, rest) if not isinstance(lit, int)]
            negs: list[cp_model.IntVar] = [] if isinstance(idle_next, int) else [idle_next]
            if not parts and not negs:
                result.append(1)
                continue
            var = model.new_bool_var(f"break_{p}_{t}")
            model.add_bool_or([var, *(lit.Not() for lit in parts), *negs])
            for lit in parts:
                model.add_implication(var, lit)
            for lit in negs:
                model.add_implication(var, lit.Not())
            result.append(var)
        return result

    def _add_windows(self, p: int, busy: list[Literal_]) -> None:
        """Redundant constraints: ``p`` has no break exactly when its busy slots form one
        window of ``k`` consecutive slots (``k`` = its meetings, all of which must be placed).

        ``gap[p]`` is true when ``p`` has at least one break; otherwise one window
        literal ``w[p, s]`` is true and fixes every ``busy[p, t]`` (busy inside
        ``s .. s + k - 1``, idle outside). This states the zero-break case as a single
        decision, so the search (and the core-based bound) reason about whole windows
        instead of slot-by-slot links. Skipped when ``p`` has a meeting that may stay
        unplaced (``k`` is not known then).
        """
        model = self.model
        n_slots = self.index.n_slots
        k = self._meeting_count(p)
        if k is None or k < 2:
            return
        model.add(cp_model.LinearExpr.sum(busy) == k)
        windows: list[cp_model.IntVar] = []
        for s in self._window_starts(p, busy, k):
            var = model.new_bool_var(f"window_{p}_{s}")
            for t in range(n_slots):
                lit = busy[t]
                if isinstance(lit, int):
                    continue
                if s <= t < s + k:
                    model.add_implication(var, lit)
                else:
                    model.add_implication(var, lit.Not())
            windows.append(var)
        gap = model.new_bool_var(f"gap_{p}")
        model.add_exactly_one([*windows, gap])
        model.add(self.breaks[p] >= 1).only_enforce_if(gap)

    def _meeting_count(self, p: int) -> int | None:
        """Meetings ``p`` will have (fixed ones plus free ones that must be placed), or
        None when one of its free meetings may stay unplaced."""
        k = self.fixed_busy[p].bit_count()
        must = self.request.must_place
        free_set = self._free_set
        for m in self.index.meetings_of[p]:
            if m in free_set:
                if m not in must:
                    return None
                k += 1
        return k

    def _window_starts(self, p: int, busy: list[Literal_], k: int) -> list[int]:
        """First slots of the windows of ``k`` consecutive slots ``p`` could be busy in:
        none of them closed to ``p``, and every slot ``p`` is already fixed in inside."""
        return [
            s
            for s in range(self.index.n_slots - k + 1)
            if not any(isinstance(busy[t], int) and busy[t] == 0 for t in range(s, s + k))
            and not self.fixed_busy[p] & ~(((1 << k) - 1) << s)
        ]

    def _add_blocks(self, p: int, busy: list[Literal_], blocks: int) -> bool:
        """Encode "``p`` has exactly ``blocks - 1`` breaks" (1 or 2 blocks) by its blocks.

        Exactly one pattern literal is true (one window of ``k`` consecutive slots, or two
        blocks of ``k`` slots in all with an idle run between them), and ``busy[p, t]`` is
        true exactly when ``t`` lies in the chosen pattern; no break literals are made for
        ``p``, whose breaks are the constant ``blocks - 1``. Patterns that use a slot
        closed to ``p`` or miss a slot it is fixed in are left out. Returns False
        (nothing added) when ``p`` has a meeting that may stay unplaced (its number of
        meetings, so its patterns, is not known), or when two blocks would need more
        than :data:`MAX_BLOCK_PATTERNS` patterns.
        """
        k = self._meeting_count(p)
        if k is None:
            return False
        n_slots = self.index.n_slots
        if blocks == 1 and k <= 1:
            return True
        patterns = (
            [((1 << k) - 1) << s for s in self._window_starts(p, busy, k)]
            if blocks == 1
            else self._two_block_patterns(p, busy, k)
        )
        if patterns is None:
            return False
        model = self.model
        chosen: list[cp_model.IntVar] = []
        covering: list[list[cp_model.IntVar]] = [[] for _ in range(n_slots)]
        for mask in patterns:
            var = model.new_bool_var(f"pattern_{p}_{mask}")
            chosen.append(var)
            for t in range(n_slots):
                if mask >> t & 1:
                    covering[t].append(var)
        model.add_exactly_one(chosen)
        for t in range(n_slots):
            lit = busy[t]
            if isinstance(lit, int):
                continue
            if covering[t]:
                model.add(lit == cp_model.LinearExpr.sum(covering[t]))
            else:
                model.add(lit == 0)
        return True

    def _two_block_patterns(self, p: int, busy: list[Literal_], k: int) -> list[int] | None:
        """Bit masks of the ``k`` slots of two blocks with an idle run between them that
        ``p`` could be busy in (None when there are more than :data:`MAX_BLOCK_PATTERNS`)."""
        n_slots = self.index.n_slots
        closed = 0
        for t in range(n_slots):
            if isinstance(busy[t], int) and busy[t] == 0:
                closed |= 1 << t
        fixed = self.fixed_busy[p]
        patterns: list[int] = []
        for first in range(1, k):
            head, tail = (1 << first) - 1, (1 << (k - first)) - 1
            for a in range(n_slots - k):
                for b in range(a + first + 1, n_slots - (k - first) + 1):
                    mask = head << a | tail << b
                    if mask & closed or fixed & ~mask:
                        continue
                    patterns.append(mask)
                    if len(patterns) > MAX_BLOCK_PATTERNS:
                        return None
        return patterns

    def _participants_with_forced_meeting(self) -> set[int]:
        result: set[int] = set()
        for m in self.request.must_place:
            result.update(self.index.ends[m])
        return result

    def _build_objective(self) -> None:
        model = self.model
        request = self.request
        index = self.index
        lin = cp_model.LinearExpr
        free_priority = lin.weighted_sum(
            [self.placed[m] for m in self.free], [index.priority[m] for m in self.free]
        )
        counted = request.counted
        breaks_sum = lin.sum(
            [expr for p, expr in self.breaks.items() if counted is None or p in counted]
        )
        self.total_breaks = breaks_sum + self.constant_breaks
        if request.min_priority is not None:
            model.add(free_priority + self._fixed_priority() >= request.min_priority)
        if request.max_breaks is not None:
            model.add(self.total_breaks <= request.max_breaks)
            self._cap_participants(request.max_breaks)
        self.excess: cp_model.IntVar | None = None
        if request.fairness_bound is not None or request.objective == "excess":
            self._build_fairness()
        moved = self._moved_terms()
        if request.objective == "priority":
            model.maximize(free_priority)
        elif request.objective == "excess":
            assert self.excess is not None
            model.minimize(self.excess)
        elif request.objective == "breaks":
            model.minimize(breaks_sum)
        elif request.objective == "moves":
            model.minimize(lin.sum(moved))
        elif request.objective == "none":
            pass  # a satisfaction model: the side constraints are the question
        else:
            breaks_weight = len(moved) + 1
            excess_weight = breaks_weight * (len(self.touched) * index.n_slots + 1)
            priority_weight = excess_weight * (index.n_slots + 1)
            excess = self.excess if self.excess is not None else 0
            model.minimize(
                breaks_weight * breaks_sum
                + lin.sum(moved)
                + excess_weight * excess
                - priority_weight * free_priority
            )

    def _cap_participants(self, max_breaks: int) -> None:
        """Redundant caps: with at most ``max_breaks`` in total and every participant at
        or above its floor, no participant exceeds its floor by more than the slack.

        The total alone propagates only once ``max_breaks`` break literals are true;
        the caps cut each participant's breaks directly (with no slack, a participant
        with floor 0 must keep its meetings in one window).
        """
        floors = self.request.breaks_floor
        slack = max(0, self.breaks_slack(max_breaks))
        for p in self._counted_participants():
            self.model.add(self.breaks[p] <= floors.get(p, 0) + slack)

    def _counted_participants(self) -> list[int]:
        """Participants whose breaks count towards ``max_breaks``."""
        counted = self.request.counted
        return [p for p in self.breaks if counted is None or p in counted]

    def breaks_slack(self, max_breaks: int) -> int:
        """``max_breaks`` minus the constant breaks and the counted participants' floors."""
        floors = self.request.breaks_floor
        floor_sum = sum(floors.get(p, 0) for p in self._counted_participants())
        return max_breaks - self.constant_breaks - floor_sum

    def _moved_terms(self) -> list[cp_model.LinearExprT]:
        previous = self.request.previous or {}
        moved: list[cp_model.LinearExprT] = []
        for m, slot in previous.items():
            if m not in self.placed:
                continue
            var = self.x.get((m, slot))
            moved.append(1 - var if var is not None else 1)
        return moved

    def _fixed_priority(self) -> int:
        free_set = set(self.free)
        return sum(
            self.index.priority[m]
            for m, s in enumerate(self.request.base)
            if m not in free_set and s != UNPLACED
        )

    def _build_fairness(self) -> None:
        model = self.model
        n_slots = self.index.n_slots
        top = n_slots
        high = model.new_int_var(0, top, "max_breaks")
        low = model.new_int_var(0, top, "min_breaks")
        if self.constant_break_values:
            model.add(high >= max(self.constant_break_values))
            model.add(low <= min(self.constant_break_values))
        for expr in self.breaks.values():
            model.add(high >= expr)
            model.add(low <= expr)
        bound = self.request.fairness_bound or 0
        if self.request.objective in ("excess", "combined"):
            self.excess = model.new_int_var(0, top, "fairness_excess")
            model.add(high - low <= bound + self.excess)
        else:
            model.add(high - low <= bound)

    def restricted(self, caps: Mapping[int, int], raised: Mapping[int, int]) -> ScheduleModel:
        """A copy of this model with ``breaks[p] <= caps[p]`` and ``breaks[q] >= raised[q]``.

        The copy shares the variables (and the hint already given) and adds the bounds
        to a clone of the CP-SAT model, so one case of a case split (see
        ``solver._split_target``) costs no model rebuild. Participants outside this
        model's touched set are ignored (their breaks are constants).
        """
        clone = copy.copy(self)
        clone.model = self.model.clone()
        for p, cap in caps.items():
            expr = self.breaks.get(p)
            if expr is not None:
                clone.model.add(expr <= cap)
        for p, low in raised.items():
            expr = self.breaks.get(p)
            if expr is not None:
                clone.model.add(expr >= low)
        return clone

    # ------------------------------------------------------------------ solving
    def add_hint(self, slot_of: list[int]) -> None:
        """Hint every variable with the values it takes in ``slot_of``."""
        for (m, t), var in self.x.items():
            self.model.add_hint(var, slot_of[m] == t)

    def solve(
        self,
        *,
        seed: int,
        time_limit: float,
        deterministic_limit: float | None,
        workers: int = 2,
        interleave: bool = True,
        on_improvement: ProgressHook | None = None,
        extra: Iterable[tuple[str, object]] = (),
    ) -> ModelResult:
        """Run CP-SAT with a fixed seed.

        With ``interleave`` (and several workers) CP-SAT's interleaved search is used,
        which is deterministic; without it, the default parallel portfolio (stronger on
        this problem, but not reproducible).
        """
        solver = cp_model.CpSolver()
        params = solver.parameters
        params.random_seed = seed
        params.num_workers = workers
        if workers > 1 and interleave:
            params.interleave_search = True
        params.max_time_in_seconds = max(0.01, time_limit)
        if deterministic_limit is not None:
            params.max_deterministic_time = max(0.01, deterministic_limit)
        for name, value in extra:
            setattr(params, name, value)
        callback = _Callback(on_improvement) if on_improvement else None
        code = solver.solve(self.model, callback)
        status_name = {
            cp_model.OPTIMAL: "optimal",
            cp_model.FEASIBLE: "feasible",
            cp_model.INFEASIBLE: "infeasible",
        }.get(code, "unknown")
        slot_of: list[int] | None = None
        objective = bound = None
        if code in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            slot_of = list(self.request.base)
            for m in self.free:
                slot_of[m] = UNPLACED
            for (m, t), var in self.x.items():
                if solver.boolean_value(var):
                    slot_of[m] = t
            objective = solver.objective_value
            bound = solver.best_objective_bound
        elif code == cp_model.UNKNOWN and self.model.has_objective():
            bound = solver.best_objective_bound
        return ModelResult(
            status=status_name,  # type: ignore[arg-type]
            slot_of=slot_of,
            objective=objective,
            bound=bound,
            wall_time=solver.wall_time,
            deterministic_time=solver.deterministic_time,
        )


class _Callback(cp_model.CpSolverSolutionCallback):
    def __init__(self, hook: ProgressHook) -> None:
        super().__init__()
        self.hook = hook

    def on_solution_callback(self) -> None:
        self.hook(self.objective_value, self.best_objective_bound)
