"""Similar companies with the pure engine: same-subindustry retrieval over YC companies.

Run from the repository root::

    PYTHONPATH=src python bench/similar_companies_engine.py [--data ../shared/data]
        [--cache bench/out/yc_vectors.npz] [--seeds 7 42]

All 5,706 companies are indexed from name + one-liner + long description only (no industry,
subindustry or tags). For each seed, 500 companies are drawn with ``random.Random(seed)``;
the query is the company's one-liner + long description, the company itself is excluded
from the results, and a result is relevant when it has the same ``subindustry``.
nDCG@10 uses binary relevance and an ideal DCG over min(10, #relevant) items.
Seed 7 was used to choose the settings; seed 42 is the reported, held-out figure.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import time
from pathlib import Path

import numpy as np

from puente.matching.engine import (
    EngineSettings,
    ExactVectorIndex,
    Item,
    MatchingEngine,
    SearchSettings,
    embed_texts,
    get_encoder,
)

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
QUERIES = 500
K = 10

VARIANTS: dict[str, SearchSettings] = {
    "BM25 only": SearchSettings(
        semantic_weight=0.0, lexical_weight=1.0, hubness_weight=0.0, diffusion_steps=0
    ),
    "encoder only": SearchSettings(
        semantic_weight=1.0, lexical_weight=0.0, hubness_weight=0.0, diffusion_steps=0
    ),
    "encoder + BM25 (z-score fusion)": SearchSettings(hubness_weight=0.0, diffusion_steps=0),
    "  + hubness correction": SearchSettings(diffusion_steps=0),
    "  + neighbour diffusion (engine default)": SearchSettings(),
}


def load_companies(data: Path) -> list[dict[str, object]]:
    """The companies of ``yc_companies.jsonl``."""
    with (data / "yc_companies.jsonl").open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def company_item(index: int, company: dict[str, object]) -> Item:
    """An engine item from the company's name, one-liner and description only."""
    fields = {
        "name": str(company.get("name") or ""),
        "one_liner": str(company.get("one_liner") or ""),
        "description": str(company.get("long_description") or ""),
    }
    return Item(index, "en", fields)


def query_text(company: dict[str, object]) -> str:
    """One-liner + long description."""
    return f"{company.get('one_liner') or ''} {company.get('long_description') or ''}".strip()


def ndcg_and_precision(ranked: list[int], relevant: set[int]) -> tuple[float, float]:
    """Binary-relevance nDCG@10 and precision@10 of one result list."""
    gains = [1.0 if item in relevant else 0.0 for item in ranked[:K]]
    dcg = sum(gain / math.log2(position + 2) for position, gain in enumerate(gains))
    ideal = sum(1.0 / math.log2(position + 2) for position in range(min(K, len(relevant))))
    return (dcg / ideal if ideal else 0.0), sum(gains) / K


def vectors_for(texts: list[str], cache: Path | None, key: str) -> tuple[np.ndarray, float | None]:
    """Engine vectors of ``texts`` (read from / written to the optional cache)."""
    if cache is not None and cache.exists():
        with np.load(cache) as stored:
            if key in stored.files and stored[key].shape[0] == len(texts):
                return stored[key], None
    start = time.perf_counter()
    vectors = embed_texts(texts, "en")
    seconds = time.perf_counter() - start
    if cache is not None:
        cache.parent.mkdir(parents=True, exist_ok=True)
        existing = dict(np.load(cache)) if cache.exists() else {}
        existing[key] = vectors
        np.savez(cache, **existing)
    return vectors, seconds


def evaluate(
    engine: MatchingEngine,
    companies: list[dict[str, object]],
    query_indices: list[int],
    query_vectors: np.ndarray,
    settings: SearchSettings,
) -> tuple[float, float, float]:
    """Mean nDCG@10, precision@10 and mean search latency (ms, vector given)."""
    subindustry = [company["subindustry"] for company in companies]
    ndcgs, precisions = [], []
    start = time.perf_counter()
    for query_index, vector in zip(query_indices, query_vectors, strict=True):
        results = engine.search(
            query_text(companies[query_index]),
            "en",
            k=K,
            excluded={query_index},
            query_vector=vector,
            settings=settings,
        )
        relevant = {
            i
            for i, label in enumerate(subindustry)
            if label == subindustry[query_index] and i != query_index
        }
        ndcg, precision = ndcg_and_precision([int(r.id) for r in results], relevant)  # type: ignore[call-overload]
        ndcgs.append(ndcg)
        precisions.append(precision)
    latency = (time.perf_counter() - start) / len(query_indices) * 1000
    return float(np.mean(ndcgs)), float(np.mean(precisions)), latency


