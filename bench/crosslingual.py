"""Cross-lingual retrieval through Puente's search service, on the Tatoeba test set.

    .venv/bin/python bench/crosslingual.py [--data ../shared/data] [--limit 1000]

Reads the 1,000 aligned sentence pairs of ``tatoeba.spa-eng.{spa,eng}`` (line i of one file
translates line i of the other). The sentences become opportunities of a fresh Puente
database: the English ones posted in Miami, the Spanish ones in Medellín — a bilingual network,
as the platform is. Each Spanish sentence is then the query of ``matching.selectors.search``
(the service behind ``GET /api/v1/search``) restricted to the Miami hub; a hit is the English
translation ranked first (accuracy@1). The same in the other direction. The query language is
detected by the service, not given.

Also reported, for comparison: the same queries with only the target language loaded
(a monolingual collection: no registered text of the query's language to estimate hubness
from), and the bare encoder (cosine of the stored vectors).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO_DIR = Path(__file__).resolve().parent.parent
DEFAULT_DATA = REPO_DIR.parent / "shared" / "data"


def setup_django(directory: str) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "puente.settings.base"
    os.environ["PUENTE_DATA_DIR"] = directory
    os.environ["DATABASE_URL"] = f"sqlite:///{directory}/bench.sqlite3"
    os.environ.pop("REDIS_URL", None)
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    sys.path.insert(0, str(REPO_DIR / "src"))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def load_pairs(data: Path, limit: int) -> tuple[list[str], list[str]]:
    # Split on newlines only: str.splitlines() would also split on U+2028 and similar.
    spanish = (
        (data / "tatoeba.spa-eng.spa").read_text(encoding="utf-8").rstrip("\n").split("\n")[:limit]
    )
    english = (
        (data / "tatoeba.spa-eng.eng").read_text(encoding="utf-8").rstrip("\n").split("\n")[:limit]
    )
    if len(spanish) != len(english):
        raise SystemExit("the two files do not have the same number of lines")
    return spanish, english


def post_sentences(sentences: list[str], *, language: str, hub_slug: str) -> list[int]:
    """Bulk-create one published offer per sentence (titles are the sentences)."""
    from django.utils import timezone

    from puente.core.models import Hub, TaxonomyTerm
    from puente.directory.models import Organization
    from puente.marketplace.models import LIFETIME, Opportunity, Status

    hub = Hub.objects.get(slug=hub_slug)
    kind = TaxonomyTerm.objects.get(vocabulary="connection_kind", code="expertise")
    organization, _created = Organization.objects.get_or_create(
        slug=f"bench-{hub_slug}",
        defaults={
            "name": f"Bench {hub_slug}",
            "hub": hub,
            "type": TaxonomyTerm.objects.get(
                vocabulary="organization_type", code="service_provider"
            ),
        },
    )
    now = timezone.now()
    rows = [
        Opportunity(
            organization=organization,
            hub=hub,
            side="offer",
            kind=kind,
            title=sentence[:200],
            description="",
            language=language,
            status=Status.PUBLISHED,
            published_at=now,
            expires_at=now + LIFETIME,
        )
        for sentence in sentences
    ]
    created = Opportunity.objects.bulk_create(rows, batch_size=500)
    return [row.pk for row in created]


def accuracy(queries: list[str], expected: list[int], *, hub: str) -> tuple[float, float, float]:
    """accuracy@1 and the median/p95 latency (ms) of the search service for these queries."""
    from puente.accounts.viewer import ANONYMOUS
    from puente.matching import selectors

    hits = 0
    times: list[float] = []
    for query, target in zip(queries, expected, strict=True):
        started = time.perf_counter()
        results = selectors.search(ANONYMOUS, query, types=["opportunity"], hubs=[hub], limit=1)
        times.append((time.perf_counter() - started) * 1000)
        hits += bool(results) and results[0].id == target
    times.sort()
    return hits / len(queries), statistics.median(times), times[int(0.95 * (len(times) - 1))]


def bare_cosine(query_ids: list[int], document_ids: list[int]) -> float:
    import numpy as np

    from puente.matching.embeddings import stored_vectors

    vectors = stored_vectors("opportunity")
    queries = np.vstack([vectors[pk][1] for pk in query_ids])
    documents = np.vstack([vectors[pk][1] for pk in document_ids])
    best = (queries @ documents.T).argmax(axis=1)
    return float((best == np.arange(len(query_ids))).mean())


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--limit", type=int, default=1000)
    options = parser.parse_args()
    if not (options.data / "tatoeba.spa-eng.spa").exists():
        raise SystemExit(f"Tatoeba files not found under {options.data}")
    spanish, english = load_pairs(options.data, options.limit)
    with tempfile.TemporaryDirectory() as directory:
        setup_django(directory)
        from puente.matching.embeddings import embeddings_backfill
        from puente.matching.engine import available_cores
        from puente.matching.runtime import matching_engine, reset_engine

        english_ids = post_sentences(english, language="en", hub_slug="miami")
        started = time.perf_counter()
        embeddings_backfill(item_types=["opportunity"])
        english_seconds = time.perf_counter() - started
        # Monolingual collection first: only the English documents are registered.
        reset_engine()
        matching_engine()
        mono_es_en = accuracy(spanish, english_ids, hub="miami")
        spanish_ids = post_sentences(spanish, language="es", hub_slug="medellin")
        started = time.perf_counter()
        embeddings_backfill(item_types=["opportunity"])
        spanish_seconds = time.perf_counter() - started
        reset_engine()
        started = time.perf_counter()
        matching_engine()
        build_seconds = time.perf_counter() - started
        es_en = accuracy(spanish, english_ids, hub="miami")
        en_es = accuracy(english, spanish_ids, hub="medellin")
        cosine_es_en = bare_cosine(spanish_ids, english_ids)
        cosine_en_es = bare_cosine(english_ids, spanish_ids)
    n = len(spanish)
    print(f"Tatoeba spa-eng, {n} pairs; encoder threads: {available_cores()}")
    print(
        f"embedding: {n / english_seconds:.0f} English and {n / spanish_seconds:.0f} Spanish sentences/s; engine build {build_seconds:.1f} s"
    )
    print()
    print("| setting | es→en acc@1 | en→es acc@1 | search median ms | p95 ms |")
    print("|---|---|---|---|---|")
    print(
        f"| search service, bilingual network | {es_en[0]:.3f} | {en_es[0]:.3f} | {statistics.median([es_en[1], en_es[1]]):.1f} | {max(es_en[2], en_es[2]):.1f} |"
    )
    print(
        f"| search service, only the target language loaded | {mono_es_en[0]:.3f} | – | {mono_es_en[1]:.1f} | {mono_es_en[2]:.1f} |"
    )
    print(
        f"| bare encoder, cosine of stored vectors | {cosine_es_en:.3f} | {cosine_en_es:.3f} | – | – |"
    )


if __name__ == "__main__":
    main()
