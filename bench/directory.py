"""Latency of the organization directory (HTML page and API list) at 100,000 organizations.

    .venv/bin/python bench/directory.py [--orgs 100000] [--db sqlite|postgres|both] [--runs N]

Seeds ``--orgs`` organizations (see ``directory_corpus.py``: bilingual names and descriptions,
every type, sectors, technologies, stages, both hubs, every visibility level) into a throwaway
SQLite file and/or a throwaway PostgreSQL database (``puente_bench_directory``, dropped and
re-created), then requests a fixed mix of directory queries through Django's test client, as
an anonymous visitor and as a signed-in member of Medellín, on the HTML page
(``/directory/``) and on the API (``/api/v1/organizations?facets=true``).
Each query is requested once to warm up, then ``--runs`` times; the table shows, per database
by surface and viewer, the median and p95 latency over all the timed requests of the mix, and
per query the median. ``--db both`` runs each database in its own process and prints both.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO_DIR = Path(__file__).resolve().parent.parent
POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/puente_bench_directory"

# (label, query parameters); page is the HTML page number, the API uses the matching offset.
QUERIES: list[tuple[str, dict[str, Any]]] = [
    ("no filter", {}),
    ("hub", {"hub": "medellin"}),
    ("hub+sector", {"hub": "miami", "sector": "fintech"}),
    ("common word", {"q": "software"}),
    ("rare word", {"q": "cacao"}),
    ("accented word", {"q": "logística"}),
    ("search+filters", {"q": "inteligencia artificial", "hub": "medellin", "type": "startup"}),
    ("page 3", {"hub": "miami", "page": 3}),
    ("search page 2", {"q": "salud", "page": 2}),
    ("type+stage+verified", {"type": "startup", "stage": "seed", "verified": "1"}),
]
VIEWERS = ("anonymous", "member")
SURFACES = ("html", "api")
PAGE_SIZE = 24


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def setup_django(database_url: str, directory: str) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "puente.settings.base"
    os.environ["PUENTE_DATA_DIR"] = directory
    os.environ["DATABASE_URL"] = database_url
    os.environ["API_RATE_ANONYMOUS"] = os.environ["API_RATE_AUTHENTICATED"] = "1000000/s"
    os.environ["ALLOWED_HOSTS"] = "testserver"
    os.environ["DEBUG"] = "false"
    os.environ.pop("REDIS_URL", None)
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    sys.path.insert(0, str(REPO_DIR / "src"))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def recreate_postgres_database(url: str, *, keep: bool = False) -> None:
    """Drop and create the bench database (with ``keep``, only create it if missing)."""
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if exists and keep:
            return
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def make_member() -> Any:
    """A verified user of Medellín who belongs to one organization (sees members-only profiles)."""
    from puente.accounts.models import User
    from puente.core.models import Hub
    from puente.directory.models import MembershipRole, Organization, OrganizationMembership

    hub = (
        Hub.objects.get(slug="medellin")
        if Hub.objects.filter(slug="medellin").exists()
        else Hub.objects.first()
    )
    from django.utils import timezone

    user = User.objects.filter(email="bench-member@example.org").first()
    if user is None:
        user = User.objects.create_user(
            "bench-member@example.org",
            "bench-password-123",
            home_hub=hub,
            email_verified_at=timezone.now(),
        )
        organization = Organization.objects.filter(hub=hub).order_by("id").first()
        if organization is not None:
            OrganizationMembership.objects.create(
                user=user, organization=organization, role=MembershipRole.MEMBER
            )
    return user


def index_rebuild_ms() -> float | None:
    """How long one process takes to build the directory's facet index from scratch."""
    try:
        from puente.directory import facet_index
    except ImportError:  # the code before the facet index
        return None
    samples = []
    for _attempt in range(3):
        facet_index.forget()
        started = time.perf_counter()
        facet_index.directory_index()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def index_refresh_ms() -> float | None:
    """How long the next request's index refresh takes after a write to one organization.

    The write changes nothing (``SET name = name``) but fires the same triggers as an edit.
    """
    from django.db import connection

    from puente.directory import facet_index

    if not hasattr(facet_index, "refreshed"):  # the code that rebuilt after every write
        return None
    facet_index.directory_index()
    with connection.cursor() as cursor:
        cursor.execute("SELECT id FROM directory_organization ORDER BY id LIMIT 3")
        ids = [row[0] for row in cursor.fetchall()]
    samples = []
    for pk in ids:
        with connection.cursor() as cursor:
            cursor.execute("UPDATE directory_organization SET name = name WHERE id = %s", [pk])
        started = time.perf_counter()
        facet_index.directory_index()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def url_for(surface: str, params: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    params = dict(params)
    if surface == "html":
        from django.urls import reverse

        return reverse("directory:organizations"), params
    page = int(params.pop("page", 1))
    params.update({"facets": "true", "limit": PAGE_SIZE, "offset": (page - 1) * PAGE_SIZE})
    if "verified" in params:
        params["verified"] = "true"
    return "/api/v1/organizations", params


def measure(
    runs: int, *, queries: list[tuple[str, dict[str, Any]]] | None = None
) -> dict[str, Any]:
    """Time every query x surface x viewer; returns raw timings (ms) and result counts."""
    from django.test import Client

    member = make_member()
    clients = {"anonymous": Client(), "member": Client()}
    clients["member"].force_login(member)
    timings: dict[str, dict[str, list[float]]] = {}
    counts: dict[str, int] = {}
    for viewer in VIEWERS:
        client = clients[viewer]
        for surface in SURFACES:
            for label, params in queries or QUERIES:
                path, query = url_for(surface, params)
                key = f"{surface}|{viewer}|{label}"
                samples: list[float] = []
                cpu: list[float] = []
                for attempt in range(runs + 1):
                    started, cpu_started = time.perf_counter(), time.process_time()
                    response = client.get(path, query, HTTP_ACCEPT_LANGUAGE="es")
                    elapsed = (time.perf_counter() - started) * 1000
                    if response.status_code != 200:
                        raise SystemExit(f"{key}: HTTP {response.status_code}")
                    if attempt:  # the first request warms caches up
                        samples.append(elapsed)
                        cpu.append((time.process_time() - cpu_started) * 1000)
                if surface == "api":
                    counts[f"{viewer}|{label}"] = response.json()["count"]
                timings[key] = {"samples": samples, "cpu": cpu}
    return {"timings": timings, "counts": counts}


def summarize(results: dict[str, Any]) -> dict[str, dict[str, float]]:
    """Median and p95 per surface x viewer over the whole mix, and per query."""
    groups: dict[str, list[float]] = {}
    cpu: dict[str, list[float]] = {}
    per_query: dict[str, dict[str, float]] = {}
    for key, value in results["timings"].items():
        surface, viewer, _label = key.split("|")
        samples = value["samples"]
        groups.setdefault(f"{surface}|{viewer}", []).extend(samples)
        groups.setdefault(f"{surface}|all", []).extend(samples)
        cpu.setdefault(f"{surface}|{viewer}", []).extend(value["cpu"])
        cpu.setdefault(f"{surface}|all", []).extend(value["cpu"])
        per_query[key] = {"median": statistics.median(samples), "p95": percentile(samples, 0.95)}
    overall = {
        key: {
            "median": statistics.median(samples),
            "p95": percentile(samples, 0.95),
            "n": len(samples),
            "cpu_median": statistics.median(cpu[key]),
        }
        for key, samples in groups.items()
    }
    return {"overall": overall, "per_query": per_query}


def run_one(database: str, orgs: int, runs: int, keep: str | None) -> dict[str, Any]:
    directory = keep or tempfile.mkdtemp(prefix="puente-bench-directory-")
    if database == "sqlite":
        url = f"sqlite:///{directory}/directory.sqlite3"
    else:
        url = POSTGRES_URL
        recreate_postgres_database(url, keep=bool(keep))
    started = time.perf_counter()
    setup_django(url, directory)
    from directory_corpus import seed_if_needed

    seeded = seed_if_needed(orgs)
    seed_seconds = time.perf_counter() - started
    rebuild_ms = index_rebuild_ms()
    refresh_ms = index_refresh_ms()
    load_before = os.getloadavg()
    results = measure(runs)
    summary = summarize(results)
    return {
        "db": database,
        "orgs": seeded,
        "runs": runs,
        "seed_seconds": seed_seconds,
        "rebuild_ms": rebuild_ms,
        "refresh_ms": refresh_ms,
        "summary": summary,
        "counts": results["counts"],
        "load_before": load_before,
        "load": os.getloadavg(),
    }


def print_table(reports: list[dict[str, Any]]) -> None:
    for report in reports:
        print(
            f"\n{report['db']}: {report['orgs']:,} organizations, seeded in {report['seed_seconds']:.0f} s, {report['runs']} runs per query, load average before {report['load_before'][0]:.2f}, after {report['load'][0]:.2f} {report['load'][1]:.2f} {report['load'][2]:.2f}"
        )
        if report.get("rebuild_ms") is not None:
            print(f"facet index full build: {report['rebuild_ms']:.0f} ms (median of 3)")
        if report.get("refresh_ms") is not None:
            print(
                f"facet index refresh after a write to one organization: {report['refresh_ms']:.0f} ms (median of 3)"
            )
        print(
            f"{'surface':8} {'viewer':10} {'median ms':>10} {'p95 ms':>8} {'requests':>9} {'CPU ms (median, this process)':>30}"
        )
        for key, value in sorted(report["summary"]["overall"].items()):
            surface, viewer = key.split("|")
            print(
                f"{surface:8} {viewer:10} {value['median']:10.1f} {value['p95']:8.1f} {value['n']:9d} {value['cpu_median']:30.1f}"
            )
        print(
            f"\n{'query':22} "
            + " ".join(
                f"{surface + '/' + viewer[:4]:>10}" for surface in SURFACES for viewer in VIEWERS
            )
            + "  (median ms)   results anon/member"
        )
        for label, _params in QUERIES:
            cells = " ".join(
                f"{report['summary']['per_query'][f'{surface}|{viewer}|{label}']['median']:10.1f}"
                for surface in SURFACES
                for viewer in VIEWERS
            )
            print(
                f"{label:22} {cells}  {report['counts'].get(f'anonymous|{label}', 0):>10,}/{report['counts'].get(f'member|{label}', 0):,}"
            )
    worst = max(
        value["p95"]
        for report in reports
        for key, value in report["summary"]["overall"].items()
        if key.endswith("|all")
    )
    print(f"\nworst p95 over databases and surfaces: {worst:.1f} ms")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--orgs", type=int, default=100_000)
    parser.add_argument("--db", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--keep",
        metavar="DIR",
        help="keep the databases (SQLite file in DIR, the PostgreSQL database) and reuse them if already seeded",
    )
    parser.add_argument(
        "--json", action="store_true", help="print the report as JSON (used by --db both)"
    )
    args = parser.parse_args(argv)
    if args.db == "both":
        reports = []
        for database in ("sqlite", "postgres"):
            command = [
                sys.executable,
                __file__,
                "--orgs",
                str(args.orgs),
                "--db",
                database,
                "--runs",
                str(args.runs),
                "--json",
                *(["--keep", args.keep] if args.keep else []),
            ]
            output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
            reports.append(json.loads(output.strip().splitlines()[-1]))
        print_table(reports)
        return
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    report = run_one(args.db, args.orgs, args.runs, args.keep)
    if args.json:
        print(json.dumps(report))
    else:
        print_table([report])


if __name__ == "__main__":
    main()
