"""Day-by-day lists: a "Monday" heading, then lines like "08:30 - 09:20  Maths (7B Rm 4)"."""

from __future__ import annotations

import re

from core.extraction.days import DAYS, day_index
from core.extraction.lines import Line
from core.extraction.model import DraftBlock
from core.extraction.table import split_name
from core.extraction.timeparse import find_range

_LEAD_DAY_RE = re.compile(r"^\s*([A-Za-z]{2,10})\.?\s*[:\-–]?\s+(.*)$")


def interpret_list(lines: list[Line], page: int = 1) -> tuple[list[DraftBlock], int, int]:
    """Blocks from a day-by-day list; also (lines with a time, lines with a time that gave a block)."""
    blocks: list[DraftBlock] = []
    day: int | None = None
    timed = used = 0
    for line in lines:
        text = line.text.strip()
        if not text:
            continue
        d = day_index(text)
        if d is not None:
            day = d
            continue
        m = _LEAD_DAY_RE.match(text)
        if m and day_index(m.group(1)) is not None and find_range(m.group(2)):
            # "Monday 08:30-09:20 Maths" or "Mon: 8.30 - 9.20 Maths"
            day, text = day_index(m.group(1)), m.group(2)
        rng = find_range(text)
        if rng is None:
            continue
        timed += 1
        start, end, a, b = rng
        rest = (text[:a] + " " + text[b:]).strip(" -–—:|\t")
        name, notes = split_name([rest])
        if day is None or not name:
            continue
        used += 1
        blocks.append(
            DraftBlock(
                day=DAYS[day], start_time=start, end_time=end, name=name, notes=notes,
                page=page, confidence=line.confidence,
            )
        )  # fmt: skip
    return blocks, timed, used
