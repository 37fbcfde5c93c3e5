"""Period times that OCR misread, repaired from the order of the period axis.

A time label such as "10.00 10.55" is read by the strict parser (`daytime.find_range`); when
Tesseract misreads its digits ("41.00", "13.95", "§.00", "7.45830" with the dash lost) the period
gets no time and its lessons are lost. Here each such label is read leniently, as a string of
digits: every period time a school could print (06:00-21:00 on five-minute steps) is a candidate,
costed by its edit distance from the digits read. Among the candidates the repair keeps the ones
that put the whole axis in order (each period starts after the previous one ends) at the lowest
total cost, preferring the period length the well-read labels show. A label it cannot repair
with a clear winner stays untimed: no lesson is better than a lesson at the wrong time.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from core.extraction.daytime import DIGIT_LOOKALIKES, LONGEST_PERIOD, fmt, minutes_of

_CONFUSED = DIGIT_LOOKALIKES
_SEPARATORS = set(".:;,·'")
_PART_RE = re.compile(r"[^\s\-–—~−]+")
# "1: 25pm", "3; 55pm": OCR often reads a space after the colon; the time is still one part.
_SPACE_AFTER_COLON_RE = re.compile(r"(?<=\d)([:;.])\s+(?=[\dOoSlI|])")
# "8.50AMTO9.40AM": small print's spaces lost on a scan glue the "to" between the two times.
_GLUED_TO_RE = re.compile(r"(?:(?<=\d)|(?<=[.mM]))\s*to\s*(?=[\dOoSlI|])", re.I)
# "9:40am", "2:15 PM", "10.15a.m.": the mark says morning or afternoon, which the order of the axis
# says too (the candidates are 06:00-21:00 either way); its letters are no misread digits.
_AMPM_RE = re.compile(r"(?<=[\dOoSlI|])\s?[ap]\.?\s?m\b\.?", re.I)
_CONFUSED_COST = 0.25  # a letter read for its look-alike digit ("O" for "0", "l" for "1")
_DROPPED_COST = 1.0  # any other character inside a time label
_MAX_EDITS = 2.0  # a label needing more than this is not repaired
_CUT_COST = 0.5  # a label's start and end cut inside one of its parts
_HALF_COST = 1.0  # a label with one of its two times unreadable
_SKIP_COST = 3.0  # a label left untimed
_LENGTH_COST = 0.3  # a period length unlike the well-read ones (a tie-breaker)
# ...unlike the length they agree on: as doubtful as a digit changed, so a label misread in one
# time whose other time gives another length ("44.00 14.50" among 55-minute periods) is refused.
_AGREED_LENGTH_COST = 1.0
_GAP_COST = 0.002  # per minute between periods: of two equal readings the tighter one
_MARGIN = 0.2  # a repair must beat every other reading of its label by this much
_FIRST, _LAST = 6 * 60, 21 * 60
_MIN_LEN, _MAX_LEN = 10, LONGEST_PERIOD
_MAX_OPTIONS = 40  # cheapest readings of a label kept for the search

Pair = tuple[str, str]


@dataclass(frozen=True)
class LabelReading:
    """One way to read a label: start and end in minutes (None: unreadable) and its cost."""

    start: int | None
    end: int | None
    cost: float

    @property
    def first(self) -> int:
        return self.start if self.start is not None else self.end  # type: ignore[return-value]

    @property
    def last(self) -> int:
        return self.end if self.end is not None else self.start  # type: ignore[return-value]


def _skeleton(part: str) -> tuple[str, float, int] | None:
    """The digits of one part of a label, the cost of the letters read as digits or dropped, and
    how many true digits it holds; None when nothing in it looks like a time."""
    digits, cost, true_digits = [], 0.0, 0
    for ch in part:
        if ch.isdigit():
            digits.append(ch)
            true_digits += 1
        elif ch in _CONFUSED:
            digits.append(_CONFUSED[ch])
            cost += _CONFUSED_COST
        elif ch not in _SEPARATORS:
            cost += _DROPPED_COST
    if not digits or cost > len(digits) / 2:
        return None
    return "".join(digits), cost, true_digits


def _label_parts(text: str) -> list[tuple[str, float] | None]:
    """The parts of a label in order: (digits, letter cost) for a part that may be a time, None
    for one that looks like an unreadable time (short, only digits and look-alike letters: "os"
    for "8.55"); words and single digits ("Period 1") are left out."""
    out: list[tuple[str, float] | None] = []
    text = _GLUED_TO_RE.sub(" - ", _SPACE_AFTER_COLON_RE.sub(r"\1", text))
    for part in _PART_RE.findall(_AMPM_RE.sub(" ", text)):
        sk = _skeleton(part)
        if sk is not None and sk[2] >= 1 and len(sk[0]) >= 3:
            out.append((sk[0], sk[1]))
        elif 2 <= len(part) <= 7 and all(ch.isdigit() or ch in _CONFUSED or ch in _SEPARATORS for ch in part):
            out.append(None)
    return out


@lru_cache(maxsize=1)
def _time_forms() -> dict[int, tuple[str, ...]]:
    """How each time may be printed without its colon: "830" "0830" (08:30), "1355" "155" (13:55)."""
    out = {}
    for t in range(_FIRST, _LAST + 1, 5):
        h, m = divmod(t, 60)
        forms = [f"{h}{m:02d}"]
        if h < 10:
            forms.append(f"0{h}{m:02d}")
        if h > 12:
            forms.append(f"{h - 12}{m:02d}")
        out[t] = tuple(forms)
    return out


def _distance(a: str, b: str) -> int:
    """Levenshtein distance (substitutions, insertions, deletions of digits)."""
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


@lru_cache(maxsize=512)
def _time_costs(digits: str) -> dict[int, int]:
    """Times within the edit budget of a string of digits, with their distance."""
    out = {}
    for t, forms in _time_forms().items():
        d = min(_distance(digits, f) for f in forms)
        if d <= _MAX_EDITS:
            out[t] = d
    return out


def _pair_readings(digits: str, cost: float, cuts: set[int]) -> list[LabelReading]:
    """Start-end readings of a label's digits: the string cut into a start and an end, each side
    within the edit budget. A cut where the label's parts meet is free; a cut inside a part costs
    a little, unless the label is one part (the dash lost: "7.45830")."""
    best: dict[tuple[int, int], float] = {}
    for k in range(1, len(digits)):
        starts, ends = _time_costs(digits[:k]), _time_costs(digits[k:])
        cut = _CUT_COST if cuts and k not in cuts else 0.0
        for s, ds in starts.items():
            for e, de in ends.items():
                c = cost + ds + de + cut
                if _MIN_LEN <= e - s <= _MAX_LEN and c <= _MAX_EDITS and c < best.get((s, e), 99):
                    best[(s, e)] = c
    return [LabelReading(s, e, c) for (s, e), c in best.items()]


def _single_readings(digits: str, cost: float, as_start: bool) -> list[LabelReading]:
    """One readable time of a label whose other time is unreadable."""
    out = []
    for t, d in _time_costs(digits).items():
        c = cost + d + _HALF_COST
        if c <= _MAX_EDITS + _HALF_COST and d <= 1:
            out.append(LabelReading(t, None, c) if as_start else LabelReading(None, t, c))
    return out


def label_readings(text: str) -> list[LabelReading]:
    """Every plausible reading of one time label, cheapest first."""
    parts = _label_parts(text)
    times = [p for p in parts if p is not None]
    if not times:
        return []
    digits = "".join(d for d, _ in times)
    cuts = {sum(len(d) for d, _ in times[:k]) for k in range(1, len(times))}
    # Two times hold five digits or more ("8.30 9.15"); fewer is one time, never cut in two.
    out = _pair_readings(digits, sum(c for _, c in times), cuts) if len(digits) >= 5 else []
    if len(parts) == 2:
        # "§.00 os", "41.00 W169": one time readable, the other not; their order tells which.
        for k, part in enumerate(parts):
            other = parts[1 - k]
            if part is not None and (other is None or not _single_readings(*other, as_start=True)):
                out += _single_readings(*part, as_start=k == 0)
    return sorted(out, key=lambda r: r.cost)


def _in_order(a: LabelReading, b: LabelReading) -> bool:
    """b may follow a on the axis: it starts when or after a ends (after a starts, when a's end
    is unknown)."""
    if a.end is None:
        return a.start is not None and b.first >= a.start + _MIN_LEN
    return b.first >= a.end and (b.end is None or b.end > a.end)


def _common_length(fixed: Sequence[Pair | str]) -> tuple[int | None, bool]:
    """The period length most read labels show, and whether they agree on it (two or more, and
    most of them), which is what lets a half-read label take it."""
    lengths = [minutes_of(p[1]) - minutes_of(p[0]) for p in fixed if isinstance(p, tuple)]
    if not lengths:
        return None, False
    length, n = Counter(lengths).most_common(1)[0]
    return length, n >= 2 and n >= 0.6 * len(lengths)


def _options(item: Pair | str, length: int | None, lo: int, hi: int, agreed: bool) -> list[LabelReading]:
    """The readings of one label that fit between the well-read labels around it (lo, hi)."""
    if isinstance(item, tuple):
        return [LabelReading(minutes_of(item[0]), minutes_of(item[1]), 0.0)]
    out = []
    fitting = [r for r in label_readings(item) if r.first >= lo and r.last <= hi]
    for r in fitting[:_MAX_OPTIONS]:
        off = length is not None and r.start is not None and r.end is not None and r.end - r.start != length
        penalty = (_AGREED_LENGTH_COST if agreed else _LENGTH_COST) if off else 0.0
        out.append(LabelReading(r.start, r.end, r.cost + penalty))
    return out


def _gap(a: LabelReading, b: LabelReading) -> float:
    return _GAP_COST * (b.first - a.last)


def _bounds(items: Sequence[Pair | str], i: int) -> tuple[int, int]:
    """The end of the nearest well-read label before item i and the start of the one after."""
    before = [minutes_of(it[1]) for it in items[:i] if isinstance(it, tuple)]
    after = [minutes_of(it[0]) for it in items[i + 1 :] if isinstance(it, tuple)]
    return (before[-1] if before else _FIRST), (after[0] if after else _LAST)


def _best_paths(
    options: list[list[LabelReading]], skippable: list[bool]
) -> tuple[list[dict[int, float]], float] | None:
    """For each label and reading, the cheapest whole axis through it (forward + backward over
    readings in order, labels in between left untimed); and the cheapest axis overall."""
    n = len(options)

    def skip_cost(i: int, j: int) -> float | None:
        """Cost of leaving every label strictly between i and j untimed (None: one cannot be)."""
        if not all(skippable[k] for k in range(i + 1, j)):
            return None
        return _SKIP_COST * (j - i - 1)

    fwd: list[list[float]] = []
    for i in range(n):
        row = []
        for r in options[i]:
            best = skip_cost(-1, i)
            best = r.cost + best if best is not None else float("inf")
            for j in reversed(range(i)):
                sc = skip_cost(j, i)
                if sc is None:
                    break  # a label that cannot be skipped lies between
                for q, pr in zip(options[j], fwd[j], strict=True):
                    if _in_order(q, r):
                        best = min(best, pr + sc + _gap(q, r) + r.cost)
            row.append(best)
        fwd.append(row)
    bwd: list[list[float]] = [[] for _ in range(n)]
    for i in reversed(range(n)):
        row = []
        for r in options[i]:
            best = skip_cost(i, n)
            best = best if best is not None else float("inf")
            for j in range(i + 1, n):
                sc = skip_cost(i, j)
                if sc is None:
                    break
                for q, nb in zip(options[j], bwd[j], strict=True):
                    if _in_order(r, q):
                        best = min(best, nb + sc + _gap(r, q) + q.cost)
            row.append(best)
        bwd[i] = row
    through = [{k: f + b for k, (f, b) in enumerate(zip(fwd[i], bwd[i], strict=True))} for i in range(n)]
    # The cheapest axis may leave every label to repair untimed.
    all_skipped = skip_cost(-1, n)
    totals = [min(t.values()) for t in through if t]
    if all_skipped is not None:
        totals.append(all_skipped)
    best = min(totals, default=float("inf"))
    return (through, best) if best < float("inf") else None


def repair_axis(items: Sequence[Pair | str]) -> dict[int, Pair]:
    """Times for the labels of a period axis in order, each either a time pair already read
    ("08:00", "08:55") or the text of a label that was not: index -> (start, end) of each label
    repaired. A label with one time unreadable takes the period length the well-read labels
    agree on; a label with no clear best reading is left out."""
    if not any(isinstance(it, str) for it in items):
        return {}
    # First by digits and order alone: a period repaired so, with no rival reading, shows the
    # period length as well as a label read as printed does.
    plain = _solve(items, None, False)
    evidence = [plain.get(i, it) for i, it in enumerate(items)]
    length, agreed = _common_length(evidence)
    exact = {minutes_of(it[1]) - minutes_of(it[0]) for it in items if isinstance(it, tuple)}
    return _solve(items, length, agreed and length in exact)


def _solve(items: Sequence[Pair | str], length: int | None, fill: bool) -> dict[int, Pair]:
    """The repair with length as the preferred period length; fill: half-read labels take it."""
    options = [_options(it, length, *_bounds(items, i), fill) for i, it in enumerate(items)]
    found = _best_paths(options, [isinstance(it, str) for it in items])
    if found is None:
        return {}
    through, best = found
    out: dict[int, Pair] = {}
    for i, item in enumerate(items):
        ranked = sorted(through[i].items(), key=lambda kv: kv[1])
        if not isinstance(item, str) or not ranked or ranked[0][1] > best + 1e-9:
            continue  # read as printed, or the cheapest axis leaves this label untimed
        k, cost = ranked[0]
        r = options[i][k]
        rivals = [c for kk, c in ranked[1:] if (options[i][kk].start, options[i][kk].end) != (r.start, r.end)]
        if rivals and rivals[0] - cost < _MARGIN:
            continue  # two readings fit about as well: no way to tell
        start, end = r.start, r.end
        if start is None or end is None:
            if not (fill and length):
                continue
            start, end = (start, start + length) if start is not None else (end - length, end)  # type: ignore[operator]
            if not _fits(items, options, through, i, start, end):
                continue
        out[i] = (fmt(start), fmt(end))
    return out


def _fits(
    items: Sequence[Pair | str],
    options: list[list[LabelReading]],
    through: list[dict[int, float]],
    i: int,
    start: int,
    end: int,
) -> bool:
    """A half-read label completed by the common length still sits between its neighbours'
    chosen times."""
    me = LabelReading(start, end, 0.0)
    for j, step in ((i - 1, -1), (i + 1, 1)):
        while 0 <= j < len(items):
            if through[j]:
                k = min(through[j], key=through[j].get)  # type: ignore[arg-type]
                nb = options[j][k]
                if not (_in_order(nb, me) if step < 0 else _in_order(me, nb)):
                    return False
                break
            j += step
    return True
