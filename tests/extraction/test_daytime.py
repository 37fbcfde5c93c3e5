"""The one module for day and time names (core/extraction/daytime.py), and each reader that was
moved onto it still reading what it read, plus the forms real timetables print."""

from __future__ import annotations

import pytest

from core.extraction import calendar_view, columns, legend, lines, listing, records, table
from core.extraction.axis_repair import repair_axis
from core.extraction.daytime import (
    DAYS,
    alone_time,
    day_index,
    day_name,
    find_range,
    header_days,
    next_day,
    normalize_time,
    order_axis,
    parse_time,
    read_day,
    start_hours,
    week_order,
)
from core.extraction.grid import Cell, Table
from core.extraction.model import Word

# ---------------------------------------------------------------- days

DAY_CASES = [
    ("Monday", 0), ("MONDAY", 0), ("Mon", 0), ("Mon.", 0), ("MON|", 0), ("T.U.E", 1), ("Tue.", 1),
    ("TUES", 1), ("Tues", 1), ("Wed", 2), ("WEDS", 2), ("THUR", 3), ("Thurs", 3), ("Fri", 4),
    ("Saturday", 5), ("SUN", 6),
    # OCR slips: l/I/1 for i, 0 for o, rn for m, a last letter wrong.
    ("Frlday", 4), ("FR1DAY", 4), ("M0NDAY", 0), ("rnonday", 0), ("Wednesdav", 2), ("Thursdey", 3),
    ("Fr1", 4), ("Sunday|", 6),
    # A week label or a date after the day.
    ("Mon A", 0), ("Monday 1", 0), ("Wednesday Week 2", 2), ("Thu (B)", 3), ("Wed 4th Sep", 2),
    ("Monday, 2 September", 0), ("Tue 03/09", 1), ("Fri 12.09.2024", 4),
    # Malay, a table of names rather than a language per document.
    ("Isnin", 0), ("SELASA", 1), ("Rabu", 2), ("Khamis", 3), ("Jumaat", 4), ("Sabtu", 5), ("Ahad", 6),
    # Not days.
    ("Maths", None), ("Mo", None), ("Th", None), ("Week A", None), ("Monday Maths Room 4", None), ("", None),
]  # fmt: skip


@pytest.mark.parametrize(("text", "want"), DAY_CASES)
def test_day_index(text: str, want: int | None) -> None:
    assert day_index(text) == want


@pytest.mark.parametrize(
    ("text", "want"),
    [("Mo", 0), ("Tu", 1), ("We", 2), ("Th", 3), ("Fr", 4), ("Sa", 5), ("Su", 6), ("Mo.", 0), ("Xy", None)],
)
def test_two_letter_days_only_when_allowed(text: str, want: int | None) -> None:
    assert day_index(text) is None
    assert day_index(text, allow_short=True) == want


@pytest.mark.parametrize(
    ("text", "week"),
    [("Mon A", "A"), ("Monday 1", "1"), ("Tue Week B", "B"), ("Wed", None), ("Wed 4th Sep", None)],
)
def test_week_label_kept(text: str, week: str | None) -> None:
    d = read_day(text)
    assert d is not None and d.week == week


def test_day_name_and_cycle() -> None:
    assert day_name("tu") == "Tuesday" and day_name("xx") is None
    assert next_day(6) == 0 and next_day(0, -1) == 6 and next_day(5, 2) == 0
    assert week_order([5, 6, 0, 1]) == [0, 1, 2, 3]  # a week starting Saturday runs forwards
    assert week_order([6, 0, 1, 2, 3]) == [0, 1, 2, 3, 4]  # ...or Sunday
    assert week_order([0, 2, 1]) is None


def test_header_days_short_names_need_a_run() -> None:
    assert header_days(["", "Mo", "Tu", "We", "Th", "Fr"]) == [None, 0, 1, 2, 3, 4]
    assert header_days(["Time", "Su", "Mo", "Tu"]) == [None, 6, 0, 1]
    # "We" and "Th" alone, or out of order, stay words.
    assert header_days(["We", "Th"]) == [None, None]
    assert header_days(["Th", "Mo", "We"]) == [None, None, None]
    assert header_days(["Mon", "Tue", "Wed"]) == [0, 1, 2]


