"""Hubness correction (CSLS) and the document neighbour graph, from the collection itself.

In a multilingual embedding space some documents ("hubs") are close to many queries of the
other language and crowd the top of every result list. CSLS (Conneau et al., 2018) scores a
pair as ``2·cos(q, d) - r_S(q) - r_T(d)``, where ``r_T(d)`` is the mean cosine of ``d`` to its
``k`` nearest texts of the query's language. ``r_S(q)`` is the same for every document of one
query, so only ``r_T`` changes a ranking: the engine ranks by ``cos(q, d) - r_T(d)/2``.

The literature estimates ``r_T`` against the batch of test queries. A live service does not
know its queries, so here ``r_T(d)`` is estimated against the texts of each language that are
registered in the collection itself (organizations, opportunities, profiles): they are known
before any query, are the population whose members will be queries, and contain no query
typed at search time. It is recomputed in bulk by :func:`reference_similarity` when the
collection is (re)built, and for a single new document against the current collection.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

DEFAULT_HUBNESS_K = 10
_CHUNK_ROWS = 1024


def mean_top_k_similarity(
    vectors: np.ndarray,
    reference: np.ndarray,
    k: int = DEFAULT_HUBNESS_K,
    exclude_same_row: bool = False,
) -> np.ndarray:
    """For each row of ``vectors``, the mean of its ``k`` largest cosines with ``reference``.

    ``exclude_same_row`` skips ``reference[i]`` for ``vectors[i]`` (when both are the same
    matrix). Computed in row chunks, so memory stays O(chunk x len(reference)). Returns zeros
    when the reference is empty.
    """
    n = vectors.shape[0]
    out = np.zeros(n, dtype=np.float32)
    available = reference.shape[0] - (1 if exclude_same_row else 0)
    k = min(k, available)
    if n == 0 or k <= 0:
        return out
    for start in range(0, n, _CHUNK_ROWS):
        block = vectors[start : start + _CHUNK_ROWS] @ reference.T
        if exclude_same_row:
            rows = np.arange(block.shape[0])
            block[rows, rows + start] = -np.inf
        top = np.partition(block, block.shape[1] - k, axis=1)[:, -k:]
        out[start : start + block.shape[0]] = top.mean(axis=1)
    return out


def sample_rows(rows: np.ndarray, limit: int | None, seed: int = 0) -> np.ndarray:
    """At most ``limit`` of ``rows``, drawn reproducibly (all of them when ``limit`` is None)."""
    if limit is None or len(rows) <= limit:
        return rows
    return np.sort(np.random.default_rng(seed).choice(rows, size=limit, replace=False))


def reference_similarity(
    vectors: np.ndarray,
    languages: Sequence[str],
    k: int = DEFAULT_HUBNESS_K,
    max_reference: int | None = None,
) -> dict[str, np.ndarray]:
    """``r[L][i]``: mean cosine of document i to its ``k`` nearest collection texts in
    language L (itself excluded), for every language L present in ``languages``.

    Cost O(n · m · dim) in chunks, m = texts of L used as reference: all of them (about a
    second for 6,000 documents on 2 cores), or a reproducible sample of ``max_reference`` for
    large collections, which estimates the same mean from fewer texts.
    """
    language_array = np.asarray(languages)
    result: dict[str, np.ndarray] = {}
    for language in sorted(set(languages)):
        members = np.flatnonzero(language_array == language)
        chosen = sample_rows(members, max_reference)
        reference = vectors[chosen]
        r = mean_top_k_similarity(vectors, reference, k)
        # Texts in the reference were compared with themselves: redo them excluding self.
        r[chosen] = mean_top_k_similarity(reference, reference, k, exclude_same_row=True)
        result[language] = r
    return result


def neighbour_graph(
    vectors: np.ndarray, k: int, mask: np.ndarray | None = None, max_candidates: int | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Each row's ``k`` nearest other rows (indices, cosines), optionally only among ``mask``.

    Used to diffuse relevance between similar documents (the cluster hypothesis). Returns
    arrays of shape (n, k'), k' = min(k, n - 1). With ``max_candidates``, neighbours are
    looked for among a reproducible sample of that many rows (large collections).
    """
    n = vectors.shape[0]
    if max_candidates is not None and n > max_candidates:
        allowed = np.zeros(n, dtype=bool)
        allowed[sample_rows(np.arange(n), max_candidates)] = True
        mask = allowed if mask is None else (mask & allowed)
    k = max(0, min(k, n - 1))
    indices = np.zeros((n, k), dtype=np.int64)
    sims = np.zeros((n, k), dtype=np.float32)
    if k == 0:
        return indices, sims
    # Compare every row with the candidate rows only (not with all n rows and then mask):
    # at 100,000 rows and a 12,000-row sample that is 8 times less work.
    candidates = np.arange(n) if mask is None else np.flatnonzero(mask)
    if candidates.shape[0] <= k:  # too few candidates: keep k columns, the rest at -inf
        candidates = np.arange(n)
        blocked = None if mask is None else ~mask
    else:
        blocked = None
    position = np.full(n, -1, dtype=np.int64)
    position[candidates] = np.arange(candidates.shape[0])
    candidate_vectors = vectors[candidates]
    for start in range(0, n, _CHUNK_ROWS):
        block = vectors[start : start + _CHUNK_ROWS] @ candidate_vectors.T
        rows = np.arange(block.shape[0])
        own = position[rows + start]
        block[rows[own >= 0], own[own >= 0]] = -np.inf
        if blocked is not None:
            block[:, blocked] = -np.inf
        part = np.argpartition(-block, k - 1, axis=1)[:, :k]
        indices[start : start + block.shape[0]] = candidates[part]
        sims[start : start + block.shape[0]] = np.take_along_axis(block, part, axis=1)
    return indices, sims
