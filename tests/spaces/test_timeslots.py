"""The pure rules: recurrence on the wall clock across DST, exceptions, hours, closed days."""

from __future__ import annotations

import datetime as dt
import time
import zoneinfo

import pytest

from puente.spaces.timeslots import (
    Interval,
    RecurrenceError,
    SpaceRules,
    expand,
    free_intervals,
    open_windows,
    problems_for,
)
from puente.spaces.timeslots.recurrence import Occurrence, calendar_twin, expand_between

MIAMI = "America/New_York"
MEDELLIN = zoneinfo.ZoneInfo("America/Bogota")
UTC = dt.UTC
HOURS = {day: [(dt.time(8), dt.time(18))] for day in range(5)}


def test_weekly_9am_miami_booking_stays_at_9_miami_across_both_dst_changes_and_moves_in_medellin() -> (
    None
):
    # Thursdays from late February to late November 2026: DST starts 8 March, ends 1 November.
    occurrences = expand(
        local_start=dt.datetime(2026, 2, 26, 9, 0),
        duration=dt.timedelta(hours=1),
        zone_name=MIAMI,
        rule="FREQ=WEEKLY;COUNT=40",
        horizon=dt.datetime(2027, 1, 1),
    )
    assert len(occurrences) == 40
    miami = zoneinfo.ZoneInfo(MIAMI)
    assert {occurrence.start.astimezone(miami).time() for occurrence in occurrences} == {
        dt.time(9, 0)
    }
    by_day = {
        occurrence.start.astimezone(miami).date(): occurrence.start.astimezone(MEDELLIN).time()
        for occurrence in occurrences
    }
    assert by_day[dt.date(2026, 3, 5)] == dt.time(9, 0)  # before the March change: same offset
    assert by_day[dt.date(2026, 3, 12)] == dt.time(8, 0)  # after it: an hour earlier in Medellín
    assert by_day[dt.date(2026, 10, 29)] == dt.time(8, 0)
    assert by_day[dt.date(2026, 11, 5)] == dt.time(9, 0)  # after the November change: back
    assert all(
        occurrence.end - occurrence.start == dt.timedelta(hours=1) for occurrence in occurrences
    )


def test_recurrence_exceptions_leave_out_those_days_only() -> None:
    occurrences = expand(
        local_start=dt.datetime(2026, 6, 1, 10, 0),
        duration=dt.timedelta(minutes=30),
        zone_name="America/Bogota",
        rule="RRULE:FREQ=DAILY;COUNT=5",
        exceptions=[dt.date(2026, 6, 2), dt.date(2026, 6, 4)],
    )
    assert [occurrence.local_start.date().day for occurrence in occurrences] == [1, 3, 5]


def test_monthly_rule_with_until() -> None:
    occurrences = expand(
        local_start=dt.datetime(2026, 1, 15, 9),
        duration=dt.timedelta(hours=2),
        zone_name="America/Bogota",
        rule="FREQ=MONTHLY;UNTIL=20260615T235959",
    )
    assert [occurrence.local_start.month for occurrence in occurrences] == [1, 2, 3, 4, 5, 6]


def june_series(rule: str, horizon: dt.datetime | None = None) -> list[Occurrence]:
    """A one-hour booking in Medellín from 1 June 2026 at 10:00, repeated by ``rule``."""
    return expand(
        local_start=dt.datetime(2026, 6, 1, 10),
        duration=dt.timedelta(hours=1),
        zone_name="America/Bogota",
        rule=rule,
        horizon=horizon,
    )


@pytest.mark.parametrize(
    ("rule", "code"),
    [
        ("FREQ=WEEKLY", "unbounded_rule"),
        ("FREQ=HOURLY;COUNT=3", "unsupported_frequency"),
        ("FREQ=SOMETIMES;COUNT=3", "invalid_rule"),
        ("not a rule", "invalid_rule"),
        ("FREQ=DAILY;COUNT=500", "too_many_occurrences"),
        ("FREQ=WEEKLY;COUNT=60", "too_far_ahead"),
        ("FREQ=WEEKLY;COUNT=3;DTSTART=20260101T000000", "invalid_rule"),
        ("FREQ=DAILY;COUNT=2\nFREQ=DAILY;COUNT=2", "invalid_rule"),
        ("FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30;COUNT=3", "no_occurrences"),
        ("FREQ=MONTHLY;BYMONTH=2;BYMONTHDAY=29;COUNT=1", "too_far_ahead"),  # 2028
        ("FREQ=DAILY;UNTIL=20990101T000000", "too_far_ahead"),
    ],
)
def test_invalid_or_unbounded_rules_are_refused_with_a_reason(rule: str, code: str) -> None:
    with pytest.raises(RecurrenceError) as error:
        june_series(rule, horizon=dt.datetime(2026, 12, 31))
    assert error.value.code == code


