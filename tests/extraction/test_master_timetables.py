"""Master (class-wise) timetables: every class's lessons on one sheet, a block of rows per day (or
days numbered inside the cells). Pages are built in code: words in ruled cells."""

from __future__ import annotations

from core.extraction.cell_days import covers, day_specs
from core.extraction.confidence import confidence
from core.extraction.grid import ruled_tables
from core.extraction.interpret import interpret_pages
from core.extraction.master import _mended, master_reading
from core.extraction.model import DraftBlock, Page, Rule, Word
from core.extraction.subject_key import name_from_key
from core.extraction.validate import overlaps

CW, CH, CHAR, LH = 110.0, 60.0, 6.0, 10.0

# (row, col, rows spanned, cols spanned, text with "\n" between lines)
Spec = list[tuple[int, int, int, int, str]]


def page_of(spec: Spec, title: str = "SCHOOL MASTER TIMETABLE") -> Page:
    """A text page: each cell's lines centred in its ruled box, the title above the grid."""
    return pages_of([(spec, title)])


def pages_of(grids: list[tuple[Spec, str]]) -> Page:
    """Grids one under the other on one page (a Word file's), each under its title."""
    words: list[Word] = []
    rules: list[Rule] = []
    top = 0.0
    for spec, title in grids:
        w, r = _grid(spec, title, top)
        words += w
        rules += r
        top = max(rule.y1 for rule in r) + 40
    return Page(1, 60 + 12 * CW, top + 40, words, rules, [], source="pdf_text")


def _grid(spec: Spec, title: str, top_y: float) -> tuple[list[Word], list[Rule]]:
    x0, y0 = 30.0, top_y + 60.0
    words: list[Word] = []
    rules: list[Rule] = []
    for r, c, nr, nc, text in spec:
        a, b, cc, d = x0 + c * CW, y0 + r * CH, x0 + (c + nc) * CW, y0 + (r + nr) * CH
        rules += [Rule(a, b, cc, b), Rule(a, d, cc, d), Rule(a, b, a, d), Rule(cc, b, cc, d)]
        lines = [ln for ln in text.split("\n") if ln]
        top = (b + d) / 2 - len(lines) * LH / 2
        for i, line in enumerate(lines):
            x = (a + cc) / 2 - len(line) * CHAR / 2
            for token in line.split():
                words.append(Word(token, x, top + i * LH, x + len(token) * CHAR, top + (i + 1) * LH))
                x += (len(token) + 1) * CHAR
    x = x0
    for token in title.split():
        words.append(Word(token, x, top_y + 20, x + len(token) * CHAR, top_y + 20 + LH))
        x += (len(token) + 1) * CHAR
    return words, rules


TIMES = ["08:00-08:45", "08:45-09:30", "09:30-09:50", "09:50-10:35"]
CLASSES = ["6A", "7A", "8A"]
SUBJECTS = [["Maths", "English", "Science"], ["History", "Maths", "Art"], ["Music", "French", "Maths"]]


def class_rows(days: list[str], merged: bool = True) -> tuple[Spec, set[tuple[str, str, str, str, str]]]:
    """Day blocks of class rows, periods across with their times once at the top, a break column
    merged over each block."""
    spec: Spec = [(0, 0, 1, 1, "Day"), (0, 1, 1, 1, "Class")]
    spec += [(0, 2 + p, 1, 1, t) for p, t in enumerate(TIMES)]
    want = set()
    r = 1
    for day in days:
        n = len(CLASSES)
        spec.append((r, 0, n, 1, day) if merged else (r, 0, 1, 1, day))
        if not merged:
            spec += [(r + k, 0, 1, 1, "") for k in range(1, n)]
        spec.append((r, 4, n, 1, "BREAK"))
        want.add((day, "09:30", "09:50", "BREAK", ""))
        for k, cls in enumerate(CLASSES):
            spec.append((r + k, 1, 1, 1, cls))
            for j, p in enumerate((2, 3, 5)):
                name = SUBJECTS[k][j]
                spec.append((r + k, p, 1, 1, name))
                s, e = TIMES[p - 2].split("-")
                want.add((day, s, e, name, cls))
        r += n
    return spec, want


def _got(blocks: list[DraftBlock]) -> set[tuple[str, str, str, str, str]]:
    return {(b.day, b.start_time, b.end_time, b.name.upper() if b.name == "BREAK" else b.name,
             b.class_name or "") for b in blocks}  # fmt: skip


