"""Interpret a logical table (rows x columns of cells with spans) as a weekly timetable."""

from __future__ import annotations

import re
from collections.abc import Iterator

from core.extraction.axis_repair import repair_axis
from core.extraction.columns import is_break_text
from core.extraction.daytime import (
    CYCLE_BASE,
    LETTER_BASE,
    RANGE_RE,
    WEEK_BASE,
    alone_time,
    day_index,
    day_label,
    find_range,
    fmt,
    header_days,
    next_day,
    resembles_day,
    start_hours,
    week_of_index,
)
from core.extraction.grid import Cell, Table
from core.extraction.hour_axis import hour_axis
from core.extraction.lines import Line
from core.extraction.model import DraftBlock
from core.extraction.teacher_rows import teacher_rows
from core.extraction.time_axis import afternoon_tail, has_ampm, mostly_misread, out_of_order, split_range

# A line that is a room or group code, not part of the subject: "7B", "10X Rm 29", "R17", "Room 4".
_CODE_RE = re.compile(
    r"^\(?\s*(\d{1,2}[A-Za-z]{0,2}|[A-Z]?\d{1,3}[A-Z]?|R\d+|Rm\.?\s*\d+|Room\s*\d+)"
    r"(\s+(\d{1,2}[A-Za-z]{0,2}|R\d+|Rm\.?\s*\d+|Room\s*\d+|\d+))*\s*\)?$"
)
_JUNK = " |_=~—–-.,:;'\"`"  # OCR leftovers of rules at the ends of a cell's text
_PAREN_RE = re.compile(r"\s*\(([^)]*)\)\s*$")


# What a grid prints in a slot with no class: a dash, "Free", "Nil"; a cross too, unless the
# grid names its lessons with letters (option blocks X, Y, Z).
_NO_CLASS = {"-", "--", "—", "–", "*", "**", "free", "nil", "none", "n/a", "na"}
_CROSS = {"x", "xx"}


def no_class(lines: list[str], letters_are_names: bool = False) -> bool:
    """A cell that only marks the slot as having no class."""
    if len(lines) != 1:
        return False
    mark = lines[0].strip(" .|").lower()
    return mark in _NO_CLASS or (mark in _CROSS and not letters_are_names)


def _letters_are_names(t: Table, day_cols: dict[int, int], header: int) -> bool:
    """Some cell other than a cross is a lone letter or two ("A", "Y"): letters name lessons."""
    for c in day_cols:
        for r in range(header + 1, t.nrows):
            cell = t.owner(r, c)
            text = cell.text.strip(" .|").lower() if cell is not None and cell.words else ""
            if text.isalpha() and len(text) <= 2 and text not in _CROSS:
                return True
    return False


def split_name(lines: list[str]) -> tuple[str, str | None]:
    """The subject is the first line (and continuation lines); codes and the rest go to notes."""
    lines = [ln.strip() for ln in lines if ln.strip()]
    if not lines:
        return "", None
    name_parts = [lines[0]]
    rest = lines[1:]
    while rest and (name_parts[-1].endswith("-") or rest[0][:1].islower()):
        # A wrapped subject ("Physical Edu-" / "cation", "Religious" / "studies") continues.
        name_parts.append(rest.pop(0))
    name = " ".join(name_parts)
    notes = [*rest]
    m = _PAREN_RE.search(name)
    if m and m.start() > 0:
        notes.insert(0, m.group(1))
        name = name[: m.start()]
    return name.strip(_JUNK), (" ".join(notes).strip(_JUNK) or None)


# One lesson per batch in a shared cell: "ITC02(FH)" over "ITC01(SH)", "CS301 (B1)" over "CS305 (B2)".
_BATCH_RE = re.compile(r"^[A-Z]{2,6}\s?\d{2,4}[A-Z]?\s*\(\s*[A-Za-z0-9][A-Za-z0-9 \-]{0,9}\)$")


def batch_lessons(lines: list[str]) -> list[str] | None:
    """The lines of a cell that holds one course per batch, each a course code with its batch in
    brackets, batches all different: each line is a lesson of its own (they overlap on purpose)."""
    if len(lines) < 2 or not all(_BATCH_RE.match(ln.strip()) for ln in lines):
        return None
    batches = {ln[ln.index("(") :].replace(" ", "") for ln in lines}
    return lines if len(batches) == len(lines) else None


