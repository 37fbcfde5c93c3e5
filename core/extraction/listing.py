"""Day-by-day lists: a "Monday" heading, then lines like "08:30 - 09:20  Maths (7B Rm 4)".

A school's periods repeat from day to day, so a time OCR misread on one day ("20.25" for "10.25",
"08 700-08 45" for "08:00-08:45") is read again as the one range seen on other days that its
digits differ from by a single character, when the time as read does not fit its neighbours.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from core.extraction.daytime import (
    LETTER_BASE,
    cycle_index,
    day_group,
    day_index,
    day_label,
    find_range,
    minutes_of,
    read_day,
    week_day_index,
    week_of_index,
)
from core.extraction.lines import Line, column_bands, group_lines, median_height
from core.extraction.model import DraftBlock, Word
from core.extraction.table import split_name

_LEAD_DAY_RE = re.compile(r"^\s*([A-Za-z]{2,10})\.?\s*[:\-–]?\s+(.*)$")
# The leading time of a line whose range did not parse: digits and what OCR makes of ":" and "-".
_LEAD_TIME_RE = re.compile(r"^\s*((?:[\d:.;,'\-–—~«»$ ]|[ap]\.?m\.?\b)+)", re.IGNORECASE)
_LONGEST_LESSON = 4 * 60  # minutes; a longer one is a misread time


Days = tuple[int, ...]  # a heading may name several days ("Monday, Tuesday, Thursday, Friday")


@dataclass
class _Entry:
    line: Line
    day: Days | None
    text: str  # the line without a leading day name
    rng: tuple[str, str] | None  # start, end as read
    rest: str  # the text without the time


def _digit_forms(t: str) -> set[str]:
    """How a 24-hour time may be printed, digits only: 13:05, 1:05 (12-hour), 08:45 and 8:45."""
    h, m = int(t[:2]), t[3:]
    return {f"{h:02d}{m}", f"{h}{m}", f"{h % 12 or 12}{m}", f"{h % 12 or 12:02d}{m}"}


def _one_edit(a: str, b: str) -> bool:
    """a and b differ by at most one substituted, inserted or deleted character."""
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


def _matches(digits: str, known: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The known ranges a digit string is one slip away from."""
    out = []
    for s, e in known:
        forms = {a + b for a in _digit_forms(s) for b in _digit_forms(e)}
        if any(_one_edit(digits, f) for f in forms):
            out.append((s, e))
    return out


def _sound(rng: tuple[str, str]) -> bool:
    """Forwards, in school hours and not longer than any lesson."""
    s, e = minutes_of(rng[0]), minutes_of(rng[1])
    return 0 < e - s <= _LONGEST_LESSON and s >= 6 * 60 and e <= 21 * 60


def _joins(rng: tuple[str, str], prev_end: str | None, next_start: str | None) -> int:
    """How many of its neighbours a range meets end to start (a day of back-to-back periods)."""
    return (rng[0] == prev_end) + (rng[1] == next_start)


_LABEL_RE = re.compile(r"^([^:]{2,40}):\s*(.*)$")  # "Wednesday: (Periods 1, 3, 5)"
_TAIL_GROUP_RE = re.compile(r"\(([^()]+)\)\s*$")  # "Regular Schedule (Tu, Th)"


def _cycle_or_week_day(text: str, letters: bool) -> int | None:
    """A heading of a rotating timetable's list: a cycle day ("Day 3", "D3", "Day C"; a bare
    letter where the list's headings run A, B, C …) or a weekday with its week ("Mon A",
    "Monday 1"), as a day index (`day_label`, `week_of_index` read it back)."""
    t = text.strip().strip(":")
    if (i := cycle_index(t)) is not None:
        return i
    if letters and re.fullmatch(r"[A-T]", t):
        return LETTER_BASE + ord(t) - ord("A")
    d = read_day(t)
    return None if d is None else week_day_index(d)


def _letter_headings(lines: list[Line]) -> bool:
    """Lines of one capital letter each, in order A, B, C … (three or more): a letter cycle's days.
    The first may be lost (a photo's shadow over "A" reads "AN"): the run may start at B."""
    found = [t for ln in lines if re.fullmatch(r"[A-T]", t := ln.text.strip().strip(":"))]
    start = ord(found[0]) if found else 0
    return len(found) >= 3 and start <= ord("B") and found == [chr(start + k) for k in range(len(found))]


