"""Rule-less tables: columns and rows from the positions of day names and time labels.

Day names give one axis, time labels the other; each cell's text is placed by its centre, and a
text block centred on the boundary between two periods spans both (how merged cells look without
rules). A break word alone on its row covers every day.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable

from core.extraction.axis_repair import label_readings
from core.extraction.daytime import (
    DAYS,
    LONGEST_PERIOD,
    OPEN_DASH_RE,
    cycle_index,
    day_index,
    find_range,
    has_clock,
    header_days,
    may_head_a_day,
    minutes_of,
    next_day,
)
from core.extraction.grid import Cell, Table
from core.extraction.lines import Line, group_lines, median_height
from core.extraction.model import Page, Word

BREAK_RE = re.compile(
    r"(?i)\b(break|lunch|recess|snack|assembly|registration|tutor|dinner|recreation|interval|recess)\b"
)


def is_break_text(text: str) -> bool:
    """ "Break", "Morning Break", "LUNCH", "Lunch 12:15": a short line naming a pause."""
    return bool(BREAK_RE.search(text)) and len(text.split()) <= 4


def _bands(centres: list[float]) -> list[tuple[float, float]]:
    """Intervals around sorted centres, split at midpoints."""
    out = []
    for i, c in enumerate(centres):
        lo = (centres[i - 1] + c) / 2 if i else c - ((centres[1] - c) / 2 if len(centres) > 1 else 50)
        hi = (c + centres[i + 1]) / 2 if i + 1 < len(centres) else c + ((c - centres[i - 1]) / 2 if i else 50)
        out.append((lo, hi))
    return out


def _frac_pos(v: float, centres: list[float]) -> float:
    """Position of v in units of the index of centres (piecewise linear)."""
    if len(centres) == 1:
        return 0.0
    if v <= centres[0]:
        return (v - centres[0]) / (centres[1] - centres[0])
    for i in range(len(centres) - 1):
        if centres[i] <= v <= centres[i + 1]:
            return i + (v - centres[i]) / (centres[i + 1] - centres[i])
    return len(centres) - 1 + (v - centres[-1]) / (centres[-1] - centres[-2])


def _span_of(lo: float, hi: float, centres: list[float]) -> tuple[int, int] | None:
    """Which periods (first, last+1) a block from lo to hi along the time axis covers."""
    mid = _frac_pos((lo + hi) / 2, centres)
    n = len(centres)
    if mid < -0.5 or mid > n - 0.5:
        return None
    base = int(mid // 1)
    frac = mid - base
    if 0.3 < frac < 0.7 and base >= 0 and base + 1 < n:
        return base, base + 2
    k = min(max(round(mid), 0), n - 1)
    return k, k + 1


def _with_label(stub: Line, frags: list[Line], stubs: list[Line], days: list[Line], lh: float) -> Line:
    """A time label with "Period 2" just above it: the period's row is centred on both lines,
    and the cells beside it are centred on that, not on the time line alone."""
    for f in frags:
        if f in stubs or f in days or find_range(f.text):
            continue
        overlap = min(f.x1, stub.x1) - max(f.x0, stub.x0)
        if overlap > 0.5 * min(f.x1 - f.x0, stub.x1 - stub.x0) and 0 <= stub.y0 - f.y1 < 1.2 * lh:
            return Line(sorted([*f.words, *stub.words], key=lambda w: (w.y0, w.x0)))
    return stub


def _chain(
    frags: list[Line], key: Callable[[Line], float], pos: Callable[[Line], float], tol: float
) -> list[Line]:
    """The longest run of day names along one axis, each within tol of the previous one across it:
    a tilted page drifts a little from one day to the next, never a whole line at once."""
    groups: list[list[Line]] = []
    for f in sorted(frags, key=key):
        g = next((g for g in groups if abs(pos(g[-1]) - pos(f)) < tol), None)
        if g is None:
            groups.append([f])
        else:
            g.append(f)
    return max(groups, key=len) if groups else []


def _slope(frags: list[Line], days_cols: bool) -> float:
    """Tilt of a run of day names: across-drift per unit along (least squares). Day names down a
    column may be left-aligned or centred: their left edges or their centres line up, the other
    drifts with the names' lengths, so the smaller of the two slopes is the page's tilt."""
    if not days_cols:
        by_left = _fit([(f.cy, f.x0) for f in frags])
        by_centre = _fit([(f.cy, (f.x0 + f.x1) / 2) for f in frags])
        return min(by_left, by_centre, key=abs)
    return _fit([((f.x0 + f.x1) / 2, f.cy) for f in frags])


def _fit(pts: list[tuple[float, float]]) -> float:
    n = len(pts)
    ma, mb = sum(a for a, _ in pts) / n, sum(b for _, b in pts) / n
    var = sum((a - ma) ** 2 for a, _ in pts)
    return sum((a - ma) * (b - mb) for a, b in pts) / var if var else 0.0


def _rotated(page: Page, angle: float) -> Page:
    """The page's words turned by angle (radians) about the origin, boxes kept upright."""
    c, s = math.cos(angle), math.sin(angle)
    words = []
    for w in page.words:
        cx, cy = (w.x0 + w.x1) / 2, (w.y0 + w.y1) / 2
        nx, ny = cx * c - cy * s, cx * s + cy * c
        hw, hh = (w.x1 - w.x0) / 2, (w.y1 - w.y0) / 2
        words.append(Word(w.text, nx - hw, ny - hh, nx + hw, ny + hh, w.confidence))
    return Page(page.number, page.width, page.height, words, source=page.source)


