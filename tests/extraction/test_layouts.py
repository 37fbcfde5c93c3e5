"""Rule-less tables read from word positions: tilted pages, codes below subjects, stacked lines a
tilt merges, a misread day heading; checked on exact word pages and on real scans through Tesseract."""

from __future__ import annotations

import math
import random
from pathlib import Path

import pytest

from bench import corpus_gen as cg
from bench.scoring import f1, match
from core.extract import extract_file
from core.extraction.interpret import interpret_pages
from core.extraction.lines import group_lines
from core.extraction.model import Page, Word
from core.extraction.timeparse import find_range
from core.plugins import EngineRegistry, make_plugin_manager


def _week(seed: str) -> tuple[cg.Week, cg.Style]:
    rng = random.Random(seed)
    week, style = cg.random_week(rng), cg.random_style(rng)
    style.colors = style.dark_header = False
    return week, style


def _page(cv: cg.Canvas, tilt_deg: float = 0.0, rename: dict[str, str] | None = None) -> Page:
    """The words a perfect reader would see on the canvas, turned by tilt_deg about the top left."""
    a = math.radians(tilt_deg)
    words: list[Word] = []
    for x, y, text, size, _bold, anchor, _rgb in cv.texts:
        width = 0.55 * size * len(text)
        left = x if anchor == "lm" else x - width / 2
        for token in text.split():
            w = 0.55 * size * len(token)
            cx, cy = left + w / 2, y
            left += w + 0.55 * size
            rx, ry = cx * math.cos(a) - cy * math.sin(a), cx * math.sin(a) + cy * math.cos(a)
            token = (rename or {}).get(token, token)
            words.append(Word(token, rx - w / 2, ry - 0.36 * size, rx + w / 2, ry + 0.36 * size, 0.95))
    return Page(1, cv.width, cv.height, words, source="tesseract")


def _f1(blocks: list, truth: list[dict]) -> float:
    pred = [{"day": b.day, "startTime": b.start_time, "endTime": b.end_time, "name": b.name,
             "notes": b.notes} for b in blocks]  # fmt: skip
    return f1(*match(pred, truth))


def test_doubled_dash_still_makes_a_range() -> None:
    # OCR reads a long dash on a scan as "-—"; the period's time must still be read.
    assert find_range("14.45 -— 15.35")[:2] == ("14:45", "15:35")
    assert find_range("9:00 -- 9:40")[:2] == ("09:00", "09:40")


def test_label_and_time_merged_by_a_middle_line_are_split() -> None:
    # "Period 6" above "12:40 - 1:20" and a one-line cell between them at mid height: one fragment
    # of the time column must not mix the label and the time.
    words = [
        Word("Period", 143, 1060, 250, 1085), Word("6", 263, 1062, 282, 1086),
        Word("Statistics", 838, 1067, 1001, 1092), Word("12:40", 78, 1102, 155, 1123),
        Word("PM-1:20", 166, 1101, 289, 1125), Word("PM", 301, 1103, 345, 1126),
        Word("TY", 902, 1109, 939, 1131), Word("Numeracy", 1184, 1071, 1364, 1103),
        Word("French", 1566, 1095, 1685, 1120), Word("Psychology", 1883, 1077, 2077, 1110),
        Word("9Y", 1255, 1113, 1291, 1135), Word("7B", 1959, 1119, 1996, 1141),
    ]  # fmt: skip
    texts = [ln.text for ln in group_lines(words, split_gap=30)]
    assert "Period 6" in texts and "12:40 PM-1:20 PM" in texts


@pytest.mark.parametrize("tilt", [-1.2, 0.0, 1.2])
def test_tilted_ruleless_table_reads_every_day(tilt: float) -> None:
    # A scan or photo a degree off: the day headings drift by more than a line across the page.
    week, style = _week(f"tilt{tilt}")
    cv = cg.table_canvas(week, style, days_cols=True, rules=False)
    draft = interpret_pages([_page(cv, tilt)])
    assert {b.day for b in draft.blocks} == set(week.days)
    assert _f1(draft.blocks, week.truth()) == 1.0


def test_room_code_below_subject_stays_in_its_cell() -> None:
    # Subjects in bold with a smaller room code under them, periods of one and two slots.
    week, style = _week("codes")
    week.cells[(0, 0)] = (2, "Design Technology", "Rm 12")
    week.cells.pop((0, 1), None)
    cv = cg.table_canvas(week, style, days_cols=True, rules=False)
    draft = interpret_pages([_page(cv)])
    # Every lesson once, with its own times, and no room code read as a lesson of its own.
    assert _f1(draft.blocks, week.truth()) == 1.0


def test_misread_day_heading_between_two_days_is_inferred() -> None:
    week, style = _week("heading")
    style.day_fmt = "full"
    cv = cg.table_canvas(week, style, days_cols=True, rules=False)
    draft = interpret_pages([_page(cv, rename={"Tuesday": "row,"})])
    tuesday = [b for b in week.truth() if b["day"] == "Tuesday"]
    assert tuesday and _f1([b for b in draft.blocks if b.day == "Tuesday"], tuesday) == 1.0
    assert not any(b.name == "row," for b in draft.blocks)


@pytest.fixture(scope="module")
def pm():  # noqa: ANN201
    return make_plugin_manager()


@pytest.fixture(scope="module")
def registry(pm) -> EngineRegistry:  # noqa: ANN001
    return EngineRegistry.from_plugins(pm)


def test_tilted_ruleless_scan_through_tesseract(pm, registry, tmp_path: Path) -> None:  # noqa: ANN001
    # A rule-less timetable printed and scanned 1.2 degrees off, read by Tesseract.
    week, style = _week("scan")
    cv = cg.table_canvas(week, style, days_cols=True, rules=False)
    im = cg.render_png(cv, style, scale=1.6).convert("L")
    im.rotate(1.2, expand=True, fillcolor=255).save(tmp_path / "t.png")
    out = extract_file(tmp_path / "t.png", pm, registry)
    assert {b["day"] for b in out["timeblocks"]} == set(week.days)
    tp, fp, fn = match(out["timeblocks"], week.truth())
    assert fp <= 1 and f1(tp, fp, fn) >= 0.95
