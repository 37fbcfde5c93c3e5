"""A master (class-wise) timetable: many classes' lessons in one grid, a block of rows per day.

Schools print one sheet for every class: the days down the side, each day's label over a block of
rows, and inside a block either one row per class with the periods across (their times in a row
at the top, or repeated in each block), or one row per period (a time column) with a column per
class. Each lesson is its cell's day, the time its column (or row) gives, and the class its row's
(or column's) label names; classes' lessons side by side run in parallel.

The ordinary readers see day names down a column and take each for a one-row day: no lesson
lands on a time. This reader finds the day blocks first and reads each block as a small grid.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from core.extraction.cell_days import covers, day_specs
from core.extraction.columns import is_break_text
from core.extraction.daytime import (
    alone_time,
    day_index,
    day_label,
    find_range,
    fmt,
    minutes_of,
    week_of_index,
    week_order,
)
from core.extraction.grid import Cell, Table
from core.extraction.lines import group_lines
from core.extraction.model import DraftBlock
from core.extraction.reading import Reading
from core.extraction.table import _cell_lines, no_class, split_name

MIN_SHARE = 0.6  # of a label column's (or time row's) filled cells that must read as such
_LABEL_JUNK = " '\"`‘’“”:;.,|_"


@dataclass
class _Blocks:
    """Day blocks: the day column and, per day, its rows [r0, r1)."""

    col: int
    spans: list[tuple[int, int, int]]  # (day index, r0, r1)

    def day_of(self, r: int) -> int | None:
        return next((d for d, r0, r1 in self.spans if r0 <= r < r1), None)

    @property
    def first(self) -> int:
        return self.spans[0][1]


@dataclass
class _Axis:
    """The time axis inside the blocks: times per column (periods across) or per row."""

    across: bool  # True: columns are periods, rows are classes
    times: dict[int, dict[int, tuple[str, str]]]  # row or column index -> its times, see _times_at
    guessed: set[tuple[int, int]] = field(default_factory=set)  # (key, index) whose end was guessed
    label_rows: set[int] = field(default_factory=set)  # rows that are time headings, not classes


def _head_cells(t: Table, c: int) -> list[Cell]:
    """Column c's cells that start in it, top to bottom, each once."""
    out: list[Cell] = []
    for r in range(t.nrows):
        cell = t.owner(r, c)
        if cell is not None and (cell.r0, cell.c0) == (r, c) and cell.words:
            out.append(cell)
    return out


def _day_blocks(t: Table) -> _Blocks | None:
    """A column near the left whose cells name days in week order, each day over a block of two
    or more rows (a merged label, or one label at the top of its rows)."""
    for c in range(min(3, t.ncols)):
        labels = [(d, cell) for cell in _head_cells(t, c) if (d := day_index(cell.text.strip(_LABEL_JUNK)))
                  is not None]  # fmt: skip
        days = [d for d, _ in labels]
        if len(labels) < 2 or week_order(days) is None:  # a week may start on Saturday
            continue
        spans: list[tuple[int, int, int]] = []
        for i, (d, cell) in enumerate(labels):
            if cell.r1 - cell.r0 >= 2:
                r0, r1 = cell.r0, cell.r1
            else:
                nxt = labels[i + 1][1].r0 if i + 1 < len(labels) else None
                prev_len = spans[-1][2] - spans[-1][1] if spans else 0
                r0, r1 = cell.r0, nxt if nxt is not None else min(t.nrows, cell.r0 + max(prev_len, 1))
            spans.append((d, r0, r1))
        if sum(r1 - r0 >= 2 for _, r0, r1 in spans) < max(2, len(spans) - 1):
            continue  # one row per day: an ordinary grid with the days down the side
        return _Blocks(c, spans)
    return None


def _time_of(cell: Cell) -> tuple[str, str] | None:
    rng = find_range(cell.text)
    if rng is None and len(cell.lines) > 1:
        joined = "".join(ln.text for ln in cell.lines)
        rng = find_range(joined) if re.fullmatch(r"[\d:.\-–— ]+", joined) else None
    if rng is None:
        return None
    # A time label holds little else ("Period 3 9:40-10:20"); a lesson with a time is a lesson.
    rest = cell.text[: rng[2]] + " " + cell.text[rng[3] :]
    return None if re.search(r"[^\W\d_]{4,}", rest) else (rng[0], rng[1])


