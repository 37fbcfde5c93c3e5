"""Rows and columns of a one-row-per-lesson table, from the rules when it has them, else from the
words' positions: each row is a lesson line (one holding a day name and a time) plus the wrapped
lines of its cells below it, each column a band of x that no gap of white crosses."""

from __future__ import annotations

import bisect
from collections.abc import Callable
from dataclasses import dataclass

from core.extraction.daytime import TIME_RE, day_codes, day_index, find_range
from core.extraction.grid import ruled_tables
from core.extraction.lines import Line, column_bands, group_lines, median_height
from core.extraction.model import Page, Word

Cells = list[list[Word]]  # one row: the words of each column


@dataclass
class RowGrid:
    """A table as rows of column cells; `header` rows come before `rows` when they are known."""

    rows: list[Cells]
    ruled: bool
    # Rows above the first lesson line that the unruled builder took as the header.
    header: list[Cells] | None = None


def ruled_grids(page: Page) -> list[RowGrid]:
    """Each ruled table as rows of cells; a merged cell's words sit in its top-left atomic cell,
    so the rows it also covers read as empty there (the reader fills those from above)."""
    out: list[RowGrid] = []
    for table in ruled_tables(page):
        rows: list[Cells] = [[[] for _ in range(table.ncols)] for _ in range(table.nrows)]
        for cell in table.cells:
            rows[cell.r0][cell.c0].extend(cell.words)
        out.append(RowGrid(rows, ruled=True))
    return out


def _dayish(word: Word) -> bool:
    """A day name, or a code of several days ("MWF", "TR"); lone letters are too common."""
    codes = day_codes(word.text)
    return day_index(word.text) is not None or (codes is not None and len(codes) >= 2)


def _is_lesson_line(line: Line) -> bool:
    """A line holding a day name and a time (a range, or a start and an end)."""
    if not any(_dayish(w) for w in line.words):
        return False
    return find_range(line.text) is not None or len(TIME_RE.findall(line.text)) >= 2


def _longest_run(anchors: list[int], lines: list[Line], max_gap: float) -> list[int]:
    """The longest run of lesson lines with no white gap wider than max_gap between the lines
    from one to the next (other lines between them, wrapped cells or unreadable rows, are fine)."""
    best: list[int] = []
    run: list[int] = []
    for i in anchors:
        if run and max(lines[k + 1].y0 - lines[k].y1 for k in range(run[-1], i)) > max_gap:
            run = []
        run.append(i)
        if len(run) > len(best):
            best = list(run)
    return best


def _column_of(word: Word, bands: list[tuple[float, float]]) -> int:
    """The band the word overlaps most (a header word can be wider than its column)."""

    def score(b: tuple[float, float]) -> float:
        overlap = min(word.x1, b[1]) - max(word.x0, b[0])
        return overlap if overlap > 0 else -min(abs(word.x0 - b[1]), abs(b[0] - word.x1))

    return max(range(len(bands)), key=lambda i: score(bands[i]))


def _overlaps(word: Word, bands: list[tuple[float, float]]) -> bool:
    return any(min(word.x1, b[1]) > max(word.x0, b[0]) for b in bands)


def _cells(lines: list[Line], bands: list[tuple[float, float]], header: bool = False) -> Cells:
    """A row's words by column; a header title over no column's content (a column whose
    cells OCR lost) is left out rather than glued to its neighbour's title."""
    row: Cells = [[] for _ in bands]
    for line in lines:
        for w in line.words:
            if not header or _overlaps(w, bands):
                row[_column_of(w, bands)].append(w)
    return row


def _day_x(line: Line) -> float | None:
    """x-centre of the line's first day name."""
    for w in line.words:
        if _dayish(w):
            return (w.x0 + w.x1) / 2
    return None


def _time_x(line: Line) -> float | None:
    """x-centre of the line's first time ("08:30", "1430-1620")."""
    for w in line.words:
        if TIME_RE.search(w.text) or find_range(w.text):
            return (w.x0 + w.x1) / 2
    return None


