"""Pages too small to read: an empty page with a note instead of an OCR engine's failure."""

from __future__ import annotations

import numpy as np

from core.engine_errors import DocumentUnreadable
from core.extraction.model import Page

# Below this many pixels on a side no letter can be told apart; OpenCV's filters also refuse them.
MIN_READABLE_SIDE = 8


def unreadably_small(image: np.ndarray, page_number: int, source: str) -> Page | None:
    """An empty page, with a note, for an image too small to hold text; None for any other."""
    h, w = image.shape[:2]
    if h == 0 or w == 0:
        raise DocumentUnreadable(f"Page {page_number} has no pixels; upload the page again.")
    if min(h, w) >= MIN_READABLE_SIDE:
        return None
    note = f"page {page_number} is {w} x {h} pixels: too small to hold any text"
    return Page(page_number, float(w), float(h), [], [], [], source=source, notes=[note])