def ruleless_table(page: Page, straightened: bool = False) -> Table | None:
    if not page.words:
        return None
    lh = median_height(page.words)
    words = [w for w in page.words if not _is_noise(w, lh)]
    frags = _join_stacked_times(group_lines(words, split_gap=1.2 * lh), lh)
    days = _day_frags(frags, lh)
    if len(days) < 2:
        return None
    # Days along a row (columns) or down a column (rows)?
    row_group = _chain(days, lambda f: f.x0, lambda f: f.cy, 0.6 * lh)
    col_group = _chain(days, lambda f: f.cy, lambda f: f.x0, 1.5 * lh)
    days_cols = len(row_group) >= len(col_group)
    group = row_group if days_cols else col_group
    if len(group) < 2:
        return None
    # A tilted scan or photo: read the table again from words turned so the day names line up.
    tilt = _slope(group, days_cols) if len(group) >= 3 else 0.0
    # A text layer is never tilted: a drift there is the names' lengths, not the page.
    if not straightened and abs(tilt) > 0.004 and page.source not in ("pdf_text", "docx"):
        angle = -math.atan(tilt) if days_cols else math.atan(tilt)
        return ruleless_table(_rotated(page, angle), straightened=True)
    if days_cols:
        group = _fill_missing_days(group, frags, lh)
    return _build(frags, group, lh, days_cols=days_cols)


def _day_frags(frags: list[Line], lh: float) -> list[Line]:
    """The fragments that name days. A two-letter name ("Mo", "We") or an initial ("M", "TH") is a
    day only where it runs as a week with the names on its line (days as columns) or in its column
    (days as rows), as `header_days` reads a header; alone it is a word."""
    days = [f for f in frags if day_index(f.text) is not None or cycle_index(f.text) is not None]
    short = [f for f in frags if f not in days and may_head_a_day(f.text)]
    named = days + short
    for f in short:
        row = sorted((g for g in named if abs(g.cy - f.cy) < 0.6 * lh), key=lambda g: g.x0)
        col = sorted((g for g in named if min(g.x1, f.x1) > max(g.x0, f.x0)), key=lambda g: g.cy)
        if any(header_days([g.text for g in line])[line.index(f)] is not None for line in (row, col)):
            days.append(f)
    return days


def _fill_missing_days(group: list[Line], frags: list[Line], lh: float) -> list[Line]:
    """A day heading OCR misread ("row," between Monday and Wednesday): the one short text on the
    heading line between two days a day apart is that day. It is marked with a low confidence, so
    the document is checked by a person."""
    days = sorted(group, key=lambda f: f.x0)
    out = [days[0]]
    for a, b in zip(days, days[1:], strict=False):
        da, db = day_index(a.text, allow_short=True), day_index(b.text, allow_short=True)
        between = [
            f for f in frags
            if a.x1 < f.x0 and f.x1 < b.x0 and abs(f.cy - (a.cy + b.cy) / 2) < 0.6 * lh
            and len(f.words) <= 2 and find_range(f.text) is None
        ]  # fmt: skip
        if da is not None and db == next_day(da, 2) and len(between) == 1:
            f = between[0]
            # The heading's words are renamed in place, so the misread text is not read as a lesson.
            f.words[:] = [Word(DAYS[next_day(da)], f.x0, f.y0, f.x1, f.y1, 0.5 * f.confidence)]
            out.append(f)
        out.append(b)
    return out