def test_day_blocks_of_class_rows_give_each_lesson_its_day_time_and_class() -> None:
    days = ["Monday", "Tuesday", "Wednesday"]
    spec, want = class_rows(days)
    reading = master_reading(ruled_tables(page_of(spec))[0])
    assert reading is not None and reading.layout == "master"
    assert _got(reading.blocks) == want
    # One break per day, not one per class: the merged cell is read once per day.
    assert sum(b.name == "BREAK" for b in reading.blocks) == len(days)


def test_a_day_label_printed_in_its_blocks_first_row_also_makes_a_block() -> None:
    spec, want = class_rows(["Monday", "Tuesday"], merged=False)
    reading = master_reading(ruled_tables(page_of(spec))[0])
    assert reading is not None and _got(reading.blocks) == want


def test_the_page_is_read_as_a_master_with_the_classes_on_the_lessons_and_not_accepted() -> None:
    spec, want = class_rows(["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"])
    draft = interpret_pages([page_of(spec)])
    assert draft.layout == "master" and draft.class_name is None
    assert _got(draft.blocks) == want
    assert any("master timetable of 3 classes" in p for p in draft.problems)
    # Many classes' weeks on one page are not one person's: a person picks the class.
    assert confidence(draft) < 0.98
    # Different classes' lessons side by side are no overlap to report.
    assert overlaps(draft.blocks) == []


def time_rows(starts_only: bool) -> tuple[Spec, set[tuple[str, str, str, str, str]]]:
    """Day blocks of period rows with a time column, a column per class; each day's label in the
    first row of its block, an empty row between blocks."""
    starts = ["9:00 AM", "10:00 AM", "11:00 AM"]
    spec: Spec = [(0, 0, 1, 1, ""), (0, 1, 1, 1, "TIME")]
    spec += [(0, 2 + k, 1, 1, f"CLASS {cls}") for k, cls in enumerate(CLASSES)]
    want = set()
    r = 1
    for day in ["MONDAY", "TUESDAY", "WEDNESDAY"]:
        for p in range(3):
            spec.append((r + p, 0, 1, 1, day if p == 0 else ""))
            noon = "PM" if 10 + p >= 12 else "AM"
            label = starts[p] if starts_only else f"{9 + p}:00 AM - {10 + p}:00 {noon}"
            spec.append((r + p, 1, 1, 1, label))
            for k, cls in enumerate(CLASSES):
                name = SUBJECTS[k][p]
                spec.append((r + p, 2 + k, 1, 1, f"{name}-T{k}{p}"))
                want.add(
                    (
                        day.capitalize(),
                        f"{9 + p:02d}:00",
                        f"{10 + p:02d}:00",
                        f"{name}-T{k}{p}",
                        f"CLASS {cls}",
                    )
                )
        spec += [(r + 3, c, 1, 1, "") for c in range(2 + len(CLASSES))]
        r += 4
    return spec, want


def test_a_time_column_inside_day_blocks_with_a_column_per_class() -> None:
    spec, want = time_rows(starts_only=False)
    reading = master_reading(ruled_tables(page_of(spec))[0].transposed().transposed())
    assert reading is not None and _got(reading.blocks) == want


def test_start_times_only_end_at_the_next_start_and_the_last_one_even_step_on_less_surely() -> None:
    spec, want = time_rows(starts_only=True)
    reading = master_reading(ruled_tables(page_of(spec))[0])
    assert reading is not None and _got(reading.blocks) == want
    last = [b for b in reading.blocks if b.start_time == "11:00"]
    assert last and all(b.confidence < 1.0 for b in last)
    assert all(b.confidence == 1.0 for b in reading.blocks if b.start_time != "11:00")


def test_an_ordinary_grid_with_one_row_per_day_is_no_master() -> None:
    spec: Spec = [(0, 0, 1, 1, "Day")] + [(0, 1 + p, 1, 1, t) for p, t in enumerate(TIMES)]
    for d, day in enumerate(["Monday", "Tuesday", "Wednesday"]):
        spec.append((1 + d, 0, 1, 1, day))
        spec += [(1 + d, 1 + p, 1, 1, SUBJECTS[d % 3][p % 3]) for p in range(len(TIMES))]
    table = ruled_tables(page_of(spec))[0]
    assert master_reading(table) is None and master_reading(table.transposed()) is None
    assert interpret_pages([page_of(spec)]).layout == "days_rows"


