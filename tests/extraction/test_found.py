"""What a page that gave no lessons showed, in words a teacher reads, and whether it plainly holds a
table (checked by a person) or not (a letter: not a timetable)."""

from __future__ import annotations

from core.extraction.found import Found, find
from tests.extraction.test_table_like import _page


def test_a_table_of_days_and_times_is_described_and_its_periods_offered() -> None:
    rows = [["Time", "Monday", "Tuesday", "Wednesday"]] + [
        [f"{h}:00 - {h}:45", "Chimie", "Dessin", "Solfege"] for h in range(8, 12)
    ]
    found = find([_page(rows, 160)])
    assert found.plainly_a_table()
    assert found.describe() == "a table with 5 rows and 4 columns, the days Monday–Wednesday and 4 times"
    assert found.periods == [(f"{h:02d}:00", f"{h:02d}:45") for h in range(8, 12)]


def test_start_times_alone_make_periods_that_end_when_the_next_begins() -> None:
    rows = [["Day", "8:30", "9:20", "10:10"], ["Mon", "Maths", "Art", "PE"], ["Tue", "Music", "Art", "PE"]]
    found = find([_page(rows, 160)])
    assert found.days == ["Monday", "Tuesday"] and found.times == 3
    assert found.periods == [("08:30", "09:20"), ("09:20", "10:10")]


def test_a_letter_naming_a_day_and_a_time_holds_no_table() -> None:
    lines = [
        ["Dear parents, the gates open at 8:15 on Monday and close at 15:30."],
        ["Please bring a coat and a water bottle every day of the week."],
        ["With best wishes, the Head Teacher"],
    ]
    found = find([_page(lines, 160)])
    assert found.days == ["Monday"] and found.rows == 0
    assert not found.plainly_a_table()


def test_day_names_with_times_are_a_timetable_even_without_columns() -> None:
    assert Found(days=["Monday", "Friday"], times=4).plainly_a_table()
    assert Found(days=["Monday", "Wednesday", "Friday"]).describe() == "the days Monday, Wednesday and Friday"
    assert Found().describe() is None
