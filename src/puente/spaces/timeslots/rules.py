"""Whether a booking fits a space's rules, and which time is still free."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True, order=True)
class Interval:
    """A half-open interval ``[start, end)`` of aware datetimes."""

    start: dt.datetime
    end: dt.datetime

    def overlaps(self, other: Interval) -> bool:
        return self.start < other.end and other.start < self.end


@dataclass(frozen=True)
class Problem:
    """Why one occurrence cannot be booked: a machine ``code`` and the occurrence's local day."""

    code: str
    day: dt.date


@dataclass(frozen=True)
class SpaceRules:
    """Everything about a space that decides whether a time may be booked, as plain data.

    ``hours`` maps a weekday (0 = Monday) to its opening windows in local wall-clock time;
    a weekday missing from it is closed. ``closed_dates`` holds holidays and closures.
    """

    zone_name: str
    hours: Mapping[int, Sequence[tuple[dt.time, dt.time]]]
    closed_dates: frozenset[dt.date] = field(default_factory=frozenset)
    min_duration: dt.timedelta = dt.timedelta(minutes=30)
    max_duration: dt.timedelta = dt.timedelta(hours=8)
    max_days_ahead: int = 90
    buffer: dt.timedelta = dt.timedelta(0)

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.zone_name)


def problems_for(
    start: dt.datetime, end: dt.datetime, rules: SpaceRules, *, now: dt.datetime
) -> list[Problem]:
    """Every rule an interval (aware datetimes) breaks; empty when it may be booked."""
    local_start = start.astimezone(rules.zone)
    local_end = end.astimezone(rules.zone)
    day = local_start.date()
    problems: list[Problem] = []
    if end <= start:
        return [Problem("end_before_start", day)]
    duration = end - start
    if duration < rules.min_duration:
        problems.append(Problem("too_short", day))
    if duration > rules.max_duration:
        problems.append(Problem("too_long", day))
    if start < now:
        problems.append(Problem("in_the_past", day))
    elif start > now + dt.timedelta(days=rules.max_days_ahead):
        problems.append(Problem("too_far_ahead", day))
    if day in rules.closed_dates:
        problems.append(Problem("closed_day", day))
    elif not _within_hours(local_start, local_end, rules):
        problems.append(Problem("outside_hours", day))
    return problems


def _within_hours(local_start: dt.datetime, local_end: dt.datetime, rules: SpaceRules) -> bool:
    if local_end.date() != local_start.date() and local_end.time() != dt.time(0):
        return False
    end_time = local_end.time() if local_end.date() == local_start.date() else dt.time.max
    for opens, closes in rules.hours.get(local_start.weekday(), ()):
        if opens <= local_start.time() and end_time <= closes:
            return True
    return False


def open_windows(rules: SpaceRules, start: dt.datetime, end: dt.datetime) -> list[Interval]:
    """The opening windows (UTC intervals) between two aware datetimes, closed days left out."""
    windows: list[Interval] = []
    day = start.astimezone(rules.zone).date()
    last = end.astimezone(rules.zone).date()
    while day <= last:
        if day not in rules.closed_dates:
            for opens, closes in rules.hours.get(day.weekday(), ()):
                window_start = dt.datetime.combine(day, opens, rules.zone).astimezone(dt.UTC)
                window_end = dt.datetime.combine(day, closes, rules.zone).astimezone(dt.UTC)
                clipped = Interval(max(window_start, start), min(window_end, end))
                if clipped.start < clipped.end:
                    windows.append(clipped)
        day += dt.timedelta(days=1)
    return windows


def free_intervals(
    windows: Iterable[Interval], taken: Iterable[Interval], *, units: int
) -> list[Interval]:
    """Parts of ``windows`` where fewer than ``units`` of the ``taken`` intervals overlap."""
    changes: dict[dt.datetime, int] = {}
    for interval in taken:
        changes[interval.start] = changes.get(interval.start, 0) + 1
        changes[interval.end] = changes.get(interval.end, 0) - 1
    full: list[Interval] = []
    level = 0
    full_since: dt.datetime | None = None
    for moment in sorted(changes):
        level += changes[moment]
        if level >= units and full_since is None:
            full_since = moment
        elif level < units and full_since is not None:
            full.append(Interval(full_since, moment))
            full_since = None
    free: list[Interval] = []
    for window in windows:
        cursor = window.start
        for blocked in full:
            if blocked.end <= cursor or blocked.start >= window.end:
                continue
            if blocked.start > cursor:
                free.append(Interval(cursor, blocked.start))
            cursor = max(cursor, blocked.end)
        if cursor < window.end:
            free.append(Interval(cursor, window.end))
    return free
