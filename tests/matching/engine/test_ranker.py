"""MatchingEngine: explanations, language-gated lexical fusion, feedback, matchmaking."""

from __future__ import annotations

import random
from dataclasses import replace

import numpy as np
import pytest

from puente.matching.engine import (
    AmountRange,
    Direction,
    EngineSettings,
    Feedback,
    HashingEncoder,
    Item,
    MatchingEngine,
    RankedItem,
    SearchSettings,
)
from puente.matching.engine import factors as codes


def doc(item_id: str, text: str, language: str = "en", **attributes: object) -> Item:
    return Item(item_id, language, {"text": text}, **attributes)  # type: ignore[arg-type]


def assert_explained(result: RankedItem) -> None:
    assert result.factors, "every result carries its reasons"
    assert result.score == pytest.approx(sum(f.contribution for f in result.factors))
    assert all(f.code in codes.FACTOR_CODES for f in result.factors)


CORPUS = [
    doc("coffee", "specialty coffee export from colombia"),
    doc("cocoa", "fine cocoa and coffee farms"),
    doc("payments", "payments software for small shops"),
    doc("lending", "credit and lending software for farmers"),
    doc("robots", "warehouse robots and automation"),
    doc("cafe-es", "exportación de café especial de colombia", "es"),
]


@pytest.fixture
def filled(engine: MatchingEngine) -> MatchingEngine:
    engine.upsert(CORPUS)
    engine.refresh_statistics()
    return engine


def test_search_ranks_and_explains(filled: MatchingEngine) -> None:
    results = filled.search("coffee export", "en", k=3)
    assert results[0].id == "coffee"
    for result in results:
        assert_explained(result)
    text_match = results[0].factor(codes.TEXT_MATCH)
    assert text_match is not None
    assert set(text_match.params["terms"]) == {"export", "coffee"}
    semantic = results[0].factor(codes.SEMANTIC_SIMILARITY)
    assert semantic is not None
    assert semantic.params["cross_language"] is False


def test_lexical_relevance_only_applies_within_a_language(filled: MatchingEngine) -> None:
    # "colombia" appears in English and Spanish documents; a Spanish query may only get
    # lexical credit from Spanish documents.
    results = filled.search("colombia", "es", k=len(CORPUS))
    for result in results:
        item = filled.item(result.id)
        has_text_match = result.factor(codes.TEXT_MATCH) is not None
        assert has_text_match == (item.language == "es" and result.id == "cafe-es")
        semantic = result.factor(codes.SEMANTIC_SIMILARITY)
        assert semantic is not None
        assert semantic.params["cross_language"] == (item.language != "es")


def test_lexical_weight_changes_nothing_across_languages(filled: MatchingEngine) -> None:
    only_english = {item.id for item in CORPUS if item.language == "en"}
    plain = SearchSettings(lexical_weight=0.0, diffusion_steps=0)
    heavy = SearchSettings(lexical_weight=5.0, diffusion_steps=0)
    first = filled.search("coffee colombia", "es", k=5, allowed=only_english, settings=plain)
    second = filled.search("coffee colombia", "es", k=5, allowed=only_english, settings=heavy)
    assert [r.id for r in first] == [r.id for r in second]
    assert [r.score for r in first] == pytest.approx([r.score for r in second])


def test_dismissed_pairs_are_never_returned() -> None:
    rng = random.Random(3)
    engine = MatchingEngine(EngineSettings(hubness_k=3, neighbours_k=3), HashingEncoder(32))
    words = [
        "coffee",
        "cocoa",
        "software",
        "farm",
        "credit",
        "robots",
        "export",
        "capital",
        "seed",
        "talent",
    ]
    items = [doc(f"i{n}", " ".join(rng.sample(words, 4))) for n in range(40)]
    engine.upsert(items)
    engine.refresh_statistics()
    for _ in range(25):
        dismissed = {(user, f"i{rng.randrange(40)}") for user in ("ana", "bo") for _ in range(15)}
        feedback = Feedback(dismissed=frozenset(dismissed))
        for user in ("ana", "bo"):
            hidden = {item for owner, item in dismissed if owner == user}
            query = " ".join(rng.sample(words, 2))
            found = engine.search(query, "en", k=40, user_id=user, feedback=feedback)
            assert hidden.isdisjoint(r.id for r in found)
            assert len(found) == 40 - len(hidden)
            matched = engine.match("i0", k=40, user_id=user, feedback=feedback)
            assert hidden.isdisjoint(r.id for r in matched)


