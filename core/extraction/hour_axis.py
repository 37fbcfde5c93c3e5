"""A time axis printed as whole hours: "10-11", "11-12", "12-01", "01-02" (one period an hour).

Timetables typed in Word often head their periods with bare hour ranges, no minutes, in 12-hour
form with no am/pm. One such label alone is as likely a score or a room range as a time; a run of
three or more down the axis, in order from a school morning, is a clock.
"""

from __future__ import annotations

import re

from core.extraction.daytime import fmt, order_axis
from core.extraction.grid import Table

_HOUR_RANGE_RE = re.compile(r"^\s*(\d{1,2})\s*(?:[-–—~]{1,2}|to)\s*(\d{1,2})\s*$", re.I)
MIN_LABELS = 3
LONGEST_HOURS = 4  # a period of more hours than this is no period


def hour_ranges(texts: list[str]) -> list[tuple[str, str]] | None:
    """(start, end) in 24-hour HH:MM for each text when every one is a bare hour range and together
    they run on in order from a school morning (12-hour wrap allowed); else None."""
    pairs: list[tuple[int, int]] = []
    for text in texts:
        m = _HOUR_RANGE_RE.match(text)
        if m is None:
            return None
        h1, h2 = int(m.group(1)), int(m.group(2))
        if not (0 <= h1 <= 23 and 0 <= h2 <= 23):
            return None
        pairs.append((h1, h2))
    if len(pairs) < MIN_LABELS:
        return None
    starts = order_axis([h1 * 60 for h1, _ in pairs])
    if starts is None or not 6 * 60 <= starts[0] <= 11 * 60:
        return None
    out: list[tuple[int, int]] = []
    for start, (h1, h2) in zip(starts, pairs, strict=True):
        hours = (h2 - h1) % 12 if h2 < 13 and h1 < 13 else h2 - h1
        if not 1 <= hours <= LONGEST_HOURS:
            return None
        end = start + 60 * hours
        if out and start < out[-1][1]:
            return None  # periods overlap: not one axis
        out.append((start, end))
    return [(fmt(s), fmt(e)) for s, e in out]


def hour_axis(table: Table, header_row: int, day_cols: set[int]) -> dict[int, tuple[str, str]]:
    """Times of the rows after the header from the first non-day column whose label cells all read
    as bare hour ranges; {} when none does. A label over several rows (a Word cell merged across an
    hour the lessons split in two) gives its hour to every row it covers."""
    for c in range(table.ncols):
        if c in day_cols:
            continue
        covered: list[range] = []
        texts: list[str] = []
        for r in range(header_row + 1, table.nrows):
            cell = table.owner(r, c)
            if cell is None or cell.r0 != r or not any(ch.isdigit() for ch in cell.text):
                continue  # a break's label ("LUNCH") is no time and leaves its row untimed
            covered.append(range(r, min(cell.r1, table.nrows)))
            texts.append(cell.text)
        if (ranges := hour_ranges(texts)) is not None:
            return {r: hour for rows, hour in zip(covered, ranges, strict=True) for r in rows}
    return {}
