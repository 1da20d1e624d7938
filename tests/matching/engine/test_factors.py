"""Structured complementarity factors and their explanation params."""

from __future__ import annotations

from puente.matching.engine import factors as codes
from puente.matching.engine.factors import ComplementarityWeights, complementarity
from puente.matching.engine.models import AmountRange, Direction, Item

WEIGHTS = ComplementarityWeights()


def startup(**overrides: object) -> Item:
    values: dict[str, object] = {
        "id": "request",
        "language": "es",
        "fields": {"text": "Buscamos capital semilla"},
        "kind": "capital",
        "direction": Direction.REQUEST,
        "organization_type": "startup",
        "sectors": frozenset({"agritech", "fintech"}),
        "technologies": frozenset({"ai"}),
        "stage": "seed",
        "amount": AmountRange(200_000, 500_000, "USD"),
        "hub": "medellin",
        "target_hubs": frozenset({"miami"}),
    }
    values.update(overrides)
    return Item(**values)  # type: ignore[arg-type]


def fund(**overrides: object) -> Item:
    values: dict[str, object] = {
        "id": "offer",
        "language": "en",
        "fields": {"text": "Seed fund"},
        "kind": "capital",
        "direction": Direction.OFFER,
        "organization_type": "investor",
        "accepted_organization_types": frozenset({"startup", "scaleup"}),
        "sectors": frozenset({"agritech"}),
        "technologies": frozenset({"ai", "iot"}),
        "accepted_stages": frozenset({"pre_seed", "seed"}),
        "amount": AmountRange(100_000, 300_000, "USD"),
        "hub": "miami",
        "target_hubs": frozenset({"medellin"}),
    }
    values.update(overrides)
    return Item(**values)  # type: ignore[arg-type]


def by_code(subject: Item, candidate: Item) -> dict[str, dict[str, object]]:
    return {f.code: dict(f.params) for f in complementarity(subject, candidate, WEIGHTS)}


def test_a_fitting_offer_explains_every_reason() -> None:
    found = by_code(startup(), fund())
    assert found[codes.COMPLEMENTARY_KIND] == {"kind": "capital", "they": "offer"}
    assert found[codes.SHARED_SECTORS] == {"sectors": ["agritech"]}
    assert found[codes.SHARED_TECHNOLOGIES] == {"technologies": ["ai"]}
    assert found[codes.STAGE_FIT]["stage"] == "seed"
    assert found[codes.STAGE_FIT]["criterion"] == "theirs"
    assert found[codes.AMOUNT_FIT]["offered_max"] == 300_000
    assert found[codes.REACHES_TARGET_HUB] == {"from": "medellin", "to": "miami"}
    assert found[codes.WANTS_YOUR_HUB] == {"from": "medellin", "to": "miami"}
    assert found[codes.ORGANIZATION_TYPE_FIT]["organization_type"] == "startup"
    assert all(f.contribution > 0 for f in complementarity(startup(), fund(), WEIGHTS))


def test_the_offer_side_sees_the_same_fit_from_its_point_of_view() -> None:
    found = by_code(fund(), startup())
    assert found[codes.COMPLEMENTARY_KIND] == {"kind": "capital", "they": "request"}
    assert found[codes.STAGE_FIT]["criterion"] == "yours"


def test_mismatches_are_negative_and_explained() -> None:
    late = startup(stage="series_b", amount=AmountRange(5_000_000, None, "USD"))
    corporate = startup(organization_type="corporate")
    found = {f.code: f for f in complementarity(late, fund(), WEIGHTS)}
    assert found[codes.STAGE_MISMATCH].contribution < 0
    assert found[codes.STAGE_MISMATCH].params["accepted"] == ["pre_seed", "seed"]
    assert found[codes.AMOUNT_OUT_OF_RANGE].contribution < 0
    mismatch = by_code(corporate, fund())
    assert codes.ORGANIZATION_TYPE_MISMATCH in mismatch


def test_missing_inputs_and_other_kinds_produce_no_factor() -> None:
    assert by_code(startup(kind="talent"), fund()).get(codes.COMPLEMENTARY_KIND) is None
    assert codes.AMOUNT_FIT not in by_code(startup(amount=None), fund())
    other_currency = startup(amount=AmountRange(1, 2, "COP"))
    found = by_code(other_currency, fund())
    assert codes.AMOUNT_FIT not in found
    assert codes.AMOUNT_OUT_OF_RANGE not in found
    same_hub = by_code(startup(hub="miami"), fund())
    assert codes.REACHES_TARGET_HUB not in same_hub
    assert codes.CROSS_HUB not in same_hub
    untargeted = by_code(startup(target_hubs=frozenset()), fund(target_hubs=frozenset()))
    assert untargeted[codes.CROSS_HUB] == {"from": "medellin", "to": "miami"}
    both_request = by_code(startup(), fund(direction=Direction.REQUEST))
    assert codes.COMPLEMENTARY_KIND not in both_request
