"""Checks an LLM's day-to-column mapping against the OCR's evidence.

LLMs reading a grid sometimes shift a whole column: every lesson of Monday is reported on Tuesday.
The OCR knows where each word is, so for each block whose name the OCR read we find the day column
(or day row) the word sits under, and report the blocks whose day disagrees. A whole day moved to
another column is found by comparing each day's sequence of names with each column's, so a shift is
caught even when subjects repeat on every day (Maths daily). Pure: no I/O, no engines.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from difflib import SequenceMatcher

import msgspec

from core.extraction.daytime import DAYS, day_index
from core.extraction.model import DraftBlock, DraftTimetable, Page, Word

# A day whose names match another column this much better than its own is a shifted column.
SHIFT_MARGIN = 0.2
SHIFT_MIN_RATIO = 0.5
# A confidence factor no higher than this when a whole column is shifted: the model misread the
# grid, so even the blocks that happen to agree are suspect.
SHIFTED_FACTOR_CAP = 0.5


class CrossCheck(msgspec.Struct):
    agreement: float = 1.0  # share of checked blocks whose day the OCR confirms; 1.0 when none checked
    factor: float = 1.0  # multiply the LLM's confidence by this
    checked: int = 0  # blocks whose name the OCR read under some day
    disagreements: list[str] = msgspec.field(default_factory=list)  # one per misplaced block
    shifts: dict[str, str] = msgspec.field(default_factory=dict)  # LLM's day -> the document's day
    summary: list[str] = msgspec.field(default_factory=list)  # one line per shifted day
    layout: str = "unknown"  # days_cols | days_rows | list as seen in the OCR; unknown: no day headers


def _norm(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


def _same_token(a: str, b: str) -> bool:
    if a == b:
        return True
    # OCR slips ("Mathe", "Scienee") on longer words only: short ones collide too easily.
    return min(len(a), len(b)) >= 5 and SequenceMatcher(None, a, b).ratio() >= 0.8


@dataclass
class _Grid:
    """Where each day sits on one page: centres along the axis the days are laid out on."""

    axis: str  # "x" for days as columns, "y" for days as rows (or day sections of a list)
    days: list[int]  # day indices, in order along the axis
    centres: list[float]
    edge: float  # cell words lie beyond this on the other axis (below the headers / right of labels)
    tops: list[float] = field(default_factory=list)  # a list's day headings: top of each section

    def day_at(self, w: Word) -> int | None:
        cx, cy = (w.x0 + w.x1) / 2, (w.y0 + w.y1) / 2
        if self.tops:
            # A list: a day heading, then its lessons on the lines below, up to the next heading.
            above = [i for i, top in enumerate(self.tops) if top <= cy]
            return self.days[above[-1]] if above else None
        along, across = (cx, cy) if self.axis == "x" else (cy, cx)
        if across <= self.edge:
            return None  # the header row itself, or the title above it
        c = self.centres
        for i, centre in enumerate(c):
            lo = (c[i - 1] + centre) / 2 if i > 0 else centre - (c[1] - centre) / 2
            hi = (centre + c[i + 1]) / 2 if i + 1 < len(c) else centre + (centre - c[i - 1]) / 2
            if lo <= along < hi:
                return self.days[i]
        return None  # the time column, or margins


def _is_list(labels: list[Word], words: list[Word]) -> bool:
    """Day labels down the page head sections (a list) unless most have cell text to their right
    on their own line or just above it (a days-as-rows grid centres a label on its row, so a
    two-line cell starts above the label's middle; a list's lessons only start below it)."""
    label_ids = {id(w) for w in labels}
    with_cells = 0
    for lab in labels:
        top, bottom = lab.y0 - 0.5 * (lab.y1 - lab.y0), lab.y1
        if any(
            id(w) not in label_ids and w.x0 > lab.x1 and top <= (w.y0 + w.y1) / 2 <= bottom for w in words
        ):
            with_cells += 1
    return with_cells < len(labels) / 2


def _bands(words: list[tuple[int, Word]], axis: str) -> list[list[tuple[int, Word]]]:
    """Day headers grouped into lines: same y (a header row) or same x (a label column)."""
    key = (lambda w: (w.y0 + w.y1) / 2) if axis == "y" else (lambda w: (w.x0 + w.x1) / 2)
    size = (lambda w: w.y1 - w.y0) if axis == "y" else (lambda w: w.x1 - w.x0)
    bands: list[list[tuple[int, Word]]] = []
    for item in sorted(words, key=lambda it: key(it[1])):
        w = item[1]
        if bands and abs(key(w) - key(bands[-1][-1][1])) <= max(size(w), size(bands[-1][-1][1])) * 0.7:
            bands[-1].append(item)
        else:
            bands.append([item])
    return bands


def find_grid(page: Page) -> _Grid | None:
    """The page's day headers: the header row (or label column) naming the most distinct days."""
    headers = [(idx, w) for w in page.words if (idx := day_index(w.text)) is not None]
    best: _Grid | None = None
    best_days = 1
    for band_axis, axis in (("y", "x"), ("x", "y")):  # a row of headers lays days along x
        for band in _bands(headers, band_axis):
            first: dict[int, Word] = {}
            for idx, w in band:
                first.setdefault(idx, w)
            if len(first) <= best_days:
                continue  # ties keep the earlier find: days as columns are the common layout
            centre = (lambda w: (w.x0 + w.x1) / 2) if axis == "x" else (lambda w: (w.y0 + w.y1) / 2)
            ordered = sorted(first.items(), key=lambda kv: centre(kv[1]))
            edge = max(w.y1 if axis == "x" else w.x1 for w in first.values())
            days, centres = _fill_gaps([d for d, _ in ordered], [centre(w) for _, w in ordered])
            best = _Grid(axis, days, centres, edge)
            if axis == "y" and _is_list([w for _, w in ordered], page.words):
                # A list's sections cannot be placed without their heading: no gap filling.
                best.days = [d for d, _ in ordered]
                best.tops = [w.y0 - 0.5 * (w.y1 - w.y0) for _, w in ordered]
            best_days = len(first)
    return best


