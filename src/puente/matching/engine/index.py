"""Vector indexes: the interface the engine needs, and an exact in-memory implementation.

:class:`VectorIndex` is written so that a database-backed index (pgvector: ``ORDER BY
embedding <#> :query LIMIT k`` with ``WHERE id = ANY(:allowed)``) can replace
:class:`ExactVectorIndex` without the ranker noticing. Vectors are unit length, so the inner
product is the cosine.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Collection, Hashable, Iterable, Iterator, Sequence
from dataclasses import dataclass

import numpy as np

ItemId = Hashable


@dataclass(frozen=True, slots=True)
class Neighbor:
    """One search result: an item id and its cosine similarity to the query."""

    id: ItemId
    similarity: float


class VectorIndex(ABC):
    """Unit vectors by item id, searched by cosine similarity."""

    dimension: int

    @abstractmethod
    def upsert(self, ids: Sequence[ItemId], vectors: np.ndarray) -> None:
        """Add items, or replace the vectors of items already present."""

    @abstractmethod
    def remove(self, ids: Iterable[ItemId]) -> None:
        """Forget items (ids not present are ignored)."""

    @abstractmethod
    def __len__(self) -> int: ...

    @abstractmethod
    def __contains__(self, item_id: object) -> bool: ...

    @abstractmethod
    def ids(self) -> Iterator[ItemId]:
        """Every item id, in no promised order."""

    @abstractmethod
    def vectors_of(self, ids: Sequence[ItemId]) -> np.ndarray:
        """The stored vectors of ``ids`` (KeyError for an unknown id), shape (len(ids), dim)."""

    @abstractmethod
    def similarities(self, query: np.ndarray, ids: Sequence[ItemId]) -> np.ndarray:
        """Cosine of ``query`` with each of ``ids``, in that order."""

    @abstractmethod
    def search(
        self,
        query: np.ndarray,
        k: int,
        *,
        allowed: Collection[ItemId] | None = None,
        excluded: Collection[ItemId] | None = None,
    ) -> list[Neighbor]:
        """The ``k`` items most similar to ``query``, best first, restricted to ``allowed``
        (when given) and never any of ``excluded``. Ties are broken by insertion order."""

    def upsert_one(self, item_id: ItemId, vector: np.ndarray) -> None:
        """Add or replace a single item."""
        self.upsert([item_id], np.asarray(vector, dtype=np.float32).reshape(1, -1))


class ExactVectorIndex(VectorIndex):
    """Brute force over a contiguous float32 matrix: exact, ~10 ms per query at 100kx512.

    Rows are kept packed (a removed row is filled with the last one), so a search is one
    matrix-vector product and one ``argpartition``.
    """

    def __init__(self, dimension: int, initial_capacity: int = 1024) -> None:
        self.dimension = dimension
        self._matrix = np.zeros((max(1, initial_capacity), dimension), dtype=np.float32)
        self._ids: list[ItemId] = []
        self._row_of: dict[ItemId, int] = {}

    # --- maintenance ----------------------------------------------------------------------
    def upsert(self, ids: Sequence[ItemId], vectors: np.ndarray) -> None:
        """Add items, or replace the vectors of items already present."""
        vectors = np.asarray(vectors, dtype=np.float32)
        if vectors.ndim != 2 or vectors.shape != (len(ids), self.dimension):
            raise ValueError(f"expected vectors of shape ({len(ids)}, {self.dimension})")
        new = [item_id for item_id in dict.fromkeys(ids) if item_id not in self._row_of]
        self._reserve(len(self._ids) + len(new))
        for item_id in new:
            self._row_of[item_id] = len(self._ids)
            self._ids.append(item_id)
        rows = np.fromiter((self._row_of[item_id] for item_id in ids), np.int64, len(ids))
        self._matrix[rows] = vectors

    def remove(self, ids: Iterable[ItemId]) -> None:
        """Forget items; the last row moves into each freed row so rows stay packed."""
        for item_id in ids:
            row = self._row_of.pop(item_id, None)
            if row is None:
                continue
            last = len(self._ids) - 1
            if row != last:
                moved = self._ids[last]
                self._matrix[row] = self._matrix[last]
                self._ids[row] = moved
                self._row_of[moved] = row
            self._ids.pop()

    def _reserve(self, size: int) -> None:
        capacity = self._matrix.shape[0]
        if size <= capacity:
            return
        grown = np.zeros((max(size, capacity * 2), self.dimension), dtype=np.float32)
        grown[: len(self._ids)] = self._matrix[: len(self._ids)]
        self._matrix = grown

    # --- reading --------------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self._ids)

    def __contains__(self, item_id: object) -> bool:
        return item_id in self._row_of

    def ids(self) -> Iterator[ItemId]:
        """Every item id, in row order."""
        return iter(list(self._ids))

    @property
    def matrix(self) -> np.ndarray:
        """The live (n, dim) matrix, row i belonging to ``row_ids()[i]``; do not modify."""
        return self._matrix[: len(self._ids)]

    def row_ids(self) -> list[ItemId]:
        """Item id of each matrix row."""
        return list(self._ids)

    def rows_of(self, ids: Iterable[ItemId]) -> np.ndarray:
        """Matrix rows of the known ids among ``ids`` (unknown ids are skipped)."""
        rows = [self._row_of[i] for i in ids if i in self._row_of]
        return np.asarray(rows, dtype=np.int64)

    def mask_of(self, ids: Iterable[ItemId]) -> np.ndarray:
        """A boolean row mask selecting ``ids`` (for :meth:`search_masked`)."""
        mask = np.zeros(len(self._ids), dtype=bool)
        mask[self.rows_of(ids)] = True
        return mask

    def vectors_of(self, ids: Sequence[ItemId]) -> np.ndarray:
        """Stored vectors of ``ids`` (KeyError for an unknown id)."""
        rows = np.fromiter((self._row_of[item_id] for item_id in ids), np.int64, len(ids))
        return self._matrix[rows].copy()

    def similarities(self, query: np.ndarray, ids: Sequence[ItemId]) -> np.ndarray:
        """Cosine of ``query`` with each of ``ids`` (KeyError for an unknown id)."""
        rows = np.fromiter((self._row_of[item_id] for item_id in ids), np.int64, len(ids))
        return self._matrix[rows] @ np.asarray(query, dtype=np.float32)

    def all_similarities(self, query: np.ndarray) -> np.ndarray:
        """Cosine of ``query`` with every row, in row order."""
        return self.matrix @ np.asarray(query, dtype=np.float32)

    def search(
        self,
        query: np.ndarray,
        k: int,
        *,
        allowed: Collection[ItemId] | None = None,
        excluded: Collection[ItemId] | None = None,
    ) -> list[Neighbor]:
        """Exact top-k by cosine, filtered by ``allowed`` / ``excluded`` ids."""
        mask = None
        if allowed is not None:
            mask = self.mask_of(allowed)
        if excluded:
            if mask is None:
                mask = np.ones(len(self._ids), dtype=bool)
            mask[self.rows_of(excluded)] = False
        return self.search_masked(query, k, mask)

    def search_masked(
        self,
        query: np.ndarray,
        k: int,
        mask: np.ndarray | None = None,
        offsets: np.ndarray | None = None,
    ) -> list[Neighbor]:
        """Top-k over rows where ``mask`` is true, scoring ``cosine + offsets[row]`` (both
        optional, aligned with :meth:`row_ids`). ``similarity`` is the score used to rank."""
        scores = self.all_similarities(query)
        if offsets is not None:
            scores = scores + offsets
        rows = top_k_rows(scores, k, mask)
        return [Neighbor(self._ids[row], float(scores[row])) for row in rows]


def top_k_rows(scores: np.ndarray, k: int, mask: np.ndarray | None = None) -> np.ndarray:
    """Positions of the ``k`` highest ``scores`` (restricted to ``mask``), best first, ties by
    position. O(n) selection with ``argpartition`` then a sort of only k values."""
    if mask is not None:
        candidates = np.flatnonzero(mask)
        chosen = candidates[_top_positions(scores[candidates], k)]
        return chosen
    return _top_positions(scores, k)


def _top_positions(scores: np.ndarray, k: int) -> np.ndarray:
    n = scores.shape[0]
    if k <= 0 or n == 0:
        return np.zeros(0, dtype=np.int64)
    if k < n:
        threshold = scores[np.argpartition(-scores, k - 1)[k - 1]]
        above = np.flatnonzero(scores > threshold)
        tied = np.flatnonzero(scores == threshold)[: k - above.shape[0]]
        part = np.concatenate([above, tied])
    else:
        part = np.arange(n)
    # stable sort on (-score, position) so equal scores keep insertion order
    order = np.lexsort((part, -scores[part]))
    return part[order].astype(np.int64)
