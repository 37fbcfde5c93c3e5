"""A calendar app's week view: lesson boxes placed on a time axis of hour or half-hour labels, one
column per day.

The time of a lesson is not printed: it is where its box sits. So the reading needs three things
from the page: day columns (from the day header words), a time axis (single times such as "9:00 AM"
or "14:00" down one side, fitted as a straight line from y to minutes), and boxes (the page's
filled or outlined areas). A box's top edge is its start and its bottom edge its end; its first
text line is the lesson's name. Ruled timetables print time *ranges*, so an axis of ranges (or too
few single times) never makes a calendar reading.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from statistics import median

from core.extraction.daytime import (
    DAYS,
    alone_time,
    find_range,
    fmt,
    header_days,
    next_day,
    to_minutes,
    week_order,
)
from core.extraction.lines import Line, group_lines, median_height
from core.extraction.model import DraftBlock, FilledRect, Page, Word
from core.extraction.reading import Reading

MIN_LABELS = 4  # fewer labels than this is not an axis (a ruled grid's odd single time)
BARE = "bare"  # a label that is a bare number: an hour only when the axis reads as school hours
MIN_DAYS = 3
# Icons read as letters come out below this; lesson names typed in an app read far above it.
MIN_WORD_CONF = 0.65
LOW_WORD_CONF = 0.5
QUARTER_PULL = 3.0  # minutes
MAX_LESSON = 6 * 60  # minutes
MAX_PAD = 3.0  # letter heights from a box's top to its name (icons above it included)
SURE_CONF = 0.9


@dataclass
class Axis:
    """y (page units) -> minutes since midnight, fitted on the labels."""

    slope: float  # minutes per page unit
    offset: float
    step: int  # minutes between consecutive labels (30, 60)
    x1: float  # right edge of the labels
    top: float  # first and last label centres
    bottom: float
    labels: int

    def minutes(self, y: float) -> float:
        return self.slope * y + self.offset


@dataclass
class Column:
    day: str
    x0: float
    x1: float
    top: float  # bottom of the day header: the week's boxes lie below it


def _label_minutes(text: str) -> tuple[int, int, str | None] | None:
    """One time standing alone, a label of the time axis: "9:00 AM", "09:00", "9.30", "9 AM"."""
    t = alone_time(text)
    if t is None or t.compact:
        if re.fullmatch(r"\d{1,2}", text.strip()) and int(text) <= 23:
            return int(text), 0, BARE  # an hour alone ("08", "1"): phone apps' axes
        return None
    return t.hour, t.minute, t.suffix


def _axis_labels(lines: list[Line], left_of: float, gh: float) -> list[tuple[float, float, int]]:
    """(centre y, right edge, minutes) of the single-time labels left of the first day column,
    top to bottom; bare 24-hour-looking times that go backwards ("12:00", "1:00") are afternoon."""
    found: list[tuple[float, float, int, int, str | None]] = []
    for line in lines:
        # The axis is the line's first run of words, left of the days: box text on the same line
        # (in a column whose header OCR missed, too) must be cut off first.
        line = Line(_runs(line, gh)[0])
        if line.x1 > left_of:
            continue
        parsed = _label_minutes(line.text)
        if parsed is not None:
            found.append((line.cy, line.x1, *parsed))
    found.sort()
    out: list[tuple[float, float, int]] = []
    bare: list[int] = []
    prev = -1
    for cy, x1, hour, minute, suffix in found:
        mins = to_minutes(hour, minute, None if suffix == BARE else suffix, guess=False)
        if mins is None:
            continue
        while suffix in (None, BARE) and mins < prev and mins + 720 < 24 * 60:
            mins += 720
        out.append((cy, x1, mins))
        if suffix == BARE:
            bare.append(mins)
        prev = mins
    # Bare numbers are hours only as a school day's run of them ("08" … "12", "01" … "05"): a
    # column of period numbers (1 … 8) starts before six in the morning, and is no axis.
    if bare and (min(bare) < 6 * 60 or max(bare) > 22 * 60):
        out = [o for o in out if o[2] not in bare]
    return out


def _label_step(diffs: list[int]) -> int | None:
    """Minutes between rows: the largest usual step that (nearly) every gap between consecutive
    labels is a multiple of; labels OCR missed leave gaps of two or three rows."""
    for step in (120, 60, 30, 20, 15):
        if diffs and sum(d % step == 0 for d in diffs) >= 0.8 * len(diffs):
            return step
    return None


def _fit_axis(labels: list[tuple[float, float, int]]) -> Axis | None:
    """Theil-Sen line through (y, minutes): a misread label cannot tilt it."""
    if len(labels) < MIN_LABELS:
        return None
    slopes = [
        (m2 - m1) / (y2 - y1)
        for i, (y1, _, m1) in enumerate(labels)
        for (y2, _, m2) in labels[i + 1 :]
        if y2 - y1 > 1
    ]
    if not slopes:
        return None
    slope = median(slopes)
    if slope <= 0:
        return None
    offset = median(m - slope * y for y, _, m in labels)
    step = _label_step([b[2] - a[2] for a, b in zip(labels, labels[1:], strict=False) if b[2] > a[2]])
    if step is None:
        return None
    inliers = [lb for lb in labels if abs(slope * lb[0] + offset - lb[2]) < 0.25 * step]
    if len(inliers) < MIN_LABELS or len(inliers) < 0.7 * len(labels):
        return None
    return Axis(
        slope, offset, step, max(lb[1] for lb in inliers), inliers[0][0], inliers[-1][0], len(inliers)
    )


def _runs(line: Line, gh: float) -> list[list[Word]]:
    """The line's words in runs that no gap wider than a word space or two interrupts."""
    runs: list[list[Word]] = []
    for w in line.words:
        if runs and w.x0 - runs[-1][-1].x1 <= 1.5 * gh:
            runs[-1].append(w)
        else:
            runs.append([w])
    return runs


