"""Structured complementarity between two items, each reason an explained :class:`Factor`.

A match is good when one side offers what the other requests (same connection kind), they
work in the same sectors or technologies, the stage and the amount fit what the offer
accepts, the organization type is one the offer is meant for, and the pair connects the hubs
each wants to reach. Every function here is pure and returns the factors that apply; a factor
whose inputs are missing on either side is not produced.
"""

from __future__ import annotations

from dataclasses import dataclass

from puente.matching.engine.models import Direction, Factor, Item

# Machine codes of the explanation factors (the UI maps each to a sentence in es/en).
SEMANTIC_SIMILARITY = "semantic_similarity"
TEXT_MATCH = "text_match"
SIMILAR_NEIGHBOURS = "similar_neighbours"
COMPLEMENTARY_KIND = "complementary_kind"
SAME_NEED = "same_need"
SHARED_SECTORS = "shared_sectors"
SHARED_TECHNOLOGIES = "shared_technologies"
STAGE_FIT = "stage_fit"
STAGE_MISMATCH = "stage_mismatch"
AMOUNT_FIT = "amount_fit"
AMOUNT_OUT_OF_RANGE = "amount_out_of_range"
REACHES_TARGET_HUB = "reaches_target_hub"
WANTS_YOUR_HUB = "wants_your_hub"
CROSS_HUB = "cross_hub"
ORGANIZATION_TYPE_FIT = "organization_type_fit"
ORGANIZATION_TYPE_MISMATCH = "organization_type_mismatch"
SIMILAR_TO_NOT_RELEVANT = "similar_to_not_relevant"
ALREADY_MET = "already_met"

FACTOR_CODES = (
    SEMANTIC_SIMILARITY,
    TEXT_MATCH,
    SIMILAR_NEIGHBOURS,
    COMPLEMENTARY_KIND,
    SAME_NEED,
    SHARED_SECTORS,
    SHARED_TECHNOLOGIES,
    STAGE_FIT,
    STAGE_MISMATCH,
    AMOUNT_FIT,
    AMOUNT_OUT_OF_RANGE,
    REACHES_TARGET_HUB,
    WANTS_YOUR_HUB,
    CROSS_HUB,
    ORGANIZATION_TYPE_FIT,
    ORGANIZATION_TYPE_MISMATCH,
    SIMILAR_TO_NOT_RELEVANT,
    ALREADY_MET,
)


@dataclass(frozen=True)
class ComplementarityWeights:
    """Contribution of each structured factor (text relevance is around 0-1 for a good pair)."""

    complementary_kind: float = 0.40
    same_need: float = 0.0
    per_shared_sector: float = 0.12
    max_shared_sectors: float = 0.24
    per_shared_technology: float = 0.08
    max_shared_technologies: float = 0.16
    stage_fit: float = 0.10
    stage_mismatch: float = -0.25
    amount_fit: float = 0.12
    amount_out_of_range: float = -0.30
    reaches_target_hub: float = 0.10
    wants_your_hub: float = 0.06
    cross_hub: float = 0.04
    organization_type_fit: float = 0.08
    organization_type_mismatch: float = -0.30


def complementarity(
    subject: Item, candidate: Item, weights: ComplementarityWeights
) -> list[Factor]:
    """Every structured factor between the item a user matches from (``subject``) and a
    ``candidate``; params name the side they describe from the subject's point of view."""
    factors: list[Factor] = []
    factors.extend(_kind_factors(subject, candidate, weights))
    factors.extend(_overlap_factors(subject, candidate, weights))
    factors.extend(_stage_factors(subject, candidate, weights))
    factors.extend(_amount_factors(subject, candidate, weights))
    factors.extend(_hub_factors(subject, candidate, weights))
    factors.extend(_organization_type_factors(subject, candidate, weights))
    return factors


def _kind_factors(subject: Item, candidate: Item, w: ComplementarityWeights) -> list[Factor]:
    if not subject.kind or subject.kind != candidate.kind:
        return []
    if subject.direction and candidate.direction and subject.direction != candidate.direction:
        # "they offer seed capital you requested" / "they request the expertise you offer"
        return [
            Factor(
                COMPLEMENTARY_KIND,
                w.complementary_kind,
                {"kind": subject.kind, "they": str(candidate.direction)},
            )
        ]
    if subject.direction and subject.direction == candidate.direction and w.same_need:
        return [
            Factor(SAME_NEED, w.same_need, {"kind": subject.kind, "both": str(subject.direction)})
        ]
    return []