def _cell_lines(cell: Cell) -> list[str]:
    out = []
    for line in cell.lines:
        text = line.text
        m = RANGE_RE.search(text)
        if m:  # a time inside a cell ("Lunch 12:15-1:15") is not part of the name
            text = re.sub(r"\(\s*\)", "", text[: m.start()] + " " + text[m.end() :]).strip()
        if text:
            out.append(text)
    return out


def _keeps_own_hours(
    t: Table, header: int, day_cols: dict[int, int], times: dict[int, tuple[str, str]]
) -> bool:
    """Cells print their own times and several of them disagree with their row's (each day keeps
    its own hours): then every cell's own time is its time. A time in a cell that agrees with the
    axis, or one slip, leaves the axis in charge (it is read from more text)."""
    cells = {id(cell): cell for c in day_cols for r in range(header + 1, t.nrows) if (cell := t.owner(r, c))}
    owned = differ = 0
    for cell in cells.values():
        own = _own_times(cell)
        if own is None:
            continue
        owned += 1
        rows = [r for r in range(cell.r0, cell.r1) if r in times]
        differ += not rows or own != (times[rows[0]][0], times[rows[-1]][1])
    return differ >= 3 and differ >= 0.3 * owned


def _no_labels(t: Table, header: int, day_cols: dict[int, int]) -> bool:
    """Every column under the header is a day's: the rows' times were borrowed from the first
    day's cells, so each cell's own printed time is its time (days' lessons side by side start
    at different times)."""
    return not any(
        cell.words
        for r in range(header + 1, t.nrows)
        for c in range(t.ncols)
        if c not in day_cols and (cell := t.owner(r, c)) is not None
    )


def _own_times(cell: Cell) -> tuple[str, str] | None:
    """The one time range a cell prints for itself ("Math Review (9:35-10:30)"): where days keep
    different hours, a cell's own time is truer than its row's."""
    found = [r for line in cell.lines if (r := find_range(line.text)) is not None]
    if len(found) != 1 or found[0][0] >= found[0][1]:
        return None
    return found[0][0], found[0][1]


def _without_own_time_columns(t: Table, header: int, day_cols: dict[int, int]) -> dict[int, int]:
    """A day heading over a time column and a lesson column (a bell schedule where each day keeps
    its own hours): the time column is the day's axis, not its lessons."""
    out = dict(day_cols)
    for c, d in day_cols.items():
        if sum(dd == d for dd in out.values()) < 2:
            continue
        # A cell across both of the day's columns is a lesson, not a time label; so is a cell
        # whose time comes with a name ("Lunch 1 11:30-12:10": parallel lessons side by side).
        texts = [
            cell.text for r in range(header + 1, t.nrows)
            if (cell := t.owner(r, c)) is not None and cell.words and cell.r0 == r and cell.c1 - cell.c0 == 1
        ]  # fmt: skip
        ranged = sum(_time_label(x) for x in texts)
        if ranged >= 2 and ranged >= 0.8 * len(texts):
            del out[c]
    return out


def _time_label(text: str) -> bool:
    """A time range with no name beside it (a period's number or letter at most)."""
    found = find_range(text)
    if found is None:
        return False
    rest = text[: found[2]] + " " + text[found[3] :]
    return not re.search(r"[^\W\d_]{3,}", rest)


def _label_range(cell: Cell) -> tuple[str, str, int, int] | None:
    """The time range of a label cell; a label wrapped mid-number in a narrow column ("15:00-17:0"
    over "0") is read again with its lines joined."""
    rng = find_range(cell.text)
    if rng is None and len(cell.lines) > 1:
        joined = "".join(ln.text for ln in cell.lines)
        rng = find_range(joined) if re.fullmatch(r"[\d:.\-–— ]+", joined) else None
    return rng


def _time_columns(table: Table, header_row: int, day_cols: set[int]) -> list[int]:
    """Columns of one-row time labels. Some timetables repeat the time column before a day whose
    periods differ (a shorter Friday): each day then takes the nearest one before it."""
    out = []
    for c in range(table.ncols):
        if c in day_cols:
            continue
        n = 0
        for r in range(header_row + 1, table.nrows):
            cell = table.owner(r, c)
            if cell is not None and cell.r1 - cell.r0 == 1 and cell.c1 - cell.c0 == 1 and cell.words:
                n += _label_range(cell) is not None
        if n >= 2:
            out.append(c)
    return out