_GLUED_DATE_RE = re.compile(r"^([A-Za-z]{1,3})\.?\d{1,3}$")


def _day_part(text: str) -> str:
    """A header word's day part: an app's one-letter day and its date come out of OCR as one word
    ("M12", "T13"), whose letters alone say the day once they run in week order."""
    m = _GLUED_DATE_RE.match(text)
    return m.group(1) if m else text


def _header_cells(line: Line, gh: float) -> list[tuple[float, int]]:
    """(centre x, day) of each header cell on a line: a run of words with one day name in it
    ("Mon 12 Jul" is centred over its column; its "Mon" alone is not)."""
    cells = []
    # Two-letter names ("Mo 12") count when the line has a run of them in week order.
    texts = [_day_part(w.text) for w in line.words]
    if sum(_GLUED_DATE_RE.match(w.text) is not None for w in line.words) >= MIN_DAYS:
        # A header of letters and dates: a word that is neither is one OCR garbled ("Tis" for
        # "T 15"), an empty heading whose day its place gives.
        texts = [t if _GLUED_DATE_RE.match(w.text) else "" for t, w in zip(texts, line.words, strict=True)]
    day_of = dict(zip((id(w) for w in line.words), header_days(texts), strict=True))
    for run in _runs(line, gh):
        # A week view's columns are weekdays; cycle days are read as a grid (table.py).
        days = [i for w in run if (i := day_of.get(id(w))) is not None and i < len(DAYS)]
        if len(days) == 1:
            cells.append(((run[0].x0 + run[-1].x1) / 2, days[0]))
    return cells


