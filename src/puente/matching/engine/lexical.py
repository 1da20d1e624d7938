"""BM25 over accent-folded words, one index per language.

Each document carries a language code and is only ever scored against queries of the same
language: word overlap across languages is noise (and fusing it into cross-language pairs
drops accuracy, see docs/matching.md). Documents may have several weighted fields (a
simplified BM25F: field term counts and lengths are summed with the field weights).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Collection, Hashable, Mapping
from dataclasses import dataclass, field
from functools import cache, lru_cache

import numpy as np

from puente.matching.engine.text import tokens

ItemId = Hashable
Stemmer = Callable[[str], str]

_SNOWBALL_NAMES = {"es": "spanish", "en": "english", "pt": "portuguese", "fr": "french"}


@cache
def snowball_stemmer(language: str) -> Stemmer | None:
    """A cached Snowball stemmer for ``language`` ('es', 'en', …), or None when the optional
    ``snowballstemmer`` package or the language is not available."""
    name = _SNOWBALL_NAMES.get(language)
    if name is None:
        return None
    try:
        import snowballstemmer
    except ImportError:  # pragma: no cover - optional dependency
        return None
    stemmer = snowballstemmer.stemmer(name)
    return lru_cache(maxsize=200_000)(stemmer.stemWord)


@dataclass(frozen=True)
class BM25Parameters:
    """``k1`` saturates term frequency, ``b`` normalizes by document length; ``field_weights``
    weight named fields (a field without a weight counts 1); ``stem`` applies a Snowball
    stemmer for the document's language when available."""

    k1: float = 1.2
    b: float = 0.75
    field_weights: Mapping[str, float] = field(default_factory=dict)
    stem: bool = False


class _LanguageIndex:
    """Postings of one language's documents."""

    def __init__(self) -> None:
        self.slot_of: dict[ItemId, int] = {}
        self.ids: list[ItemId | None] = []
        self.lengths = np.zeros(0, dtype=np.float64)
        self.total_length = 0.0
        self.postings: dict[str, dict[int, float]] = {}
        self.terms_of: dict[int, list[str]] = {}
        self._arrays: dict[str, tuple[np.ndarray, np.ndarray]] = {}

    def __len__(self) -> int:
        return len(self.slot_of)

    def add(self, item_id: ItemId, weighted_counts: Mapping[str, float]) -> None:
        slot = len(self.ids)
        self.ids.append(item_id)
        self.slot_of[item_id] = slot
        if slot >= self.lengths.shape[0]:
            grown = np.zeros(max(16, 2 * self.lengths.shape[0]), dtype=np.float64)
            grown[: self.lengths.shape[0]] = self.lengths
            self.lengths = grown
        length = float(sum(weighted_counts.values()))
        self.lengths[slot] = length
        self.total_length += length
        self.terms_of[slot] = list(weighted_counts)
        for term, count in weighted_counts.items():
            self.postings.setdefault(term, {})[slot] = count
            self._arrays.pop(term, None)

    def remove(self, item_id: ItemId) -> None:
        slot = self.slot_of.pop(item_id, None)
        if slot is None:
            return
        self.ids[slot] = None
        self.total_length -= float(self.lengths[slot])
        self.lengths[slot] = 0.0
        for term in self.terms_of.pop(slot):
            posting = self.postings[term]
            del posting[slot]
            if not posting:
                del self.postings[term]
            self._arrays.pop(term, None)

    def term_arrays(self, term: str) -> tuple[np.ndarray, np.ndarray] | None:
        posting = self.postings.get(term)
        if posting is None:
            return None
        arrays = self._arrays.get(term)
        if arrays is None:
            slots = np.fromiter(posting.keys(), dtype=np.int64, count=len(posting))
            counts = np.fromiter(posting.values(), dtype=np.float64, count=len(posting))
            arrays = self._arrays[term] = (slots, counts)
        return arrays


