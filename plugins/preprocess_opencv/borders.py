"""Tables whose cells are each framed apart (an HTML table's cell spacing, common in school and
university portals): every cell has its own border, with a few pixels of page between one cell's
frame and the next. A row's border is then a string of short rules, none long enough to be taken
for a rule across the table, and the grid falls apart. Rule pieces that line up across such a gap
are joined."""

from __future__ import annotations

import cv2
import numpy as np

INK_LEVEL = 128  # darker than this is ink
MIN_PIECE = 2.0  # glyph heights: a border piece is longer than this, a letter's stroke shorter
MAX_GAP = 0.6  # glyph heights: cell spacing is narrower than this, a gap between words wider
MAX_THICK = 0.25  # glyph heights: a border is thinner than this


def join_cell_borders(grey: np.ndarray, glyph: float) -> np.ndarray:
    """The image with collinear border pieces joined across the small gaps between framed cells."""
    ink = (grey < INK_LEVEL).astype(np.uint8)
    # Odd kernels: an even one shifts the result by a pixel.
    piece, gap = max(13, int(MIN_PIECE * glyph)) | 1, max(3, int(MAX_GAP * glyph)) | 1
    bridges = np.zeros_like(ink)
    thick = max(3, int(MAX_THICK * glyph)) | 1
    for along in ((piece, 1), (1, piece)):
        pieces = cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones(along[::-1], np.uint8))
        # Only thin lines are borders: a blob's or a filled cell's edge is thicker.
        across = (1, thick) if along[0] > 1 else (thick, 1)
        pieces &= 1 - cv2.morphologyEx(pieces, cv2.MORPH_OPEN, np.ones(across[::-1], np.uint8))
        span = (gap + 2, 1) if along[0] > 1 else (1, gap + 2)
        joined = cv2.morphologyEx(pieces, cv2.MORPH_CLOSE, np.ones(span[::-1], np.uint8))
        bridges |= joined & ~pieces & (1 - ink)
    if not bridges.any():
        return grey
    out = grey.copy()
    out[bridges.astype(bool)] = 0
    return out