def _day_columns(lines: list[Line], gh: float) -> list[Column]:
    """Day columns from the header line with the most distinct day names, left to right."""
    best: list[tuple[float, int]] = []
    top = 0.0
    for line in lines:
        cells = _header_cells(line, gh)
        if len({i for _, i in cells}) > len({i for _, i in best}):
            best, top = cells, line.y1
    days = _fill_days(sorted(best))
    if len({i for _, i in days}) < MIN_DAYS or len({i for _, i in days}) != len(days):
        return []
    centres = [cx for cx, _ in days]
    half = median(b - a for a, b in zip(centres, centres[1:], strict=False)) / 2
    cols: list[Column] = []
    for k, (cx, i) in enumerate(days):
        left = (centres[k - 1] + cx) / 2 if k > 0 else cx - half
        right = (centres[k + 1] + cx) / 2 if k + 1 < len(centres) else cx + half
        cols.append(Column(DAYS[i], left, right, top))
    return cols


def _fill_days(days: list[tuple[float, int]]) -> list[tuple[float, int]]:
    """Header cells OCR missed between two it read ("MON TUE . THU"): columns are evenly spaced, so
    a gap of two column widths between Tuesday and Thursday holds Wednesday."""
    # Positions in the header's own week, so a week starting Sunday fills the same way.
    order = week_order([i for _, i in days])
    if len(days) < 2 or order is None:
        return days
    first = days[0][1]
    pos = [(x, p) for (x, _), p in zip(days, order, strict=True)]
    width = median((b[0] - a[0]) / (b[1] - a[1]) for a, b in zip(pos, pos[1:], strict=False))
    out = [days[0]]
    for (x0, i0), (x1, i1) in zip(pos, pos[1:], strict=False):
        if abs((x1 - x0) - width * (i1 - i0)) > 0.1 * width * (i1 - i0):
            return days  # not evenly spaced: leave the header as read
        out.extend((x0 + width * (k - i0), next_day(first, k)) for k in range(i0 + 1, i1))
        out.append((x1, next_day(first, i1)))
    return out


def _leading_day(cols: list[Column], axis: Axis) -> list[Column]:
    """A day column between the axis and the first header read (OCR missed its header): week
    views have no gaps, so it is the day before."""
    first = cols[0]
    width = first.x1 - first.x0
    before = DAYS[next_day(DAYS.index(first.day), -1)]  # Sunday before Monday in a Sunday-first week
    if any(c.day == before for c in cols) or first.x0 - axis.x1 < 0.8 * width:
        return cols
    return [Column(before, first.x0 - width, first.x0, first.top), *cols]


def _phase_shift(axis: Axis, page: Page, cols: list[Column]) -> float:
    """Minutes to add to the fitted axis so a row's top edge gets its label's time.

    The fit runs through the labels' centres, but a label may sit on its row's top line (Google
    style), just below it, or in the middle of its row; the grid lines and box edges tell which:
    a row edge belongs to the label at or below it.
    """
    x0, x1 = cols[0].x0, cols[-1].x1
    lo, hi = cols[0].top, axis.bottom + 2 * axis.step / axis.slope
    # Grid lines across several days are row edges; box edges may sit between rows (a lesson at
    # quarter past on an hourly axis), so they only decide when the grid has too few lines.
    span = 1.5 * (x1 - x0) / len(cols)
    ys = [
        r.y0 for r in page.rules if r.y0 == r.y1 and min(r.x1, x1) - max(r.x0, x0) > span and lo <= r.y0 <= hi
    ]
    if len(ys) < MIN_LABELS:
        ys += [y for r in page.rects if r.x0 < x1 and r.x1 > x0 for y in (r.y0, r.y1) if lo <= y <= hi]
    shifts = []
    for y in ys:
        phase = axis.minutes(y) % axis.step
        shift = (-phase + 0.1 * axis.step) % axis.step - 0.1 * axis.step
        # Labels sit on their row's line, just below it or mid-row: never in its lower part.
        if shift <= 0.6 * axis.step:
            shifts.append(shift)
    if not shifts:
        return 0.0
    # The commonest shift (5-minute bins), averaged within its bin.
    bins: dict[int, list[float]] = {}
    for s in shifts:
        bins.setdefault(round(s / 5), []).append(s)
    best = max(bins.values(), key=len)
    return sum(best) / len(best)


