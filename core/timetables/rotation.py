"""Timetables that do not repeat every week: two-week timetables and cycle days.

A timetable's rotation says how its lessons repeat:
- `weekly`: a lesson's day is Monday … Sunday, every week (most timetables).
- `two_week`: a lesson also names its week, labelled as the school prints it ("A"/"B", "1"/"2",
  "Odd"/"Even"). The weeks alternate by calendar week from the school's rotation start, which falls
  in the first week; holidays do not shift them (a school whose weeks restart after a break sets a
  new start).
- `cycle`: a lesson's day is a cycle day, "Day 1" … "Day N" or "Day A" … One cycle day passes per
  school day (Monday to Friday) from the rotation start, which is Day 1. Holidays are skipped, as
  most schools do, unless the school says its cycle counts them.

Pure rules, no database: the API, the calendar export and "what is on this date" share them.
"""

from __future__ import annotations

import datetime as dt
import re
import string
from collections.abc import Iterable
from dataclasses import dataclass

from core.errors import DomainError

ROTATIONS = ("weekly", "two_week", "cycle")
DEFAULT_WEEKS = ("A", "B")
MAX_CYCLE_DAYS = 20
MAX_WEEK_LABEL = 20
SCHOOL_WEEKDAYS = 5  # Monday to Friday

_CYCLE_DAY = re.compile(r"^(?:day|d)?\s*[-.]?\s*([0-9]{1,2}|[a-z])$", re.IGNORECASE)
_WEEK_PREFIX = re.compile(r"^week\s*", re.IGNORECASE)


@dataclass(frozen=True)
class Rotation:
    kind: str = "weekly"
    labels: tuple[str, ...] = ()  # the weeks of a two-week timetable, or the days of a cycle, in order

    @property
    def weeks(self) -> tuple[str, ...]:
        return self.labels if self.kind == "two_week" else ()

    @property
    def cycle_days(self) -> tuple[str, ...]:
        return self.labels if self.kind == "cycle" else ()


WEEKLY = Rotation()


def _invalid(message: str) -> DomainError:
    return DomainError(400, "invalid_rotation", message)


def cycle_day_label(value: str) -> str | None:
    """ "3", "day 3", "D3", "Day-3" → "Day 3"; "c", "Day C" → "Day C"; anything else None."""
    match = _CYCLE_DAY.match(value.strip())
    if not match:
        return None
    key = match.group(1)
    return f"Day {int(key)}" if key.isdigit() else f"Day {key.upper()}"


def week_label(value: str) -> str:
    """ "Week A" → "A", " odd " → "odd": the label as the school prints it, without the word "Week"."""
    return " ".join(_WEEK_PREFIX.sub("", value.strip()).split())


def numbered_cycle(length: int, *, letters: bool = False) -> tuple[str, ...]:
    if not 2 <= length <= MAX_CYCLE_DAYS:
        raise _invalid(f"A cycle has 2 to {MAX_CYCLE_DAYS} days; {length} is not possible.")
    if letters:
        return tuple(f"Day {string.ascii_uppercase[n]}" for n in range(length))
    return tuple(f"Day {n}" for n in range(1, length + 1))


def make_rotation(
    kind: str, weeks: Iterable[str] | None = None, cycle_days: Iterable[str] | None = None
) -> Rotation:
    """A rotation from what a person or a reading gave, or a clear refusal."""
    if kind not in ROTATIONS:
        raise _invalid(f"'{kind}' is not a rotation. Use weekly, two_week or cycle.")
    if kind == "weekly":
        return WEEKLY
    if kind == "two_week":
        labels = tuple(week_label(w) for w in (weeks or DEFAULT_WEEKS))
        if len(labels) != 2 or not all(labels) or len({w.lower() for w in labels}) != 2:
            raise _invalid('A two-week timetable has two different week names, e.g. ["A", "B"].')
        if any(len(w) > MAX_WEEK_LABEL for w in labels):
            raise _invalid(f"Keep week names to {MAX_WEEK_LABEL} characters.")
        return Rotation("two_week", labels)
    given = list(cycle_days or [])
    if not given:
        raise _invalid(
            'Say the days of the cycle, e.g. ["Day 1", "Day 2", "Day 3", "Day 4", "Day 5", "Day 6"].'
        )
    labels = tuple(cycle_day_label(d) or "" for d in given)
    bad = [d for d, label in zip(given, labels, strict=True) if not label]
    if bad:
        raise _invalid(f"'{bad[0]}' is not a cycle day. Name them Day 1, Day 2 … or Day A, Day B ….")
    if len(set(labels)) != len(labels):
        raise _invalid("Each day of the cycle must have its own name.")
    if not 2 <= len(labels) <= MAX_CYCLE_DAYS:
        raise _invalid(f"A cycle has 2 to {MAX_CYCLE_DAYS} days; {len(labels)} were given.")
    return Rotation("cycle", labels)


