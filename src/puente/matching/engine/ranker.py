"""The engine: a collection of items with their vectors, searched and matched with reasons.

:class:`MatchingEngine` keeps, for every :class:`~puente.matching.engine.models.Item`, its
vector (in a :class:`~puente.matching.engine.index.ExactVectorIndex`), its words (in a
per-language :class:`~puente.matching.engine.lexical.BM25Index`), and two statistics of the
collection recomputed by :meth:`MatchingEngine.refresh_statistics`: the hubness reference
similarity ``r_L(item)`` for each language ``L`` and the item's nearest neighbours.

* :meth:`MatchingEngine.search` ranks items for a free-text query (similar companies, the
  directory's search box): standardized semantic score after hubness correction, plus BM25
  only for items in the query's language, plus relevance diffused from each item's
  neighbours.
* :meth:`MatchingEngine.match` ranks candidates for an item (an organization or an
  opportunity): semantic similarity, same-language BM25, and the structured complementarity
  factors of :mod:`puente.matching.engine.factors`, on one bounded scale.

Both honour feedback: hidden (dismissed / not relevant) items are never returned, items similar
to those marked not relevant are demoted, and what the user already met is demoted.
"""

from __future__ import annotations

import heapq
import re
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace

import numpy as np

from puente.matching.engine import factors as codes
from puente.matching.engine.encoder import TextEncoder, embed_texts, get_encoder
from puente.matching.engine.factor_arrays import FactorArrays, one_of
from puente.matching.engine.factors import (
    ComplementarityWeights,
    complementarity,
)
from puente.matching.engine.fusion import (
    diffuse,
    fuse_text_scores,
    max_normalize,
    same_language_mask,
)
from puente.matching.engine.hubness import (
    DEFAULT_HUBNESS_K,
    neighbour_graph,
    reference_similarity,
)
from puente.matching.engine.index import ExactVectorIndex, top_k_rows
from puente.matching.engine.lexical import BM25Index, BM25Parameters
from puente.matching.engine.models import (
    Direction,
    Factor,
    Feedback,
    Item,
    ItemId,
    RankedItem,
    UserFeedback,
    UserId,
)

_WORD = re.compile(r"[^\W_]+", re.UNICODE)

#: A candidate class for :meth:`MatchingEngine.match`: an item ``category`` and a direction.
CandidateClass = tuple[str | None, Direction | None]

# Float sums taken in another order may differ in the last bits: bounds get this much slack.
_BOUND_SLACK = 1e-9
# Explained items whose words are kept, and analysed queries (explanations of a page reuse them).
_WORD_CACHE = 20_000
_QUERY_TERM_CACHE = 256
# Upserts of at most this many items patch the row-aligned arrays instead of dropping them.
_PATCH_LIMIT = 1000


@dataclass(frozen=True)
class SearchSettings:
    """Free-text search. Defaults were tuned on held-out queries (docs/matching.md)."""

    semantic_weight: float = 0.6
    lexical_weight: float = 0.4
    hubness_weight: float = 0.5  # rank by cos - hubness_weight · r_L(doc)  (CSLS: 0.5)
    diffusion_alpha: float = 0.9
    diffusion_steps: int = 2  # 0 disables diffusion
    # Diffusion helps a query that describes a profile (a company's pitch, a request written
    # out: dozens of words) and hurts a short look-up of one specific text, e.g. a sentence's
    # translation (docs/matching.md): shorter queries are ranked without it.
    diffusion_min_words: int = 12
    not_relevant_weight: float = 1.5
    already_met_weight: float = 1.0


@dataclass(frozen=True)
class MatchSettings:
    """Matchmaking between items: text relevance and structured factors on one scale."""

    semantic_weight: float = 1.0  # x hubness-corrected cosine, clipped at 0
    hubness_weight: float = 0.5
    lexical_weight: float = 0.25  # x BM25 / best BM25, same language only
    complementarity: ComplementarityWeights = field(default_factory=ComplementarityWeights)
    exclude_same_organization: bool = True
    not_relevant_weight: float = 0.6
    already_met_weight: float = 0.5