@pytest.mark.parametrize(
    "rule",
    [
        "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30;COUNT=3",
        "FREQ=WEEKLY;BYMONTH=4;BYMONTHDAY=31;UNTIL=20261231T000000",
        "FREQ=MONTHLY;BYMONTH=6;BYMONTHDAY=31;COUNT=2",
    ],
)
def test_a_rule_that_never_matches_is_refused_at_once(rule: str) -> None:
    """dateutil walks every day up to year 9999 looking for a first date of such a rule
    (about 5 s of CPU for the daily one); the twin-year probe answers in milliseconds."""
    started = time.perf_counter()
    with pytest.raises(RecurrenceError) as error:
        june_series(rule)
    assert error.value.code == "no_occurrences"
    with pytest.raises(RecurrenceError):  # office hours: open-ended rules
        expand_between(
            rule=rule.split(";COUNT")[0].split(";UNTIL")[0],
            local_start=dt.datetime(2026, 6, 1, 10),
            window_start=dt.datetime(2026, 6, 1),
            window_end=dt.datetime(2026, 9, 1),
        )
    assert time.perf_counter() - started < 2.0


def test_the_twin_year_has_the_same_calendar_for_three_years() -> None:
    for year in (1970, 2026, 2027, 2028, 2098, 2099, 2100, 2399, 2400, 9900):
        twin = calendar_twin(year)
        assert twin is not None
        assert 9932 <= twin < 9960
        day = dt.date(year, 1, 1)
        while day < dt.date(year + 3, 1, 1):
            assert day.replace(year=twin + day.year - year).weekday() == day.weekday()
            day += dt.timedelta(days=1)
    assert calendar_twin(9998) is None  # no three years left: such a rule takes the old path


def test_rules_that_match_rarely_still_expand() -> None:
    (leap_day,) = june_series(
        "FREQ=MONTHLY;BYMONTH=2;BYMONTHDAY=29;COUNT=1", horizon=dt.datetime(2028, 12, 31)
    )
    assert leap_day.local_start == dt.datetime(2028, 2, 29, 10)
    friday_13 = june_series(
        "FREQ=MONTHLY;BYDAY=FR;BYMONTHDAY=13;COUNT=2", horizon=dt.datetime(2027, 12, 31)
    )
    assert [o.local_start.date() for o in friday_13] == [
        dt.date(2026, 11, 13),
        dt.date(2027, 8, 13),
    ]


def test_exceptions_that_remove_every_occurrence_are_refused() -> None:
    with pytest.raises(RecurrenceError) as error:
        expand(
            local_start=dt.datetime(2026, 6, 1, 10),
            duration=dt.timedelta(hours=1),
            zone_name="America/Bogota",
            rule="FREQ=DAILY;COUNT=1",
            exceptions=[dt.date(2026, 6, 1)],
        )
    assert error.value.code == "no_occurrences"


def test_a_time_skipped_by_the_clock_change_is_refused() -> None:
    with pytest.raises(RecurrenceError) as error:
        expand(
            local_start=dt.datetime(2026, 3, 8, 2, 30),
            duration=dt.timedelta(minutes=30),
            zone_name=MIAMI,
        )
    assert error.value.code == "nonexistent_time"


def _rules(**values: object) -> SpaceRules:
    return SpaceRules(zone_name="America/Bogota", hours=HOURS, **values)  # type: ignore[arg-type]


def _at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 6, day, hour, minute, tzinfo=MEDELLIN)


NOW = dt.datetime(2026, 5, 1, tzinfo=UTC)


@pytest.mark.parametrize(
    ("start", "end", "codes"),
    [
        (_at(2, 9), _at(2, 10), []),
        (_at(2, 10), _at(2, 9), ["end_before_start"]),
        (_at(2, 9), _at(2, 9, 10), ["too_short"]),
        (_at(2, 7), _at(2, 9), ["outside_hours"]),
        (_at(2, 17), _at(2, 19), ["outside_hours"]),
        (_at(6, 10), _at(6, 11), ["outside_hours"]),  # a Saturday
        (_at(2, 8), _at(3, 17), ["too_long", "outside_hours"]),
    ],
)
def test_problems_for_hours_and_durations(
    start: dt.datetime, end: dt.datetime, codes: list[str]
) -> None:
    assert [problem.code for problem in problems_for(start, end, _rules(), now=NOW)] == codes


def test_closed_dates_past_and_far_future_are_problems() -> None:
    rules = _rules(closed_dates=frozenset({dt.date(2026, 6, 2)}), max_days_ahead=60)
    assert [p.code for p in problems_for(_at(2, 9), _at(2, 10), rules, now=NOW)] == ["closed_day"]
    assert [
        p.code
        for p in problems_for(_at(3, 9), _at(3, 10), rules, now=dt.datetime(2026, 6, 4, tzinfo=UTC))
    ] == ["in_the_past"]
    assert [
        p.code
        for p in problems_for(_at(3, 9), _at(3, 10), rules, now=dt.datetime(2026, 3, 1, tzinfo=UTC))
    ] == ["too_far_ahead"]


def test_free_intervals_respect_units_and_buffers() -> None:
    window = open_windows(_rules(), _at(2, 0), _at(3, 0))
    assert window == [Interval(_at(2, 8), _at(2, 18))]
    taken = [Interval(_at(2, 9), _at(2, 10, 15)), Interval(_at(2, 9, 30), _at(2, 11))]
    # One unit: everything taken blocks. Two units: only where both overlap.
    assert free_intervals(window, taken, units=1) == [
        Interval(_at(2, 8), _at(2, 9)),
        Interval(_at(2, 11), _at(2, 18)),
    ]
    assert free_intervals(window, taken, units=2) == [
        Interval(_at(2, 8), _at(2, 9, 30)),
        Interval(_at(2, 10, 15), _at(2, 18)),
    ]
