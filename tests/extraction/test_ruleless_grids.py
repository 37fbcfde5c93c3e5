"""Grids with no ruling lines, an outer frame only or horizontal rules only, read from the text
alignment: days down the side with centred names (no tilt read into a text layer), narrow columns
whose period times and cells wrap, and double lessons centred across two periods with no border.
Documents are drawn in code by the randomised generator with the properties fixed."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import pytest

from bench import generator
from bench.scoring import f1, match
from core.extract import extract_file
from core.extraction.columns import _join_stacked_times, ruleless_table
from core.extraction.daytime import find_range
from core.extraction.lines import Line, group_lines
from core.extraction.model import Page, Word
from core.extraction.table import interpret_table

BASE = {
    "format": "pdf_text", "font": "DejaVuSerif", "size": 14, "header_band": "none", "fills": "none",
    "cell_ink": "n/a", "time_format": "24", "dash": "en", "time_two_lines": False, "time_columns": 1,
    "legend": False, "week_start": "Mon", "period_labels": "number", "continued": "n/a", "codes": True,
    "theme": "n/a", "font_class": "serif", "size_band": "12-14",
}  # fmt: skip


def _document(tmp_path: Path, seed: int, **props: Any) -> tuple[Path, list[dict]]:
    """One text PDF with the given properties (the rest as BASE), its truth's lessons."""
    fixed = {**BASE, **props}
    original = generator.sample_properties
    generator.sample_properties = lambda rng, fmt: dict(fixed)  # type: ignore[assignment]
    try:
        path = generator.make_document(tmp_path, seed, "pdf_text", random.Random(seed))
    finally:
        generator.sample_properties = original  # type: ignore[assignment]
    truth = json.loads((tmp_path / (path.stem + ".truth.json")).read_text())
    return path, truth["timeblocks"]


@pytest.mark.parametrize(
    ("rules", "seed", "font", "size", "day_format"),
    [("none", 13, "DejaVuSerifCondensed", 11, "upper"),
     ("horizontal", 13, "DejaVuSerifCondensed", 11, "upper"),
     ("outer", 4, "DejaVuSans", 12, "full"), ("none", 21, "DejaVuSansMono", 16, "abbr")],
)  # fmt: skip
def test_days_down_the_side_without_inner_rules(
    pm, registry, tmp_path: Path, rules: str, seed: int, font: str, size: int, day_format: str
) -> None:  # noqa: ANN001
    """Centred day names of different lengths down the side: their left edges drift, the page is
    not tilted, and every lesson keeps its day."""
    path, truth = _document(tmp_path, seed, layout="days_rows", rules=rules, columns="wide", font=font,
                            size=size, day_format=day_format)  # fmt: skip
    out = extract_file(path, pm, registry)
    assert f1(*match(out["timeblocks"], truth)) == 1.0


@pytest.mark.parametrize(("rules", "seed"), [("outer", 9), ("none", 9), ("horizontal", 30)])
def test_narrow_columns_wrap_times_and_cells(pm, registry, tmp_path: Path, rules: str, seed: int) -> None:  # noqa: ANN001
    """Narrow period columns: each time wraps after its dash ("9:20 –" over "10:10"), subjects wrap
    over two lines inside one row, double lessons sit centred across two periods with no border."""
    path, truth = _document(tmp_path, seed, layout="days_rows", rules=rules, columns="narrow",
                            font="DejaVuSansMono", size=16, day_format="upper",
                            time_format="24nz")  # fmt: skip
    out = extract_file(path, pm, registry)
    assert f1(*match(out["timeblocks"], truth)) == 1.0


def _w(text: str, x0: float, x1: float, y0: float = 100.0) -> Word:
    return Word(text, x0, y0, x1, y0 + 18.0, 1.0)


def test_a_dash_that_hugs_its_start_keeps_the_next_column_apart() -> None:
    """Two wrapped period labels side by side, "9:20 –" and "10:30 –": the dash is there, so the
    far time is the next column's start, not this range's end."""
    words = [_w("9:20", 346, 387), _w("–", 397, 408), _w("10:30", 447, 498), _w("–", 508, 518)]
    assert [ln.text for ln in group_lines(words, split_gap=21.6)] == ["9:20 –", "10:30 –"]