def _fill_gaps(days: list[int], centres: list[float]) -> tuple[list[int], list[float]]:
    """A header the OCR missed (Mon Tue _ Thu Fri): evenly spaced neighbours say where it was, so
    its words are not taken for its neighbours'."""
    if len(days) < 3:
        return days, centres
    steps = sorted(b - a for a, b in zip(centres, centres[1:], strict=False))
    step = steps[len(steps) // 2]
    out_d, out_c = [days[0]], [centres[0]]
    for d, c in zip(days[1:], centres[1:], strict=True):
        missing = d - out_d[-1] - 1
        if missing > 0 and abs((c - out_c[-1]) - (missing + 1) * step) <= 0.25 * step:
            for _ in range(missing):
                out_d.append(out_d[-1] + 1)
                out_c.append(out_c[-1] + step)
        out_d.append(d)
        out_c.append(c)
    return out_d, out_c


def _lines(page: Page) -> list[list[Word]]:
    """Words grouped into text lines, left to right."""
    lines: list[list[Word]] = []
    for w in sorted(page.words, key=lambda w: ((w.y0 + w.y1) / 2, w.x0)):
        cy = (w.y0 + w.y1) / 2
        if lines:
            last = lines[-1][-1]
            if abs(cy - (last.y0 + last.y1) / 2) <= 0.5 * max(w.y1 - w.y0, last.y1 - last.y0):
                lines[-1].append(w)
                continue
        lines.append([w])
    return [sorted(line, key=lambda w: w.x0) for line in lines]


def _occurrences(tokens: list[str], lines: list[list[Word]]) -> list[Word]:
    """Where a name is printed: its words in a row on one line (the first word stands for it),
    and its longest word alone, for cells that wrap a name over two lines ("Food / Technology")."""
    found: list[Word] = []
    for line in lines:
        norms = [_norm(w.text) for w in line]
        for i in range(len(line) - len(tokens) + 1):
            if all(_same_token(tokens[j], norms[i + j]) for j in range(len(tokens))):
                found.append(line[i])
    longest = max(tokens, key=len)
    if len(tokens) > 1 and len(longest) >= 5:
        seen = {id(w) for w in found}
        found += [
            w for line in lines for w in line if id(w) not in seen and _same_token(longest, _norm(w.text))
        ]
    return found


def _is_checkable(name: str) -> list[str] | None:
    tokens = [t for t in (_norm(p) for p in name.split()) if t]
    if not tokens or sum(len(t) for t in tokens) < 2 or all(t.isdigit() for t in tokens):
        return None
    if len(tokens) == 1 and day_index(tokens[0]) is not None:
        return None  # a block named like a day header would match the header itself
    return tokens


def _spanning_rows(blocks: list[DraftBlock], where: dict[str, set[int]]) -> set[tuple[str, str]]:
    """(name, start) of rows the model repeats across days (Break, Lunch) that the OCR saw in far
    fewer columns: printed once across the grid, so the word's column says nothing about their
    day. Maths first thing every day is printed in every column and stays checked."""
    days: dict[tuple[str, str], set[str]] = defaultdict(set)
    for b in blocks:
        days[(_norm(b.name), b.start_time)].add(b.day)
    return {key for key, ds in days.items() if len(ds) >= 3 and len(where.get(key[0], ())) < len(ds) / 2}


def check_columns(draft: DraftTimetable, pages: list[Page]) -> CrossCheck:
    """Compare the draft's days with the day columns (or rows) the OCR puts each block's name in."""
    grids = [(p, g, _lines(p)) for p in pages if (g := find_grid(p)) is not None]
    if not grids or not draft.blocks:
        return CrossCheck()
    first = grids[0][1]
    layout = "days_cols" if first.axis == "x" else "list" if first.tops else "days_rows"

    # For each distinct name: the OCR's days for it, and its positions per day column (for order).
    where: dict[str, set[int]] = {}
    column_seq: dict[int, list[tuple[int, float, str]]] = defaultdict(list)  # day -> (page, pos, name)
    for b in draft.blocks:
        key = _norm(b.name)
        if key in where:
            continue
        tokens = _is_checkable(b.name)
        where[key] = set()
        if tokens is None:
            continue
        for page, grid, lines in grids:
            for w in _occurrences(tokens, lines):
                day = grid.day_at(w)
                if day is None:
                    continue
                where[key].add(day)
                down = grid.axis == "x" or grid.tops  # columns and list sections read downwards
                pos = (w.y0 + w.y1) / 2 if down else (w.x0 + w.x1) / 2
                column_seq[day].append((page.number, pos, key))

    spanning = _spanning_rows(draft.blocks, where)
    # A day without a header on any page has no column to check it against (the OCR missed it).
    headed = {d for _, grid, _ in grids for d in grid.days}
    checked = [
        b
        for b in draft.blocks
        if where.get(_norm(b.name))
        and (_norm(b.name), b.start_time) not in spanning
        and DAYS.index(b.day) in headed
    ]
    if not checked:
        return CrossCheck(layout=layout)

    # Whole-column shifts: each day's names in time order against each column's names top-down.
    llm_seq: dict[int, list[str]] = defaultdict(list)
    for b in sorted(checked, key=lambda b: b.start_time):
        llm_seq[DAYS.index(b.day)].append(_norm(b.name))
    ocr_seq = {d: [name for _, _, name in sorted(items)] for d, items in column_seq.items()}
    shifts: dict[int, int] = {}
    for day, seq in llm_seq.items():
        ratios = {
            col: SequenceMatcher(None, seq, names, autojunk=False).ratio() for col, names in ocr_seq.items()
        }
        own = ratios.get(day, 0.0)
        col, best = max(ratios.items(), key=lambda kv: (kv[1], kv[0] == day))
        if col != day and best >= SHIFT_MIN_RATIO and best - own >= SHIFT_MARGIN:
            shifts[day] = col

    # The days the model gives each name: an OCR occurrence on one of them is accounted for.
    llm_days: dict[str, set[int]] = defaultdict(set)
    for b in draft.blocks:
        llm_days[_norm(b.name)].add(DAYS.index(b.day))
    disagreements: list[str] = []
    bad = unconfirmed = 0
    for b in sorted(checked, key=lambda b: (DAYS.index(b.day), b.start_time)):
        day, key = DAYS.index(b.day), _norm(b.name)
        ocr_days = where[key]
        if day in shifts and shifts[day] in ocr_days:
            under = [shifts[day]]
        elif day in ocr_days:
            continue
        else:
            # Misplaced only if the OCR has the name on a day the model left without it; else the
            # OCR just missed this cell (it misses words, it does not move them).
            under = sorted(ocr_days - llm_days[key])
            if not under:
                unconfirmed += 1
                continue
        bad += 1
        names = " or ".join(DAYS[d] for d in under)
        disagreements.append(f"{b.name} on {b.day} {b.start_time} is under {names} in the document")
    summary = [
        f"all of {DAYS[day]} looks shifted: the document has those lessons under {DAYS[col]}"
        for day, col in sorted(shifts.items())
    ]

    n = len(checked) - unconfirmed
    if n == 0:
        return CrossCheck(layout=layout)
    agreement = round(1.0 - bad / n, 4)
    factor = min(agreement, SHIFTED_FACTOR_CAP) if shifts else agreement
    return CrossCheck(
        agreement=agreement,
        factor=round(factor, 4),
        checked=n,
        disagreements=disagreements,
        shifts={DAYS[d]: DAYS[c] for d, c in sorted(shifts.items())},
        summary=summary,
        layout=layout,
    )
