"""Filled and outlined areas of a page image, reported as `FilledRect`s.

Two kinds: shaded cells (grey or dark backgrounds, as in a ruled timetable's header row), and flat
areas bounded by an edge (a calendar app's lesson box: a coloured fill, a dark outline or both).
Layout readings decide which of them matter; this module only finds them.
"""

from __future__ import annotations

import cv2
import numpy as np

from core.extraction.model import FilledRect

# Fills lighter than this are paper: a white outlined cell of a ruled table is not a shaded area.
PAPER = 246
# Grey-level step that separates two flat areas (a box from the cells around it). Light calendar
# fills differ from their background by ~15 grey levels; JPEG noise stays below ~8 after the blur.
EDGE_STEP = 12
SPECK_AREA = 6  # px at working scale: noise, smaller than any letter's stroke or a line


def _shaded(grey: np.ndarray) -> list[FilledRect]:
    """Shaded cells (grey or dark backgrounds); cheap: one threshold and contours at 1/4 scale."""
    small = cv2.resize(grey, None, fx=0.25, fy=0.25, interpolation=cv2.INTER_AREA)
    bg = cv2.medianBlur(small, 7)
    shaded = ((bg < 245) & (bg > 20)).astype(np.uint8) * 255
    n, _, stats, _ = cv2.connectedComponentsWithStats(shaded, connectivity=4)
    rects = []
    for i in range(1, n):
        x, y, bw, bh, area = stats[i]
        if area > 200 and area > 0.6 * bw * bh:
            v = int(np.median(small[y : y + bh, x : x + bw]))
            rects.append(
                FilledRect(x * 4.0, y * 4.0, (x + bw) * 4.0, (y + bh) * 4.0, f"#{v:02x}{v:02x}{v:02x}")
            )
    return rects


def _without_specks(small: np.ndarray) -> np.ndarray:
    """The image with tiny dark specks painted over: a binarised photo's noise would otherwise
    make edges everywhere and break every box into crumbs."""
    dark = (small < 128).astype(np.uint8)
    n, labels, stats, _ = cv2.connectedComponentsWithStats(dark, connectivity=8)
    speck = stats[:, cv2.CC_STAT_AREA] <= SPECK_AREA
    speck[0] = False  # the background
    if not speck.any():
        return small
    out = small.copy()
    out[speck[labels]] = 255
    return out


def _bounded(grey: np.ndarray) -> list[FilledRect]:
    """Flat areas cut off by an edge (outline or change of fill), at 1/2 scale.

    Every area is a connected set of pixels with no edge inside; letters become holes, so a lesson
    box keeps its outer extent. Areas must be box-like (filling most of their bounding box).
    """
    scale = 0.5 if max(grey.shape) > 1200 else 1.0
    small = cv2.resize(grey, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) if scale < 1 else grey
    small = cv2.GaussianBlur(_without_specks(small), (3, 3), 0)
    grad = cv2.morphologyEx(small, cv2.MORPH_GRADIENT, np.ones((3, 3), np.uint8))
    # Thickened edges close the gaps of an outline broken by binarisation or JPEG noise (a dashed
    # border would let a box leak into the cells around it); the band middle stays where it was.
    edge = cv2.dilate((grad >= EDGE_STEP).astype(np.uint8) * 255, np.ones((5, 5), np.uint8))
    flat = (edge == 0).astype(np.uint8)
    n, labels, stats, _ = cv2.connectedComponentsWithStats(flat, connectivity=4)
    h, w = small.shape
    min_side = max(8, int(0.008 * max(h, w)))
    rects: list[FilledRect] = []
    for i in range(1, n):
        x, y, bw, bh, area = stats[i]
        if bw < min_side or bh < min_side or bw * bh > 0.25 * h * w or area < 0.45 * bw * bh:
            continue
        sub = labels[y : y + bh, x : x + bw] == i
        level = int(np.median(small[y : y + bh, x : x + bw][sub]))
        if level < 30:
            continue  # a dark band (a header bar): the shaded pass reports it
        # A paper-white area inside an outline (a binarised calendar's box, a ruled table's cell)
        # has no colour of its own: reported without one so cells are not coloured white.
        color = None if level >= PAPER else f"#{level:02x}{level:02x}{level:02x}"
        top, bottom, left, right = _edge_bands(edge, x, y, bw, bh)
        box = ((x - left) / scale, (y - top) / scale, (x + bw + right) / scale, (y + bh + bottom) / scale)
        rects.append(FilledRect(*box, color))
    return rects


def _band(strips: list[np.ndarray]) -> float:
    """Half the width of the edge band met walking outward (strips: one line of the 0/255 edge map
    per step; a line is in the band when most of it is edge)."""
    n = 0
    for strip in strips:
        if strip.size == 0 or 2 * np.count_nonzero(strip) < strip.size:
            break
        n += 1
    return (n + 1) / 2


def _edge_bands(edge: np.ndarray, x: int, y: int, bw: int, bh: int) -> tuple[float, float, float, float]:
    """How far each side of an area lies inside its box's true edge.

    An area stops where its outline (or change of fill) starts; the box's edge is taken as the
    middle of that band of edge pixels: the outline's centre, or the middle of the gap between two
    boxes that touch, so one box's end meets the next one's start.
    """
    h, w = edge.shape
    reach = 20
    xs = slice(x + bw // 4, x + 3 * bw // 4 + 1)
    ys = slice(y + bh // 4, y + 3 * bh // 4 + 1)
    top = _band([edge[y - k, xs] for k in range(1, reach) if y - k >= 0])
    bottom = _band([edge[y + bh - 1 + k, xs] for k in range(1, reach) if y + bh - 1 + k < h])
    left = _band([edge[ys, x - k] for k in range(1, reach) if x - k >= 0])
    right = _band([edge[ys, x + bw - 1 + k] for k in range(1, reach) if x + bw - 1 + k < w])
    return top, bottom, left, right


def find_filled(grey: np.ndarray) -> list[FilledRect]:
    """Shaded cells and bounded flat areas (calendar lesson boxes) of a greyscale page image."""
    return _shaded(grey) + _bounded(grey)
