"""Pure time-slot rules of bookable spaces: recurrence, opening hours, closed days, free time.

No Django imports: plain data in, plain data out, so the rules can be tested and reused alone.
Intervals are half-open ``[start, end)`` in aware UTC datetimes; wall-clock values (opening
hours, recurrence) are interpreted in the space's IANA zone.
"""

from puente.spaces.timeslots.recurrence import (
    MAX_OCCURRENCES,
    Occurrence,
    RecurrenceError,
    expand,
    local_to_utc,
)
from puente.spaces.timeslots.rules import (
    Interval,
    Problem,
    SpaceRules,
    free_intervals,
    open_windows,
    problems_for,
)

__all__ = [
    "MAX_OCCURRENCES",
    "Interval",
    "Occurrence",
    "Problem",
    "RecurrenceError",
    "SpaceRules",
    "expand",
    "free_intervals",
    "local_to_utc",
    "open_windows",
    "problems_for",
]