def test_not_relevant_demotes_similar_items_and_already_met(engine: MatchingEngine) -> None:
    engine.upsert(
        [
            doc("a", "coffee export colombia"),
            doc("a-twin", "coffee export colombia farms"),
            doc("b", "coffee roasting machines"),
            doc("c", "coffee shop software", organization_id="org-c"),
        ]
    )
    engine.refresh_statistics()
    before = [r.id for r in engine.search("coffee export", "en", k=4)]
    feedback = Feedback(
        not_relevant=frozenset({("u", "a")}), already_met=frozenset({("u", "org-c")})
    )
    after = engine.search("coffee export", "en", k=4, user_id="u", feedback=feedback)
    assert "a" not in [r.id for r in after]
    twin = next(r for r in after if r.id == "a-twin")
    penalty = twin.factor(codes.SIMILAR_TO_NOT_RELEVANT)
    assert penalty is not None
    assert penalty.contribution < 0
    assert penalty.params["item_id"] == "a"
    met = next(r for r in after if r.id == "c").factor(codes.ALREADY_MET)
    assert met is not None
    assert met.params == {"met_id": "org-c"}
    assert before.index("a-twin") <= [r.id for r in after].index("a-twin") + 1
    other_user = engine.search("coffee export", "en", k=4, user_id="v", feedback=feedback)
    assert [r.id for r in other_user] == before


def test_match_prefers_complementary_offers_and_explains(engine: MatchingEngine) -> None:
    request = doc(
        "need-seed",
        "we look for seed capital for our agritech startup",
        "es",
        kind="capital",
        direction=Direction.REQUEST,
        organization_id="org-1",
        organization_type="startup",
        sectors=frozenset({"agritech"}),
        stage="seed",
        amount=AmountRange(100_000, 250_000),
        hub="medellin",
        target_hubs=frozenset({"miami"}),
    )
    fitting = doc(
        "seed-fund",
        "seed capital for agritech startups",
        kind="capital",
        direction=Direction.OFFER,
        organization_id="org-2",
        accepted_organization_types=frozenset({"startup"}),
        sectors=frozenset({"agritech"}),
        accepted_stages=frozenset({"seed"}),
        amount=AmountRange(50_000, 200_000),
        hub="miami",
    )
    late_fund = doc(
        "growth-fund",
        "seed capital for agritech startups",
        kind="capital",
        direction=Direction.OFFER,
        organization_id="org-3",
        accepted_stages=frozenset({"series_b"}),
        amount=AmountRange(5_000_000, None),
        hub="miami",
    )
    competitor = doc(
        "other-request",
        "we look for seed capital for our agritech startup",
        "es",
        kind="capital",
        direction=Direction.REQUEST,
        organization_id="org-4",
        hub="medellin",
    )
    sibling = doc("same-org", "seed capital for agritech startups", organization_id="org-1")
    engine.upsert([request, fitting, late_fund, competitor, sibling])
    engine.refresh_statistics()
    results = engine.match("need-seed", k=10)
    ids = [r.id for r in results]
    assert "need-seed" not in ids
    assert "same-org" not in ids  # never matched with its own organization
    assert ids[0] == "seed-fund"
    assert ids.index("seed-fund") < ids.index("growth-fund")
    best = results[0]
    assert_explained(best)
    kind = best.factor(codes.COMPLEMENTARY_KIND)
    assert kind is not None
    assert kind.params == {"kind": "capital", "they": "offer"}
    assert best.factor(codes.STAGE_FIT) is not None
    assert best.factor(codes.AMOUNT_FIT) is not None
    assert best.factor(codes.REACHES_TARGET_HUB) is not None
    assert best.factor(codes.TEXT_MATCH) is None  # Spanish subject, English offer
    late = next(r for r in results if r.id == "growth-fund")
    assert late.factor(codes.STAGE_MISMATCH) is not None
    assert late.factor(codes.AMOUNT_OUT_OF_RANGE) is not None
    same_language = next(r for r in results if r.id == "other-request")
    assert same_language.factor(codes.TEXT_MATCH) is not None
    assert same_language.factor(codes.COMPLEMENTARY_KIND) is None


def test_upsert_remove_and_stored_vectors(engine: MatchingEngine) -> None:
    engine.upsert([doc("x", "coffee"), doc("y", "robots")])
    assert len(engine) == 2
    stored = engine.embed(["coffee farms"], "en")
    engine.upsert([doc("x", "coffee farms")], stored)
    assert np.allclose(engine.vector("x"), stored[0])
    engine.remove(["y", "unknown"])
    assert "y" not in engine
    assert [r.id for r in engine.search("robots", "en", k=5)] == ["x"]
    engine.remove(["x"])
    assert engine.search("anything", "en") == []


