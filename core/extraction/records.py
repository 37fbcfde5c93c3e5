"""Tables with one row per lesson: a day column, a time column and a subject column (course
registration exports, class lists), often with code, type, group, venue and remark columns.

The day and time columns are found from their content (cells that are day names, cells that are
time ranges or single start and end times), the subject column from the header's titles and, when
the header says nothing useful, from content (distinct, word-like names). A row whose subject cell
is empty continues the lesson above it (a second class of the same course) and takes its name.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from core.extraction.confidence import name_score, vocabulary
from core.extraction.daytime import CLOCK_RE, DAYS, alone_time, day_group, day_index, find_range, fmt
from core.extraction.lines import text_of
from core.extraction.model import DraftBlock, Page
from core.extraction.reading import Reading
from core.extraction.records_layout import Cells, RowGrid, ruled_grids, unruled_grid

# A column is the day (time) column when this share of the table's filled rows hold a day (time).
COLUMN_SHARE = 0.6
MIN_LESSONS = 2

# Header titles, lower case, best first; a column whose title holds a "not subject" word is skipped.
SUBJECT_TITLES = ("course title", "subject", "title", "module", "lesson", "course name", "description",
                  "unit", "paper", "activity", "course", "class")  # fmt: skip
NOT_SUBJECT = ("type", "code", "no", "id", "number", "index", "group", "status", "au", "credit", "venue",
               "room", "teacher", "lecturer", "staff", "remark", "week", "day", "time")  # fmt: skip
NOTE_TITLES = {
    "type": ("type", "kind", "format"),
    "group": ("group", "grp", "section", "sect"),
    "venue": ("venue", "room", "location", "place", "building", "where"),
}
START_TITLES = ("start", "from", "begin", "begins", "starts")
END_TITLES = ("end", "to", "until", "finish", "ends", "finishes")
# Class types printed in their own column (LEC/TUT/LAB): extras, never a subject.
TYPE_WORDS = {"lec", "tut", "lab", "lecture", "tutorial", "practical", "prac", "sem", "seminar",
              "studio", "workshop", "lab/tut", "lec/studio", "online"}  # fmt: skip
BORDER_CHARS = "|[(1lI!"  # what OCR makes of a cell's border beside its text


@dataclass
class Table:
    """A table's text: its header titles per column and its body rows' cell texts."""

    titles: list[str]
    rows: list[list[str]]
    words: list[Cells]  # the body rows' words (for recognition confidence)
    # Per column, the header text above the column titles (a sub-table's venue or group heading).
    above: list[str] = field(default_factory=list)


@dataclass
class Columns:
    day: int
    time: int | None = None  # a column of ranges, or...
    start: int | None = None  # ...a start and an end column
    end: int | None = None
    subject: int | None = None
    subject_guessed: bool = False  # no header title named it: chosen by its content
    notes: dict[str, int] = field(default_factory=dict)


def _cell_days(text: str) -> list[int] | None:
    """The days a cell names: "MON", "Monday", "Tue." (or its first word, "Monday (odd weeks)"),
    or several ("Mon/Wed", "MWF", "TR": US registration letters, R for Thursday)."""
    if not text:
        return None
    if (days := day_group(text, codes=True)) is not None:
        return days
    idx = day_index(text.split()[0])
    return None if idx is None else [idx]


def _cell_day(text: str) -> int | None:
    days = _cell_days(text)
    return days[0] if days else None


def _cell_range(text: str) -> tuple[str, str] | None:
    """The time range a cell holds when the cell is (nearly) nothing else. A cell's border read as
    a character glued to the time ("|1430-1620" as "11430-1620") is dropped."""
    found = _range_in(text)
    if found is None and text[:1] in BORDER_CHARS:
        return _range_in(text[1:])
    return found


def _range_in(text: str) -> tuple[str, str] | None:
    rng = find_range(text)
    if rng is None:
        return None
    start, end, a, b = rng
    rest = text[:a] + text[b:]
    return (start, end) if sum(ch.isalpha() for ch in rest) <= 3 else None


def _after_day(text: str) -> str:
    """A "When" cell ("Mon 08:30-09:20") without its day name."""
    first, _, rest = text.partition(" ")
    return rest if day_index(first) is not None else text


def _cell_time(text: str) -> str | None:
    """A cell that is one time ("08:30", "8.30 am", "0830"), as printed (no afternoon guess)."""
    t = alone_time(text)
    mins = t.minutes(guess=False) if t is not None else None
    return None if mins is None else fmt(mins)


def _share(rows: list[list[str]], col: int, read: Callable[[str], object]) -> float:
    """The share of the filled rows whose cell in col reads as something (a day, a time)."""
    filled = [r for r in rows if any(r)]
    hits = sum(1 for r in filled if read(r[col]) is not None)
    return hits / len(filled) if filled else 0.0


def _title_has(title: str, words: tuple[str, ...]) -> bool:
    tokens = re.findall(r"[a-z]+", title.lower())
    return any(w in tokens for w in words)


def _header_and_body(grid: RowGrid) -> Table | None:
    """Split the grid into header titles and body rows at its first row holding a day name."""
    texts = [[text_of(c) for c in row] for row in grid.rows]
    first = next((i for i, r in enumerate(texts) if any(_cell_day(t) is not None for t in r)), None)
    if first is None:
        return None
    head_rows = [[text_of(c) for c in row] for row in grid.header or []] + texts[max(0, first - 2) : first]
    titles = [" ".join(r[c] for r in head_rows if r[c]).strip() for c in range(len(texts[0]))]
    above = [" ".join(r[c] for r in head_rows[:-1] if r[c]).strip() for c in range(len(texts[0]))]
    return Table(titles, texts[first:], grid.rows[first:], above)


def _find_times(t: Table, day: int) -> Columns | None:
    """The time column (ranges), else a start and an end column (by their titles or content)."""
    others = [c for c in range(len(t.titles)) if c != day]
    ranged = [c for c in others if _share(t.rows, c, _cell_range) >= COLUMN_SHARE]
    if ranged:
        return Columns(day, time=ranged[0])
    if (timed := _timeish_column(t, others)) is not None:
        return Columns(day, time=timed)
    if _share(t.rows, day, lambda x: _cell_range(_after_day(x))) >= COLUMN_SHARE:
        return Columns(day, time=day)  # day and time in one cell
    single = [c for c in others if _share(t.rows, c, _cell_time) >= COLUMN_SHARE]
    starts = [c for c in single if _title_has(t.titles[c], START_TITLES)]
    ends = [c for c in single if _title_has(t.titles[c], END_TITLES)]
    if starts and ends:
        return Columns(day, start=starts[0], end=ends[0])
    # Untitled: two neighbouring columns of times, the second later than the first in most rows.
    for a, b in zip(single, single[1:], strict=False):
        later = sum(1 for r in t.rows if (s := _cell_time(r[a])) and (e := _cell_time(r[b])) and s < e)
        if b == a + 1 and later >= COLUMN_SHARE * len(t.rows):
            return Columns(day, start=a, end=b)
    return None


def _timeish(text: str) -> bool:
    """Mostly digits, four or more: a time range, maybe one OCR garbled ("1S90-4620")."""
    chars = text.replace(" ", "")
    digits = sum(ch.isdigit() for ch in chars)
    return digits >= 4 and digits >= 0.5 * len(chars)


def _timeish_column(t: Table, others: list[int]) -> int | None:
    """A column of times some of whose cells OCR garbled (small print): most of its cells look
    like times and at least MIN_LESSONS of them read as ranges. Only rows whose range is read
    give blocks; the others are left out, never guessed."""
    for c in others:
        readable = sum(1 for r in t.rows if _cell_range(r[c]) is not None)
        if (
            readable >= MIN_LESSONS
            and _share(t.rows, c, lambda x: True if _timeish(x) else None) >= COLUMN_SHARE
        ):
            return c
    return None


def _subject_by_title(t: Table, used: set[int]) -> int | None:
    for key in SUBJECT_TITLES:
        for c, title in enumerate(t.titles):
            low = title.lower()
            if c in used or not low or _title_has(low, NOT_SUBJECT):
                continue
            if re.search(rf"\b{key}\b", low):
                return c
    return None


def _wordy(text: str) -> bool:
    """Mostly letters: a name, not a code, a number or a week list."""
    return sum(ch.isalpha() for ch in text) >= 0.7 * len(text.replace(" ", ""))


def _subject_by_content(t: Table, used: set[int]) -> int | None:
    """With no telling header: the column of distinct, word-like names the vocabulary knows."""
    vocab = vocabulary()
    best, best_score = None, 0.5
    for c in range(len(t.titles)):
        if c in used:
            continue
        cells = [r[c] for r in t.rows if r[c]]
        if len(cells) < MIN_LESSONS or all(x.lower() in TYPE_WORDS for x in cells):
            continue
        wordy = sum(_wordy(x) for x in cells) / len(cells)
        known = sum(name_score(x, vocab) for x in cells) / len(cells)
        distinct = len(set(cells)) / len(cells)
        score = wordy * known * (0.5 + 0.5 * distinct)
        if score > best_score:
            best, best_score = c, score
    return best


def _only_column(t: Table, used: set[int]) -> int | None:
    """The one column left that is filled on the lesson rows and holds words (a class list's
    "Grade 06"): what the lessons are called when nothing else could be."""
    filled = [r for r in t.rows if any(r[c] for c in used)]
    left = [
        c for c in range(len(t.titles))
        if c not in used and not _title_has(t.titles[c], NOT_SUBJECT)
        and sum(1 for r in filled if r[c] and _wordy(r[c])) >= COLUMN_SHARE * len(filled)
    ]  # fmt: skip
    return left[0] if len(left) == 1 and filled else None


def _note_columns(t: Table, used: set[int]) -> dict[str, int]:
    out: dict[str, int] = {}
    for c, title in enumerate(t.titles):
        if c in used:
            continue
        for kind, keys in NOTE_TITLES.items():
            if kind not in out and _title_has(title, keys):
                out[kind] = c
                break
        else:
            cells = [r[c].lower() for r in t.rows if r[c]]
            if "type" not in out and cells and sum(x in TYPE_WORDS for x in cells) >= 0.6 * len(cells):
                out["type"] = c
    return out


def _is_day_column(t: Table, c: int) -> bool:
    """Most rows name a day; or the day is printed once per day (merged or left blank below):
    the first row names one and nearly every non-empty cell is a day. Lone letters ("M", "F")
    are days only beside cells that spell more ("MWF", "Tue")."""
    if not any(_cell_day(r[c]) is not None and len(r[c].strip()) >= 2 for r in t.rows):
        return False
    if _share(t.rows, c, _cell_day) >= COLUMN_SHARE:
        return True
    named = [r[c] for r in t.rows if r[c]]
    days = sum(_cell_day(x) is not None for x in named)
    return _cell_day(t.rows[0][c]) is not None and days >= MIN_LESSONS and days >= 0.8 * len(named)


def _find_columns(t: Table) -> Columns | None:
    days = [c for c in range(len(t.titles)) if _is_day_column(t, c)]
    for day in days:
        cols = _find_times(t, day)
        if cols is None:
            continue
        used = {day} | {c for c in (cols.time, cols.start, cols.end) if c is not None}
        cols.subject = _subject_by_title(t, used)
        if cols.subject is None:
            cols.subject = _subject_by_content(t, used)
            if cols.subject is None:
                cols.subject = _only_column(t, used)
            cols.subject_guessed = True
        if cols.subject is None:
            return None
        cols.notes = _note_columns(t, used | {cols.subject})
        return cols
    return None


_CLOCK_RE = CLOCK_RE


def _time_cells(row: list[str], cols: Columns) -> list[str]:
    return [row[c] for c in (cols.time, cols.start, cols.end) if c is not None]


def _padded(t: Table, cols: Columns) -> bool:
    """The table writes hours with two digits ("08:30", "0830")."""
    return any(h.startswith("0") for r in t.rows for x in _time_cells(r, cols) for h in _CLOCK_RE.findall(x))


def _lost_digit(row: list[str], cols: Columns) -> bool:
    """A one-digit hour in a table of two-digit hours: OCR lost a digit ("12:30" read "2:30")."""
    return any(len(h) == 1 for x in _time_cells(row, cols) for h in _CLOCK_RE.findall(x))


def _row_times(row: list[str], cols: Columns, padded: bool) -> tuple[str, str] | None:
    if padded and _lost_digit(row, cols):
        return None
    if cols.time is not None:
        if not row[cols.time] and cols.time != cols.day:
            # OCR ran the day and the time together across the rule between them ("MON|1230-1420").
            return _cell_range(row[cols.day])
        return _cell_range(_after_day(row[cols.time]))
    assert cols.start is not None and cols.end is not None
    s, e = _cell_time(row[cols.start]), _cell_time(row[cols.end])
    return (s, e) if s and e and s < e else None


def _confidence(cells: Cells, cols: Columns) -> float:
    words = [w for c in (cols.day, cols.time, cols.start, cols.end, cols.subject) if c is not None
             for w in cells[c]]  # fmt: skip
    return min((w.confidence for w in words), default=1.0)


def _blocks(t: Table, cols: Columns, page: int) -> tuple[list[DraftBlock], int, int]:
    """Blocks of the body rows; also (rows that look like lessons, rows whose time was read)."""
    assert cols.subject is not None
    blocks: list[DraftBlock] = []
    seen: set[tuple[str, str, str, str]] = set()
    name: str | None = None
    days: list[int] | None = None
    candidates = timed = 0
    padded = _padded(t, cols)
    for row, cells in zip(t.rows, t.words, strict=True):
        d = _cell_days(row[cols.day])
        times = _row_times(row, cols, padded)
        if times is None and d is None:
            continue  # not a lesson row (empty, or a note under the table)
        # An empty subject (or day) cell continues the lesson (or day) above: a merged cell, or a
        # second class of the same course.
        name = row[cols.subject] or name
        days = d if d is not None else (days if not row[cols.day] else None)
        candidates += 1
        if times is None:
            continue
        timed += 1
        if days is None or not name:
            continue
        for day in days:  # "MWF": the same class on each day named
            key = (DAYS[day], times[0], times[1], name)
            if key in seen:
                continue
            seen.add(key)
            blocks.append(
                DraftBlock(day=DAYS[day], start_time=times[0], end_time=times[1], name=name,
                           notes=_notes(row, cols), page=page, confidence=_confidence(cells, cols))
            )  # fmt: skip
    return blocks, candidates, timed


def _notes(row: list[str], cols: Columns) -> str | None:
    parts = [row[c] for c in cols.notes.values() if row[c]]
    return ", ".join(parts) or None


def _dayish(t: Table, c: int) -> bool:
    """A column whose filled cells are (nearly) all days, however few."""
    named = [r[c] for r in t.rows if r[c]]
    return bool(named) and sum(_cell_day(x) is not None for x in named) >= 0.8 * len(named)


def _section(t: Table, lo: int, hi: int) -> Table:
    return Table(t.titles[lo:hi], [r[lo:hi] for r in t.rows], [w[lo:hi] for w in t.words], t.above[lo:hi])


def _caption(part: Table) -> str:
    """A sub-table's heading: the one text above its column titles ("Nanasro - Attidiya", its
    venue or group); titles wrapped over two lines leave several, and no caption."""
    above = [x for x in part.above if x]
    return above[0] if len(above) == 1 else ""


def _captioned(blocks: list[DraftBlock], caption: str) -> list[DraftBlock]:
    """The heading goes into the lessons' notes: the same class at two venues is two lessons."""
    for b in blocks:
        b.notes = ", ".join(x for x in (caption, b.notes) if x) or None
    return blocks


