"""ExactVectorIndex against a naive computation."""

from __future__ import annotations

from collections.abc import Hashable

import numpy as np
import pytest

from puente.matching.engine.index import ExactVectorIndex, top_k_rows


def unit_rows(rng: np.random.Generator, n: int, dim: int) -> np.ndarray:
    matrix = rng.standard_normal((n, dim)).astype(np.float32)
    return matrix / np.linalg.norm(matrix, axis=1, keepdims=True)


def naive_top_k(vectors: dict[Hashable, np.ndarray], query: np.ndarray, k: int) -> list[Hashable]:
    scored = sorted(vectors, key=lambda item_id: -float(vectors[item_id] @ query))
    return scored[:k]


def test_search_matches_naive_after_updates_and_removals() -> None:
    rng = np.random.default_rng(0)
    index = ExactVectorIndex(dimension=16, initial_capacity=4)
    reference: dict[Hashable, np.ndarray] = {}
    vectors = unit_rows(rng, 300, 16)
    ids = [f"item{i}" for i in range(300)]
    index.upsert(ids, vectors)
    reference.update(zip(ids, vectors, strict=True))
    replacement = unit_rows(rng, 50, 16)
    index.upsert(ids[:50], replacement)  # update in place
    reference.update(zip(ids[:50], replacement, strict=True))
    removed = ids[100:180:3]
    index.remove([*removed, "never-added"])
    for item_id in removed:
        del reference[item_id]
    assert len(index) == len(reference)
    for query in unit_rows(rng, 20, 16):
        hits = index.search(query, 7)
        assert [hit.id for hit in hits] == naive_top_k(reference, query, 7)
        for hit in hits:
            assert hit.similarity == pytest.approx(float(reference[hit.id] @ query), abs=1e-5)
    assert np.allclose(index.vectors_of(ids[:3]), replacement[:3])


def test_allowed_and_excluded_filters() -> None:
    rng = np.random.default_rng(1)
    vectors = unit_rows(rng, 100, 8)
    index = ExactVectorIndex(8)
    index.upsert(list(range(100)), vectors)
    query = vectors[5]
    allowed = set(range(0, 100, 2))
    hits = index.search(query, 10, allowed=allowed, excluded={4, 6})
    expected = [i for i in np.argsort(-(vectors @ query)) if i in allowed and i not in {4, 6}]
    assert [hit.id for hit in hits] == [int(i) for i in expected[:10]]
    assert index.search(query, 10, allowed=set()) == []
    assert len(index.search(query, 500)) == 100  # k larger than the collection


def test_ties_are_broken_by_insertion_order_and_k_zero() -> None:
    index = ExactVectorIndex(2)
    same = np.array([[1.0, 0.0]] * 5, dtype=np.float32)
    index.upsert(["a", "b", "c", "d", "e"], same)
    assert [hit.id for hit in index.search(np.array([1.0, 0.0]), 3)] == ["a", "b", "c"]
    assert index.search(np.array([1.0, 0.0]), 0) == []
    assert list(top_k_rows(np.array([0.1, 0.5, 0.5, 0.2]), 2)) == [1, 2]


def test_rejects_wrong_shapes_and_similarities() -> None:
    index = ExactVectorIndex(4)
    with pytest.raises(ValueError, match="shape"):
        index.upsert(["a"], np.zeros((1, 3), dtype=np.float32))
    index.upsert_one("a", np.array([1.0, 0.0, 0.0, 0.0]))
    index.upsert_one("b", np.array([0.0, 1.0, 0.0, 0.0]))
    assert index.similarities(np.array([1.0, 0.0, 0.0, 0.0]), ["b", "a"]).tolist() == [0.0, 1.0]
    assert "a" in index
    assert set(index.ids()) == {"a", "b"}
