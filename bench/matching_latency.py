"""Latency of search and matches with 100,000 opportunities indexed, and embedding throughput.

    .venv/bin/python bench/matching_latency.py [--opportunities 100000] [--queries 300]
        [--keep DIR] [--profile]

Generates bilingual offers and requests (templates filled with sectors, technologies, places,
amounts; half Spanish, half English), stores their embeddings (cached in ``bench/out/`` by text
version, so later runs skip the encoder), builds the process's engine, then times, after a
warm-up, free-text searches (the service behind ``GET /api/v1/search``; distinct short and
paragraph-long queries in both languages, so every query is embedded) and matches of stored
opportunities (``GET /api/v1/opportunities/{id}/matches``), through the API with Django's
test client when the API routes exist, else through the service.
Prints median and p95 per operation, and the encoder's throughput on short and long texts.

``--keep DIR`` keeps the SQLite database in DIR and reuses it when run again with the same
number of opportunities (seeding and storing 100,000 embeddings take minutes); ``--profile``
prints where each timed phase spends its time (cProfile, cumulative).
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import functools
import os
import pstats
import random
import statistics
import tempfile
import time
from collections.abc import Callable

from crosslingual import REPO_DIR, setup_django

CACHE = REPO_DIR / "bench" / "out" / "latency_embeddings.npz"

SECTORS = {
    "es": [
        "agrotecnología",
        "salud digital",
        "fintech",
        "logística",
        "energía solar",
        "educación",
        "biotecnología",
        "turismo",
        "manufactura",
        "ciudades inteligentes",
        "comercio electrónico",
        "industrias creativas",
    ],
    "en": [
        "agritech",
        "digital health",
        "fintech",
        "logistics",
        "solar energy",
        "education",
        "biotechnology",
        "tourism",
        "manufacturing",
        "smart cities",
        "e-commerce",
        "creative industries",
    ],
}
TECHNOLOGIES = {
    "es": [
        "inteligencia artificial",
        "internet de las cosas",
        "blockchain",
        "analítica de datos",
        "robótica",
        "computación en la nube",
        "drones",
        "realidad virtual",
        "ciberseguridad",
        "apps móviles",
    ],
    "en": [
        "artificial intelligence",
        "internet of things",
        "blockchain",
        "data analytics",
        "robotics",
        "cloud computing",
        "drones",
        "virtual reality",
        "cybersecurity",
        "mobile apps",
    ],
}
PLACES = {
    "es": ["Medellín", "Miami", "Bogotá", "Antioquia", "Florida", "Latinoamérica", "Centroamérica"],
    "en": ["Medellín", "Miami", "Bogotá", "Antioquia", "Florida", "Latin America", "the Caribbean"],
}
OFFERS = {
    "es": [
        "Ofrecemos {what} para empresas de {sector} que usan {tech} en {place}.",
        "Invertimos capital semilla en startups de {sector} con {tech}; tickets de {amount} dólares.",
        "Brindamos asesoría legal y tributaria a compañías de {sector} que llegan a {place}.",
        "Buscamos clientes para nuestra plataforma de {tech} aplicada a {sector}.",
    ],
    "en": [
        "We offer {what} to {sector} companies using {tech} in {place}.",
        "We invest seed capital in {sector} startups building {tech}; tickets of {amount} dollars.",
        "We provide legal and tax advice to {sector} companies landing in {place}.",
        "Our {tech} platform for {sector} is looking for its first clients in {place}.",
    ],
}
REQUESTS = {
    "es": [
        "Buscamos {what} para crecer en {place}: somos una startup de {sector} con {tech}.",
        "Necesitamos inversión de {amount} dólares para escalar nuestra solución de {tech} en {sector}.",
        "Queremos socios de investigación en {tech} para un proyecto de {sector} en {place}.",
        "Requerimos talento en {tech} para nuestro equipo de {sector} en {place}.",
    ],
    "en": [
        "We are looking for {what} to grow in {place}: a {sector} startup using {tech}.",
        "We need an investment of {amount} dollars to scale our {tech} solution for {sector}.",
        "We want research partners in {tech} for a {sector} project in {place}.",
        "We are hiring {tech} talent for our {sector} team in {place}.",
    ],
}
WHAT = {
    "es": [
        "mentoría",
        "acceso a clientes",
        "capital",
        "aterrizaje suave",
        "espacios de laboratorio",
        "alianzas comerciales",
    ],
    "en": [
        "mentoring",
        "client access",
        "capital",
        "soft landing support",
        "lab space",
        "business partnerships",
    ],
}
KINDS = [
    "client",
    "capital",
    "talent",
    "expertise",
    "technology",
    "research_partner",
    "landing_support",
]
QUERIES = [
    ("es", "capital semilla para agrotecnología"),
    ("en", "seed funding for agritech"),
    ("es", "asesoría legal para aterrizar en Miami"),
    ("en", "lab space in Medellín for biotech"),
    (
        "es",
        "Somos una startup de salud digital con inteligencia artificial y buscamos inversión para expandirnos en Florida.",
    ),
    ("en", "We build drones for precision agriculture and need partners and clients in Colombia."),
    ("en", "blockchain"),
    ("es", "talento en ciberseguridad"),
]


def search_queries(count: int, rng: random.Random) -> list[tuple[str, str]]:
    """``count`` distinct queries (so no cache can answer a repeated one): the fixed examples,
    then alternately short phrases and paragraph-long descriptions in both languages."""
    queries = list(QUERIES)
    seen = {query for _, query in queries}
    while len(queries) < count:
        language = "es" if len(queries) % 2 else "en"
        if len(queries) % 4 < 2:
            words = [rng.choice(WHAT[language]), rng.choice(SECTORS[language])]
            if rng.random() < 0.5:
                words.append(rng.choice(TECHNOLOGIES[language]))
            query = " ".join(words)
        else:
            query = sentence(rng, language, rng.choice(["offer", "request"]))[1]
        if query not in seen:
            seen.add(query)
            queries.append((language, query))
    return queries[:count]


def sentence(rng: random.Random, language: str, side: str) -> tuple[str, str]:
    template = rng.choice((OFFERS if side == "offer" else REQUESTS)[language])
    values = {
        "what": rng.choice(WHAT[language]),
        "sector": rng.choice(SECTORS[language]),
        "tech": rng.choice(TECHNOLOGIES[language]),
        "place": rng.choice(PLACES[language]),
        "amount": f"{rng.randrange(50, 5000) * 1000:,}",
    }
    description = template.format(**values)
    extra = rng.choice((OFFERS if side == "offer" else REQUESTS)[language]).format(
        **{**values, "sector": rng.choice(SECTORS[language])}
    )
    title = description.split(":")[0].split(";")[0][:120]
    return title, f"{description} {extra}"


def seed(count: int, rng: random.Random) -> list[int]:
    from django.utils import timezone

    from puente.core.models import Hub, TaxonomyTerm
    from puente.directory.models import Organization
    from puente.marketplace.models import LIFETIME, Opportunity, Status

    hubs = {hub.slug: hub for hub in Hub.objects.all()}
    kinds = {term.code: term for term in TaxonomyTerm.objects.filter(vocabulary="connection_kind")}
    types = list(TaxonomyTerm.objects.filter(vocabulary="organization_type"))
    organizations = Organization.objects.bulk_create(
        [
            Organization(
                slug=f"org-{n}",
                name=f"Organization {n}",
                sort_name=f"organization {n}",
                type=rng.choice(types),
                hub=hubs["medellin" if n % 2 else "miami"],
                description_language="es" if n % 2 else "en",
            )
            for n in range(2000)
        ]
    )
    now = timezone.now()
    rows = []
    for number in range(count):
        language = "es" if number % 2 else "en"
        side = rng.choice(["offer", "request"])
        title, description = sentence(rng, language, side)
        organization = organizations[number % len(organizations)]
        rows.append(
            Opportunity(
                organization=organization,
                hub=organization.hub,
                side=side,
                kind=kinds[rng.choice(KINDS)],
                title=title,
                description=description,
                language=language,
                status=Status.PUBLISHED,
                published_at=now,
                expires_at=now + LIFETIME,
            )
        )
    return [row.pk for row in Opportunity.objects.bulk_create(rows, batch_size=2000)]


def member_client(organization_id: int) -> object:
    """A test client signed in as a verified member of the organization."""
    from django.test import Client
    from django.utils import timezone

    from puente.accounts.models import User
    from puente.directory.models import MembershipRole, OrganizationMembership

    email = f"member-{organization_id}@bench.example"
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email=email, password=None)
        User.objects.filter(pk=user.pk).update(email_verified_at=timezone.now())
        OrganizationMembership.objects.create(
            user=user, organization_id=organization_id, role=MembershipRole.MEMBER
        )
    client = Client()
    client.force_login(user)
    return client


def apply_cache() -> int:
    import numpy as np

    from puente.matching.embeddings import vector_to_bytes, version_of
    from puente.matching.items import OPPORTUNITY, ORGANIZATION, items_of, parse_item_id
    from puente.matching.models import Embedding

    if not CACHE.exists():
        return 0
    cached = np.load(CACHE)
    known = set(cached.files)
    rows = []
    for item_type in (OPPORTUNITY, ORGANIZATION):
        for item in items_of(item_type):
            version = version_of(item)
            if version in known:
                rows.append(
                    Embedding(
                        item_type=item_type,
                        item_id=parse_item_id(item.id)[1],
                        text_version=version,
                        language=item.language,
                        vector=vector_to_bytes(cached[version]),
                    )
                )
    Embedding.objects.bulk_create(rows, batch_size=5000, ignore_conflicts=True)
    return len(rows)


def save_cache() -> None:
    import numpy as np

    from puente.matching.models import Embedding

    CACHE.parent.mkdir(parents=True, exist_ok=True)
    np.savez(
        CACHE,
        **{
            version: np.frombuffer(bytes(data), dtype=np.float32)
            for version, data in Embedding.objects.values_list("text_version", "vector").iterator(
                chunk_size=5000
            )
        },
    )


def throughput() -> tuple[float, float]:
    """Encoder throughput (texts/s) on short titles and on paragraph-long descriptions."""
    from puente.matching.engine import embed_texts

    rng = random.Random(7)
    short = [sentence(rng, "es" if n % 2 else "en", "offer")[0] for n in range(512)]
    long = [
        " ".join(sentence(rng, "es" if n % 2 else "en", "request")[1] for _ in range(4))
        for n in range(128)
    ]
    embed_texts(short[:8], "en")  # load the model
    started = time.perf_counter()
    embed_texts(short, ["es" if n % 2 else "en" for n in range(len(short))])
    short_rate = len(short) / (time.perf_counter() - started)
    started = time.perf_counter()
    embed_texts(long, ["es" if n % 2 else "en" for n in range(len(long))])
    return short_rate, len(long) / (time.perf_counter() - started)


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[int(fraction * (len(ordered) - 1))]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--opportunities", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--keep", metavar="DIR", help="keep (and reuse) the database in DIR")
    parser.add_argument("--profile", action="store_true", help="profile the timed phases")
    options = parser.parse_args()
    rng = random.Random(2026)
    if options.keep:
        os.makedirs(options.keep, exist_ok=True)
    with (
        contextlib.nullcontext(options.keep) if options.keep else tempfile.TemporaryDirectory()
    ) as directory:
        # The API is timed through Django's test client, whose host is "testserver".
        os.environ["ALLOWED_HOSTS"] = "testserver"
        # One client sends every request: the per-client rate limits would throttle it.
        os.environ["API_RATE_ANONYMOUS"] = os.environ["API_RATE_AUTHENTICATED"] = "100000/s"
        setup_django(directory)
        from django.test import Client
        from django.urls import NoReverseMatch, reverse

        from puente.accounts.viewer import ANONYMOUS
        from puente.core.database import refresh_planner_statistics
        from puente.marketplace.models import Opportunity
        from puente.matching import selectors
        from puente.matching.embeddings import embeddings_backfill
        from puente.matching.runtime import matching_engine

        started = time.perf_counter()
        ids = list(Opportunity.objects.order_by("pk").values_list("pk", flat=True))
        if len(ids) != options.opportunities:
            if ids:
                raise SystemExit(f"{directory} holds another run's data: use an empty directory")
            ids = seed(options.opportunities, rng)
            # As `puente import` does after a bulk load: the SQLite planner needs statistics.
            refresh_planner_statistics()
        seed_seconds = time.perf_counter() - started
        reused = apply_cache()
        started = time.perf_counter()
        computed = embeddings_backfill(item_types=["opportunity", "organization"], batch_size=512)
        embed_seconds = time.perf_counter() - started
        if computed:
            save_cache()
        started = time.perf_counter()
        engine = matching_engine()
        build_seconds = time.perf_counter() - started
        client = Client()
        member_clients: dict[int, Client] = {}
        try:
            reverse("api:search")
            through = "API (Django test client)"
        except NoReverseMatch:
            client = None  # type: ignore[assignment]
            through = "search service"

        def run_search(language: str, query: str) -> None:
            if client is not None:
                response = client.get(
                    "/api/v1/search",
                    {"q": query, "type": "opportunity", "limit": 10},
                    HTTP_ACCEPT_LANGUAGE=language,
                )
                assert response.status_code == 200, response.content[:300]
            else:
                selectors.search(ANONYMOUS, query, types=["opportunity"], limit=10)

        def run_matches(pk: int) -> None:
            if client is not None:
                # Matches are for the organization's own members: sign in as one of them.
                organization_id = owners[pk]
                if organization_id not in member_clients:
                    member_clients[organization_id] = member_client(organization_id)
                    # One handler for every client, as one server process has: a client's
                    # first request would otherwise load the middleware (static files) again.
                    member_clients[organization_id].handler = client.handler
                response = member_clients[organization_id].get(
                    f"/api/v1/opportunities/{pk}/matches", {"limit": 10}
                )
                assert response.status_code == 200, response.content[:300]
            else:
                selectors.opportunity_matches(ANONYMOUS, Opportunity.objects.get(pk=pk), limit=10)

        profiler = cProfile.Profile() if options.profile else None

        def timed(phase: str, calls: list[Callable[[], None]]) -> list[float]:
            times = []
            if profiler is not None:
                profiler.enable()
            for call in calls:
                started = time.perf_counter()
                call()
                times.append((time.perf_counter() - started) * 1000)
            if profiler is not None:
                profiler.disable()
                print(f"--- profile: {phase}")
                pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)
                profiler.clear()
            return times

        for language, query in QUERIES:  # warm-up
            run_search(language, query)
        queries = search_queries(options.queries, random.Random(9))
        search_times = timed(
            "search",
            [functools.partial(run_search, language, query) for language, query in queries],
        )
        subjects = random.Random(5).sample(ids, min(options.queries, len(ids)))
        owners = dict(
            Opportunity.objects.filter(pk__in=subjects).values_list("pk", "organization_id")
        )
        for pk in subjects[:10]:
            run_matches(pk)
        match_times = timed("matches", [functools.partial(run_matches, pk) for pk in subjects])
        short_rate, long_rate = throughput()
        size = len(engine)
    print(
        f"{options.opportunities:,} opportunities generated in {seed_seconds:.1f} s; engine holds {size:,} items, built in {build_seconds:.1f} s"
    )
    print(
        f"embeddings: {computed:,} computed in {embed_seconds:.1f} s ({computed / embed_seconds if computed else 0:.0f}/s), {reused:,} from cache"
    )
    print(f"encoder throughput: {short_rate:.0f} short texts/s, {long_rate:.0f} paragraphs/s")
    print(f"timed through: {through}")
    print()
    print("| operation | requests | median ms | p95 ms |")
    print("|---|---|---|---|")
    print(
        f"| search | {len(search_times)} | {statistics.median(search_times):.1f} | {percentile(search_times, 0.95):.1f} |"
    )
    print(
        f"| matches | {len(match_times)} | {statistics.median(match_times):.1f} | {percentile(match_times, 0.95):.1f} |"
    )


if __name__ == "__main__":
    main()
