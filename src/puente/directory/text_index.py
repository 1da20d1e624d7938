"""In-memory full-text postings of the directory: match and rank a query in NumPy.

The directory used to ask the database for every match of a query with its rank. For a common
word (10–13 % of 100,000 organizations) PostgreSQL scanned the wide organization table and
computed ``ts_rank`` on every row (100–130 ms), and SQLite's ``bm25`` cost 15–25 ms. The facet
index already holds every organization in memory, so it also holds the words of their
``search_text`` (the accent-folded, lower-cased words written by
:func:`puente.core.text.search_document`, the same text the database indexes): a sorted
vocabulary and, per word, the organizations using it and how often (compressed sparse rows).

Matching is the database's rule: every query term matches as a prefix of a word, and a result
must match every term. Because the vocabulary is sorted, the words starting with a term are a
contiguous range, and so are their postings. Ranking is the same on both databases:

1. the organization's name is exactly the query (its words, in any order);
2. every term matches a word of the name;
3. the rest;

and within a tier by BM25 over the whole text (k1 = 1.2, b = 0.75), then by name. This module
is pure (no Django): it takes texts and returns arrays.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import chain

import numpy as np

BM25_K1 = 1.2
BM25_B = 0.75

TIER_EXACT_NAME = 0
TIER_NAME = 1
TIER_TEXT = 2


@dataclass
class TextMatches:
    """The documents matching every term, with their tier (lower first) and score (higher first)."""

    matched: np.ndarray  # (N,) bool
    tier: np.ndarray  # (N,) int8
    score: np.ndarray  # (N,) float64


@dataclass
class TextPostings:
    """Which documents use each word, how often, and how often in the name (the first words)."""

    vocabulary: list[str]  # sorted, distinct
    starts: np.ndarray  # (V + 1,) int64: postings of word v are [starts[v], starts[v + 1])
    docs: np.ndarray  # (P,) int32 document of each posting
    counts: np.ndarray  # (P,) uint16 occurrences of the word in the document (capped)
    name_counts: np.ndarray  # (P,) uint8 occurrences among the document's name words (capped)
    lengths: np.ndarray  # (N,) words per document
    name_lengths: np.ndarray  # (N,) words of each document's name

    @property
    def size(self) -> int:
        return len(self.lengths)

    @classmethod
    def build(
        cls,
        texts: Sequence[str],
        name_lengths: Sequence[int],
        docs: Sequence[int] | np.ndarray,
        size: int,
    ) -> TextPostings:
        """Postings of ``texts``; ``docs[i]`` (in ``range(size)``) numbers ``texts[i]``.

        ``name_lengths[i]`` says how many of the first words of ``texts[i]`` are its name.
        A document number without a text has no words.
        """
        vocabulary, word_ids, text_lengths = _words(texts)
        doc_numbers = np.asarray(docs, dtype=np.int32)
        token_docs = np.repeat(doc_numbers, text_lengths)
        first_token = np.cumsum(text_lengths) - text_lengths
        place = np.arange(len(word_ids), dtype=np.int64) - np.repeat(first_token, text_lengths)
        name_limit = np.minimum(np.asarray(name_lengths, dtype=np.int64), text_lengths)
        in_name = place < np.repeat(name_limit, text_lengths)
        # One int64 key per token: (word, document, in the name). Sorting the keys groups the
        # repeats of a word in a document (cheaper than an argsort and three gathers).
        keys = (word_ids.astype(np.int64) * max(size, 1) + token_docs) * 2 + in_name
        keys.sort()
        pairs = keys >> 1
        boundary = np.ones(len(keys), dtype=bool)
        boundary[1:] = pairs[1:] != pairs[:-1]
        first = np.flatnonzero(boundary)
        # Small types: at 100,000 organizations the postings are 3.5 million entries.
        counts = np.minimum(np.diff(np.append(first, len(keys))), 65_535).astype(np.uint16)
        name_counts = (
            np.add.reduceat((keys & 1).astype(np.int32), first)
            if len(first)
            else np.zeros(0, dtype=np.int32)
        )
        posting_words = pairs[first] // max(size, 1)
        posting_docs = (pairs[first] % max(size, 1)).astype(np.int32)
        lengths = np.zeros(size, dtype=np.int64)
        lengths[doc_numbers] = text_lengths
        names = np.zeros(size, dtype=np.int64)
        names[doc_numbers] = name_limit
        return cls(
            vocabulary=vocabulary,
            starts=np.searchsorted(posting_words, np.arange(len(vocabulary) + 1)).astype(np.int64),
            docs=posting_docs,
            counts=counts,
            name_counts=np.minimum(name_counts, 255).astype(np.uint8),
            lengths=lengths,
            name_lengths=names,
        )

    def _words_starting_with(self, term: str) -> tuple[int, int]:
        low = bisect_left(self.vocabulary, term)
        high = bisect_right(self.vocabulary, term, lo=low, key=lambda word: word[: len(term)])
        return low, high

    def frequencies(self, term: str, size: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Per document (``size`` of them): occurrences of words starting with ``term``, of
        those in the name, and whether the word ``term`` itself is in the name."""
        low, high = self._words_starting_with(term)
        first, last = int(self.starts[low]), int(self.starts[high])
        docs = self.docs[first:last]
        frequency = np.bincount(docs, weights=self.counts[first:last], minlength=size)
        in_name = np.bincount(docs, weights=self.name_counts[first:last], minlength=size)
        exact = np.zeros(size, dtype=bool)
        if low < high and self.vocabulary[low] == term:
            exact_first, exact_last = first, int(self.starts[low + 1])
            exact[
                self.docs[exact_first:exact_last][self.name_counts[exact_first:exact_last] > 0]
            ] = True
        return frequency[:size], in_name[:size], exact


