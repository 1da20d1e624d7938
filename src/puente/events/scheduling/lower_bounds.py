"""Proven lower bounds on breaks that do not need the full model.

*Participant bound.* Whatever the rest of the schedule, participant ``p`` uses exactly
one slot per placed meeting, each meeting inside its domain. So ``p`` alone needs at
least ``b`` breaks when no union of ``b`` + 1 runs of slots, of total length ``k``
(``p``'s meeting count), admits a matching of ``p``'s meetings to its slots. We try
``b = 0, 1, 2, ...`` (unions of runs enumerated in order) and check Hall's condition
with a bipartite matching; the first ``b`` that works is ``p``'s own minimum.

Summed over participants, this is a valid bound for every schedule that places all of
the meetings it is computed with.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from itertools import combinations

from .index import Index

# Stop enumerating a participant's run patterns past this many candidates; the bound
# stays valid (it is the last break count fully ruled out).
MAX_PATTERNS_PER_PARTICIPANT = 200_000


def participant_min_breaks(domains: Sequence[int], n_slots: int, cap: int | None = None) -> int:
    """Fewest breaks one participant needs for meetings with the given slot masks.

    ``domains`` holds one bit mask of allowed slots per meeting. Returns a proven lower
    bound (exact unless the enumeration budget runs out, or ``cap`` is reached).
    """
    k = len(domains)
    if k <= 1:
        return 0
    union = 0
    for mask in domains:
        union |= mask
    if any(mask == 0 for mask in domains) or union.bit_count() < k:
        return 0  # cannot place them all: the bound does not apply, stay safe
    budget = MAX_PATTERNS_PER_PARTICIPANT
    limit = k - 1 if cap is None else min(cap, k - 1)
    for breaks in range(limit + 1):
        for pattern in _run_patterns(n_slots, k, breaks + 1, union):
            budget -= 1
            if budget < 0:
                return breaks
            if _has_matching(domains, pattern):
                return breaks
    return limit


def _run_patterns(n_slots: int, length: int, runs: int, allowed: int) -> Iterator[int]:
    """Bit masks made of exactly ``runs`` maximal runs with ``length`` slots in total."""
    # Choose the run lengths (a composition of length) and the gap lengths (>= 1 inside).
    free = n_slots - length - (runs - 1)
    if free < 0:
        return
    for cuts in combinations(range(1, length), runs - 1):
        sizes = [b - a for a, b in zip((0, *cuts), (*cuts, length), strict=True)]
        # Extra idle slots distributed over runs + 1 places (before, between, after).
        for extra in _compositions(free, runs + 1):
            mask = 0
            position = extra[0]
            ok = True
            for i, size in enumerate(sizes):
                run = ((1 << size) - 1) << position
                if run & ~allowed:
                    ok = False
                    break
                mask |= run
                position += size + 1 + extra[i + 1]
            if ok:
                yield mask


def _compositions(total: int, parts: int) -> Iterator[tuple[int, ...]]:
    """All ways to write ``total`` as an ordered sum of ``parts`` non-negative ints."""
    for bars in combinations(range(total + parts - 1), parts - 1):
        previous = -1
        values = []
        for bar in bars:
            values.append(bar - previous - 1)
            previous = bar
        values.append(total + parts - 1 - previous - 1)
        yield tuple(values)


def _has_matching(domains: Sequence[int], pattern: int) -> bool:
    """Whether every meeting gets its own slot of ``pattern`` within its domain."""
    owner: dict[int, int] = {}
    order = sorted(range(len(domains)), key=lambda i: (domains[i] & pattern).bit_count())
    return all(_augment(meeting, domains, pattern, owner, set()) for meeting in order)


def _augment(
    meeting: int, domains: Sequence[int], pattern: int, owner: dict[int, int], seen: set[int]
) -> bool:
    options = domains[meeting] & pattern
    while options:
        low = options & -options
        options ^= low
        slot = low.bit_length() - 1
        if slot in seen:
            continue
        seen.add(slot)
        holder = owner.get(slot)
        if holder is None or _augment(holder, domains, pattern, owner, seen):
            owner[slot] = meeting
            return True
    return False


def participant_bounds(index: Index, meetings: Sequence[int] | None = None) -> list[int]:
    """Own minimum breaks of every participant when all ``meetings`` are placed."""
    chosen = range(index.n_meetings) if meetings is None else meetings
    domains: list[list[int]] = [[] for _ in range(index.n_participants)]
    for m in chosen:
        a, b = index.ends[m]
        domains[a].append(index.domain_bits[m])
        domains[b].append(index.domain_bits[m])
    return [participant_min_breaks(d, index.n_slots) for d in domains]
