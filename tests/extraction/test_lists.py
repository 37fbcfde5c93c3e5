"""Timetables that are not one week grid: one-row-per-lesson lists whose day cell names several
days ("MWF", "TR"), side-by-side sub-tables of the same columns, bell schedules whose section
heading names a group of days ("Monday, Tuesday, Thursday, Friday"), lists printed side by side,
and Word tables whose long cell lines must stay in their cells. Pages are built in code."""

from __future__ import annotations

from pathlib import Path

from core.extract import extract_file
from core.extraction.daytime import day_codes, day_group
from core.extraction.interpret import interpret_pages
from core.extraction.listing import read_list
from core.extraction.model import Page, Word
from core.extraction.records import read_records
from core.extraction.table import no_class

CH = 6.0  # width of a character on the made-up pages
LH = 10.0  # height of a line


def _words(text: str, x: float, y: float) -> list[Word]:
    out = []
    for token in text.split():
        out.append(Word(token, x, y, x + len(token) * CH, y + LH))
        x += (len(token) + 1) * CH
    return out


def _page(rows: list[tuple[float, list[tuple[float, str]]]], source: str = "pdf_text") -> Page:
    """rows: (y, [(x, text of a cell)])."""
    words = [w for y, cells in rows for x, text in cells for w in _words(text, x, y)]
    return Page(1, 900, 900, words, [], [], source=source)


def _set(blocks: list) -> set[tuple[str, str, str, str]]:  # noqa: ANN001 (DraftBlock)
    return {(b.day, b.start_time, b.end_time, b.name) for b in blocks}


def test_day_codes_and_groups() -> None:
    assert day_codes("MWF") == [0, 2, 4]
    assert day_codes("TR") == [1, 3] and day_codes("TTh") == [1, 3]
    assert day_codes("MTWTF") == [0, 1, 2, 3, 4]  # the second T comes after Wednesday
    assert day_codes("TA") is None and day_codes("CS") is None and day_codes("Room") is None
    assert day_group("Monday, Tuesday, and Friday") == [0, 1, 4]
    assert day_group("(Tu, Th)") == [1, 3] and day_group("Mon/Wed") == [0, 2]
    assert day_group("Mon - Thu") == [0, 1, 2, 3]
    assert day_group("Monday, 2 September") == [0]  # a date, not a second day
    assert day_group("Monday Tuesday Wednesday") is None  # a grid's header row, not a group
    assert day_group("MWF") is None and day_group("MWF", codes=True) == [0, 2, 4]


def test_registration_list_with_day_codes() -> None:
    head = [(20, "CRN"), (90, "Title"), (300, "Time"), (460, "Days"), (540, "Location")]
    page = _page([
        (20, head),
        (50, [(20, "83538"), (90, "Computer Systems"), (300, "12:30 PM - 1:45 PM"), (460, "TR"),
              (540, "SURGE 104C")]),
        (80, [(20, "91816"), (90, "Cloud Software"), (300, "4:00 PM - 5:15 PM"), (460, "MW"),
              (540, "DDS 155")]),
        (110, [(20, "87467"), (90, "Intro Diff Equations"), (300, "12:20 PM - 1:10 PM"), (460, "MWF"),
               (540, "USLB 212")]),
    ])  # fmt: skip
    reading = read_records(page)
    assert reading is not None
    assert _set(reading.blocks) == {
        ("Tuesday", "12:30", "13:45", "Computer Systems"), ("Thursday", "12:30", "13:45", "Computer Systems"),
        ("Monday", "16:00", "17:15", "Cloud Software"), ("Wednesday", "16:00", "17:15", "Cloud Software"),
        ("Monday", "12:20", "13:10", "Intro Diff Equations"),
        ("Wednesday", "12:20", "13:10", "Intro Diff Equations"),
        ("Friday", "12:20", "13:10", "Intro Diff Equations"),
    }  # fmt: skip


