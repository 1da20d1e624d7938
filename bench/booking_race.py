"""Booking race: many API clients book the same few rooms at once; the database must let no
two confirmed bookings overlap, and every refusal must be a 409.

    .venv/bin/python bench/booking_race.py [--clients 50] [--bookings 20] [--rooms 5]
        [--database-url postgres://postgres@127.0.0.1:5432/puente_bench_race] [--port 8765]

Creates a fresh PostgreSQL database, migrates it, seeds ``--rooms`` meeting rooms in the first
hub and one verified member with an API token per client, then serves Puente with Django's
threaded server on 127.0.0.1. ``--clients`` threads start together (a barrier) and each sends
``--bookings`` ``POST /api/v1/spaces/{id}/bookings`` of random intervals (15-minute grid, 30 to
120 minutes, the same day, random room): heavy overlap on purpose.

Checks, printed at the end (exit status 1 if one fails):
* no two held bookings of the same room overlap (a self-join over ``tstzrange``);
* every answer is 201 or 409 (no 500, no 422 for valid input);
* every 409 is justified: its interval overlaps a booking held at the end.
Reported: throughput (requests per second over the whole race) and latency (median, p95).
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import os
import random
import socketserver
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

REPO_DIR = Path(__file__).resolve().parent.parent
REQUEST_TIMEOUT = 60.0


@dataclass
class Attempt:
    room: int
    start: str
    end: str
    status: int
    seconds: float


@dataclass
class RaceResult:
    attempts: list[Attempt] = field(default_factory=list)
    seconds: float = 0.0

    def count(self, status: int) -> int:
        return sum(1 for attempt in self.attempts if attempt.status == status)

    @property
    def unexpected(self) -> dict[int, int]:
        found: dict[int, int] = {}
        for attempt in self.attempts:
            if attempt.status not in (201, 409):
                found[attempt.status] = found.get(attempt.status, 0) + 1
        return found

    @property
    def throughput(self) -> float:
        return len(self.attempts) / self.seconds if self.seconds else 0.0

    def latency_ms(self, quantile: float) -> float:
        values = sorted(attempt.seconds * 1000 for attempt in self.attempts)
        if not values:
            return 0.0
        return values[min(len(values) - 1, int(quantile * len(values)))]


def race_days(count: int, today: dt.date | None = None) -> list[dt.date]:
    """``count`` consecutive days starting on the Monday one to two weeks ahead."""
    today = today or dt.date.today()
    day = today + dt.timedelta(days=8)
    monday = day + dt.timedelta(days=(0 - day.weekday()) % 7)
    return [monday + dt.timedelta(days=offset) for offset in range(count)]


def random_interval(rng: random.Random, days: list[dt.date]) -> tuple[str, str]:
    start = dt.datetime.combine(rng.choice(days), dt.time(8)) + dt.timedelta(
        minutes=15 * rng.randrange(0, 40)
    )
    end = start + dt.timedelta(minutes=rng.choice((30, 45, 60, 90, 120)))
    return start.isoformat(timespec="minutes"), end.isoformat(timespec="minutes")


def run_race(
    base_url: str,
    tokens: list[str],
    room_ids: list[int],
    *,
    bookings: int,
    seed: int,
    days: list[dt.date],
) -> RaceResult:
    """Every token is one client thread sending ``bookings`` booking requests, all at once."""
    parts = urlsplit(base_url)
    barrier = threading.Barrier(len(tokens))
    result = RaceResult()
    lock = threading.Lock()

    def client(index: int, token: str) -> None:
        rng = random.Random(f"{seed}:{index}")
        connection = http.client.HTTPConnection(
            parts.hostname or "127.0.0.1", parts.port or 80, timeout=REQUEST_TIMEOUT
        )
        connection.connect()  # connect before the start: the race is between requests, not connects
        headers = {
            "Authorization": f"Bearer {token}",
            "Content-Type": "application/json",
            "Accept-Language": "en",
        }
        barrier.wait()
        for _ in range(bookings):
            room = rng.choice(room_ids)
            start, end = random_interval(rng, days)
            body = json.dumps({"start": start, "end": end, "purpose": "race"})
            began = time.perf_counter()
            try:
                connection.request(
                    "POST", f"/api/v1/spaces/{room}/bookings", body=body, headers=headers
                )
                response = connection.getresponse()
                response.read()
                status = response.status
                if response.getheader("Connection", "").lower() == "close":
                    connection.close()
            except (OSError, http.client.HTTPException):
                status = (
                    0  # a dropped connection counts as a failure (never retried), then reconnect
                )
                connection.close()
                connection = http.client.HTTPConnection(
                    parts.hostname or "127.0.0.1", parts.port or 80, timeout=REQUEST_TIMEOUT
                )
            with lock:
                result.attempts.append(
                    Attempt(room, start, end, status, time.perf_counter() - began)
                )
        connection.close()

    threads = [
        threading.Thread(target=client, args=(index, token), daemon=True)
        for index, token in enumerate(tokens)
    ]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=REQUEST_TIMEOUT * bookings)
    result.seconds = time.perf_counter() - began
    return result


OVERLAPS_SQL = """
    SELECT count(*) FROM spaces_booking AS a JOIN spaces_booking AS b
      ON a.space_id = b.space_id AND a.unit = b.unit AND a.id < b.id
     AND a.status IN ('tentative', 'approved') AND b.status IN ('tentative', 'approved')
     AND a.starts_at < b.blocked_until AND b.starts_at < a.blocked_until
