"""Rotating timetables in more layouts (issue 19): both weeks in one grid with each day's header
carrying its week ("Mon A", "AMon", "Monday 1", "Mon Wk2"); a week label in a grid's corner cell,
both grids on one page; cycle days heading a day-by-day list; parallel lessons side by side under
a day with their own times and no time column. Documents are drawn with the generators."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from bench import corpus_gen as cg
from bench import gen_rotation as gr
from bench.scoring import f1, match
from core.extract import extract_file
from core.extraction.daytime import day_label, find_range, header_days, week_of_index


@pytest.mark.parametrize("form", gr.DAY_WEEK_FORMATS)
def test_day_headers_carrying_their_week_name_both_weeks(form: str) -> None:
    heads = [form.format(day=d, d3=d[:3], D3=d[:3].upper(), w=w) for w in "AB" for d in cg.DAYS[:5]]
    days = header_days(["Time", *heads])
    assert days[0] is None
    assert [day_label(d) for d in days[1:]] == cg.DAYS[:5] * 2
    assert [week_of_index(d) for d in days[1:]] == ["A"] * 5 + ["B"] * 5


def test_days_beside_dates_or_one_week_are_plain_weekdays() -> None:
    assert header_days(["", "Mon 1", "Tue 2", "Wed 3", "Thu 4", "Fri 5"]) == [None, 0, 1, 2, 3, 4]
    assert header_days(["", "Mon A", "Tue A", "Wed A"]) == [None, 0, 1, 2]  # one week: no rotation here


@pytest.mark.parametrize(
    ("layout", "form"), [("days_cols", "{d3} {w}"), ("days_rows", "{w}{d3}"), ("list", "{day} {w}")]
)
def test_one_grid_of_both_weeks_is_read_each_lesson_in_its_week(
    pm,
    registry,
    tmp_path: Path,
    layout: str,
    form: str,  # noqa: ANN001
) -> None:
    rng = random.Random(f"days with weeks {layout}")
    first, second = cg.fortnight(cg.random_week(rng, cg.DAYS[:5]), ("Week 1", "Week 2"))
    week, truth_of = gr.days_with_weeks(first, second, form)
    style = cg.random_style(rng)
    style.day_fmt, style.dark_header = "full", False
    cv = gr._canvas(week, style, layout, "title")
    out = extract_file(cg.pages_pdf([cv], tmp_path / "both.pdf"), pm, registry)
    assert out["rotation"] == "two_week" and out["weeks"] == ["1", "2"]
    assert f1(*match(out["timeblocks"], gr._truth_days(week, truth_of))) == 1.0


def test_week_labels_in_the_corner_cells_of_two_grids_on_one_page(pm, registry, tmp_path: Path) -> None:  # noqa: ANN001
    rng = random.Random("corner labels")
    weeks = list(cg.fortnight(cg.random_week(rng), ("Odd week", "Even week")))
    style = cg.random_style(rng)
    style.dark_header = False
    page = gr._stack_canvases([gr._canvas(w, style, "ruleless", "corner") for w in weeks])
    out = extract_file(cg.pages_pdf([page], tmp_path / "corner.pdf"), pm, registry)
    assert out["rotation"] == "two_week" and out["weeks"] == ["Odd", "Even"]
    assert f1(*match(out["timeblocks"], [b for w in weeks for b in gr._truth_week(w)])) == 1.0


@pytest.mark.parametrize("days", [[f"Day {n}" for n in range(1, 7)], [f"Day {c}" for c in "ABCDEFGH"]])
@pytest.mark.parametrize("day_fmt", ["full", "abbr"])  # "Day 3" / "D3", "Day C" / bare "C"
def test_cycle_days_heading_a_list(pm, registry, tmp_path: Path, days: list[str], day_fmt: str) -> None:  # noqa: ANN001
    rng = random.Random(f"cycle list {days[0]} {day_fmt}")
    week, style = cg.random_week(rng, days), cg.random_style(rng)
    style.day_fmt = day_fmt
    out = extract_file(cg.pages_pdf([cg.list_canvas(week, style)], tmp_path / "list.pdf"), pm, registry)
    assert out["rotation"] == "cycle" and out["cycleDays"] == days
    assert f1(*match(out["timeblocks"], week.truth())) == 1.0


def test_a_list_of_letter_days_whose_first_heading_was_misread_reads_the_others(
    pm,
    registry,
    tmp_path: Path,  # noqa: ANN001
) -> None:
    """A photo's shadow over the heading "A" reads "AN": the headings still run B, C … in order,
    so the list is a letter cycle; the lessons under the lost heading are not guessed."""
    days = [f"Day {c}" for c in "ABCDEF"]
    rng = random.Random("letter list, first lost")
    week, style = cg.random_week(rng, days), cg.random_style(rng)
    style.day_fmt = "abbr"
    cv = cg.list_canvas(week, style)
    cv.texts = [(*t[:2], "AN", *t[3:]) if t[2] == "A" else t for t in cv.texts]
    out = extract_file(cg.pages_pdf([cv], tmp_path / "list.pdf"), pm, registry)
    assert out["rotation"] == "cycle"
    rest = [b for b in week.truth() if b["day"] != "Day A"]
    assert f1(*match([b for b in out["timeblocks"] if b["day"] != "Day A"], rest)) == 1.0
    assert out["confidence"] < 0.98  # a day's lessons lost: never accepted


def test_parallel_lessons_under_a_day_keep_their_own_times(pm, registry, tmp_path: Path) -> None:  # noqa: ANN001
    """Letter days, each over two columns; no time column: one group's lunch beside the other's
    lesson, each cell printing its own time, which is its time (not the row's)."""
    from docx import Document

    doc = Document()
    t = doc.add_table(rows=4, cols=6)
    for d, letter in enumerate("ABC"):
        t.cell(0, 2 * d).merge(t.cell(0, 2 * d + 1)).text = letter
        t.cell(1, 2 * d).merge(t.cell(1, 2 * d + 1)).text = f"Block {letter}\n8:30-9:55"
        t.cell(2, 2 * d).text = "Lunch 1\n11:30-12:10"
        t.cell(2, 2 * d + 1).text = f"Block {letter}\n11:30-12:10"
        t.cell(3, 2 * d).text = f"Block {letter}\n12:20-1:45"
        t.cell(3, 2 * d + 1).text = "Lunch 2\n12:15-12:55"
    t.style = "Table Grid"
    doc.save(str(tmp_path / "blocks.docx"))
    out = extract_file(tmp_path / "blocks.docx", pm, registry)
    truth = []
    for letter in "ABC":
        day = f"Day {letter}"
        truth += [
            {"day": day, "startTime": "08:30", "endTime": "09:55", "name": f"Block {letter}"},
            {"day": day, "startTime": "11:30", "endTime": "12:10", "name": "Lunch 1"},
            {"day": day, "startTime": "11:30", "endTime": "12:10", "name": f"Block {letter}"},
            {"day": day, "startTime": "12:20", "endTime": "13:45", "name": f"Block {letter}"},
            {"day": day, "startTime": "12:15", "endTime": "12:55", "name": "Lunch 2"},
        ]
    assert f1(*match(out["timeblocks"], truth)) == 1.0


def test_a_whole_hour_printed_bare_starts_a_range() -> None:
    assert find_range("A 8 - 9:30")[:2] == ("08:00", "09:30")
    assert find_range("12 - 1:00")[:2] == ("12:00", "13:00")
    assert find_range("Period 2 - 2:45") is None  # a period's number, no hour
    assert find_range("Room 3 - 9:30") is None