def test_sub_tables_side_by_side_each_read() -> None:
    """Grade | Day | Time twice across (one per venue): the right table's rows are lessons too,
    and the grade is the name when no column says "subject"."""
    left, right = 20, 420
    page = _page([
        (0, [(left, "Nanasro"), (right, "Dehiwala")]),
        (20, [(left, "Grade"), (left + 100, "Day"), (left + 200, "Time"),
              (right, "Grade"), (right + 100, "Day"), (right + 200, "Time")]),
        (50, [(left, "Grade 06"), (left + 100, "Monday"), (left + 200, "5.30pm - 7.30pm"),
              (right, "Grade 10"), (right + 100, "Tuesday"), (right + 200, "6.30pm - 9.00pm")]),
        (80, [(left, "Grade 07"), (left + 100, "Monday"), (left + 200, "5.30pm - 7.30pm")]),
        (110, [(left, "Grade 10"), (left + 100, "Tuesday"), (left + 200, "6.30pm - 9.00pm")]),
    ])  # fmt: skip
    reading = read_records(page)
    assert reading is not None
    got = sorted((b.day, b.start_time, b.end_time, b.name, b.notes) for b in reading.blocks)
    assert got == sorted([
        ("Monday", "17:30", "19:30", "Grade 06", "Nanasro"),
        ("Monday", "17:30", "19:30", "Grade 07", "Nanasro"),
        ("Tuesday", "18:30", "21:00", "Grade 10", "Nanasro"),
        ("Tuesday", "18:30", "21:00", "Grade 10", "Dehiwala"),  # the venue tells the two apart
    ])  # fmt: skip


def test_bell_schedules_side_by_side_with_day_groups() -> None:
    left, right = 20, 480
    page = _page([
        (20, [(left, "Monday, Tuesday, Thursday, Friday"), (right, "Wednesday")]),
        (50, [(left, "Spell 1"), (left + 200, "9:00am - 10:00am"), (right, "Spell 1"),
              (right + 200, "8:40am - 9:30am")]),
        (80, [(left, "MORNING BREAK"), (left + 200, "10:00am - 10:30am"), (right, "Spell 2"),
              (right + 200, "9:35am - 10:25am")]),
        (110, [(left, "Spell 2"), (left + 200, "10:30am - 11:30am")]),
    ], source="image")  # fmt: skip
    blocks, _, _ = read_list(page.words)
    got = _set(blocks)
    for day in ("Monday", "Tuesday", "Thursday", "Friday"):
        assert {(day, "09:00", "10:00", "Spell 1"), (day, "10:00", "10:30", "MORNING BREAK"),
                (day, "10:30", "11:30", "Spell 2")} <= got  # fmt: skip
    assert {("Wednesday", "08:40", "09:30", "Spell 1"), ("Wednesday", "09:35", "10:25", "Spell 2")} <= got
    assert len(blocks) == 14


def test_stacked_day_labels_head_one_list() -> None:
    page = _page([
        (20, [(20, "Block Days:")]),
        (50, [(20, "Wednesday:"), (140, "(Periods 1, 3, 5)")]),
        (80, [(20, "Thursday:"), (140, "(Periods 2, 4, 6)")]),
        (110, [(20, "Period 1/2:"), (140, "7:25 - 9:17 AM")]),
        (140, [(20, "Conference:"), (140, "9:17 - 9:47 AM")]),
    ])  # fmt: skip
    blocks, _, _ = read_list(page.words)
    assert {(b.day, b.start_time) for b in blocks} == {
        ("Wednesday", "07:25"), ("Thursday", "07:25"), ("Wednesday", "09:17"), ("Thursday", "09:17"),
    }  # fmt: skip


def test_a_grid_header_row_is_not_a_day_group() -> None:
    page = _page([
        (20, [(100, "Monday"), (200, "Tuesday")]),
        (50, [(20, "9:00-10:00"), (100, "Maths"), (200, "English")]),
        (80, [(20, "10:00-11:00"), (100, "Science"), (200, "History")]),
    ])  # fmt: skip
    draft = interpret_pages([page])
    assert {(b.day, b.name) for b in draft.blocks} == {
        ("Monday", "Maths"), ("Tuesday", "English"), ("Monday", "Science"), ("Tuesday", "History"),
    }  # fmt: skip


def test_no_class_marks() -> None:
    assert no_class(["X"]) and no_class(["Free"]) and no_class(["--"])
    assert not no_class(["Free slot for seminars"]) and not no_class(["X", "Lab"])
    assert not no_class(["X"], letters_are_names=True) and no_class(["Free"], letters_are_names=True)


def test_docx_long_cell_lines_stay_in_their_cells(pm, registry, tmp_path: Path) -> None:  # noqa: ANN001
    from docx import Document

    doc = Document()
    rows = [
        ["Day / Time", "8:00 - 9:00", "9:00 - 10:00", "10:00 - 11:00"],
        ["Monday", "Database and Management Systems", "Principle Of Digital Communications", "X"],
        ["Tuesday", "Operating System", "Computer Organizational Architecture", "Free"],
    ]
    table = doc.add_table(rows=len(rows), cols=len(rows[0]))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    path = tmp_path / "wide.docx"
    doc.save(str(path))
    out = extract_file(path, pm, registry)
    got = {(b["day"], b["startTime"], b["name"]) for b in out["timeblocks"]}
    assert got == {
        ("Monday", "08:00", "Database and Management Systems"),
        ("Monday", "09:00", "Principle Of Digital Communications"),
        ("Tuesday", "08:00", "Operating System"),
        ("Tuesday", "09:00", "Computer Organizational Architecture"),
    }  # "X" and "Free" mark slots with no class


