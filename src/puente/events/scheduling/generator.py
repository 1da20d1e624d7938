"""Seeded generator of realistic brokerage-event problems (for benchmarks and tests).

Requests follow a skewed popularity (a few participants - investors, anchor companies -
are asked for many meetings), some participants arrive late or leave early, a share of
meetings is restricted to the morning or the afternoon, a few carry a higher priority,
a fixed slot or an 'after' link to another meeting of the same participant.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from .problem import Meeting, Participant, Problem, Slot


@dataclass(frozen=True)
class InstanceSpec:
    """Size and shape of a generated instance."""

    name: str
    participants: int
    meetings: int
    slots: int
    tables: int
    unavailable_rate: float = 0.08
    session_rate: float = 0.15
    fixed_rate: float = 0.01
    after_rate: float = 0.02
    high_priority_rate: float = 0.1
    fairness: int = 2
    seed: int = 0


def generate(spec: InstanceSpec) -> Problem:
    """Build the problem described by ``spec`` (same spec, same problem)."""
    rng = random.Random(f"{spec.name}:{spec.seed}")
    n_slots = spec.slots
    morning = n_slots // 2
    slots = [
        Slot(id=f"s{t + 1}", session="am" if t < morning else "pm", capacity=spec.tables)
        for t in range(n_slots)
    ]
    unavailable = _unavailability(rng, spec.participants, n_slots, spec.unavailable_rate)
    participants = [
        Participant(id=f"p{i + 1}", unavailable=tuple(f"s{t + 1}" for t in sorted(blocked)))
        for i, blocked in enumerate(unavailable)
    ]
    free_slots = [n_slots - len(blocked) for blocked in unavailable]
    weight = [rng.paretovariate(1.6) for _ in range(spec.participants)]
    # Nobody is asked for more meetings than about 85% of the slots they attend.
    budget = [max(1, int(free * 0.85)) for free in free_slots]
    degree = [0] * spec.participants
    pairs: set[tuple[int, int]] = set()
    population = list(range(spec.participants))
    attempts = 0
    while len(pairs) < spec.meetings and attempts < spec.meetings * 200:
        attempts += 1
        a, b = rng.choices(population, weights=weight, k=2)
        if a == b or degree[a] >= budget[a] or degree[b] >= budget[b]:
            continue
        pair = (min(a, b), max(a, b))
        common = n_slots - len(unavailable[a] | unavailable[b])
        if pair in pairs or common == 0:
            continue
        pairs.add(pair)
        degree[a] += 1
        degree[b] += 1
    pair_list = sorted(pairs, key=lambda _: rng.random())
    meetings: list[Meeting] = []
    last_meeting_of: dict[int, str] = {}
    for k, (a, b) in enumerate(pair_list):
        blocked = unavailable[a] | unavailable[b]
        am_open = [t for t in range(morning) if t not in blocked]
        pm_open = [t for t in range(morning, n_slots) if t not in blocked]
        session: str | None = None
        roll = rng.random()
        if roll < spec.session_rate:
            if am_open and (not pm_open or rng.random() < 0.5):
                session = "am"
            elif pm_open:
                session = "pm"
        fixed: str | None = None
        if rng.random() < spec.fixed_rate:
            options = (
                am_open if session == "am" else pm_open if session == "pm" else (am_open + pm_open)
            )
            if options:
                fixed = f"s{rng.choice(options) + 1}"
        after: tuple[str, ...] = ()
        previous = last_meeting_of.get(a)
        if fixed is None and previous is not None and rng.random() < spec.after_rate:
            after = (previous,)
        priority = rng.choice((2, 3)) if rng.random() < spec.high_priority_rate else 1
        meeting_id = f"m{k + 1}"
        meetings.append(
            Meeting(
                id=meeting_id,
                participants=(f"p{a + 1}", f"p{b + 1}"),
                session=session,
                fixed_slot=fixed,
                priority=priority,
                after=after,
            )
        )
        last_meeting_of[a] = meeting_id
        last_meeting_of[b] = meeting_id
    return Problem(
        slots=tuple(slots),
        participants=tuple(participants),
        meetings=tuple(meetings),
        fairness=spec.fairness,
    )


def _unavailability(
    rng: random.Random, n_participants: int, n_slots: int, rate: float
) -> list[set[int]]:
    """Blocked slots per participant: late arrivals, early departures, single gaps."""
    target = round(rate * n_participants * n_slots)
    blocked: list[set[int]] = [set() for _ in range(n_participants)]
    total = 0
    while total < target:
        who = rng.randrange(n_participants)
        kind = rng.random()
        length = rng.randint(1, max(1, n_slots // 4))
        if kind < 0.35:
            new = set(range(length))
        elif kind < 0.7:
            new = set(range(n_slots - length, n_slots))
        else:
            new = {rng.randrange(n_slots)}
        if len(blocked[who] | new) > n_slots // 2:
            continue
        total += len(new - blocked[who])
        blocked[who] |= new
    return blocked