def throughput(companies: list[dict[str, object]]) -> None:
    """Raw encoder and engine-pipeline speed on short and long texts, and one-query latency."""
    encoder = get_encoder()
    short = [str(c.get("one_liner") or c["name"]) for c in companies[:1000]]
    long = [str(c.get("long_description") or "") for c in companies[:200]]
    encoder.encode(short[:20])  # load the model outside the timings
    for label, texts in (("short (one-liners)", short), ("long (descriptions)", long)):
        start = time.perf_counter()
        encoder.encode(texts)
        raw = len(texts) / (time.perf_counter() - start)
        start = time.perf_counter()
        embed_texts(texts, "en")
        pipeline = len(texts) / (time.perf_counter() - start)
        print(
            f"  {label:<20} raw encoder {raw:7.0f} texts/s   engine pipeline {pipeline:7.0f} texts/s"
        )
    start = time.perf_counter()
    for text in short[:50]:
        embed_texts([text], "en")
    print(f"  one short query embedded: {(time.perf_counter() - start) / 50 * 1000:.1f} ms")
    index_latency()


def index_latency(size: int = 100_000, dimension: int = 512, queries: int = 200) -> None:
    """Top-10 latency of the exact index over ``size`` random unit vectors."""
    rng = np.random.default_rng(0)
    index = ExactVectorIndex(dimension, initial_capacity=size)
    for first in range(0, size, 10_000):
        block = rng.standard_normal((10_000, dimension)).astype(np.float32)
        block /= np.linalg.norm(block, axis=1, keepdims=True)
        index.upsert(list(range(first, first + 10_000)), block)
    probes = rng.standard_normal((queries, dimension)).astype(np.float32)
    probes /= np.linalg.norm(probes, axis=1, keepdims=True)
    index.search(probes[0], K)
    timings: list[float] = []
    for probe in probes:
        began = time.perf_counter()
        index.search(probe, K)
        timings.append(time.perf_counter() - began)
    median, p95 = np.percentile(timings, [50, 95]) * 1000
    print(
        f"  exact index top-{K} over {size:,}x{dimension} float32 "
        f"({index.matrix.nbytes / 2**20:.0f} MiB): median {median:.1f} ms, p95 {p95:.1f} ms"
    )


def main() -> None:
    """Print nDCG@10 / precision@10 per variant and seed, then speed figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--cache", type=Path, default=None, help="npz file to reuse vectors")
    parser.add_argument("--seeds", type=int, nargs="+", default=[7, 42])
    parser.add_argument("--skip-throughput", action="store_true")
    args = parser.parse_args()

    companies = load_companies(args.data)
    items = [company_item(i, c) for i, c in enumerate(companies)]
    document_vectors, seconds = vectors_for([item.text() for item in items], args.cache, "docs")
    if seconds:
        print(f"embedded {len(items)} companies in {seconds:.0f} s")
    engine = MatchingEngine(EngineSettings())
    engine.upsert(items, document_vectors)
    start = time.perf_counter()
    engine.refresh_statistics()
    print(f"collection statistics (hubness + neighbours): {time.perf_counter() - start:.2f} s")

    print(f"YC similar companies, {len(items)} indexed, {QUERIES} queries per seed, k={K}")
    print(f"  {'variant':<42}" + "".join(f"  seed {s}: nDCG  P@10  ms/q" for s in args.seeds))
    rows: dict[str, list[str]] = {label: [] for label in VARIANTS}
    for seed in args.seeds:
        query_indices = random.Random(seed).sample(range(len(companies)), QUERIES)
        texts = [query_text(companies[i]) for i in query_indices]
        query_vectors, _ = vectors_for(texts, args.cache, f"queries_{seed}")
        for label, settings in VARIANTS.items():
            ndcg, precision, latency = evaluate(
                engine, companies, query_indices, query_vectors, settings
            )
            rows[label].append(f"        {ndcg:.3f} {precision:.3f} {latency:5.1f}")
    for label, cells in rows.items():
        print(f"  {label:<42}" + "".join(cells))
    if not args.skip_throughput:
        print("speed (2 cores, threads = available cores):")
        throughput(companies)


if __name__ == "__main__":
    main()
