"""Screenshots and clean images of tables: hour-range headers, period labels wrapped over two lines,
selection boxes read as letters, light header bands that hide their rules, screen regions that are
no sheet of paper. Every input is built here, in code."""

from __future__ import annotations

import numpy as np
import pytest

from core.extraction.grid import ruled_table
from core.extraction.hour_axis import hour_ranges
from core.extraction.interpret import interpret_pages
from core.extraction.model import Page, Rule, Word
from plugins.preprocess_opencv.sheet import _sides_on_frame, find_sheet

DAYS = ["MONDAY", "TUESDAY", "WEDNESDAY"]


def test_bare_hour_ranges_run_into_the_afternoon() -> None:
    got = hour_ranges(["10-11", "11-12", "12-01", "01-02", "02-03"])
    assert got == [("10:00", "11:00"), ("11:00", "12:00"), ("12:00", "13:00"), ("13:00", "14:00"),
                   ("14:00", "15:00")]  # fmt: skip


@pytest.mark.parametrize(
    "texts",
    [
        ["1-2", "3-4", "5-6"],  # period pairs: too early to be hours
        ["10-11", "11-12"],  # two alone are no axis
        ["2023-24", "10-11", "11-12"],  # a school year among them
        ["10-11", "10-12", "11-12"],  # overlapping
    ],
)
def test_not_an_hour_axis(texts: list[str]) -> None:
    assert hour_ranges(texts) is None


def _grid_page(header: list[str], rows: list[list[str]], cw: float = 200, rh: float = 60) -> Page:
    """A ruled grid, header row first; each cell's text as one word per token, centred."""
    words: list[Word] = []
    table = [header, *rows]
    for r, row in enumerate(table):
        for c, text in enumerate(row):
            x = c * cw + 20
            for token in text.split():
                w = 14 * len(token)
                words.append(Word(token, x, r * rh + 20, x + w, r * rh + 40, 0.95))
                x += w + 10
    ncols, nrows = len(header), len(table)
    rules = [Rule(0, r * rh, ncols * cw, r * rh) for r in range(nrows + 1)]
    rules += [Rule(c * cw, 0, c * cw, nrows * rh) for c in range(ncols + 1)]
    return Page(1, ncols * cw, nrows * rh, words, rules, source="tesseract")


def test_days_down_the_side_under_bare_hour_ranges() -> None:
    page = _grid_page(
        ["Day/Time", "10-11", "11-12", "12-01", "01-02"],
        [["Monday", "EC501", "CS502", "AS501", "CS503"], ["Tuesday", "CS553", "CS502", "AS501", "CS504"]],
    )
    draft = interpret_pages([page])
    got = {(b.day, b.start_time, b.end_time, b.name) for b in draft.blocks}
    assert ("Monday", "12:00", "13:00", "AS501") in got
    assert ("Tuesday", "13:00", "14:00", "CS504") in got
    assert len(got) == 8


def _stacked_header_page() -> Page:
    """A rule-less table, days down the side, each period headed by its start above its end
    ("08.00 hr" over "08.55 hr"), empty periods marked by a tall narrow box OCR read as "a"."""
    words: list[Word] = []
    starts = ["08.00", "09.00", "10.00", "11.05"]
    ends = ["08.55", "09.55", "10.55", "12.00"]
    for i, (s, e) in enumerate(zip(starts, ends, strict=True)):
        x = 300 + 200 * i
        words += [Word(s, x, 20, x + 70, 45, 0.95), Word("hr", x + 80, 20, x + 110, 45, 0.95)]
        words += [Word(e, x, 75, x + 70, 100, 0.95), Word("hr", x + 80, 75, x + 110, 100, 0.95)]
    lessons = [
        ["EE4101", None, "EE4405", "SM6611"],
        [None, "EE4703", "EE4703", None],
        ["EE4101", "EE4405", None, None],
    ]
    for r, (day, row) in enumerate(zip(DAYS, lessons, strict=True)):
        y = 160 + 80 * r
        words.append(Word(day, 20, y, 20 + 15 * len(day), y + 25, 0.95))
        for i, name in enumerate(row):
            x = 300 + 200 * i
            if name:
                words.append(Word(name, x, y, x + 100, y + 25, 0.95))
            else:
                words.append(Word("a", x + 40, y - 12, x + 61, y + 39, 0.35))  # the box, 51 px high
    return Page(1, 1200, 420, words, source="tesseract")


