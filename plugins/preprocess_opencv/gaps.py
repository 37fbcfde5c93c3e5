"""Tables drawn with no ink rules: shaded or coloured cells with a thin strip of paper between them
(a banded spreadsheet, a slide, a coloured print). The strip of paper is the rule. Binarisation
evens the cells' shades out to paper, and the strips with them, so the grid is lost; here the strips
are found on the page before binarisation and drawn as dark rules on the binarised page."""

from __future__ import annotations

import cv2
import numpy as np

GAP_STEP = (
    8  # grey levels a strip of paper is lighter than the fill on both sides (a photo of pastel bands: 7-25)
)
FILL_GLYPHS = 2.0  # glyph heights: the window whose median is a cell's fill (text is its minority)
INK_STEP = 3 * GAP_STEP  # grey levels below the cells beside a strip: ink (a rule), not a photo's grain
BRIDGE_GLYPHS = 2.0  # glyph heights: a crossing of two strips, where neither has cells beside it
SPAN_SHARE = 0.7  # of a grid's width (height): a table's strips run across it; a calendar's do not
MIN_ALONG = (3.0, 1.5)  # glyph heights a strip runs on: along a row (under a cell), down a column
SIDE_GLYPHS = 0.4  # glyph heights from a strip's middle to the plain fill on each side of it
MAX_FILL = 235  # a fill lighter than this is paper: text on paper makes no strips


