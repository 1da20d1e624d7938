"""Hubness statistics and the neighbour graph against naive loops."""

from __future__ import annotations

import numpy as np
import pytest

from puente.matching.engine.hubness import (
    mean_top_k_similarity,
    neighbour_graph,
    reference_similarity,
    sample_rows,
)


def unit_rows(seed: int, n: int, dim: int = 12) -> np.ndarray:
    matrix = np.random.default_rng(seed).standard_normal((n, dim)).astype(np.float32)
    return matrix / np.linalg.norm(matrix, axis=1, keepdims=True)


def test_mean_top_k_similarity_matches_naive() -> None:
    vectors, reference = unit_rows(0, 30), unit_rows(1, 40)
    got = mean_top_k_similarity(vectors, reference, k=5)
    for i, vector in enumerate(vectors):
        expected = np.sort(reference @ vector)[-5:].mean()
        assert got[i] == pytest.approx(expected, abs=1e-5)
    assert mean_top_k_similarity(vectors, reference[:0], k=5).tolist() == [0.0] * 30


def test_reference_similarity_per_language_excludes_self() -> None:
    vectors = unit_rows(2, 20)
    languages = ["es"] * 8 + ["en"] * 12
    result = reference_similarity(vectors, languages, k=3)
    spanish = vectors[:8]
    for i in range(20):
        sims = spanish @ vectors[i]
        if i < 8:
            sims = np.delete(sims, i)
        assert result["es"][i] == pytest.approx(np.sort(sims)[-3:].mean(), abs=1e-5)


def test_neighbour_graph_matches_naive() -> None:
    vectors = unit_rows(3, 25)
    indices, sims = neighbour_graph(vectors, 4)
    for i in range(25):
        scores = vectors @ vectors[i]
        scores[i] = -np.inf
        assert set(indices[i]) == set(np.argsort(-scores)[:4])
        assert np.allclose(np.sort(sims[i]), np.sort(scores[indices[i]]))
    assert neighbour_graph(vectors[:1], 4)[0].shape == (1, 0)


@pytest.mark.parametrize("use_mask", [False, True])
def test_neighbour_graph_among_a_sample_matches_naive(use_mask: bool) -> None:
    """Large collections look for neighbours among a sample of rows (and a mask): each row's
    neighbours are its nearest candidates, never itself."""
    vectors = unit_rows(4, 60)
    mask = np.arange(60) % 3 != 0 if use_mask else None
    indices, sims = neighbour_graph(vectors, 4, mask=mask, max_candidates=30)
    candidates = set(np.unique(indices).tolist())
    assert len(candidates) <= 30
    if mask is not None:
        assert all(mask[j] for j in candidates)
    # Rebuild the candidate set the function drew and compare with a naive search over it.
    allowed = np.zeros(60, dtype=bool)
    allowed[sample_rows(np.arange(60), 30)] = True
    if mask is not None:
        allowed &= mask
    for i in range(60):
        scores = np.where(allowed, vectors @ vectors[i], -np.inf)
        scores[i] = -np.inf
        assert set(indices[i]) == set(np.argsort(-scores)[:4])
        assert np.allclose(np.sort(sims[i]), np.sort(scores[indices[i]]))


def test_neighbour_graph_with_fewer_candidates_than_k_pads_with_blocked_rows() -> None:
    vectors = unit_rows(5, 10)
    mask = np.zeros(10, dtype=bool)
    mask[:2] = True
    indices, sims = neighbour_graph(vectors, 4, mask=mask)
    assert indices.shape == (10, 4)
    for i in range(10):
        finite = indices[i][np.isfinite(sims[i])]
        assert set(finite.tolist()) <= {0, 1} - {i}
