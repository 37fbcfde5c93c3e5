"""Whether pages plainly hold a table of text, whatever it says.

When the local reading finds no timetable, a page whose words stand in rows and columns (a ruled
grid with text in its cells, or text whose lines share column starts) may still be one the reader
did not understand (day names in another language, a layout it has no reader for): a school with an
LLM engine sends it there before giving up. A letter's lines share one column; a photo has no words.
"""

from __future__ import annotations

from core.extraction.grid import ruled_tables
from core.extraction.lines import group_lines, median_height
from core.extraction.model import Page

MIN_ROWS = 3  # lines of a table that hold three or more words in shared columns
MIN_COLS = 3


def ruled_shape(page: Page) -> tuple[int, int] | None:
    """Rows and columns of the largest ruled grid with text in its cells, or None."""
    for t in ruled_tables(page):
        filled = sum(bool(c.words) for c in t.cells)
        if t.nrows >= MIN_ROWS and t.ncols >= MIN_COLS and filled >= MIN_ROWS * MIN_COLS:
            return t.nrows, t.ncols
    return None


def _cell_starts(words: list, gap: float) -> list[float]:
    """Where the line's pieces of text start: its first word and any word after a wide gap
    (prose has single spaces between words, a table's cells have columns of space)."""
    starts = [words[0].x0]
    starts += [w.x0 for prev, w in zip(words, words[1:], strict=False) if w.x0 - prev.x1 > gap]
    return starts


def aligned_shape(page: Page) -> tuple[int, int] | None:
    """Rows and columns of text standing in a table with no rules: at least MIN_COLS column starts,
    each shared by MIN_ROWS lines of MIN_COLS pieces of text; None otherwise."""
    if not page.words:
        return None
    tol = max(2.0, median_height(page.words))
    rows = [s for ln in group_lines(page.words) if len(s := _cell_starts(ln.words, 1.5 * tol)) >= MIN_COLS]
    if len(rows) < MIN_ROWS:
        return None
    columns: list[tuple[float, set[int]]] = []  # a column start and the rows with a piece there
    for i, starts in enumerate(rows):
        for x0 in starts:
            for x, members in columns:
                if abs(x0 - x) <= tol:
                    members.add(i)
                    break
            else:
                columns.append((x0, {i}))
    ncols = sum(len(members) >= MIN_ROWS for _, members in columns)
    return (len(rows), ncols) if ncols >= MIN_COLS else None


def table_shape(page: Page) -> tuple[int, int] | None:
    """The page's table as rows and columns: its ruled grid, else its aligned text; None if neither."""
    return ruled_shape(page) or aligned_shape(page)


def holds_a_table(pages: list[Page]) -> bool:
    return any(table_shape(p) is not None for p in pages)
