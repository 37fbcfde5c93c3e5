"""Day names: full, abbreviated, upper case, OCR-tolerant."""

from __future__ import annotations

import re

DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
_ALIASES = {
    "mon": 0, "monday": 0, "mo": 0,
    "tue": 1, "tues": 1, "tuesday": 1, "tu": 1,
    "wed": 2, "weds": 2, "wednesday": 2, "we": 2,
    "thu": 3, "thur": 3, "thurs": 3, "thursday": 3, "th": 3,
    "fri": 4, "friday": 4, "fr": 4,
    "sat": 5, "saturday": 5, "sa": 5,
    "sun": 6, "sunday": 6, "su": 6,
}  # fmt: skip


def day_index(text: str, allow_short: bool = False) -> int | None:
    """Index 0..6 when text is just a day name ("Mon", "MONDAY", "Tue.") else None."""
    t = re.sub(r"[^a-z]", "", text.lower())
    if len(t) < 3 and not allow_short:
        return None
    idx = _ALIASES.get(t)
    if idx is None and len(t) >= 6:
        # OCR slips ("Wednesdav", "Thursdey"): the first three letters and length decide.
        for i, d in enumerate(DAYS):
            if t[:3] == d[:3].lower() and abs(len(t) - len(d)) <= 1:
                return i
    return idx


def day_name(text: str) -> str | None:
    idx = day_index(text, allow_short=True)
    return None if idx is None else DAYS[idx]