def test_two_electives_in_one_slot_are_parallel_lessons_when_both_are_lessons_elsewhere() -> None:
    spec, _ = time_rows(starts_only=False)
    spec = [(r, c, nr, nc, "Maths-T00/Art-T21" if (r, c) == (1, 2) else t) for r, c, nr, nc, t in spec]
    reading = master_reading(ruled_tables(page_of(spec))[0])
    assert reading is not None
    first = {
        b.name
        for b in reading.blocks
        if (b.day, b.start_time, b.class_name) == ("Monday", "09:00", "CLASS 6A")
    }
    assert first == {"Maths-T00", "Art-T21"}


def test_days_numbered_inside_the_cells_of_a_class_wise_grid() -> None:
    head = ["CLASS", "1", "2", "RECESS", "3"]
    times = ["TIME", "8.20-9.05", "9.05-9.50", "9.50-10.20", "10.20-11.00"]
    cells = {
        "10TH": ["MATH (1-6) -\nSUNIL JI", "HINDI (1-6)\nAJAY JI", "R", "PHY EDU 1-5,\nLib. 6 -\nKRISHAN JI"],
        "9TH": ["ENG (1-6)\nRAJEEV JI", "Lib (1), SKT\n(2-6) SHYAM JI", "E", "SCI (1-6)\nRAKHI JI"],
        "8TH": ["MATH (1-2)\nSUNIL JI,\nENG(3-4)\nRAJEEV JI,\nSCI-(5-6)RAKHI", "SST (1-6)\nMOHAN JI", "C",
                "DRG(1-5), -\nKRISHAN JI,\nSS (6) MOHAN"],
    }  # fmt: skip
    spec: Spec = [(0, c, 1, 1, t) for c, t in enumerate(head)] + [
        (1, c, 1, 1, t) for c, t in enumerate(times)
    ]
    for k, (cls, row) in enumerate(cells.items()):
        spec += [(2 + k, 0, 1, 1, cls)] + [(2 + k, 1 + c, 1, 1, t) for c, t in enumerate(row)]
    draft = interpret_pages([page_of(spec, "CLASS WISE TIME TABLE")])
    got = [(b.day, b.start_time, b.name, b.class_name) for b in draft.blocks]
    days = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]
    assert all((d, "08:20", "MATH", "10TH") in got for d in days)
    assert [n for d, s, n, c in got if (s, c) == ("10:20", "10TH")] == ["PHY EDU"] * 5 + ["Lib"]
    assert [n for d, s, n, c in got if (s, c) == ("08:20", "8TH")] == ["MATH"] * 2 + ["ENG"] * 2 + ["SCI"] * 2
    # The pause's column once a day, not once per class (its letters spell it down the rows).
    assert [(d, n) for d, s, n, c in got if s == "09:50"] == [(d, "RECESS") for d in days]
    assert len(got) == 6 * 3 * 3 + 6


def test_day_ranges_in_a_cell() -> None:
    assert day_specs("MATH (1-6) - SUNIL JI") == [("MATH", [1, 2, 3, 4, 5, 6])]
    assert day_specs("PT (1) KRISHAN JI COMP(2-6) SUMAN") == [("PT", [1]), ("COMP", [2, 3, 4, 5, 6])]
    assert day_specs("PHY EDU 1-5, Lib. 6 - KRISHAN JI") == [("PHY EDU", [1, 2, 3, 4, 5]), ("Lib", [6])]
    assert day_specs("Maths") == []
    assert covers(day_specs("Lib (1), SKT (2-6) SHYAM JI"), 6)
    assert not covers(day_specs("Lib (1), SKT (3-6) SHYAM JI"), 6)


def test_a_subject_with_its_teachers_code_is_no_key_entry() -> None:
    blocks = [
        DraftBlock("Monday", "09:00", "10:00", "MAT-T04/IPP-T44"),
        DraftBlock("Monday", "09:00", "10:00", "MAT"),
    ]
    line = [Word("MAT-T04/IPP-T44", 0, 0, 90, 10), Word("ECO-T47/IPP-T45", 100, 0, 190, 10)]
    name_from_key(blocks, [Page(1, 300, 100, line, [], [], source="pdf_text")])
    assert [b.name for b in blocks] == ["MAT-T04/IPP-T44", "MAT"]


