"""Constructive heuristics: the first-come-first-served baseline and a packing sweep.

The *sweep* builds the schedule slot by slot. At each slot it picks meetings greedily by
a score that favours participants who were busy in the previous slot (so their block
continues), participants whose remaining meetings barely fit in their remaining slots,
and meetings with few remaining options. It gives the exact solvers a good first hint
and the large-neighbourhood search a good starting point.
"""

from __future__ import annotations

import heapq
import random
import time

from .index import Index, build_index
from .lower_bounds import participant_bounds
from .problem import Problem, Solution
from .state import UNPLACED, Schedule, to_solution


def request_order(index: Index) -> list[int]:
    """Meetings in request order, each moved after the meetings it must follow."""
    indegree = [len(p) for p in index.preds]
    ready = [m for m in range(index.n_meetings) if indegree[m] == 0]
    heapq.heapify(ready)
    order: list[int] = []
    while ready:
        m = heapq.heappop(ready)
        order.append(m)
        for succ in index.succs[m]:
            indegree[succ] -= 1
            if indegree[succ] == 0:
                heapq.heappush(ready, succ)
    return order


def place_locked(schedule: Schedule) -> list[int]:
    """Place every locked meeting at its slot; return those that could not be placed."""
    index = schedule.index
    failed = []
    locked = [m for m in request_order(index) if index.locked_slot[m] != UNPLACED]
    for m in locked:
        slot = index.locked_slot[m]
        if schedule.can_place(m, slot):
            schedule.place(m, slot)
        else:
            failed.append(m)
    return failed


def drop_orphans(schedule: Schedule) -> None:
    """Unplace meetings whose 'after' predecessors are not placed earlier."""
    index = schedule.index
    for m in index.topo_order:
        slot = schedule.slot_of[m]
        if slot == UNPLACED:
            continue
        for pred in index.preds[m]:
            if not 0 <= schedule.slot_of[pred] < slot:
                schedule.remove(m)
                break


def first_come_schedule(index: Index) -> Schedule:
    """Each meeting, in request order, into its earliest feasible slot."""
    schedule = Schedule(index)
    place_locked(schedule)
    for m in request_order(index):
        if schedule.slot_of[m] != UNPLACED:
            continue
        for slot in index.domain[m]:
            if schedule.can_place(m, slot):
                schedule.place(m, slot)
                break
    drop_orphans(schedule)
    return schedule


def greedy_first_come(problem: Problem) -> Solution:
    """First-come-first-served baseline: request order, earliest feasible slot.

    Locked meetings are placed first. The result is valid but not optimised; its
    ``lower_bound`` is the cheap participant bound, ``status`` is ``"feasible"``.
    """
    started = time.perf_counter()
    index = build_index(problem)
    schedule = first_come_schedule(index)
    placed = [m for m, s in enumerate(schedule.slot_of) if s != UNPLACED]
    bound = sum(participant_bounds(index, placed)) if len(placed) == index.n_meetings else 0
    return to_solution(
        index,
        schedule.slot_of,
        status="feasible",
        lower_bound=min(bound, schedule.breaks_total()),
        elapsed_s=time.perf_counter() - started,
        message="first-come-first-served baseline",
    )


def sweep_schedule(
    index: Index, rng: random.Random, start: Schedule | None = None, noise: float = 0.0
) -> Schedule:
    """Slot-by-slot packing heuristic (see module docstring)."""
    schedule = start.copy() if start is not None else Schedule(index)
    if start is None:
        place_locked(schedule)
    n_slots = index.n_slots
    remaining = [0] * index.n_participants
    for m, slot in enumerate(schedule.slot_of):
        if slot == UNPLACED and index.domain[m]:
            a, b = index.ends[m]
            remaining[a] += 1
            remaining[b] += 1
    unplaced = {m for m, s in enumerate(schedule.slot_of) if s == UNPLACED and index.domain[m]}
    by_slot: list[list[int]] = [[] for _ in range(n_slots)]
    for m in unplaced:
        for slot in index.domain[m]:
            by_slot[slot].append(m)
    for slot in range(n_slots):
        later_mask = ~((1 << (slot + 1)) - 1)
        scored: list[tuple[float, int]] = []
        for m in by_slot[slot]:
            if m not in unplaced or not schedule.can_place(m, slot):
                continue
            a, b = index.ends[m]
            options = (index.domain_bits[m] & later_mask).bit_count()
            score = 1.0 / (1 + options) * 4 + index.priority[m]
            for p in (a, b):
                if slot > 0 and schedule.busy[p] >> (slot - 1) & 1:
                    score += 6.0
                elif schedule.busy[p] and not schedule.busy[p] >> slot & 1:
                    score += 2.0  # resuming after a gap: close it as soon as possible
                free_after = (index.available_mask[p] & later_mask).bit_count()
                score += 3.0 * remaining[p] / (1 + free_after)
            if noise:
                score += rng.random() * noise
            scored.append((-score, m))
        scored.sort()
        for _, m in scored:
            if schedule.load[slot] >= index.capacity[slot]:
                break
            if schedule.can_place(m, slot):
                schedule.place(m, slot)
                unplaced.discard(m)
                a, b = index.ends[m]
                remaining[a] -= 1
                remaining[b] -= 1
    return schedule


def fill_unplaced(schedule: Schedule) -> None:
    """Put still-unplaced meetings anywhere they fit, highest priority first."""
    index = schedule.index
    pending = [m for m, s in enumerate(schedule.slot_of) if s == UNPLACED]
    pending.sort(key=lambda m: (-index.priority[m], len(index.domain[m]), m))
    for m in pending:
        for slot in index.domain[m]:
            if schedule.can_place(m, slot):
                schedule.place(m, slot)
                break