def _heading_day(text: str, letters: bool = False) -> Days | None:
    """A day heading: the day alone, or with its date ("Monday, 2 September", "Tue 03/09"); the
    days a bell schedule's section covers ("Monday, Tuesday, and Friday", "Mon - Thu"), alone,
    as a label ("Wednesday: (Periods 1, 3, 5)") or in brackets after a title ("Regular Schedule
    (Tu, Th)"). A line with a time is a lesson, never a heading."""
    if (one := _cycle_or_week_day(text, letters)) is not None:
        return (one,)
    if (days := day_group(text)) is not None:
        return tuple(days)
    if find_range(text):
        return None
    for m in (_LABEL_RE.match(text), _TAIL_GROUP_RE.search(text)):
        if m and (days := day_group(m.group(1))) is not None:
            return tuple(days)
    return None


def _short_heading(text: str, after: list[Line]) -> int | None:
    """The day a two-letter name ("Mo", "Sa") alone on its line names, when a timed line comes next:
    alone anywhere else, "Mo" or "Tu" is too short to be taken for a day."""
    if len(text.strip(" .:")) > 2 or not after or find_range(after[0].text) is None:
        return None
    return day_index(text, allow_short=True)


def _entries(lines: list[Line], labels: list[tuple[Days, float]]) -> list[_Entry]:
    """The timed lines, each with the day of the heading above it; the day names seen go to
    labels as (day, height on the page)."""
    out: list[_Entry] = []
    day: Days | None = None
    heading = False  # the line before was a heading too: headings in a row name one group
    letters = _letter_headings(lines)
    for k, line in enumerate(lines):
        text = line.text.strip()
        if not text:
            continue
        d = _heading_day(text, letters)
        if d is None and (short := _short_heading(text, lines[k + 1 : k + 2])) is not None:
            d = (short,)
        if d is not None:
            # "Wednesday: (Periods 1, 3, 5)" then "Thursday: (Periods 2, 4, 6)" over one list.
            day = tuple(dict.fromkeys((day or ()) + d)) if heading and day else d
            heading = True
            labels.append((d, line.cy))
            continue
        heading = False
        m = _LEAD_DAY_RE.match(text)
        if m and (one := day_index(m.group(1))) is not None and find_range(m.group(2)):
            # "Monday 08:30-09:20 Maths" or "Mon: 8.30 - 9.20 Maths"
            day, text = (one,), m.group(2)
            labels.append(((one,), line.cy))
        rng = find_range(text)
        if rng is not None:
            start, end, a, b = rng
            rest = (text[:a] + " " + text[b:]).strip(" -–—:|\t")
            out.append(_Entry(line, day, text, (start, end), rest))
        elif (lead := _LEAD_TIME_RE.match(text)) and sum(ch.isdigit() for ch in lead.group(1)) >= 6:
            out.append(_Entry(line, day, text, None, text[lead.end() :].strip(" -–—:|\t")))
    return out


