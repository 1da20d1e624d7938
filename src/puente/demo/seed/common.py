"""What the demo's seed steps share: a random generator with helpers, and audit entries."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.utils.text import slugify

from puente.core.models import AuditEntry, Hub, TaxonomyTerm
from puente.demo.seed import SeedContext


class SeedBuilder:
    """Invents records with one step's random generator."""

    def __init__(self, context: SeedContext, rng: random.Random) -> None:
        self.context = context
        self.rng = rng

    def term(self, vocabulary: str, code: str) -> TaxonomyTerm:
        return self.context.term(vocabulary, code)

    def hub(self, slug: str) -> Hub:
        return self.context.hubs[slug]

    def chance(self, probability: float) -> bool:
        return self.rng.random() < probability

    def weighted(self, options: list[tuple[Any, float]]) -> Any:
        values, weights = zip(*options, strict=True)
        return self.rng.choices(values, weights=weights)[0]

    def unique_slug(self, text: str, taken: set[str]) -> str:
        base = slugify(text)[:120] or "item"
        slug, counter = base, 2
        while slug in taken:
            slug, counter = f"{base}-{counter}", counter + 1
        taken.add(slug)
        return slug

    def confirmed_at(self, stale_share: float) -> dt.datetime:
        """When the profile was last confirmed: recently, or (a ``stale_share``) over a year ago."""
        days = self.rng.randint(380, 900) if self.chance(stale_share) else self.rng.randint(1, 330)
        return self.context.now - dt.timedelta(days=days, minutes=self.rng.randint(0, 1439))


def term_order(term: TaxonomyTerm) -> tuple[str, int, str]:
    return (term.vocabulary, term.sort_order, term.code)


def audit_entry(action: str, target: Any, after: dict[str, Any], hub: Hub) -> AuditEntry:
    return AuditEntry(
        actor=None,
        action=action,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        target_repr=str(target)[:240],
        after=after,
        hub=hub,
    )
