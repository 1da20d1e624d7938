"""Recurring bookings: RFC 5545 rules expanded on the space's wall clock.

Occurrences are computed as naive local date-times and only then placed in the zone, so a
weekly 9:00 booking stays at 9:00 local time across daylight-saving changes (and moves, seen
from a zone that does not change its clocks).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass

from dateutil import rrule

#: Most occurrences one series may have; longer series are refused, not truncated.
MAX_OCCURRENCES = 100
MAX_RULE_LENGTH = 300
_ALLOWED_FREQUENCIES = {rrule.DAILY, rrule.WEEKLY, rrule.MONTHLY}
_FORBIDDEN_PARTS = re.compile(r"(DTSTART|EXDATE|RDATE|EXRULE|BYHOUR|BYMINUTE|BYSECOND)", re.I)


class RecurrenceError(ValueError):
    """The rule cannot be used; ``code`` says why (for a translated message)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class Occurrence:
    """One occurrence: its wall-clock start on the space's calendar, and the UTC interval."""

    local_start: dt.datetime
    start: dt.datetime
    end: dt.datetime


def local_to_utc(local: dt.datetime, zone_name: str) -> dt.datetime:
    """A naive wall-clock time in ``zone_name`` as an aware UTC datetime.

    Raises ``RecurrenceError("nonexistent_time")`` for a time skipped by a clock change.
    """
    zone = zoneinfo.ZoneInfo(zone_name)
    aware = local.replace(tzinfo=zone)
    utc = aware.astimezone(dt.UTC)
    if utc.astimezone(zone).replace(tzinfo=None) != local:
        raise RecurrenceError("nonexistent_time")
    return utc


def calendar_twin(year: int) -> int | None:
    """A year between 9932 and 9959 whose next three years start on the same weekdays and
    have the same leap years as ``year`` and its next two, so every date of those three
    years falls on the same weekday in both. Every such pattern occurs in any 28 years
    with a leap year every four, so there is one for each year up to 9997 (None after)."""

    def shape(first: int) -> tuple[tuple[int, bool], ...]:
        return tuple(
            (dt.date(first + k, 1, 1).weekday(), calendar.isleap(first + k)) for k in range(3)
        )

    if year + 2 > dt.MAXYEAR:
        return None
    wanted = shape(year)
    return next((twin for twin in range(9932, 9960) if shape(twin) == wanted), None)


def _never_matches(parsed: rrule.rrule, local_start: dt.datetime) -> bool:
    """Whether a rule has no occurrence at all, decided in milliseconds.

    dateutil checks UNTIL and COUNT only on dates that match the rule, so a rule that never
    matches (February 30th) walks every day up to year 9999 whatever its bounds: seconds
    of CPU for one request, or for every page that lists the series. The rule is tried
    from the same date in the start's twin year near the end of the calendar, where that
    walk stops after at most 68 years. Its first three years match the start's three
    exactly; a rule with no date in the 40 years after that would not be usable anyway.
    """
    twin = calendar_twin(local_start.year)
    if twin is None:
        return False
    probe = parsed.replace(dtstart=local_start.replace(year=twin), until=None, count=1)
    return next(iter(probe), None) is None


def _parse(rule_text: str, local_start: dt.datetime) -> rrule.rrule:
    text = rule_text.strip()
    if text.upper().startswith("RRULE:"):
        text = text[6:]
    if not text or len(text) > MAX_RULE_LENGTH or "\n" in text or _FORBIDDEN_PARTS.search(text):
        raise RecurrenceError("invalid_rule")
    try:
        parsed = rrule.rrulestr(text, dtstart=local_start)
    except (ValueError, TypeError, OverflowError, KeyError, IndexError) as error:
        raise RecurrenceError("invalid_rule") from error
    if not isinstance(parsed, rrule.rrule):
        raise RecurrenceError("invalid_rule")
    if parsed._freq not in _ALLOWED_FREQUENCIES:
        raise RecurrenceError("unsupported_frequency")
    until = parsed._until
    if until is not None and until.tzinfo is not None:
        raise RecurrenceError("invalid_rule")
    if _never_matches(parsed, local_start):
        raise RecurrenceError("no_occurrences")
    return parsed


def expand(
    *,
    local_start: dt.datetime,
    duration: dt.timedelta,
    zone_name: str,
    rule: str = "",
    exceptions: Iterable[dt.date] = (),
    horizon: dt.datetime | None = None,
) -> list[Occurrence]:
    """Every occurrence of a booking starting at ``local_start`` (naive, the space's wall clock).

    Without ``rule`` there is one occurrence. ``exceptions`` are local dates to leave out.
    ``horizon`` (naive local) bounds the expansion: a rule reaching past it is refused, so a
    series can never silently lose occurrences.
    """
    if local_start.tzinfo is not None:
        raise RecurrenceError("invalid_start")
    skipped = set(exceptions)
    if not rule:
        starts = [local_start]
    else:
        parsed = _parse(rule, local_start)
        bound = horizon or local_start + dt.timedelta(days=366)
        until = parsed._until
        count = parsed._count
        if until is None and count is None:
            raise RecurrenceError("unbounded_rule")
        if until is not None and until > bound:
            raise RecurrenceError("too_far_ahead")
        # A rule that never matches is refused by _parse; bounding by date stops the rest.
        bounded = parsed.replace(until=min(until or bound, bound), count=None)
        # COUNT counts the rule's occurrences before exceptions are removed (RFC 5545).
        starts = []
        for start in bounded:
            if count is not None and len(starts) >= count:
                break
            starts.append(start)
            if len(starts) > MAX_OCCURRENCES + len(skipped):
                raise RecurrenceError("too_many_occurrences")
        if count is not None and len(starts) < count:
            raise RecurrenceError("too_far_ahead")
        starts = [start for start in starts if start.date() not in skipped]
        if not starts:
            raise RecurrenceError("no_occurrences")
        if len(starts) > MAX_OCCURRENCES:
            raise RecurrenceError("too_many_occurrences")
    occurrences = []
    for start in starts:
        utc_start = local_to_utc(start, zone_name)
        utc_end = local_to_utc(start + duration, zone_name)
        occurrences.append(Occurrence(local_start=start, start=utc_start, end=utc_end))
    return occurrences


def expand_between(
    *,
    rule: str,
    local_start: dt.datetime,
    window_start: dt.datetime,
    window_end: dt.datetime,
    limit: int = 500,
) -> list[dt.datetime]:
    """Wall-clock starts of an open-ended rule (e.g. weekly office hours) within a window."""
    parsed = _parse(rule, local_start)
    until = parsed._until
    count = parsed._count
    bounded = (
        parsed
        if count is not None
        else parsed.replace(until=min(until, window_end) if until else window_end)
    )
    starts = []
    for start in bounded:
        if start >= window_start:
            starts.append(start)
        if start >= window_end or len(starts) >= limit:
            break
    return [start for start in starts if start < window_end]
