"""A small version of bench/booking_race.py, on PostgreSQL: concurrent API clients, one live
server, and the database's exclusion constraint settling every race."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection

from tests.benches import load_bench

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="the race needs PostgreSQL's exclusion constraint"
    ),
]


def test_concurrent_api_clients_never_get_overlapping_bookings(
    live_server: Any, reference_data: None
) -> None:
    race = load_bench("booking_race", "booking_race.py")
    room_ids, tokens, zone = race.seed_rooms_and_clients(rooms=2, clients=8)
    result = race.run_race(
        live_server.url, tokens, room_ids, bookings=6, seed=7, days=race.race_days(1)
    )
    assert len(result.attempts) == 48
    assert result.unexpected == {}
    assert result.count(201) > 0
    assert result.count(409) > 0
    with connection.cursor() as cursor:
        assert race.overlapping_pairs(cursor) == 0
    held = race.held_intervals()
    assert sum(len(items) for items in held.values()) == result.count(201)
    assert race.unjustified_refusals(result, held, zone) == 0
