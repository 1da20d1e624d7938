"""Puente's search and matchmaking engine: pure Python + numpy, no Django.

Public API (everything else is an implementation detail):

Data (plain dataclasses, built by the Django adapters)
    ``Item``            something searchable/matchable: id, language, text fields and optional
                        structured attributes (kind, direction, sectors, technologies, stage,
                        accepted stages, amount range, hub, target hubs, organization type…).
    ``AmountRange``, ``Direction``
    ``Feedback``        sets of (user id, item id) pairs: dismissed, not_relevant, already_met.
    ``RankedItem``      a result: id, score, and its ``Factor`` list (code, contribution,
                        params) from which a UI writes "same sector: agritech" in es or en.
    ``FACTOR_CODES``    every factor code a result can carry.

Engine
    ``MatchingEngine``  ``upsert(items, vectors=None)``, ``remove(ids)``,
                        ``refresh_statistics()``, ``search(query, language, k, ...)``,
                        ``match(subject, k, ...)``; settings in ``EngineSettings``.

Vectors
    ``embed_texts(texts, languages)``  vectors exactly as the engine stores them.
    ``text_version_hash(text, language)``  key to store beside a vector; recompute the
                        vector when it changes (text, language or embedding pipeline).
    ``get_encoder()`` / ``set_encoder(encoder)``  process-wide encoder (lazy USE model;
                        tests inject ``HashingEncoder`` or any ``TextEncoder``).
    ``VectorIndex`` / ``ExactVectorIndex``  vector store interface and its brute-force
                        implementation (a pgvector-backed one can implement the same).

Typical adapter flow: at process start, load (item, stored vector) pairs whose stored hash
equals ``text_version_hash(item.text(), item.language)``, embed the others with
``embed_texts``, ``engine.upsert(items, vectors)``, then ``engine.refresh_statistics()``.
"""

from puente.matching.engine.encoder import (
    HashingEncoder,
    TextEncoder,
    UniversalSentenceEncoder,
    available_cores,
    embed_texts,
    get_encoder,
    set_encoder,
)
from puente.matching.engine.factors import FACTOR_CODES, ComplementarityWeights
from puente.matching.engine.index import ExactVectorIndex, Neighbor, VectorIndex
from puente.matching.engine.lexical import BM25Index, BM25Parameters
from puente.matching.engine.models import (
    AmountRange,
    Direction,
    Factor,
    Feedback,
    Item,
    RankedItem,
    UserFeedback,
)
from puente.matching.engine.ranker import (
    EngineSettings,
    MatchingEngine,
    MatchSettings,
    SearchSettings,
)
from puente.matching.engine.text import (
    EMBEDDING_PIPELINE_VERSION,
    detect_language,
    text_version_hash,
)

__all__ = [
    "EMBEDDING_PIPELINE_VERSION",
    "FACTOR_CODES",
    "AmountRange",
    "BM25Index",
    "BM25Parameters",
    "ComplementarityWeights",
    "Direction",
    "EngineSettings",
    "ExactVectorIndex",
    "Factor",
    "Feedback",
    "HashingEncoder",
    "Item",
    "MatchSettings",
    "MatchingEngine",
    "Neighbor",
    "RankedItem",
    "SearchSettings",
    "TextEncoder",
    "UniversalSentenceEncoder",
    "UserFeedback",
    "VectorIndex",
    "available_cores",
    "detect_language",
    "embed_texts",
    "get_encoder",
    "set_encoder",
    "text_version_hash",
]