def _median_x(lines: list[Line], anchors: list[int], where: Callable[[Line], float | None]) -> float | None:
    xs = sorted(x for i in anchors if (x := where(lines[i])) is not None)
    return xs[len(xs) // 2] if xs else None


def _row_starts(lines: list[Line], anchors: list[int], lh: float) -> tuple[int, int, set[int]]:
    """The table's first and last row lines and every line that starts a row: the lesson lines,
    lines with a day name under the lesson lines' days (a row whose time OCR misread is still a
    row, not the wrapped tail of the row above) and lines with a time under their times (a day's
    later rows when the day is printed once)."""
    day_x = _median_x(lines, anchors, _day_x)
    time_x = _median_x(lines, anchors, _time_x)

    def starts_row(i: int) -> bool:
        x, t = _day_x(lines[i]), _time_x(lines[i])
        under_days = x is not None and day_x is not None and abs(x - day_x) < 1.5 * lh
        return under_days or (t is not None and time_x is not None and abs(t - time_x) < 1.5 * lh)

    # Rows may be padded apart: a neighbour is close when no farther than the lesson lines' pitch.
    pitches = sorted(lines[b].cy - lines[a].cy for a, b in zip(anchors, anchors[1:], strict=False))
    reach = max(2.5 * lh, 1.2 * pitches[len(pitches) // 2])

    def step(i: int, direction: int) -> int | None:
        """The next row start within three close lines of line i, going up (-1) or down (+1)."""
        j = i
        for _ in range(3):
            k = j + direction
            if not 0 <= k < len(lines) or abs(lines[k].cy - lines[j].cy) > reach:
                return None
            if starts_row(k):
                return k
            j = k
        return None

    first, last = anchors[0], anchors[-1]
    while (up := step(first, -1)) is not None:
        first = up
    while (down := step(last, 1)) is not None:
        last = down
    return first, last, {i for i in range(first, last + 1) if i in anchors or starts_row(i)}


def _row_edges(page: Page, x0: float, x1: float) -> list[float]:
    """y of the rules (and shaded row stripes' edges) that run across the table: row borders of a
    table ruled only between rows, or zebra-striped."""
    span = 0.6 * (x1 - x0)

    def across(a: float, b: float) -> bool:
        return min(b, x1) - max(a, x0) >= span

    ys = [
        (r.y0 + r.y1) / 2
        for r in page.rules
        if abs(r.y1 - r.y0) * 3 <= abs(r.x1 - r.x0) and across(r.x0, r.x1)
    ]
    for rect in page.rects:
        if across(rect.x0, rect.x1):
            ys += [rect.y0, rect.y1]
    return sorted(ys)


def _widest_gap(lines: list[Line], a: int, b: int) -> tuple[float, float]:
    """The widest white gap between lines a..b (its width, and the y of its middle); the lowest of
    nearly equal gaps, so evenly spaced lines cut just above line b."""
    gaps = [(lines[k + 1].y0 - lines[k].y1, (lines[k].y1 + lines[k + 1].y0) / 2) for k in range(a, b)]
    widest = max(g for g, _ in gaps)
    return widest, max(y for g, y in gaps if g >= widest - 0.15 * abs(widest))


def _row_cuts(lines: list[Line], starts: list[int], edges: list[float]) -> list[float]:
    """Where one row ends and the next begins: the border between their first lines when there is
    one, else the widest white gap between them. Cells may be top-aligned (wrapped lines below the
    row's day and time) or centred (wrapped lines above it too); rows are set apart by more white
    than the lines of a cell, so the widest gap is the border either way."""
    cuts = []
    for a, b in zip(starts, starts[1:], strict=False):
        between = [e for e in edges if lines[a].cy < e < lines[b].cy]
        cuts.append(max(between) if between else _widest_gap(lines, a, b)[1])
    return cuts


def _table_span(lines: list[Line], starts: list[int], edges: list[float], lh: float) -> tuple[int, int]:
    """Indexes [lo, hi) of the table's lines: from the border above the first row to the border
    below the last; with no borders, the lines above the first row (below the last) that are as
    close to it as the lines of one cell, not set apart like a row (or the header)."""
    first, last = starts[0], starts[-1]
    pads = [_widest_gap(lines, a, b)[0] for a, b in zip(starts, starts[1:], strict=False)]
    close = 0.6 * sorted(pads)[len(pads) // 2]
    top = [e for e in edges if lines[first].cy - 4 * lh < e < lines[first].cy]
    bottom = [e for e in edges if lines[last].cy < e < lines[last].cy + 6 * lh]

    def above(k: int) -> bool:
        if top:
            return lines[k].cy > max(top)
        return k >= first - 4 and lines[k + 1].y0 - lines[k].y1 < close

    def below(k: int) -> bool:
        if bottom:
            return lines[k].cy < min(bottom)
        return k <= last + 4 and lines[k].y0 - lines[k - 1].y1 < min(close, 0.9 * lh)

    lo, hi = first, last + 1
    while lo > 0 and above(lo - 1):
        lo -= 1
    while hi < len(lines) and below(hi):
        hi += 1
    return lo, hi


def unruled_grid(page: Page) -> RowGrid | None:
    """The lesson lines of the page and the lines between them, cut into columns by white gaps."""
    lines = group_lines(page.words)
    if not lines:
        return None
    lh = median_height(page.words)
    anchors = _longest_run([i for i, ln in enumerate(lines) if _is_lesson_line(ln)], lines, 4 * lh)
    if len(anchors) < 2:
        return None
    first, last, row_starts = _row_starts(lines, anchors, lh)
    x0 = min(ln.x0 for ln in lines[first : last + 1])
    x1 = max(ln.x1 for ln in lines[first : last + 1])
    edges = _row_edges(page, x0, x1)
    order = sorted(row_starts)
    lo, hi = _table_span(lines, order, edges, lh)
    # The header: up to two lines just above the table.
    start = lo
    while start > 0 and lo - start < 2 and lines[start].y0 - lines[start - 1].y1 < 2.5 * lh:
        start -= 1
    bands = column_bands([w for ln in lines[lo:hi] for w in ln.words], 0.7 * lh)
    if len(bands) < 3:
        return None
    cuts = _row_cuts(lines, order, edges)
    groups: list[list[Line]] = [[] for _ in order]
    for line in lines[lo:hi]:
        groups[bisect.bisect(cuts, line.cy)].append(line)
    # One header row per line: the lines above the column titles may head sub-tables (a venue).
    header = [_cells([ln], bands, header=True) for ln in lines[start:lo]] or None
    return RowGrid([_cells(g, bands) for g in groups], ruled=False, header=header)
