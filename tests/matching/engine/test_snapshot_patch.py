"""After small upserts the engine patches its row-aligned arrays instead of rebuilding them:
rankings and every array must be those a rebuild gives, whatever the upserts change."""

from __future__ import annotations

import random

import numpy as np

from puente.matching.engine import (
    AmountRange,
    ComplementarityWeights,
    Direction,
    EngineSettings,
    HashingEncoder,
    Item,
    MatchingEngine,
)

WORDS = ["coffee", "cocoa", "payments", "software", "robots", "farms", "export", "credit", "café"]
SECTORS = [f"sector-{n}" for n in range(6)]


def random_item(rng: random.Random, name: str, sectors: list[str]) -> Item:
    return Item(
        id=name,
        language=rng.choice(["en", "es", "pt"]),
        fields={"text": " ".join(rng.sample(WORDS, 3))},
        kind=rng.choice(["capital", "client", None]),
        direction=rng.choice([Direction.OFFER, Direction.REQUEST, None]),
        organization_id=f"org-{rng.randrange(8)}",
        organization_type=rng.choice(["startup", "investor", None]),
        accepted_organization_types=frozenset(
            rng.sample(["startup", "investor"], rng.randint(0, 1))
        ),
        sectors=frozenset(rng.sample(sectors, rng.randint(0, 2))),
        stage=rng.choice(["seed", None]),
        accepted_stages=frozenset(rng.sample(["seed", "growth"], rng.randint(0, 1))),
        amount=rng.choice([None, AmountRange(100, 500, "USD")]),
        hub=rng.choice(["medellin", "miami", None]),
        target_hubs=frozenset(rng.sample(["medellin", "miami"], rng.randint(0, 2))),
        category=rng.choice(["opportunity", "organization"]),
    )


def assert_same_arrays(engine: MatchingEngine) -> None:
    patched = engine._arrays()
    engine._snapshot = None
    rebuilt = engine._arrays()
    assert patched.ids == rebuilt.ids
    assert patched.row_of == rebuilt.row_of
    assert patched.languages.tolist() == rebuilt.languages.tolist()
    assert patched.reference.keys() == rebuilt.reference.keys()
    for language in rebuilt.reference:
        assert np.array_equal(patched.reference[language], rebuilt.reference[language])
    assert np.array_equal(patched.neighbours, rebuilt.neighbours)
    for row in range(len(rebuilt.ids)):  # numbers may differ, what they stand for may not
        assert (patched.organizations[row] < 0) == (rebuilt.organizations[row] < 0)
    for snapshot in (patched, rebuilt):
        organization_of = {n: o for o, n in snapshot.organization_number.items()}
        snapshot.organization_ids = [organization_of.get(int(n)) for n in snapshot.organizations]  # type: ignore[attr-defined]
    assert patched.organization_ids == rebuilt.organization_ids  # type: ignore[attr-defined]
    for category in ("opportunity", "organization"):
        for direction in (Direction.OFFER, Direction.REQUEST, None):
            wanted = [(category, direction)]
            assert np.array_equal(patched.class_mask(wanted), rebuilt.class_mask(wanted))
    for language in rebuilt.lexical_rows:
        assert np.array_equal(patched.lexical_rows[language], rebuilt.lexical_rows[language])
    weights = ComplementarityWeights()
    for subject_id in rebuilt.ids[:10]:
        subject = engine.item(subject_id)
        assert np.allclose(
            patched.factors.totals(subject, weights), rebuilt.factors.totals(subject, weights)
        )


def test_patched_arrays_equal_a_rebuild_after_edits_and_additions() -> None:
    rng = random.Random(5)
    engine = MatchingEngine(
        EngineSettings(hubness_k=2, neighbours_k=3), encoder=HashingEncoder(dimension=32)
    )
    sectors = list(SECTORS)
    engine.upsert([random_item(rng, f"item-{n}", sectors) for n in range(40)])
    engine.refresh_statistics()
    engine._arrays()
    patches = 0
    for step in range(40):
        if step == 20:  # enough new sectors to need a second 64-bit word: rebuilt, not patched
            sectors = [*SECTORS, *(f"new-sector-{n}" for n in range(70))]
        if step % 7 == 3:  # a removal rebuilds; other items' neighbours then name a missing row
            engine.remove([f"item-{rng.randrange(40 + step)}"])
            engine._arrays()
        edited = [random_item(rng, f"item-{rng.randrange(40 + step)}", sectors) for _ in range(3)]
        added = [random_item(rng, f"item-{40 + step}", sectors)]
        before = engine._snapshot
        engine.upsert(edited + added)
        patches += engine._snapshot is not None and engine._snapshot is not before
        assert_same_arrays(engine)
    assert patches >= 25  # most steps were patched, not rebuilt


def test_a_patched_engine_ranks_as_a_rebuilt_one() -> None:
    rng = random.Random(8)
    settings = EngineSettings(hubness_k=2, neighbours_k=3)
    first = MatchingEngine(settings, encoder=HashingEncoder(dimension=32))
    items = [random_item(rng, f"item-{n}", SECTORS) for n in range(60)]
    first.upsert(items)
    first.refresh_statistics()
    first._arrays()
    changes = [random_item(rng, f"item-{rng.randrange(70)}", SECTORS) for _ in range(12)]
    for change in changes:
        first.upsert([change])
    assert first._snapshot is not None  # patched along the way
    second = MatchingEngine(settings, encoder=HashingEncoder(dimension=32))
    second.upsert(items, estimate=False)
    second._reference, second._neighbours = dict(first._reference), dict(first._neighbours)
    for change in changes:
        second.upsert([change], estimate=False)
    second._reference, second._neighbours = dict(first._reference), dict(first._neighbours)
    second._snapshot = None
    for subject in [first.item(i) for i in list(first._items)[:15]]:
        assert first.match(subject, k=5) == second.match(subject, k=5)
        for query in ("coffee export", "café cocoa farms robots software credit payments"):
            assert first.search(query, subject.language, k=5) == second.search(
                query, subject.language, k=5
            )