"""


def overlapping_pairs(cursor: Any) -> int:
    """Pairs of held bookings of the same unit that overlap (must be 0)."""
    cursor.execute(OVERLAPS_SQL)
    return int(cursor.fetchone()[0])


def unjustified_refusals(
    result: RaceResult, held: dict[int, list[tuple[dt.datetime, dt.datetime]]], zone: Any
) -> int:
    """409 answers whose interval overlaps no booking held at the end (must be 0)."""
    count = 0
    for attempt in result.attempts:
        if attempt.status != 409:
            continue
        start = dt.datetime.fromisoformat(attempt.start).replace(tzinfo=zone)
        end = dt.datetime.fromisoformat(attempt.end).replace(tzinfo=zone)
        if not any(
            other_start < end and start < other_end
            for other_start, other_end in held.get(attempt.room, [])
        ):
            count += 1
    return count


def seed_rooms_and_clients(rooms: int, clients: int) -> tuple[list[int], list[str], Any]:
    """Rooms open 7:00-20:00 every day in the first hub, and one member with a token per client."""
    from django.utils import timezone

    from puente.accounts.models import ApiToken, User
    from puente.core.models import Hub
    from puente.spaces.models import HubCalendar, OpeningHours, Space, SpaceKind

    hub = Hub.objects.order_by("sort_order", "slug").first()
    assert hub is not None, "no hub: the migrations load the reference hubs"
    room_ids = []
    for number in range(rooms):
        space = Space.objects.create(
            hub=hub,
            slug=f"race-room-{number}",
            name_en=f"Race room {number}",
            name_es=f"Sala carrera {number}",
            kind=SpaceKind.MEETING_ROOM,
            capacity=8,
        )
        OpeningHours.objects.bulk_create(
            [
                OpeningHours(space=space, weekday=day, opens=dt.time(7), closes=dt.time(20))
                for day in range(7)
            ]
        )
        room_ids.append(space.pk)
    # Holidays would turn some requests into 422s; the race is about overlaps only.
    HubCalendar.objects.update_or_create(
        hub=hub, defaults={"holiday_country": hub.country, "observe_holidays": False}
    )
    tokens = []
    now = timezone.now()
    for number in range(clients):
        user = User.objects.create_user(
            f"race{number}@bench.example",
            "not-used-password-1234",
            full_name=f"Racer {number}",
            home_hub=hub,
            email_verified_at=now,
        )
        raw, key_hash, hint = ApiToken.new_secret()
        ApiToken.objects.create(
            user=user, name="race", key_hash=key_hash, key_hint=hint, last_used_at=now
        )
        tokens.append(raw)
    return room_ids, tokens, hub.zone


def held_intervals() -> dict[int, list[tuple[dt.datetime, dt.datetime]]]:
    from puente.spaces.models import HOLDING_STATUSES, Booking

    held: dict[int, list[tuple[dt.datetime, dt.datetime]]] = {}
    for space_id, start, blocked in Booking.objects.filter(status__in=HOLDING_STATUSES).values_list(
        "space_id", "starts_at", "blocked_until"
    ):
        held.setdefault(space_id, []).append((start, blocked))
    return held


def _recreate_database(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def _wait_until_up(port: int, server: subprocess.Popen[bytes], timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("the server stopped before answering")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.5)
    raise SystemExit("the server did not answer in time")


def serve(port: int) -> None:
    """Serve the site like ``runserver`` (threaded WSGI), with a listen backlog for 50+ clients."""
    import django

    sys.path.insert(0, str(REPO_DIR / "src"))
    django.setup()
    from django.core.servers.basehttp import WSGIRequestHandler, WSGIServer
    from django.core.wsgi import get_wsgi_application

    class Server(socketserver.ThreadingMixIn, WSGIServer):
        daemon_threads = True
        request_queue_size = 256

    httpd = Server(("127.0.0.1", port), WSGIRequestHandler)
    httpd.set_app(get_wsgi_application())
    httpd.serve_forever()


def main() -> None:
    if "--serve" in sys.argv:
        serve(int(sys.argv[sys.argv.index("--port") + 1]))
        return
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--bookings", type=int, default=20, help="booking requests per client")
    parser.add_argument("--rooms", type=int, default=5)
    parser.add_argument(
        "--days", type=int, default=5, help="consecutive days the intervals fall on"
    )
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument(
        "--database-url", default="postgres://postgres@127.0.0.1:5432/puente_bench_race"
    )
    options = parser.parse_args()
    if not options.database_url.startswith("postgres"):
        raise SystemExit("the race runs against PostgreSQL: pass a postgres:// --database-url")

    data_dir = tempfile.mkdtemp(prefix="puente-race-")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "puente.settings.base",
        "DATABASE_URL": options.database_url,
        "PUENTE_DATA_DIR": data_dir,
        "LOG_LEVEL": "INFO",
        "SERVER_LOG_LEVEL": "WARNING",
    }
    env.pop("REDIS_URL", None)
    os.environ.update({key: value for key, value in env.items() if key != "REDIS_URL"})
    _recreate_database(options.database_url)
    sys.path.insert(0, str(REPO_DIR / "src"))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    room_ids, tokens, zone = seed_rooms_and_clients(options.rooms, options.clients)
    connection.close()

    server_log = Path(data_dir) / "server.log"
    with server_log.open("wb") as log:
        server = subprocess.Popen(
            [sys.executable, str(Path(__file__).resolve()), "--serve", "--port", str(options.port)],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_until_up(options.port, server)
        load_before = os.getloadavg()
        days = race_days(options.days)
        result = run_race(
            f"http://127.0.0.1:{options.port}",
            tokens,
            room_ids,
            bookings=options.bookings,
            seed=options.seed,
            days=days,
        )
        load_after = os.getloadavg()
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()

    with connection.cursor() as cursor:
        overlaps = overlapping_pairs(cursor)
    # Conflicts the pre-insert check missed and the exclusion constraint refused (logged).
    settled_by_database = server_log.read_text(errors="replace").count(
        "booking_refused_by_database"
    )
    held = held_intervals()
    unjustified = unjustified_refusals(result, held, zone)
    created = result.count(201)
    stored = sum(len(items) for items in held.values())
    print(
        f"Booking race: {options.clients} clients x {options.bookings} bookings, {options.rooms} rooms, {len(days)} days from {days[0]} (seed {options.seed})"
    )
    print(f"  requests              {len(result.attempts)}")
    print(f"  201 created           {created}  (held bookings in the database: {stored})")
    print(
        f"  409 conflict          {result.count(409)}  (unjustified: {unjustified}; refused by the exclusion constraint after passing the check: {settled_by_database})"
    )
    print(f"  other answers         {result.unexpected or 'none'}")
    print(f"  overlapping pairs     {overlaps}")
    print(f"  wall time             {result.seconds:.2f} s")
    print(f"  throughput            {result.throughput:.1f} requests/s")
    print(
        f"  latency median / p95  {statistics.median(a.seconds for a in result.attempts) * 1000:.0f} / {result.latency_ms(0.95):.0f} ms"
    )
    print(
        f"  load average          {load_before[0]:.2f} before, {load_after[0]:.2f} after ({os.cpu_count()} cores)"
    )
    failed = (
        overlaps
        or result.unexpected
        or unjustified
        or created != stored
        or len(result.attempts) != options.clients * options.bookings
    )
    if failed:
        print("FAILED")
        raise SystemExit(1)
    print("OK: zero overlaps, every refusal a justified 409")


if __name__ == "__main__":
    main()
