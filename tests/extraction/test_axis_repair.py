"""Period times that OCR misread, repaired from the order of the period axis: label lists in, times
out (including the labels it must leave untimed), and a whole table read through the ruled-grid path."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

from core.extract import extract_file
from core.extraction.axis_repair import label_readings, repair_axis
from core.extraction.grid import ruled_table
from core.extraction.model import Page, Rule, Word
from core.extraction.table import interpret_table


def test_chalkboard_header_misreads_are_repaired_from_their_order() -> None:
    # A handwriting font's header as Tesseract read it: "1" and "9" both read as "4", an extra
    # digit ("143.00"), a "5" read as "9", an end unreadable ("W169").
    labels = ["§.00 os", "4.00 1.55", ("10:00", "10:55"), "41.00 W169", "143.00 13.95", ("14:00", "14:55")]
    # "§.00" is 08:00, before 09:00; the two well-read periods agree on 55 minutes, which gives
    # the end of "§.00" (its "8.55" read as "os") and of "41.00" (11:00, its end read as "W169").
    assert repair_axis(labels) == {
        0: ("08:00", "08:55"), 1: ("09:00", "09:55"), 3: ("11:00", "11:55"), 4: ("13:00", "13:55"),
    }  # fmt: skip


def test_periods_repaired_without_rival_confirm_the_one_well_read_length() -> None:
    # Only "10.00 10.55" read as printed; "4.00 1.55" can only be 09:00-09:55 after 08:00 and
    # before 10:00, which confirms 55 minutes: "§.00" and "41.00" take it as their length.
    # "44.00 14.50" is misread somewhere: 14:00-14:50 (one digit changed, 50 minutes) and
    # 14:00-14:55 (two changed, the agreed 55) are as likely, so it stays untimed.
    labels = ["§.00 os", "4.00 1.55", ("10:00", "10:55"), "41.00 W169", "143.00 13.95", "44.00 14.50"]
    assert repair_axis(labels) == {
        0: ("08:00", "08:55"), 1: ("09:00", "09:55"), 3: ("11:00", "11:55"), 4: ("13:00", "13:55"),
    }  # fmt: skip


def test_other_misreads_of_the_same_header() -> None:
    # Another engine setting's reading of that header: "&" for "8", a lost "8." ("55"), an extra
    # digit ("11.565"), minutes over 59 ("13.99"); "4.00 5" keeps too little to read (refused).
    labels = ["&.00 55", "4.00 5", ("10:00", "10:55"), "41.00 11.565", "13.00 13.99", "44.00 14.55"]
    assert repair_axis(labels) == {
        0: ("08:00", "08:55"), 3: ("11:00", "11:55"), 4: ("13:00", "13:55"), 5: ("14:00", "14:55"),
    }  # fmt: skip


def test_first_period_alone_is_not_placed_by_the_gap_to_the_next() -> None:
    # "4.00" may be 07, 08 or 09:00 with nothing before it to tell: refused.
    labels = ["4.00 1.55", ("10:00", "10:55"), ("11:00", "11:55")]
    assert repair_axis(labels) == {}


def test_label_whose_dash_was_lost_is_cut_into_start_and_end() -> None:
    labels = [
        "Period 1 7.45830",
        ("08:30", "09:15"),
        ("09:15", "09:35"),
        "Period 3 935-130.15",
        ("10:15", "11:05"),
    ]
    assert repair_axis(labels) == {0: ("07:45", "08:30"), 3: ("09:35", "10:15")}


def test_look_alike_letters_are_read_as_digits() -> None:
    labels = [("08:00", "08:45"), "O8.5O-O9.35", ("09:45", "10:30"), "lO.4O - ll.25"]
    assert repair_axis(labels) == {1: ("08:50", "09:35"), 3: ("10:40", "11:25")}


def test_half_read_label_takes_the_length_the_well_read_labels_agree_on() -> None:
    labels = ["§.00 os", ("09:00", "09:55"), ("10:00", "10:55"), ("11:00", "11:55")]
    assert repair_axis(labels) == {0: ("08:00", "08:55")}


def test_half_read_label_stays_untimed_when_lengths_disagree() -> None:
    labels = ["§.00 os", ("09:00", "09:55"), ("10:00", "10:40"), ("11:00", "11:30")]
    assert repair_axis(labels) == {}


def test_half_read_label_stays_untimed_with_one_well_read_label() -> None:
    assert repair_axis(["§.00 os", ("09:00", "09:55")]) == {}


def test_label_with_no_time_at_all_is_never_given_one() -> None:
    labels = [("08:00", "08:50"), "Lunch", ("09:40", "10:30"), "Period 4", ("11:20", "12:10")]
    assert repair_axis(labels) == {}


def test_single_times_are_not_cut_into_a_period() -> None:
    # A time column of start times only ("10:15") beside a break read as a range.
    labels = ["08:30", "09:20", ("10:10", "10:30"), "10:30", "11:20"]
    assert repair_axis(labels) == {}


def test_two_readings_that_fit_equally_are_refused() -> None:
    # "1?.30-1?.15" between 09:00 and 15:00: 10.30-11.15, 11.30-12.15, 12.30-13.15... all one edit each.
    labels = [("08:00", "09:00"), "1X.30 - 1X.15", ("15:00", "16:00")]
    assert repair_axis(labels) == {}


def test_label_too_far_from_any_time_is_refused() -> None:
    labels = [("08:00", "08:45"), "WOS1ISS", ("09:30", "10:15"), "2024", ("11:00", "11:45")]
    assert repair_axis(labels) == {}


def test_lenient_reading_prefers_fewest_changes() -> None:
    best = label_readings("44.00 14.50")[0]
    assert (best.start, best.end, best.cost) == (14 * 60, 14 * 60 + 50, 1.0)


def _grid_page(header: list[str], days: list[str], lessons: list[list[str]]) -> Page:
    """A ruled grid, periods across the top and days down the side, words placed in its cells."""
    cw, rh = 120.0, 60.0
    ncols, nrows = len(header) + 1, len(days) + 1
    rules = [Rule(0, r * rh, ncols * cw, r * rh) for r in range(nrows + 1)]
    rules += [Rule(c * cw, 0, c * cw, nrows * rh) for c in range(ncols + 1)]
    words: list[Word] = []

    def put(text: str, c: int, r: int, line: int = 0, nlines: int = 1) -> None:
        y = r * rh + rh / 2 + (line - (nlines - 1) / 2) * 20
        words.append(Word(text, c * cw + 10, y - 8, c * cw + 10 + 9 * len(text), y + 8, 0.9))

    for c, label in enumerate(header, start=1):
        for k, part in enumerate(label.split("\n")):
            put(part, c, 0, k, label.count("\n") + 1)
    for r, (day, row) in enumerate(zip(days, lessons, strict=True), start=1):
        put(day, 0, r)
        for c, name in enumerate(row, start=1):
            if name:
                put(name, c, r)
    return Page(1, ncols * cw, nrows * rh, words, rules, source="tesseract")


def test_grid_with_misread_header_times_gets_its_lessons_back() -> None:
    page = _grid_page(
        ["8.00\n8.55", "4.00\n1.55", "10.00\n10.55", "143.00\n13.95", "14.00\n14.55"],
        ["Monday", "Tuesday"],
        [
            ["Maths", "Biology", "Chemistry", "Science", "Art"],
            ["Art", "Sports", "Music", "Social", "Biology"],
        ],
    )
    table = ruled_table(page)
    assert table is not None
    blocks, layout, _ = interpret_table(table)
    got = {(b.day, b.start_time, b.end_time, b.name) for b in blocks}
    assert ("Monday", "09:00", "09:55", "Biology") in got
    assert ("Tuesday", "13:00", "13:55", "Social") in got
    assert len(got) == 10
    repaired = [b for b in blocks if b.start_time in ("09:00", "13:00")]
    read = [b for b in blocks if b.start_time not in ("09:00", "13:00")]
    assert max(b.confidence for b in repaired) < min(b.confidence for b in read)  # repairs are doubted


PERIODS = [("8.00", "8.55"), ("9.00", "9.55"), ("10.00", "10.55"), ("11.00", "11.55"), ("13.00", "13.55")]
DAYS = ["Monday", "Tuesday", "Wednesday"]
LESSONS = [
    ["Maths", "Biology", "Chemistry", "Music", "Science"],
    ["Art", "Sports", "Music", "History", "Social"],
    ["Science", "Maths", "Art", "Drama", "Chemistry"],
]


def _handwritten_header_grid(path: Path) -> None:
    """A ruled timetable whose period times are handwritten (OpenCV's script font), two lines per
    period as on school pictures; Tesseract reads this font's "10.00" as "19.00"."""
    cw, rh, hw, x0, y0 = 190, 90, 230, 20, 20
    width, height = x0 * 2 + hw + cw * len(PERIODS), y0 * 2 + rh * (len(DAYS) + 1)
    img = np.full((height, width, 3), 255, np.uint8)
    for r in range(len(DAYS) + 2):
        cv2.line(img, (x0, y0 + r * rh), (width - x0, y0 + r * rh), (0, 0, 0), 2)
    for c in range(len(PERIODS) + 2):
        x = x0 if c == 0 else x0 + hw + (c - 1) * cw
        cv2.line(img, (x, y0), (x, height - y0), (0, 0, 0), 2)
    script = cv2.FONT_HERSHEY_SCRIPT_SIMPLEX
    for c, (start, end) in enumerate(PERIODS):
        x = x0 + hw + c * cw + 40
        cv2.putText(img, start, (x, y0 + 38), script, 1.0, (0, 0, 0), 2, cv2.LINE_AA)
        cv2.putText(img, end, (x, y0 + 78), script, 1.0, (0, 0, 0), 2, cv2.LINE_AA)
    page = Image.fromarray(img)
    draw = ImageDraw.Draw(page)
    font = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", 26)
    for r, (day, row) in enumerate(zip(DAYS, LESSONS, strict=True), start=1):
        draw.text((x0 + 15, y0 + r * rh + 30), day, font=font, fill=(0, 0, 0))
        for c, name in enumerate(row):
            draw.text((x0 + hw + c * cw + 15, y0 + r * rh + 30), name, font=font, fill=(0, 0, 0))
    page.save(path)


def test_handwritten_period_times_keep_every_lesson_at_its_printed_time(pm, registry, tmp_path: Path) -> None:  # noqa: ANN001
    path = tmp_path / "handwritten_times.png"
    _handwritten_header_grid(path)
    out = extract_file(path, pm, registry)
    got = {(b["day"], b["startTime"], b["endTime"], b["name"]) for b in out["timeblocks"]}
    want = {
        (
            day,
            f"{int(s.split('.')[0]):02d}:{s.split('.')[1]}",
            f"{int(e.split('.')[0]):02d}:{e.split('.')[1]}",
            name,
        )
        for day, row in zip(DAYS, LESSONS, strict=True)
        for (s, e), name in zip(PERIODS, row, strict=True)
    }
    # The misread "19.00" period is at 10:00-10:55 as printed, not stretched over the gaps around it.
    assert got == want


def _days_across_page(rows: list[tuple[str, list[str]]], days: list[str]) -> Page:
    """A ruled grid, days across the top and one time label per row down the side."""
    cw, rh = 120.0, 50.0
    ncols, nrows = len(days) + 1, len(rows) + 1
    rules = [Rule(0, r * rh, ncols * cw, r * rh) for r in range(nrows + 1)]
    rules += [Rule(c * cw, 0, c * cw, nrows * rh) for c in range(ncols + 1)]
    words: list[Word] = []

    def put(text: str, c: int, r: int) -> None:
        x = c * cw + 10
        for part in text.split():
            words.append(Word(part, x, r * rh + 17, x + 8 * len(part), r * rh + 33, 0.9))
            x += 8 * len(part) + 8

    put("Time", 0, 0)
    for c, day in enumerate(days, start=1):
        put(day, c, 0)
    for r, (label, lessons) in enumerate(rows, start=1):
        put(label, 0, r)
        for c, name in enumerate(lessons, start=1):
            put(name, c, r)
    return Page(1, ncols * cw, nrows * rh, words, rules, source="tesseract")


def test_label_read_as_an_impossible_period_is_repaired_not_believed() -> None:
    # The last label's "12:10" misread "22:10": read as printed the period would last eleven hours
    # (and validation would drop its lessons); in the order of the axis it is 11:20-12:10.
    page = _days_across_page(
        [
            ("08:30-09:20", ["Maths", "Art"]),
            ("09:20-10:20", ["English", "French"]),
            ("10:30-11:20", ["Science", "Drama"]),
            ("11:20-22:10", ["History", "Music"]),
        ],
        ["Monday", "Tuesday"],
    )
    table = ruled_table(page)
    assert table is not None
    blocks, _, _ = interpret_table(table)
    got = {(b.day, b.start_time, b.end_time, b.name) for b in blocks}
    assert ("Monday", "11:20", "12:10", "History") in got
    assert ("Tuesday", "11:20", "12:10", "Music") in got
    assert len(got) == 8


def test_a_label_whose_spaces_a_scan_lost_is_cut_at_its_glued_to() -> None:
    # Small print on a scan: "8.50 A.M TO 9.40 A.M" read as one word, an S for a 5 in it.
    labels = [
        ("08:00", "08:50"), "8SO0AMTO940AM", ("10:10", "11:00"), "11.00AMTO1150A.M", ("11:50", "12:40"),
    ]  # fmt: skip
    assert repair_axis(labels) == {1: ("08:50", "09:40"), 3: ("11:00", "11:50")}
    # A word that merely holds "to" before a number is no time.
    assert repair_axis([("08:00", "08:50"), "Photo 12", ("10:10", "11:00")]) == {}