def test_header_days_capital_initials_run_as_a_week() -> None:
    # "T" and "S" are Tuesday and Saturday, or Thursday and Sunday after them; "TH" may stand beside.
    assert header_days(["Time:", "M", "T", "W", "TH", "F"]) == [None, 0, 1, 2, 3, 4]
    assert header_days(["M", "T", "W", "T", "F", "S"]) == [0, 1, 2, 3, 4, 5]
    assert header_days(["M", "T", "W", "R", "F"]) == [0, 1, 2, 3, 4]
    # One initial lost by OCR still leaves a week.
    assert header_days(["Time:", "M", "W", "TH", "F"]) == [None, 0, 2, 3, 4]
    # Letters that are no week: sets beside a room, a gap of two days, initials out of order.
    assert header_days(["Room", "B", "C", "D", "F"]) == [None] * 5
    assert header_days(["M", "W", "F"]) == [None, None, None]
    assert header_days(["F", "M", "W"]) == [None, None, None]


# ---------------------------------------------------------------- times

TIME_CASES = [
    ("8:30", "08:30"), ("08.30", "08:30"), ("9.00am", "09:00"), ("8:30 AM", "08:30"), ("8:30 a.m.", "08:30"),
    ("1:30 pm", "13:30"), ("12:15 p.m.", "12:15"), ("8h30", "08:30"), ("10;:25", "10:25"), ("1:30", "13:30"),
    ("13:05", "13:05"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "want"), TIME_CASES)
def test_parse_time(text: str, want: str) -> None:
    assert parse_time(text) == want


RANGE_CASES = [
    ("8.50 – 9.00", ("08:50", "09:00")),
    ("8:50-9:00", ("08:50", "09:00")),
    ("8:30 to 9:15", ("08:30", "09:15")),
    ("08:35 –\n09:00", ("08:35", "09:00")),
    ("08:35 - 09:00", ("08:35", "09:00")),
    ("9.00am-9.45am", ("09:00", "09:45")),
    ("8:30 a.m. – 9:15 a.m.", ("08:30", "09:15")),
    ("11:30 - 12:15pm", ("11:30", "12:15")),
    ("8h30-9h15", ("08:30", "09:15")),
    ("0830-0915", ("08:30", "09:15")),
    ("11:30 - 1:00", ("11:30", "13:00")),
    ("10:15 10:35", ("10:15", "10:35")),
    ("08 40 — 09 20", ("08:40", "09:20")),
    ("8:30 —— 9:15", ("08:30", "09:15")),
]  # fmt: skip


@pytest.mark.parametrize(("text", "want"), RANGE_CASES)
def test_find_range(text: str, want: tuple[str, str]) -> None:
    got = find_range(text)
    assert got is not None and got[:2] == want


@pytest.mark.parametrize("text", ["2022-2023", "Room 12 30", "Maths", "Period 3"])
def test_no_range(text: str) -> None:
    assert find_range(text) is None


@pytest.mark.parametrize(
    ("text", "want"),
    [("8:30", (8, 30, None)), ("9 AM", (9, 0, "am")), ("9am", (9, 0, "am")), ("08.30 a.m.", (8, 30, "am")),
     ("0830", (8, 30, None)), ("8h30", (8, 30, None)), ("9", None), ("Maths", None), ("25:00", None)],
)  # fmt: skip
def test_alone_time(text: str, want: tuple[int, int, str | None] | None) -> None:
    t = alone_time(text)
    assert (None if t is None else (t.hour, t.minute, t.suffix)) == want


def test_normalize_time() -> None:
    assert normalize_time("0830") == "08:30" and normalize_time("1:30 pm") == "13:30"
    assert normalize_time("1:30") == "01:30"  # as printed: no afternoon guess


def test_start_hours_and_axis_order() -> None:
    assert start_hours(["8", "9", "10", "11", "12", "1", "2"]) == [h * 60 for h in range(8, 15)]
    assert start_hours(["1", "2", "3", "4"]) is None  # period numbers
    assert start_hours(["9", "11", "12"]) is None  # not hour by hour
    assert order_axis([8 * 60, 12 * 60 + 40, 1 * 60 + 30]) == [480, 760, 810]  # 1:30 after 12:40 is 13:30
    assert order_axis([9 * 60, 8 * 60]) is None


