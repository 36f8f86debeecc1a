"""Time-of-day pricing: which named window of a schedule a timestamp falls in."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

from .schema import Schedule

_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_OFFSET = re.compile(r"^([+-])(\d{2}):(\d{2})$")


def zone(tz: str) -> dt.tzinfo:
    """A fixed offset ("+08:00": needs no tz database) or an IANA zone name."""
    m = _OFFSET.match(tz)
    if m:
        sign = -1 if m.group(1) == "-" else 1
        return dt.timezone(sign * dt.timedelta(hours=int(m.group(2)), minutes=int(m.group(3))))
    return ZoneInfo(tz)


def as_utc(at: dt.datetime) -> dt.datetime:
    """`at` in UTC; a naive timestamp is taken to be UTC already."""
    return (
        at.replace(tzinfo=dt.timezone.utc) if at.tzinfo is None else at.astimezone(dt.timezone.utc)
    )


def window_at(schedule: Schedule, at: dt.datetime) -> str:
    """The name of the window in force at `at` (local weekday and clock in the schedule's zone).

    A window with end <= start runs past midnight; it belongs to the weekday it starts on.

    >>> from tokbench.pricing.schema import Schedule, Window
    >>> night = Schedule(tz="+08:00", default_window="standard",
    ...     windows=(Window(name="off_peak", start=dt.time(0, 30), end=dt.time(8, 30)),))
    >>> window_at(night, dt.datetime(2025, 3, 3, 16, 45, tzinfo=dt.timezone.utc))  # 00:45 BJT
    'off_peak'
    >>> window_at(night, dt.datetime(2025, 3, 3, 12, 0, tzinfo=dt.timezone.utc))  # 20:00 BJT
    'standard'
    """
    local = as_utc(at).astimezone(zone(schedule.tz))
    if local.date() in schedule.holidays:
        return schedule.default_window
    clock = local.time().replace(tzinfo=None)
    today = _DAYS[local.weekday()]
    yesterday = _DAYS[(local.weekday() - 1) % 7]
    for w in schedule.windows:
        if w.start < w.end:
            if today in w.days and w.start <= clock < w.end:
                return w.name
        elif (today in w.days and clock >= w.start) or (yesterday in w.days and clock < w.end):
            return w.name
    return schedule.default_window