def _start_of(cell: Cell) -> str | None:
    one = alone_time(cell.text.strip(_LABEL_JUNK))
    if one is None or not one.has_minutes or (mins := one.minutes()) is None:
        return None
    return fmt(mins)


def _time_rows(t: Table, blocks: _Blocks) -> dict[int, dict[int, tuple[str, str]]]:
    """Rows of period times across (at the top, or repeated in each block): {row: {col: times}}."""
    out: dict[int, dict[int, tuple[str, str]]] = {}
    for r in range(t.nrows):
        found: dict[int, tuple[str, str]] = {}
        filled = 0
        seen: set[int] = set()
        for c in range(t.ncols):
            cell = t.owner(r, c)
            if c == blocks.col or cell is None or id(cell) in seen or not cell.words or cell.r0 != r:
                continue
            seen.add(id(cell))
            filled += 1
            if (tm := _time_of(cell)) is not None:
                for cc in range(cell.c0, cell.c1):
                    found[cc] = tm
        n = len({found[c] for c in found})
        if n >= 2 and n >= MIN_SHARE * (filled - 1):
            out[r] = found
    return out


def _across(t: Table, blocks: _Blocks) -> _Axis | None:
    rows = _mended(_time_rows(t, blocks))
    if not rows:
        return None
    # Each row takes the nearest time row above it (a block may repeat the times).
    by_row: dict[int, dict[int, tuple[str, str]]] = {}
    current: dict[int, tuple[str, str]] | None = None
    for r in range(t.nrows):
        if r in rows:
            current = rows[r]
        elif current is not None and blocks.day_of(r) is not None:
            by_row[r] = current
    return _Axis(True, by_row, label_rows=set(rows)) if by_row else None


MAX_PERIOD = 240  # minutes: a longer "period" is a misread label


def _mended(rows: dict[int, dict[int, tuple[str, str]]]) -> dict[int, dict[int, tuple[str, str]]]:
    """A label that cannot be its period (ends before it starts, lasts hours, starts before the
    period left of it) takes the time the other rows of times agree on for its column, or none."""
    votes: dict[int, dict[tuple[str, str], int]] = {}
    for found in rows.values():
        for c, tm in found.items():
            votes.setdefault(c, {})[tm] = votes.setdefault(c, {}).get(tm, 0) + 1
    out: dict[int, dict[int, tuple[str, str]]] = {}
    for r, found in rows.items():
        kept: dict[int, tuple[str, str]] = {}
        prev: tuple[str, str] | None = None
        for c in sorted(found):
            for tm in (found[c], *sorted(votes[c], key=lambda v: -votes[c][v])):
                s, e = minutes_of(tm[0]), minutes_of(tm[1])
                if s < e <= s + MAX_PERIOD and (prev is None or tm == prev or s >= minutes_of(prev[0])):
                    kept[c] = tm
                    prev = tm
                    break
        if len(set(kept.values())) >= 2:
            out[r] = kept
    return out


def _down(t: Table, blocks: _Blocks) -> _Axis | None:
    """A time column inside the blocks (ranges, or starts only: a period ends where the next row
    starts; the block's last ends one even step on, when every step is the same)."""
    best: tuple[int, _Axis] | None = None
    for c in range(t.ncols):
        if c == blocks.col:
            continue
        ranges: dict[int, tuple[str, str]] = {}
        starts: dict[int, str] = {}
        filled = 0
        for _, r0, r1 in blocks.spans:
            for r in range(r0, r1):
                cell = t.owner(r, c)
                if cell is None or not cell.words or cell.r1 - cell.r0 != 1 or cell.c1 - cell.c0 != 1:
                    continue
                filled += 1
                if (tm := _time_of(cell)) is not None:
                    ranges[r] = tm
                elif (s := _start_of(cell)) is not None:
                    starts[r] = s
        n = max(len(ranges), len(starts))
        if n < 2 or n < MIN_SHARE * filled:
            continue
        axis = _Axis(False, {})
        times = ranges if len(ranges) >= len(starts) else _ends_from_starts(starts, blocks, axis, c)
        axis.times = {c: times}
        if best is None or len(times) > best[0]:
            best = (len(times), axis)
    return None if best is None else best[1]