def _axis_times(
    table: Table,
    header_row: int,
    day_cols: set[int],
    only_col: int | None = None,
    repaired: set[int] | None = None,
    doubted: set[int | None] | None = None,
) -> dict[int, tuple[str, str]]:
    """Times of each row after the header, from the non-day cells of that row (time column).
    Rows whose times were read only by repairing misread digits are added to repaired; only_col
    goes into doubted when most of the axis's labels were no period (`mostly_misread`)."""
    times: dict[int, tuple[str, str]] = {}
    bare: set[int] = set()  # rows whose label prints no am/pm
    for r in range(header_row + 1, table.nrows):
        found = None
        for c in range(table.ncols):
            if c in day_cols or (only_col is not None and c != only_col):
                continue
            cell = table.owner(r, c)
            if cell is None or cell.r1 - cell.r0 != 1 or not cell.words:
                continue
            rng = _label_range(cell)
            if rng:
                found = rng[:2]
                if not has_ampm(cell.text):
                    bare.add(r)
                break
        if found is None and only_col is None and not _times_in_days(table, r, day_cols):
            found = split_range(_row_labels(table, r, day_cols))
        if found is None:
            # A break row whose one merged cell holds the time ("Lunch 12:15 - 1:15").
            cell = table.owner(r, min(day_cols))
            if cell is not None and cell.r1 - cell.r0 == 1 and cell.words:
                rng = find_range(cell.text)
                if rng:
                    found = rng[:2]
        if found:
            times[r] = found
    times = afternoon_tail(times, bare)
    # A digit misread ("11:05" as "21:05", "1:35am" for "11:35am") breaks the day's order: such a
    # row is read again below, from the rows that keep it and from its own digits.
    doubtful = mostly_misread(times)
    misread = out_of_order(times)
    for r in misread:
        del times[r]
    # ...and a row between two that keep the order with each other but does not fit between them
    # (at the end of the axis, "21:05" after "11:05" is as long a run as the true "11:55").
    for r in range(header_row + 1, table.nrows):
        if r in times and r - 1 in times and r + 1 in times:
            (_, prev_end), (s, e), (next_start, _) = times[r - 1], times[r], times[r + 1]
            if prev_end <= next_start and not (prev_end <= s < e <= next_start):
                del times[r]
                misread.add(r)
    # A time label over several atomic rows (a grid shared with a differently divided table
    # below it): every row it covers takes its time, when no one-row label gave one.
    for r in range(header_row + 1, table.nrows):
        if r in times or r in misread:
            continue
        for c in range(table.ncols):
            cell = table.owner(r, c)
            if c in day_cols or cell is None or not cell.words or cell.c1 - cell.c0 > 1:
                continue
            rng = find_range(cell.text)
            if rng and not any(rr in times for rr in range(cell.r0, cell.r1)):
                for rr in range(cell.r0, cell.r1):
                    times[rr] = rng[:2]
                break
    # A label whose digits OCR misread is read again leniently, in the order of the axis.
    fixed = _repaired_times(table, header_row, day_cols, times, only_col)
    read = dict(times)
    times.update(fixed)
    if repaired is not None:
        repaired.update(fixed)
    # A row whose time was misread sits between its neighbours: prev end .. next start, both read
    # as printed (a neighbour repaired above is not sure enough to place another row by), unless
    # the row is a break printed with no time ("LUNCH BREAK" down an untimed column): its own word
    # says it is a pause, so a repaired neighbour is sure enough.
    for r in range(header_row + 1, table.nrows):
        if r in times:
            continue
        sure = times if _break_row(table, r, day_cols) else read
        if r - 1 in sure and r + 1 in sure:
            start, end = sure[r - 1][1], sure[r + 1][0]
            if start < end:
                times[r] = (start, end)
    if doubtful:
        # An axis mostly misread is rebuilt, not read: every row of it is as unsure as a repair.
        if repaired is not None:
            repaired.update(times)
        if doubted is not None:
            doubted.add(only_col)
    return times


def _break_row(table: Table, r: int, day_cols: set[int]) -> bool:
    """Whether row r's own labels (a title over the whole axis is not one) name a pause only."""
    texts = [cell.text for _, cell in _label_cells(table, r, day_cols)]
    return bool(texts) and all(is_break_text(t) and find_range(t) is None for t in texts)