def test_period_times_wrapped_over_two_lines_and_boxes_read_as_letters() -> None:
    draft = interpret_pages([_stacked_header_page()])
    got = sorted((b.day, b.start_time, b.end_time, b.name) for b in draft.blocks)
    assert got == sorted([
        ("Monday", "08:00", "08:55", "EE4101"), ("Monday", "10:00", "10:55", "EE4405"),
        ("Monday", "11:05", "12:00", "SM6611"), ("Tuesday", "09:00", "09:55", "EE4703"),
        ("Tuesday", "10:00", "10:55", "EE4703"), ("Wednesday", "08:00", "08:55", "EE4101"),
        ("Wednesday", "09:00", "09:55", "EE4405"),
    ])  # fmt: skip


def test_light_header_band_that_hid_its_rules_is_split_by_its_day_names() -> None:
    page = _grid_page(
        ["Time", "Mon", "Tue", "Wed"],
        [["09:30 - 10:20", "CS390", "CS392", "CS398"], ["10:20 - 11:10", "CS394", "CS390", "CS397"]],
    )
    # The header band's vertical rules are lost: only the outer ones reach into it.
    page.rules = [r for r in page.rules if not (r.x0 == r.x1 and 0 < r.x0 < 800)]
    page.rules += [Rule(x, 60, x, 180) for x in (200, 400, 600)]
    table = ruled_table(page)
    assert table is not None
    heads = [table.owner(0, c) for c in range(table.ncols)]
    assert [h.text if h else None for h in heads] == ["Time", "Mon", "Tue", "Wed"]
    draft = interpret_pages([page])
    got = {(b.day, b.start_time, b.end_time, b.name) for b in draft.blocks}
    assert ("Tuesday", "10:20", "11:10", "CS390") in got
    assert len(got) == 6


def test_a_region_the_frame_bounds_on_two_sides_is_no_sheet() -> None:
    square = np.array([[0, 30], [639, 30], [639, 400], [0, 400]])
    assert _sides_on_frame(square, 640, 401) == 3
    inside = np.array([[40, 40], [600, 35], [590, 380], [30, 370]])
    assert _sides_on_frame(inside, 640, 401) == 0


def test_screenshot_under_a_dark_title_bar_is_not_warped() -> None:
    """A slide-style image: a black title bar over a light table filling the rest of the frame."""
    image = np.full((400, 900, 3), 235, np.uint8)
    image[:60] = 15
    image[120:124, :] = 90  # a rule or two and some ink: otherwise a plain light region
    image[:, 300:303] = 90
    assert find_sheet(image) is None


def test_sheet_on_a_desk_is_still_found() -> None:
    rng = np.random.default_rng(1)
    image = rng.integers(40, 90, (600, 800, 3)).astype(np.uint8)
    image[80:520, 120:680] = 240
    corners = find_sheet(image)
    assert corners is not None


def test_big_two_letter_days_partly_misread_down_the_side() -> None:
    """aSc exports label days "Mo" .. "Fr" in big letters OCR misreads ("Vo", "——", "=i"): the two
    read side by side give the week, and the unreadable labels next to them take their days."""
    page = _grid_page(
        ["", "10:00 - 11:40", "12:00 - 12:50"],
        [["Vo", "HCI", "AI"], ["Tu", "", "ML"], ["We", "SE", ""], ["——", "AI", "HCI"], ["=i", "", ""]],
    )
    draft = interpret_pages([page])
    got = sorted((b.day, b.start_time, b.name) for b in draft.blocks)
    assert got == sorted([
        ("Monday", "10:00", "HCI"), ("Monday", "12:00", "AI"), ("Tuesday", "12:00", "ML"),
        ("Wednesday", "10:00", "SE"), ("Thursday", "10:00", "AI"), ("Thursday", "12:00", "HCI"),
    ])  # fmt: skip


