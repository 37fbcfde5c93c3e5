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
from core.extraction.daytime import find_range
from core.extraction.grid import Cell, Table
from core.extraction.header import read_header
from core.extraction.interpret import interpret_pages
from core.extraction.lines import Line, group_lines
from core.extraction.listing import interpret_list
from core.extraction.model import DraftTimetable, Page, Word
from core.extraction.spelling import correct_codes
from core.extraction.table import batch_lessons, interpret_table


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


def test_doubled_dash_or_colon_still_makes_a_range() -> None:
    # OCR reads a long dash on a scan as "-—"; the period's time must still be read.
    assert find_range("14.45 -— 15.35")[:2] == ("14:45", "15:35")
    assert find_range("9:00 -- 9:40")[:2] == ("09:00", "09:40")
    # A colon read as ";:" on a photo.
    assert find_range("10;:25-11:05")[:2] == ("10:25", "11:05")


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


def _cell(r0: int, r1: int, c0: int, c1: int, *lines: str) -> Cell:
    words = [Word(t, 10.0 * c0 + 3 * i, 20.0 * r0 + 8 * k, 10.0 * c0 + 3 * i + 2, 20.0 * r0 + 8 * k + 5)
             for k, line in enumerate(lines) for i, t in enumerate(line.split())]  # fmt: skip
    return Cell(r0, r1, c0, c1, words)


def test_day_over_batch_columns_reads_each_batch_and_shared_lessons_once() -> None:
    # Monday's heading spans two batch columns: a shared lecture over both, then one lab per batch.
    table = Table(3, 4, [
        _cell(0, 1, 0, 1, "Time"), _cell(0, 1, 1, 3, "Monday"), _cell(0, 1, 3, 4, "Tuesday"),
        _cell(1, 2, 0, 1, "9:00-10:00"), _cell(2, 3, 0, 1, "10:00-11:00"),
        _cell(1, 2, 1, 3, "Mathematics"), _cell(2, 3, 1, 2, "CS101(B1)"), _cell(2, 3, 2, 3, "CS102(B2)"),
        _cell(1, 2, 3, 4, "English"), _cell(2, 3, 3, 4, "Art"),
    ])  # fmt: skip
    blocks, _, _ = interpret_table(table)
    got = sorted((b.day, b.start_time, b.name, b.notes) for b in blocks)  # the batch goes to notes
    assert got == [
        ("Monday", "09:00", "Mathematics", None), ("Monday", "10:00", "CS101", "B1"),
        ("Monday", "10:00", "CS102", "B2"), ("Tuesday", "09:00", "English", None),
        ("Tuesday", "10:00", "Art", None),
    ]  # fmt: skip


def test_one_cell_with_a_line_per_batch_gives_a_lesson_per_batch() -> None:
    assert batch_lessons(["ITC02(FH)", "ITC01(SH)"]) == ["ITC02(FH)", "ITC01(SH)"]
    assert batch_lessons(["Maths", "Rm 12"]) is None  # a subject and its room: one lesson
    assert batch_lessons(["CS101(B1)", "CS102(B1)"]) is None  # one batch twice: not a split


def test_misread_course_code_takes_the_code_read_elsewhere_in_the_week() -> None:
    names = ["DS", "DS", "DL", "DL", "BT", "OS", "OL", "FSD"]
    assert correct_codes(names) == ["DS", "DS", "DL", "DL", "BT", "DS", "DL", "FSD"]
    # Two codes it could be: left as read.
    assert correct_codes(["DS", "DS", "0S", "0S", "OS"])[-1] == "OS"


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (["Department: Information Technology", "Semester/Section: Second/I"],
         "Information Technology, Semester/Section Second/I"),
        (["Government Engineering College", "S1 MCA - TIME TABLE (18.11.2020 onwards)"], "S1 MCA"),
        (["10B Timetable"], "10B"),
        (["Timetable 2024-2025"], None),
        (["Autumn 2024 Timetable"], None),
    ],
)  # fmt: skip
def test_class_from_college_headers(lines: list[str], expected: str | None) -> None:
    draft = DraftTimetable()
    read_header(lines, draft)
    assert draft.class_name == expected


def _list_lines(rows: list[str]) -> list[Line]:
    words = [Word(tok, 10.0 + 60 * i, 20.0 * r, 60.0 + 60 * i, 20.0 * r + 10)
             for r, row in enumerate(rows) for i, tok in enumerate(row.split())]  # fmt: skip
    return group_lines(words)


