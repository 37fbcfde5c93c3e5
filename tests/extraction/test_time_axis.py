"""The time axis found wherever and however a grid prints it (issue 16): over two lines, split
into a start row and an end row, several time columns, period labels beside the times, am/pm and
"to", and labels whose digits OCR misread."""

from __future__ import annotations

from core.extraction.confidence import DOUBT_CAP, confidence
from core.extraction.grid import Cell, Table
from core.extraction.model import DraftBlock, DraftTimetable, Word
from core.extraction.table import interpret_table
from core.extraction.time_axis import mostly_misread, out_of_order, split_range

SUBJECTS = ["Maths", "English", "Art", "Music"]
PERIODS = [("8:30", "9:15"), ("9:15", "10:00"), ("10:00", "10:45"), ("10:45", "11:30")]
EXPECTED_TIMES = [("08:30", "09:15"), ("09:15", "10:00"), ("10:00", "10:45"), ("10:45", "11:30")]


def _cell(r: int, c: int, text: str) -> Cell:
    """A one-by-one cell; "\n" starts a new line of it."""
    words = [
        Word(t, 100.0 * c + 12 * i, 30.0 * r + 9 * k, 100.0 * c + 12 * i + 10, 30.0 * r + 9 * k + 7)
        for k, line in enumerate(text.split("\n"))
        for i, t in enumerate(line.split())
    ]
    return Cell(r, r + 1, c, c + 1, words)


def _grid(rows: list[list[str]]) -> Table:
    cells = [_cell(r, c, x) for r, row in enumerate(rows) for c, x in enumerate(row) if x]
    return Table(len(rows), max(len(row) for row in rows), cells)


def _read(rows: list[list[str]]) -> set[tuple[str, str, str, str]]:
    blocks, _, _ = interpret_table(_grid(rows))
    return {(b.day, b.start_time, b.end_time, b.name) for b in blocks}


def _days_rows(*axis: list[str]) -> list[list[str]]:
    """Days as rows under one or more header rows of the period axis."""
    rows = [[""] + list(a) for a in axis]
    return rows + [["Mon"] + SUBJECTS, ["Tue"] + SUBJECTS[::-1]]


def _expected() -> set[tuple[str, str, str, str]]:
    out = {("Monday", s, e, n) for (s, e), n in zip(EXPECTED_TIMES, SUBJECTS, strict=True)}
    return out | {("Tuesday", s, e, n) for (s, e), n in zip(EXPECTED_TIMES, SUBJECTS[::-1], strict=True)}


def test_period_times_over_two_lines_in_one_header_cell() -> None:
    assert _read(_days_rows([f"{s} –\n{e}" for s, e in PERIODS])) == _expected()


def test_header_split_into_a_start_row_and_an_end_row_gives_whole_periods() -> None:
    # A rule-less header wrapped over two lines reads as two rows: "08:35 –" above "09:00". Read as
    # start times only, every lesson would take the next period's time.
    for dash in ("–", "-", "to"):
        assert _read(_days_rows([f"{s} {dash}" for s, _ in PERIODS], [e for _, e in PERIODS])) == _expected()


def test_start_row_and_end_row_keep_the_last_period() -> None:
    assert _read(_days_rows([s for s, _ in PERIODS], [e for _, e in PERIODS])) == _expected()


def test_period_numbers_in_one_row_and_times_in_the_next() -> None:
    for labels in (["I", "II", "III", "IV"], ["1", "2", "3", "4"], ["A", "B", "C", "D"]):
        assert _read(_days_rows(labels, [f"{s}-{e}" for s, e in PERIODS])) == _expected()
        assert (
            _read(_days_rows(labels, [f"{s} -" for s, _ in PERIODS], [e for _, e in PERIODS])) == _expected()
        )


def test_am_pm_and_to_formats() -> None:
    for fmt in ("{s}am – {e}am", "{s} AM to {e} AM", "{s} AM to\n{e} AM"):
        labels = [fmt.format(s=s.replace(":", "."), e=e.replace(":", ".")) for s, e in PERIODS]
        assert _read(_days_rows(labels)) == _expected()


def test_three_time_columns_each_before_its_days() -> None:
    rows = [["Time", "Mon", "Tue", "Time", "Wed", "Thu", "Time", "Fri"]]
    for i, (s, e) in enumerate(PERIODS):
        label = f"{s} –\n{e}"
        rows.append([label, SUBJECTS[i], "", label, "", SUBJECTS[i], label, SUBJECTS[i]])
    got = _read(rows)
    assert got == {
        (day, s, e, n)
        for day in ("Monday", "Thursday", "Friday")
        for (s, e), n in zip(EXPECTED_TIMES, SUBJECTS, strict=True)
    }


def test_labels_ocr_cut_short_are_read_from_the_axis_order() -> None:
    # A narrow time column whose leading "1" OCR lost: "0:15am" is no time and "1:35am 2:15pm"
    # a clean but impossible one (01:35 to 14:15); the axis around them says what they were.
    labels = ["7:45am 8:40am", "8:40am 9:40am", "9:40am 0:15am", "0:15am 0:40am", "0:40am 1:35am",
              "1:35am 2:15pm", "2:15pm 1:15pm", "1:15pm 2:00pm"]  # fmt: skip
    rows = [["Time", "Mon", "Tue"]] + [[lab, f"S{i}", f"T{i}"] for i, lab in enumerate(labels)]
    got = sorted((s, e) for d, s, e, _ in _read(rows) if d == "Monday")
    assert got == [
        ("07:45", "08:40"), ("08:40", "09:40"), ("09:40", "10:15"), ("10:15", "10:40"),
        ("10:40", "11:35"), ("11:35", "12:15"), ("12:15", "13:15"), ("13:15", "14:00"),
    ]  # fmt: skip