@dataclass(frozen=True)
class EngineSettings:
    """Collection-level settings (changing them requires :meth:`refresh_statistics`)."""

    hubness_k: int = DEFAULT_HUBNESS_K
    neighbours_k: int = 10
    # Above this many items, statistics are estimated against a reproducible sample of this
    # many texts (per language for hubness), keeping a rebuild at 100,000 items to seconds.
    max_statistics_sample: int | None = 12_000
    not_relevant_threshold: float = 0.5  # cosine above which an item resembles a rejected one
    bm25: BM25Parameters = field(default_factory=lambda: BM25Parameters(k1=2.0, b=0.75, stem=True))
    search: SearchSettings = field(default_factory=SearchSettings)
    match: MatchSettings = field(default_factory=MatchSettings)


@dataclass
class _Snapshot:
    """Arrays aligned with the vector index rows, rebuilt after any change."""

    ids: list[ItemId]
    row_of: dict[ItemId, int]
    languages: np.ndarray  # each row's language code (fixed-width strings: fast comparisons)
    reference: dict[str, np.ndarray]
    neighbours: np.ndarray
    organization_number: dict[ItemId, int]
    organizations: np.ndarray  # each row's organization, numbered (-1 when it has none)
    class_number: dict[tuple[str, str], int]  # (category, direction) -> number
    classes: np.ndarray  # each row's (category, direction), numbered
    factors: FactorArrays
    lexical_rows: dict[str, np.ndarray]  # per language: the row of each BM25 slot (-1: gone)
    dangling: frozenset[ItemId]  # neighbours named by some item that have no row

    def organization_of(self, organization_id: ItemId | None) -> int:
        """The number of an organization id in :attr:`organizations` (-2 when unknown)."""
        if organization_id is None:
            return -1
        return self.organization_number.get(organization_id, -2)

    def class_mask(self, classes: Collection[CandidateClass]) -> np.ndarray:
        """Rows whose (category, direction) is one of ``classes``."""
        wanted = [
            self.class_number.get(_class_key(category, direction), -1)
            for category, direction in classes
        ]
        return one_of(self.classes, wanted, len(self.class_number))

    def category_mask(self, categories: Collection[str]) -> np.ndarray:
        """Rows whose category is one of ``categories``."""
        wanted = {category or "" for category in categories}
        numbers = [n for (category, _), n in self.class_number.items() if category in wanted]
        return one_of(self.classes, numbers, len(self.class_number))