# ---------------------------------------------------------------- the readers moved onto it


def _table(rows: list[list[str]]) -> Table:
    """A ruled table, one cell per string; a string's lines ("\\n") are stacked words."""
    cells = []
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            words = [
                Word(
                    w,
                    100 * c + 10 + 20 * k,
                    60 * r + 10 + 15 * i,
                    100 * c + 28 + 20 * k,
                    60 * r + 22 + 15 * i,
                )
                for i, line in enumerate(text.split("\n"))
                for k, w in enumerate(line.split())
            ]
            cells.append(Cell(r, r + 1, c, c + 1, words))
    return Table(len(rows), max(map(len, rows)), cells)


def _lessons(rows: list[list[str]]) -> set[tuple[str, str, str, str]]:
    blocks, _, _ = table.interpret_table(_table(rows))
    return {(b.day, b.start_time, b.end_time, b.name) for b in blocks}


def test_table_reads_what_it_read() -> None:
    got = _lessons(
        [["Time", "Monday", "Tuesday"], ["8:30-9:20", "Maths", "Art"], ["9:20-10:10", "PE", "Music"]]
    )
    assert got == {
        ("Monday", "08:30", "09:20", "Maths"), ("Tuesday", "08:30", "09:20", "Art"),
        ("Monday", "09:20", "10:10", "PE"), ("Tuesday", "09:20", "10:10", "Music"),
    }  # fmt: skip


def test_table_two_letter_days_and_a_saturday_first_week() -> None:
    got = _lessons(
        [["", "Sa", "Su", "Mo"], ["08.30 - 09.20", "Maths", "Art", "PE"], ["09.20 - 10.10", "X", "Y", "Z"]]
    )
    assert got == {
        ("Saturday", "08:30", "09:20", "Maths"), ("Sunday", "08:30", "09:20", "Art"),
        ("Monday", "08:30", "09:20", "PE"), ("Saturday", "09:20", "10:10", "X"),
        ("Sunday", "09:20", "10:10", "Y"), ("Monday", "09:20", "10:10", "Z"),
    }  # fmt: skip


def test_table_misread_day_after_sunday_is_monday() -> None:
    # The neighbour rule works round the week: "MQN" after "SUN" is Monday.
    got = _lessons([["", "SAT", "SUN", "MQN"], ["8:30-9:20", "A", "B", "C"], ["9:20-10:10", "D", "E", "F"]])
    assert ("Monday", "08:30", "09:20", "C") in got


def test_table_range_split_over_two_lines_and_week_labels() -> None:
    got = _lessons(
        [["", "Mon A", "Tue A"], ["08:35 –\n09:00", "Maths", "Art"], ["09:00 –\n09:45", "PE", "Music"]]
    )
    assert got == {
        ("Monday", "08:35", "09:00", "Maths"), ("Tuesday", "08:35", "09:00", "Art"),
        ("Monday", "09:00", "09:45", "PE"), ("Tuesday", "09:00", "09:45", "Music"),
    }  # fmt: skip


def test_table_start_times_only() -> None:
    got = _lessons(
        [
            ["", "Monday", "Tuesday"],
            ["8:30", "A", "x"],
            ["9:20", "B", "x"],
            ["10:10", "C", "x"],
            ["11:00", "D", "x"],
        ]
    )
    assert ("Monday", "08:30", "09:20", "A") in got and ("Monday", "10:10", "11:00", "C") in got


def test_table_start_hours_only() -> None:
    got = _lessons(
        [
            ["", "Monday", "Tuesday"],
            ["9", "A", "x"],
            ["10", "B", "x"],
            ["11", "C", "x"],
            ["12", "D", "x"],
            ["1", "E", "x"],
        ]
    )
    assert {("Monday", "09:00", "10:00", "A"), ("Monday", "12:00", "13:00", "D")} <= got


def test_table_period_numbers_are_no_hours() -> None:
    got = _lessons(
        [["", "Monday", "Tuesday"], ["1", "A", "x"], ["2", "B", "x"], ["3", "C", "x"], ["4", "D", "x"]]
    )
    assert got == set()