def _words(texts: Sequence[str]) -> tuple[list[str], np.ndarray, np.ndarray]:
    """The sorted vocabulary, each token's word number, and the number of tokens per text.

    Splitting one joined string is 2–3 times faster than 100,000 splits: the texts are joined
    with a NUL token between them, which marks where each text ends (no word contains NUL;
    a text that does takes the slower path).
    """
    if not texts or any(SEPARATOR in text for text in texts):
        split = [text.split() for text in texts]
        tokens = list(chain.from_iterable(split))
        lengths = np.fromiter(map(len, split), dtype=np.int64, count=len(texts))
        vocabulary = sorted(set(tokens))
        number = dict(zip(vocabulary, range(len(vocabulary)), strict=True))
        ids = np.fromiter(map(number.__getitem__, tokens), dtype=np.int32, count=len(tokens))
        return vocabulary, ids, lengths
    tokens = f" {SEPARATOR} ".join(texts).split()
    tokens.append(SEPARATOR)
    vocabulary = sorted(set(tokens))  # SEPARATOR sorts first: every other token is > "\0"
    number = dict(zip(vocabulary, range(len(vocabulary)), strict=True))
    ids = np.fromiter(map(number.__getitem__, tokens), dtype=np.int32, count=len(tokens))
    ends = np.flatnonzero(ids == 0)
    lengths = np.diff(np.concatenate([[-1], ends])) - 1
    return vocabulary[1:], ids[ids != 0] - 1, lengths.astype(np.int64)


SEPARATOR = "\0"


def _padded(values: np.ndarray, size: int) -> np.ndarray:
    if len(values) >= size:
        return values[:size]
    return np.concatenate([values, np.zeros(size - len(values), dtype=values.dtype)])