def test_list_time_misread_on_one_day_is_read_from_the_other_days() -> None:
    lines = _list_lines([
        "Monday", "08:00-08:45 Maths", "08:45-09:30 English", "09:30-09:50 Break",
        "Tuesday", "08:00-08:45 Art", "08:45-09:30 Music", "09:30-09:50 Break",
        "Wednesday", "08 700-08 45 French", "08:45-09:30 Latin", "09:30-19:50 Break",
        "Thursday", "08:00-08:45 Maths", "09:35-10:20 Drama",
    ])  # fmt: skip
    blocks, _, _ = interpret_list(lines)
    got = {(b.day, b.start_time, b.end_time, b.name) for b in blocks}
    # The colon read as "7" and the "1" read for a "0": the periods of the other days.
    assert ("Wednesday", "08:00", "08:45", "French") in got
    assert ("Wednesday", "09:30", "09:50", "Break") in got
    # A lesson after a gap, a digit away from a known range, stays as printed.
    assert ("Thursday", "09:35", "10:20", "Drama") in got
    assert len(blocks) == 11


def test_list_day_headings_with_their_dates() -> None:
    lines = _list_lines([
        "Monday, 2 September", "08:00-08:45 Maths", "08:45-09:30 English",
        "Tuesday 3/9", "08:00-08:45 Art",
    ])  # fmt: skip
    blocks, _, _ = interpret_list(lines)
    got = [(b.day, b.name) for b in blocks]
    assert got == [("Monday", "Maths"), ("Monday", "English"), ("Tuesday", "Art")]


@pytest.mark.parametrize("seed", ["rows0", "rows5", "rows7"])
def test_ruleless_days_down_the_side(seed: str) -> None:
    # Periods across the top (time labels side by side), days down the left, no rules.
    week, style = _week(seed)
    cv = cg.table_canvas(week, style, days_cols=False, rules=False)
    draft = interpret_pages([_page(cv, 0.8)])
    assert _f1(draft.blocks, week.truth()) == 1.0


def test_ruleless_days_down_the_side_through_tesseract(pm, registry, tmp_path: Path) -> None:  # noqa: ANN001
    week, style = _week("s7")
    cv = cg.table_canvas(week, style, days_cols=False, rules=False)
    cg.render_png(cv, style, scale=1.6).save(tmp_path / "t.png")
    out = extract_file(tmp_path / "t.png", pm, registry)
    assert f1(*match(out["timeblocks"], week.truth())) == 1.0


def test_school_class_label_wins_over_its_section() -> None:
    draft = DraftTimetable()
    read_header(["Class: 9C  Section: B"], draft)
    assert draft.class_name == "9C"


@pytest.mark.parametrize("at", [0, 1, 3])
def test_list_day_names_beside_their_lessons(at: int) -> None:
    # The day name in a left column on the first, a middle or the last of its lessons' lines.
    lessons = ["08:30-09:20 Maths", "09:20-10:10 English", "10:10-11:00 Art", "11:00-11:50 Music"]
    rows = []
    for day, n in (("Monday", 4), ("Tuesday", 3), ("Wednesday", 4)):
        rows += [f"{day} {lesson}" if i == min(at, n - 1) else lesson for i, lesson in enumerate(lessons[:n])]
    blocks, _, _ = interpret_list(_list_lines(rows))
    got = [(b.day, b.start_time) for b in blocks]
    want = [(d, t[:5]) for d, n in (("Monday", 4), ("Tuesday", 3), ("Wednesday", 4))
            for t in lessons[:n]]  # fmt: skip
    assert got == want


def test_time_column_of_start_times_only(pm, registry, tmp_path: Path) -> None:  # noqa: ANN001
    # A text PDF whose time column prints each period's start only ("08:40"): a period ends where
    # the next starts; the last period's end is not printed, so its lessons are left for a person.
    week, style = _week("starts")
    style.time_fmt, style.period_labels = "24", False
    cv = cg.table_canvas(week, style, days_cols=True, rules=True)
    cv.texts = [(x, y, find_range(s)[0] if find_range(s) else s, *rest) for x, y, s, *rest in cv.texts]
    cg.render_pdf(cv, tmp_path / "t.pdf")
    out = extract_file(tmp_path / "t.pdf", pm, registry)
    last_end = f"{week.periods[-1][1] // 60:02d}:{week.periods[-1][1] % 60:02d}"
    expected = [b for b in week.truth() if b["endTime"] != last_end]
    tp, fp, fn = match(out["timeblocks"], expected)
    assert fp == 0 and fn == 0
