"""What a timetable has on one date, by the school's calendar: the week of a two-week timetable,
the cycle day of a cycle one, and the lessons that fall there."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from core.calendar.term import Term
from core.timetables.blocks import DAYS, lesson_order
from core.timetables.rotation import Position, Rotation, position_on


@dataclass(frozen=True)
class DayPlan:
    position: Position
    blocks: list[dict[str, Any]]


def in_term(day: dt.date, term: Term) -> bool:
    """A school day of the term: not a holiday, and inside the term when the school set one (with
    no term set, every date might be)."""
    if day in term.holidays:
        return False
    return term.is_default or term.start <= day <= term.end


def plan_for(day: dt.date, rotation: Rotation, blocks: list[dict[str, Any]], term: Term) -> DayPlan:
    position = position_on(
        day, rotation, term.rotation_anchor, term.holidays, count_holidays=term.cycle_counts_holidays
    )
    if not in_term(day, term) or not position.school_day:
        return DayPlan(Position(day, week=position.week, school_day=False), [])
    if rotation.kind == "cycle":
        on_day = [b for b in blocks if b["day"] == position.cycle_day]
    else:
        weekday = DAYS[day.weekday()]
        on_day = [b for b in blocks if b["day"] == weekday and b.get("week") == position.week]
    return DayPlan(position, sorted(on_day, key=lesson_order))