def _ends_from_starts(
    starts: dict[int, str], blocks: _Blocks, axis: _Axis, col: int
) -> dict[int, tuple[str, str]]:
    out: dict[int, tuple[str, str]] = {}
    steps: set[int] = set()
    last: list[int] = []
    for _, r0, r1 in blocks.spans:
        rows = [r for r in range(r0, r1) if r in starts]
        for a, b in zip(rows, rows[1:], strict=False):
            sa, sb = minutes_of(starts[a]), minutes_of(starts[b])
            if b == a + 1 and sb > sa:
                out[a] = (starts[a], starts[b])
                steps.add(sb - sa)
        if rows:
            last.append(rows[-1])
    if len(steps) == 1:
        step = steps.pop()
        for r in last:
            if r not in out and minutes_of(starts[r]) + step < 24 * 60:
                out[r] = (starts[r], fmt(minutes_of(starts[r]) + step))
                axis.guessed.add((col, r))
    return out


def _labels(t: Table, cols: list[int], rows: list[int], skip: set[int]) -> dict[int, str]:
    """Row r's label: the text of its cells in cols (columns not skipped), e.g. "10TH", "CLASS 9 A"."""
    out: dict[int, str] = {}
    for r in rows:
        parts = []
        for c in cols:
            cell = t.owner(r, c)
            if c in skip or cell is None or not cell.words or cell.c0 != c:
                continue
            parts.append(cell.text.strip(_LABEL_JUNK))
        text = " ".join(p for p in parts if p)
        if text and find_range(text) is None and day_index(text) is None:
            out[r] = text
    return out


def _body_rows(blocks: _Blocks, axis: _Axis) -> list[int]:
    return [r for _, r0, r1 in blocks.spans for r in range(r0, r1) if r not in axis.label_rows]


def _options(name: str, firsts: set[str]) -> list[str]:
    """Two electives in one slot ("PSY-T72/ECO-T47"): parallel lessons, when every part starts as
    a lesson elsewhere in the grid does and each carries its own teacher's code (the last one's
    may wrap to the next line). Bare names joined ("ADT/Machine") are one combined course."""
    parts = [p.strip() for p in name.split("/")]
    if len(parts) < 2 or not all(_first(p) in firsts for p in parts):
        return [name]
    return parts if all(re.search(r"\d", p) for p in parts[:-1]) else [name]


def _first(text: str) -> str:
    m = re.match(r"\s*([^\W\d_]+)", text)
    return m.group(1).upper() if m else ""


IN_CELLS = -1  # the "day" of rows whose cells name their own days ("MATH (1-6)")


def _undivided(t: Table) -> _Blocks | None:
    """No day on the side: one block of every row under the periods' times, when no cell of the
    table names a day (the days, if any, are numbers inside the cells)."""
    if any(day_index(cell.text.strip(_LABEL_JUNK)) is not None for cell in t.cells if cell.words):
        return None
    rows = _time_rows(t, _Blocks(IN_CELLS, []))
    if not rows:
        return None
    first = max(rows) + 1
    return _Blocks(IN_CELLS, [(IN_CELLS, first, t.nrows)]) if t.nrows - first >= 2 else None


def master_reading(t: Table, page: int = 1) -> Reading | None:
    """The table read as a master timetable, or None when it is not one."""
    blocks = _day_blocks(t) or _undivided(t)
    if blocks is None:
        return None
    axis = _across(t, blocks) or (_down(t, blocks) if blocks.col != IN_CELLS else None)
    if axis is None:
        return None
    body = _body_rows(blocks, axis)
    if blocks.col == IN_CELLS and not _numbered_days(t, axis, body) and (day := _title_day(t)) is not None:
        # A page per day: the day is the page's heading, every lesson of the grid on it.
        blocks = _Blocks(IN_CELLS, [(day, r0, r1) for _, r0, r1 in blocks.spans])
    if axis.across:
        # Classes down the side: the columns left of the first period, the day column aside.
        first = min(c for times in axis.times.values() for c in times)
        labels = _labels(t, list(range(first)), body, {blocks.col})
        filled = [r for r in body if _row_has_lessons(t, r, first)]
        if len(labels) < 2 or len(labels) < MIN_SHARE * max(len(filled), 1):
            return None
        classes_of = labels
    else:
        tcol = next(iter(axis.times))
        head = [r for r in range(blocks.first)]
        cols = [c for c in range(t.ncols) if c not in (blocks.col, tcol)]
        names = _labels(t.transposed(), head, cols, set())
        if len(names) < 2:
            return None
        classes_of = names
    return _read(t, page, blocks, axis, classes_of)


