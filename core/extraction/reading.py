"""What one layout reading of a page produces: its blocks and the figures confidence scoring uses.

Every layout reader returns one (core/extraction/layout_readers.py lists them)."""

from __future__ import annotations

from dataclasses import dataclass

from core.extraction.model import DraftBlock


@dataclass
class Reading:
    blocks: list[DraftBlock]
    layout: str  # days_cols | days_rows | list | records | calendar
    candidates: int  # cells (or lines) that could hold a lesson
    used: int  # of those, the ones that gave a block
    rows: int  # rows (or lines) of the layout
    rows_timed: int  # of those, the ones whose time was read
    guessed: bool = False  # the layout was inferred without rules or headings
    axis_misread: bool = False  # most period labels were no period: the times are rebuilt, unsure
