"""Time-zone helpers: validation, and showing a moment in the viewer's zone and a hub's."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from functools import lru_cache

DEFAULT_VIEWER_TIME_ZONE = "America/Bogota"


@lru_cache(maxsize=1)
def known_time_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def is_time_zone(name: str | None) -> bool:
    return bool(name) and name in known_time_zones()


def zone(name: str) -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(name if is_time_zone(name) else "UTC")


def common_time_zones() -> list[str]:
    """Zones offered in pickers: the Americas first, then the rest."""
    names = sorted(known_time_zones() - {"Factory", "localtime"})
    americas = [name for name in names if name.startswith("America/")]
    others = [
        name
        for name in names
        if not name.startswith("America/")
        and "/" in name
        and not name.startswith(("Etc/", "SystemV/", "posix/", "right/"))
    ]
    return americas + others + ["UTC"]


def in_zone(moment: dt.datetime, zone_name: str) -> dt.datetime:
    """The same instant on a wall clock in ``zone_name``."""
    return moment.astimezone(zone(zone_name))
