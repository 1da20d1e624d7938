"""Mutable schedule used by the heuristics, and conversion to a :class:`Solution`."""

from __future__ import annotations

from .index import Index, breaks_of_mask
from .problem import Assignment, Solution, Status

UNPLACED = -1


class Schedule:
    """Slot per meeting plus the derived busy masks and slot loads, kept in sync."""

    def __init__(self, index: Index, slot_of: list[int] | None = None) -> None:
        self.index = index
        self.slot_of = [UNPLACED] * index.n_meetings
        self.busy = [0] * index.n_participants
        self.load = [0] * index.n_slots
        if slot_of is not None:
            for meeting, slot in enumerate(slot_of):
                if slot != UNPLACED:
                    self.place(meeting, slot)

    def copy(self) -> Schedule:
        """An independent copy."""
        other = Schedule.__new__(Schedule)
        other.index = self.index
        other.slot_of = list(self.slot_of)
        other.busy = list(self.busy)
        other.load = list(self.load)
        return other

    def place(self, meeting: int, slot: int) -> None:
        """Put an unplaced meeting into ``slot`` (no feasibility check)."""
        a, b = self.index.ends[meeting]
        bit = 1 << slot
        self.slot_of[meeting] = slot
        self.busy[a] |= bit
        self.busy[b] |= bit
        self.load[slot] += 1

    def remove(self, meeting: int) -> None:
        """Take a placed meeting out."""
        slot = self.slot_of[meeting]
        a, b = self.index.ends[meeting]
        bit = ~(1 << slot)
        self.slot_of[meeting] = UNPLACED
        self.busy[a] &= bit
        self.busy[b] &= bit
        self.load[slot] -= 1

    def can_place(self, meeting: int, slot: int) -> bool:
        """Whether an unplaced meeting fits ``slot`` without breaking any hard rule."""
        index = self.index
        if self.load[slot] >= index.capacity[slot]:
            return False
        a, b = index.ends[meeting]
        bit = 1 << slot
        if (self.busy[a] | self.busy[b]) & bit:
            return False
        if not index.domain_bits[meeting] >> slot & 1:
            return False
        return self.order_allows(meeting, slot)

    def order_allows(self, meeting: int, slot: int) -> bool:
        """'after' rules: placed predecessors earlier, placed successors later."""
        slot_of = self.slot_of
        for pred in self.index.preds[meeting]:
            if not 0 <= slot_of[pred] < slot:
                return False
        return all(
            slot_of[succ] == UNPLACED or slot_of[succ] > slot for succ in self.index.succs[meeting]
        )

    def breaks_total(self) -> int:
        """Total breaks over all participants."""
        return sum(breaks_of_mask(mask) for mask in self.busy)

    def breaks_spread(self) -> int:
        """Largest difference of breaks between two participants."""
        values = [breaks_of_mask(mask) for mask in self.busy]
        return max(values) - min(values) if values else 0

    def placed_priority(self) -> int:
        """Total priority of the placed meetings."""
        priority = self.index.priority
        return sum(priority[m] for m, s in enumerate(self.slot_of) if s != UNPLACED)


def assign_tables(
    index: Index, slot_of: list[int], preferred: dict[int, int] | None = None
) -> list[int]:
    """Table number per meeting (0 when unplaced), distinct within each slot.

    Locked tables are kept, then ``preferred`` tables (e.g. from a previous schedule)
    when still free, then the lowest free table in meeting order.
    """
    preferred = preferred or {}
    tables = [0] * index.n_meetings
    taken: list[set[int]] = [set() for _ in range(index.n_slots)]
    for meeting, slot in enumerate(slot_of):
        locked = index.locked_table[meeting]
        if slot != UNPLACED and locked is not None and index.locked_slot[meeting] == slot:
            tables[meeting] = locked
            taken[slot].add(locked)
    for meeting, slot in enumerate(slot_of):
        wish = preferred.get(meeting)
        if slot == UNPLACED or tables[meeting] or wish is None:
            continue
        if 1 <= wish <= index.capacity[slot] and wish not in taken[slot]:
            tables[meeting] = wish
            taken[slot].add(wish)
    next_free = [1] * index.n_slots
    for meeting, slot in enumerate(slot_of):
        if slot == UNPLACED or tables[meeting]:
            continue
        table = next_free[slot]
        while table in taken[slot]:
            table += 1
        tables[meeting] = table
        taken[slot].add(table)
        next_free[slot] = table + 1
    return tables


def to_solution(
    index: Index,
    slot_of: list[int],
    *,
    status: Status,
    lower_bound: int,
    elapsed_s: float,
    priority_upper_bound: int | None = None,
    fairness_used: int | None = None,
    moved: int | None = None,
    preferred_tables: dict[int, int] | None = None,
    message: str = "",
) -> Solution:
    """Package a slot-per-meeting vector as a :class:`Solution` with tables."""
    tables = assign_tables(index, slot_of, preferred_tables)
    assignments = [
        Assignment(meeting=index.meeting_ids[m], slot=index.slot_ids[s], table=tables[m])
        for m, s in sorted(enumerate(slot_of), key=lambda item: (item[1], tables[item[0]]))
        if s != UNPLACED
    ]
    unscheduled = [index.meeting_ids[m] for m, s in enumerate(slot_of) if s == UNPLACED]
    schedule = Schedule(index, slot_of)
    per_participant = {
        pid: breaks_of_mask(schedule.busy[p]) for p, pid in enumerate(index.participant_ids)
    }
    fairness = index.problem.fairness
    return Solution(
        status=status,
        assignments=assignments,
        unscheduled=unscheduled,
        breaks_total=sum(per_participant.values()),
        breaks_per_participant=per_participant,
        lower_bound=lower_bound,
        elapsed_s=elapsed_s,
        placed_priority=schedule.placed_priority(),
        priority_upper_bound=(
            priority_upper_bound if priority_upper_bound is not None else sum(index.priority)
        ),
        fairness_requested=fairness,
        fairness_used=fairness if fairness_used is None else fairness_used,
        moved=moved,
        message=message,
    )