def test_period_numerals_over_start_times() -> None:
    """A header of Roman period numbers above start times ("I 8.30 am"): each period ends where
    the next starts; a cell that only marks no class gives no block."""
    from tests.extraction.test_daytime import _lessons

    got = _lessons([
        ["Period/ Day", "I\n8.30 am", "II\n9.30 am", "III\n10.30 am", "IV\n11.30 am"],
        ["Monday", "Maths", "X", "Physics", "Chemistry"],
        ["Tuesday", "Biology", "Maths", "", "Art"],
    ])  # fmt: skip
    assert got == {
        ("Monday", "08:30", "09:30", "Maths"), ("Monday", "10:30", "11:30", "Physics"),
        ("Tuesday", "08:30", "09:30", "Biology"), ("Tuesday", "09:30", "10:30", "Maths"),
    }  # fmt: skip


def test_cells_with_their_own_hours() -> None:
    """Each day keeps its own hours, printed in every cell under the subject: the cell's time is
    the lesson's, not the row's (a time column left empty, or read from one day)."""
    from tests.extraction.test_daytime import _lessons

    got = _lessons([
        ["Time", "Monday", "Tuesday"],
        ["7:30-9:20", "Chinese\n(7:30 - 9:20)", "Chinese\n(7:15 - 9:05)"],
        ["9:20-9:35", "Recess\n(9:20-9:35)", "Recess\n(9:05-9:20)"],
        ["9:35-10:30", "Math\n(9:35-10:30)", "Physics\n(9:20-10:15)"],
        ["10:30-11:25", "Art\n(10:30-11:25)", "Music\n(10:15-11:05)"],
    ])  # fmt: skip
    assert {("Tuesday", "07:15", "09:05", "Chinese"), ("Tuesday", "10:15", "11:05", "Music"),
            ("Monday", "09:35", "10:30", "Math")} <= got  # fmt: skip
    assert len(got) == 8


def test_three_letter_days_are_not_codes() -> None:
    assert day_group("THU", codes=True) == [3] and day_group("SAT", codes=True) == [5]


def test_each_day_with_its_own_time_column() -> None:
    """Day headings over a time column and a label column each (a bell schedule whose Wednesday
    keeps other hours): each day's times are its own, and no time cell is a lesson."""
    from core.extraction.grid import Cell, Table
    from core.extraction.table import interpret_table

    def cell(r: int, c0: int, c1: int, text: str) -> Cell:
        words = [Word(w, 200 * c0 + 10 + 40 * k, 60 * r + 10, 200 * c0 + 45 + 40 * k, 60 * r + 22)
                 for k, w in enumerate(text.split())]  # fmt: skip
        return Cell(r, r + 1, c0, c1, words)

    rows = [
        ("8:50 - 9:10", "Tutor", "8:15 - 9:00", "Staff"),
        ("9:10 - 10:10", "Period 1", "9:10 - 10:10", "Period 1"),
        ("10:10 - 11:10", "Period 2", "10:10 - 10:40", "Interval"),
        ("11:10 - 11:40", "Interval", "10:40 - 11:40", "Period 2"),
    ]
    cells = [cell(0, 0, 2, "MONDAY"), cell(0, 2, 4, "WEDNESDAY")]
    cells += [cell(r, c, c + 1, text) for r, row in enumerate(rows, 1) for c, text in enumerate(row)]
    blocks, _, _ = interpret_table(Table(5, 4, cells))
    assert _set(blocks) == {
        ("Monday", "08:50", "09:10", "Tutor"), ("Monday", "09:10", "10:10", "Period 1"),
        ("Monday", "10:10", "11:10", "Period 2"), ("Monday", "11:10", "11:40", "Interval"),
        ("Wednesday", "08:15", "09:00", "Staff"), ("Wednesday", "09:10", "10:10", "Period 1"),
        ("Wednesday", "10:10", "10:40", "Interval"), ("Wednesday", "10:40", "11:40", "Period 2"),
    }  # fmt: skip
