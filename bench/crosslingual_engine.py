"""Cross-lingual retrieval with the pure engine on Tatoeba (1,000 Spanish/English pairs).

Run from the repository root::

    PYTHONPATH=src python bench/crosslingual_engine.py [--data ../shared/data]

The collection is what Puente holds: texts of both languages registered in one engine.
Spanish->English: every Spanish sentence queries the English sentences (``allowed`` = the
English ids), accuracy@1 = the top result is its translation; English->Spanish the same way.

Hubness correction: ``r_L(doc)``, the mean cosine of a document to its 10 nearest registered
texts of language L, is computed once from the collection when it is loaded (before and
without any query), exactly as a live service computes it; the gold alignment is never used.
Because here the registered texts of the other language are the parallel sentences, this
equals the literature's batch CSLS; the figures without it are printed too.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np

from puente.matching.engine import (
    EngineSettings,
    Item,
    MatchingEngine,
    SearchSettings,
    embed_texts,
    get_encoder,
)

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


def accuracy_at_1(
    engine: MatchingEngine,
    query_ids: list[str],
    gold_ids: list[str],
    query_language: str,
    candidates: set[str],
    settings: SearchSettings,
) -> float:
    """Share of queries whose first result is the gold document."""
    hits = 0
    for query_id, gold_id in zip(query_ids, gold_ids, strict=True):
        item = engine.item(query_id)
        results = engine.search(
            item.text(),
            query_language,
            k=1,
            allowed=candidates,
            query_vector=engine.vector(query_id),
            settings=settings,
        )
        hits += bool(results) and results[0].id == gold_id
    return hits / len(query_ids)


def bare_cosine_accuracy(query_vectors: np.ndarray, document_vectors: np.ndarray) -> float:
    """Accuracy@1 of plain cosine (no engine), for reference."""
    predicted = (query_vectors @ document_vectors.T).argmax(axis=1)
    return float((predicted == np.arange(len(predicted))).mean())


def main() -> None:
    """Print accuracy@1 in both directions for the engine's variants."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    args = parser.parse_args()
    spanish = (args.data / "tatoeba.spa-eng.spa").read_text(encoding="utf-8").splitlines()
    english = (args.data / "tatoeba.spa-eng.eng").read_text(encoding="utf-8").splitlines()
    n = len(spanish)

    encoder = get_encoder()
    raw_start = time.perf_counter()
    raw_es = encoder.encode(spanish)
    raw_en = encoder.encode(english)
    raw_seconds = time.perf_counter() - raw_start
    start = time.perf_counter()
    vectors_es = embed_texts(spanish, "es")
    vectors_en = embed_texts(english, "en")
    pipeline_seconds = time.perf_counter() - start

    engine = MatchingEngine(EngineSettings(hubness_k=10))
    es_ids = [f"es{i}" for i in range(n)]
    en_ids = [f"en{i}" for i in range(n)]
    items = [Item(i, "es", {"text": t}) for i, t in zip(es_ids, spanish, strict=True)]
    items += [Item(i, "en", {"text": t}) for i, t in zip(en_ids, english, strict=True)]
    engine.upsert(items, np.vstack([vectors_es, vectors_en]))
    stats_start = time.perf_counter()
    engine.refresh_statistics()
    stats_seconds = time.perf_counter() - stats_start

    print(f"Tatoeba spa-eng, {n} pairs, accuracy@1 (candidates: the {n} texts of the other side)")
    print(
        f"  bare encoder cosine          es->en {bare_cosine_accuracy(raw_es, raw_en):.3f}"
        f"  en->es {bare_cosine_accuracy(raw_en, raw_es):.3f}"
    )
    print(
        f"  engine vectors, cosine only  es->en {bare_cosine_accuracy(vectors_es, vectors_en):.3f}"
        f"  en->es {bare_cosine_accuracy(vectors_en, vectors_es):.3f}"
    )
    variants = {
        "engine, no hubness correction": SearchSettings(hubness_weight=0.0, diffusion_steps=0),
        "engine, collection CSLS k=10 (used)": SearchSettings(diffusion_steps=0),
        "engine, CSLS + neighbour diffusion": SearchSettings(),
    }
    for label, settings in variants.items():
        es_en = accuracy_at_1(engine, es_ids, en_ids, "es", set(en_ids), settings)
        en_es = accuracy_at_1(engine, en_ids, es_ids, "en", set(es_ids), settings)
        print(f"  {label:<36} es->en {es_en:.3f}  en->es {en_es:.3f}")
    print(
        f"encoding: raw {2 * n / raw_seconds:.0f} sentences/s; engine pipeline (views incl.) "
        f"{2 * n / pipeline_seconds:.0f} sentences/s; collection statistics {stats_seconds:.2f} s"
    )


if __name__ == "__main__":
    main()
