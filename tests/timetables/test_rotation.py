"""Rotations: which week or cycle day a date is in, and how a lesson's day and week are checked."""

from __future__ import annotations

import datetime as dt

import pytest

from core.errors import DomainError
from core.timetables.blocks import TimeblockIn, block_values, lesson_order
from core.timetables.rotation import (
    WEEKLY,
    cycle_day_label,
    cycle_days_between,
    make_rotation,
    numbered_cycle,
    position_on,
)

TWO_WEEK = make_rotation("two_week", ["Week A", "Week B"])
SIX_DAYS = make_rotation("cycle", cycle_days=["1", "2", "3", "4", "5", "6"])
START = dt.date(2026, 9, 7)  # a Monday: Week A, Day 1
HOLIDAY = dt.date(2026, 9, 17)  # a Thursday


def lesson(day: str, week: str | None = None) -> TimeblockIn:
    return TimeblockIn(name="Maths", day=day, start_time="9:00", end_time="10:00", week=week)


def test_week_and_cycle_labels_are_kept_as_the_school_prints_them() -> None:
    assert TWO_WEEK.weeks == ("A", "B")
    assert make_rotation("two_week", ["odd", "Even"]).weeks == ("odd", "Even")
    assert SIX_DAYS.cycle_days == tuple(f"Day {n}" for n in range(1, 7))
    assert [cycle_day_label(v) for v in ("3", "day 3", "D3", "Day-10", "c", "Day C", "Monday")] == [
        "Day 3",
        "Day 3",
        "Day 3",
        "Day 10",
        "Day C",
        "Day C",
        None,
    ]
    assert numbered_cycle(4, letters=True) == ("Day A", "Day B", "Day C", "Day D")


@pytest.mark.parametrize(
    ("kind", "weeks", "days", "words"),
    [
        ("fortnightly", None, None, "Use weekly, two_week or cycle"),
        ("two_week", ["A", "a"], None, "two different week names"),
        ("two_week", ["A", "B", "C"], None, "two different week names"),
        ("cycle", None, None, "Say the days of the cycle"),
        ("cycle", None, ["Day 1", "Monday"], "'Monday' is not a cycle day"),
        ("cycle", None, ["1", "Day 1"], "its own name"),
        ("cycle", None, [str(n) for n in range(1, 23)], "2 to 20 days"),
    ],
)
def test_a_rotation_that_cannot_be_is_refused_in_plain_words(
    kind: str, weeks: list[str] | None, days: list[str] | None, words: str
) -> None:
    with pytest.raises(DomainError) as refused:
        make_rotation(kind, weeks, days)
    assert refused.value.status_code == 400 and words in refused.value.detail


def test_two_week_weeks_alternate_by_calendar_week_through_holidays() -> None:
    weeks = [position_on(START + dt.timedelta(weeks=n), TWO_WEEK, START, frozenset()).week for n in range(5)]
    assert weeks == ["A", "B", "A", "B", "A"]
    # The start may be any day of Week A: the Friday of that week and the Monday before are Week A too.
    assert position_on(dt.date(2026, 9, 11), TWO_WEEK, dt.date(2026, 9, 9), frozenset()).week == "A"
    assert position_on(dt.date(2026, 9, 14), TWO_WEEK, dt.date(2026, 9, 9), frozenset()).week == "B"
    # A date before the start still has its week (counting back).
    assert position_on(dt.date(2026, 8, 31), TWO_WEEK, START, frozenset()).week == "B"


def test_cycle_days_advance_one_per_school_day_skipping_weekends_and_holidays() -> None:
    days = cycle_days_between(
        START, dt.date(2026, 9, 25), SIX_DAYS, frozenset({HOLIDAY}), count_holidays=False
    )
    assert days[dt.date(2026, 9, 11)] == "Day 5"  # Friday
    assert days[dt.date(2026, 9, 14)] == "Day 6"  # the weekend skipped
    assert days[dt.date(2026, 9, 15)] == "Day 1"  # round again
    assert HOLIDAY not in days
    assert days[dt.date(2026, 9, 18)] == "Day 3"  # the holiday did not use up Day 3
    counted = cycle_days_between(
        START, dt.date(2026, 9, 25), SIX_DAYS, frozenset({HOLIDAY}), count_holidays=True
    )
    assert counted[dt.date(2026, 9, 18)] == "Day 4"  # a school whose cycle runs on through holidays
    saturday = position_on(dt.date(2026, 9, 12), SIX_DAYS, START, frozenset())
    assert saturday.cycle_day is None and not saturday.school_day
    before = position_on(dt.date(2026, 9, 4), SIX_DAYS, START, frozenset())
    assert before.cycle_day is None and not before.school_day


def test_a_lesson_is_checked_against_its_timetables_rotation() -> None:
    assert block_values(lesson("mon"))["week"] is None
    assert block_values(lesson("Tue", "week b"), TWO_WEEK)["week"] == "B"
    assert block_values(lesson("day 6"), SIX_DAYS)["day"] == "Day 6"
    refusals = [
        (lesson("Mon", "A"), WEEKLY, "has no week"),
        (lesson("Mon"), TWO_WEEK, "Say which week the lesson is in: A or B"),
        (lesson("Mon", "C"), TWO_WEEK, "'C' is not a week of this timetable"),
        (lesson("Day 7"), SIX_DAYS, "Use Day 1 … Day 6"),
        (lesson("Monday"), SIX_DAYS, "'Monday' is not a day of this timetable's cycle"),
        (lesson("Day 2"), WEEKLY, "'Day 2' is not a day"),
    ]
    for block, rotation, words in refusals:
        with pytest.raises(DomainError) as refused:
            block_values(block, rotation)
        assert words in refused.value.detail


def test_lessons_sort_by_week_then_day_with_day_10_after_day_2() -> None:
    rows = [
        {"week": None, "day": "Day 10", "start_time": "09:00", "name": "b"},
        {"week": None, "day": "Day 2", "start_time": "09:00", "name": "a"},
    ]
    assert [r["day"] for r in sorted(rows, key=lesson_order)] == ["Day 2", "Day 10"]
    weeks = [
        {"week": "B", "day": "Monday", "start_time": "09:00", "name": "x"},
        {"week": "A", "day": "Friday", "start_time": "09:00", "name": "y"},
    ]
    assert [r["week"] for r in sorted(weeks, key=lesson_order)] == ["A", "B"]
