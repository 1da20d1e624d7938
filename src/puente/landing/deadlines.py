"""Call deadlines: a wall-clock time in the hub's zone stored as one instant (UTC).

No Django imports. ``23:59`` in Medellín is one moment everywhere: 04:59 UTC the next day,
00:59 in Miami during daylight saving time. A call accepts submissions from ``opens_at``
(inclusive) until ``closes_at`` (exclusive).
"""

from __future__ import annotations

import datetime as dt
import zoneinfo


def local_to_instant(wall_clock: dt.datetime, zone_name: str) -> dt.datetime:
    """The UTC instant of a naive wall-clock time in ``zone_name``.

    A time that does not exist (skipped by a daylight-saving jump) or exists twice resolves
    with ``fold=0``: the earlier reading, as zoneinfo does.
    """
    if wall_clock.tzinfo is not None:
        raise ValueError("pass a naive wall-clock time")
    return wall_clock.replace(tzinfo=zoneinfo.ZoneInfo(zone_name)).astimezone(dt.UTC)


def is_open(*, opens_at: dt.datetime, closes_at: dt.datetime, at: dt.datetime) -> bool:
    """Whether a submission at ``at`` (aware) is within the window."""
    if at.tzinfo is None:
        raise ValueError("pass an aware instant")
    return opens_at <= at < closes_at
