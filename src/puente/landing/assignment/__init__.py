"""Assigning applications to reviewers: conflicts of interest excluded, load balanced.

Pure Python with no Django imports, so the rule can be tested and reused alone. The caller
passes plain ids; the answer says which reviewer reads which application and which
applications could not get as many reviewers as asked (every reviewer was conflicted).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class AssignmentPlan:
    """The pairs to create, and the applications left short of reviewers."""

    pairs: list[tuple[int, int]]
    short: dict[int, int] = field(default_factory=dict)

    def load(self) -> dict[int, int]:
        """How many applications each reviewer received in this plan."""
        counts: dict[int, int] = {}
        for _application, reviewer in self.pairs:
            counts[reviewer] = counts.get(reviewer, 0) + 1
        return counts


def plan_assignments(
    *,
    applications: Iterable[int],
    reviewers: Iterable[int],
    per_application: int,
    conflicts: Iterable[tuple[int, int]] = (),
    existing: Iterable[tuple[int, int]] = (),
) -> AssignmentPlan:
    """Give each application ``per_application`` distinct reviewers.

    ``conflicts`` and ``existing`` are ``(application, reviewer)`` pairs. A conflicted reviewer
    is never chosen; existing assignments count towards both the application's quota and the
    reviewer's load. Each application takes the least-loaded eligible reviewers (ties broken
    by reviewer id, so the plan is deterministic). Applications with the fewest eligible
    reviewers are served first, so scarce reviewers go where they are needed most.
    """
    reviewer_ids = sorted(set(reviewers))
    application_ids = sorted(set(applications))
    conflicted = set(conflicts)
    load: dict[int, int] = dict.fromkeys(reviewer_ids, 0)
    have: dict[int, set[int]] = {application: set() for application in application_ids}
    for application, reviewer in existing:
        if reviewer in load:
            load[reviewer] += 1
        if application in have:
            have[application].add(reviewer)

    def eligible(application: int) -> list[int]:
        return [
            reviewer
            for reviewer in reviewer_ids
            if (application, reviewer) not in conflicted and reviewer not in have[application]
        ]

    order = sorted(
        application_ids, key=lambda application: (len(eligible(application)), application)
    )
    pairs: list[tuple[int, int]] = []
    short: dict[int, int] = {}
    for application in order:
        needed = per_application - len(have[application])
        if needed <= 0:
            continue
        candidates = sorted(eligible(application), key=lambda reviewer: (load[reviewer], reviewer))
        chosen = candidates[:needed]
        for reviewer in chosen:
            pairs.append((application, reviewer))
            load[reviewer] += 1
            have[application].add(reviewer)
        if len(chosen) < needed:
            short[application] = needed - len(chosen)
    return AssignmentPlan(pairs=sorted(pairs), short=short)


def conflicts_of(pairs: Iterable[tuple[int, int]]) -> Mapping[int, set[int]]:
    """``{application: {reviewers}}`` from ``(application, reviewer)`` pairs."""
    result: dict[int, set[int]] = {}
    for application, reviewer in pairs:
        result.setdefault(application, set()).add(reviewer)
    return result
