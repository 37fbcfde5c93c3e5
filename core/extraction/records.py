"""Tables with one row per lesson: a day column, a time column and a subject column (course
registration exports, class lists). Not built yet: no reading."""

from __future__ import annotations

from core.extraction.model import Page
from core.extraction.reading import Reading


def read_records(page: Page) -> Reading | None:
    return None
