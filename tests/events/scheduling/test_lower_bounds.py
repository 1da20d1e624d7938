"""The participant lower bound: exact on one participant, never above the truth."""

from __future__ import annotations

from itertools import permutations

from hypothesis import given, settings
from hypothesis import strategies as st

from puente.events.scheduling.index import breaks_of_mask
from puente.events.scheduling.lower_bounds import participant_min_breaks


def _brute_force(domains: list[int], n_slots: int) -> int | None:
    """Fewest breaks over every way to give each meeting its own slot."""
    best: int | None = None
    for slots in permutations(range(n_slots), len(domains)):
        if all(mask >> slot & 1 for mask, slot in zip(domains, slots, strict=True)):
            value = breaks_of_mask(sum(1 << slot for slot in slots))
            best = value if best is None else min(best, value)
    return best


def test_free_meetings_need_no_break() -> None:
    assert participant_min_breaks([0b11111] * 3, 5) == 0


def test_a_hole_in_availability_forces_a_break() -> None:
    # Slots 0, 1, 3, 4 open (2 is closed): four meetings need two runs.
    assert participant_min_breaks([0b11011] * 4, 5) == 1


def test_meeting_domains_are_respected() -> None:
    # One meeting only at slot 0, one only at slot 4, one anywhere: a break is forced.
    assert participant_min_breaks([0b00001, 0b10000, 0b11111], 5) == 1


def test_alternating_slots_force_many_breaks() -> None:
    assert participant_min_breaks([0b1010101] * 4, 7) == 3


@settings(max_examples=60, deadline=None)
@given(
    st.integers(2, 6).flatmap(
        lambda n: st.tuples(st.just(n), st.lists(st.integers(1, 2**n - 1), min_size=1, max_size=n))
    )
)
def test_bound_equals_brute_force(case: tuple[int, list[int]]) -> None:
    n_slots, domains = case
    truth = _brute_force(domains, n_slots)
    bound = participant_min_breaks(domains, n_slots)
    if truth is not None:  # (when they cannot all be placed the bound is never used)
        assert bound == truth
