"""Score fusion: language gating and diffusion."""

from __future__ import annotations

import numpy as np
import pytest

from puente.matching.engine.fusion import diffuse, fuse_text_scores, standardize


def test_standardize_handles_constant_and_mask() -> None:
    assert standardize(np.array([2.0, 2.0])).tolist() == [0.0, 0.0]
    z = standardize(np.array([1.0, 3.0, 100.0]), mask=np.array([True, True, False]))
    assert z[:2].tolist() == [-1.0, 1.0]


def test_lexical_scores_never_touch_cross_language_pairs() -> None:
    semantic = np.array([0.5, 0.5, 0.5, 0.1])
    lexical = np.array([0.0, 9.0, 9.0, 1.0])  # item 2 is in another language
    same_language = np.array([True, True, False, True])
    fused = fuse_text_scores(semantic, lexical, same_language, 0.5, 0.5)
    assert fused.lexical[2] == 0.0
    assert fused.lexical[1] > 0.0
    assert fused.lexical[0] == 0.0  # clipped at zero: no penalty for lacking words
    assert fused.total[1] > fused.total[2] == pytest.approx(fused.total[0])
    assert np.allclose(fused.total, fused.semantic + fused.lexical)


def test_diffuse_averages_neighbours_and_silences_rows() -> None:
    scores = np.array([1.0, 0.0, 0.0])
    neighbours = np.array([[1], [0], [3]])  # 3 = missing neighbour -> mean
    received = diffuse(scores, neighbours, alpha=0.5, steps=1)
    assert received.tolist() == pytest.approx([0.0, 0.5, 0.5 / 3])
    silenced = diffuse(scores, neighbours, alpha=0.5, steps=1, silent_rows=np.array([0]))
    assert silenced[1] == pytest.approx(0.5 / 3)
    assert diffuse(scores, neighbours, alpha=0.5, steps=0).tolist() == [0.0, 0.0, 0.0]
