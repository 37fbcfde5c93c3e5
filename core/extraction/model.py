"""The common intermediate form that joins readers, OCR engines, layout and interpretation.

Every reader (text-layer PDF, DOCX) and every OCR engine produces `Page`s; layout analysis and
timetable interpretation work on `Page`s only, so every engine benefits from them. Coordinates are
in the page's own units (PDF points or image pixels), origin top-left, y growing downwards.
"""

from __future__ import annotations

import msgspec


class Word(msgspec.Struct, frozen=True):
    text: str
    x0: float
    y0: float
    x1: float
    y1: float
    confidence: float = 1.0  # 0..1; readers with a text layer give 1.0


class Rule(msgspec.Struct, frozen=True):
    """A ruling line (table border) found on the page."""

    x0: float
    y0: float
    x1: float
    y1: float


class FilledRect(msgspec.Struct, frozen=True):
    """A filled rectangle (coloured cell background); `color` as '#rrggbb' when known."""

    x0: float
    y0: float
    x1: float
    y1: float
    color: str | None = None


class Page(msgspec.Struct):
    number: int  # 1-based
    width: float
    height: float
    words: list[Word] = msgspec.field(default_factory=list)
    rules: list[Rule] = msgspec.field(default_factory=list)
    rects: list[FilledRect] = msgspec.field(default_factory=list)
    source: str = ""  # engine or reader that produced it, e.g. "pdf_text", "tesseract"
    # What the reader or OCR engine noticed about the page ("turned 90 degrees", "tiny image").
    notes: list[str] = msgspec.field(default_factory=list)


class DraftBlock(msgspec.Struct):
    """One timeblock as interpreted from the pages, before validation and normalisation."""

    day: str  # full English day name, or a cycle day ("Day 3", "Day C") on a cycle timetable
    start_time: str  # HH:MM, 24-hour
    end_time: str  # HH:MM, 24-hour
    name: str
    notes: str | None = None
    color: str | None = None
    page: int = 1
    confidence: float = 1.0
    week: str | None = None  # on a two-week timetable, the week as printed ("A", "1", "Odd")
    # On a master timetable of many classes, the class the lesson is for ("10TH", "CLASS 11 A").
    class_name: str | None = None


class DraftTimetable(msgspec.Struct):
    teacher: str | None = None
    class_name: str | None = None
    term: str | None = None
    year: int | None = None
    blocks: list[DraftBlock] = msgspec.field(default_factory=list)
    layout: str = "unknown"  # days_cols | days_rows | list | unknown
    # weekly, two_week when pages are headed by two different weeks, or cycle when the days are
    # cycle days ("Day 1" … "Day 6"), in core/extraction/weeks.py
    rotation: str = "weekly"
    weeks: list[str] = msgspec.field(default_factory=list)
    cycle_days: list[str] = msgspec.field(default_factory=list)  # a cycle's days, in order
    # Figures from interpretation that confidence scoring uses (so it need not interpret again):
    # ocr (mean word confidence of the words in blocks), coverage, rows_timed, guessed, pages...
    stats: dict[str, float] = msgspec.field(default_factory=dict)
    # Why a reader should look at this document: no timetable found, pages left out, overlaps.
    problems: list[str] = msgspec.field(default_factory=list)


class ReadResult(msgspec.Struct):
    """What the read stage produces: the pages plus how they were read."""

    kind: str  # pdf_text | pdf_scan | docx | image
    engine: str  # reader or OCR engine name
    pages: list[Page]
    # What made it, for reuse: the engine's name and version (EngineRegistry.key), and for OCR the
    # preprocessors with theirs. A reading is reused only by a read that would be made the same way.
    made_by: str = ""