class BM25Index:
    """Per-language BM25 over documents made of one or more named text fields."""

    def __init__(self, parameters: BM25Parameters | None = None) -> None:
        self.parameters = parameters or BM25Parameters()
        self._languages: dict[str, _LanguageIndex] = {}
        self._language_of: dict[ItemId, str] = {}

    def __len__(self) -> int:
        return len(self._language_of)

    def __contains__(self, item_id: object) -> bool:
        return item_id in self._language_of

    def analyze(self, text: str, language: str) -> list[str]:
        """The index terms of ``text``: folded words, stemmed if configured."""
        words = tokens(text)
        stemmer = snowball_stemmer(language) if self.parameters.stem else None
        return [stemmer(word) for word in words] if stemmer else words

    def upsert(self, item_id: ItemId, fields: Mapping[str, str] | str, language: str) -> None:
        """Index (or re-index) a document given as one text or as named fields."""
        self.remove(item_id)
        if isinstance(fields, str):
            fields = {"text": fields}
        counts: dict[str, float] = {}
        for name, text in fields.items():
            weight = self.parameters.field_weights.get(name, 1.0)
            if weight <= 0 or not text:
                continue
            for term in self.analyze(text, language):
                counts[term] = counts.get(term, 0.0) + weight
        self._languages.setdefault(language, _LanguageIndex()).add(item_id, counts)
        self._language_of[item_id] = language

    def remove(self, item_id: ItemId) -> None:
        """Forget a document (unknown ids are ignored)."""
        language = self._language_of.pop(item_id, None)
        if language is not None:
            self._languages[language].remove(item_id)

    def language_of(self, item_id: ItemId) -> str | None:
        """The language a document was indexed under."""
        return self._language_of.get(item_id)

    def idf(self, term: str, language: str) -> float:
        """Inverse document frequency of an index term among ``language`` documents."""
        index = self._languages.get(language)
        if index is None:
            return 0.0
        df = len(index.postings.get(term, ()))
        return math.log(1.0 + (len(index) - df + 0.5) / (df + 0.5))

    def scores(
        self, query: str, language: str, allowed: Collection[ItemId] | None = None
    ) -> dict[ItemId, float]:
        """BM25 score of every same-language document matching at least one query term
        (restricted to ``allowed`` when given). Documents of other languages never appear."""
        index = self._languages.get(language)
        if index is None or not len(index):
            return {}
        dense = self._dense_scores(index, self.analyze(query, language))
        slots = np.flatnonzero(dense > 0)
        result = {index.ids[slot]: float(dense[slot]) for slot in slots}
        if allowed is not None:
            allowed_set = allowed if isinstance(allowed, (set, frozenset, dict)) else set(allowed)
            result = {key: value for key, value in result.items() if key in allowed_set}
        return result

    def slot_ids(self) -> dict[str, list[ItemId | None]]:
        """Per language, the document of each scoring slot (None for a removed one): the
        positions of :meth:`slot_scores`' array."""
        return {language: index.ids for language, index in self._languages.items()}

    def slot_scores(self, query: str, language: str) -> np.ndarray | None:
        """BM25 of every slot of ``language`` for ``query`` as one array (see
        :meth:`slot_ids`), without building a mapping: what rankers over large collections
        want. None when no document has that language."""
        index = self._languages.get(language)
        if index is None or not len(index):
            return None
        return self._dense_scores(index, self.analyze(query, language))

    def top_k(
        self,
        query: str,
        language: str,
        k: int,
        excluded: Collection[ItemId] = (),
    ) -> list[tuple[ItemId, float]]:
        """The ``k`` best same-language documents, best first (ties by indexing order)."""
        scored = self.scores(query, language)
        for item_id in excluded:
            scored.pop(item_id, None)
        return sorted(scored.items(), key=lambda pair: -pair[1])[:k]

    def _dense_scores(self, index: _LanguageIndex, query_terms: list[str]) -> np.ndarray:
        k1, b = self.parameters.k1, self.parameters.b
        n_slots = len(index.ids)
        scores = np.zeros(n_slots, dtype=np.float64)
        n_docs = len(index)
        average_length = index.total_length / n_docs if n_docs else 1.0
        norm = k1 * (1.0 - b + b * index.lengths[:n_slots] / max(average_length, 1e-9))
        for term, query_count in Counter(query_terms).items():
            arrays = index.term_arrays(term)
            if arrays is None:
                continue
            slots, counts = arrays
            idf = math.log(1.0 + (n_docs - len(slots) + 0.5) / (len(slots) + 0.5))
            scores[slots] += query_count * idf * counts * (k1 + 1.0) / (counts + norm[slots])
        return scores
