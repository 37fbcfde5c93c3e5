"""Week labels over a timetable's pages: "Week A" / "Week B", "Week 1" / "Week 2", "Odd week" /
"Even week". A two-week timetable prints one week per page (or per grid) headed by its label; the
label is taken out of the header lines so it is not read as the teacher's or class's name."""

from __future__ import annotations

import re

from core.extraction.model import DraftTimetable

_WEEK = re.compile(
    r"(?<![\w])(?:"
    r"week\s*[-:.]?\s*(?P<label>[AB12]|one|two)(?![\w])"
    r"|(?P<parity>odd|even)\s+weeks?(?![\w])"
    r"|weeks?\s*[-:.]?\s*(?P<parity_after>odd|even)(?![\w])"
    r")",
    re.IGNORECASE,
)
_WORDS = {"one": "1", "two": "2"}


def _label(match: re.Match[str]) -> str:
    if match.group("label"):
        raw = match.group("label")
        return _WORDS.get(raw.lower(), raw.upper())
    return (match.group("parity") or match.group("parity_after")).capitalize()


def week_of(lines: list[str]) -> tuple[str | None, list[str]]:
    """The one week label the lines carry (None when none, or two different ones), and the lines
    with it taken out."""
    labels = {_label(m) for line in lines for m in _WEEK.finditer(line)}
    if len(labels) != 1:
        return None, lines
    cleaned = [" ".join(_WEEK.sub(" ", line).strip(" -–—:|·,").split()) for line in lines]
    return labels.pop(), [line for line in cleaned if line]


def printed_week(text: str | None) -> str | None:
    """A week as another reader gave it ("Week B", "b", "odd week") in the labels pages carry."""
    text = (text or "").strip()
    if not text:
        return None
    match = _WEEK.search(text) or _WEEK.search(f"week {text}")
    return _label(match) if match else text


def settle_weeks(draft: DraftTimetable) -> None:
    """Lessons in exactly two weeks make a two-week draft, its weeks in the order first met;
    otherwise a week label means nothing (a weekly timetable printed for "Week 1" of term) and no
    lesson keeps one."""
    weeks = list(dict.fromkeys(b.week for b in draft.blocks if b.week))
    if len(weeks) == 2:
        draft.rotation, draft.weeks = "two_week", weeks
        return
    draft.rotation, draft.weeks = "weekly", []
    for block in draft.blocks:
        block.week = None
