"""Days written inside a class-wise grid's cells: "MATH (1-6)", "Lib (1), SKT (2-6)", "PHY EDU 1-5,
Lib. 6", "MATH (1-2) SUNIL JI, ENG(3-4) RAJEEV JI".

Schools that print one row per class and one column per period, with no day anywhere on the
sheet, say in each cell on which days of the week (numbered from 1, Monday) the subject is taught;
each subject comes before its days, a teacher's name after them.
"""

from __future__ import annotations

import re

# "(1-6)", "(2 6)", "(6)", or bare "1-5" / "6" before a dash, a comma or the end.
_SPEC = re.compile(
    r"\(\s*([1-7])\s*(?:(?:[-–]\s*|\s+)([1-7]))?\s*\)"
    r"|(?<![\w(])([1-7])\s*[-–]\s*([1-7])(?![\w)])"
    r"|(?<![\w(.])([1-7])(?=\s*(?:[-–,]|$))"
)
_JUNK = " -–—,.;:|'\"`‘’“”~_"


def day_specs(text: str) -> list[tuple[str, list[int]]]:
    """(subject, day numbers) in the order printed; [] when the text names no days."""
    out: list[tuple[str, list[int]]] = []
    pos = 0
    for m in _SPEC.finditer(text):
        a, b = next((g for g in (m.group(1), m.group(3), m.group(5)) if g), None), m.group(2) or m.group(4)
        if a is None:
            continue
        lo, hi = int(a), int(b) if b else int(a)
        if hi < lo:
            continue
        subject = _subject(text[pos : m.start()], first=not out)
        if not subject:
            continue
        out.append((subject, list(range(lo, hi + 1))))
        pos = m.end()
    return out


def _subject(segment: str, first: bool) -> str:
    """The subject before a day range: after the last comma (the teacher named before it ends
    there), or, with no comma after an earlier range, the last word."""
    if not first:
        chunks = [c.strip(_JUNK) for c in segment.split(",")]
        chunks = [c for c in chunks if c]
        if not chunks:
            return ""
        last = chunks[-1]
        if len(chunks) == 1 and "," not in segment:
            last = last.split()[-1]
        return last.strip(_JUNK)
    return segment.strip(_JUNK)


def covers(specs: list[tuple[str, list[int]]], days: int) -> bool:
    """The cell's ranges give each day of the week (1..days) exactly one subject."""
    seen = sorted(d for _, ds in specs for d in ds)
    return seen == list(range(1, days + 1))