def _row_has_lessons(t: Table, r: int, first: int) -> bool:
    return any((cell := t.owner(r, c)) is not None and cell.words for c in range(first, t.ncols))


def _read(t: Table, page: int, blocks: _Blocks, axis: _Axis, classes_of: dict[int, str]) -> Reading | None:
    cells: list[tuple[int, Cell, tuple[str, str] | None, bool, str]] = []  # day, cell, time, guessed, class
    done: set[tuple[int, int]] = set()
    for r in _body_rows(blocks, axis):
        d = blocks.day_of(r)
        if d is None:
            continue
        for c in range(t.ncols):
            cell = t.owner(r, c)
            if cell is None or (id(cell), d) in done or not cell.words:
                continue
            if axis.across:
                if c not in axis.times.get(r, {}) or r not in classes_of and cell.r0 == r:
                    continue
                row_times = axis.times[r]
                timed = [row_times[cc] for cc in range(cell.c0, cell.c1) if cc in row_times]
                # A cell over several classes' rows (a break down the block) is no one class's.
                spanned = {classes_of.get(rr, "") for rr in range(cell.r0, cell.r1)}
                cls = spanned.pop() if len(spanned) == 1 else ""
                tm = (timed[0][0], timed[-1][1]) if timed else None
                guessed = False
            else:
                tcol = next(iter(axis.times))
                if c in (blocks.col, tcol) or c not in classes_of:
                    continue
                col_times = axis.times[tcol]
                rows = [rr for rr in range(cell.r0, cell.r1) if blocks.day_of(rr) == d]
                timed = [col_times[rr] for rr in rows if rr in col_times]
                tm = (timed[0][0], timed[-1][1]) if timed and rows[-1] in col_times else None
                guessed = any((tcol, rr) in axis.guessed for rr in rows)
                cls = classes_of[c] if cell.c1 - cell.c0 == 1 else ""
            done.add((id(cell), d))
            cells.append((d, cell, tm, guessed, cls))
    if blocks.spans[0][0] == IN_CELLS:
        return _read_cell_days(t, page, axis, cells)
    firsts = {_first(split_name(_cell_lines(cell))[0]) for _, cell, _, _, _ in cells if "/" not in cell.text}
    out: list[DraftBlock] = []
    candidates = used = 0
    made: dict[int, list[DraftBlock]] = {}
    for d, cell, tm, guessed, cls in cells:
        lines = _cell_lines(cell)
        if not lines or no_class(lines):
            continue
        above = made.get(id(_above(t, cell)), [])
        if above and all(_PAREN_ONLY.match(ln) for ln in lines):
            # A line of its own in brackets under a lesson ("(SCJ+ARB)"): its teachers, not a lesson.
            for b in above:
                b.notes = " ".join(filter(None, [b.notes, *lines]))
            candidates += 1
            used += 1  # explained: the lesson's own line
            continue
        candidates += 1
        name, notes = split_name(lines)
        if tm is None or not name:
            continue
        used += 1
        conf = min((w.confidence for w in cell.words), default=1.0) * (0.9 if guessed else 1.0)
        made[id(cell)] = [
            DraftBlock(
                day=day_label(d), start_time=tm[0], end_time=tm[1], name=part, notes=notes,
                color=cell.color, page=page, confidence=conf, week=week_of_index(d), class_name=cls or None,
            )
            for part in _options(name, firsts - {""})
        ]  # fmt: skip
        out.extend(made[id(cell)])
    if not out or not _shared_subjects(out):
        return None
    rows = len(_body_rows(blocks, axis))
    timed = sum(1 for r in _body_rows(blocks, axis) if axis.across or r in next(iter(axis.times.values())))
    return Reading(out, "master", candidates, used, rows, timed)


_PAREN_ONLY = re.compile(r"^\s*\([^()]*\)\s*$")