def _boxes(page: Page, axis: Axis, cols: list[Column]) -> list[tuple[Column, FilledRect]]:
    """Box-like areas inside one day column between the header and the last row; the outermost of
    nested ones. The axis reaches above its first label read (OCR may miss a few), so boxes may too."""
    min_h = 10 / axis.slope  # a 10-minute event is the shortest a week view draws with text
    max_h = MAX_LESSON / axis.slope  # taller is a day's empty column, not a lesson
    out: list[tuple[Column, FilledRect]] = []
    for r in page.rects:
        if r.y0 < cols[0].top or not min_h <= r.y1 - r.y0 <= max_h:
            continue
        if axis.minutes(r.y0) < 0 or r.y1 > axis.bottom + 2 * axis.step / axis.slope:
            continue  # below the last row: the app's buttons and footer
        cx = (r.x0 + r.x1) / 2
        col = next((c for c in cols if c.x0 <= cx < c.x1), None)
        if col is None:
            continue
        width = col.x1 - col.x0
        if not 0.3 * width <= r.x1 - r.x0 <= 1.1 * width:
            continue
        out.append((col, r))
    return [(c, r) for c, r in out if not any(_inside(r, o) for _, o in out if o is not r)]


def _area(r: FilledRect) -> float:
    return (r.x1 - r.x0) * (r.y1 - r.y0)


def _inside(r: FilledRect, o: FilledRect, tol: float = 3.0) -> bool:
    """r lies within the larger o (a box's title strip inside the box)."""
    within = o.x0 - tol <= r.x0 and o.y0 - tol <= r.y0 and r.x1 <= o.x1 + tol and r.y1 <= o.y1 + tol
    return within and _area(o) > _area(r)


def _beside(w: Word, o: Word, gh: float) -> bool:
    """o is on w's line, within a letter or so of it."""
    same_line = abs((o.y0 + o.y1) - (w.y0 + w.y1)) < gh
    return same_line and min(abs(o.x1 - w.x0), abs(w.x1 - o.x0)) < 1.5 * gh


def _min_conf(w: Word, words: list[Word], gh: float) -> float:
    """Beside a surely read word (a name's other half) an unsure word is text squeezed against
    the box's edge; a short unsure scrap on its own is an icon."""
    sure = any(o.confidence >= SURE_CONF and abs((o.y0 + o.y1) - (w.y0 + w.y1)) < gh for o in words)
    # Icons read as two or three letters; a longer word is text, clipped by the box's top edge.
    return LOW_WORD_CONF if sure or sum(ch.isalpha() for ch in w.text) >= 4 else MIN_WORD_CONF


def _clean_words(words: list[Word], gh: float) -> list[Word]:
    """Drop icon and button leftovers: unsure or letterless words, lone letters standing apart."""
    kept = [
        w for w in words if w.confidence >= _min_conf(w, words, gh) and any(ch.isalnum() for ch in w.text)
    ]
    out = []
    for w in kept:
        if len(w.text) == 1 and w.text.isalpha():
            near = any(_beside(w, o, gh) for o in kept if o is not w)
            if not near:
                continue  # a close "x" or a lone icon glyph
        out.append(w)
    return out


def _names_something(line: Line) -> bool:
    """A line of real words, not the row of icons (read as short unsure scraps) above a name."""
    letters = [sum(ch.isalpha() for ch in w.text) for w in line.words]
    mean_conf = sum(w.confidence for w in line.words) / len(line.words)
    return max(letters) >= 3 or (max(letters) >= 2 and mean_conf >= 0.85)


def _time_alone(line: Line) -> bool:
    """A line that is a time and nothing else ("8:00 am" above an app's lesson name)."""
    t = alone_time(re.sub(r"^\W+|\W+$", "", line.text))  # quotes and dashes OCR puts around it
    return t is not None and not t.compact and (t.suffix is not None or t.has_minutes)


