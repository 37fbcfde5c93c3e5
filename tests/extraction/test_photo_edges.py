"""Phone photos that cut or shorten a timetable's header: the frame cuts the header row's top rule
off (the row is left shorter than a text line and a half), and days printed as one letter each
("M T W TH F"), some too faint for OCR. Pages and tables are built in code."""

from __future__ import annotations

import pytest

from core.extraction.daytime import header_days
from core.extraction.grid import Cell, Table, ruled_table
from core.extraction.interpret import interpret_pages
from core.extraction.model import Page, Rule, Word
from core.extraction.table import interpret_table

# ---------------------------------------------------------------- days as letters


@pytest.mark.parametrize(
    ("texts", "want"),
    [
        (["", "M", "T", "W", "TH", "F"], [None, 0, 1, 2, 3, 4]),
        (["Time", "S", "M", "T", "W", "T", "F", "S"], [None, 6, 0, 1, 2, 3, 4, 5]),
        (["", "M", "T", "W", "R", "F"], [None, 0, 1, 2, 3, 4]),  # the US Thursday
        # OCR lost the faint "T": its heading is empty between Monday and Wednesday.
        (["", "M", "", "w", "TH", ""], [None, 0, 1, 2, 3, None]),
    ],
)
def test_a_week_of_letters_is_read_by_position(texts: list[str], want: list[int | None]) -> None:
    assert header_days(texts) == want


@pytest.mark.parametrize(
    "texts",
    [
        ["B", "C", "D", "E"],  # groups, not days (a lettered cycle starts at A)
        ["T", "T", "S"],  # only ambiguous letters: no week to anchor
        ["M", "F"],  # two letters are initials
        ["", "M", "Maths", "W", "TH"],  # a word inside the run
        ["M", "W", "T"],  # out of order
    ],
)
def test_letters_that_are_no_week_stay_words(texts: list[str]) -> None:
    assert header_days(texts) == [None] * len(texts)


def _table(rows: list[list[str]]) -> Table:
    cells = []
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            words = [
                Word(w, 100 * c + 10 + 20 * k, 60 * r + 10, 100 * c + 28 + 20 * k, 60 * r + 22)
                for k, w in enumerate(text.split())
            ]
            cells.append(Cell(r, r + 1, c, c + 1, words))
    return Table(len(rows), max(map(len, rows)), cells)


def test_a_grid_headed_by_letters_reads_every_day() -> None:
    rows = [
        ["", "M", "", "W", "TH", "F"],
        ["8:15 - 9:15", "Maths", "Art", "PE", "Music", "Drama"],
        ["9:15 - 10:15", "A", "B", "C", "D", "E"],
    ]
    blocks, _, _ = interpret_table(_table(rows))
    got = {(b.day, b.start_time, b.end_time, b.name) for b in blocks if b.start_time == "08:15"}
    assert got == {
        ("Monday", "08:15", "09:15", "Maths"), ("Tuesday", "08:15", "09:15", "Art"),
        ("Wednesday", "08:15", "09:15", "PE"), ("Thursday", "08:15", "09:15", "Music"),
        ("Friday", "08:15", "09:15", "Drama"),
    }  # fmt: skip


# ---------------------------------------------------------------- a header row cut by the frame

LH = 20.0  # text line height of the page below


def _cut_page(band: float, header: tuple[str, ...] = ("Time", "Mon", "Tue", "Wed")) -> Page:
    """A ruled grid whose header row lost its top rule to the photo's frame: the vertical rules run
    to the page's top edge and the header band left above the first rule is `band` px high."""
    cw, rh = 200.0, 60.0
    rows = [["8:30 - 9:20", "Maths", "Art", "PE"], ["9:20 - 10:10", "Music", "Drama", "Latin"]]
    words = []
    top = band / 2 - LH / 2  # the header's letters centred in what is left of the row
    for c, text in enumerate(header):
        words.append(Word(text, c * cw + 20, top, c * cw + 20 + 14 * len(text), top + LH, 0.95))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            x, y = c * cw + 20, band + r * rh + 20
            for token in text.split():
                words.append(Word(token, x, y, x + 14 * len(token), y + LH, 0.95))
                x += 14 * len(token) + 10
    bottom = band + len(rows) * rh
    rules = [Rule(0, band + r * rh, 4 * cw, band + r * rh) for r in range(len(rows) + 1)]
    rules += [Rule(c * cw, 0, c * cw, bottom) for c in range(5)]
    return Page(1, 4 * cw, bottom + 40, words, rules, source="tesseract")


def test_a_header_row_cut_by_the_frame_is_still_the_header() -> None:
    page = _cut_page(band=1.2 * LH)  # less than a line and a half: a drawn table's overshoot
    table = ruled_table(page)
    assert table is not None
    assert [table.owner(0, c).text for c in range(table.ncols)] == ["Time", "Mon", "Tue", "Wed"]
    got = {(b.day, b.start_time, b.name) for b in interpret_pages([page]).blocks}
    assert ("Tuesday", "09:20", "Drama") in got
    assert len(got) == 6


