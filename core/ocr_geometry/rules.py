"""Ruling lines of a page image, found with OpenCV morphology (no OCR): a timetable's grid.

Every OCR engine reports them on its page the same way, so layout analysis sees the same kind of
page whichever engine read the words.
"""

from __future__ import annotations

import cv2
import numpy as np

from core.extraction.model import Rule


def glyph_height(ink: np.ndarray) -> float:
    """Median letter height in px of a binarised page's ink (white on black); 20 with too few."""
    _, _, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    # Whole columns at once: a page has tens of thousands of components (a loop over them in
    # Python cost more than the labelling).
    w, h, area = stats[1:, 2], stats[1:, 3], stats[1:, 4]
    hs = h[(h >= 4) & (h <= 300) & (w >= 2) & (w < 3 * h) & (area > 8)]
    return float(np.median(hs)) if len(hs) >= 10 else 20.0


def find_rules(grey: np.ndarray) -> tuple[list[Rule], np.ndarray]:
    """Horizontal and vertical ruling lines, and a mask of their pixels."""
    h, w = grey.shape
    ink = cv2.adaptiveThreshold(grey, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 25, 12)
    gh = glyph_height(ink)
    # A rule is a run of ink far longer than any letter; title letters can be 2-3x body text, so
    # vertical runs must be longer than that or bold stems would be erased as rules.
    hk = cv2.getStructuringElement(cv2.MORPH_RECT, (int(max(40, w // 30, 4 * gh)), 1))
    vk = cv2.getStructuringElement(cv2.MORPH_RECT, (1, int(max(40, 3.5 * gh))))
    hmask = cv2.morphologyEx(ink, cv2.MORPH_OPEN, hk)
    vmask = cv2.morphologyEx(ink, cv2.MORPH_OPEN, vk)
    rules: list[Rule] = []
    keep = np.zeros_like(ink)
    for mask, horizontal in ((hmask, True), (vmask, False)):
        n, labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
        for i in range(1, n):
            x, y, bw, bh, area = stats[i]
            # Mean thickness (area / length), not the box: a long line tilted by a fraction of a
            # degree has a tall box. Binarised photos give rules 5-10 px thick.
            if area / max(bw if horizontal else bh, 1) > max(0.6 * gh, 10.0):
                continue  # a thick blob (dark cell, bold letter), not a line
            if horizontal and bw >= 3 * bh:
                rules.append(Rule(float(x), float(y + bh / 2), float(x + bw), float(y + bh / 2)))
            elif not horizontal and bh >= 3 * bw:
                rules.append(Rule(float(x + bw / 2), float(y), float(x + bw / 2), float(y + bh)))
            else:
                continue
            sub = labels[y : y + bh, x : x + bw] == i
            keep[y : y + bh, x : x + bw][sub] = 255
    _short_verticals(ink, gh, rules, keep)
    mask = cv2.dilate(keep, np.ones((5, 5), np.uint8))  # antialiased edges too
    return rules, mask


def _short_verticals(ink: np.ndarray, gh: float, rules: list[Rule], keep: np.ndarray) -> None:
    """Vertical rules too short for the long kernel (a header cell above a merged cell): kept when
    they run from one horizontal rule to another, which no letter does."""
    hys = sorted((r.y0, r.x0, r.x1) for r in rules if r.y0 == r.y1)
    if len(hys) < 2:
        return
    vk = cv2.getStructuringElement(cv2.MORPH_RECT, (1, int(max(12, 1.2 * gh))))
    vmask = cv2.morphologyEx(ink, cv2.MORPH_OPEN, vk)
    vmask[keep > 0] = 0
    n, labels, stats, _ = cv2.connectedComponentsWithStats(vmask, connectivity=8)
    tol = max(4.0, 0.3 * gh)
    for i in range(1, n):
        x, y, bw, bh, _area = stats[i]
        if bw > 0.4 * gh or bh < 3 * bw:
            continue
        cx = x + bw / 2
        top = any(abs(hy - y) <= tol and hx0 - tol <= cx <= hx1 + tol for hy, hx0, hx1 in hys)
        bottom = any(abs(hy - (y + bh)) <= tol and hx0 - tol <= cx <= hx1 + tol for hy, hx0, hx1 in hys)
        if top and bottom:
            rules.append(Rule(float(cx), float(y), float(cx), float(y + bh)))
            sub = labels[y : y + bh, x : x + bw] == i
            keep[y : y + bh, x : x + bw][sub] = 255
