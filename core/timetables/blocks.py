"""A lesson as a person writes it (a name, a day, a start and an end) and the one rule that checks
and normalises it: used by the API's timetable routes, the check screens of the API and the console,
and the calendar."""

from __future__ import annotations

import re
from typing import Any

from core.errors import DomainError
from core.schema import Schema
from core.timetables.rotation import WEEKLY, Rotation, lesson_cycle_day, lesson_week

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
    week: str | None = None  # the lesson's week on a two-week timetable ("A", "B" …)


def normalise_day(value: str) -> str | None:
    key = value.strip().lower()[:3]
    return next((day for day in DAYS if day.lower().startswith(key)), None) if len(key) == 3 else None


def normalise_time(value: str) -> str | None:
    match = _TIME.match(value.strip())
    return f"{int(match.group(1)):02d}:{match.group(2)}" if match else None


def minutes(hhmm: str) -> int:
    hours, mins = hhmm.split(":")
    return int(hours) * 60 + int(mins)


def lesson_day(value: str, rotation: Rotation = WEEKLY) -> str:
    """A weekday, or a cycle day on a cycle timetable; else a refusal saying what to use."""
    if rotation.kind == "cycle":
        return lesson_cycle_day(value, rotation)
    day = normalise_day(value)
    if day is None:
        raise DomainError(400, "invalid_timeblock", f"'{value}' is not a day. Use one of {', '.join(DAYS)}.")
    return day


def lesson_order(block: dict[str, Any]) -> tuple[str, int, str, str]:
    """Week, then day (Monday first, Day 2 before Day 10), then start time, then name."""
    day = block["day"]
    if day in DAYS:
        position = DAYS.index(day)
    else:
        key = day.removeprefix("Day ").strip()
        position = int(key) if key.isdigit() else ord(key[:1] or "~") if key else 99
    return block.get("week") or "", position, block["start_time"], block["name"]


def block_values(block: TimeblockIn, rotation: Rotation = WEEKLY) -> dict[str, Any]:
    """Validate and normalise one timeblock of a timetable with this rotation, or refuse (400)
    saying what to fix."""
    name = block.name.strip()
    if not name:
        raise DomainError(400, "invalid_timeblock", "Give the lesson a name.")
    day = lesson_day(block.day, rotation)
    week = lesson_week(block.week, rotation)
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
        "week": week,
        "start_time": start,
        "end_time": end,
        "duration": minutes(end) - minutes(start),
        "notes": (block.notes or "").strip() or None,
        "color": block.color,
    }
