"""The words and marks of the check screens (core/checking.py), without a server."""

from __future__ import annotations

import pytest

from core.api.errors import ApiError
from core.api.schemas import TimeblockIn
from core.checking import checked_values, doubts, plain_reason


def block(
    name: str, day: str = "Monday", start: str = "09:00", end: str = "10:00", confidence: float = 0.97
) -> dict:
    return {
        "id": name,
        "name": name,
        "day": day,
        "start_time": start,
        "end_time": end,
        "confidence": confidence,
    }


def test_doubtful_lessons_are_named_with_why_in_plain_words() -> None:
    blocks = [
        block("Maths"),
        block("Art", start="09:30", end="10:30"),
        block("Hstory", day="Tuesday", confidence=0.71),
        block("Zorbing", day="Wednesday"),
        block("Science", day="Thursday", start="23:00", end="23:30"),
    ]
    warnings = ["overlap on Monday: 09:00-10:00 'Maths' and 09:30-10:30 'Art'"]
    found = doubts(blocks, warnings, school_terms=[])
    assert found == {
        "Maths": ["it overlaps another lesson"],
        "Art": ["it overlaps another lesson"],
        "Hstory": ["the writing was hard to read", "the name is not a subject we know"],
        "Zorbing": ["the name is not a subject we know"],
        "Science": ["the time is unusual for a school"],
    }
    # A name the school taught its vocabulary is no longer doubted.
    assert "Zorbing" not in doubts(blocks, warnings, school_terms=["Zorbing"])


def test_the_reason_says_nothing_of_engines_or_thresholds() -> None:
    assert plain_reason(0.954, 9, 2) == (
        "We are not sure we read every lesson right (we are 95% sure of it). "
        "2 lessons are marked: check those first, then the rest against the original."
    )
    assert (
        plain_reason(None)
        == "We are not sure we read every lesson right. Compare the lessons with the original."
    )
    assert plain_reason(0.2, 0, 0).startswith("We found no lessons in it.")


def test_a_wrong_row_is_named_by_number_day_time_and_name() -> None:
    good = TimeblockIn(name="Maths", day="Monday", start_time="09:00", end_time="10:00")
    bad = TimeblockIn(name="Art", day="Tuesday", start_time="11:00", end_time="9:00")
    with pytest.raises(ApiError) as refused:
        checked_values([good, bad])
    assert (
        refused.value.detail
        == "Row 2 (Tuesday 11:00, Art): The lesson ends (09:00) before it starts (11:00)."
    )
    nameless = TimeblockIn(name=" ", day="Friday", start_time="09:00", end_time="10:00")
    with pytest.raises(ApiError) as refused:
        checked_values([nameless])
    assert refused.value.detail == "Row 1 (Friday 09:00, no name): Give the lesson a name."