def test_records_single_time_cells() -> None:
    assert [records._cell_time(t) for t in ("08:30", "8.30 am", "0830", "1:30 pm", "Room 12", "830")] == [
        "08:30", "08:30", "08:30", "13:30", None, "08:30",
    ]  # fmt: skip
    assert records._cell_day("Monday (odd weeks)") == 0 and records._cell_day("Tue.") == 1


def test_calendar_labels_and_a_sunday_first_week() -> None:
    assert calendar_view._label_minutes("9:00 AM") == (9, 0, "am")
    assert calendar_view._label_minutes("9 AM") == (9, 0, "am")
    assert calendar_view._label_minutes("09:00") == (9, 0, None)
    # A bare number is an hour only where the axis reads as school hours (`_axis_labels`).
    assert calendar_view._label_minutes("9") == (9, 0, "bare")
    assert calendar_view._label_minutes("Maths") is None
    # Mon-first as before; a Sunday-first week fills its missed Tuesday too.
    assert calendar_view._fill_days([(0, 0), (100, 1), (300, 3)]) == [(0, 0), (100, 1), (200, 2), (300, 3)]
    assert calendar_view._fill_days([(0, 6), (100, 0), (300, 2)]) == [(0, 6), (100, 0), (200, 1), (300, 2)]


def test_listing_day_headings() -> None:
    headings = ("Monday", "Wed 4th Sep", "Monday, 2 September", "Tue 03/09")
    assert [listing._heading_day(t) for t in headings] == [(0,), (2,), (0,), (1,)]  # days of a heading
    assert listing._heading_day("Maths 08:30") is None


def test_lines_keep_a_range_whose_dash_was_lost() -> None:
    assert lines._joins_time("10:35", "11:20") and lines._joins_time("8h30", "-")
    assert not lines._joins_time("Maths", "11:20")


def test_legend_p_labels_read_through_look_alikes() -> None:
    assert [legend._grid_label(t) for t in ("P1", "Pl", "PS", "P.O8", "II", "Maths")] == [1, 1, 5, 8, 2, None]


def test_axis_repair_still_reads_look_alike_digits() -> None:
    got = repair_axis([("08:00", "08:45"), "O8.45 O9.30", ("09:30", "10:15"), ("10:15", "11:00")])
    assert got[1] == ("08:45", "09:30")


def test_columns_fill_a_missed_day_round_the_week() -> None:
    from core.extraction.lines import Line

    def frag(text: str, x: float) -> Line:
        return Line([Word(text, x, 0, x + 40, 12)])

    sat, sun, mon = frag("Saturday", 0), frag("row,", 100), frag("Monday", 200)
    out = columns._fill_missing_days([sat, mon], [sat, sun, mon], 12)
    assert [day_index(f.text) for f in out] == [5, 6, 0] and DAYS[6] == "Sunday"


def test_header_lines_with_a_clock_are_no_person_and_no_year() -> None:
    from core.extraction import header
    from core.extraction.daytime import has_clock

    assert has_clock("Period 1 8:30") and has_clock("10.15") and not has_clock("Class 10 B 2023")
    assert header._looks_like_person("Mr J. Smith") and not header._looks_like_person("Timetable - 8:30")


# ---------------------------------------------------------------- moved here from the readers


@pytest.mark.parametrize(
    ("text", "day", "expected"),
    [("MIN", 0, True), ("TWE", 1, True), ("Wednesdy", 2, True), ("Maths", 1, False), ("x", 0, False),
     ("TWE", 3, False), ("a very long heading", 0, False)],
)  # fmt: skip
def test_a_misread_heading_resembles_its_day(text: str, day: int, expected: bool) -> None:
    from core.extraction.daytime import resembles_day

    assert resembles_day(text, day) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("9:05", "09:05"), ("09.05", "09:05"), ("0905", "09:05"), ("9h05", "09:05"), (" 13:40 ", "13:40"),
     ("9:05 am", None), ("25:00", None), ("12:60", None), ("nine", None), (None, None)],
)  # fmt: skip
def test_a_24_hour_clock_is_read_and_nothing_is_guessed(text: object, expected: str | None) -> None:
    from core.extraction.daytime import clock_24h
    from plugins.llm_claude.answer import hhmm

    assert clock_24h(text) == expected
    assert hhmm(text) == expected  # the LLM answer's reading is this one
