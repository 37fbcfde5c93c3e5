"""Every layout reader, in one list, each taking a page and returning a `Reading` (or None).

The readers grew with three shapes: a ruled or rule-less table gives (blocks, layout, stats), a
day-by-day list (blocks, timed, used), and the one-row-per-lesson and calendar readers a
`Reading`. The adapters here turn the first two into `Reading`s at the boundary, so
`interpret._read_page` treats every layout alike and a new reader is one more entry in
`LAYOUT_READERS`; the readers' insides are not changed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from core.extraction.calendar_view import read_calendar_view
from core.extraction.columns import ruleless_table
from core.extraction.grid import Table, ruled_tables
from core.extraction.listing import read_list
from core.extraction.master import master_reading
from core.extraction.model import Page
from core.extraction.reading import Reading
from core.extraction.records import read_records
from core.extraction.table import interpret_table

# A fallback reader is tried only when the others explain fewer lessons than this.
FALLBACK_BELOW = 4


@dataclass(frozen=True)
class LayoutReader:
    """One way of reading a page's layout. `read` returns None when the page is not laid out so;
    a `fallback` reader (a guess at a grid from alignment alone) runs only when the others found
    fewer than FALLBACK_BELOW lessons."""

    name: str
    read: Callable[[Page], Reading | None]
    fallback: bool = False


def table_reading(table: Table, page: int, guessed: bool = False) -> Reading | None:
    """A table's reading (days as columns or as rows), or None when it gave no lesson."""
    blocks, layout, st = interpret_table(table, page)
    if not blocks:
        return None
    cells, used, rows, timed = (int(st[k]) for k in ("cells", "cells_used", "rows", "rows_timed"))
    misread = bool(st.get("axis_misread"))
    return Reading(blocks, layout, cells, used, rows, timed, guessed=guessed, axis_misread=misread)


def read_ruled(page: Page) -> Reading | None:
    """The ruled table with the most lessons; the largest (first) wins ties."""
    best: Reading | None = None
    for table in ruled_tables(page):
        reading = table_reading(table, page.number)
        if reading is not None and (best is None or len(reading.blocks) > len(best.blocks)):
            best = reading
    return best


def read_master(page: Page) -> Reading | None:
    """A master timetable of many classes (day blocks of class rows): the ruled table, either way
    round, with the most lessons; or several tables each of other days (a grid per day, each
    under its day's heading), read together."""
    per_table: list[Reading] = []
    for table in ruled_tables(page):
        readings = [r for t in (table, table.transposed()) if (r := master_reading(t, page.number))]
        if readings:
            per_table.append(max(readings, key=lambda r: len(r.blocks)))
    if not per_table:
        return None
    days = [{b.day for b in r.blocks} for r in per_table]
    if len(per_table) > 1 and sum(map(len, days)) == len(set().union(*days)):
        return Reading(
            [b for r in per_table for b in r.blocks], "master",
            *(sum(getattr(r, k) for r in per_table) for k in ("candidates", "used", "rows", "rows_timed")),
        )  # fmt: skip
    return max(per_table, key=lambda r: len(r.blocks))


def read_listing(page: Page) -> Reading | None:
    """A day-by-day list; each timed line is a row and a candidate."""
    blocks, timed, used = read_list(page.words, page.number)
    return Reading(blocks, "list", timed, used, timed, timed) if blocks else None


def read_ruleless(page: Page) -> Reading | None:
    """A grid found from the words' alignment alone, with no rules: a guess."""
    table = ruleless_table(page)
    return None if table is None else table_reading(table, page.number, guessed=True)


LAYOUT_READERS: tuple[LayoutReader, ...] = (
    LayoutReader("ruled", read_ruled),
    # Many classes in one grid, a block of rows per day (a school's master timetable).
    LayoutReader("master", read_master),
    LayoutReader("list", read_listing),
    # One row per lesson with a day column and a time column (course registration exports).
    LayoutReader("records", read_records),
    # A calendar app's week view: lesson boxes placed on a time axis.
    LayoutReader("calendar", read_calendar_view),
    LayoutReader("ruleless", read_ruleless, fallback=True),
)


def page_readings(page: Page, readers: tuple[LayoutReader, ...] = LAYOUT_READERS) -> list[Reading]:
    """Every reading of the page the readers give, in the readers' order."""
    readings: list[Reading] = []
    for reader in readers:
        if reader.fallback and readings and max(len(r.blocks) for r in readings) >= FALLBACK_BELOW:
            continue
        reading = reader.read(page)
        if reading is not None:
            readings.append(reading)
    return readings
