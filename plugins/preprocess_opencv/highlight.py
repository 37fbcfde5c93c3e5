"""Light text on flat mid-tone backgrounds in screenshots: a browser's grey selection highlight,
white text on orange or teal cells of a school system's export.

These backgrounds are too light for the dark-background inversion (a chalkboard, a dark-mode
screen) and the text on them is as light as the page around them, so binarisation loses it.
A screenshot paints them in one flat shade, which a photo never has: each flat shade that holds
clearly more light text than dark is mapped so its text comes out dark on white.
"""

from __future__ import annotations

import cv2
import numpy as np

MIN_LEVEL, MAX_LEVEL = 100, 215  # darker shades are even_light's to invert; lighter ones paper
LEVEL_SPREAD = 6  # grey levels a flat shade varies by (anti-aliasing, compression)
MIN_LEVEL_SHARE = 0.01  # of the image's pixels: a shade painted less than this is not a background
TEXT_DELTA = 40  # grey levels between a text pixel and its background
MIN_TEXT_PX = 50  # light pixels: fewer are an icon or specks, not a word (a big cell may hold one)
MIN_FLAT_SHARE = 0.4  # of a background's pixels in its own shade (the rest are its letters)
# Screen pixels, as painted (before any scaling): letters split a highlight into pieces a stroke
# apart; its edge blends into the page over a pixel or two; a smaller background holds no word.
CLOSE_PX = 5
EDGE_PX = 2
MIN_BOX_W, MIN_BOX_H = 12, 6
RULE_WIDTH_PX = 5  # a table's rule is thinner than this
RULE_LENGTH_PX = 40  # and longer than this; a letter's stroke is shorter
RULE_CONTRAST = 12  # grey levels between a rule and its sides
RULE_MAX_GREY = 225


def flat_levels(grey: np.ndarray) -> list[int]:
    """Grey levels that are local peaks of the histogram and cover a share of the image."""
    hist = np.bincount(grey.ravel(), minlength=256).astype(np.int64)
    floor = MIN_LEVEL_SHARE * grey.size
    levels = []
    for level in range(MIN_LEVEL, MAX_LEVEL + 1):
        near = hist[level - 3 : level + 4]
        if hist[level] == near.max() and near.sum() >= floor:
            levels.append(level)
    return levels


def _holes(region: np.ndarray) -> np.ndarray:
    """Pixels enclosed by `region`, found by flooding its outside from the border."""
    outside = np.pad((~region).astype(np.uint8), 1, constant_values=1)
    mask = np.zeros((outside.shape[0] + 2, outside.shape[1] + 2), np.uint8)
    cv2.floodFill(outside, mask, (0, 0), 2)
    return outside[1:-1, 1:-1] == 1


def _long(line: np.ndarray) -> np.ndarray:
    """The parts of a mask that are straight runs longer than a letter's stroke."""
    across = cv2.morphologyEx(line, cv2.MORPH_OPEN, np.ones((1, RULE_LENGTH_PX), np.uint8))
    down = cv2.morphologyEx(line, cv2.MORPH_OPEN, np.ones((RULE_LENGTH_PX, 1), np.uint8))
    return (across | down).astype(bool)


def table_rules(grey: np.ndarray) -> np.ndarray:
    """Thin straight lines lighter or darker than both their sides (a table's rules between two
    coloured cells or at a cell's edge); letters' strokes are too short to pass."""
    thin = np.ones((RULE_WIDTH_PX, RULE_WIDTH_PX), np.uint8)
    lighter = cv2.morphologyEx(grey, cv2.MORPH_TOPHAT, thin)
    darker = cv2.morphologyEx(grey, cv2.MORPH_BLACKHAT, thin)
    # A light rule is grey, never white: white thin strokes in a row are letters' serifs.
    return _long(
        (((lighter > RULE_CONTRAST) & (grey < RULE_MAX_GREY)) | (darker > RULE_CONTRAST)).astype(np.uint8)
    )


def invert_light_on_flat(grey: np.ndarray) -> np.ndarray:
    """Each flat mid-tone background whose own pixels are mostly lighter than it (white letters)
    is mapped linearly so the background becomes white and its letters dark. Darker pixels (a
    table's rules, dark print) are left as they are. Runs on the image as captured: scaled, the
    shades are no longer flat."""
    out = None
    rules: np.ndarray | None = None
    kernel = np.ones((CLOSE_PX, CLOSE_PX), np.uint8)
    for level in flat_levels(grey):
        on_level = (np.abs(grey.astype(np.int16) - level) <= LEVEL_SPREAD).astype(np.uint8)
        # Opened first: rules of the same shade would join every cell of a table into one region.
        opened = cv2.morphologyEx(on_level, cv2.MORPH_OPEN, np.ones((RULE_WIDTH_PX, RULE_WIDTH_PX), np.uint8))
        closed = cv2.morphologyEx(opened, cv2.MORPH_CLOSE, kernel)
        n, labels, stats, _ = cv2.connectedComponentsWithStats(closed, connectivity=4)
        for i in range(1, n):
            x, y, w, h, _ = stats[i]
            if w < MIN_BOX_W or h < MIN_BOX_H:
                continue
            # The box with a margin: the background's blended edge lies just outside it.
            x0, y0 = max(0, x - EDGE_PX), max(0, y - EDGE_PX)
            x1, y1 = min(grey.shape[1], x + w + EDGE_PX), min(grey.shape[0], y + h + EDGE_PX)
            region = labels[y0:y1, x0:x1] == i
            region |= _holes(region)  # big letters (a 3, an o) the closing did not cover
            if on_level[y0:y1, x0:x1][region].mean() < MIN_FLAT_SHARE:
                continue  # anti-aliased edges of dark print, not a painted background
            roi = grey[y0:y1, x0:x1].astype(np.float32)
            light = int((region & (roi > level + TEXT_DELTA)).sum())
            dark = int((region & (roi < level - TEXT_DELTA)).sum())
            if light <= 2 * dark or light < MIN_TEXT_PX:
                continue
            if out is None or rules is None:
                out, rules = grey.copy(), table_rules(grey)
            target = out[y0:y1, x0:x1]
            not_dark = roi >= level - TEXT_DELTA
            mapped = np.clip(255.0 * (255.0 - roi) / (255.0 - level), 0, 255).astype(np.uint8)
            target[region & not_dark] = mapped[region & not_dark]
            # Where the background blends into the page around it, a grey line is left: binarised,
            # it underlines the words and stands beside them as "|".
            ring = cv2.dilate(region.astype(np.uint8), np.ones((3, 3), np.uint8), iterations=EDGE_PX)
            target[ring.astype(bool) & ~region & not_dark] = 255
            # The table's rules there are kept, drawn dark: the grid is read from them.
            target[ring.astype(bool) & rules[y0:y1, x0:x1]] = 0
    return grey if out is None else out