def _above(t: Table, cell: Cell) -> Cell | None:
    """The cell just above this one over the same columns (a lesson's second line in a sub-row)."""
    prev = t.owner(cell.r0 - 1, cell.c0) if cell.r0 else None
    return prev if prev is not None and (prev.c0, prev.c1) == (cell.c0, cell.c1) else None


def _break_columns(t: Table, axis: _Axis, first_body: int) -> dict[int, str]:
    """Period columns headed by a pause ("RECESS", "Lunch") above the body: {column: heading}."""
    out: dict[int, str] = {}
    cols = {c for times in axis.times.values() for c in times}
    for c in cols:
        for r in range(first_body):
            cell = t.owner(r, c)
            if cell is not None and cell.words and is_break_text(cell.text) and find_range(cell.text) is None:
                out[c] = cell.text.strip(_LABEL_JUNK)
                break
    return out


def _read_cell_days(
    t: Table, page: int, axis: _Axis, cells: list[tuple[int, Cell, tuple[str, str] | None, bool, str]]
) -> Reading | None:
    """Each cell's subjects on the days its ranges name (1 = Monday); a pause's column once a day."""
    first_body = min(axis.times)
    breaks = _break_columns(t, axis, first_body)
    parsed = []
    for _, cell, tm, _, cls in cells:
        if cell.c0 in breaks:
            continue
        lines = _cell_lines(cell)
        if not lines or no_class(lines):
            continue
        parsed.append((cell, tm, cls, day_specs(" ".join(lines))))
    numbers = [d for *_, specs in parsed for _, ds in specs for d in ds]
    if not parsed or not numbers:
        return None
    week = max(numbers)
    whole = [p for p in parsed if covers(p[3], week)]
    # Most cells must name their days so: a stray "Room 6" is no week of numbered days.
    if week < 5 or len(whole) < MIN_SHARE * len(parsed):
        return None
    out: list[DraftBlock] = []
    for cell, tm, cls, specs in parsed:
        if tm is None:
            continue
        conf = min((w.confidence for w in cell.words), default=1.0)
        for subject, days in specs:
            out.extend(
                DraftBlock(day=day_label(d - 1), start_time=tm[0], end_time=tm[1], name=subject,
                           color=cell.color, page=page, confidence=conf, class_name=cls or None)
                for d in days
            )  # fmt: skip
    times = next(iter(axis.times.values()))
    for c, name in sorted(breaks.items()):
        if c in times:
            out.extend(
                DraftBlock(day=day_label(d), start_time=times[c][0], end_time=times[c][1], name=name,
                           page=page)
                for d in range(week)
            )  # fmt: skip
    used = sum(1 for p in whole if p[1] is not None)
    if not out or not _shared_subjects(out):
        return None
    return Reading(out, "master", len(parsed), used, len(axis.times), len(axis.times))


def _numbered_days(t: Table, axis: _Axis, body: list[int]) -> bool:
    """Some lesson cell numbers its days ("MATH (1-6)")."""
    cols = {c for times in axis.times.values() for c in times}
    cells = [cell for r in body for c in cols if (cell := t.owner(r, c)) is not None and cell.words]
    return any(day_specs(cell.text) for cell in cells)


def _title_day(t: Table) -> int | None:
    """The day the nearest short heading above the grid names ("MONDAY", "Timetable for Tuesday");
    a page may hold several days' grids, each under its own."""
    for line in reversed(group_lines([w for w in t.outside if w.y1 <= t.y0])):
        found = {d for w in line.words if (d := day_index(w.text.strip(_LABEL_JUNK))) is not None}
        if len(line.words) <= 4 and found:
            return found.pop() if len(found) == 1 else None
    return None


def _shared_subjects(blocks: list[DraftBlock]) -> bool:
    """Classes are taught the same subjects: most classes share a lesson's name with another. The
    columns of a one-row-per-lesson list (module, room, lecturer) share none, so are no classes."""
    names: dict[str, set[str]] = {}
    for b in blocks:
        if b.class_name:
            names.setdefault(b.class_name, set()).add(_first(b.name))
    others = {c: set().union(*(o for k, o in names.items() if k != c)) for c in names}
    shared = sum(bool(own & others[c]) for c, own in names.items())
    return shared >= max(2, len(names) / 2)