@dataclass
class TextIndex:
    """Postings read at the last full build, plus postings of the documents changed since.

    A refresh after a few writes re-reads only the changed documents: their ``base`` postings
    stop counting (``replaced``) and ``delta`` holds their current words. Results are exactly
    those of a full build over the same texts: statistics (document count, average length,
    document frequencies) are computed over the live documents of both parts.
    """

    base: TextPostings
    delta: TextPostings
    replaced: np.ndarray  # (N,) bool: the base postings of these documents are out of date
    alive: np.ndarray  # (N,) bool: documents that exist
    changed: dict[int, tuple[str, int]]  # document -> (text, name words) of the delta
    lengths: np.ndarray  # (N,) words per document, current
    name_lengths: np.ndarray  # (N,)

    @classmethod
    def build(
        cls,
        texts: Sequence[str],
        name_lengths: Sequence[int],
        docs: Sequence[int] | np.ndarray,
        size: int,
    ) -> TextIndex:
        base = TextPostings.build(texts, name_lengths, docs, size)
        return cls(
            base=base,
            delta=TextPostings.build([], [], [], size),
            replaced=np.zeros(size, dtype=bool),
            alive=np.ones(size, dtype=bool),
            changed={},
            lengths=base.lengths,
            name_lengths=base.name_lengths,
        )

    @property
    def size(self) -> int:
        return len(self.alive)

    def updated(
        self, changes: dict[int, tuple[str, int] | None], size: int, alive: np.ndarray
    ) -> TextIndex:
        """A new index where each changed document has its new (text, name words), or none.

        ``size`` may grow (new documents); ``alive`` says which documents exist now.
        """
        changed = dict(self.changed)
        for doc, value in changes.items():
            changed[doc] = value if value is not None else ("", 0)
        replaced = _padded(self.replaced, size).copy()
        replaced[list(changes)] = True
        docs = list(changed)
        delta = TextPostings.build(
            [changed[doc][0] for doc in docs], [changed[doc][1] for doc in docs], docs, size
        )
        keep = ~replaced
        return TextIndex(
            base=self.base,
            delta=delta,
            replaced=replaced,
            alive=alive.copy(),
            changed=changed,
            lengths=np.where(keep, _padded(self.base.lengths, size), delta.lengths),
            name_lengths=np.where(keep, _padded(self.base.name_lengths, size), delta.name_lengths),
        )

    def search(self, terms: Sequence[str]) -> TextMatches:
        """Documents containing a word starting with each of ``terms`` (folded query words)."""
        size = self.size
        matched = self.alive.copy() if terms else np.zeros(size, dtype=bool)
        score = np.zeros(size, dtype=np.float64)
        in_name = np.ones(size, dtype=bool)
        exact_in_name = np.ones(size, dtype=bool)
        live = int(np.count_nonzero(self.alive))
        lengths = np.where(self.alive, self.lengths, 0)
        average_length = float(lengths.sum()) / live if live else 0.0
        norm = BM25_K1 * (
            1 - BM25_B + BM25_B * lengths / (average_length if average_length else 1.0)
        )
        keep = ~self.replaced
        for term in terms:
            frequency, name_frequency, exact = self.base.frequencies(term, size)
            if self.changed:
                frequency = np.where(keep, frequency, 0.0)
                name_frequency = np.where(keep, name_frequency, 0.0)
                exact &= keep
                more, more_in_name, more_exact = self.delta.frequencies(term, size)
                frequency = frequency + more
                name_frequency = name_frequency + more_in_name
                exact |= more_exact
            present = (frequency > 0) & self.alive
            matched &= present
            if not matched.any():
                return TextMatches(
                    matched=matched, tier=np.full(size, TIER_TEXT, np.int8), score=score
                )
            in_name &= name_frequency > 0
            exact_in_name &= exact
            documents = int(np.count_nonzero(present))
            idf = math.log(1 + (live - documents + 0.5) / (documents + 0.5))
            score += idf * frequency * (BM25_K1 + 1) / (frequency + norm)
        tier = np.full(size, TIER_TEXT, dtype=np.int8)
        tier[in_name] = TIER_NAME
        tier[exact_in_name & (self.name_lengths == len(terms))] = TIER_EXACT_NAME
        return TextMatches(matched=matched, tier=tier, score=score)