def _label_cells(table: Table, r: int, day_cols: set[int]) -> Iterator[tuple[int, Cell]]:
    """(column, cell) of row r's one-row cells with text outside the day columns, left to right: where
    a time axis's labels are. A cell over several columns comes once per column."""
    for c in range(table.ncols):
        cell = table.owner(r, c)
        if c not in day_cols and cell is not None and cell.r1 - cell.r0 == 1 and cell.words:
            yield c, cell


def _times_in_days(table: Table, r: int, day_cols: set[int]) -> bool:
    """A row whose day cells print lone times is a row of times itself (a one-row-per-lesson
    table's start or end column, turned), not a period beside its start and end labels."""
    return any(
        (cell := table.owner(r, c)) is not None and alone_time(cell.text.strip(_LABEL_JUNK)) is not None
        for c in day_cols
    )


def _row_labels(table: Table, r: int, day_cols: set[int]) -> list[str]:
    """The texts of a row's one-row, one-column cells outside the day columns, left to right."""
    return [cell.text for c, cell in _label_cells(table, r, day_cols) if (cell.c0, cell.c1) == (c, c + 1)]


def _label_column(table: Table, day_cols: set[int], times: dict[int, tuple[str, str]]) -> int | None:
    """The column of the time labels: where the rows already timed have a time range."""
    counts: dict[int, int] = {}
    for r in times:
        for c in range(table.ncols):
            cell = table.owner(r, c)
            if c not in day_cols and cell is not None and cell.r1 - cell.r0 == 1 and find_range(cell.text):
                counts[c] = counts.get(c, 0) + 1
                break
    return max(counts, key=lambda c: counts[c]) if counts else None


def _repaired_times(
    table: Table, header_row: int, day_cols: set[int], times: dict[int, tuple[str, str]], only_col: int | None
) -> dict[int, tuple[str, str]]:
    """Rows whose time label OCR misread ("41.00 W169", "143.00 13.95"), read again leniently and
    chosen to keep the axis in order with the rows already timed (see axis_repair)."""
    col = only_col if only_col is not None else _label_column(table, day_cols, times)
    if col is None:
        return {}
    rows: list[int] = []
    items: list[tuple[str, str] | str] = []
    for r in range(header_row + 1, table.nrows):
        cell = table.owner(r, col)
        if r in times and times[r][0] < times[r][1]:
            rows.append(r)
            items.append(times[r])
        elif cell is not None and cell.r1 - cell.r0 == 1 and cell.words:
            rows.append(r)
            items.append(cell.text)
    if all(isinstance(it, tuple) for it in items):
        return {}
    return {rows[i]: pair for i, pair in repair_axis(items).items()}


# "Period 1 8:30", "I 8.30 am", "P3 10:00": the period's label, then its time.
_PERIOD_PREFIX_RE = re.compile(r"^\s*(?:period\s*\d+|p\d{1,2}|[ivx]{1,4})\.?\s+(?=\d)", re.I)


def _start_times(table: Table, header_row: int, day_cols: set[int]) -> dict[int, tuple[str, str]]:
    """A time column that prints only each period's start ("8:30", "9:20"): a period ends where the
    next one starts. The last period's end is not printed, so its row gets no time (no guessing)."""
    starts: list[tuple[int, str]] = []
    compact: list[tuple[int, str]] = []
    for r in range(header_row + 1, table.nrows):
        for _, cell in _label_cells(table, r, day_cols):
            one = alone_time(_PERIOD_PREFIX_RE.sub("", cell.text).strip(_LABEL_JUNK))
            sure = one is not None and one.has_minutes and not one.compact
            if sure and one is not None and (mins := one.minutes()) is not None:
                starts.append((r, fmt(mins)))
                break
            if one is not None and one.compact and (mins := one.minutes(guess=False)) is not None:
                compact.append((r, fmt(mins)))
                break
    if len(starts) < 3 and _clock_steps(compact):
        starts = compact  # "0830", "0900", "0930": four digits alone are times on such an axis
    if len(starts) < 3:
        starts = _start_hours(table, header_row, day_cols)
    if len(starts) < 3 or any(b[1] <= a[1] for a, b in zip(starts, starts[1:], strict=False)):
        return {}
    # A row with no start of its own (a break without a time) leaves the period before it open.
    return {r: (t, nxt) for (r, t), (r2, nxt) in zip(starts, starts[1:], strict=False) if r2 == r + 1}


