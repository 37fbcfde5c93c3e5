"""Week labels over a timetable's pages: "Week A" / "Week B", "Week 1" / "Week 2", "Odd week" /
"Even week". A two-week timetable prints one week per page (or per grid) headed by its label; the
label is taken out of the header lines so it is not read as the teacher's or class's name."""

from __future__ import annotations

import re

from core.extraction.daytime import CYCLE_BASE, DAYS, LETTER_BASE, cycle_index, day_label, find_range
from core.extraction.lines import Line, group_lines
from core.extraction.model import DraftTimetable, FilledRect, Page, Rule

_WEEK = re.compile(
    r"(?<![\w])(?:"
    r"week\s*[-:.]?\s*(?P<label>[AB12]|one|two)(?![\w])"
    r"|(?P<parity>odd|even)\s+weeks?(?![\w])"
    r"|weeks?\s*[-:.]?\s*(?P<parity_after>odd|even)(?![\w])"
    r")",
    re.IGNORECASE,
)
_WORDS = {"one": "1", "two": "2"}


def _label(match: re.Match[str]) -> str:
    if match.group("label"):
        raw = match.group("label")
        return _WORDS.get(raw.lower(), raw.upper())
    return (match.group("parity") or match.group("parity_after")).capitalize()


def week_of(lines: list[str]) -> tuple[str | None, list[str]]:
    """The one week label the lines carry (None when none, or two different ones), and the lines
    with it taken out."""
    labels = {_label(m) for line in lines for m in _WEEK.finditer(line)}
    if len(labels) != 1:
        return None, lines
    cleaned = [" ".join(_WEEK.sub(" ", line).strip(" -–—:|·,").split()) for line in lines]
    return labels.pop(), [line for line in cleaned if line]


def printed_week(text: str | None) -> str | None:
    """A week as another reader gave it ("Week B", "b", "odd week") in the labels pages carry."""
    text = (text or "").strip()
    if not text:
        return None
    match = _WEEK.search(text) or _WEEK.search(f"week {text}")
    return _label(match) if match else text


def split_at_weeks(page: Page) -> list[Page]:
    """A page holding both weeks, one grid under the other, each headed by its week label
    ("Week A" … then "Week B" …): one page per week, cut just above each label's line, so each
    grid is read with its own label. A page whose labels do not each head lesson times stays whole."""
    lines = group_lines(page.words)
    heads: list[tuple[float, str]] = []  # (top of the line, week label) in page order
    for line in lines:
        found = {_label(m) for m in _WEEK.finditer(line.text)}
        if len(found) == 1 and (label := found.pop()) not in {w for _, w in heads}:
            heads.append((min(w.y0 for w in line.words), label))
    if len(heads) < 2:
        return [page]
    cuts = [top - 0.5 * _line_height(lines) for top, _ in heads[1:]]
    bounds = [-float("inf"), *cuts, float("inf")]
    bands = [_band(page, a, b) for a, b in zip(bounds, bounds[1:], strict=False)]
    if not all(any(find_range(ln.text) for ln in group_lines(b.words)) for b in bands[1:]):
        return [page]
    return bands


def _line_height(lines: list[Line]) -> float:
    heights = sorted(ln.height for ln in lines)
    return heights[len(heights) // 2] if heights else 0.0


def _band(page: Page, top: float, bottom: float) -> Page:
    def inside(y0: float, y1: float) -> bool:
        return top <= (y0 + y1) / 2 < bottom

    rules = [
        Rule(r.x0, max(r.y0, top), r.x1, min(r.y1, bottom))
        for r in page.rules
        if r.y1 >= top and r.y0 < bottom and (r.y0 == r.y1 or min(r.y1, bottom) > max(r.y0, top))
    ]
    return Page(
        number=page.number, width=page.width, height=page.height,
        words=[w for w in page.words if inside(w.y0, w.y1)],
        rules=[r for r in rules if r.y0 == r.y1 or r.y1 > r.y0],
        rects=[FilledRect(r.x0, max(r.y0, top), r.x1, min(r.y1, bottom), r.color) for r in page.rects
               if inside(r.y0, r.y1)],
        source=page.source, notes=list(page.notes),
    )  # fmt: skip


def settle_weeks(draft: DraftTimetable) -> None:
    """Lessons in exactly two weeks make a two-week draft, its weeks in the order first met;
    otherwise a week label means nothing (a weekly timetable printed for "Week 1" of term) and no
    lesson keeps one."""
    weeks = list(dict.fromkeys(b.week for b in draft.blocks if b.week))
    if len(weeks) == 2:
        draft.rotation, draft.weeks = "two_week", weeks
        return
    draft.rotation, draft.weeks = "weekly", []
    for block in draft.blocks:
        block.week = None


def settle_cycle(draft: DraftTimetable) -> None:
    """Lessons on cycle days ("Day 1" … as a header printed them) make a cycle draft whose days
    run from the first of the cycle to the last one read. A page that mixes weekdays and cycle days
    is read as the kind most of its lessons have; the others are left out and the reader told."""
    cycle = [b for b in draft.blocks if b.day not in DAYS]
    if not cycle:
        return
    weekday = [b for b in draft.blocks if b.day in DAYS]
    if len(weekday) > len(cycle):
        draft.blocks = weekday
        draft.problems.append(f"{len(cycle)} lessons under cycle days ('Day 1' …) were left out")
        return
    if weekday:
        draft.blocks = cycle
        draft.problems.append(f"{len(weekday)} lessons under weekday names were left out")
    indices = {i for b in cycle if (i := cycle_index(b.day)) is not None}
    first = LETTER_BASE if min(indices) >= LETTER_BASE else CYCLE_BASE
    draft.rotation = "cycle"
    draft.cycle_days = [day_label(i) for i in range(first, max(indices) + 1)]
    draft.weeks = []
    for block in draft.blocks:
        block.week = None


def day_order(day: str) -> int:
    """Where a day (weekday or cycle day) sorts: Monday … Sunday, then Day 1 …, then Day A …."""
    if day in DAYS:
        return DAYS.index(day)
    index = cycle_index(day)
    return index if index is not None else len(DAYS)
