"""The CSV export opens in a spreadsheet as one row per lesson, and cannot run formulas there."""

from __future__ import annotations

import csv
import io

from core.calendar.spreadsheet import HEADER, build_csv, safe_cell

BLOCKS = [
    {
        "day": "Monday",
        "start_time": "09:00",
        "end_time": "10:00",
        "name": "Maths, set 1",
        "notes": 'Bring "Book 2"\nand a ruler',
        "confidence": 0.987,
        "page": 1,
    },
    {
        "day": "Tuesday",
        "start_time": "10:00",
        "end_time": "11:00",
        "name": '=HYPERLINK("http://evil.test","click")',
        "notes": "+44 20 7946 0000",
        "confidence": None,
        "page": 2,
    },
    {
        "day": "Friday",
        "start_time": "14:00",
        "end_time": "15:00",
        "name": "@SUM(A1:A9)",
        "notes": "-2 minutes late",
        "confidence": 0.5,
        "page": None,
    },
]


def rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_one_row_per_lesson_with_quoting_that_round_trips() -> None:
    data = build_csv(BLOCKS)
    parsed = rows(data)
    assert parsed[0] == list(HEADER)
    assert parsed[1] == [
        "Monday",
        "09:00",
        "10:00",
        "Maths, set 1",
        'Bring "Book 2"\nand a ruler',
        "0.99",
        "1",
    ]
    assert len(parsed) == 4
    assert data.count(b"\r\n") >= 4  # RFC 4180 line ends
    assert b'"Bring ""Book 2""\nand a ruler"' in data  # quotes doubled inside a quoted field


def test_cells_that_a_spreadsheet_would_run_as_formulas_get_an_apostrophe() -> None:
    parsed = rows(build_csv(BLOCKS))
    assert parsed[2][3] == '\'=HYPERLINK("http://evil.test","click")'
    assert parsed[2][4] == "'+44 20 7946 0000"
    assert parsed[2][5] == ""  # no confidence recorded
    assert parsed[3][3] == "'@SUM(A1:A9)" and parsed[3][4] == "'-2 minutes late" and parsed[3][6] == "1"
    assert safe_cell("Maths") == "Maths" and safe_cell("\t=1") == "'\t=1"
