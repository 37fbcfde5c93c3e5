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
MIN_TEXT_SHARE = 0.05  # of a small box's pixels: a highlight as small as its short word ("THU")
MAX_TEXT_SHARE = 0.5  # of a background's pixels: more light ones are a light area it frames
STRIP_SHARE = 0.7  # of a highlight's edge row in its shade (descenders cut the bottom one)
MAX_REACH_PX = 4  # a highlight's edge strips reach this far past the letters the closing spanned
MIN_FLAT_SHARE = 0.4  # of a background's pixels in its own shade (the rest are its letters)
# Screen pixels, as painted (before any scaling): letters split a highlight into pieces a stroke
# apart; its edge blends into the page over a pixel or two; a smaller background holds no word.
CLOSE_PX = 5
EDGE_PX = 2
MIN_BOX_W, MIN_BOX_H = 12, 6
RULE_WIDTH_PX = 5  # a table's rule is thinner than this
RULE_LENGTH_PX = 40  # and longer than this; a letter's stroke is shorter
OPEN_PX = 3  # a line of a background's shade this thin (an anti-aliased border) is not part of it
RULE_CONTRAST = 12  # grey levels between a rule and its sides
RULE_MAX_GREY = 225
COLOUR_BIN = 8  # levels per channel in one bin of the coarse colour histogram
# Per channel, around a coarse bin's centre: loose, since the grey level keeps a shade tight and
# colour need only tell apart hues of one grey (amber from the grey rules).
COLOUR_SPREAD = 24


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