def test_a_mark_in_the_corner_before_monday_is_no_sunday() -> None:
    page = _grid_page(
        ["#", "Vo", "Tu", "We"], [["08:00 - 09:00", "Art", "PE", "Maths"], ["09:00 - 10:00", "", "", ""]]
    )
    draft = interpret_pages([page])
    assert sorted(b.day for b in draft.blocks) == ["Monday", "Tuesday", "Wednesday"]


def test_time_label_wrapped_mid_number_in_a_narrow_column() -> None:
    """ "15:00-17:0" over "0": a narrow header cell wraps the label inside a number."""
    page = _grid_page(
        ["", "09:00 - 10:00", "10:00 - 11:00", "15:00-17:0"],
        [["MONDAY", "Maths", "", "Art"], ["TUESDAY", "", "Music", "PE"]],
    )
    page.words.append(Word("0", 620, 42, 634, 58, 0.9))  # the label's second line, in its cell
    draft = interpret_pages([page])
    got = {(b.day, b.start_time, b.end_time, b.name) for b in draft.blocks}
    assert ("Monday", "15:00", "17:00", "Art") in got
    assert ("Tuesday", "15:00", "17:00", "PE") in got


def test_a_table_that_gave_no_lessons_says_what_it_showed() -> None:
    rows = [["I", "Maths", "Art", "PE"], ["II", "Music", "", "Art"]]
    page = _grid_page(["Period", "Mon", "Tue", "Wed"], rows)
    draft = interpret_pages([page])
    assert not draft.blocks
    told = " ".join(draft.problems)
    assert "no timetable was found" in told
    assert "a table with 3 rows and 4 columns and the days Monday–Wednesday" in told


def test_a_merged_group_that_is_no_rectangle_is_split_into_rectangles() -> None:
    from core.extraction.grid import _rectangles

    # Three columns: the whole first row (a header band) joined to the corner's day cell below it.
    assert _rectangles([0, 1, 2, 3, 6], 3) == [[0, 1, 2], [3, 6]]
    assert _rectangles([0, 1, 3, 4], 3) == [[0, 1, 3, 4]]
    assert _rectangles([0, 1, 4], 3) == [[0, 1, 4]]  # no whole row: a photo's lost rules, as it was
    assert _rectangles([0, 1, 2, 4, 5, 7], 3) == [[0, 1, 2, 4, 5, 7]]  # and more than one column


def test_portal_grid_of_half_hour_start_columns_under_a_band_that_hid_its_rules() -> None:
    """A student portal: half-hour columns headed by their start only ("0830", "0900"), in a band
    whose rules are hidden, joined to the first day's cell below the corner; lessons span columns."""
    header = ["Day", "0830", "0900", "0930", "1000", "1030", "1100"]
    page = _grid_page(
        header, [["Mon", "QED52K", "", "", "QCM53A", "", ""], ["Tue", "", "QLK52H", "", "", "", ""]]
    )
    # No rules inside the header band, none between it and the corner cell below.
    page.rules = [r for r in page.rules if not (r.x0 == r.x1 and 0 < r.x0 < 1400)]
    page.rules = [r for r in page.rules if not (r.y0 == r.y1 == 60)]
    page.rules += [Rule(x, 60, x, 180) for x in (200, 400, 600, 800, 1000, 1200)]
    page.rules += [Rule(200, 60, 1400, 60)]
    draft = interpret_pages([page])
    got = {(b.day, b.start_time, b.end_time, b.name) for b in draft.blocks}
    assert got == {
        ("Monday", "08:30", "09:00", "QED52K"), ("Monday", "10:00", "10:30", "QCM53A"),
        ("Tuesday", "09:00", "09:30", "QLK52H"),
    }  # fmt: skip