def _days_beside(entries: list[_Entry], labels: list[tuple[Days, float]]) -> None:
    """Day names beside their lessons rather than above them (centred on the day's lines, as in a
    table without rules): lessons before the first name show it. Each day's times start again
    earlier, so the lines are cut where a start goes back, and each run takes the one day name
    lying within it."""
    if not labels or all(e.day is not None for e in entries):
        return
    runs: list[list[_Entry]] = []
    for e in entries:
        last = next((x.rng for x in reversed(runs[-1]) if x.rng), None) if runs else None
        if not runs or (e.rng is not None and last is not None and e.rng[0] < last[0]):
            runs.append([])
        runs[-1].append(e)
    if len(runs) != len(labels):
        return
    gaps = sorted(b.line.cy - a.line.cy for a, b in zip(entries, entries[1:], strict=False))
    pitch = gaps[len(gaps) // 2] if gaps else 0.0  # one line's step
    for run, (_, cy) in zip(runs, labels, strict=True):
        if not run[0].line.cy - pitch <= cy <= run[-1].line.cy + pitch:
            return
    for run, (day, _) in zip(runs, labels, strict=True):
        for e in run:
            e.day = day


def _repair(entries: list[_Entry]) -> None:
    """Times that do not fit their neighbours take the one range of other days they are a slip from."""
    seen = Counter(e.rng for e in entries if e.rng is not None)
    known = [r for r, n in seen.items() if n >= 2 and r is not None]
    for i, e in enumerate(entries):
        same_day = [x for x in entries if x.day == e.day]
        k = same_day.index(e)
        prev_end = same_day[k - 1].rng[1] if k > 0 and same_day[k - 1].rng else None
        next_start = same_day[k + 1].rng[0] if k + 1 < len(same_day) and same_day[k + 1].rng else None
        wanted = (prev_end is not None) + (next_start is not None)
        if e.rng is not None and (
            e.rng in known or (_sound(e.rng) and _joins(e.rng, prev_end, next_start) == wanted)
        ):
            continue
        lead = _LEAD_TIME_RE.match(e.text)
        if lead is None:
            continue
        digits = re.sub(r"\D", "", lead.group(1))
        options = [r for r in _matches(digits, known) if _sound(r)]
        if e.rng is not None and _sound(e.rng):
            # Read as a sound range that only misses a neighbour (a day may have gaps): changed
            # only to one that meets more of its neighbours.
            have = _joins(e.rng, prev_end, next_start)
            options = [r for r in options if _joins(r, prev_end, next_start) > have]
        if len(options) == 1:
            entries[i].rng = options[0]
            if e.rest == e.text or not e.rest:
                e.rest = e.text[lead.end() :].strip(" -–—:|\t")


def interpret_list(lines: list[Line], page: int = 1) -> tuple[list[DraftBlock], int, int]:
    """Blocks from a day-by-day list; also (lines with a time, lines with a time that gave a block)."""
    labels: list[tuple[Days, float]] = []
    entries = _entries(lines, labels)
    _days_beside(entries, labels)
    _repair(entries)
    blocks: list[DraftBlock] = []
    timed = used = 0
    for e in entries:
        if e.rng is None:
            continue
        timed += 1
        name, notes = split_name([e.rest])
        if e.day is None or not name:
            continue
        used += 1
        for d in e.day:  # a bell schedule's row holds on every day of its section
            blocks.append(
                DraftBlock(
                    day=day_label(d), start_time=e.rng[0], end_time=e.rng[1], name=name, notes=notes,
                    page=page, confidence=e.line.confidence, week=week_of_index(d),
                )
            )  # fmt: skip
    return blocks, timed, used


_MAX_GUTTERS = 6  # cuts tried together (2**6 ways): more is a grid, not lists side by side


def _a_list(words: list[Word]) -> bool:
    """Words that read as a list by themselves: two or more lines with a time and a name."""
    named = 0
    for line in group_lines(words):
        rng = find_range(line.text)
        if rng is not None and any(ch.isalpha() for ch in line.text[: rng[2]] + line.text[rng[3] :]):
            named += 1
    return named >= 2


def side_by_side(words: list[Word]) -> list[list[Word]]:
    """The page cut into lists printed side by side (a bell schedule's day groups, one box per
    day): white gutters down the timed lines, kept where every part then reads as a list of its
    own (times with names), as many parts as that allows. One part when nothing cuts."""
    lh = median_height(words)
    timed = [w for ln in group_lines(words) if find_range(ln.text) for w in ln.words]
    bands = column_bands(timed, 2 * lh)
    gutters = [(a[1] + b[0]) / 2 for a, b in zip(bands, bands[1:], strict=False)]
    if not gutters or len(gutters) > _MAX_GUTTERS:
        return [words]
    best: list[list[Word]] = [words]
    for mask in range(1, 2 ** len(gutters)):
        cuts = [g for i, g in enumerate(gutters) if mask >> i & 1]
        parts: list[list[Word]] = [[] for _ in range(len(cuts) + 1)]
        for w in words:
            parts[sum((w.x0 + w.x1) / 2 > c for c in cuts)].append(w)
        if len(parts) > len(best) and all(_a_list(p) for p in parts):
            best = parts
    return best


def read_list(words: list[Word], page: int = 1) -> tuple[list[DraftBlock], int, int]:
    """The page as a day-by-day list, or as lists side by side when it cuts into them."""
    whole = interpret_list(group_lines(words), page)
    parts = side_by_side(words)
    if len(parts) == 1:
        return whole
    read = [interpret_list(group_lines(p), page) for p in parts]
    split = ([b for r in read for b in r[0]], sum(r[1] for r in read), sum(r[2] for r in read))
    return split if len(split[0]) > len(whole[0]) else whole
