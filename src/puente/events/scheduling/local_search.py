"""Simulated annealing over slot assignments, for problems too big for one CP-SAT model.

Cost = ``PLACE_WEIGHT`` x unplaced priority + ``FAIR_WEIGHT`` x breaks above the
fairness cap + total breaks. Moves, chosen around participants that have breaks or
unplaced meetings: relocate a meeting to another slot, swap the slots of two meetings,
swap two slots along a Kempe chain (the alternating path of meetings through
participants busy in both slots), insert an unplaced meeting (ejecting a blocking one,
or pulling its 'after' predecessors earlier, when needed). The number of moves
is fixed by the caller, so a run is deterministic for a given seed.
"""

from __future__ import annotations

import math
import random
import time

from .index import breaks_of_mask
from .state import UNPLACED, Schedule

PLACE_WEIGHT = 1000.0
FAIR_WEIGHT = 50.0
#: Longest alternating chain a Kempe move may swap.
KEMPE_MAX_CHAIN = 40


class Annealer:
    """Mutable search state with incremental cost updates."""

    def __init__(
        self,
        schedule: Schedule,
        fairness_cap: int,
        rng: random.Random,
        previous: dict[int, int] | None = None,
    ) -> None:
        index = schedule.index
        self.previous = previous or {}
        # Below one break in total: moves only break ties between equal break counts.
        self.move_weight = 1.0 / (len(self.previous) + 1)
        self.index = index
        self.schedule = schedule.copy()
        self.rng = rng
        self.cap = fairness_cap
        self.occupant = [[-1] * index.n_slots for _ in range(index.n_participants)]
        self.members: list[list[int]] = [[] for _ in range(index.n_slots)]
        self.position: dict[int, int] = {}
        for m, slot in enumerate(self.schedule.slot_of):
            if slot != UNPLACED:
                self._link(m, slot)
        self.unplaced = [
            m for m, s in enumerate(self.schedule.slot_of) if s == UNPLACED and index.domain[m]
        ]
        self.cost = self.total_cost()

    # ------------------------------------------------------------ bookkeeping
    def _link(self, m: int, slot: int) -> None:
        a, b = self.index.ends[m]
        self.occupant[a][slot] = m
        self.occupant[b][slot] = m
        self.position[m] = len(self.members[slot])
        self.members[slot].append(m)

    def _unlink(self, m: int, slot: int) -> None:
        a, b = self.index.ends[m]
        self.occupant[a][slot] = -1
        self.occupant[b][slot] = -1
        bucket = self.members[slot]
        pos = self.position.pop(m)
        last = bucket.pop()
        if last != m:
            bucket[pos] = last
            self.position[last] = pos

    def participant_cost(self, mask: int) -> float:
        breaks = breaks_of_mask(mask)
        return breaks + FAIR_WEIGHT * max(0, breaks - self.cap)

    def total_cost(self) -> float:
        index = self.index
        cost = sum(self.participant_cost(mask) for mask in self.schedule.busy)
        cost += PLACE_WEIGHT * sum(
            index.priority[m] for m, s in enumerate(self.schedule.slot_of) if s == UNPLACED
        )
        slot_of = self.schedule.slot_of
        cost += self.move_weight * sum(1 for m, s in self.previous.items() if slot_of[m] != s)
        return cost

    def _move_delta(self, m: int, source: int, target: int) -> float:
        before = self.previous.get(m)
        if before is None:
            return 0.0
        return self.move_weight * ((target != before) - (source != before))

    # ------------------------------------------------------------ move helpers
    def _order_ok(self, m: int, slot: int, ignore: int = -1) -> bool:
        slot_of = self.schedule.slot_of
        index = self.index
        for pred in index.preds[m]:
            if not 0 <= slot_of[pred] < slot:
                return False
        for succ in index.succs[m]:
            if succ != ignore and slot_of[succ] != UNPLACED and slot_of[succ] <= slot:
                return False
        return True

    def _accept(self, delta: float, temperature: float) -> bool:
        if delta <= 0:
            return True
        if temperature <= 0:
            return False
        return self.rng.random() < math.exp(-delta / temperature)

    def try_relocate(self, m: int, target: int, temperature: float) -> bool:
        """Move placed meeting ``m`` to the free ``target`` slot if accepted."""
        index = self.index
        schedule = self.schedule
        source = schedule.slot_of[m]
        if target == source or not index.domain_bits[m] >> target & 1:
            return False
        if schedule.load[target] >= index.capacity[target]:
            return False
        a, b = index.ends[m]
        if self.occupant[a][target] != -1 or self.occupant[b][target] != -1:
            return False
        if (index.preds[m] or index.succs[m]) and not self._order_ok(m, target):
            return False
        move = (1 << source) | (1 << target)
        busy = schedule.busy
        delta = (
            self.participant_cost(busy[a] ^ move)
            - self.participant_cost(busy[a])
            + self.participant_cost(busy[b] ^ move)
            - self.participant_cost(busy[b])
        )
        if self.previous:
            delta += self._move_delta(m, source, target)
        if not self._accept(delta, temperature):
            return False
        self._unlink(m, source)
        schedule.remove(m)
        schedule.place(m, target)
        self._link(m, target)
        self.cost += delta
        return True

    def try_swap(self, m1: int, m2: int, temperature: float) -> bool:
        """Exchange the slots of two placed meetings if feasible and accepted."""
        index = self.index
        schedule = self.schedule
        s1, s2 = schedule.slot_of[m1], schedule.slot_of[m2]
        if s1 == s2 or m1 == m2:
            return False
        if not (index.domain_bits[m1] >> s2 & 1 and index.domain_bits[m2] >> s1 & 1):
            return False
        ends1, ends2 = index.ends[m1], index.ends[m2]
        for p in ends1:
            if p not in ends2 and self.occupant[p][s2] != -1:
                return False
        for p in ends2:
            if p not in ends1 and self.occupant[p][s1] != -1:
                return False
        if index.preds[m1] or index.succs[m1] or index.preds[m2] or index.succs[m2]:
            if m2 in index.preds[m1] or m1 in index.preds[m2]:
                return False
            if not (self._order_ok(m1, s2, m2) and self._order_ok(m2, s1, m1)):
                return False
        move = (1 << s1) | (1 << s2)
        busy = schedule.busy
        delta = 0.0
        for p in set(ends1) ^ set(ends2):
            delta += self.participant_cost(busy[p] ^ move) - self.participant_cost(busy[p])
        if self.previous:
            delta += self._move_delta(m1, s1, s2) + self._move_delta(m2, s2, s1)
        if not self._accept(delta, temperature):
            return False
        self._unlink(m1, s1)
        self._unlink(m2, s2)
        schedule.remove(m1)
        schedule.remove(m2)
        schedule.place(m1, s2)
        schedule.place(m2, s1)
        self._link(m1, s2)
        self._link(m2, s1)
        self.cost += delta
        return True

    def try_kempe(self, m: int, target: int, temperature: float) -> bool:
        """Exchange slots ``source``/``target`` along the alternating chain through ``m``.

        The chain holds every meeting reachable from ``m`` through a participant busy
        in both slots, so swapping the whole chain keeps everyone single-booked.
        """
        index = self.index
        schedule = self.schedule
        source = schedule.slot_of[m]
        if source == target:
            return False
        chain = {m}
        stack = [m]
        while stack:
            current = stack.pop()
            other = target if schedule.slot_of[current] == source else source
            if not index.domain_bits[current] >> other & 1:
                return False
            if (
                index.locked_slot[current] != UNPLACED
                or index.preds[current]
                or index.succs[current]
            ):
                return False
            for p in index.ends[current]:
                nxt = self.occupant[p][other]
                if nxt != -1 and nxt not in chain:
                    if len(chain) >= KEMPE_MAX_CHAIN:
                        return False
                    chain.add(nxt)
                    stack.append(nxt)
        at_source = sum(1 for x in chain if schedule.slot_of[x] == source)
        at_target = len(chain) - at_source
        if (
            schedule.load[source] - at_source + at_target > index.capacity[source]
            or schedule.load[target] - at_target + at_source > index.capacity[target]
        ):
            return False
        move = (1 << source) | (1 << target)
        busy = schedule.busy
        touched = {p for x in chain for p in index.ends[x]}
        delta = 0.0
        for p in touched:
            if (busy[p] & move).bit_count() == 1:
                delta += self.participant_cost(busy[p] ^ move) - self.participant_cost(busy[p])
        if self.previous:
            for x in chain:
                old = schedule.slot_of[x]
                delta += self._move_delta(x, old, target if old == source else source)
        if not self._accept(delta, temperature):
            return False
        new_slot = {x: (target if schedule.slot_of[x] == source else source) for x in chain}
        for x in chain:
            self._unlink(x, schedule.slot_of[x])
            schedule.remove(x)
        for x, slot in new_slot.items():
            schedule.place(x, slot)
            self._link(x, slot)
        self.cost += delta
        return True

    def try_insert(self, m: int) -> bool:
        """Place unplaced ``m`` in the best free slot, or eject one blocking meeting."""
        index = self.index
        schedule = self.schedule
        a, b = index.ends[m]
        best: tuple[float, int] | None = None
        for slot in index.domain[m]:
            if (
                schedule.load[slot] < index.capacity[slot]
                and self.occupant[a][slot] == -1
                and self.occupant[b][slot] == -1
                and self._order_ok(m, slot)
            ):
                bit = 1 << slot
                delta = (
                    self.participant_cost(schedule.busy[a] | bit)
                    - self.participant_cost(schedule.busy[a])
                    + self.participant_cost(schedule.busy[b] | bit)
                    - self.participant_cost(schedule.busy[b])
                )
                if best is None or delta < best[0]:
                    best = (delta, slot)
        if best is not None:
            self._place_new(
                m,
                best[1],
                best[0] - PLACE_WEIGHT * index.priority[m] + self._move_delta(m, UNPLACED, best[1]),
            )
            return True
        # Eject: free one slot where exactly one meeting blocks, if that one can move.
        slots = list(index.domain[m])
        self.rng.shuffle(slots)
        for slot in slots:
            if not self._order_ok(m, slot):
                self._pull_predecessors(m, slot, depth=3)
            blockers = {self.occupant[a][slot], self.occupant[b][slot]} - {-1}
            if not blockers and self.members[slot]:  # the slot is full: free a table
                bucket = self.members[slot]
                blockers = {bucket[self.rng.randrange(len(bucket))]}
            if len(blockers) != 1 or not self._order_ok(m, slot):
                continue
            blocker = blockers.pop()
            if index.succs[blocker] or index.locked_slot[blocker] != UNPLACED:
                continue
            for other in index.domain[blocker]:
                if other != slot and self.try_relocate(blocker, other, 1e9):
                    if (
                        schedule.load[slot] < index.capacity[slot]
                        and self.occupant[a][slot] == -1
                        and self.occupant[b][slot] == -1
                    ):
                        self._place_new(m, slot, self._insert_delta(m, slot))
                        return True
                    break
        return False

    def _pull_predecessors(self, m: int, slot: int, depth: int) -> bool:
        """Move 'after' predecessors of ``m`` placed at or after ``slot`` earlier."""
        index = self.index
        slot_of = self.schedule.slot_of
        for pred in index.preds[m]:
            if 0 <= slot_of[pred] < slot:
                continue
            if slot_of[pred] == UNPLACED or index.locked_slot[pred] != UNPLACED:
                return False
            moved = False
            for target in reversed(index.domain[pred]):
                if target >= slot:
                    continue
                if depth > 1 and not self._order_ok(pred, target):
                    self._pull_predecessors(pred, target, depth - 1)
                if self.try_relocate(pred, target, 1e9):
                    moved = True
                    break
            if not moved:
                return False
        return True

    def _insert_delta(self, m: int, slot: int) -> float:
        a, b = self.index.ends[m]
        bit = 1 << slot
        busy = self.schedule.busy
        return (
            self.participant_cost(busy[a] | bit)
            - self.participant_cost(busy[a])
            + self.participant_cost(busy[b] | bit)
            - self.participant_cost(busy[b])
            - PLACE_WEIGHT * self.index.priority[m]
            + self._move_delta(m, UNPLACED, slot)
        )

    def _place_new(self, m: int, slot: int, delta: float) -> None:
        self.schedule.place(m, slot)
        self._link(m, slot)
        self.unplaced.remove(m)
        self.cost += delta

    # ------------------------------------------------------------ driver
    def step(self, temperature: float) -> None:
        """One random move around a participant with breaks (or an unplaced meeting)."""
        index = self.index
        rng = self.rng
        schedule = self.schedule
        if self.unplaced and rng.random() < 0.2:
            self.try_insert(rng.choice(self.unplaced))
            return
        p = rng.randrange(index.n_participants)
        mask = schedule.busy[p]
        if breaks_of_mask(mask) == 0 and rng.random() < 0.9:
            return
        meetings = [self.occupant[p][t] for t in range(index.n_slots) if mask >> t & 1]
        if not meetings:
            return
        m = rng.choice(meetings)
        if index.locked_slot[m] != UNPLACED:
            return
        # Prefer slots that touch another busy slot of p (closing a gap).
        near = ((mask << 1) | (mask >> 1)) & ~mask & index.domain_bits[m]
        candidates = near if near and rng.random() < 0.8 else index.domain_bits[m] & ~mask
        if not candidates:
            return
        options = [t for t in range(index.n_slots) if candidates >> t & 1]
        target = rng.choice(options)
        if self.try_relocate(m, target, temperature):
            return
        if rng.random() < 0.5:
            self.try_kempe(m, target, temperature)
            return
        a, b = index.ends[m]
        other = b if a == p else a
        blocker = self.occupant[other][target]
        if blocker == -1 and schedule.load[target] >= index.capacity[target]:
            bucket = self.members[target]
            blocker = bucket[rng.randrange(len(bucket))] if bucket else -1
        if blocker != -1 and index.locked_slot[blocker] == UNPLACED:
            self.try_swap(m, blocker, temperature)