def stored(kind: str | None, labels: Iterable[str] | None) -> Rotation:
    """The rotation of a timetable row (columns `rotation` and `rotation_labels`)."""
    if not kind or kind == "weekly":
        return WEEKLY
    return Rotation(kind, tuple(labels or ()))


def lesson_week(value: str | None, rotation: Rotation) -> str | None:
    """The week a lesson of this timetable is in (None on a weekly or cycle timetable), or a refusal."""
    if rotation.kind != "two_week":
        if value:
            raise DomainError(
                400,
                "invalid_timeblock",
                "This timetable repeats every week (or by cycle day), so a lesson has no week. "
                "Make it a two-week timetable first.",
            )
        return None
    choices = " or ".join(rotation.weeks)
    if not value or not value.strip():
        raise DomainError(400, "invalid_timeblock", f"Say which week the lesson is in: {choices}.")
    label = week_label(value).lower()
    match = next((w for w in rotation.weeks if w.lower() == label), None)
    if match is None:
        raise DomainError(
            400, "invalid_timeblock", f"'{value}' is not a week of this timetable. Use {choices}."
        )
    return match


def lesson_cycle_day(value: str, rotation: Rotation) -> str:
    """A cycle day of this timetable, or a refusal naming the days it has."""
    label = cycle_day_label(value)
    if label is None or label not in rotation.cycle_days:
        first, last = rotation.cycle_days[0], rotation.cycle_days[-1]
        raise DomainError(
            400,
            "invalid_timeblock",
            f"'{value}' is not a day of this timetable's cycle. Use {first} … {last}.",
        )
    return label


@dataclass(frozen=True)
class Position:
    """Where a date falls in a timetable's rotation: its week, or its cycle day (None: no lessons)."""

    date: dt.date
    week: str | None = None
    cycle_day: str | None = None
    school_day: bool = True


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def week_on(day: dt.date, rotation: Rotation, start: dt.date) -> str:
    """The week of a two-week timetable a date is in, counted in calendar weeks from `start`."""
    weeks = (_monday(day) - _monday(start)).days // 7
    return rotation.weeks[weeks % 2]


def cycle_days_between(
    start: dt.date, end: dt.date, rotation: Rotation, holidays: frozenset[dt.date], *, count_holidays: bool
) -> dict[dt.date, str]:
    """Every school day from `start` (Day 1) to `end`, both included, with its cycle day."""
    days: dict[dt.date, str] = {}
    day, index = start, 0
    while day <= end:
        if day.weekday() < SCHOOL_WEEKDAYS:
            if day not in holidays:
                days[day] = rotation.cycle_days[index % len(rotation.cycle_days)]
                index += 1
            elif count_holidays:
                index += 1
        day += dt.timedelta(days=1)
    return days


def position_on(
    day: dt.date,
    rotation: Rotation,
    start: dt.date,
    holidays: frozenset[dt.date],
    *,
    count_holidays: bool = False,
) -> Position:
    """What a date is in this rotation. A cycle counts forward from `start`; a date before it or
    not a school day has no cycle day."""
    if rotation.kind == "two_week":
        return Position(day, week=week_on(day, rotation, start), school_day=day not in holidays)
    if rotation.kind == "cycle":
        if day < start or day.weekday() >= SCHOOL_WEEKDAYS or day in holidays:
            return Position(day, school_day=False)
        days = cycle_days_between(start, day, rotation, holidays, count_holidays=count_holidays)
        return Position(day, cycle_day=days.get(day))
    return Position(day, school_day=day not in holidays)