_LABEL_JUNK = " '\"`‘’“”:;.,|_"  # OCR of a rule or a band's edge beside a time label


def _clock_steps(starts: list[tuple[int, str]]) -> bool:
    """Four-digit numbers down an axis read as times: five or more, on consecutive rows, rising by
    one even step of ten minutes or more (room numbers and codes do not)."""
    if len(starts) < 5 or any(b[0] != a[0] + 1 for a, b in zip(starts, starts[1:], strict=False)):
        return False
    mins = [int(t[:2]) * 60 + int(t[3:]) for _, t in starts]
    steps = {b - a for a, b in zip(mins, mins[1:], strict=False)}
    return len(steps) == 1 and min(steps) >= 10


def _start_hours(table: Table, header_row: int, day_cols: set[int]) -> list[tuple[int, str]]:
    """A time column of start hours only ("8", "9", "10"...): each row's first number, read as
    hours when they run on hour by hour from a school morning (period numbers do not)."""
    rows: list[tuple[int, str]] = []
    for r in range(header_row + 1, table.nrows):
        for _, cell in _label_cells(table, r, day_cols):
            if cell.text.strip().isdigit():
                rows.append((r, cell.text.strip()))
            break  # the row's first label only
    hours = start_hours([t for _, t in rows])
    return [] if hours is None else [(r, fmt(m)) for (r, _), m in zip(rows, hours, strict=True)]


def _infer_days(table: Table, r: int, days: dict[int, int]) -> None:
    """Misread day names next to read ones ("MIN" after nothing, "TWE" after "MON"): accepted
    when the next or previous day in the week resembles the text."""
    changed = True
    while changed:
        changed = False
        for c in range(table.ncols):
            cell = table.owner(r, c)
            if c in days or cell is None or cell.r0 != r or not cell.words:
                continue
            for nb, step in ((c - 1, 1), (c + 1, -1)):
                if nb in days:
                    d = next_day(days[nb], step)
                    if d not in days.values() and resembles_day(cell.text, d):
                        days[c] = d
                        changed = True
                        break


def _adjacent_short_days(texts: list[str]) -> dict[int, int]:
    """Two-letter day names ("Tu", "We") in neighbouring headings, a day apart: {heading: day}.
    Alone such a name is a word; two side by side in week order are the week (big two-letter
    labels whose other letters OCR misread)."""
    short = [day_index(t, allow_short=True) for t in texts]
    for i in range(len(short) - 1):
        a, b = short[i], short[i + 1]
        if a is not None and b is not None and b == next_day(a):
            return {i: a, i + 1: b}
    return {}


_FIRST_DAYS = (0, CYCLE_BASE, LETTER_BASE)  # Monday, Day 1, Day A: nothing comes before them


def _fill_unread_days(heads: list[tuple[int, Cell]], days: dict[int, int]) -> None:
    """Headings next to the days read whose text is no word (no three letters in a row: "Vo",
    "——", "=i") take the next day on from their neighbour; never a day before Monday (a corner
    cell's mark is no Sunday). Empty headings stay empty."""
    order = [c for c, _ in heads]
    cells = dict(heads)
    changed = True
    while changed:
        changed = False
        for i, c in enumerate(order):
            if c in days or not cells[c].words or re.search(r"[A-Za-z]{3}", cells[c].text):
                continue
            if i > 0 and order[i - 1] in days:
                d = next_day(days[order[i - 1]])
            elif i + 1 < len(order) and order[i + 1] in days and days[order[i + 1]] not in _FIRST_DAYS:
                d = days[order[i + 1]] - 1
            else:
                continue
            if d not in days.values():
                days[c] = d
                changed = True


def _batch_columns(table: Table, r: int, days: dict[int, int]) -> None:
    """A day heading over two or more columns: the day's lessons are split by batch (one column
    per group for some periods); every column under the heading is that day's."""
    for c, d in list(days.items()):
        cell = table.owner(r, c)
        if cell is not None:
            for cc in range(cell.c0, cell.c1):
                days.setdefault(cc, d)


