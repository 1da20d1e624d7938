"""Cutting a session into meeting slots: pure date arithmetic, no database."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass


@dataclass(frozen=True)
class SlotTimes:
    """A slot's start and end, as aware UTC datetimes."""

    starts_at: dt.datetime
    ends_at: dt.datetime


def _at(day: dt.date, moment: dt.time, zone: zoneinfo.ZoneInfo) -> dt.datetime:
    return dt.datetime.combine(day, moment, tzinfo=zone).astimezone(dt.UTC)


def session_slots(
    *,
    day: dt.date,
    start: dt.time,
    end: dt.time,
    slot_minutes: int,
    changeover_minutes: int,
    zone: zoneinfo.ZoneInfo,
    break_start: dt.time | None = None,
    break_minutes: int = 0,
) -> list[SlotTimes]:
    """The slots that fit between ``start`` and ``end`` (wall-clock times in ``zone``).

    Slots last ``slot_minutes`` and are ``changeover_minutes`` apart; no slot overlaps the
    pause that starts at ``break_start`` and lasts ``break_minutes``: the next slot starts
    when the pause ends.
    """
    if slot_minutes <= 0:
        return []
    length = dt.timedelta(minutes=slot_minutes)
    gap = dt.timedelta(minutes=max(0, changeover_minutes))
    cursor = dt.datetime.combine(day, start)
    finish = dt.datetime.combine(day, end)
    pause: tuple[dt.datetime, dt.datetime] | None = None
    if break_start is not None and break_minutes > 0:
        pause_start = dt.datetime.combine(day, break_start)
        pause = (pause_start, pause_start + dt.timedelta(minutes=break_minutes))
    slots: list[SlotTimes] = []
    while cursor + length <= finish:
        if pause is not None and cursor < pause[1] and cursor + length > pause[0]:
            cursor = pause[1]
            continue
        slots.append(
            SlotTimes(
                starts_at=_at(day, cursor.time(), zone),
                ends_at=_at(day, (cursor + length).time(), zone),
            )
        )
        cursor += length + gap
    return slots