def _overlap_factors(subject: Item, candidate: Item, w: ComplementarityWeights) -> list[Factor]:
    factors: list[Factor] = []
    sectors = sorted(subject.sectors & candidate.sectors)
    if sectors:
        value = min(w.max_shared_sectors, w.per_shared_sector * len(sectors))
        factors.append(Factor(SHARED_SECTORS, value, {"sectors": sectors}))
    technologies = sorted(subject.technologies & candidate.technologies)
    if technologies:
        value = min(w.max_shared_technologies, w.per_shared_technology * len(technologies))
        factors.append(Factor(SHARED_TECHNOLOGIES, value, {"technologies": technologies}))
    return factors


def _accepting_pair(subject: Item, candidate: Item) -> tuple[Item, Item, str] | None:
    """(offer side, requesting side, whose criterion) for an offer/request pair, else None."""
    if candidate.direction == Direction.OFFER and subject.direction != Direction.OFFER:
        return candidate, subject, "theirs"
    if subject.direction == Direction.OFFER and candidate.direction != Direction.OFFER:
        return subject, candidate, "yours"
    return None


def _stage_factors(subject: Item, candidate: Item, w: ComplementarityWeights) -> list[Factor]:
    pair = _accepting_pair(subject, candidate)
    if pair is None:
        return []
    offer, seeker, whose = pair
    if not offer.accepted_stages or not seeker.stage:
        return []
    params = {"stage": seeker.stage, "accepted": sorted(offer.accepted_stages), "criterion": whose}
    if seeker.stage in offer.accepted_stages:
        return [Factor(STAGE_FIT, w.stage_fit, params)]
    return [Factor(STAGE_MISMATCH, w.stage_mismatch, params)]


def _amount_factors(subject: Item, candidate: Item, w: ComplementarityWeights) -> list[Factor]:
    pair = _accepting_pair(subject, candidate)
    if pair is None or pair[0].amount is None or pair[1].amount is None:
        return []
    offer, seeker, whose = pair
    assert offer.amount is not None
    assert seeker.amount is not None
    overlaps = seeker.amount.overlaps(offer.amount)
    if overlaps is None:  # different currencies: no claim either way
        return []
    params = {
        "requested_min": seeker.amount.minimum,
        "requested_max": seeker.amount.maximum,
        "offered_min": offer.amount.minimum,
        "offered_max": offer.amount.maximum,
        "currency": offer.amount.currency,
        "criterion": whose,
    }
    if overlaps:
        return [Factor(AMOUNT_FIT, w.amount_fit, params)]
    return [Factor(AMOUNT_OUT_OF_RANGE, w.amount_out_of_range, params)]


def _hub_factors(subject: Item, candidate: Item, w: ComplementarityWeights) -> list[Factor]:
    if not subject.hub or not candidate.hub or subject.hub == candidate.hub:
        return []
    route = {"from": subject.hub, "to": candidate.hub}
    factors: list[Factor] = []
    if candidate.hub in subject.target_hubs:
        factors.append(Factor(REACHES_TARGET_HUB, w.reaches_target_hub, route))
    if subject.hub in candidate.target_hubs:
        factors.append(Factor(WANTS_YOUR_HUB, w.wants_your_hub, route))
    if not factors and w.cross_hub:
        factors.append(Factor(CROSS_HUB, w.cross_hub, route))
    return factors


def _organization_type_factors(
    subject: Item, candidate: Item, w: ComplementarityWeights
) -> list[Factor]:
    factors: list[Factor] = []
    for accepting, other, whose in ((candidate, subject, "theirs"), (subject, candidate, "yours")):
        if not accepting.accepted_organization_types or not other.organization_type:
            continue
        params = {
            "organization_type": other.organization_type,
            "accepted": sorted(accepting.accepted_organization_types),
            "criterion": whose,
        }
        if other.organization_type in accepting.accepted_organization_types:
            factors.append(Factor(ORGANIZATION_TYPE_FIT, w.organization_type_fit, params))
        else:
            factors.append(Factor(ORGANIZATION_TYPE_MISMATCH, w.organization_type_mismatch, params))
    return factors