def anneal(
    schedule: Schedule,
    *,
    fairness_cap: int,
    moves: int,
    seed: int,
    deadline: float,
    start_temperature: float = 0.6,
    end_temperature: float = 0.02,
    previous: dict[int, int] | None = None,
) -> tuple[Schedule, int]:
    """Run ``moves`` annealing steps from ``schedule``.

    Returns the best schedule seen and the number of moves done (fewer than ``moves``
    only when the wall-clock ``deadline`` passed first).

    With ``previous`` (meeting -> former slot), moving a meeting away from its former
    slot costs a little, always less than one break.
    """
    if schedule.index.n_meetings == 0:
        return schedule.copy(), moves
    annealer = Annealer(schedule, fairness_cap, random.Random(seed), previous)
    best = annealer.schedule.copy()
    best_cost = annealer.cost
    ratio = end_temperature / start_temperature
    done = 0
    for k in range(moves):
        if k % 2000 == 0:
            if time.perf_counter() > deadline:
                break
            if annealer.cost < best_cost - 1e-9:
                best, best_cost = annealer.schedule.copy(), annealer.cost
        temperature = start_temperature * ratio ** (k / max(1, moves))
        annealer.step(temperature)
        done += 1
    if annealer.cost < best_cost - 1e-9:
        best = annealer.schedule.copy()
    return best, done