def _line_gap(centres: list[float], lh: float) -> float:
    """Largest gap between two lines of one cell. A room code in a smaller font sits further below
    its subject than body lines do; where periods are tall the gap may be larger, but never more
    than a third of a period, so consecutive periods' cells stay apart."""
    pitches = sorted(b - a for a, b in zip(centres, centres[1:], strict=False))
    pitch = pitches[len(pitches) // 2] if pitches else 0.0
    return max(0.45 * lh, min(1.5 * lh, 0.35 * pitch))


def _join_parts(
    groups: list[list[Line]], line_gap: float, span: Callable[[list[Line]], tuple[int, int] | None]
) -> list[list[Line]]:
    """Join a cell's parts that a wider line gap kept apart (a room code in a small font below its
    subject): neighbours in one column join when close and when together they sit in the periods
    one of them sits in alone; two lessons of consecutive periods together would straddle both."""
    out: list[list[Line]] = []
    for g in groups:
        prev = out[-1] if out else None
        if prev is not None and g[0].y0 - max(x.y1 for x in prev) < line_gap:
            both = span([*prev, *g])
            if both is not None and both in (span(prev), span(g)):
                prev.extend(g)
                continue
        out.append(g)
    return out


_LABEL_JUNK = " '\"`{}[]|()"  # OCR of a highlight's or a cell's edge beside a label


def _join_stacked_times(frags: list[Line], lh: float) -> list[Line]:
    """A period's label wrapped over two lines, start above end ("08.00 hr" over "08.55 hr",
    "08:35 -" over "09:00"): neither line is a range alone, together they are. The pair becomes one
    label (one word, so its text keeps the start first)."""
    out = list(frags)
    # Top down, so each pair starts at a range's first line: "9.00 to" / "9.45" / "9.45 to" / "10.25"
    # pairs as printed, never "9.45" with the "9.45 to" below it.
    for a in sorted(frags, key=lambda f: f.y0):
        if a not in out or find_range(a.text) is not None or not has_clock(a.text):
            continue
        below = [
            b for b in out
            if b is not a and 0 <= b.y0 - a.y1 < 1.5 * lh and find_range(b.text) is None and has_clock(b.text)
            and min(a.x1, b.x1) - max(a.x0, b.x0) > 0.5 * min(a.x1 - a.x0, b.x1 - b.x0)
            and not OPEN_DASH_RE.search(b.text.strip(_LABEL_JUNK))  # the first line of the next range
        ]  # fmt: skip
        if len(below) != 1:
            continue
        b = below[0]
        top, bottom = a.text.lstrip(_LABEL_JUNK), b.text.strip(_LABEL_JUNK)
        text = f"{top} {bottom}" if OPEN_DASH_RE.search(top) else f"{top} - {bottom}"
        rng = find_range(text)
        if rng is None or not minutes_of(rng[0]) < minutes_of(rng[1]) <= minutes_of(rng[0]) + LONGEST_PERIOD:
            continue
        conf = min(w.confidence for w in [*a.words, *b.words])
        joined = Line([Word(text, min(a.x0, b.x0), a.y0, max(a.x1, b.x1), b.y1, conf)])
        out[out.index(a)] = joined
        out.remove(b)
    return out


def _is_noise(w: Word, lh: float) -> bool:
    """OCR of a cell border or a speck: a sliver a fraction of a text line high, or a short
    letters-only scrap the engine itself doubts."""
    thin = w.y1 - w.y0 < 0.3 * lh and w.confidence < 0.6
    scrap = w.confidence < 0.3 and len(w.text) <= 3 and not any(ch.isdigit() for ch in w.text)
    # A filled box (a selected "-", a coloured marker) read as a letter: taller than any letter of
    # the page and narrow, one or two characters, doubted by the engine or not a capital.
    tall, narrow = w.y1 - w.y0 > 1.6 * lh, w.x1 - w.x0 < 0.5 * (w.y1 - w.y0)
    short = len(w.text.strip()) <= 2 and not any(ch.isdigit() for ch in w.text)
    box = tall and narrow and short and (w.confidence < 0.5 or not w.text.isupper())
    return thin or scrap or box


def _mid(f: Line, days_cols: bool) -> float:
    """A fragment's centre along the time axis (down the page when days are columns)."""
    return f.cy if days_cols else (f.x0 + f.x1) / 2


def _build(frags: list[Line], day_frags: list[Line], lh: float, days_cols: bool) -> Table | None:
    # Along: the axis days run along (x for days_cols); across: the time axis.
    def along(f: Line) -> float:
        return (f.x0 + f.x1) / 2 if days_cols else f.cy

    def across_lo(f: Line) -> float:
        return f.y0 if days_cols else f.x0

    def across_hi(f: Line) -> float:
        return f.y1 if days_cols else f.x1

    day_frags = sorted(day_frags, key=along)
    day_centres = [along(f) for f in day_frags]
    bands = _bands(day_centres)
    first_day_edge = bands[0][0]
    header_edge = max(across_hi(f) for f in day_frags)
    # Time labels: before the first day column (days_cols) or above the first day row (days_rows).
    stubs = []
    for f in frags:
        if f in day_frags or across_lo(f) < header_edge - 0.5 * lh and days_cols:
            continue
        # A label whose digits OCR misread ("1:3Spm- 2: 1Spm") still marks a period: the table
        # reads it again in the order of the axis (axis_repair), or leaves it untimed.
        if find_range(f.text) is None and not (days_cols and label_readings(f.text)):
            continue
        in_cols = days_cols and along(f) < first_day_edge and f.y0 > header_edge - 0.5 * lh
        if in_cols or (not days_cols and f.cy < first_day_edge):
            stubs.append(f)
    if len(stubs) < 2:
        return None
    if days_cols:
        stubs = [_with_label(f, frags, stubs, day_frags, lh) for f in stubs]
    stubs.sort(key=lambda f: (across_lo(f) + across_hi(f)) / 2)
    # Labels side by side on one line (a time column repeated, a label read twice) are one period:
    # two periods at one place along the axis have no span between them.
    stubs = [
        f
        for i, f in enumerate(stubs)
        if not i or _mid(f, days_cols) - _mid(stubs[i - 1], days_cols) > 0.3 * lh
    ]
    if len(stubs) < 2:
        return None
    centres = [_mid(f, days_cols) for f in stubs]
    line_gap = _line_gap(centres, lh) if days_cols else 0.45 * lh
    # Days down the side: a cell belongs to the table when centred past the day names' column,
    # half a period before the first period (a long subject reaches further left than its time).
    first_period = max(max(f.x1 for f in day_frags), centres[0] - 0.5 * (centres[1] - centres[0]))
    ndays, nper = len(day_frags), len(stubs)
    # Logical table, days along columns: row 0 header, column 0 times.
    cells: list[Cell] = [Cell(0, 1, c + 1, c + 2, list(f.words)) for c, f in enumerate(day_frags)]
    cells += [Cell(r + 1, r + 2, 0, 1, list(f.words)) for r, f in enumerate(stubs)]
    frags = [f for f in frags if not any(w in s.words for s in stubs for w in f.words) or f in stubs]
    lo_edge, hi_edge = bands[0][0], bands[-1][1]
    content = [
        f for f in frags
        if f not in day_frags and f not in stubs and lo_edge <= along(f) <= hi_edge
        and across_lo(f) > header_edge - 0.2 * lh and (days_cols or (f.x0 + f.x1) / 2 > first_period)
    ]  # fmt: skip
    placed: list[Cell] = []
    for c, (blo, bhi) in enumerate(bands):
        mine = sorted((f for f in content if blo <= along(f) < bhi), key=across_lo)
        groups: list[list[Line]] = []
        for f in mine:
            g = groups[-1] if groups else None
            if g is not None and (
                (days_cols and f.y0 - max(x.y1 for x in g) < 0.45 * lh)
                or (not days_cols and f.x0 < max(x.x1 for x in g) and f.y0 - max(x.y1 for x in g) < lh)
            ):
                g.append(f)
            else:
                groups.append([f])

        def span(g: list[Line]) -> tuple[int, int] | None:
            return _span_of(min(across_lo(x) for x in g), max(across_hi(x) for x in g), centres)

        if days_cols:
            groups = _join_parts(groups, line_gap, span)
        for g in groups:
            if (periods := span(g)) is None:
                continue
            words: list[Word] = [w for x in g for w in x.words]
            placed.append(Cell(periods[0] + 1, periods[1] + 1, c + 1, c + 2, words, guessed=True))
    # A break word alone in its period covers every day (a merged row without rules).
    for cell in list(placed):
        text = " ".join(w.text for w in cell.words)
        others = [p for p in placed if p is not cell and p.r0 < cell.r1 and cell.r0 < p.r1]
        if is_break_text(text) and not others:
            cell.c0, cell.c1 = 1, ndays + 1
    cells += placed
    xs = [w.x0 for c in cells for w in c.words]
    ys = [w.y0 for c in cells for w in c.words]
    table = Table(nper + 1, ndays + 1, cells, min(xs), min(ys), max(xs), max(ys))
    used = {id(w) for c in cells for w in c.words}
    table.outside = [w for f in frags for w in f.words if id(w) not in used]
    return table if days_cols else table.transposed()
