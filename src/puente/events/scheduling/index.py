"""Integer-indexed view of a problem, shared by the heuristics and the CP-SAT models.

Slots, participants and meetings become positions ``0..n-1``; every meeting gets the
sorted list of slots it may use (its *domain*) after sessions, unavailability, fixed
slots, locks and the earliest start implied by its ``after`` chain are applied.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .problem import Problem


def breaks_of_mask(mask: int) -> int:
    """Breaks of one participant whose busy slots are the set bits of ``mask``."""
    if mask == 0:
        return 0
    blocks = (mask & ~(mask << 1)).bit_count()
    return blocks - 1


@dataclass
class Index:
    """Positions, domains and adjacency lists of a problem."""

    problem: Problem
    slot_ids: list[str]
    participant_ids: list[str]
    meeting_ids: list[str]
    capacity: list[int]
    ends: list[tuple[int, int]]
    priority: list[int]
    domain: list[list[int]]
    domain_bits: list[int]
    preds: list[list[int]]
    succs: list[list[int]]
    meetings_of: list[list[int]]
    available_mask: list[int]
    locked_slot: list[int]
    locked_table: list[int | None]
    topo_order: list[int]
    slot_pos: dict[str, int] = field(default_factory=dict)
    participant_pos: dict[str, int] = field(default_factory=dict)
    meeting_pos: dict[str, int] = field(default_factory=dict)

    @property
    def n_slots(self) -> int:
        """Number of slots."""
        return len(self.slot_ids)

    @property
    def n_participants(self) -> int:
        """Number of participants."""
        return len(self.participant_ids)

    @property
    def n_meetings(self) -> int:
        """Number of meetings."""
        return len(self.meeting_ids)


def build_index(problem: Problem) -> Index:
    """Compile a validated problem into an :class:`Index`."""
    slot_ids = [s.id for s in problem.slots]
    slot_pos = {sid: i for i, sid in enumerate(slot_ids)}
    participant_ids = [p.id for p in problem.participants]
    participant_pos = {pid: i for i, pid in enumerate(participant_ids)}
    meeting_ids = [m.id for m in problem.meetings]
    meeting_pos = {mid: i for i, mid in enumerate(meeting_ids)}
    n_slots = len(slot_ids)
    all_slots = (1 << n_slots) - 1
    open_mask = sum(1 << i for i, s in enumerate(problem.slots) if s.capacity > 0)
    available_mask = []
    for participant in problem.participants:
        blocked = sum(1 << slot_pos[sid] for sid in set(participant.unavailable))
        available_mask.append(all_slots & ~blocked & open_mask)
    session_mask: dict[str, int] = {}
    for i, slot in enumerate(problem.slots):
        if slot.session is not None:
            session_mask[slot.session] = session_mask.get(slot.session, 0) | (1 << i)
    locks = {lock.meeting: lock for lock in problem.locked}
    ends: list[tuple[int, int]] = []
    masks: list[int] = []
    locked_slot: list[int] = []
    locked_table: list[int | None] = []
    for meeting in problem.meetings:
        a, b = (participant_pos[pid] for pid in meeting.participants)
        ends.append((a, b))
        mask = available_mask[a] & available_mask[b]
        if meeting.session is not None:
            mask &= session_mask.get(meeting.session, 0)
        if meeting.fixed_slot is not None:
            mask &= 1 << slot_pos[meeting.fixed_slot]
        lock = locks.get(meeting.id)
        if lock is not None:
            mask &= 1 << slot_pos[lock.slot]
            locked_slot.append(slot_pos[lock.slot])
            locked_table.append(lock.table)
        else:
            locked_slot.append(-1)
            locked_table.append(None)
        masks.append(mask)
    preds = [[meeting_pos[mid] for mid in dict.fromkeys(m.after)] for m in problem.meetings]
    succs: list[list[int]] = [[] for _ in meeting_ids]
    for m, before in enumerate(preds):
        for p in before:
            succs[p].append(m)
    topo_order = _topological_order(preds)
    for m in topo_order:
        for p in preds[m]:
            if masks[p] == 0:
                masks[m] = 0
                break
            earliest = (masks[p] & -masks[p]).bit_length() - 1
            masks[m] &= ~((1 << (earliest + 1)) - 1)
    domain = [[s for s in range(n_slots) if mask >> s & 1] for mask in masks]
    meetings_of: list[list[int]] = [[] for _ in participant_ids]
    for m, (a, b) in enumerate(ends):
        meetings_of[a].append(m)
        meetings_of[b].append(m)
    return Index(
        problem=problem,
        slot_ids=slot_ids,
        participant_ids=participant_ids,
        meeting_ids=meeting_ids,
        capacity=[s.capacity for s in problem.slots],
        ends=ends,
        priority=[m.priority for m in problem.meetings],
        domain=domain,
        domain_bits=masks,
        preds=preds,
        succs=succs,
        meetings_of=meetings_of,
        available_mask=available_mask,
        locked_slot=locked_slot,
        locked_table=locked_table,
        topo_order=topo_order,
        slot_pos=slot_pos,
        participant_pos=participant_pos,
        meeting_pos=meeting_pos,
    )


def _topological_order(preds: list[list[int]]) -> list[int]:
    """Meetings ordered so that every meeting comes after its predecessors (stable)."""
    indegree = [len(p) for p in preds]
    succs: list[list[int]] = [[] for _ in preds]
    for m, before in enumerate(preds):
        for p in before:
            succs[p].append(m)
    order: list[int] = []
    ready = [m for m, d in enumerate(indegree) if d == 0]
    ready.reverse()
    while ready:
        m = ready.pop()
        order.append(m)
        for s in reversed(succs[m]):
            indegree[s] -= 1
            if indegree[s] == 0:
                ready.append(s)
    return order