def _name_and_notes(lines: list[Line]) -> tuple[str, str | None] | None:
    for k, line in enumerate(lines):
        if _names_something(line) and not _time_alone(line):
            notes = " ".join(ln.text for ln in lines[k + 1 :]) or None
            # Quotes and dots at the ends are icon or border scraps, never part of a lesson's name.
            return line.text.strip(" \u201c\u201d\u2018\u2019'\"`.,:;|_~*"), notes
    return None


def _stacked(lines: list[Line], gh: float) -> list[list[Line]]:
    """The box's text as one group per lesson. Boxes of one colour that touch can come out as one
    area (binarisation erases the thin gap between them); each lesson's text then starts, after
    an empty stretch, with a surely read name line."""
    groups: list[list[Line]] = []
    for line in lines:
        sure = any(w.confidence >= SURE_CONF and sum(ch.isalpha() for ch in w.text) >= 3 for w in line.words)
        sure = sure or _time_alone(line)  # an app's box starts with its start time
        if groups and not (sure and line.y0 - groups[-1][-1].y1 > 1.2 * gh):
            groups[-1].append(line)
        else:
            groups.append([line])
    return groups


def _box_blocks(col: Column, r: FilledRect, words: list[Word], axis: Axis, shift: float, gh: float,
                page: int) -> list[DraftBlock]:  # fmt: skip
    """The lessons in one box (more than one when touching boxes merged into one area)."""
    groups = _stacked([ln for ln in group_lines(_clean_words(words, gh)) if ln.words], gh)
    if not groups:
        return []
    pad = groups[0][0].y0 - r.y0  # the app puts each name this far below its box's top
    if pad > MAX_PAD * gh:
        # Text far below the area's top: the area is not the lesson's box but a stretch of the
        # grid around a box binarisation erased (its top and end would be rows off).
        return []
    edges = [r.y0, *(g[0].y0 - pad for g in groups[1:]), r.y1]
    times = [axis.minutes(y) + shift for y in edges]
    # Apps print each lesson's start under its name ("9am, Room 4", "4:15pm"): surer than an edge.
    for k, g in enumerate(groups):
        printed = _printed_start(g, times[k])
        if printed is not None:
            times[k] = printed
    # A boundary found from the text alone must land on a quarter hour, else nothing is sure.
    if any(abs(t - round(t / 15) * 15) > QUARTER_PULL for t in times[1:-1]):
        return []
    conf = sum(w.confidence for w in words) / len(words)
    out = []
    for g, t0, t1 in zip(groups, times, times[1:], strict=False):
        named = _name_and_notes(g)
        start, end = _snap(t0, axis), _snap(t1, axis)
        if named is None or end - start < 10 or start < 0 or end > 24 * 60:
            continue
        out.append(DraftBlock(col.day, fmt(start), fmt(end), named[0], named[1], r.color, page, conf))
    return out


def _axis_from_boxes(page: Page, cols: list[Column], gh: float) -> Axis | None:
    """The time axis fitted on the boxes themselves: each box whose first line is a time alone
    ("8:00 am" above the name, as phone apps print) gives its top edge's minutes. The fit is the
    same as on printed labels (`_fit_axis`), so a misread start cannot tilt it; boxes must agree."""
    labels: list[tuple[float, float, int]] = []
    for r in page.rects:
        cx = (r.x0 + r.x1) / 2
        col = next((c for c in cols if c.x0 <= cx < c.x1), None)
        if (
            col is None
            or r.y0 < col.top
            or not 0.3 * (col.x1 - col.x0) <= r.x1 - r.x0 <= 1.1 * (col.x1 - col.x0)
        ):
            continue
        inside = [
            w for w in page.words if r.x0 <= (w.x0 + w.x1) / 2 <= r.x1 and r.y0 <= (w.y0 + w.y1) / 2 <= r.y1
        ]
        first = group_lines(inside)[:1]
        if not first or not _time_alone(first[0]) or first[0].y0 - r.y0 > MAX_PAD * gh:
            continue
        t = alone_time(re.sub(r"^\W+|\W+$", "", first[0].text))
        mins = t.minutes(guess=False) if t is not None and t.suffix else None
        if mins is not None:
            labels.append((r.y0, col.x0, mins))
    labels.sort()
    axis = _fit_axis(labels)
    if axis is None:
        return None
    # Boxes reach below the last start: the axis runs to the lowest box.
    low = max((r.y1 for r in page.rects if r.y0 >= cols[0].top), default=axis.bottom)
    return Axis(axis.slope, axis.offset, axis.step, cols[0].x0, axis.top, max(axis.bottom, low), axis.labels)


