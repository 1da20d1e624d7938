"""Similar-company retrieval through Puente's search service, on a public startup directory.

    .venv/bin/python bench/similar_companies.py [--data ../shared/data] [--queries 500] [--seed 42]

Imports the 5,706 companies of ``yc_companies.jsonl`` as organizations with their name, one-line
pitch and long description only (no industry labels or tags), then queries the search service
(``matching.selectors.search``, behind ``GET /api/v1/search``) with the one-liner and long
description of ``--queries`` companies drawn with ``random.Random(seed)``; the query company
itself is left out of its results (``exclude``, as ``GET /api/v1/search?exclude=organization:ID``). Relevant = same ``subindustry``. Prints nDCG@10 (binary
relevance, ideal DCG over min(10, relevant) items) and precision@10, with latency.

Vectors are cached in ``bench/out/`` by text version, so a second run skips the encoder.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import statistics
import tempfile
import time
from pathlib import Path

from crosslingual import DEFAULT_DATA, REPO_DIR, setup_django

CACHE = REPO_DIR / "bench" / "out" / "yc_embeddings.npz"


def load_companies(data: Path) -> list[dict[str, str]]:
    companies = []
    for line in (data / "yc_companies.jsonl").read_text(encoding="utf-8").split("\n"):
        if not line.strip():
            continue
        companies.append(json.loads(line))
    return companies


def import_companies(companies: list[dict[str, str]]) -> list[int]:
    from puente.core.models import Hub, TaxonomyTerm
    from puente.directory.models import Organization
    from puente.directory.services import organization_search_text

    hub = Hub.objects.get(slug="miami")
    startup = TaxonomyTerm.objects.get(vocabulary="organization_type", code="startup")
    rows = []
    for number, company in enumerate(companies):
        organization = Organization(
            slug=f"yc-{number}",
            name=(company.get("name") or "?")[:200],
            type=startup,
            hub=hub,
            tagline=(company.get("one_liner") or "")[:200],
            description=(company.get("long_description") or "")[:5000],
            description_language="en",
        )
        organization.search_text = organization_search_text(organization, [])
        organization.set_sort_name()
        rows.append(organization)
    return [row.pk for row in Organization.objects.bulk_create(rows, batch_size=1000)]


def use_cache() -> int:
    """Store cached vectors for items whose text version is in the cache file."""
    import numpy as np

    from puente.matching.embeddings import vector_to_bytes, version_of
    from puente.matching.items import ORGANIZATION, items_of, parse_item_id
    from puente.matching.models import Embedding

    if not CACHE.exists():
        return 0
    cached = np.load(CACHE)
    rows = []
    for item in items_of(ORGANIZATION):
        version = version_of(item)
        if version in cached.files:
            rows.append(
                Embedding(
                    item_type=ORGANIZATION,
                    item_id=parse_item_id(item.id)[1],
                    text_version=version,
                    language=item.language,
                    vector=vector_to_bytes(cached[version]),
                )
            )
    Embedding.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)
    return len(rows)


def save_cache() -> None:
    import numpy as np

    from puente.matching.models import Embedding

    CACHE.parent.mkdir(parents=True, exist_ok=True)
    vectors = {
        version: np.frombuffer(bytes(data), dtype=np.float32)
        for version, data in Embedding.objects.filter(item_type="organization").values_list(
            "text_version", "vector"
        )
    }
    np.savez(CACHE, **vectors)


def ndcg_at_10(ranked_relevance: list[bool], relevant_total: int) -> float:
    dcg = sum(
        1 / math.log2(position + 2)
        for position, relevant in enumerate(ranked_relevance[:10])
        if relevant
    )
    ideal = sum(1 / math.log2(position + 2) for position in range(min(10, relevant_total)))
    return dcg / ideal if ideal else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--queries", type=int, default=500)
    parser.add_argument("--seed", type=int, default=42)
    options = parser.parse_args()
    companies = load_companies(options.data)
    with tempfile.TemporaryDirectory() as directory:
        setup_django(directory)
        from puente.accounts.viewer import ANONYMOUS
        from puente.matching import selectors
        from puente.matching.embeddings import embeddings_backfill
        from puente.matching.runtime import matching_engine

        ids = import_companies(companies)
        reused = use_cache()
        started = time.perf_counter()
        computed = embeddings_backfill(item_types=["organization"])
        embed_seconds = time.perf_counter() - started
        if computed:
            save_cache()
        started = time.perf_counter()
        matching_engine()
        build_seconds = time.perf_counter() - started
        subindustry = {
            pk: company.get("subindustry") or "" for pk, company in zip(ids, companies, strict=True)
        }
        counts: dict[str, int] = {}
        for value in subindustry.values():
            counts[value] = counts.get(value, 0) + 1
        sample = random.Random(options.seed).sample(range(len(companies)), options.queries)
        ndcgs, precisions, times = [], [], []
        for index in sample:
            company, pk = companies[index], ids[index]
            query = (
                f"{company.get('one_liner') or ''} {company.get('long_description') or ''}".strip()
            )
            started = time.perf_counter()
            # The company whose description is the query is not one of its own answers.
            results = selectors.search(
                ANONYMOUS,
                query,
                types=["organization"],
                exclude=[f"organization:{pk}"],
                limit=10,
            )
            times.append((time.perf_counter() - started) * 1000)
            ranked = [result.id for result in results if result.id != pk][:10]
            relevance = [subindustry[other] == subindustry[pk] for other in ranked]
            ndcgs.append(ndcg_at_10(relevance, counts[subindustry[pk]] - 1))
            precisions.append(sum(relevance) / 10)
    times.sort()
    print(
        f"YC similar companies: {len(companies)} organizations, {options.queries} queries (seed {options.seed})"
    )
    print(
        f"embeddings: {computed} computed in {embed_seconds:.1f} s, {reused} from cache; engine build {build_seconds:.1f} s"
    )
    print()
    print("| nDCG@10 | precision@10 | search median ms | p95 ms |")
    print("|---|---|---|---|")
    print(
        f"| {statistics.mean(ndcgs):.3f} | {statistics.mean(precisions):.3f} | {statistics.median(times):.1f} | {times[int(0.95 * (len(times) - 1))]:.1f} |"
    )


if __name__ == "__main__":
    main()
