"""What a period axis must be: periods in order down the axis, each a plausible length.

A time label read cleanly can still be wrong: OCR drops a digit ("1:35am" for "11:35am") or
misreads one ("21:05" for "11:05"), and the strict parser takes the result at its word. The axis as
a whole tells: its periods follow one another, so a label that cannot sit in order with most of
the others was misread, and is better read again (axis_repair) than trusted.
"""

from __future__ import annotations

import re

from core.extraction.daytime import LONGEST_PERIOD, OPEN_DASH_RE, alone_time, find_range, fmt, minutes_of

_AMPM_RE = re.compile(r"\d\s?[ap]\.?\s?m\b", re.I)
_NOON, _EVENING_ENDS = 12 * 60, 21 * 60


def _plausible(pair: tuple[str, str]) -> bool:
    start, end = minutes_of(pair[0]), minutes_of(pair[1])
    return start < end <= start + LONGEST_PERIOD


def mostly_misread(times: dict[int, tuple[str, str]]) -> bool:
    """An axis whose labels are at least half no period (ending before they start, or longer than
    an afternoon): its digits were misread wholesale, so even its plausible labels are suspect."""
    bad = sum(not _plausible(pair) for pair in times.values())
    return bad > 0 and bad >= len(times) - bad


def has_ampm(text: str) -> bool:
    """Whether a label prints its am/pm ("9:00 am", "1.30 P.M"): then its half of the day is known."""
    return bool(_AMPM_RE.search(text))


def afternoon_tail(times: dict[int, tuple[str, str]], bare: set[int]) -> dict[int, tuple[str, str]]:
    """Times down an axis with the periods after noon moved there, as `daytime.order_axis` does for
    single times: printed in 12-hour time without am/pm, the evening's "7:00 to 8:30" after "10:30
    to 12:00" reads as morning. Where the axis first runs back before the period above it ends,
    the rows from there to its end move 12 hours on when every one of them was printed without
    am/pm and reads as morning, and moved they keep the order up to the evening; else the axis is
    left as read (a misread digit is `out_of_order`'s to find)."""
    rows = sorted(times)
    span = {r: (minutes_of(times[r][0]), minutes_of(times[r][1])) for r in rows}
    for i in range(1, len(rows)):
        if span[rows[i]][0] >= span[rows[i - 1]][1]:
            continue
        tail = rows[i:]
        if not all(r in bare and span[r][0] < span[r][1] <= _NOON for r in tail):
            return times
        moved = [(span[r][0] + 12 * 60, span[r][1] + 12 * 60) for r in tail]
        ends = [span[rows[i - 1]][1]] + [e for _, e in moved]
        starts = [s for s, _ in moved]
        if any(s < e for s, e in zip(starts, ends, strict=False)) or ends[-1] > _EVENING_ENDS:
            return times
        return {**times, **{r: (fmt(s), fmt(e)) for r, (s, e) in zip(tail, moved, strict=True)}}
    return times


def out_of_order(times: dict[int, tuple[str, str]]) -> set[int]:
    """Rows (or columns) whose time does not fit the axis the others make: no plausible period
    (ending before it starts, or longer than an afternoon), or on no longest run of periods in
    order (each starting when or after the one before ends). Periods out of order are thrown out
    only when the run keeps two or more rows and twice as many as that drops; a row on some
    longest run but not all (two readings each as good) is kept. Labels that are no period are
    always thrown out (to be read again), even when they are most of the axis: taking them at
    their word puts lessons at impossible times (`mostly_misread` then says the axis is doubtful)."""
    rows = sorted(times)
    ok = [r for r in rows if _plausible(times[r])]
    span = {r: (minutes_of(times[r][0]), minutes_of(times[r][1])) for r in ok}
    fwd: dict[int, int] = {}
    for i, r in enumerate(ok):
        fwd[r] = 1 + max((fwd[q] for q in ok[:i] if span[q][1] <= span[r][0]), default=0)
    bwd: dict[int, int] = {}
    for i in reversed(range(len(ok))):
        r = ok[i]
        bwd[r] = 1 + max((bwd[q] for q in ok[i + 1 :] if span[r][1] <= span[q][0]), default=0)
    longest = max(fwd.values(), default=0)
    keep = {r for r in ok if fwd[r] + bwd[r] - 1 == longest}
    implausible = set(rows) - set(ok)
    dropped = set(ok) - keep
    if longest < 2 or longest < 2 * len(dropped):
        return implausible
    return implausible | dropped


def split_range(labels: list[str]) -> tuple[str, str] | None:
    """A period's start and end printed in two labels of its row or column: "08:35 –" above
    "09:00" (a header over two lines read as two rows), or a start column beside an end column.
    Only labels that are each one time (a dash or "to" may end the first) count, the first two
    taken in order; a period number or a word beside them is passed over."""
    times = []
    for text in labels:
        bare = OPEN_DASH_RE.sub("", text.strip(" |:;.,'\"`"))
        one = alone_time(bare)
        if one is not None and (one.has_minutes or one.suffix) and not one.compact:
            times.append(bare)
    if len(times) < 2:
        return None
    rng = find_range(f"{times[0]} - {times[1]}")
    if rng is None or not _plausible(rng[:2]):
        return None
    return rng[0], rng[1]
