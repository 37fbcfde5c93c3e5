"""A grid inside a frame (a PDF viewer's page edge, a printed border) that a rule crossing both
joins to the grid: the frame is a ring of margin around the cells, not one cell covering them.
Also codes OCR misread by one character that is a usual confusion. Pages are built in code."""

from __future__ import annotations

from core.extraction.grid import ruled_table
from core.extraction.interpret import interpret_pages
from core.extraction.model import Page, Rule, Word
from core.extraction.spelling import correct_codes

LH = 16.0
HEADER = ["", "8:30 - 9:30", "9:30 - 10:30", "10:30 - 11:30"]
ROWS = [["Mon", "Maths", "Art", "PE"], ["Tue", "Music", "Drama", "Latin"], ["Wed", "Latin", "PE", "Art"]]


def _framed_page() -> Page:
    """A 4x4 grid at (60, 80) inside a frame 20 px from the page's edges, the grid's bottom rule
    running on to the frame's sides (a viewer's toolbar edge drawn across both)."""
    cw, rh, gx, gy = 200.0, 60.0, 60.0, 80.0
    words = [Word("Timetable", 300, 40, 300 + 14 * 9, 40 + LH, 0.95)]
    for r, row in enumerate([HEADER, *ROWS]):
        for c, text in enumerate(row):
            x, y = gx + c * cw + 12, gy + r * rh + 20
            for token in text.split():
                words.append(Word(token, x, y, x + 12 * len(token), y + LH, 0.95))
                x += 12 * len(token) + 8
    bottom = gy + (len(ROWS) + 1) * rh
    rules = [Rule(gx, gy + r * rh, gx + 4 * cw, gy + r * rh) for r in range(len(ROWS) + 1)]
    rules.append(Rule(20, bottom, gx + 4 * cw + 40, bottom))  # the bottom rule crosses the frame
    rules += [Rule(gx + c * cw, gy, gx + c * cw, bottom) for c in range(5)]
    width, height = gx + 4 * cw + 60, bottom + 60
    rules += [
        Rule(20, 20, width - 20, 20),
        Rule(20, 20, 20, height - 20),
        Rule(width - 20, 20, width - 20, height - 20),
    ]
    rules.append(Rule(20, height - 20, width - 20, height - 20))
    return Page(1, width, height, words, rules, source="tesseract")


def test_a_frame_joined_to_the_grid_is_no_cell_over_it() -> None:
    table = ruled_table(_framed_page())
    assert table is not None
    inner = table.owner(2, 2)  # a lesson's cell, inside the frame's ring
    assert inner is not None and inner.r1 - inner.r0 == 1 and inner.c1 - inner.c0 == 1
    got = {(b.day, b.start_time, b.end_time, b.name) for b in interpret_pages([_framed_page()]).blocks}
    assert ("Tuesday", "09:30", "10:30", "Drama") in got
    assert len(got) == 9


def test_a_code_misread_once_with_a_usual_confusion_takes_the_code_read_elsewhere() -> None:
    names = ["1CH2", "1CH2", "4CH2", "1EC2", "1EC2", "TEC2", "1CSC2", "1CSC2", "10SC2"]
    assert correct_codes(names) == ["1CH2", "1CH2", "1CH2", "1EC2", "1EC2", "1EC2", "1CSC2", "1CSC2", "1CSC2"]