def light_gaps(shade: np.ndarray, glyph: float) -> np.ndarray:
    """Mask (bool) of thin, long, straight strips much lighter than the fill on both sides of them.

    A cell's fill is the median of a window two letters wide: text is its minority, and a strip a
    few pixels wide is too. Text on white paper never passes (its fill is paper); a letter's light
    counter in a shaded cell, or a white letter's stroke on a dark band, is shorter than a cell's
    side and is dropped by the opening along rows and columns."""
    h, w = shade.shape
    scale = 4
    small = cv2.resize(shade, (max(1, w // scale), max(1, h // scale)), interpolation=cv2.INTER_AREA)
    k = max(3, int(FILL_GLYPHS * glyph / scale)) | 1
    fill = cv2.resize(cv2.medianBlur(small, k), (w, h), interpolation=cv2.INTER_LINEAR)
    page = cv2.GaussianBlur(shade, (3, 3), 0).astype(np.int16)
    lift = page - fill.astype(np.int16)
    lighter = (lift >= GAP_STEP) & (fill < MAX_FILL)
    if not lighter.any():
        return lighter
    # Beside a strip, on both sides, lies the cells' plain fill; beside a light gap between two
    # letters (or inside a white letter on a dark band) lie the letters' strokes.
    plain = np.abs(lift) < GAP_STEP
    d = max(2, int(SIDE_GLYPHS * glyph))

    def darker_beside(dy: int, dx: int) -> np.ndarray:
        # The cell beside the strip: plain fill, and darker than the strip by a step.
        return _shifted(plain, dy, dx) & (_shifted(page, dy, dx) <= page - GAP_STEP)

    # No ink between the strip and the cells beside it: a dark rule's light halo (a phone's
    # sharpening) has the rule there.
    span = 2 * d + 1
    fill16 = fill.astype(np.int16)
    clear_down, clear_across = (
        cv2.erode(page, k) >= cv2.erode(fill16, k) - INK_STEP
        for k in (np.ones((span, 1), np.uint8), np.ones((1, span), np.uint8))
    )
    across_rows = lighter & clear_down & darker_beside(d, 0) & darker_beside(-d, 0)
    across_cols = lighter & clear_across & darker_beside(0, d) & darker_beside(0, -d)
    along_row, down_col = (max(9, int(g * glyph)) | 1 for g in MIN_ALONG)
    rows = cv2.morphologyEx(across_rows.astype(np.uint8), cv2.MORPH_OPEN, np.ones((1, along_row), np.uint8))
    cols = cv2.morphologyEx(across_cols.astype(np.uint8), cv2.MORPH_OPEN, np.ones((down_col, 1), np.uint8))
    # Where two strips cross, neither has cells beside it: the pieces of one are joined across.
    bridge = max(3, int(BRIDGE_GLYPHS * glyph))
    rows = cv2.morphologyEx(rows, cv2.MORPH_CLOSE, np.ones((1, bridge), np.uint8))
    cols = cv2.morphologyEx(cols, cv2.MORPH_CLOSE, np.ones((bridge, 1), np.uint8))
    return _framed(rows.astype(bool), cols.astype(bool), glyph)


def _framed(rows: np.ndarray, cols: np.ndarray, glyph: float) -> np.ndarray:
    """The strips with the frame of each grid they draw: a grid ruled by paper has no strip along
    its outside (the paper beyond is as light), so its rows and columns end where its strips do.
    A group is a grid when it has two strips each way and one of each runs across most of it;
    only its strips are drawn, with its frame (their bounding box). Lone strips draw nothing."""
    strips = (rows | cols).astype(np.uint8)
    reach = max(3, int(glyph)) | 1
    n, labels, stats, _ = cv2.connectedComponentsWithStats(
        cv2.dilate(strips, np.ones((reach, reach), np.uint8))
    )
    out = np.zeros(strips.shape, bool)  # only the strips of a grid are drawn
    thick = max(2, int(glyph / 8))
    for i in range(1, n):
        x, y, w, h = (int(v) for v in stats[i, :4])
        group = labels[y : y + h, x : x + w] == i
        g_rows, g_cols = rows[y : y + h, x : x + w] & group, cols[y : y + h, x : x + w] & group
        if _pieces(g_rows) < 2 or _pieces(g_cols) < 2:
            continue
        if _longest(g_rows, 1) < SPAN_SHARE * w or _longest(g_cols, 0) < SPAN_SHARE * h:
            continue  # boxes with paper between them that no strip runs across: a calendar's lessons
        out[y : y + h, x : x + w] |= (g_rows | g_cols).astype(bool)
        ys, xs = np.nonzero(strips[y : y + h, x : x + w] & group)
        # Strips stop short of the edge by the reach of their test (the paper beyond is no cell).
        pad = max(2, int(SIDE_GLYPHS * glyph))
        hh, ww = out.shape
        top, bottom = max(0, y + ys.min() - pad), min(hh - 1, y + ys.max() + pad)
        left, right = max(0, x + xs.min() - pad), min(ww - 1, x + xs.max() + pad)
        for a, b in ((top, top + thick), (bottom - thick, bottom)):
            out[a : b + 1, left : right + 1] = True
        for a, b in ((left, left + thick), (right - thick, right)):
            out[top : bottom + 1, a : b + 1] = True
    return out


def _longest(mask: np.ndarray, axis: int) -> int:
    """The longest extent of one strip of mask along axis (1: across, 0: down)."""
    n, _, stats, _ = cv2.connectedComponentsWithStats(mask.astype(np.uint8))
    side = cv2.CC_STAT_WIDTH if axis == 1 else cv2.CC_STAT_HEIGHT
    return int(stats[1:, side].max()) if n > 1 else 0


def _pieces(mask: np.ndarray) -> int:
    return cv2.connectedComponents(mask.astype(np.uint8))[0] - 1


def _shifted(mask: np.ndarray, dy: int, dx: int) -> np.ndarray:
    """mask moved by (dy, dx): out[y, x] = mask[y + dy, x + dx], False past the edges."""
    h, w = mask.shape
    out = np.zeros_like(mask)
    ys, yd = (slice(dy, h), slice(0, h - dy)) if dy >= 0 else (slice(0, h + dy), slice(-dy, h))
    xs, xd = (slice(dx, w), slice(0, w - dx)) if dx >= 0 else (slice(0, w + dx), slice(-dx, w))
    out[yd, xd] = mask[ys, xs]
    return out


def draw_light_gaps(binary: np.ndarray, shade: np.ndarray | None, glyph: float) -> np.ndarray:
    """The binarised page with the light strips between filled cells drawn in as dark rules."""
    if shade is None or shade.shape != binary.shape:
        return binary
    gaps = light_gaps(shade, glyph)
    if not gaps.any():
        return binary
    out = binary.copy()
    out[gaps] = 0
    return out
