"""Two-week timetables printed one week per page, headed "Week A" / "Week B" (or 1/2, odd/even):
both weeks are read, each lesson in its week, and the label is not taken for a name."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from bench import corpus_gen as cg
from bench.scoring import f1, match
from core.extract import extract_file
from core.extraction.weeks import week_of


@pytest.mark.parametrize(
    ("printed", "labels"), [(("Week A", "Week B"), ["A", "B"]), (("WEEK 1", "WEEK 2"), ["1", "2"])]
)
def test_both_weeks_are_read_each_lesson_in_its_week(
    pm,
    registry,
    tmp_path: Path,
    printed: tuple[str, str],
    labels: list[str],  # noqa: ANN001
) -> None:
    rng = random.Random(f"fortnight{printed}")
    first, second = cg.fortnight(cg.random_week(rng), printed)
    style = cg.random_style(rng)
    canvases = [cg.table_canvas(week, style, True) for week in (first, second)]
    out = extract_file(cg.pages_pdf(canvases, tmp_path / "fortnight.pdf"), pm, registry)
    assert out["rotation"] == "two_week" and out["weeks"] == labels
    for label, week in zip(labels, (first, second), strict=True):
        read = [b for b in out["timeblocks"] if b["week"] == label]
        assert f1(*match(read, week.truth())) == 1.0, label
    assert out["teacher"] == first.teacher and out["className"] == first.class_name  # no "Week A" in them
    assert not any("hold another timetable" in w for w in out["warnings"])


def test_a_weekly_timetable_printed_for_week_1_of_term_stays_weekly(pm, registry, tmp_path: Path) -> None:  # noqa: ANN001
    rng = random.Random("week one")
    week, style = cg.random_week(rng), cg.random_style(rng)
    week.week = "Week 1"
    cg.render_pdf(cg.table_canvas(week, style, True), tmp_path / "one.pdf")
    out = extract_file(tmp_path / "one.pdf", pm, registry)
    assert out["rotation"] == "weekly" and out["weeks"] is None
    assert all(b["week"] is None for b in out["timeblocks"])
    assert f1(*match(out["timeblocks"], week.truth())) == 1.0


def test_week_labels_are_found_as_schools_print_them_and_taken_out_of_the_header() -> None:
    assert week_of(["Timetable - Mr Lee", "Class 9X · WEEK B"]) == ("B", ["Timetable - Mr Lee", "Class 9X"])
    assert week_of(["Odd week", "Ms Ray"])[0] == "Odd"
    assert week_of(["Week: Even"])[0] == "Even"
    assert week_of(["Week Two"])[0] == "2"
    assert week_of(["Week 12 of term"])[0] is None  # a week of term, not of a rotation
    assert week_of(["Week A and Week B"])[0] is None  # both on one page: no one label
    assert week_of(["Weekly timetable"])[0] is None
