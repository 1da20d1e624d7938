"""FactorArrays: the structured factors of every candidate at once equal, row by row, the sum of
what ``complementarity`` explains for that pair (the ranker relies on it to prune)."""

from __future__ import annotations

import random

import pytest

from puente.matching.engine.factor_arrays import FactorArrays
from puente.matching.engine.factors import ComplementarityWeights, complementarity
from puente.matching.engine.models import AmountRange, Direction, Item

KINDS = ["capital", "client", "talent", ""]
TYPES = ["startup", "investor", "corporate", "university"]
SECTORS = [f"sector-{n}" for n in range(70)]  # more than one 64-bit word
TECHNOLOGIES = ["ai", "iot", "robotics", "blockchain"]
STAGES = ["idea", "seed", "growth"]
HUBS = ["medellin", "miami", "bogota"]
AMOUNTS = [
    None,
    AmountRange(100, 500, "USD"),
    AmountRange(None, 300, "USD"),
    AmountRange(600, None, "USD"),
    AmountRange(500, 500, "USD"),
    AmountRange(1_000_000, 2_000_000, "COP"),
]


def random_item(rng: random.Random, name: str) -> Item:
    def some(values: list[str], most: int) -> frozenset[str]:
        return frozenset(rng.sample(values, rng.randint(0, most)))

    return Item(
        id=name,
        language="en",
        fields={"text": name},
        kind=rng.choice([*KINDS, None]),
        direction=rng.choice([Direction.OFFER, Direction.REQUEST, None]),
        organization_type=rng.choice([*TYPES, None]),
        accepted_organization_types=some(TYPES, 2),
        sectors=some(SECTORS, 4),
        technologies=some(TECHNOLOGIES, 3),
        stage=rng.choice([*STAGES, None]),
        accepted_stages=some(STAGES, 2),
        amount=rng.choice(AMOUNTS),
        hub=rng.choice([*HUBS, None]),
        target_hubs=some(HUBS, 2),
    )


@pytest.mark.parametrize(
    "weights",
    [
        ComplementarityWeights(),
        ComplementarityWeights(same_need=0.05, cross_hub=0.0, per_shared_sector=0.3),
    ],
)
def test_totals_equal_the_explained_factors_for_every_pair(
    weights: ComplementarityWeights,
) -> None:
    rng = random.Random(3)
    items = [random_item(rng, f"item-{n}") for n in range(300)]
    arrays = FactorArrays.build(items)
    # Subjects from the collection and from outside it, with codes no item has.
    outsiders = [
        random_item(rng, "new"),
        Item(
            id="stranger",
            language="es",
            fields={"text": "x"},
            kind="research_partner",
            direction=Direction.REQUEST,
            organization_type="agency",
            accepted_organization_types=frozenset({"agency"}),
            sectors=frozenset({"space"}),
            stage="ipo",
            accepted_stages=frozenset({"ipo"}),
            amount=AmountRange(1, 2, "EUR"),
            hub="lima",
            target_hubs=frozenset({"lima", "miami"}),
        ),
    ]
    for subject in items[:60] + outsiders:
        totals = arrays.totals(subject, weights)
        for row, candidate in enumerate(items):
            expected = sum(f.contribution for f in complementarity(subject, candidate, weights))
            assert totals[row] == pytest.approx(expected, abs=1e-12), (subject, candidate)


def test_an_empty_collection_has_no_totals() -> None:
    arrays = FactorArrays.build([])
    assert arrays.totals(random_item(random.Random(1), "x"), ComplementarityWeights()).shape == (0,)


def test_one_of_answers_like_isin_and_never_selects_missing_codes() -> None:
    import numpy as np

    from puente.matching.engine.factor_arrays import one_of

    codes = np.array([0, 3, -1, 2, -2, 3, 1])
    assert one_of(codes, [3, 1, 7, -1], 4).tolist() == [
        False,
        True,
        False,
        False,
        False,
        True,
        True,
    ]
    assert not one_of(codes, [], 4).any()
