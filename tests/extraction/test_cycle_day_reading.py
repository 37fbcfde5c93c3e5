"""Cycle-day timetables ("Day 1" … "Day 6", "D1" …, "Day A" …, bare "A" … "F" over the columns) read
as a cycle: each lesson on its cycle day, the draft's rotation `cycle` with the days in order; and
both weeks of a two-week timetable printed on one page, one grid under the other, each in its week.
Weekday timetables read as before."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from bench import corpus_gen as cg
from bench import gen_rotation
from bench.scoring import f1, match
from core.extract import extract_file
from core.extraction.daytime import day_label, header_days


def _cycle_week(seed: str, days: list[str]) -> tuple[cg.Week, cg.Style]:
    rng = random.Random(seed)
    return cg.random_week(rng, days), cg.random_style(rng)


@pytest.mark.parametrize(
    ("day_fmt", "days"),
    [
        ("full", [f"Day {n}" for n in range(1, 7)]),  # "Day 1" … "Day 6"
        ("upper_abbr", [f"Day {n}" for n in range(1, 11)]),  # "D1" … "D10"
        ("abbr", [f"Day {c}" for c in "ABCDEF"]),  # bare "A" … "F" over the columns
    ],
)
def test_a_cycle_timetable_reads_each_lesson_on_its_cycle_day(
    pm,
    registry,
    tmp_path: Path,
    day_fmt: str,
    days: list[str],  # noqa: ANN001
) -> None:
    week, style = _cycle_week(f"cycle{day_fmt}", days)
    style.day_fmt = day_fmt
    cg.render_pdf(cg.table_canvas(week, style, days_cols=True), tmp_path / "cycle.pdf")
    out = extract_file(tmp_path / "cycle.pdf", pm, registry)
    assert out["rotation"] == "cycle" and out["cycleDays"] == days
    assert f1(*match(out["timeblocks"], week.truth())) == 1.0
    assert {b["day"] for b in out["timeblocks"]} <= set(days)


def test_a_cycle_timetable_with_days_down_the_side_in_word_reads_too(pm, registry, tmp_path: Path) -> None:  # noqa: ANN001
    week, style = _cycle_week("cycle rows", [f"Day {n}" for n in range(1, 7)])
    cg.write_docx(week, style, "days_rows", tmp_path / "cycle.docx")
    out = extract_file(tmp_path / "cycle.docx", pm, registry)
    assert out["rotation"] == "cycle" and len(out["cycleDays"]) == 6
    assert f1(*match(out["timeblocks"], week.truth())) == 1.0


def test_weekday_timetables_stay_weekly(pm, registry, tmp_path: Path) -> None:  # noqa: ANN001
    rng = random.Random("plain week")
    week, style = cg.random_week(rng), cg.random_style(rng)
    cg.render_pdf(cg.table_canvas(week, style, days_cols=False), tmp_path / "week.pdf")
    out = extract_file(tmp_path / "week.pdf", pm, registry)
    assert out["rotation"] == "weekly" and out["cycleDays"] is None
    assert f1(*match(out["timeblocks"], week.truth())) == 1.0


def test_cycle_day_headers_are_a_run_and_letters_alone_only_from_a() -> None:
    def read(texts: list[str]) -> list[str | None]:
        return [None if d is None else day_label(d) for d in header_days(texts)]

    assert read(["Time", "Day 1", "Day 2", "Day 3"]) == [None, "Day 1", "Day 2", "Day 3"]
    assert read(["", "D1", "D2", "D4"]) == [None, "Day 1", "Day 2", "Day 4"]  # a heading OCR lost
    assert read(["Period", "A", "B", "C", "D"]) == [None, "Day A", "Day B", "Day C", "Day D"]
    assert read(["Mon", "Tue", "Wed"]) == ["Monday", "Tuesday", "Wednesday"]
    assert read(["", "B", "C", "D"]) == [None] * 4  # letters not from A: sets or rooms
    assert read(["", "A", "Maths", "C"]) == [None] * 4  # a letter among words is a word
    assert read(["Day 2", "Day 1", "Day 3"]) == [None] * 3  # out of order: no cycle's header
    assert read(["Day 1", "Day 2"]) == [None, None]  # two are a coincidence
    # OCR's slips in bold headings: "D1" read "dl", "D5" read "0S"; numbers lost after "Day".
    assert read(["Time", "dl", "b2", "D3", "b4", "0S", "06"])[1:] == [f"Day {n}" for n in range(1, 7)]
    assert read(["Day", "Day", "Day 3", "Day"]) == ["Day 1", "Day 2", "Day 3", "Day 4"]
    assert read(["Day", *["Day"] * 9, "Day 10"]) == [None, *[f"Day {n}" for n in range(1, 11)]]
    assert read(["Time", "dl", "b4", "Rm 3"]) == [None] * 4  # look-alikes out of order are rooms


def test_both_weeks_on_one_page_are_read_each_in_its_week(pm, registry, tmp_path: Path) -> None:  # noqa: ANN001
    """A Word file with both grids on one page-less body, each under its "Week 1" / "Week 2"."""
    rng = random.Random("one page fortnight")
    first, second = cg.fortnight(cg.random_week(rng), ("Week 1", "Week 2"))
    gen_rotation._docx([first, second], cg.random_style(rng), "days_cols", tmp_path / "two.docx")
    out = extract_file(tmp_path / "two.docx", pm, registry)
    assert out["rotation"] == "two_week" and out["weeks"] == ["1", "2"]
    truth = [{**b, "week": "1"} for b in first.truth()] + [{**b, "week": "2"} for b in second.truth()]
    assert f1(*match(out["timeblocks"], truth)) == 1.0


@pytest.mark.parametrize("days", [[f"Day {n}" for n in range(1, 7)], cg.DAYS[:5]])
def test_day_names_printed_above_a_ruled_grid_head_its_columns(
    pm,
    registry,
    tmp_path: Path,
    days: list[str],  # noqa: ANN001
) -> None:
    """The header band has no rules of its own: the day names stand over the grid's top rule."""
    rng = random.Random(f"band above {days[0]}")
    week, style = cg.random_week(rng, days), cg.random_style(rng)
    style.day_fmt, style.dark_header, style.header_bg = "full", False, (255, 255, 255)
    cv = cg.table_canvas(week, style, days_cols=True)
    band_top = min(y for _, y, _, y1 in cv.lines if y == y1)  # the header row's top rule
    cv.lines = [ln for ln in cv.lines if not (ln[1] == band_top == ln[3]) and ln[1] != band_top]
    cg.render_pdf(cv, tmp_path / "band.pdf")
    out = extract_file(tmp_path / "band.pdf", pm, registry)
    assert f1(*match(out["timeblocks"], week.truth())) == 1.0