class MatchingEngine:
    """Items, their vectors and words; search and matchmaking with explanations."""

    def __init__(
        self,
        settings: EngineSettings | None = None,
        encoder: TextEncoder | None = None,
        dimension: int | None = None,
    ) -> None:
        self.settings = settings or EngineSettings()
        self._encoder = encoder
        self._dimension = dimension
        self._index: ExactVectorIndex | None = None
        self._lexical = BM25Index(self.settings.bm25)
        self._items: dict[ItemId, Item] = {}
        self._reference: dict[ItemId, dict[str, float]] = {}
        self._neighbours: dict[ItemId, tuple[ItemId, ...]] = {}
        self._snapshot: _Snapshot | None = None
        self._word_cache: dict[ItemId, dict[str, str]] = {}
        self._query_term_cache: dict[tuple[str, str], frozenset[str]] = {}

    # --- collection -----------------------------------------------------------------------
    @property
    def encoder(self) -> TextEncoder:
        """The encoder given at construction, else the process-wide one."""
        return self._encoder or get_encoder()

    def __len__(self) -> int:
        return len(self._items)

    def __contains__(self, item_id: object) -> bool:
        return item_id in self._items

    def item(self, item_id: ItemId) -> Item:
        """The stored item (KeyError if unknown)."""
        return self._items[item_id]

    def vector(self, item_id: ItemId) -> np.ndarray:
        """The stored vector of an item (KeyError if unknown)."""
        return self._require_index().vectors_of([item_id])[0]

    def embed(self, texts: Sequence[str], languages: Sequence[str] | str) -> np.ndarray:
        """Vectors for texts, computed exactly as item vectors are."""
        return embed_texts(texts, languages, self.encoder)

    def upsert(
        self, items: Sequence[Item], vectors: np.ndarray | None = None, *, estimate: bool = True
    ) -> None:
        """Add or replace items. Pass the stored ``vectors`` (rows in ``items`` order, computed
        with :func:`embed_texts` for the same text version) or let the engine embed them.

        Statistics of new items are computed at once against the current collection; call
        :meth:`refresh_statistics` after a bulk load so every item's statistics are exact. A bulk
        load that ends with that call passes ``estimate=False``: estimating first would compare
        every new item with the whole collection for nothing.
        """
        if not items:
            return
        if vectors is None:
            vectors = self.embed([item.text() for item in items], [i.language for i in items])
        vectors = np.asarray(vectors, dtype=np.float32)
        index = self._require_index(vectors.shape[1])
        ids = [item.id for item in items]
        index.upsert(ids, vectors)
        for item in items:
            self._items[item.id] = item
            self._lexical.upsert(item.id, item.fields, item.language)
            self._word_cache.pop(item.id, None)
        old, self._snapshot = self._snapshot, None
        if estimate:
            rows = self._estimate_rows()
            for start in range(0, len(ids), rows):
                self._estimate_statistics(ids[start : start + rows], vectors[start : start + rows])
            if old is not None and len(ids) <= _PATCH_LIMIT:
                self._snapshot = self._patched(old, ids)

    def remove(self, ids: Iterable[ItemId]) -> None:
        """Forget items (unknown ids are ignored)."""
        ids = [item_id for item_id in ids if item_id in self._items]
        if not ids:
            return
        self._require_index().remove(ids)
        for item_id in ids:
            del self._items[item_id]
            self._lexical.remove(item_id)
            self._word_cache.pop(item_id, None)
            self._reference.pop(item_id, None)
            self._neighbours.pop(item_id, None)
        self._snapshot = None

    def refresh_statistics(self) -> None:
        """Recompute every item's hubness reference similarities and neighbours (O(n²·dim);
        about a second for 6,000 items). Run after a bulk load and periodically."""
        if not self._items:
            return
        index = self._require_index()
        ids = index.row_ids()
        matrix = index.matrix
        languages = [self._items[item_id].language for item_id in ids]
        sample = self.settings.max_statistics_sample
        reference = reference_similarity(
            matrix, languages, self.settings.hubness_k, max_reference=sample
        )
        self._reference = {
            item_id: {language: float(r[row]) for language, r in reference.items()}
            for row, item_id in enumerate(ids)
        }
        neighbour_rows, _ = neighbour_graph(
            matrix, self.settings.neighbours_k, max_candidates=sample
        )
        self._neighbours = {
            item_id: tuple(ids[j] for j in neighbour_rows[row]) for row, item_id in enumerate(ids)
        }
        self._snapshot = None

    def _estimate_rows(self) -> int:
        """Rows per block of new items compared with the collection: at most ~16 million
        similarities (64 MB) at a time, whatever the collection's size."""
        return max(1, (1 << 24) // max(len(self._require_index().row_ids()), 1))

    def _estimate_statistics(self, ids: Sequence[ItemId], vectors: np.ndarray) -> None:
        """Hubness references and neighbours of just-added items, against the current
        collection (other items' statistics wait for :meth:`refresh_statistics`)."""
        index = self._require_index()
        all_ids = index.row_ids()
        languages = np.array([self._items[item_id].language for item_id in all_ids])
        block = vectors @ index.matrix.T
        block[np.arange(len(ids)), index.rows_of(ids)] = -np.inf  # never oneself
        for language in set(languages.tolist()):
            similarities = block[:, languages == language]
            k = min(self.settings.hubness_k, similarities.shape[1])
            if k == 0:
                continue
            top = -np.partition(-similarities, k - 1, axis=1)[:, :k]
            finite = np.isfinite(top)
            r = np.where(finite, top, 0.0).sum(axis=1) / np.maximum(finite.sum(axis=1), 1)
            for item_id, value in zip(ids, r, strict=True):
                self._reference.setdefault(item_id, {})[language] = float(value)
        k = min(self.settings.neighbours_k, len(all_ids) - 1)
        if k > 0:
            part = np.argpartition(-block, k - 1, axis=1)[:, :k]
            for item_id, neighbour_rows in zip(ids, part, strict=True):
                self._neighbours[item_id] = tuple(all_ids[j] for j in neighbour_rows)

    def _require_index(self, dimension: int | None = None) -> ExactVectorIndex:
        if self._index is None:
            dimension = dimension or self._dimension or self.encoder.dimension
            self._index = ExactVectorIndex(dimension)
        return self._index

    def _arrays(self) -> _Snapshot:
        if self._snapshot is None:
            index = self._require_index()
            ids = index.row_ids()
            row_of = {item_id: row for row, item_id in enumerate(ids)}
            items = [self._items[item_id] for item_id in ids]
            languages = np.array([item.language or "" for item in items], dtype=str)
            reference_languages = {lang for r in self._reference.values() for lang in r}
            reference = {
                language: np.array(
                    [self._reference.get(item_id, {}).get(language, 0.0) for item_id in ids],
                    dtype=np.float64,
                )
                for language in reference_languages
            }
            k = self.settings.neighbours_k
            neighbours = np.full((len(ids), k), len(ids), dtype=np.int64)
            dangling: set[ItemId] = set()
            for row, item_id in enumerate(ids):
                self._neighbour_row(neighbours, row, item_id, row_of, dangling)
            organization_number: dict[ItemId, int] = {}
            organizations = np.array(_organization_numbers(items, organization_number), np.int64)
            class_number: dict[tuple[str, str], int] = {}
            classes = np.array(_class_numbers(items, class_number), dtype=np.int64)
            self._snapshot = _Snapshot(
                ids=ids,
                row_of=row_of,
                languages=languages,
                reference=reference,
                neighbours=neighbours,
                organization_number=organization_number,
                organizations=organizations,
                class_number=class_number,
                classes=classes,
                factors=FactorArrays.build(items),
                lexical_rows=self._lexical_rows(row_of),
                dangling=frozenset(dangling),
            )
        return self._snapshot

    def _neighbour_row(
        self,
        neighbours: np.ndarray,
        row: int,
        item_id: ItemId,
        row_of: dict[ItemId, int],
        dangling: set[ItemId],
    ) -> None:
        """Write an item's neighbours as rows (the last row index + 1 when one has no row)."""
        missing = neighbours.shape[0]
        neighbours[row] = missing
        for column, other in enumerate(self._neighbours.get(item_id, ())[: neighbours.shape[1]]):
            found = row_of.get(other)
            if found is None:
                dangling.add(other)
                found = missing
            neighbours[row, column] = found

    def _lexical_rows(self, row_of: dict[ItemId, int]) -> dict[str, np.ndarray]:
        return {
            language: np.array([row_of.get(i, -1) for i in slot_ids], dtype=np.int64)
            for language, slot_ids in self._lexical.slot_ids().items()
        }

    def _patched(self, old: _Snapshot, changed: Sequence[ItemId]) -> _Snapshot | None:
        """The snapshot after ``changed`` items were upserted, from the one before: their rows
        rewritten and new rows appended, in tens of milliseconds where a rebuild of 100,000
        rows takes seconds. The old snapshot is not modified (requests may still read it).
        None when only a rebuild gives the same arrays (rows moved, a new reference language,
        wider factor bit sets, an added item other items already named as neighbour)."""
        ids = self._require_index().row_ids()
        n_old, n = len(old.ids), len(ids)
        if n < n_old or ids[:n_old] != old.ids:
            return None
        added = ids[n_old:]
        if old.dangling.intersection(added):
            return None
        row_of = dict(old.row_of)
        row_of.update((item_id, n_old + offset) for offset, item_id in enumerate(added))
        unique = list(dict.fromkeys(changed))
        rows = np.array([row_of[item_id] for item_id in unique], dtype=np.int64)
        items = [self._items[item_id] for item_id in unique]
        reference_languages = {lang for i in unique for lang in self._reference.get(i, {})}
        if not reference_languages <= set(old.reference):
            return None
        factors = old.factors.with_rows(rows, items, n)
        if factors is None:
            return None

        def grown(array: np.ndarray, fill: object) -> np.ndarray:
            result = np.full((n, *array.shape[1:]), fill, dtype=array.dtype)
            result[:n_old] = array
            return result

        width = max([1, old.languages.dtype.itemsize // 4, *(len(i.language or "") for i in items)])
        languages = grown(old.languages.astype(f"<U{width}"), "")
        languages[rows] = [item.language or "" for item in items]
        reference = {}
        for language, values in old.reference.items():
            reference[language] = grown(values, 0.0)
            reference[language][rows] = [
                self._reference.get(item_id, {}).get(language, 0.0) for item_id in unique
            ]
        neighbours = grown(old.neighbours, n)
        neighbours[:n_old][old.neighbours == n_old] = n  # the "no row" index moved
        dangling = set(old.dangling)
        for row, item_id in zip(rows.tolist(), unique, strict=True):
            self._neighbour_row(neighbours, row, item_id, row_of, dangling)
        organization_number = dict(old.organization_number)
        organizations = grown(old.organizations, -1)
        organizations[rows] = _organization_numbers(items, organization_number)
        class_number = dict(old.class_number)
        classes = grown(old.classes, 0)
        classes[rows] = _class_numbers(items, class_number)
        return _Snapshot(
            ids=ids,
            row_of=row_of,
            languages=languages,
            reference=reference,
            neighbours=neighbours,
            organization_number=organization_number,
            organizations=organizations,
            class_number=class_number,
            classes=classes,
            factors=factors,
            lexical_rows=self._lexical_rows(row_of),
            dangling=frozenset(dangling),
        )

    # --- shared scoring pieces ------------------------------------------------------------
    def _query_vector(self, text: str, language: str, vector: np.ndarray | None) -> np.ndarray:
        if vector is not None:
            return np.asarray(vector, dtype=np.float32)
        return self.embed([text], language)[0]

    def _hubness_corrected(
        self, similarity: np.ndarray, language: str, weight: float, snapshot: _Snapshot
    ) -> np.ndarray:
        reference = snapshot.reference.get(language)
        if reference is None or weight == 0:
            return similarity.astype(np.float64)
        return similarity - weight * (reference - reference.mean())

    def _lexical_scores(self, text: str, language: str, snapshot: _Snapshot) -> np.ndarray:
        """BM25 of every row for ``text`` (0 for rows in other languages)."""
        scores = np.zeros(len(snapshot.ids), dtype=np.float64)
        dense = self._lexical.slot_scores(text, language)
        rows = snapshot.lexical_rows.get(language)
        if dense is not None and rows is not None:
            hits = np.flatnonzero(dense[: rows.shape[0]] > 0)
            hits = hits[rows[hits] >= 0]
            scores[rows[hits]] = dense[hits]
        return scores

    def _eligible(
        self,
        snapshot: _Snapshot,
        allowed: Collection[ItemId] | None,
        excluded: Collection[ItemId],
        feedback: UserFeedback,
    ) -> np.ndarray:
        n = len(snapshot.ids)
        if allowed is None:
            mask = np.ones(n, dtype=bool)
        else:
            mask = np.zeros(n, dtype=bool)
            mask[[snapshot.row_of[i] for i in allowed if i in snapshot.row_of]] = True
        never = set(excluded) | feedback.hidden
        mask[[snapshot.row_of[i] for i in never if i in snapshot.row_of]] = False
        return mask

    def _feedback_penalties(
        self,
        snapshot: _Snapshot,
        feedback: UserFeedback,
        not_relevant_weight: float,
        already_met_weight: float,
    ) -> dict[int, list[Factor]]:
        """Demotions by row: resemblance to items marked not relevant, and already met."""
        penalties: dict[int, list[Factor]] = {}
        rejected = [i for i in feedback.not_relevant | feedback.dismissed if i in snapshot.row_of]
        if rejected and not_relevant_weight:
            index = self._require_index()
            rejected_vectors = index.vectors_of(rejected)
            similarity = index.matrix @ rejected_vectors.T
            closest = similarity.argmax(axis=1)
            best = similarity[np.arange(len(snapshot.ids)), closest]
            threshold = self.settings.not_relevant_threshold
            for row in np.flatnonzero(best > threshold):
                strength = (float(best[row]) - threshold) / (1.0 - threshold)
                penalties.setdefault(int(row), []).append(
                    Factor(
                        codes.SIMILAR_TO_NOT_RELEVANT,
                        -not_relevant_weight * strength,
                        {
                            "item_id": rejected[int(closest[row])],
                            "similarity": round(float(best[row]), 3),
                        },
                    )
                )
        if feedback.already_met and already_met_weight:
            met_rows = {snapshot.row_of[i]: i for i in feedback.already_met if i in snapshot.row_of}
            met_organizations = {
                snapshot.organization_of(i): i
                for i in feedback.already_met
                if snapshot.organization_of(i) >= 0
            }
            by_organization = np.flatnonzero(
                one_of(snapshot.organizations, met_organizations, len(snapshot.organization_number))
            )
            for position in sorted(set(met_rows) | set(by_organization.tolist())):
                met = met_rows.get(position)
                if met is None:
                    met = met_organizations[int(snapshot.organizations[position])]
                penalties.setdefault(position, []).append(
                    Factor(codes.ALREADY_MET, -already_met_weight, {"met_id": met})
                )
        return penalties

    # --- search ---------------------------------------------------------------------------
    def search(
        self,
        query: str,
        language: str,
        k: int = 10,
        *,
        allowed: Collection[ItemId] | None = None,
        excluded: Collection[ItemId] = (),
        user_id: UserId | None = None,
        feedback: Feedback | None = None,
        query_vector: np.ndarray | None = None,
        settings: SearchSettings | None = None,
        categories: Collection[str] | None = None,
        matched_terms: bool = True,
    ) -> list[RankedItem]:
        """The ``k`` items most relevant to a free-text ``query`` written in ``language``.

        ``allowed`` restricts the candidates, ``excluded`` and the user's hidden items are
        never returned; ``categories`` keeps only items of those categories in the results
        (others still lend relevance to their neighbours). Scores are relative to this query
        (standardized), not absolute. With ``matched_terms=False`` the words behind each
        ``text_match`` factor are left for :meth:`fill_matched_terms` (a caller that keeps only
        some results fills only those).
        """
        settings = settings or self.settings.search
        snapshot = self._arrays()
        if not snapshot.ids or k <= 0:
            return []
        user_feedback = (feedback or Feedback()).for_user(user_id)
        vector = self._query_vector(query, language, query_vector)
        cosine = self._require_index().all_similarities(vector).astype(np.float64)
        corrected = self._hubness_corrected(cosine, language, settings.hubness_weight, snapshot)
        same_language = same_language_mask(language, snapshot.languages)
        lexical = self._lexical_scores(query, language, snapshot)
        fused = fuse_text_scores(
            corrected, lexical, same_language, settings.semantic_weight, settings.lexical_weight
        )
        eligible = self._eligible(snapshot, allowed, excluded, user_feedback)
        describes = len(_WORD.findall(query)) >= settings.diffusion_min_words
        received = diffuse(
            fused.total,
            snapshot.neighbours,
            settings.diffusion_alpha,
            settings.diffusion_steps if describes else 0,
            silent_rows=np.flatnonzero(~eligible),
        )
        total = fused.total + received
        penalties = self._feedback_penalties(
            snapshot, user_feedback, settings.not_relevant_weight, settings.already_met_weight
        )
        for row, row_factors in penalties.items():
            total[row] += sum(f.contribution for f in row_factors)
        shown = eligible if categories is None else eligible & snapshot.category_mask(categories)
        rows = top_k_rows(total, k, shown)
        results = []
        for row in rows:
            row_factors = [
                Factor(
                    codes.SEMANTIC_SIMILARITY,
                    float(fused.semantic[row]),
                    {
                        "similarity": round(float(cosine[row]), 4),
                        "cross_language": bool(not same_language[row]),
                    },
                )
            ]
            if fused.lexical[row] > 0:
                terms = (
                    self.matched_terms(query, language, snapshot.ids[row]) if matched_terms else []
                )
                row_factors.append(
                    Factor(codes.TEXT_MATCH, float(fused.lexical[row]), {"terms": terms})
                )
            if received[row]:
                row_factors.append(Factor(codes.SIMILAR_NEIGHBOURS, float(received[row]), {}))
            row_factors.extend(penalties.get(int(row), []))
            results.append(_ranked(snapshot.ids[row], row_factors))
        return results

    def matched_terms(
        self, query: str, language: str, item_id: ItemId, limit: int = 5
    ) -> list[str]:
        """Up to ``limit`` query words found in the item (same language only), rarest first,
        as the item writes them."""
        item = self._items[item_id]
        if item.language != language:
            return []
        query_terms = self._query_terms(query, language)
        found = {term: word for term, word in self._words_of(item).items() if term in query_terms}
        ordered = sorted(found, key=lambda term: -self._lexical.idf(term, language))
        return [found[term] for term in ordered[:limit]]

    def _query_terms(self, query: str, language: str) -> frozenset[str]:
        key = (query, language)
        terms = self._query_term_cache.get(key)
        if terms is None:
            if len(self._query_term_cache) >= _QUERY_TERM_CACHE:
                self._query_term_cache.pop(next(iter(self._query_term_cache)))
            terms = self._query_term_cache[key] = frozenset(self._lexical.analyze(query, language))
        return terms

    def _words_of(self, item: Item) -> dict[str, str]:
        """Each index term of the item and the first word it writes for it (kept for the
        most recently explained items)."""
        words = self._word_cache.pop(item.id, None)
        if words is None:
            words = {}
            for text in item.fields.values():
                for word in _WORD.findall(text or ""):
                    for term in self._lexical.analyze(word, item.language):
                        words.setdefault(term, word)
            if len(self._word_cache) >= _WORD_CACHE:
                self._word_cache.pop(next(iter(self._word_cache)))
        self._word_cache[item.id] = words  # most recent last
        return words

    # --- matchmaking ----------------------------------------------------------------------
    def match(
        self,
        subject: Item | ItemId,
        k: int = 10,
        *,
        allowed: Collection[ItemId] | None = None,
        excluded: Collection[ItemId] = (),
        user_id: UserId | None = None,
        feedback: Feedback | None = None,
        settings: MatchSettings | None = None,
        vector: np.ndarray | None = None,
        classes: Collection[CandidateClass] | None = None,
    ) -> list[RankedItem]:
        """The ``k`` best counterparts for ``subject`` (an item of the collection, by id or
        value, or a new item), each score the sum of its explained factors. A subject outside
        the collection takes its stored ``vector`` when given (else it is embedded now).
        ``classes`` keeps only candidates whose (category, direction) is one of them, e.g.
        offers and organizations for a request."""
        settings = settings or self.settings.match
        if not isinstance(subject, Item):
            subject = self._items[subject]
        snapshot = self._arrays()
        if not snapshot.ids or k <= 0:
            return []
        user_feedback = (feedback or Feedback()).for_user(user_id)
        if vector is not None:
            vector = np.asarray(vector, dtype=np.float32)
        elif subject.id in self._items:
            vector = self.vector(subject.id)
        else:
            vector = self.embed([subject.text()], subject.language)[0]
        cosine = self._require_index().all_similarities(vector).astype(np.float64)
        corrected = self._hubness_corrected(
            cosine, subject.language, settings.hubness_weight, snapshot
        )
        same_language = same_language_mask(subject.language, snapshot.languages)
        lexical = self._lexical_scores(subject.text(), subject.language, snapshot)
        eligible = self._eligible(snapshot, allowed, set(excluded) | {subject.id}, user_feedback)
        if settings.exclude_same_organization and subject.organization_id is not None:
            eligible &= snapshot.organizations != snapshot.organization_of(subject.organization_id)
        lexical_part = settings.lexical_weight * max_normalize(
            np.where(same_language & eligible, lexical, 0.0)
        )
        semantic_part = settings.semantic_weight * np.maximum(corrected, 0.0)
        penalties = self._feedback_penalties(
            snapshot, user_feedback, settings.not_relevant_weight, settings.already_met_weight
        )
        # Exact top k without explaining every candidate: the structured factors are summed
        # for all rows at once (FactorArrays), and feedback only demotes, so text + structured
        # bounds each candidate's score. Candidates are explained in decreasing order of that
        # bound until the next one cannot beat the k-th best (ties are explained too, and
        # broken by row).
        shown = eligible if classes is None else eligible & snapshot.class_mask(classes)
        bound = np.where(
            shown,
            semantic_part
            + lexical_part
            + snapshot.factors.totals(subject, settings.complementarity)
            + _BOUND_SLACK,
            -np.inf,
        )
        scored: list[tuple[float, int, RankedItem]] = []
        best: list[float] = []  # min-heap of the k best scores so far
        for row in _rows_by_decreasing(bound, shown, k):
            if len(best) >= k and bound[row] < best[0]:
                break
            candidate = self._items[snapshot.ids[row]]
            row_factors = [
                Factor(
                    codes.SEMANTIC_SIMILARITY,
                    float(semantic_part[row]),
                    {
                        "similarity": round(float(cosine[row]), 4),
                        "cross_language": bool(not same_language[row]),
                    },
                )
            ]
            if lexical_part[row] > 0:
                row_factors.append(Factor(codes.TEXT_MATCH, float(lexical_part[row]), {}))
            row_factors.extend(complementarity(subject, candidate, settings.complementarity))
            row_factors.extend(penalties.get(row, []))
            result = _ranked(candidate.id, row_factors)
            scored.append((-result.score, row, result))
            if len(best) < k:
                heapq.heappush(best, result.score)
            elif result.score > best[0]:
                heapq.heapreplace(best, result.score)
        scored.sort(key=lambda entry: (entry[0], entry[1]))
        return [
            self.fill_matched_terms(entry[2], subject.text(), subject.language)
            for entry in scored[:k]
        ]

    def fill_matched_terms(self, result: RankedItem, query: str, language: str) -> RankedItem:
        """The result with the words of its ``text_match`` factor filled in (matches do it only
        for the results they return; searches when asked)."""
        text_match = result.factor(codes.TEXT_MATCH)
        if text_match is None:
            return result
        terms = self.matched_terms(query, language, result.id)
        filled = replace(text_match, params={"terms": terms})
        factors = tuple(filled if f is text_match else f for f in result.factors)
        return replace(result, factors=factors)


def _class_key(category: str | None, direction: object) -> tuple[str, str]:
    return (category or "", str(direction or ""))


def _class_numbers(items: Sequence[Item], numbering: dict[tuple[str, str], int]) -> list[int]:
    """Each item's (category, direction) class, numbered in ``numbering`` (extended)."""
    return [
        numbering.setdefault(_class_key(item.category, item.direction), len(numbering))
        for item in items
    ]


def _organization_numbers(items: Sequence[Item], numbering: dict[ItemId, int]) -> list[int]:
    """Each item's organization, numbered in ``numbering`` (extended); -1 for none."""
    return [
        -1
        if item.organization_id is None
        else numbering.setdefault(item.organization_id, len(numbering))
        for item in items
    ]


def _rows_by_decreasing(values: np.ndarray, mask: np.ndarray, k: int) -> Iterator[int]:
    """Rows of ``mask`` by decreasing value, ties by row. A first block of a few times ``k``
    rows is selected in O(n); the full order is only sorted if the caller reads past it."""
    head = top_k_rows(values, max(4 * k, 64), mask)
    yield from head.tolist()
    candidates = np.flatnonzero(mask)
    if candidates.shape[0] > head.shape[0]:
        order = candidates[np.lexsort((candidates, -values[candidates]))]
        yield from order[head.shape[0] :].tolist()


def _ranked(item_id: ItemId, row_factors: list[Factor]) -> RankedItem:
    kept = [f for f in row_factors if f.contribution != 0 or f.code == codes.SEMANTIC_SIMILARITY]
    kept.sort(key=lambda f: -abs(f.contribution))
    return RankedItem(item_id, float(sum(f.contribution for f in kept)), tuple(kept))
