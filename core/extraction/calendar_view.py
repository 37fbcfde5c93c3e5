"""A calendar app's week view: lesson boxes placed on a time axis of hour or half-hour labels, one
column per day. Not built yet: no reading."""

from __future__ import annotations

from core.extraction.model import Page
from core.extraction.reading import Reading


def read_calendar_view(page: Page) -> Reading | None:
    return None