def test_a_page_per_day_takes_its_day_from_the_heading() -> None:
    spec, want = class_rows(["Monday"])
    # The same grid with no day column: the day is the page's heading.
    spec = [(r, c - 1, nr, nc, t) for r, c, nr, nc, t in spec if c > 0]
    draft = interpret_pages([page_of(spec, "MONDAY")])
    assert draft.layout == "master"
    assert _got(draft.blocks) == want
    # With no day anywhere (nor numbered in the cells) the grid is no timetable of days.
    assert interpret_pages([page_of(spec, "CLASS WISE TIMETABLE")]).blocks == []


def test_grids_of_several_days_on_one_page_each_under_its_day() -> None:
    grids, want = [], set()
    for day in ("Monday", "Tuesday"):
        spec, day_want = class_rows([day])
        grids.append(([(r, c - 1, nr, nc, t) for r, c, nr, nc, t in spec if c > 0], day.upper()))
        want |= day_want
    draft = interpret_pages([pages_of(grids)])
    assert _got(draft.blocks) == want


def test_a_misread_time_over_one_block_takes_the_time_the_other_blocks_agree_on() -> None:
    good = {2: ("08:00", "08:45"), 3: ("08:45", "09:30"), 4: ("09:30", "10:15")}
    rows = {0: dict(good), 5: {**good, 3: ("01:45", "09:30")}, 10: {**good, 4: ("09:30", "08:15")}}
    assert _mended(rows) == {0: good, 5: good, 10: good}
    # With no other row to agree with, a label that cannot be its period gives no time.
    assert _mended({0: {**good, 3: ("01:45", "09:30")}}) == {0: {2: good[2], 4: good[4]}}


def test_a_bracketed_line_in_a_sub_row_under_a_lesson_is_its_teachers() -> None:
    # Each class's row split in two sub-rows (for lab groups); one lesson's teachers sit in the
    # second sub-row, under it, another class has two group lessons one over the other.
    spec: Spec = [(0, 0, 1, 1, "Day"), (0, 1, 1, 1, "Class"), (0, 2, 1, 1, TIMES[0]), (0, 3, 1, 1, TIMES[1])]
    want = set()
    r = 1
    for day in ("Monday", "Tuesday"):
        spec += [(r, 0, 4, 1, day), (r, 1, 2, 1, "2CA"), (r + 2, 1, 2, 1, "2CB")]
        spec += [(r, 2, 1, 1, "DSA Lab"), (r + 1, 2, 1, 1, "(SCJ+ARB)"), (r, 3, 2, 1, "Maths")]
        spec += [
            (r + 2, 2, 1, 1, "Physics Lab"),
            (r + 3, 2, 1, 1, "Chemistry Lab"),
            (r + 2, 3, 2, 1, "Maths"),
        ]
        first, second = ("08:00", "08:45"), ("08:45", "09:30")
        want |= {(day, *first, "DSA Lab", "2CA"), (day, *second, "Maths", "2CA"),
                 (day, *second, "Maths", "2CB"), (day, *first, "Physics Lab", "2CB"),
                 (day, *first, "Chemistry Lab", "2CB")}  # fmt: skip
        r += 4
    reading = master_reading(ruled_tables(page_of(spec))[0])
    assert reading is not None and _got(reading.blocks) == want
    assert {b.notes for b in reading.blocks if b.name == "DSA Lab"} == {"(SCJ+ARB)"}
    assert reading.used == reading.candidates


def test_a_list_of_one_row_per_lesson_under_merged_days_is_no_master() -> None:
    # Days merged over their lessons' rows, a time column, then module, room and lecturer
    # columns: those columns share no subject, so they are no classes.
    spec: Spec = [(0, 0, 1, 1, "Day"), (0, 1, 1, 1, "Time"), (0, 2, 1, 1, "Module")]
    spec += [(0, 3, 1, 1, "Room"), (0, 4, 1, 1, "Lecturer")]
    rows = [("Statistics", "B12", "Dr Rao"), ("Digital Logic", "Lab 3", "Ms Ng"), ("Algebra", "A4", "Mr Ode")]
    for d, day in enumerate(["Monday", "Tuesday"]):
        r = 1 + 3 * d
        spec.append((r, 0, 3, 1, day))
        for i, (module, room, who) in enumerate(rows):
            spec += [(r + i, 1, 1, 1, TIMES[i if i < 2 else 3]), (r + i, 2, 1, 1, module)]
            spec += [(r + i, 3, 1, 1, room), (r + i, 4, 1, 1, who)]
    assert master_reading(ruled_tables(page_of(spec))[0]) is None
