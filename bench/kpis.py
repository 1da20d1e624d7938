"""KPI dashboard and funder report at scale: 100,000 organizations, 1,000,000 activity records.

    .venv/bin/python bench/kpis.py [--organizations 100000] [--records 1000000] [--requests 25]
                                   [--database-url postgres://...] [--keep DIR]

Builds a fresh database (SQLite in a temporary directory unless ``--database-url``, which is
migrated and, when it holds no activity yet, filled; give it an empty database), writes
the organizations through the ORM and the activity records in bulk (twelve quarters ending with
the current one, both hubs, a third of them cross-border), then measures as a hub manager:

* the dashboard page ``GET /impact/`` rendered through Django (every KPI of the quarter, the
  trend of four quarters, the charts), for the whole network, each hub and each direction,
  cycling over the last four quarters; median and p95, cold (cache emptied before every
  request, so every number is read from the activity table) and as served (per-quarter totals
  cached until the next write of activity);
* one drill-down page (``/impact/kpi/companies_landed/``);
* the network of ties (``/impact/network/``: measures, brokers and drawing of eight quarters),
  for the network and each hub, cold and as served (measures and layout cached per quarter
  and scope until the next write of activity);
* the quarterly funder report (PDF, and XLSX), median of a few runs.

Prints the numbers; the figures of record are in docs/benchmarks.md ("KPIs").
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO_DIR = Path(__file__).resolve().parent.parent
QUARTERS = 12


def setup_django(directory: str, database_url: str | None) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "puente.settings.base"
    os.environ["PUENTE_DATA_DIR"] = directory
    os.environ["DATABASE_URL"] = database_url or f"sqlite:///{directory}/bench.sqlite3"
    os.environ.pop("REDIS_URL", None)
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    sys.path.insert(0, str(REPO_DIR / "src"))
    import django

    django.setup()
    from django.core.management import call_command

    # A database given by URL is migrated and reused as it is: an empty one gets the data, one
    # already loaded is measured again (flushing would also drop the reference data that the
    # migrations load, such as the taxonomy).
    call_command("migrate", verbosity=0)


def create_organizations(count: int) -> dict[int, int]:
    """Organizations split between the hubs; returns {organization id: hub id}."""
    from puente.core.models import Hub, TaxonomyTerm
    from puente.directory.models import Organization

    hubs = list(Hub.objects.order_by("id"))
    startup = TaxonomyTerm.objects.get(vocabulary="organization_type", code="startup")
    batch = []
    for index in range(count):
        hub = hubs[index % len(hubs)]
        batch.append(
            Organization(
                slug=f"bench-{index}",
                name=f"Bench organization {index}",
                type=startup,
                hub=hub,
                profile_visibility="public",
            )
        )
        batch[-1].set_sort_name()
        if len(batch) == 5000:
            Organization.objects.bulk_create(batch)
            batch = []
    if batch:
        Organization.objects.bulk_create(batch)
    return dict(Organization.objects.values_list("id", "hub_id"))


KIND_WEIGHTS = [
    ("match_shown", 30), ("organization_active", 10), ("introduction_requested", 10),
    ("introduction_accepted", 6), ("meeting_held", 8), ("space_booking", 10),
    ("program_participation", 5), ("event_attendance", 2), ("mentoring_hours", 3),
    ("company_landed", 1), ("jobs_created", 1), ("investment", 1), ("event_held", 1),
]  # fmt: skip
PAIRED = {
    "match_shown",
    "introduction_requested",
    "introduction_accepted",
    "meeting_held",
    "program_participation",
}


def create_activity(count: int, org_hubs: dict[int, int], seed: int = 7) -> None:
    from django.db import connection, transaction

    from puente.core.models import Hub
    from puente.impact.computation import Quarter

    rng = random.Random(seed)
    hubs = list(Hub.objects.order_by("id").values_list("id", flat=True))
    by_hub: dict[int, list[int]] = {hub: [] for hub in hubs}
    for org, hub in org_hubs.items():
        by_hub[hub].append(org)
    quarters = Quarter.of_date(dt.date.today()).trailing(QUARTERS)
    kinds = [kind for kind, _w in KIND_WEIGHTS]
    weights = [w for _k, w in KIND_WEIGHTS]
    sqlite = connection.vendor == "sqlite"
    columns = "kind, occurred_at, hub_id, local_date, quarter, origin_hub_id, destination_hub_id, organization_id, partner_organization_id, quantity, currency, source_type, source_id, evidence, recorded_at"
    sql = f"INSERT INTO impact_activityrecord ({columns}) VALUES ({', '.join(['%s'] * 15)})"
    now = dt.datetime.now(dt.UTC)
    written = 0
    with transaction.atomic(), connection.cursor() as cursor:
        while written < count:
            rows = []
            for _n in range(min(20_000, count - written)):
                kind = rng.choices(kinds, weights)[0]
                quarter = rng.choice(quarters)
                day = quarter.first_day + dt.timedelta(days=rng.randrange(90))
                home = rng.choice(hubs)
                org = rng.choice(by_hub[home])
                partner = None
                hub = home
                origin = destination = None
                cross = rng.random() < 0.33
                other = rng.choice([h for h in hubs if h != home])
                if kind in PAIRED:
                    partner = rng.choice(by_hub[other if cross else home])
                    if cross:
                        origin, destination = home, other
                elif kind in ("company_landed", "jobs_created", "investment"):
                    hub, origin, destination = other, home, other
                quantity, currency = 1, ""
                if kind == "investment":
                    currency = rng.choice(("COP", "USD"))
                    quantity = (
                        rng.choice((400_000_000, 900_000_000))
                        if currency == "COP"
                        else rng.choice((100_000, 250_000))
                    )
                elif kind in (
                    "jobs_created",
                    "event_attendance",
                    "mentoring_hours",
                    "space_booking",
                ):
                    quantity = rng.randint(1, 40)
                moment = dt.datetime.combine(day, dt.time(17), tzinfo=dt.UTC)
                rows.append((
                    kind, moment.strftime("%Y-%m-%d %H:%M:%S") if sqlite else moment, hub, day.isoformat() if sqlite else day,
                    Quarter.of_date(day).code, origin, destination, org, partner, str(quantity), currency, "", "", "",
                    now.strftime("%Y-%m-%d %H:%M:%S") if sqlite else now,
                ))  # fmt: skip
            cursor.executemany(sql, rows)
            written += len(rows)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--organizations", type=int, default=100_000)
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=25)
    parser.add_argument("--reports", type=int, default=3)
    parser.add_argument("--database-url", default=None)
    parser.add_argument(
        "--keep", default=None, help="Use (and keep) this directory for the SQLite file."
    )
    options = parser.parse_args()
    directory = options.keep or tempfile.mkdtemp(prefix="puente-bench-kpis-")
    Path(directory).mkdir(parents=True, exist_ok=True)
    setup_django(directory, options.database_url)

    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    from puente.accounts.models import User
    from puente.core.models import Hub, HubPartnership
    from puente.impact import reports, selectors
    from puente.impact.computation import Quarter
    from puente.impact.models import ActivityRecord
    from puente.impact.services import exchange_rates_ensure

    setup_test_environment()
    started = time.perf_counter()
    if not ActivityRecord.objects.exists():
        org_hubs = create_organizations(options.organizations)
        print(
            f"organizations: {len(org_hubs):,} in {time.perf_counter() - started:.1f} s", flush=True
        )
        started = time.perf_counter()
        create_activity(options.records, org_hubs)
        print(
            f"activity records: {ActivityRecord.objects.count():,} in {time.perf_counter() - started:.1f} s",
            flush=True,
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # planner statistics, as autovacuum keeps them in production
    exchange_rates_ensure()
    hubs = list(Hub.objects.order_by("id"))
    if not HubPartnership.objects.exists():
        HubPartnership.objects.create(hub_a=hubs[0], hub_b=hubs[1])
    staff, _created = User.objects.get_or_create(
        email="bench@puente.example",
        defaults={"full_name": "Bench", "is_staff": True, "language": "es"},
    )
    client = Client(HTTP_ACCEPT_LANGUAGE="es")
    client.force_login(staff)

    current = Quarter.of_date(dt.date.today())
    scopes = [
        {},
        {"hub": hubs[0].slug},
        {"hub": hubs[1].slug},
        {"direction": f"{hubs[0].slug}-{hubs[1].slug}"},
        {"direction": f"{hubs[1].slug}-{hubs[0].slug}"},
    ]
    quarters = current.trailing(4)
    for warm in range(2):
        assert client.get("/impact/", {"quarter": str(quarters[warm])}).status_code == 200
    for label, cold in (
        ("cold: cache emptied before each request", True),
        ("with the totals cache, as served", False),
    ):
        cache.clear()
        client.force_login(staff)
        timings = []
        for index in range(options.requests):
            params = {
                "quarter": str(quarters[index % len(quarters)]),
                **scopes[index % len(scopes)],
            }
            if cold:
                cache.clear()
            begin = time.perf_counter()
            response = client.get("/impact/", params)
            timings.append(time.perf_counter() - begin)
            assert response.status_code == 200, response.status_code
        print(
            f"dashboard GET /impact/ {label} ({connection.vendor}, {options.requests} requests): median {statistics.median(timings) * 1000:.0f} ms, p95 {percentile(timings, 0.95) * 1000:.0f} ms, max {max(timings) * 1000:.0f} ms",
            flush=True,
        )

    drill = []
    for index in range(5):
        begin = time.perf_counter()
        assert (
            client.get(
                "/impact/kpi/companies_landed/",
                {"quarter": str(quarters[-1]), **scopes[index % len(scopes)]},
            ).status_code
            == 200
        )
        drill.append(time.perf_counter() - begin)
    print(
        f"drill-down companies landed (5 requests): median {statistics.median(drill) * 1000:.0f} ms, max {max(drill) * 1000:.0f} ms",
        flush=True,
    )

    network_requests = max(3, options.requests // 5)
    for label, cold in (("cold", True), ("as served", False)):
        cache.clear()
        client.force_login(staff)
        timings = []
        for index in range(network_requests):
            params = {"quarter": str(quarters[-1]), **scopes[index % 3]}
            if cold:
                cache.clear()
            elif index < 3:
                client.get("/impact/network/", params)  # each scope's first request fills it
            begin = time.perf_counter()
            assert client.get("/impact/network/", params).status_code == 200
            timings.append(time.perf_counter() - begin)
        print(
            f"network GET /impact/network/ {label} ({network_requests} requests): median {statistics.median(timings) * 1000:.0f} ms, max {max(timings) * 1000:.0f} ms",
            flush=True,
        )

    previous = current.previous()
    for fmt in ("pdf", "xlsx"):
        runs = []
        size = 0
        for index in range(options.reports):
            scope = selectors.Scope(hub=hubs[index % 2]) if index % 3 else selectors.Scope()
            cache.clear()  # cold: every total read from the activity table
            begin = time.perf_counter()
            board = selectors.build_dashboard(quarter=previous, scope=scope)
            content = reports.render_report(board, fmt=fmt, language="es")
            runs.append(time.perf_counter() - begin)
            size = len(content)
        print(
            f"quarterly report {previous} {fmt}, cold ({options.reports} runs): median {statistics.median(runs):.2f} s, max {max(runs):.2f} s, {size:,} bytes",
            flush=True,
        )
    print(
        f"load: {os.getloadavg()[0]:.1f} (1-minute average), database in {directory if not options.database_url else options.database_url}"
    )


if __name__ == "__main__":
    main()