def _day_axis(table: Table) -> tuple[int, dict[int, int]] | None:
    """The header row with the most day names: (row, {column: day index})."""
    best: tuple[int, dict[int, int]] | None = None
    for r in range(min(table.nrows, 4)):
        days: dict[int, int] = {}
        # Each cell of the row once, at its first column (a merged heading spans several).
        heads = [
            (c, cell)
            for c in range(table.ncols)
            if (cell := table.owner(r, c)) and (cell.r0, cell.c0) == (r, c)
        ]
        texts = [cell.text if cell.words else "" for _, cell in heads]
        for (c, _), d in zip(heads, header_days(texts), strict=True):
            if d is not None and d not in days.values():
                days[c] = d
        if len(days) < 2 and (short := _adjacent_short_days(texts)):
            days = {heads[i][0]: d for i, d in short.items()}
            _fill_unread_days(heads, days)
        if len(days) >= 2:
            _infer_days(table, r, days)
            _batch_columns(table, r, days)
        if len(days) >= 2 and (best is None or len(days) > len(best[1])):
            best = (r, days)
    return best


def _weekdays(days: dict[int, int]) -> bool:
    return all(d < CYCLE_BASE or d >= WEEK_BASE for d in days.values())


def orient(table: Table) -> tuple[Table, str, int, dict[int, int]] | None:
    """Return the table with days along the columns, its layout name, header row and day columns."""
    cols = _day_axis(table)
    t = table.transposed()
    rows = _day_axis(t)
    # Weekday names over one side beat a run of letters over the other (periods "A", "B", "C"...).
    if cols and rows and _weekdays(cols[1]) != _weekdays(rows[1]):
        if _weekdays(rows[1]):
            cols = None
        else:
            rows = None
    if cols and (not rows or len(cols[1]) >= len(rows[1])):
        return table, "days_cols", cols[0], cols[1]
    if rows:
        return t, "days_rows", rows[0], rows[1]
    return None


def interpret_table(table: Table, page: int = 1) -> tuple[list[DraftBlock], str, dict[str, float]]:
    """Blocks of the table, its layout and statistics used for confidence."""
    o = orient(table)
    stats = {"cells": 0.0, "cells_used": 0.0, "rows": 0.0, "rows_timed": 0.0}
    if o is None:
        return [], "unknown", stats
    t, layout, header, day_cols = o
    day_cols = _without_own_time_columns(t, header, day_cols)
    tcols = _time_columns(t, header, set(day_cols))
    per_col: dict[int | None, dict[int, tuple[str, str]]] = {}
    repaired: dict[int | None, set[int]] = {}
    doubted: set[int | None] = set()
    if len(tcols) < 2:
        per_col[None] = _axis_times(
            t, header, set(day_cols), repaired=repaired.setdefault(None, set()), doubted=doubted
        )
    else:
        for tc in tcols:
            per_col[tc] = _axis_times(
                t,
                header,
                set(day_cols),
                only_col=tc,
                repaired=repaired.setdefault(tc, set()),
                doubted=doubted,
            )
    times = max(per_col.values(), key=len)
    # Only start times printed: a cell whose last period has no end is left out, not guessed.
    starts_only = len(times) < 2
    if starts_only and (hours := hour_axis(t, header, set(day_cols))):
        # Bare hour ranges ("10-11", "12-01") carry their own ends.
        starts_only, per_col, tcols, times = False, {None: hours}, [], hours
    elif starts_only:
        per_col = {None: _start_times(t, header, set(day_cols))}
        tcols = []
        times = per_col[None]
    stats["rows"] = t.nrows - header - 1
    stats["rows_timed"] = len(times)
    stats["axis_misread"] = 1.0 if doubted and not starts_only else 0.0
    blocks: list[DraftBlock] = []
    seen_by_day: dict[int, set[int]] = {}
    fixed_rows = repaired.get(None, set()) if not starts_only and len(tcols) < 2 else set()
    own_hours = _keeps_own_hours(t, header, day_cols, times) or _no_labels(t, header, day_cols)
    letters = _letters_are_names(t, day_cols, header)
    people = teacher_rows(t, header, day_cols, times) if not starts_only and len(tcols) < 2 else set()
    made: dict[int, list[DraftBlock]] = {}  # each cell's blocks, by the cell's id
    for c, d in sorted(day_cols.items()):
        if len(tcols) >= 2:
            before = [tc for tc in tcols if tc < c]
            times = per_col[before[-1] if before else tcols[0]]
            fixed_rows = repaired.get(before[-1] if before else tcols[0], set())
        # A cell across a day's batch columns is one lesson, read once.
        seen = seen_by_day.setdefault(d, set())
        for r in range(header + 1, t.nrows):
            cell = t.owner(r, c)
            if cell is None or id(cell) in seen:
                continue
            seen.add(id(cell))
            lines = _cell_lines(cell)
            if cell.r0 in people and cell.r1 == cell.r0 + 1:
                # The teacher's line of the lesson above, not a lesson.
                for block in made.get(id(t.owner(cell.r0 - 1, c)), []) if lines else []:
                    block.notes = " ".join(filter(None, [block.notes, " ".join(lines)]))
                continue
            if not lines or no_class(lines, letters):
                continue
            stats["cells"] += 1
            timed = [rr for rr in range(cell.r0, cell.r1) if rr in times]
            own = _own_times(cell) if own_hours else None
            if not own and (not timed or (starts_only and cell.r1 - 1 not in times)):
                continue
            lessons = batch_lessons(lines) or ["\n".join(lines)]
            named = [split_name(lesson.split("\n")) for lesson in lessons]
            if not any(name for name, _ in named):
                continue
            stats["cells_used"] += 1
            conf = min((w.confidence for w in cell.words), default=1.0)
            conf *= 0.9 if cell.guessed else 1.0
            # Times read by repairing misread digits are less certain than times read as printed.
            conf *= 0.9 if any(rr in fixed_rows for rr in timed) else 1.0
            made[id(cell)] = [
                DraftBlock(
                    day=day_label(d), start_time=own[0] if own else times[timed[0]][0],
                    end_time=own[1] if own else times[timed[-1]][1],
                    name=name, notes=notes, color=cell.color, page=page, confidence=conf,
                    week=week_of_index(d),
                )
                for name, notes in named if name
            ]  # fmt: skip
            blocks.extend(made[id(cell)])
    stats["cells"] += _unnamed_day_cells(t, header, day_cols, set(tcols))
    stats["cells"] += _lost_day_cells(t, header, day_cols, set(tcols), times)
    return blocks, layout, stats


