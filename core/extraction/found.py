"""What a page showed when no timetable could be read from it, for the person who reviews it.

A screenshot that plainly holds a table but gave no lessons should not reach review as a blank: the
grid, the day names and the times that were seen tell the reviewer (and the LLM prompt) where to
start, and why the reading stopped.
"""

from __future__ import annotations

from core.extraction.daytime import DAYS, day_index, find_range, has_clock
from core.extraction.grid import ruled_tables
from core.extraction.lines import group_lines
from core.extraction.model import Page


def what_was_found(pages: list[Page]) -> str | None:
    """ "a ruled grid of 6 rows and 8 columns; day names Monday, Tuesday; 7 times", or None."""
    grid: tuple[int, int] | None = None
    days: set[int] = set()
    times = 0
    for page in pages:
        for table in ruled_tables(page)[:1]:
            if grid is None or table.nrows * table.ncols > grid[0] * grid[1]:
                grid = (table.nrows, table.ncols)
        for word in page.words:
            if (d := day_index(word.text)) is not None:
                days.add(d)
        times += sum(bool(find_range(ln.text) or has_clock(ln.text)) for ln in group_lines(page.words))
    parts = []
    if grid is not None and grid[0] * grid[1] >= 4:
        parts.append(f"a ruled grid of {grid[0]} rows and {grid[1]} columns")
    if days:
        parts.append("day names " + ", ".join(DAYS[d] for d in sorted(days)))
    if times:
        parts.append(f"{times} line(s) with times")
    return "; ".join(parts) or None
