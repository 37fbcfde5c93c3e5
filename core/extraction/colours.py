"""Lesson colours from the document, kept only where they tell subjects apart.

A photo's cells come out grey (shapes are found on a greyscale image) and paper is white: such
colours say nothing about the subject, and a week of grey lessons is what a teacher then sees. A
document's own colours are kept only when they are real hues and give each subject one colour,
with at least two colours among the subjects; otherwise every colour is dropped and the app gives
each subject its own. The app (core/web/static/grid.js) applies the same rule to stored timetables.
"""

from __future__ import annotations

import re
import unicodedata

from core.extraction.model import DraftBlock

_HEX = re.compile(r"^#[0-9a-fA-F]{6}")


def subject_key(name: str) -> str:
    """One key per subject: "Maths", " maths " and "MATHS." are one subject."""
    text = unicodedata.normalize("NFKC", name).lower()
    return " ".join(re.sub(r"[^\w]|_", " ", text).split())


def chromatic(colour: str | None) -> bool:
    """A colour with a hue of its own; grey, white and near-white (shading, paper) are not."""
    if not colour or not _HEX.match(colour):
        return False
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    hi, lo = max(r, g, b), min(r, g, b)
    light = (hi + lo) / 510
    sat = 0.0 if hi == lo else (hi - lo) / ((510 - hi - lo) if light > 0.5 else (hi + lo))
    return hi - lo >= 16 and sat >= 0.25 and light <= 0.97


def subject_colours(blocks: list[DraftBlock]) -> list[DraftBlock]:
    """The blocks with their colours kept only when those tell subjects apart, else all dropped.

    Grey and white never count (a grey break among coloured lessons loses only its own); the
    hues left must give each subject one colour, and two subjects or more at least two colours.
    """
    by_subject: dict[str, set[str]] = {}
    for b in blocks:
        colours = by_subject.setdefault(subject_key(b.name), set())
        if chromatic(b.color):
            colours.add(b.color[:7].lower())  # type: ignore[index]  # chromatic: a colour
    used = {c for colours in by_subject.values() for c in colours}
    meaningful = all(len(colours) <= 1 for colours in by_subject.values()) and len(used) >= min(
        2, len(by_subject)
    )
    for b in blocks:
        b.color = b.color[:7].lower() if meaningful and chromatic(b.color) else None  # type: ignore[index]
    return blocks
