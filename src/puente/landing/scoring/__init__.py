"""Weighted rubric scores, per-reviewer normalisation (z-scores) and ranking with ties explained.

Pure Python with no Django imports. A harsh reviewer who gives everyone 2 of 5 and a lenient one
who gives everyone 4 of 5 should weigh alike: each reviewer's scores are turned into z-scores
(distance from that reviewer's own mean, in units of that reviewer's own standard deviation),
and an application's normalised score is the mean of its z-scores.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Criterion:
    """One rubric line: its id, weight and top of the 1..N scale."""

    id: int
    weight: float
    scale_max: int


@dataclass(frozen=True)
class Score:
    """One reviewer's weighted score of one application (on the rubric's 1..N scale)."""

    application: int
    reviewer: int
    value: float


@dataclass(frozen=True)
class Ranked:
    """One application's place in the ranking."""

    application: int
    rank: int
    raw: float | None
    normalized: float | None
    reviews: int
    tied_with: tuple[int, ...] = ()
    tie_note: str = ""


def weighted_score(criteria: Sequence[Criterion], marks: Mapping[int, int]) -> float:
    """The weighted mean of the marks, on the rubric's scale (weights need not sum to 1).

    Every criterion must be marked within 1..scale_max; a missing or out-of-range mark is a
    ValueError, so a half-filled review can never be counted.
    """
    if not criteria:
        raise ValueError("the rubric has no criteria")
    total_weight = sum(criterion.weight for criterion in criteria)
    if total_weight <= 0:
        raise ValueError("the rubric's weights add up to zero")
    total = 0.0
    for criterion in criteria:
        mark = marks.get(criterion.id)
        if mark is None or not 1 <= mark <= criterion.scale_max:
            raise ValueError(
                f"criterion {criterion.id} needs a mark from 1 to {criterion.scale_max}"
            )
        total += criterion.weight * mark
    return total / total_weight


def z_scores(scores: Iterable[Score]) -> dict[tuple[int, int], float]:
    """``{(application, reviewer): z}`` with each reviewer's mean and population standard
    deviation. A reviewer who gave one score, or the same score to everyone, tells nothing
    about relative merit: their z-scores are 0."""
    by_reviewer: dict[int, list[Score]] = {}
    for score in scores:
        by_reviewer.setdefault(score.reviewer, []).append(score)
    result: dict[tuple[int, int], float] = {}
    for items in by_reviewer.values():
        values = [item.value for item in items]
        mean = sum(values) / len(values)
        deviation = math.sqrt(sum((value - mean) ** 2 for value in values) / len(values))
        for item in items:
            result[(item.application, item.reviewer)] = (
                0.0 if deviation == 0 else (item.value - mean) / deviation
            )
    return result


def rank(
    applications: Iterable[int], scores: Iterable[Score], *, precision: int = 6
) -> list[Ranked]:
    """Rank by mean normalised score, then mean raw score; equal on both is a tie (same rank).

    Applications without any score come last, unranked by score. ``tie_note`` says how a tie
    on the normalised score was broken (``"raw"``) or that it stands (``"tie"``).
    """
    score_list = list(scores)
    z = z_scores(score_list)
    raw: dict[int, list[float]] = {}
    normalized: dict[int, list[float]] = {}
    for score in score_list:
        raw.setdefault(score.application, []).append(score.value)
        normalized.setdefault(score.application, []).append(z[(score.application, score.reviewer)])

    def mean(values: list[float]) -> float:
        return round(sum(values) / len(values), precision)

    rows: list[tuple[int, float | None, float | None, int]] = []
    for application in sorted(set(applications)):
        if application in raw:
            rows.append(
                (
                    application,
                    mean(raw[application]),
                    mean(normalized[application]),
                    len(raw[application]),
                )
            )
        else:
            rows.append((application, None, None, 0))
    rows.sort(key=lambda row: (row[2] is None, -(row[2] or 0.0), -(row[1] or 0.0), row[0]))
    ranked: list[Ranked] = []
    for index, (application, raw_mean, norm_mean, count) in enumerate(rows):
        same_norm = [
            other
            for other in rows
            if other[0] != application and other[2] is not None and other[2] == norm_mean
        ]
        full_tie = tuple(other[0] for other in same_norm if other[1] == raw_mean)
        note = ""
        if norm_mean is not None and same_norm:
            note = "tie" if full_tie else "raw"
        previous = ranked[-1] if ranked else None
        if (
            previous is not None
            and norm_mean is not None
            and previous.normalized == norm_mean
            and previous.raw == raw_mean
        ):
            place = previous.rank
        else:
            place = index + 1
        ranked.append(
            Ranked(
                application=application,
                rank=place,
                raw=raw_mean,
                normalized=norm_mean,
                reviews=count,
                tied_with=full_tie,
                tie_note=note,
            )
        )
    return ranked