PRINTED_REACH = 40  # minutes: a printed start this far from its box's edge is another box's


def _printed_start(lines: list[Line], near: float) -> float | None:
    """The start time printed at the head of a box's second or third line ("9am,", "4:15pm,"),
    when it lies near where the box's edge puts it; am/pm as printed, else the nearer half day."""
    for k, line in enumerate(lines[:3]):
        if k == 0 and not _time_alone(line):
            continue  # the first line is the name, unless it is a time alone (printed above it)
        first = line.words[0].text.strip(" ,;.-–") if line.words else ""
        t = alone_time(first)
        if t is None or t.compact or (t.suffix is None and not t.has_minutes):
            continue  # "110" is a room, "9" a number: a printed start has a colon or an am/pm
        mins = t.minutes(guess=False)
        if mins is None:
            continue
        if t.suffix is None and abs(mins + 720 - near) < abs(mins - near):
            mins += 720
        if abs(mins - near) <= PRINTED_REACH:
            return float(mins)
    return None


def _snap(minutes: float, axis: Axis) -> int:
    """A box edge's time: the nearest quarter hour when the edge is that close to one (apps put
    most lessons on quarter hours, and a blurred edge is a few minutes off), else the nearest
    5 minutes, or quarter hour when 5 minutes are too few pixels to tell apart."""
    quarter = round(minutes / 15) * 15
    if abs(minutes - quarter) <= QUARTER_PULL or 5 / axis.slope < 4:
        return quarter
    return round(minutes / 5) * 5


def read_calendar_view(page: Page) -> Reading | None:
    if not page.rects or len(page.words) < 10:
        return None
    lines = group_lines(page.words)
    gh = median_height(page.words)
    cols = _day_columns(lines, gh)
    if not cols:
        return None
    # Ruled timetables print ranges beside each period: a page of ranges is not a week view. A
    # range is read within a run of words: two boxes' printed starts side by side are no range.
    if sum(any(find_range(Line(run).text) for run in _runs(ln, gh)) for ln in lines) >= 3:
        return None
    axis = _fit_axis(_axis_labels(lines, cols[0].x0, gh))
    if axis is not None:
        cols = _leading_day(cols, axis)
        shift = _phase_shift(axis, page, cols)
    else:
        # No axis read (an app's bare hours OCR missed): the boxes' printed starts are its labels.
        axis, shift = _axis_from_boxes(page, cols, gh), 0.0
        if axis is None:
            return None
    boxes = _boxes(page, axis, cols)
    owner: dict[int, list[Word]] = {}
    for w in page.words:
        cx, cy = (w.x0 + w.x1) / 2, (w.y0 + w.y1) / 2
        inside = [k for k, (_, r) in enumerate(boxes) if r.x0 <= cx <= r.x1 and r.y0 <= cy <= r.y1]
        if inside:
            k = min(
                inside, key=lambda k: (boxes[k][1].x1 - boxes[k][1].x0) * (boxes[k][1].y1 - boxes[k][1].y0)
            )
            owner.setdefault(k, []).append(w)
    blocks: list[DraftBlock] = []
    for k, words in sorted(owner.items()):
        col, r = boxes[k]
        blocks.extend(_box_blocks(col, r, words, axis, shift, gh, page.number))
    if not blocks:
        return None
    blocks.sort(key=lambda b: (DAYS.index(b.day), b.start_time))
    # Times come from where the boxes' edges fall on the axis, not from printed times: doubted a little.
    return Reading(blocks, "calendar", len(owner), len(blocks), axis.labels, axis.labels, guessed=True)
