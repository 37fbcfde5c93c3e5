"""A lesson as a person writes it (a name, a day, a start and an end) and the one rule that checks
and normalises it: used by the API's timetable routes, the check screens of the API and the console,
and the calendar."""

from __future__ import annotations

import re
from typing import Any

from core.errors import DomainError
from core.schema import Schema

DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_TIME = re.compile(r"^([01]?\d|2[0-3])[:.]([0-5]\d)$")
_COLOR = re.compile(r"^#[0-9a-fA-F]{6}([0-9a-fA-F]{2})?$")


class TimeblockIn(Schema):
    name: str
    day: str
    start_time: str
    end_time: str
    notes: str | None = None
    color: str | None = None


def normalise_day(value: str) -> str | None:
    key = value.strip().lower()[:3]
    return next((day for day in DAYS if day.lower().startswith(key)), None) if len(key) == 3 else None


def normalise_time(value: str) -> str | None:
    match = _TIME.match(value.strip())
    return f"{int(match.group(1)):02d}:{match.group(2)}" if match else None


def minutes(hhmm: str) -> int:
    hours, mins = hhmm.split(":")
    return int(hours) * 60 + int(mins)


def block_values(block: TimeblockIn) -> dict[str, Any]:
    """Validate and normalise one timeblock, or refuse (400) saying what to fix."""
    name = block.name.strip()
    if not name:
        raise DomainError(400, "invalid_timeblock", "Give the lesson a name.")
    day = normalise_day(block.day)
    if day is None:
        raise DomainError(
            400, "invalid_timeblock", f"'{block.day}' is not a day. Use one of {', '.join(DAYS)}."
        )
    start, end = normalise_time(block.start_time), normalise_time(block.end_time)
    if start is None or end is None:
        bad = block.start_time if start is None else block.end_time
        raise DomainError(400, "invalid_timeblock", f"'{bad}' is not a time. Use 24-hour HH:MM, like 08:30.")
    if minutes(end) <= minutes(start):
        raise DomainError(400, "invalid_timeblock", f"The lesson ends ({end}) before it starts ({start}).")
    if block.color is not None and not _COLOR.match(block.color):
        raise DomainError(400, "invalid_timeblock", f"'{block.color}' is not a colour. Use #rrggbb.")
    return {
        "name": name[:200],
        "day": day,
        "start_time": start,
        "end_time": end,
        "duration": minutes(end) - minutes(start),
        "notes": (block.notes or "").strip() or None,
        "color": block.color,
    }