def test_new_items_get_statistics_without_refresh(filled: MatchingEngine) -> None:
    filled.upsert([doc("late", "coffee export cooperative")])
    results = filled.search(
        "coffee export", "en", k=len(filled), settings=SearchSettings(diffusion_min_words=0)
    )
    assert "late" in [r.id for r in results]
    late = next(r for r in results if r.id == "late")
    assert late.factor(codes.SIMILAR_NEIGHBOURS) is not None


def test_short_look_ups_are_ranked_without_neighbour_diffusion(filled: MatchingEngine) -> None:
    short = "coffee export"
    described = (
        "We are a cooperative of small farms that grows specialty coffee in the mountains and "
        "looks for buyers abroad"
    )
    assert len(described.split()) >= SearchSettings().diffusion_min_words > len(short.split())
    for result in filled.search(short, "en", k=len(filled)):
        assert result.factor(codes.SIMILAR_NEIGHBOURS) is None
    assert any(
        result.factor(codes.SIMILAR_NEIGHBOURS) is not None
        for result in filled.search(described, "en", k=len(filled))
    )


def test_statistics_of_a_new_item_equal_a_full_refresh(engine: MatchingEngine) -> None:
    engine.upsert(CORPUS[:-1])
    engine.refresh_statistics()
    engine.upsert([CORPUS[-1]])
    incremental = dict(engine._reference[CORPUS[-1].id])
    engine.refresh_statistics()
    assert incremental == pytest.approx(engine._reference[CORPUS[-1].id], abs=1e-5)


def test_statistics_of_a_batch_are_the_same_estimated_block_by_block(
    engine: MatchingEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """New items are compared with the collection in blocks of rows (bounded memory at
    100,000 items); the blocks give what one comparison gives."""
    engine.upsert(CORPUS[:2])
    engine.upsert(CORPUS[2:])
    whole = (dict(engine._reference), dict(engine._neighbours))
    other = MatchingEngine(engine.settings, encoder=engine.encoder)
    monkeypatch.setattr(MatchingEngine, "_estimate_rows", lambda self: 1)
    other.upsert(CORPUS[:2])
    other.upsert(CORPUS[2:])
    assert (other._reference, other._neighbours) == whole


def test_a_bulk_load_can_skip_the_estimates_and_refresh_once(engine: MatchingEngine) -> None:
    engine.upsert(CORPUS, estimate=False)
    assert engine._reference == {}
    engine.refresh_statistics()
    exact = dict(engine._reference)
    assert set(exact) == {item.id for item in CORPUS}


def test_the_top_matches_are_those_of_scoring_every_candidate(engine: MatchingEngine) -> None:
    """Matches explain candidates in decreasing order of their text + structured score and stop
    when the next one could no longer enter the top k: the top k equal those of a full ranking,
    also when only some candidate classes are wanted."""
    from puente.matching.engine import AmountRange, Direction

    rng = random.Random(11)
    words = ["coffee", "cocoa", "payments", "software", "robots", "farms", "export", "credit"]
    sectors = ["agritech", "fintech", "logistics", "health"]
    items = [
        doc(
            f"item-{n}",
            " ".join(rng.sample(words, 3)),
            rng.choice(["en", "es"]),
            kind=rng.choice(["capital", "client", "expertise"]),
            direction=rng.choice([Direction.OFFER, Direction.REQUEST]),
            organization_id=f"org-{n % 7}",
            sectors=frozenset(rng.sample(sectors, rng.randint(0, 2))),
            stage=rng.choice(["seed", "growth", None]),
            accepted_stages=frozenset(rng.sample(["seed", "growth"], rng.randint(0, 2))),
            amount=rng.choice([None, AmountRange(100, 500, "USD"), AmountRange(600, 900, "USD")]),
            hub=rng.choice(["medellin", "miami"]),
            target_hubs=frozenset(rng.sample(["medellin", "miami"], rng.randint(0, 2))),
        )
        for n in range(120)
    ]
    items = [replace(item, category="opportunity") for item in items]
    engine.upsert(items)
    engine.refresh_statistics()
    for subject in items[:15]:
        everything = engine.match(subject, k=len(items))
        opposite = Direction.OFFER if subject.direction == Direction.REQUEST else Direction.REQUEST
        wanted = [r for r in everything if engine.item(r.id).direction == opposite]
        for k in (1, 3, 10):
            top = engine.match(subject, k=k)
            assert [r.id for r in top] == [r.id for r in everything[:k]]
            assert [r.score for r in top] == [r.score for r in everything[:k]]
            only = engine.match(subject, k=k, classes=[("opportunity", opposite)])
            assert [(r.id, r.score) for r in only] == [(r.id, r.score) for r in wanted[:k]]
        assert all(engine.item(r.id).organization_id != subject.organization_id for r in everything)
        assert engine.match(subject, k=5, classes=[("organization", None)]) == []
