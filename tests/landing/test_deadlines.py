"""Call deadlines across time zones.

The issue's example says "a call closing 23:59 in Medellín is closed at 00:30 Miami time in
summer". The arithmetic says otherwise: Medellín (America/Bogota) is UTC-5 all year; Miami in
summer is EDT, UTC-4. 23:59 in Medellín is 04:59 UTC, which is 00:59 in Miami. So at 00:30 Miami
time the call is still OPEN (29 minutes left), and at 01:00 Miami time it is closed. These tests
pin the correct instants (and the exact closing minute) rather than the example's wrong one.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest

from puente.landing.deadlines import is_open, local_to_instant

BOGOTA = "America/Bogota"
MIAMI = zoneinfo.ZoneInfo("America/New_York")


def _window() -> tuple[dt.datetime, dt.datetime]:
    opens = local_to_instant(dt.datetime(2026, 7, 1, 8, 0), BOGOTA)
    closes = local_to_instant(dt.datetime(2026, 7, 15, 23, 59), BOGOTA)
    return opens, closes


def test_closing_2359_in_medellin_is_0459_utc_and_0059_in_miami_in_summer() -> None:
    _opens, closes = _window()
    assert closes == dt.datetime(2026, 7, 16, 4, 59, tzinfo=dt.UTC)
    assert closes.astimezone(MIAMI).strftime("%Y-%m-%d %H:%M %Z") == "2026-07-16 00:59 EDT"


def test_at_0030_miami_time_the_call_is_still_open() -> None:
    opens, closes = _window()
    at = dt.datetime(2026, 7, 16, 0, 30, tzinfo=MIAMI)
    assert is_open(opens_at=opens, closes_at=closes, at=at)


def test_at_0100_miami_time_the_call_is_closed() -> None:
    opens, closes = _window()
    at = dt.datetime(2026, 7, 16, 1, 0, tzinfo=MIAMI)
    assert not is_open(opens_at=opens, closes_at=closes, at=at)


def test_the_closing_instant_itself_is_closed_and_a_second_before_is_open() -> None:
    opens, closes = _window()
    assert not is_open(opens_at=opens, closes_at=closes, at=closes)
    assert is_open(opens_at=opens, closes_at=closes, at=closes - dt.timedelta(seconds=1))


def test_in_winter_miami_and_medellin_share_the_clock() -> None:
    closes = local_to_instant(dt.datetime(2026, 1, 15, 23, 59), BOGOTA)
    assert (
        closes.astimezone(zoneinfo.ZoneInfo("America/New_York")).strftime("%H:%M %Z") == "23:59 EST"
    )


def test_before_opening_the_call_is_not_open() -> None:
    opens, closes = _window()
    assert not is_open(opens_at=opens, closes_at=closes, at=opens - dt.timedelta(minutes=1))


def test_naive_instants_are_refused() -> None:
    opens, closes = _window()
    with pytest.raises(ValueError, match="aware"):
        is_open(opens_at=opens, closes_at=closes, at=dt.datetime(2026, 7, 16, 0, 30))
    with pytest.raises(ValueError, match="naive"):
        local_to_instant(dt.datetime(2026, 7, 16, 0, 30, tzinfo=dt.UTC), BOGOTA)