def test_rules_overshooting_inside_the_page_open_no_row() -> None:
    """Vertical rules that run on a little above the top rule, inside the page, are a drawing's
    overshoot: no row is made of the words above them (a title; day names printed just above a
    grid are its header, which `_day_band_above` reads)."""
    page = _cut_page(band=1.2 * LH, header=("Class", "7A", "Term", "2"))
    shift = 3 * LH  # the page now has a margin above the table: the rules end inside it
    page.words = [Word(w.text, w.x0, w.y0 + shift, w.x1, w.y1 + shift, w.confidence) for w in page.words]
    page.rules = [Rule(r.x0, r.y0 + shift, r.x1, r.y1 + shift) for r in page.rules]
    table = ruled_table(page)
    assert table is not None
    assert table.owner(0, 1).text != "7A"


# ---------------------------------------------------------------- a bowed page's rules


def _bowed_page(drift: float) -> Page:
    """A ruled grid whose inner vertical rules were found in two pieces, the lower one `drift` px
    to the left of the upper (a bowed or keystoned page, each piece straight)."""
    cw, rh = 200.0, 60.0
    table = [
        ["Time", "Mon", "Tue", "Wed"],
        ["8:30 - 9:20", "Maths", "Art", "PE"],
        ["9:20 - 10:10", "Music", "Drama", "Latin"],
        ["10:10 - 11:00", "Chess", "Dance", "Greek"],
        ["11:00 - 11:50", "Hindi", "Urdu", "Tamil"],
    ]
    words = []
    for r, row in enumerate(table):
        for c, text in enumerate(row):
            x, y = c * cw + 30, r * rh + 20
            for token in text.split():
                words.append(Word(token, x, y, x + 14 * len(token), y + LH, 0.95))
                x += 14 * len(token) + 10
    height = len(table) * rh
    rules = [Rule(0, r * rh, 4 * cw, r * rh) for r in range(len(table) + 1)]
    rules += [Rule(x, 0, x, height) for x in (0, 4 * cw)]
    for c in (1, 2, 3):
        rules += [Rule(c * cw, 0, c * cw, 2.5 * rh), Rule(c * cw - drift, 2.5 * rh, c * cw - drift, height)]
    return Page(1, 4 * cw, height, words, rules, source="tesseract")


def test_pieces_of_one_bowed_rule_bound_no_column() -> None:
    page = _bowed_page(drift=0.75 * LH)
    table = ruled_table(page)
    assert table is not None
    assert table.ncols == 4
    got = {(b.day, b.start_time, b.name) for b in interpret_pages([page]).blocks}
    assert ("Monday", "11:00", "Hindi") in got
    assert len(got) == 12


def test_two_rules_side_by_side_stay_two() -> None:
    """A narrow column whose rules run the same stretch is a column, however narrow."""
    page = _bowed_page(drift=0.0)
    page.rules.append(Rule(200 + 0.75 * LH, 0, 200 + 0.75 * LH, page.height))
    table = ruled_table(page)
    assert table is not None
    assert table.ncols == 5


# ---------------------------------------------------------------- a teacher's row under each lesson


def _two_row_periods(second: list[str]) -> Table:
    """Days across; each period's time label spans two ruled rows, the subjects' and `second`."""

    def cell(r0: int, r1: int, c: int, text: str) -> Cell:
        words = [
            Word(w, 100 * c + 10 + 20 * k, 30 * r0 + 5, 100 * c + 28 + 20 * k, 30 * r0 + 17)
            for k, w in enumerate(text.split())
        ]
        return Cell(r0, r1, c, c + 1, words)

    cells = [cell(0, 1, c, text) for c, text in enumerate(["", "Monday", "Tuesday", "Wednesday"])]
    for p, (time, subjects) in enumerate(
        [("7:15 - 8:15", ["Math 8", "English 8", "BioTech"]), ("8:15 - 9:15", ["ICT II", "AP 8", "ESP 8"])]
    ):
        r = 1 + 2 * p
        cells.append(cell(r, r + 2, 0, time))
        cells += [cell(r, r + 1, c + 1, s) for c, s in enumerate(subjects)]
        cells += [cell(r + 1, r + 2, c + 1, s) for c, s in enumerate(second)]
    return Table(5, 4, cells)


def test_a_row_of_teachers_under_the_subjects_is_no_lesson() -> None:
    blocks, _, _ = interpret_table(_two_row_periods(["K. Viray", "L. Palon", "M. Santos"]))
    got = {(b.day, b.start_time, b.end_time, b.name, b.notes) for b in blocks}
    assert ("Monday", "07:15", "08:15", "Math 8", "K. Viray") in got
    assert ("Wednesday", "08:15", "09:15", "ESP 8", "M. Santos") in got
    assert len(got) == 6


def test_a_second_row_of_lessons_in_one_period_stays_lessons() -> None:
    """Two groups' lessons in one period (no people in the second row) are both read."""
    blocks, _, _ = interpret_table(_two_row_periods(["Art", "Music", "Drama"]))
    names = {(b.day, b.start_time, b.name) for b in blocks}
    assert ("Monday", "07:15", "Art") in names
    assert ("Monday", "07:15", "Math 8") in names
