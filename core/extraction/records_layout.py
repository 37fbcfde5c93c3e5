"""Rows and columns of a one-row-per-lesson table, from the rules when it has them, else from the
words' positions: each row is a lesson line (one holding a day name and a time) plus the wrapped
lines of its cells below it, each column a band of x that no gap of white crosses."""

from __future__ import annotations

from dataclasses import dataclass

from core.extraction.days import day_index
from core.extraction.grid import ruled_tables
from core.extraction.lines import Line, group_lines, median_height
from core.extraction.model import Page, Word
from core.extraction.timeparse import TIME_RE, find_range

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


def _is_lesson_line(line: Line) -> bool:
    """A line holding a day name and a time (a range, or a start and an end)."""
    if not any(day_index(w.text) is not None for w in line.words):
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


def _column_bands(words: list[Word], min_gap: float) -> list[tuple[float, float]]:
    """x bands of the columns: where the words' x-extents, projected, leave gaps of min_gap."""
    bands: list[tuple[float, float]] = []
    for w in sorted(words, key=lambda w: w.x0):
        if bands and w.x0 - bands[-1][1] < min_gap:
            bands[-1] = (bands[-1][0], max(bands[-1][1], w.x1))
        else:
            bands.append((w.x0, w.x1))
    return bands


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
        if day_index(w.text) is not None:
            return (w.x0 + w.x1) / 2
    return None


def _row_starts(lines: list[Line], anchors: list[int], lh: float) -> tuple[int, int, set[int]]:
    """The table's first and last row lines and every line that starts a row: the lesson lines,
    and lines with a day name under the lesson lines' days (a row whose time OCR misread is still
    a row, not the wrapped tail of the row above)."""
    xs = sorted(x for i in anchors if (x := _day_x(lines[i])) is not None)
    day_x = xs[len(xs) // 2]

    def starts_row(i: int) -> bool:
        x = _day_x(lines[i])
        return x is not None and abs(x - day_x) < 1.5 * lh

    def step(i: int, direction: int) -> int | None:
        """The next row start within three close lines of line i, going up (-1) or down (+1)."""
        j = i
        for _ in range(3):
            k = j + direction
            if not 0 <= k < len(lines) or abs(lines[k].cy - lines[j].cy) > 2.5 * lh:
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


def unruled_grid(page: Page) -> RowGrid | None:
    """The lesson lines of the page and the lines between them, cut into columns by white gaps."""
    lines = group_lines(page.words)
    if not lines:
        return None
    lh = median_height(page.words)
    anchors = _longest_run([i for i, ln in enumerate(lines) if _is_lesson_line(ln)], lines, 4 * lh)
    if len(anchors) < 2:
        return None
    first, last, starts = _row_starts(lines, anchors, lh)
    # Wrapped cell lines follow their row's first line (cells are top-aligned when there are no
    # rules); after the last row, only lines that continue it closely belong to the table.
    end = last + 1
    while end < len(lines) and end - last <= 4 and lines[end].y0 - lines[end - 1].y1 < 0.9 * lh:
        end += 1
    # The header: up to two lines just above the first row.
    start = first
    while start > 0 and first - start < 2 and lines[start].y0 - lines[start - 1].y1 < 2.5 * lh:
        start -= 1
    body = [w for ln in lines[first:end] for w in ln.words]
    bands = _column_bands(body, 0.7 * lh)
    if len(bands) < 3:
        return None
    groups: list[list[Line]] = []
    for i in range(first, end):
        if i in starts or not groups:
            groups.append([])
        groups[-1].append(lines[i])
    header = [_cells(lines[start:first], bands, header=True)] if start < first else None
    return RowGrid([_cells(g, bands) for g in groups], ruled=False, header=header)
