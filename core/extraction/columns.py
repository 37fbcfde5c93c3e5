"""Rule-less tables: columns and rows from the positions of day names and time labels.

Day names give one axis, time labels the other; each cell's text is placed by its centre, and a
text block centred on the boundary between two periods spans both (how merged cells look without
rules). A break word alone on its row covers every day.
"""

from __future__ import annotations

import re

from core.extraction.days import day_index
from core.extraction.grid import Cell, Table
from core.extraction.lines import Line, group_lines, median_height
from core.extraction.model import Page, Word
from core.extraction.timeparse import find_range

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


def ruleless_table(page: Page) -> Table | None:
    if not page.words:
        return None
    lh = median_height(page.words)
    frags = group_lines(page.words, split_gap=1.2 * lh)
    days = [f for f in frags if day_index(f.text) is not None]
    if len(days) < 2:
        return None
    # Days along a row (columns) or down a column (rows)?
    by_row: dict[int, list[Line]] = {}
    for f in days:
        key = next((k for k in by_row if abs(by_row[k][0].cy - f.cy) < 0.6 * lh), len(by_row))
        by_row.setdefault(key, []).append(f)
    row_group = max(by_row.values(), key=len)
    by_col: dict[int, list[Line]] = {}
    for f in days:
        key = next((k for k in by_col if abs(by_col[k][0].x0 - f.x0) < 1.5 * lh), len(by_col))
        by_col.setdefault(key, []).append(f)
    col_group = max(by_col.values(), key=len)
    if len(row_group) >= len(col_group) and len(row_group) >= 2:
        return _build(frags, row_group, lh, days_cols=True)
    if len(col_group) >= 2:
        return _build(frags, col_group, lh, days_cols=False)
    return None


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
        rng = find_range(f.text)
        if rng is None:
            continue
        in_cols = days_cols and along(f) < first_day_edge and f.y0 > header_edge - 0.5 * lh
        if in_cols or (not days_cols and f.cy < first_day_edge):
            stubs.append(f)
    if len(stubs) < 2:
        return None
    if days_cols:
        stubs = [_with_label(f, frags, stubs, day_frags, lh) for f in stubs]
    stubs.sort(key=lambda f: (across_lo(f) + across_hi(f)) / 2)
    centres = [(across_lo(f) + across_hi(f)) / 2 for f in stubs]
    ndays, nper = len(day_frags), len(stubs)
    # Logical table, days along columns: row 0 header, column 0 times.
    cells: list[Cell] = [Cell(0, 1, c + 1, c + 2, list(f.words)) for c, f in enumerate(day_frags)]
    cells += [Cell(r + 1, r + 2, 0, 1, list(f.words)) for r, f in enumerate(stubs)]
    frags = [f for f in frags if not any(w in s.words for s in stubs for w in f.words) or f in stubs]
    lo_edge, hi_edge = bands[0][0], bands[-1][1]
    content = [
        f for f in frags
        if f not in day_frags and f not in stubs and lo_edge <= along(f) <= hi_edge
        and across_lo(f) > header_edge - 0.2 * lh and (days_cols or f.x0 > stubs[0].x0 - lh)
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
        for g in groups:
            span = _span_of(min(across_lo(x) for x in g), max(across_hi(x) for x in g), centres)
            if span is None:
                continue
            words: list[Word] = [w for x in g for w in x.words]
            placed.append(Cell(span[0] + 1, span[1] + 1, c + 1, c + 2, words, guessed=True))
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