def test_times_over_two_lines_pair_top_down() -> None:
    """A time column of labels wrapped after "to" ("9.00 to" over "9.45", "9.45 to" over "10.25"):
    each pair is read from its first line down, never "9.45" with the "9.45 to" below it."""
    labels = ["9.00 to", "9.45", "9.45 to", "10.25", "10.25 -", "10.45"]
    # Listed with the shorter end lines first, as a layout's reading order may give them.
    frags = [
        Line([Word(t, 40.0, 100.0 + 20 * i, 40.0 + 9 * len(t), 114.0 + 20 * i)]) for i, t in enumerate(labels)
    ]
    joined = _join_stacked_times(frags[1::2] + frags[::2], 14.0)
    assert sorted((find_range(f.text) or ("?",))[:2] for f in joined) == [
        ("09:00", "09:45"), ("09:45", "10:25"), ("10:25", "10:45")]  # fmt: skip


def test_a_lost_dash_still_joins_a_range() -> None:
    """OCR that lost the dash of "10:35 – 11:20" leaves a gap of a word or two: one piece."""
    words = [_w("10:35", 100, 150), _w("11:20", 180, 230)]
    assert [ln.text for ln in group_lines(words, split_gap=21.6)] == ["10:35 11:20"]


@pytest.mark.parametrize(("layout", "seed"), [("days_cols", 7), ("days_rows", 8)])
def test_two_letter_day_names_without_rules(pm, registry, tmp_path: Path, layout: str, seed: int) -> None:  # noqa: ANN001
    """ "Mo Tu We Th Fr" with no rules: two letters are a day where they run as a week along the
    header (or down the side), as a ruled header reads them."""
    path, truth = _document(tmp_path, seed, layout=layout, rules="none", columns="wide", font="DejaVuSans",
                            size=13, day_format="two")  # fmt: skip
    out = extract_file(path, pm, registry)
    assert f1(*match(out["timeblocks"], truth)) == 1.0


def test_a_time_column_printed_twice_on_one_line_is_one_period() -> None:
    """The same label twice along a period's line (a repeated time column): one period, not two
    at one place (which divided by zero when placing cells between them)."""

    def word(text: str, x: float, y: float) -> Word:
        return Word(text, x, y, x + 9 * len(text), y + 14, 1.0)

    words = [word("Mon", 300, 100), word("Tue", 420, 100), word("Wed", 540, 100)]
    for i, (s, e) in enumerate([("8:30", "9:15"), ("9:15", "10:00"), ("10:00", "10:45")]):
        y = 140 + 40 * i
        words += [word(f"{s}-{e}", 20, y), word(f"{s}-{e}", 150, y)]
        words += [word(n, x, y) for n, x in zip(["Maths", "Art", "Music"], [300, 420, 540], strict=True)]
    table = ruleless_table(Page(1, 800, 400, words, source="pdf_text"))
    assert table is not None
    blocks, _, _ = interpret_table(table)
    assert len(blocks) == 9 and {(b.start_time, b.end_time) for b in blocks} == {
        ("08:30", "09:15"), ("09:15", "10:00"), ("10:00", "10:45")}  # fmt: skip


def test_initials_over_the_days_and_misread_period_times_without_rules() -> None:
    """A picture's header of initials ("M T W TH F") over lessons, with no rules, and period labels
    OCR misread ("1:3Spm", a space after the colon): the initials are the days, the misread labels
    are periods, and their times are read again in the order of the axis."""

    def word(text: str, x: float, y: float) -> Word:
        return Word(text, x, y, x + 9 * len(text), y + 14, 0.9)

    heads = ["M", "T", "W", "TH", "F"]
    words = [word("Time:", 20, 100)] + [word(h, 300 + 120 * c, 100) for c, h in enumerate(heads)]
    labels = ["1:35pm- 2:15pm", "2:1Spm- 2: 55pm", "2:55pm- 3:35pm", "3:3Spm- 4:15pm"]
    lessons = [["Maths", "Art", "Music", "Drama", "French"]] * len(labels)
    for r, (label, row) in enumerate(zip(labels, lessons, strict=True)):
        y = 140 + 40 * r
        x = 20.0
        for part in label.split(" "):
            words.append(word(part, x, y))
            x += 9 * len(part) + 8
        words += [word(name, 300 + 120 * c, y) for c, name in enumerate(row)]
    table = ruleless_table(Page(1, 1000, 400, words, source="image"))
    assert table is not None
    blocks, _, _ = interpret_table(table)
    times = [("13:35", "14:15"), ("14:15", "14:55"), ("14:55", "15:35"), ("15:35", "16:15")]
    days = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
    want = {(d, s, e) for d in days for s, e in times}
    assert {(b.day, b.start_time, b.end_time) for b in blocks} == want
