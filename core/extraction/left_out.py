"""What a reading left out: timetable-looking text on the pages that no block accounts for.

A reading that explains only part of a page (a day it never found, a page of a list that gave
nothing, a grid row it skipped) can be right in everything it kept and still be wrong. `coverage`
counts only the cells of the reading that was chosen; this looks at every page's words instead:
day names and time ranges, and asks whether a block of the draft accounts for each. Subject words
are left aside: legends and titles repeat them in full where the grid prints codes.

A reading can also stop short of the time axis: a grid whose lower rows were lost (a band of colour
or a break row cut it, in a photo above all) reads its first periods perfectly and no more. The
periods printed beyond every lesson read are then the evidence.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.extraction.daytime import DAYS, day_index, find_range, minutes_of
from core.extraction.lines import group_lines
from core.extraction.model import DraftBlock, Page


@dataclass
class LeftOut:
    days: int = 0  # distinct days named on the pages
    days_missed: int = 0  # of those, days with no block
    ranges: int = 0  # time ranges printed on the pages
    # Of those, lesson-like ranges that overlap blocks but bound none, and periods beyond every block.
    ranges_missed: int = 0
    silent_pages: int = 0  # pages with day names or times that gave no block while others did

    @property
    def fraction(self) -> float:
        """Share of the timetable-looking items that no block accounts for (0..1)."""
        total = self.days + self.ranges
        return (self.days_missed + self.ranges_missed) / total if total else 0.0


def _page_items(page: Page) -> tuple[set[int], list[tuple[str, str]]]:
    days: set[int] = set()
    ranges: list[tuple[str, str]] = []
    for line in group_lines(page.words):
        days |= {d for w in line.words if (d := day_index(w.text)) is not None}
        text = line.text
        while (rng := find_range(text)) is not None:
            ranges.append((rng[0], rng[1]))
            text = text[rng[3] :]
    return days, ranges


def _contradicts(rng: tuple[str, str], bounds: set[str], spans: list[tuple[int, int]]) -> bool:
    """A printed lesson-like range across the edge of a read lesson that bounds none of them: the
    lessons' times were read otherwise than printed, or the lesson there was not read. A range over
    no lesson (a break, a free period) or not a lesson at all (a misread the reader mended) is
    no evidence either way."""
    s, e = minutes_of(rng[0], -1), minutes_of(rng[1], -1)
    if rng[0] in bounds or rng[1] in bounds or not _lesson_like(rng):
        return False
    # A period inside a lesson of several periods is consistent with it; one across its edge is not.
    return any(s < b1 and b0 < e and not (b0 <= s and e <= b1) for b0, b1 in spans)


# Distinct lesson-like ranges wholly before every block or after them all that show the reading
# stopped short of the axis; one alone may be a footnote's or an after-school club's.
MIN_BEYOND = 2


def _lesson_like(rng: tuple[str, str]) -> bool:
    s, e = minutes_of(rng[0], -1), minutes_of(rng[1], -1)
    return s >= 6 * 60 and 5 <= e - s <= 8 * 60 and e <= 22 * 60


def _beyond(ranges: list[tuple[str, str]], bounds: set[str], spans: list[tuple[int, int]]) -> int:
    """Distinct printed periods that end before the first lesson read or start after the last,
    bounding none: counted when there are at least MIN_BEYOND of them (an axis left unread)."""
    if not spans:
        return 0
    first, last = min(b0 for b0, _ in spans), max(b1 for _, b1 in spans)
    outside = {
        r for r in ranges
        if _lesson_like(r) and r[0] not in bounds and r[1] not in bounds
        and (minutes_of(r[1]) <= first or minutes_of(r[0]) >= last)
    }  # fmt: skip
    return len(outside) if len(outside) >= MIN_BEYOND else 0


def left_out(pages: list[Page], blocks: list[DraftBlock]) -> LeftOut:
    """Day names and time ranges on the pages that the draft's blocks do not account for."""
    out = LeftOut()
    if not blocks:
        return out
    have = {b.day for b in blocks}
    bounds = {b.start_time for b in blocks} | {b.end_time for b in blocks}
    used_pages = {b.page for b in blocks}
    spans = [
        (minutes_of(b.start_time, -1), minutes_of(b.end_time, -1))
        for b in blocks
        if minutes_of(b.start_time, -1) >= 0
    ]
    named: set[int] = set()
    read_ranges: list[tuple[str, str]] = []
    for page in pages:
        days, ranges = _page_items(page)
        named |= days
        out.ranges += len(ranges)
        out.ranges_missed += sum(_contradicts(r, bounds, spans) for r in ranges)
        if page.number in used_pages:
            read_ranges += ranges
        # A page of a list or grid that gave nothing (two days or two times: not a stray date).
        if page.number not in used_pages and (len(days) >= 2 or len(ranges) >= 2):
            out.silent_pages += 1
    out.ranges_missed += _beyond(read_ranges, bounds, spans)
    out.days = len(named)
    out.days_missed = sum(DAYS[d] not in have for d in named)
    return out
