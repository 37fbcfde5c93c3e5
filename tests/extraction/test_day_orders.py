"""Day orders, the cycle days of Indian colleges ("Day Order 1" … "Day Order 6", "DO 1", "D.O. 1",
"Day Order III"): day order n is cycle day "Day n", read in headers and lists like "Day 1"."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from bench import corpus_gen as cg
from bench.scoring import f1, match
from core.extract import extract_file
from core.extraction.daytime import cycle_header, cycle_index, day_label


@pytest.mark.parametrize(
    ("text", "day"),
    [("Day Order 1", "Day 1"), ("DAY ORDER - 4", "Day 4"), ("DO 3", "Day 3"), ("D.O. 2", "Day 2"),
     ("Day Order III", "Day 3"), ("DO6", "Day 6")],
)  # fmt: skip
def test_a_day_order_is_its_cycle_day(text: str, day: str) -> None:
    index = cycle_index(text)
    assert index is not None and day_label(index) == day


def test_words_like_day_orders_are_not() -> None:
    assert cycle_index("Do") is None and cycle_index("Day Order 0") is None
    assert cycle_header(["Time", "Monday", "DOS"]) is None


def test_a_day_order_misread_beside_others_read_takes_its_place() -> None:
    """A bold "DO 5" read "DOS" after DO 1 … DO 4: the run's next day."""
    assert cycle_header(["Time", "DO 1", "DO 2", "DO 3", "DO 4", "DOS"]) == [None, 10, 11, 12, 13, 14]


@pytest.mark.parametrize(("day_fmt", "days_cols"), [("full", True), ("abbr", False), ("upper", True)])
def test_a_day_order_timetable_reads_each_lesson_on_its_cycle_day(
    pm,
    registry,
    tmp_path: Path,
    day_fmt: str,
    days_cols: bool,  # noqa: ANN001
) -> None:
    rng = random.Random(f"day order {day_fmt}")
    printed = [f"Day Order {n}" for n in range(1, 6)]
    week, style = cg.random_week(rng, printed), cg.random_style(rng)
    style.day_fmt = day_fmt  # "Day Order 1", "DO 1", "DAY ORDER 1"
    cg.render_pdf(cg.table_canvas(week, style, days_cols=days_cols), tmp_path / "orders.pdf")
    out = extract_file(tmp_path / "orders.pdf", pm, registry)
    truth = [{**b, "day": b["day"].replace("Day Order", "Day")} for b in week.truth()]
    assert out["rotation"] == "cycle" and out["cycleDays"] == [f"Day {n}" for n in range(1, 6)]
    assert f1(*match(out["timeblocks"], truth)) == 1.0


def test_a_day_word_misread_beside_a_run_of_cycle_days_keeps_its_place() -> None:
    """A photo's "DAY ORDER 3" read "OAY ORDER 3", "Day 2" read "Dav 2": one letter off, the run
    holds them; a heading that would break the run ("Bay 9") is left unread."""
    header = ["Time", "DAY ORDER 1", "DAY ORDER 2", "OAY ORDER 3", "DAY ORDER 4"]
    assert cycle_header(header) == [None, 10, 11, 12, 13]
    assert cycle_header(["Time", "Day 1", "Dav 2", "Day 3", "Day 4"]) == [None, 10, 11, 12, 13]
    assert cycle_header(["Time", "Day 1", "Day 2", "Day 3", "Bay 9"]) == [None, 10, 11, 12, None]
