"""Plain dataclasses the engine takes and returns (the Django adapters build these)."""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

ItemId = Hashable
UserId = Hashable


class Direction(StrEnum):
    """Whether an item asks for something or offers it."""

    REQUEST = "request"
    OFFER = "offer"


@dataclass(frozen=True, slots=True)
class AmountRange:
    """An amount or ticket range in one currency; either bound may be open (None)."""

    minimum: float | None = None
    maximum: float | None = None
    currency: str = "USD"

    def overlaps(self, other: AmountRange) -> bool | None:
        """Whether two ranges share a value; None when the currencies differ."""
        if self.currency != other.currency:
            return None
        low = max(_low(self.minimum), _low(other.minimum))
        high = min(_high(self.maximum), _high(other.maximum))
        return low <= high


def _low(value: float | None) -> float:
    return float("-inf") if value is None else value


def _high(value: float | None) -> float:
    return float("inf") if value is None else value


@dataclass(frozen=True)
class Item:
    """Something that can be searched and matched: an organization, an opportunity
    (a request or an offer), a person's profile…

    ``fields`` are the texts (e.g. ``{"name": …, "summary": …, "description": …}``), all in
    ``language``; the vector stored for the item is the embedding of :meth:`text`. Every
    structured attribute is optional: a factor whose inputs are missing is simply not used.
    Codes (kinds, sectors, stages, hubs, types) are the taxonomy codes of the platform.
    """

    id: ItemId
    language: str
    fields: Mapping[str, str]
    kind: str | None = None  # connection kind: capital, client, talent, expertise, …
    direction: Direction | None = None
    organization_id: ItemId | None = None
    organization_type: str | None = None
    accepted_organization_types: frozenset[str] = frozenset()
    sectors: frozenset[str] = frozenset()
    technologies: frozenset[str] = frozenset()
    stage: str | None = None
    accepted_stages: frozenset[str] = frozenset()
    amount: AmountRange | None = None
    hub: str | None = None
    target_hubs: frozenset[str] = frozenset()
    # What the item is for its platform ("opportunity", "organization", "person"): matches and
    # searches can be restricted to some categories before ranking.
    category: str | None = None

    def text(self) -> str:
        """The fields joined into the one text that is embedded."""
        return ". ".join(value.strip() for value in self.fields.values() if value and value.strip())


@dataclass(frozen=True, slots=True)
class Factor:
    """One reason behind a score: a machine ``code``, its additive ``contribution`` to the
    score, and ``params`` a UI needs to write the sentence in any language (codes, not
    labels: e.g. ``{"sectors": ["agritech"]}``)."""

    code: str
    contribution: float
    params: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class RankedItem:
    """A result: the item id, its score (the sum of its factors' contributions, best
    first) and the factors, largest absolute contribution first."""

    id: ItemId
    score: float
    factors: tuple[Factor, ...]

    def factor(self, code: str) -> Factor | None:
        """The factor with ``code``, if it contributed."""
        return next((factor for factor in self.factors if factor.code == code), None)


@dataclass(frozen=True)
class Feedback:
    """What users told the engine, as (user id, item id) pairs.

    ``dismissed`` items are never shown to that user again. ``not_relevant`` items are
    excluded too, and items similar to them are down-weighted. ``already_met`` items (or
    organizations, by id) are demoted: the user knows them already.
    """

    dismissed: frozenset[tuple[UserId, ItemId]] = frozenset()
    not_relevant: frozenset[tuple[UserId, ItemId]] = frozenset()
    already_met: frozenset[tuple[UserId, ItemId]] = frozenset()

    def for_user(self, user_id: UserId | None) -> UserFeedback:
        """The item ids each kind of feedback names for ``user_id``."""
        if user_id is None:
            return UserFeedback()
        return UserFeedback(
            dismissed=frozenset(item for user, item in self.dismissed if user == user_id),
            not_relevant=frozenset(item for user, item in self.not_relevant if user == user_id),
            already_met=frozenset(item for user, item in self.already_met if user == user_id),
        )


@dataclass(frozen=True)
class UserFeedback:
    """One user's feedback as sets of item (or organization) ids."""

    dismissed: frozenset[ItemId] = frozenset()
    not_relevant: frozenset[ItemId] = frozenset()
    already_met: frozenset[ItemId] = frozenset()

    @property
    def hidden(self) -> frozenset[ItemId]:
        """Items never to be returned to this user."""
        return self.dismissed | self.not_relevant