def flat_shades(grey: np.ndarray, colour: np.ndarray | None) -> list[tuple[np.ndarray | None, int]]:
    """The flat mid-tone backgrounds: grey levels that are histogram peaks and, given the image in
    colour, each with its colour (peaks of a coarse colour histogram, each with the most common
    grey level of the pixels near its colour)."""
    if colour is None:
        return [(None, level) for level in flat_levels(grey)]
    pixels = colour.reshape(-1, 3)
    q = (pixels // COLOUR_BIN).astype(np.int32)
    side = 256 // COLOUR_BIN
    index = (q[:, 0] * side + q[:, 1]) * side + q[:, 2]
    count = np.bincount(index, minlength=side**3)
    peak, total = _local_peaks(count.reshape(side, side, side))
    floor = MIN_LEVEL_SHARE * len(pixels)
    out: list[tuple[np.ndarray | None, int]] = []
    for b in np.flatnonzero(peak.ravel() & (total.ravel() >= floor)):
        centre = (np.array(np.unravel_index(b, (side, side, side))) + 0.5) * COLOUR_BIN
        hist = cv2.calcHist([grey], [0], _near_colour(colour, centre), [256], [0, 256]).ravel()
        level = int(hist.argmax())
        if not MIN_LEVEL <= level <= MAX_LEVEL or hist[level - 3 : level + 4].sum() < floor:
            continue
        if not any(c is not None and lv == level and np.abs(c - centre).max() <= COLOUR_BIN for c, lv in out):
            out.append((centre, level))
    return out


def _near_colour(colour: np.ndarray, centre: np.ndarray) -> np.ndarray:
    return cv2.inRange(
        colour, np.clip(centre - COLOUR_SPREAD, 0, 255), np.clip(centre + COLOUR_SPREAD, 0, 255)
    )


def _on_shade(
    grey: np.ndarray, colour: np.ndarray | None, centre: np.ndarray | None, level: int
) -> np.ndarray:
    """1 where the image is the flat shade: its grey level and, in colour, near its colour (the
    grey alone would take in every other hue of the same grey)."""
    on = cv2.inRange(grey, level - LEVEL_SPREAD, level + LEVEL_SPREAD)
    if colour is not None and centre is not None:
        on &= _near_colour(colour, centre)
    return on // 255


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


def _painted_box(on_level: np.ndarray, x: int, y: int, w: int, h: int) -> np.ndarray | None:
    """The painted rectangle under a background's box (a highlight, a cell), as a mask of the
    box's rows, or None: the rows from the first whole row of the shade at its top to the last at
    its bottom, in the columns where both are in the shade. A letter at the box's edge lies in
    it, though no closing gets round that letter; where the rows run on past the letters the
    closing spanned, the box reaches that far; a ragged two-line highlight (a short second line)
    fills only where both its edges are painted, never the page beside the short line."""

    def whole(rows: range, inward: int) -> int | None:
        """The first row of a strip two rows deep (a one-row line of the shade is a rule)."""
        inside = [r for r in rows if 0 <= r < on_level.shape[0] and 0 <= r + inward < on_level.shape[0]]
        return next(
            (r for r in inside if on_level[[r, r + inward], x : x + w].mean(axis=1).min() >= STRIP_SHARE),
            None,
        )

    top = whole(range(y - EDGE_PX, y + EDGE_PX + 1), 1)
    bottom = whole(range(y + h - 1 + EDGE_PX, y + h - 2 - EDGE_PX, -1), -1)
    if top is None or bottom is None or bottom - top < MIN_BOX_H:
        return None
    x0, x1 = max(0, x - MAX_REACH_PX), min(on_level.shape[1], x + w + MAX_REACH_PX)
    # From the first column to the last where both edges are painted: a descender or a rule
    # may cut an edge in between.
    painted = np.flatnonzero(on_level[top, x0:x1] & on_level[bottom, x0:x1])
    if len(painted) == 0:
        return None
    box = np.zeros((h + 2 * EDGE_PX, x1 - x0), bool)  # rows y - EDGE_PX .. y + h + EDGE_PX
    box[top - y + EDGE_PX : bottom - y + EDGE_PX + 1, painted[0] : painted[-1] + 1] = True
    return box


def _paste(region: np.ndarray, box: np.ndarray, top: int, left: int) -> None:
    """OR a box mask into region at (top, left), clipped to region."""
    r0, c0 = max(0, top), max(0, left)
    r1, c1 = min(region.shape[0], top + box.shape[0]), min(region.shape[1], left + box.shape[1])
    region[r0:r1, c0:c1] |= box[r0 - top : r1 - top, c0 - left : c1 - left]


def _backgrounds(grey: np.ndarray, on_level: np.ndarray, level: int) -> np.ndarray:
    """The boxes of one flat shade that hold clearly more light text than dark, as a mask."""
    # Closed first: small letters split a highlight into slivers that an opening would remove;
    # then opened, so a thin line of the same shade (a cell's anti-aliased border) sticking out
    # of it is not part of it. Gently: the strips above and below small letters are 2-3 px.
    closed = cv2.morphologyEx(on_level, cv2.MORPH_CLOSE, np.ones((CLOSE_PX, CLOSE_PX), np.uint8))
    closed = cv2.morphologyEx(closed, cv2.MORPH_OPEN, np.ones((OPEN_PX, OPEN_PX), np.uint8))
    n, labels, stats, _ = cv2.connectedComponentsWithStats(closed, connectivity=4)
    found = np.zeros(grey.shape, bool)
    for i in range(1, n):
        x, y, w, h, area = stats[i]
        if w < MIN_BOX_W or h < MIN_BOX_H:
            continue
        # The box with a margin: the background's blended edge lies just outside it.
        pad = EDGE_PX + MAX_REACH_PX
        x0, y0 = max(0, x - pad), max(0, y - EDGE_PX)
        x1, y1 = min(grey.shape[1], x + w + pad), min(grey.shape[0], y + h + EDGE_PX)
        region = labels[y0:y1, x0:x1] == i
        region |= _holes(region)  # big letters (a 3, an o) the closing did not cover
        if (box := _painted_box(on_level, x, y, w, h)) is not None:
            _paste(region, box, y - EDGE_PX - y0, max(0, x - MAX_REACH_PX) - x0)
        if on_level[y0:y1, x0:x1][region].mean() < MIN_FLAT_SHARE:
            continue  # anti-aliased edges of dark print, not a painted background
        roi = grey[y0:y1, x0:x1]
        light = int((region & (roi > level + TEXT_DELTA)).sum())
        dark = int((region & (roi < level - TEXT_DELTA)).sum())
        if (
            light > 2 * dark
            and min(MIN_TEXT_PX, MIN_TEXT_SHARE * area) <= light <= MAX_TEXT_SHARE * region.sum()
        ):
            found[y0:y1, x0:x1] |= region
    return found


def invert_light_on_flat(grey: np.ndarray, colour: np.ndarray | None = None) -> np.ndarray:
    """Each flat mid-tone background whose own pixels are mostly lighter than it (white letters)
    is mapped linearly so the background becomes white and its letters dark. Darker pixels (a
    table's rules, dark print) are left as they are. Runs on the image as captured: scaled, the
    shades are no longer flat. `colour` is the same image in BGR, when it has colour: flat
    backgrounds and rules are then found by colour, not by grey alone."""
    out = None
    rules: np.ndarray | None = None
    for centre, level in flat_shades(grey, colour):
        found = _backgrounds(grey, _on_shade(grey, colour, centre, level), level)
        if not found.any():
            continue
        if out is None or rules is None:
            out, rules = grey.copy(), table_rules(grey if colour is None else colour)
        not_dark = found & (grey >= level - TEXT_DELTA)
        mapped = 255.0 * (255.0 - grey[not_dark].astype(np.float32)) / (255.0 - level)
        out[not_dark] = np.clip(mapped, 0, 255).astype(np.uint8)
        # Where the background blends into the page around it, a grey line is left: binarised,
        # it underlines the words and stands beside them as "|". Only pixels between the
        # background's shade and the page's are that blend: a rule beside it is darker.
        ring = cv2.dilate(found.astype(np.uint8), np.ones((3, 3), np.uint8), iterations=EDGE_PX).astype(bool)
        out[ring & ~found & (grey >= level - LEVEL_SPREAD)] = 255
        # The table's rules there are kept, drawn dark: the grid is read from them.
        out[ring & rules] = 0
    return grey if out is None else out
