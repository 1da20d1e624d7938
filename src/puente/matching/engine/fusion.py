"""Score fusion: semantic + language-gated lexical relevance, and neighbour diffusion.

Scores are fused after normalization (not by rank): both the semantic cosine and BM25 are
standardized over the candidates of one query (BM25 over the same-language ones only), and the
lexical part is clipped at 0, so a document without matching words loses nothing against a
document of another language, where lexical relevance does not apply. Lexical relevance only applies where query and
document share a language: across languages it is forced to 0, because word overlap between
a Spanish query and an English document is noise that drowns the semantic signal.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


def standardize(scores: np.ndarray, mask: np.ndarray | None = None) -> np.ndarray:
    """(x - mean) / std, statistics taken over ``mask`` (all rows when None); std 0 gives 0."""
    scores = np.asarray(scores, dtype=np.float64)
    sample = scores if mask is None else scores[mask]
    if sample.size == 0:
        return np.zeros_like(scores)
    deviation = float(sample.std())
    if deviation < 1e-12:
        return np.zeros_like(scores)
    return (scores - float(sample.mean())) / deviation


def max_normalize(scores: np.ndarray) -> np.ndarray:
    """Non-negative scores divided by their maximum (all zeros stay zeros)."""
    scores = np.clip(np.asarray(scores, dtype=np.float64), 0.0, None)
    top = float(scores.max()) if scores.size else 0.0
    return scores / top if top > 0 else scores


def same_language_mask(query_language: str, document_languages: np.ndarray) -> np.ndarray:
    """True where a document is in the query's language: the only pairs lexical scores touch."""
    return np.asarray(document_languages) == query_language


@dataclass(frozen=True)
class FusedScores:
    """Per-candidate fused score and the part each signal contributed to it."""

    total: np.ndarray
    semantic: np.ndarray
    lexical: np.ndarray


def fuse_text_scores(
    semantic: np.ndarray,
    lexical: np.ndarray,
    same_language: np.ndarray,
    semantic_weight: float,
    lexical_weight: float,
) -> FusedScores:
    """``semantic_weight · z(semantic) + lexical_weight · max(0, z(bm25))``; the BM25 z-score is
    taken over same-language candidates only and is 0 for every cross-language pair. When the
    BM25 scores cannot be standardized (a single candidate), ``bm25 / max(bm25)`` is used."""
    same_language = np.asarray(same_language, dtype=bool)
    semantic_part = semantic_weight * standardize(semantic)
    gated = np.where(same_language, lexical, 0.0)
    lexical_z = standardize(gated, mask=same_language)
    if not lexical_z.any():  # one candidate, or all equal: fall back to a [0, 1] scale
        lexical_z = max_normalize(gated)
    lexical_part = np.where(same_language, lexical_weight * np.maximum(lexical_z, 0.0), 0.0)
    return FusedScores(semantic_part + lexical_part, semantic_part, lexical_part)


def diffuse(
    scores: np.ndarray,
    neighbours: np.ndarray,
    alpha: float,
    steps: int,
    silent_rows: np.ndarray | None = None,
) -> np.ndarray:
    """Relevance received from similar documents: ``Σ_{t=1..steps} αᵗ·Aᵗ·s`` where ``A``
    averages over each row's neighbours (``neighbours[i]`` = row indices of i's neighbours;
    the index ``len(scores)`` stands for a missing neighbour and carries the mean score).

    ``silent_rows`` pass nothing on (e.g. the query's own document, or items that may not be
    shown): their score is replaced by the mean before each step. Returns only the part
    received from neighbours.
    """
    if neighbours.size == 0 or neighbours.shape[1] == 0 or steps <= 0:
        return np.zeros(len(scores), dtype=np.float64)
    received = np.zeros(len(scores), dtype=np.float64)
    current = np.asarray(scores, dtype=np.float64)
    for step in range(1, steps + 1):
        baseline = float(current.mean())
        extended = np.append(current, baseline)
        if silent_rows is not None and silent_rows.size:
            extended[silent_rows] = baseline
        current = extended[neighbours].mean(axis=1)
        received += alpha**step * current
    return received
