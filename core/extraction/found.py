"""What a page showed when no timetable could be read from it, for the person who checks it.

A page that plainly holds a table but gave no lessons should not reach its checker as a blank, nor
be called "not a timetable": the table's size, the day names and the times that were seen tell the
person where to start (and the check screen offers the days and times as the slots to fill).
"""

from __future__ import annotations

import msgspec

from core.extraction.daytime import DAYS, TIME_RE, day_index, find_range, minutes_of, parse_time
from core.extraction.lines import group_lines
from core.extraction.model import Page
from core.extraction.table_like import table_shape

SHORTEST, LONGEST = 5, 4 * 60  # minutes: two clock times further apart are no period


class Found(msgspec.Struct, rename="camel", kw_only=True):
    """The structure seen on the pages: the largest table, the day names, the times."""

    rows: int = 0  # the largest table of text (ruled, or text in aligned columns); 0 when none
    columns: int = 0
    days: list[str] = msgspec.field(default_factory=list)  # in week order
    times: int = 0  # distinct time ranges read ("08:30 - 09:20"), or clock times when no ranges
    periods: list[tuple[str, str]] = msgspec.field(default_factory=list)  # (start, end), earliest first

    def plainly_a_table(self) -> bool:
        """A table of text, or day names with times: a timetable we could not place, not a letter
        (a letter may name a day or a time, but its lines share one column)."""
        return bool(self.rows) or (len(self.days) >= 2 and self.times >= 2)

    def describe(self) -> str | None:
        """ "a table with 6 rows and 8 columns, the days Monday–Friday and 7 times", or None."""
        parts = []
        if self.rows:
            parts.append(f"a table with {self.rows} rows and {self.columns} columns")
        if self.days:
            parts.append(("the day " if len(self.days) == 1 else "the days ") + _days(self.days))
        if self.times:
            parts.append("1 time" if self.times == 1 else f"{self.times} times")
        if not parts:
            return None
        return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def _days(days: list[str]) -> str:
    """ "Monday–Friday" for a run of three or more, else "Monday, Wednesday and Friday"."""
    idx = [DAYS.index(d) for d in days]
    if len(idx) >= 3 and idx == list(range(idx[0], idx[0] + len(idx))):
        return f"{days[0]}–{days[-1]}"
    return days[0] if len(days) == 1 else ", ".join(days[:-1]) + " and " + days[-1]


def _ranges(text: str) -> list[tuple[str, str]]:
    """Every time range in a line of text (a header row holds one per period)."""
    out = []
    while (found := find_range(text)) is not None and found[3] > 0:
        out.append((found[0], found[1]))
        text = text[found[3] :]
    return out


def find(pages: list[Page]) -> Found:
    rows = columns = 0
    days: set[int] = set()
    ranges: set[tuple[str, str]] = set()
    clocks: set[str] = set()
    for page in pages:
        shape = table_shape(page)
        if shape is not None and shape[0] * shape[1] > rows * columns:
            rows, columns = shape
        days |= {d for word in page.words if (d := day_index(word.text)) is not None}
        for line in group_lines(page.words):
            pairs = [r for r in _ranges(line.text) if r[0] < r[1]]
            times = {t for m in TIME_RE.finditer(line.text) if (t := parse_time(m.group(0)))}
            if len(times) > 2 * len(pairs):
                clocks |= times  # a row of start times ("8:30 9:20 10:10"), not ranges two by two
            else:
                ranges.update(pairs)
    if ranges:
        periods = sorted(ranges)
    else:
        # Start times alone (a header of "8:30 9:20 10:10"): each period ends when the next begins.
        ordered = sorted(clocks)
        periods = [
            (a, b)
            for a, b in zip(ordered, ordered[1:], strict=False)
            if SHORTEST <= minutes_of(b) - minutes_of(a) <= LONGEST
        ]
    return Found(
        rows=rows,
        columns=columns,
        days=[DAYS[d] for d in sorted(days)],
        times=len(ranges) or len(clocks),
        periods=periods,
    )


def what_was_found(pages: list[Page]) -> str | None:
    """The structure seen, in words ("a table with 6 rows and 8 columns, the days Monday–Friday
    and 7 times"), or None when the pages showed none."""
    return find(pages).describe()
