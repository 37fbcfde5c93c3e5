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


DOT_GAP = 0.35  # glyph heights: the gap between a dotted rule's dots (letters of a word are closer)
# Glyph heights a dotted rule runs at least (a cell's width or a row's height).
MIN_RULE = 5.0
MIN_DOT_INK = 0.25  # share of a joined rule's length that was ink: below it, stray specks in a row
SIDE_CLEAR = 0.3  # glyph heights above and below a rule that are mostly paper
MAX_DOT_INK = 0.75  # share of a run's pixels that were ink: above it the rule was whole already
MAX_CROWDED = 0.2  # share of a run with ink beside it: above this it runs through letters


def join_dotted_rules(binary: np.ndarray, glyph: float) -> np.ndarray:
    """The binarised page with dotted and dashed rules drawn solid. Printed dotted borders (and
    solid ones broken into dashes by blur and binarisation) are otherwise runs of specks no longer
    than a letter, and the grid loses them. Only thin, long, straight runs are joined: a closed
    word is as thick as its letters and is left alone."""
    ink = (binary < INK_LEVEL).astype(np.uint8)
    gap = max(3, int(DOT_GAP * glyph)) | 1
    thick = max(3, int(MAX_THICK * glyph)) | 1
    lines = np.zeros_like(ink)
    for horizontal in (True, False):
        close_k = np.ones((1, gap) if horizontal else (gap, 1), np.uint8)
        long_ = max(31, int(MIN_RULE * glyph)) | 1
        long_k = np.ones((1, long_) if horizontal else (long_, 1), np.uint8)
        across_k = np.ones((thick, 1) if horizontal else (1, thick), np.uint8)
        joined = cv2.morphologyEx(ink, cv2.MORPH_CLOSE, close_k)
        runs = cv2.morphologyEx(joined, cv2.MORPH_OPEN, long_k)
        runs &= 1 - cv2.morphologyEx(runs, cv2.MORPH_OPEN, across_k)  # thin ones only
        n, labels, stats, _ = cv2.connectedComponentsWithStats(runs, connectivity=8)
        if n <= 1:
            continue
        # Counted on the runs' own pixels only: they are few, the page is large.
        ys, xs = np.nonzero(runs)
        lab = labels[ys, xs]
        had = np.bincount(lab, ink[ys, xs], n)
        # A rule has paper on both sides; a band closed through a word's letters has ink there.
        d = max(3, int(SIDE_CLEAR * glyph))
        hgt, wid = ink.shape
        if horizontal:
            side = ink[np.clip(ys - d, 0, hgt - 1), xs] | ink[np.clip(ys + d, 0, hgt - 1), xs]
        else:
            side = ink[ys, np.clip(xs - d, 0, wid - 1)] | ink[ys, np.clip(xs + d, 0, wid - 1)]
        crowded = np.bincount(lab, side, n)
        length = stats[:, cv2.CC_STAT_WIDTH if horizontal else cv2.CC_STAT_HEIGHT]
        area = stats[:, cv2.CC_STAT_AREA]
        keep = (had >= MIN_DOT_INK * length) & (had <= MAX_DOT_INK * area) & (crowded <= MAX_CROWDED * area)
        keep[0] = False
        lines[ys[keep[lab]], xs[keep[lab]]] = 1
    if not lines.any():
        return binary
    out = binary.copy()
    out[lines.astype(bool)] = 0
    return out
