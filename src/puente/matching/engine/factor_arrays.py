"""The structured factors of :mod:`puente.matching.engine.factors`, for one subject against
every item of the collection at once.

:func:`~puente.matching.engine.factors.complementarity` explains one pair in Python; ranking
100,000 candidates that way costs seconds. :class:`FactorArrays` holds every item's structured
attributes as integer codes and bit sets, and :meth:`FactorArrays.totals` returns, in a few
vectorized passes, the sum of the contributions ``complementarity`` would give each
candidate. The engine uses it to rank; it still explains the few candidates it returns with
``complementarity`` itself (a test checks that both agree on random items).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from puente.matching.engine.factors import ComplementarityWeights
from puente.matching.engine.models import Direction, Item

_NONE = -1  # no value on the item
_UNKNOWN = -2  # a subject's value no item of the collection has

_NO_DIRECTION, _REQUEST, _OFFER = 0, 1, 2


def _direction_code(direction: object) -> int:
    if not direction:
        return _NO_DIRECTION
    return _OFFER if str(direction) == Direction.OFFER.value else _REQUEST


class _Vocabulary:
    """Codes of one attribute, numbered in order of appearance."""

    def __init__(self, number: dict[str, int] | None = None) -> None:
        self.number: dict[str, int] = dict(number or {})

    def copy(self) -> _Vocabulary:
        return _Vocabulary(self.number)

    def add(self, code: str | None) -> int:
        if not code:
            return _NONE
        return self.number.setdefault(code, len(self.number))

    def find(self, code: str | None) -> int:
        if not code:
            return _NONE
        return self.number.get(code, _UNKNOWN)

    @property
    def words(self) -> int:
        """64-bit words a set of these codes needs."""
        return max(1, -(-len(self.number) // 64))


def _bit_rows(sets: Sequence[Iterable[str]], vocabulary: _Vocabulary) -> np.ndarray:
    rows: list[int] = []
    numbers: list[int] = []
    for row, codes in enumerate(sets):
        if codes:  # most items leave most sets empty
            for code in codes:
                rows.append(row)
                numbers.append(vocabulary.add(code))
    bits = np.zeros((len(sets), vocabulary.words), dtype=np.uint64)
    if rows:
        number = np.array(numbers, dtype=np.int64)
        np.bitwise_or.at(
            bits,
            (np.array(rows, dtype=np.int64), number >> 6),
            np.left_shift(np.uint64(1), (number & 63).astype(np.uint64)),
        )
    return bits


def _bits_of(codes: Iterable[str], vocabulary: _Vocabulary) -> np.ndarray:
    bits = np.zeros(vocabulary.words, dtype=np.uint64)
    for code in codes:
        number = vocabulary.number.get(code)
        if number is not None:
            bits[number >> 6] |= np.uint64(1 << (number & 63))
    return bits


def one_of(codes: np.ndarray, wanted: Iterable[int], size: int) -> np.ndarray:
    """``codes`` (numbers below ``size``, or negative for none) that are among ``wanted``:
    one table look-up per row, much faster than ``np.isin`` on large arrays."""
    table = np.zeros(size + 1, dtype=bool)  # the extra last entry answers every negative code
    for number in wanted:
        if 0 <= number < size:
            table[number] = True
    return table[np.where(codes >= 0, codes, size)]


def _has_bit(bits: np.ndarray, number: int) -> np.ndarray:
    if number < 0:
        return np.zeros(bits.shape[0], dtype=bool)
    return ((bits[:, number >> 6] >> np.uint64(number & 63)) & np.uint64(1)).astype(bool)


def _shared(bits: np.ndarray, subject_bits: np.ndarray) -> np.ndarray:
    return np.bitwise_count(bits & subject_bits).sum(axis=1, dtype=np.int64)


#: The vocabularies, in the order :meth:`FactorArrays._build` takes them.
_VOCABULARY_FIELDS = (
    "kinds",
    "stages",
    "types",
    "hubs",
    "currencies",
    "sectors_vocabulary",
    "technologies_vocabulary",
)
_ARRAY_FIELDS = (
    "kind",
    "direction",
    "organization_type",
    "accepted_types",
    "any_accepted_type",
    "sectors",
    "technologies",
    "stage",
    "accepted_stages",
    "any_accepted_stage",
    "has_amount",
    "currency",
    "amount_low",
    "amount_high",
    "hub",
    "target_hubs",
)


@dataclass
class FactorArrays:
    """Every item's structured attributes, row-aligned with the engine's vector index."""

    kinds: _Vocabulary
    stages: _Vocabulary
    types: _Vocabulary
    hubs: _Vocabulary
    currencies: _Vocabulary
    sectors_vocabulary: _Vocabulary
    technologies_vocabulary: _Vocabulary
    kind: np.ndarray
    direction: np.ndarray
    organization_type: np.ndarray
    accepted_types: np.ndarray
    any_accepted_type: np.ndarray
    sectors: np.ndarray
    technologies: np.ndarray
    stage: np.ndarray
    accepted_stages: np.ndarray
    any_accepted_stage: np.ndarray
    has_amount: np.ndarray
    currency: np.ndarray
    amount_low: np.ndarray
    amount_high: np.ndarray
    hub: np.ndarray
    target_hubs: np.ndarray

    @classmethod
    def build(cls, items: Sequence[Item]) -> FactorArrays:
        return cls._build(items, *(_Vocabulary() for _ in _VOCABULARY_FIELDS))

    @classmethod
    def _build(
        cls,
        items: Sequence[Item],
        kinds: _Vocabulary,
        stages: _Vocabulary,
        types: _Vocabulary,
        hubs: _Vocabulary,
        currencies: _Vocabulary,
        sectors: _Vocabulary,
        technologies: _Vocabulary,
    ) -> FactorArrays:
        def codes(vocabulary: _Vocabulary, values: Iterable[str | None]) -> np.ndarray:
            return np.array([vocabulary.add(value) for value in values], dtype=np.int32)

        amounts = [item.amount for item in items]
        return cls(
            kinds=kinds,
            stages=stages,
            types=types,
            hubs=hubs,
            currencies=currencies,
            sectors_vocabulary=sectors,
            technologies_vocabulary=technologies,
            kind=codes(kinds, (item.kind for item in items)),
            direction=np.array([_direction_code(i.direction) for i in items], dtype=np.int8),
            organization_type=codes(types, (item.organization_type for item in items)),
            accepted_types=_bit_rows([i.accepted_organization_types for i in items], types),
            any_accepted_type=np.array([bool(i.accepted_organization_types) for i in items]),
            sectors=_bit_rows([item.sectors for item in items], sectors),
            technologies=_bit_rows([item.technologies for item in items], technologies),
            stage=codes(stages, (item.stage for item in items)),
            accepted_stages=_bit_rows([item.accepted_stages for item in items], stages),
            any_accepted_stage=np.array([bool(item.accepted_stages) for item in items]),
            has_amount=np.array([amount is not None for amount in amounts], dtype=bool),
            currency=codes(currencies, (a.currency if a else None for a in amounts)),
            amount_low=np.array(
                [-np.inf if a is None or a.minimum is None else a.minimum for a in amounts],
                dtype=np.float64,
            ),
            amount_high=np.array(
                [np.inf if a is None or a.maximum is None else a.maximum for a in amounts],
                dtype=np.float64,
            ),
            hub=codes(hubs, (item.hub for item in items)),
            target_hubs=_bit_rows([item.target_hubs for item in items], hubs),
        )

    def __len__(self) -> int:
        return int(self.kind.shape[0])

    def with_rows(self, rows: np.ndarray, items: Sequence[Item], size: int) -> FactorArrays | None:
        """A copy grown to ``size`` rows with ``items`` written at ``rows`` (this one is left
        as it is, for readers still using it); None when a new code would need wider bit
        sets, so the caller builds afresh."""
        vocabularies = [getattr(self, name).copy() for name in _VOCABULARY_FIELDS]
        part = FactorArrays._build(items, *vocabularies)
        fields: dict[str, Any] = {}
        for name in _ARRAY_FIELDS:
            old, new = getattr(self, name), getattr(part, name)
            if old.shape[1:] != new.shape[1:]:
                return None
            grown = np.zeros((size, *old.shape[1:]), dtype=old.dtype)
            grown[: old.shape[0]] = old
            grown[rows] = new
            fields[name] = grown
        return replace(part, **fields)  # the grown vocabularies, the grown arrays

    def totals(self, subject: Item, w: ComplementarityWeights) -> np.ndarray:
        """For every row, the sum of the contributions ``complementarity(subject, row)``
        produces (0 where no factor applies)."""
        total = np.zeros(len(self), dtype=np.float64)
        self._add_kind(total, subject, w)
        self._add_overlaps(total, subject, w)
        self._add_stage_and_amount(total, subject, w)
        self._add_hubs(total, subject, w)
        self._add_organization_types(total, subject, w)
        return total

    def _add_kind(self, total: np.ndarray, subject: Item, w: ComplementarityWeights) -> None:
        direction = _direction_code(subject.direction)
        if not subject.kind or direction == _NO_DIRECTION:
            return
        same_kind = self.kind == self.kinds.find(subject.kind)
        opposite = (self.direction != _NO_DIRECTION) & (self.direction != direction)
        total += np.where(same_kind & opposite, w.complementary_kind, 0.0)
        if w.same_need:
            total += np.where(same_kind & (self.direction == direction), w.same_need, 0.0)

    def _add_overlaps(self, total: np.ndarray, subject: Item, w: ComplementarityWeights) -> None:
        for bits, vocabulary, codes, per, most in (
            (
                self.sectors,
                self.sectors_vocabulary,
                subject.sectors,
                w.per_shared_sector,
                w.max_shared_sectors,
            ),
            (
                self.technologies,
                self.technologies_vocabulary,
                subject.technologies,
                w.per_shared_technology,
                w.max_shared_technologies,
            ),
        ):
            if not codes:
                continue
            count = _shared(bits, _bits_of(codes, vocabulary))
            total += np.where(count > 0, np.minimum(most, per * count), 0.0)

    def _pairs(self, subject: Item) -> tuple[np.ndarray, bool]:
        """Rows forming an offer/request pair with the subject, and whether the subject is
        the offer (the side whose criteria apply) in those pairs."""
        if _direction_code(subject.direction) != _OFFER:
            return self.direction == _OFFER, False
        return self.direction != _OFFER, True

    def _add_stage_and_amount(
        self, total: np.ndarray, subject: Item, w: ComplementarityWeights
    ) -> None:
        paired, subject_offers = self._pairs(subject)
        if subject_offers:
            if subject.accepted_stages:
                applies = paired & (self.stage != _NONE)
                accepted = [self.stages.find(code) for code in subject.accepted_stages]
                fits = one_of(self.stage, accepted, len(self.stages.number))
                total += np.where(applies, np.where(fits, w.stage_fit, w.stage_mismatch), 0.0)
        elif subject.stage:
            applies = paired & self.any_accepted_stage
            fits = _has_bit(self.accepted_stages, self.stages.find(subject.stage))
            total += np.where(applies, np.where(fits, w.stage_fit, w.stage_mismatch), 0.0)
        amount = subject.amount
        if amount is not None:
            applies = (
                paired & self.has_amount & (self.currency == self.currencies.find(amount.currency))
            )
            low = np.maximum(self.amount_low, -np.inf if amount.minimum is None else amount.minimum)
            high = np.minimum(
                self.amount_high, np.inf if amount.maximum is None else amount.maximum
            )
            total += np.where(
                applies, np.where(low <= high, w.amount_fit, w.amount_out_of_range), 0.0
            )

    def _add_hubs(self, total: np.ndarray, subject: Item, w: ComplementarityWeights) -> None:
        if not subject.hub:
            return
        own = self.hubs.find(subject.hub)
        elsewhere = (self.hub != _NONE) & (self.hub != own)
        targets = [self.hubs.find(code) for code in subject.target_hubs]
        reaches = elsewhere & one_of(self.hub, targets, len(self.hubs.number))
        wants = elsewhere & _has_bit(self.target_hubs, own)
        total += np.where(reaches, w.reaches_target_hub, 0.0)
        total += np.where(wants, w.wants_your_hub, 0.0)
        if w.cross_hub:
            total += np.where(elsewhere & ~reaches & ~wants, w.cross_hub, 0.0)

    def _add_organization_types(
        self, total: np.ndarray, subject: Item, w: ComplementarityWeights
    ) -> None:
        if subject.organization_type:
            fits = _has_bit(self.accepted_types, self.types.find(subject.organization_type))
            total += np.where(
                self.any_accepted_type,
                np.where(fits, w.organization_type_fit, w.organization_type_mismatch),
                0.0,
            )
        if subject.accepted_organization_types:
            accepted = [self.types.find(code) for code in subject.accepted_organization_types]
            fits = one_of(self.organization_type, accepted, len(self.types.number))
            total += np.where(
                self.organization_type != _NONE,
                np.where(fits, w.organization_type_fit, w.organization_type_mismatch),
                0.0,
            )