def test_out_of_order_finds_the_misread_period() -> None:
    times = {1: ("08:00", "08:45"), 2: ("08:45", "09:30"), 3: ("19:30", "10:15"), 4: ("10:15", "11:00")}
    assert out_of_order(times) == {3}  # ends before it starts
    times[2] = ("21:30", "22:15")  # plausible alone ("11:30" misread), out of order with the rest
    times[3] = ("09:30", "10:15")
    assert out_of_order(times) == {2}
    # Two periods against two: no axis the others make, nothing thrown out.
    assert out_of_order({1: ("08:00", "09:00"), 2: ("13:00", "14:00"), 3: ("09:00", "10:00")}) == set()


def test_an_axis_mostly_misread_is_doubted_not_believed() -> None:
    """A blurred copy whose labels OCR read as "09:20 20:20", "10:30 21:20", "12:20 12:10": most are
    no period. They are thrown out to be read again, never taken at their word (lessons at impossible
    times), and the axis rebuilt around the one good label is doubted: confidence stays below accept."""
    times = {1: ("08:30", "09:20"), 2: ("09:20", "20:20"), 3: ("10:30", "21:20"), 4: ("12:20", "12:10")}
    assert mostly_misread(times) and out_of_order(times) == {2, 3, 4}
    assert not mostly_misread({1: ("08:30", "09:20"), 2: ("09:20", "10:10"), 3: ("10:30", "21:20")})
    labels = ["08:30 - 09:20", "09:20 20:20", "10:30 21:20", "12:20 - 12:10"]
    rows = [["", "Mon", "Tue"]] + [
        [t, n, m] for t, n, m in zip(labels, SUBJECTS, SUBJECTS[::-1], strict=True)
    ]
    blocks, _, stats = interpret_table(_grid(rows))
    assert blocks and stats["axis_misread"] == 1.0
    assert all(b.start_time < b.end_time <= "12:30" for b in blocks), blocks
    assert ("Monday", "08:30", "09:20", "Maths") in {
        (b.day, b.start_time, b.end_time, b.name) for b in blocks
    }
    week = [DraftBlock(day=d, start_time=s, end_time=e, name=n) for d in ("Monday", "Tuesday", "Wednesday")
            for (s, e), n in zip(EXPECTED_TIMES, SUBJECTS, strict=True)]  # fmt: skip
    sure = {"coverage": 1.0, "rows_timed": 1.0}
    assert confidence(DraftTimetable(blocks=week, stats=sure)) > DOUBT_CAP
    assert confidence(DraftTimetable(blocks=week, stats={**sure, "axis_misread": 1.0})) <= DOUBT_CAP


def test_split_range_reads_only_lone_times() -> None:
    assert split_range(["08:35 –", "09:00"]) == ("08:35", "09:00")
    assert split_range(["II", "11:30 to", "12:15pm"]) == ("11:30", "12:15")
    assert split_range(["Room 12", "30"]) is None
    assert split_range(["1", "2"]) is None  # period numbers are no times
    assert split_range(["09:00", "08:35"]) is None  # backwards: not one period


def test_header_of_start_hours_only() -> None:
    # "11" "12" "1" "2": hours on a 12-hour clock; each period ends where the next starts, the last
    # one's end is not printed and its lessons are left out, not guessed.
    got = _read(_days_rows(["11", "12", "1", "2"]))
    assert ("Monday", "11:00", "12:00", "Maths") in got
    assert ("Monday", "13:00", "14:00", "Art") in got
    assert not any(s == "14:00" for _, s, _, _ in got)


def test_misread_label_at_a_tie_is_read_from_its_neighbours() -> None:
    # "121:05-11:55" reads 21:05-23:55: as long a run with the rows before it as the true 11:05, so
    # only its neighbours, in order with each other, show it does not belong.
    labels = ["Period 1 8:30-9:15", "Period 2 9:15-10:10", "Period 3 10:10-10:50", "10:50-11:05",
              "Period 4 121:05-11:55", "Period 5 11:55-12:50"]  # fmt: skip
    rows = [["Time", "Mon", "Tue"]] + [[lab, f"S{i}", f"T{i}"] for i, lab in enumerate(labels)]
    assert not any(s >= "13:00" for _, s, _, _ in _read(rows))


def test_a_column_among_the_days_that_no_heading_names_is_not_read_as_whole() -> None:
    """OCR lost "Tu" between "Mo" and "We": the column's lessons are left out, and the reading's
    coverage says so (confidence stays below accept) rather than the week looking whole."""
    times = [f"{s} - {e}" for s, e in PERIODS]
    rows = [["", "Mo", "", "We", "Th"]] + [[t, n, n, n, n] for t, n in zip(times, SUBJECTS, strict=True)]
    blocks, _, stats = interpret_table(_grid(rows))
    assert {b.day for b in blocks} == {"Monday", "Wednesday", "Thursday"}
    assert stats["cells"] == stats["cells_used"] + len(SUBJECTS)
