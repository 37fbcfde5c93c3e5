"""Time parsing for timetables: "8:30", "8.30", "08:30-09:20", "1:30 pm", 12-hour inference."""

from __future__ import annotations

import re

# OCR often reads ":" as "." or ";" (or both, "10;:25") and dashes as "~" or "—"; accept them all.
_T = r"(\d{1,2})\s?[:.;·,]{1,2}\s?(\d{2})\s*((?:a|p)\.?\s?m\.?)?"
# The dash itself is often lost by OCR ("10:15 10:35"): two adjacent times still make a range.
# A dash may come doubled ("-—": OCR of a long dash or of a dash on a rule).
_DASH = r"(?:\s*(?:[-–—~−]{1,2}|to|until)\s*|\s+)"
RANGE_RE = re.compile(_T + _DASH + _T, re.IGNORECASE)
# OCR also drops the colon itself on scans ("08 40 — 09 20"); only a whole range of two such times,
# standing alone, is read that way, so "Room 12 30" never becomes a time.
_TS = r"([01]?\d|2[0-3])\s(\d{2})\s*((?:a|p)\.?\s?m\.?)?"
# One of the two colons lost ("09:45-10 30"): with a dash between them the pair is still a range.
_D = r"\s*[-–—~−]{1,2}\s*"
_TSP = r"([01]?\d|2[0-3])\s(\d{2})\s*((?:a|p)\.?\s?m\.?)?"  # "10 30": a time whose colon was lost
MIXED_RANGE_RES = (
    re.compile(r"(?<![\w:.])" + _T + _D + _TSP + r"(?![\w:.])", re.I),
    re.compile(r"(?<![\w:.])" + _TSP + _D + _T + r"(?![\d])", re.I),
)
SPACED_RANGE_RE = re.compile(
    r"(?<![\w:.])" + _TS + r"\s*(?:-|–|—|~|to)?\s*" + _TS + r"(?![\w:.])", re.IGNORECASE
)
TIME_RE = re.compile(r"(?<![\d])" + _T + r"(?![\d])", re.IGNORECASE)

# School days start after 06:00 and end before 20:00: a bare "1:30" is 13:30.
_PM_GUESS_BELOW = 7


def _suffix(s: str | None) -> str | None:
    if not s:
        return None
    return "pm" if s.lower().startswith("p") else "am"


def to_minutes(hour: int, minute: int, suffix: str | None, guess: bool = True) -> int | None:
    if minute > 59 or hour > 23:
        return None
    if suffix:
        if hour < 1 or hour > 12:
            return None
        hour = hour % 12 + (12 if suffix == "pm" else 0)
    elif guess and 1 <= hour < _PM_GUESS_BELOW:
        hour += 12
    return hour * 60 + minute


def fmt(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def parse_time(text: str) -> str | None:
    """Parse one time ("8:30", "08.30", "1:30 pm", "13:05") into 24-hour HH:MM."""
    m = TIME_RE.search(text.strip())
    if not m:
        return None
    mins = to_minutes(int(m.group(1)), int(m.group(2)), _suffix(m.group(3)))
    return None if mins is None else fmt(mins)


# "1430-1620" (24-hour without a colon, common in university systems) or "935-1015" (the dots lost).
COMPACT_RANGE_RE = re.compile(r"(?<![\w.:])(\d{1,2})(\d{2})\s*(?:-|–|—|~|to)\s*(\d{1,2})(\d{2})(?![\w.:])")


def _compact_range(text: str) -> tuple[str, str, int, int] | None:
    for m in COMPACT_RANGE_RE.finditer(text):
        h1, m1, h2, m2 = (int(g) for g in m.groups())
        if all(19 <= h <= 20 for h in (h1, h2)):
            continue  # "2022-2023" is a school year
        start, end = to_minutes(h1, m1, None), to_minutes(h2, m2, None)
        if start is None or end is None:
            continue
        if 5 <= end - start <= 8 * 60:
            return fmt(start), fmt(end), m.start(), m.end()
    return None


def find_range(text: str) -> tuple[str, str, int, int] | None:
    """Find the first time range in text: (start, end, match start, match end) in 24-hour HH:MM."""
    m = (
        RANGE_RE.search(text)
        or MIXED_RANGE_RES[0].search(text)
        or MIXED_RANGE_RES[1].search(text)
        or SPACED_RANGE_RE.search(text)
    )
    if not m:
        return _compact_range(text)
    h1, m1, s1, h2, m2, s2 = m.groups()
    s1, s2 = _suffix(s1), _suffix(s2)
    h1, m1, h2, m2 = int(h1), int(m1), int(h2), int(m2)
    end = to_minutes(h2, m2, s2)
    if end is None:
        return None
    if s1 is None and s2 is not None:
        # "11:30 - 12:15pm": the start shares the end's suffix unless that puts it after the end.
        start = to_minutes(h1, m1, s2)
        if start is None or start >= end:
            start = to_minutes(h1, m1, "am" if s2 == "pm" else "pm")
    else:
        start = to_minutes(h1, m1, s1)
    if start is None:
        return None
    if s1 is None and s2 is None and start >= end and h1 >= _PM_GUESS_BELOW and h2 <= 12:
        # "11:30 - 1:00" with no suffix: the end is in the afternoon.
        end = to_minutes(h2, m2, "pm") or end
    if start >= end:
        # "1:00 - 12:00"? Keep what we read; validation reports it.
        pass
    return fmt(start), fmt(end), m.start(), m.end()


def normalize_time(value: str) -> str | None:
    """Normalise a time string already meant as 24-hour or with am/pm into HH:MM."""
    m = TIME_RE.fullmatch(value.strip()) or TIME_RE.search(value)
    if not m:
        m2 = re.fullmatch(r"\s*(\d{1,2})(\d{2})\s*", value)
        if not m2:
            return None
        mins = to_minutes(int(m2.group(1)), int(m2.group(2)), None, guess=False)
        return None if mins is None else fmt(mins)
    mins = to_minutes(int(m.group(1)), int(m.group(2)), _suffix(m.group(3)), guess=False)
    return None if mins is None else fmt(mins)