def _unnamed_day_cells(t: Table, header: int, day_cols: dict[int, int], tcols: set[int]) -> int:
    """Cells with text in a column among the days' that no heading names (a day name OCR lost):
    lessons not read, which keeps the reading's coverage, and so its confidence, below whole."""
    n = 0
    for c in range(min(day_cols), max(day_cols)):
        if c in day_cols or c in tcols:
            continue
        for r in range(header + 1, t.nrows):
            cell = t.owner(r, c)
            if cell is None or (cell.r0, cell.c0) != (r, c) or not cell.words:
                continue
            if not any(cc in day_cols for cc in range(cell.c0, cell.c1)) and _label_range(cell) is None:
                n += 1
    return n


def _names_a_lesson(cell: Cell) -> bool:
    """Text a lesson could be named by: a word of three letters, no time label or period label."""
    text = cell.text
    if _label_range(cell) is not None or _PERIOD_PREFIX_RE.match(text + " 0"):
        return False
    return re.search(r"[^\W\d_]{3,}", text) is not None and not no_class(_cell_lines(cell))


def _lost_day_cells(
    t: Table, header: int, day_cols: dict[int, int], tcols: set[int], times: dict[int, tuple[str, str]]
) -> int:
    """Cells of columns before the first day or after the last that are laid out like a day's (a
    lesson-like text in as many timed rows as a typical day fills): a day whose name OCR lost at
    the edge of the axis. Its lessons were not read, so they count against the reading's coverage,
    as `_unnamed_day_cells` counts those of a day lost between two read ones. A column of notes
    or totals beside the grid is sparser, or holds numbers."""

    def filled(c: int) -> int:
        return sum(
            1 for r in times
            if (cell := t.owner(r, c)) is not None and cell.words and (cell.r0, cell.c0) == (r, c)
            and _names_a_lesson(cell)
        )  # fmt: skip

    if not times or not day_cols:
        return 0
    typical = sorted(filled(c) for c in day_cols)[len(day_cols) // 2]
    outside = [c for c in range(t.ncols) if c not in tcols and not min(day_cols) <= c <= max(day_cols)]
    return sum(n for c in outside if (n := filled(c)) >= max(2, 0.5 * typical))


def lines_text(lines: list[Line]) -> list[str]:
    return [ln.text for ln in lines]
