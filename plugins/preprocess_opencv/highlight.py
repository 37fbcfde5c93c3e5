"""Light text on flat mid-tone backgrounds in screenshots: a browser's grey selection highlight,
white text on orange or teal cells of a school system's export.

These backgrounds are too light for the dark-background inversion (a chalkboard, a dark-mode
screen) and the text on them is as light as the page around them, so binarisation loses it.
A screenshot paints them in one flat shade, which a photo never has: each flat shade that holds
clearly more light text than dark is mapped so its text comes out dark on white.

Shades are told apart in colour when the image has it: an amber cell and the table's grey rules
share one grey value (170), and in grey alone the rules between amber cells melt into the cells.
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
COLOUR_BIN = 8  # levels per channel in one bin of the coarse colour histogram
COLOUR_SPREAD = 8  # per channel: a flat colour's pixels vary by this much (anti-aliasing, compression)


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


def _local_peaks(hist: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Bins of an n-dimensional histogram that are the largest of their 3^n neighbourhood, and
    that neighbourhood's total count (a flat colour on a bin's edge spills into the next)."""
    padded = np.pad(hist, 1)
    peak = np.ones(hist.shape, bool)
    total = np.zeros(hist.shape, np.int64)
    for shift in np.ndindex(*([3] * hist.ndim)):
        near = padded[tuple(slice(d, d + n) for d, n in zip(shift, hist.shape, strict=True))]
        peak &= hist >= near
        total += near
    return peak & (hist > 0), total


def flat_colours(image: np.ndarray) -> list[tuple[np.ndarray, int]]:
    """The image's dominant colours whose grey falls in the mid-tone band, each with its grey
    level: peaks of a coarse colour histogram, each colour the mean of its peak bin's pixels."""
    if image.ndim == 2:
        return [(np.array([level], np.float64), level) for level in flat_levels(image)]
    pixels = image.reshape(-1, 3)
    q = (pixels // COLOUR_BIN).astype(np.int32)
    side = 256 // COLOUR_BIN
    index = (q[:, 0] * side + q[:, 1]) * side + q[:, 2]
    count = np.bincount(index, minlength=side**3)
    peak, total = _local_peaks(count.reshape(side, side, side))
    sums = np.stack([np.bincount(index, pixels[:, c], minlength=side**3) for c in range(3)], axis=1)
    out = []
    for b in np.flatnonzero(peak.ravel() & (total.ravel() >= MIN_LEVEL_SHARE * len(pixels))):
        colour = sums[b] / count[b]
        level = round(float(colour @ (0.114, 0.587, 0.299)))  # BGR to grey, as cv2 weighs it
        if MIN_LEVEL <= level <= MAX_LEVEL:
            out.append((colour, level))
    return out


def _on_colour(image: np.ndarray, colour: np.ndarray) -> np.ndarray:
    """1 where the image is within the spread of a flat colour (or grey level), else 0."""
    spread = COLOUR_SPREAD if image.ndim == 3 else LEVEL_SPREAD
    lo = np.clip(colour - spread, 0, 255)
    hi = np.clip(colour + spread, 0, 255)
    if image.ndim == 2:
        return cv2.inRange(image, float(lo[0]), float(hi[0])) // 255
    return cv2.inRange(image, lo, hi) // 255


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


def table_rules(image: np.ndarray) -> np.ndarray:
    """Thin straight lines that stand out from both their sides (a table's rules between two
    coloured cells or at a cell's edge); letters' strokes are too short to pass. In colour, a
    grey rule between an amber and a purple cell is neither lighter nor darker than both in any
    one channel, but its colour lies off the way from one side's colour to the other's."""
    if image.ndim == 2:
        return _rules_in(image)
    b, g, r = cv2.split(image)
    pale = cv2.min(cv2.min(b, g), r) >= RULE_MAX_GREY  # white strokes in a row are letters' serifs
    across = _off_both_sides(image, axis=0) & ~pale
    down = _off_both_sides(image, axis=1) & ~pale
    return _long(across.astype(np.uint8)) | _long(down.astype(np.uint8))


def _off_both_sides(image: np.ndarray, axis: int) -> np.ndarray:
    """Pixels whose colour is farther than RULE_CONTRAST from the segment between the colours a
    rule's width away on either side along `axis` (a blend between two fills lies on it)."""
    d = RULE_WIDTH_PX // 2 + 1
    before = np.roll(image, d, axis=axis)
    after = np.roll(image, -d, axis=axis)
    # Cheap first cut: only pixels unlike both sides can be a rule (edges, letters, rules).
    unlike = (_channel_max(cv2.absdiff(image, before)) > RULE_CONTRAST) & (
        _channel_max(cv2.absdiff(image, after)) > RULE_CONTRAST
    )
    ys, xs = np.nonzero(unlike)
    px = image[ys, xs].astype(np.float32)
    lo, hi = before[ys, xs].astype(np.float32), after[ys, xs].astype(np.float32)
    step, rel = hi - lo, px - lo
    t = np.clip((rel * step).sum(axis=1) / ((step * step).sum(axis=1) + 1e-3), 0.0, 1.0)
    off = rel - t[:, None] * step
    far = (off * off).sum(axis=1) > RULE_CONTRAST**2
    out = np.zeros(unlike.shape, bool)
    out[ys[far], xs[far]] = True
    return out


def _channel_max(image: np.ndarray) -> np.ndarray:
    """Per pixel, the largest of its channels (cv2 is several times quicker than numpy here)."""
    b, g, r = cv2.split(image)
    return cv2.max(cv2.max(b, g), r)


def _rules_in(grey: np.ndarray) -> np.ndarray:
    """Thin straight lines lighter or darker than both their sides in one channel."""
    thin = np.ones((RULE_WIDTH_PX, RULE_WIDTH_PX), np.uint8)
    lighter = cv2.morphologyEx(grey, cv2.MORPH_TOPHAT, thin)
    darker = cv2.morphologyEx(grey, cv2.MORPH_BLACKHAT, thin)
    # A light rule is grey, never white: white thin strokes in a row are letters' serifs.
    return _long(
        (((lighter > RULE_CONTRAST) & (grey < RULE_MAX_GREY)) | (darker > RULE_CONTRAST)).astype(np.uint8)
    )


def invert_light_on_flat(grey: np.ndarray, colour: np.ndarray | None = None) -> np.ndarray:
    """Each flat mid-tone background whose own pixels are mostly lighter than it (white letters)
    is mapped linearly so the background becomes white and its letters dark. Darker pixels (a
    table's rules, dark print) are left as they are. Runs on the image as captured: scaled, the
    shades are no longer flat. `colour` is the same image in BGR, when it has colour: flat
    backgrounds and rules are then found by colour, not by grey alone."""
    shades = grey if colour is None else colour
    out = None
    rules: np.ndarray | None = None
    kernel = np.ones((CLOSE_PX, CLOSE_PX), np.uint8)
    for centre, level in flat_colours(shades):
        on_level = _on_colour(shades, centre)
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
                out, rules = grey.copy(), table_rules(shades)
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