def _sections(t: Table) -> list[list[Table]]:
    """Ways to cut the table into side-by-side sub-tables of the same columns (one per venue or
    group, "Grade | Day | Time | Grade | Day | Time"): day columns at a constant step, each cut
    as wide as the step; every offset that fits is a candidate, the reader keeps the best."""
    n = len(t.titles)
    days = [c for c in range(n) if _dayish(t, c)]
    if len(days) < 2:
        return []
    step = days[1] - days[0]
    if step < 2 or any(b - a != step for a, b in zip(days, days[1:], strict=False)):
        return []
    out = []
    for lo in range(max(0, days[0] - step + 1), days[0] + 1):
        if lo + len(days) * step <= n:
            out.append([_section(t, lo + k * step, lo + (k + 1) * step) for k in range(len(days))])
    return out


def _read_table(t: Table, page: int, least: int) -> tuple[list[DraftBlock], int, int, bool] | None:
    cols = _find_columns(t)
    if cols is None:
        return None
    blocks, candidates, timed = _blocks(t, cols, page)
    return (blocks, candidates, timed, cols.subject_guessed) if len(blocks) >= least else None


def _reading(grid: RowGrid, page: int) -> Reading | None:
    table = _header_and_body(grid)
    if table is None or len(table.rows) < MIN_LESSONS:
        return None
    options = [[r] for r in [_read_table(table, page, MIN_LESSONS)] if r is not None]
    for parts in _sections(table):
        # A sub-table may hold one lesson; the table as a whole needs MIN_LESSONS.
        captions = [_caption(part) for part in parts]
        if len(set(captions)) < len(captions):
            captions = [""] * len(parts)  # the same heading over each says nothing apart
        read = []
        for part, caption in zip(parts, captions, strict=True):
            if (r := _read_table(part, page, 1)) is not None:
                read.append((_captioned(r[0], caption), *r[1:]))
        if sum(len(r[0]) for r in read) >= MIN_LESSONS:
            options.append(read)
    if not options:
        return None
    best = max(options, key=lambda rs: sum(len(r[0]) for r in rs))
    blocks = [b for r in best for b in r[0]]
    candidates, timed = sum(r[1] for r in best), sum(r[2] for r in best)
    guessed = not grid.ruled or any(r[3] for r in best)
    return Reading(blocks, "records", candidates, len(blocks), candidates, timed, guessed=guessed)


def _joined(readings: list[Reading]) -> Reading | None:
    """The readings of separate ruled tables on one page (a list printed as several boxes) as one."""
    if not readings:
        return None
    blocks = [b for r in readings for b in r.blocks]
    return Reading(blocks, "records", sum(r.candidates for r in readings), sum(r.used for r in readings),
                   sum(r.rows for r in readings), sum(r.rows_timed for r in readings),
                   guessed=any(r.guessed for r in readings))  # fmt: skip


def read_records(page: Page) -> Reading | None:
    """The best one-row-per-lesson reading of the page's tables, or None when it has none."""
    ruled = _joined([r for g in ruled_grids(page) if (r := _reading(g, page.number)) is not None])
    loose = unruled_grid(page)
    readings = [r for r in (ruled, loose and _reading(loose, page.number)) if r is not None]
    return max(readings, key=lambda r: len(r.blocks), default=None)
