"""OpenCV preprocessing before OCR: grey, deskew, scale to a good x-height, even out the light.

The steps themselves; plugin.py registers them, and this module (with OpenCV and numpy) loads with
the first page preprocessed, not when the plugin registers.

Each step runs only when the image needs it: a clean PNG at a good size passes through unchanged
apart from the grey conversion. The page goes to OCR as a ``core.page_image.PageImage`` (hook API 3).
"""

from __future__ import annotations

import math

import cv2
import numpy as np

from core.plugin_api import PageImage, stage
from plugins.preprocess_opencv.borders import join_cell_borders, join_dotted_rules
from plugins.preprocess_opencv.gaps import draw_light_gaps
from plugins.preprocess_opencv.highlight import invert_light_on_flat
from plugins.preprocess_opencv.sheet import find_sheet, warp_sheet

# Median glyph height in px. Tesseract reads x-heights of ~20-30 px best; 24 reads as well as 30 on
# our corpora and costs Tesseract a third fewer pixels.
TARGET_CHAR_H = 24.0  # median glyph height in px; Tesseract likes x-height ~20-30 px
MIN_SKEW_DEG = 0.3


SPECK_SHARE_OF_LETTERS = 0.4  # a median height below this share of the 75th percentile is specks


def glyph_height(grey: np.ndarray) -> float | None:
    """Median height of letter-sized connected components of ink."""
    ink = cv2.threshold(grey, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)[1]
    _, _, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    w, h, area = stats[1:, 2], stats[1:, 3], stats[1:, 4]  # whole columns: no Python loop
    hs = h[(h >= 4) & (h <= 200) & (w >= 2) & (w <= 200) & (area > 8) & (w < 3 * h)]
    if len(hs) < 20:
        return None
    mid, upper = np.percentile(hs, [50, 75])
    if mid < SPECK_SHARE_OF_LETTERS * upper:
        # Two populations: letters and a field of specks (JPEG grain, paper texture, a shaded
        # cell's noise) that outnumber them. The specks would have the page enlarged fivefold;
        # the letters are the taller half.
        hs = hs[hs >= upper / 2]
    return float(np.median(hs))


def skew_angle(grey: np.ndarray) -> float:
    """Angle (degrees) of the dominant near-horizontal long lines or text baselines."""
    # Angles do not change with scale; a copy at most 1600 px wide makes the Hough search cheap.
    scale = min(1.0, 1600 / grey.shape[1])
    if scale < 1.0:
        grey = cv2.resize(grey, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    ink = cv2.threshold(grey, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)[1]
    w = grey.shape[1]
    lines = cv2.HoughLinesP(ink, 1, np.pi / 720, threshold=max(60, int(200 * scale)), minLineLength=w // 4,
                            maxLineGap=10)  # fmt: skip
    angles = []
    if lines is not None:
        for x1, y1, x2, y2 in lines.reshape(-1, 4):
            a = math.degrees(math.atan2(y2 - y1, x2 - x1))
            if abs(a) < 15:
                angles.append(a)
    if len(angles) >= 2:
        return float(np.median(angles))
    # No long lines: smear text into lines and fit the blob orientation.
    smear = cv2.dilate(ink, cv2.getStructuringElement(cv2.MORPH_RECT, (25, 3)))
    cnts, _ = cv2.findContours(smear, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    for c in cnts:
        (_, _), (cw, ch), a = cv2.minAreaRect(c)
        # Words smeared into line pieces: long and thin (a rule-less table has no long lines).
        if max(cw, ch) > max(w / 40, 4 * min(cw, ch)) and min(cw, ch) > 0:
            if cw < ch:
                a -= 90
            if abs(a) < 15:
                angles.append(a)
    return float(np.median(angles)) if len(angles) >= 3 else 0.0


def rotate(grey: np.ndarray, angle: float) -> np.ndarray:
    h, w = grey.shape
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    cos, sin = abs(m[0, 0]), abs(m[0, 1])
    nw, nh = int(h * sin + w * cos), int(h * cos + w * sin)
    m[0, 2] += nw / 2 - w / 2
    m[1, 2] += nh / 2 - h / 2
    return cv2.warpAffine(grey, m, (nw, nh), flags=cv2.INTER_CUBIC, borderValue=255)


def even_light(grey: np.ndarray, glyph: float = TARGET_CHAR_H) -> np.ndarray:
    """Divide by a blurred background (shadows, uneven photo light); light-on-dark regions (dark or
    strongly coloured cells, a chalkboard) are inverted first so their text ends up dark on white."""
    h, w = grey.shape
    # A quarter-size copy: at an eighth, a header band two lines high is lost in the median.
    small = cv2.resize(grey, (max(1, w // 4), max(1, h // 4)), interpolation=cv2.INTER_AREA)
    # A cell's background is most of its pixels, so a wide median is the background's shade.
    dark_small = (cv2.medianBlur(small, 7) < 128).astype(np.uint8)
    # Bold words are dark too, but word-sized: only regions taller than a letter and a half are
    # cells (an inverted bold word would come out as hollow outlines).
    k = int(max(3, 1.5 * glyph / 4)) | 1
    # Holes first: the opening would widen a band's word holes into gaps that cut it through.
    dark_small = _fill_word_holes(dark_small, glyph / 4)
    dark_small = cv2.morphologyEx(dark_small, cv2.MORPH_OPEN, np.ones((k, k), np.uint8))
    dark_small = _light_text_cells(grey, small, dark_small)
    dark = cv2.resize(dark_small, (w, h), interpolation=cv2.INTER_NEAREST).astype(bool)
    if dark.any():
        grey = np.where(dark, 255 - grey, grey).astype(np.uint8)
    # The paper's light, estimated on a quarter-size copy (a large closing is costly at full size).
    q = cv2.resize(grey, (max(1, w // 4), max(1, h // 4)), interpolation=cv2.INTER_AREA)
    k = max(9, (min(h, w) // 80) | 1)
    bg = cv2.morphologyEx(q, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (k, k)))
    bg = cv2.resize(cv2.blur(bg, (5, 5)), (w, h), interpolation=cv2.INTER_LINEAR)
    return cv2.divide(grey, bg, scale=255)


HOLE_GLYPHS = (8.0, 2.5)  # width, height in glyphs: a hole this small in a dark region is its text


def _fill_word_holes(dark: np.ndarray, glyph: float) -> np.ndarray:
    """Light letters lift a dark band's median in spots, and the band would be inverted in patches
    around its words. Holes no bigger than a word or two, enclosed by the dark region, are filled;
    a light cell among dark ones is bigger and stays."""
    n, labels, stats, _ = cv2.connectedComponentsWithStats(1 - dark, connectivity=4)
    if n <= 1:
        return dark
    x, y = stats[:, cv2.CC_STAT_LEFT], stats[:, cv2.CC_STAT_TOP]
    w, h = stats[:, cv2.CC_STAT_WIDTH], stats[:, cv2.CC_STAT_HEIGHT]
    inside = (x > 0) & (y > 0) & (x + w < dark.shape[1]) & (y + h < dark.shape[0])
    small = (w <= HOLE_GLYPHS[0] * glyph) & (h <= HOLE_GLYPHS[1] * glyph)
    hole = inside & small
    hole[0] = False  # label 0 is the dark region itself
    if not hole.any():
        return dark
    return (dark.astype(bool) | hole[labels]).astype(np.uint8)


CELL_TEXT_DELTA = 40  # grey levels between a cell's text and its shade


def _light_text_cells(grey: np.ndarray, small: np.ndarray, dark_small: np.ndarray) -> np.ndarray:
    """The dark regions (at `small`'s scale) whose text is lighter than their shade. A mid-tone
    cell (orange, yellow, a grey photo of a pastel) sits near the dark threshold and is cut in
    patches; its black text votes it out, so it is not half inverted. White-on-colour cells keep
    their inversion. Votes are counted on a half-size copy: smaller, letters are only a shade."""
    n, labels = cv2.connectedComponents(dark_small, connectivity=4)
    if n <= 1:
        return dark_small
    h, w = grey.shape
    size = (max(1, w // 2), max(1, h // 2))
    half = cv2.resize(grey, size, interpolation=cv2.INTER_AREA).astype(np.int16)
    shade = cv2.resize(cv2.medianBlur(small, 7), size, interpolation=cv2.INTER_LINEAR).astype(np.int16)
    cells = cv2.resize(labels.astype(np.int32), size, interpolation=cv2.INTER_NEAREST).ravel()
    diff = (half - shade).ravel()
    lit = np.bincount(cells, diff > CELL_TEXT_DELTA, n)
    dim = np.bincount(cells, diff < -CELL_TEXT_DELTA, n)
    keep = lit >= dim  # no text either way (a solid band): inverted as before
    keep[0] = False
    return keep[labels].astype(np.uint8)


SPECKLE_SHARE = 0.03  # of a neighbourhood's pixels in specks: above it the area is texture, not print


def clear_speckle(binary: np.ndarray, glyph: float) -> np.ndarray:
    """White out areas where binarisation turned texture (a desk, a carpet, sensor noise) into a
    field of specks: Tesseract reads each speck as a try at a letter and can take minutes over a
    page of them. Print has few specks (dots of i, full stops), so it is left alone. Letters and
    rules inside a textured area (a halftoned colour cell, grainy paper) are kept: only what is
    neither is whited out."""
    ink = (binary < 128).astype(np.uint8)
    _, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    tiny = stats[:, cv2.CC_STAT_AREA] <= max(4.0, (0.2 * glyph) ** 2)
    tiny[0] = False  # the background
    specks = tiny[labels].astype(np.float32)
    k = max(9, int(3 * glyph)) | 1
    noisy = cv2.blur(specks, (k, k)) > SPECKLE_SHARE
    if not noisy.any():
        return binary
    out = binary.copy()
    out[noisy & ~_print_like(stats, glyph)[labels]] = 255
    return out


def _print_like(stats: np.ndarray, glyph: float) -> np.ndarray:
    """Per component: a letter (about a letter high, not a solid blob) or a rule (long and thin).
    A desk's or a halftone's specks are neither, even where a few of them touch."""
    w, h = stats[:, cv2.CC_STAT_WIDTH], stats[:, cv2.CC_STAT_HEIGHT]
    area = stats[:, cv2.CC_STAT_AREA]
    fill = area / np.maximum(w * h, 1)
    letter = (h >= 0.5 * glyph) & (h <= 2.5 * glyph) & (w <= 4 * glyph) & (fill > 0.1) & (fill < 0.8)
    long = np.maximum(w, h)
    rule = (long >= 4 * glyph) & (area <= 0.4 * glyph * long)
    keep = letter | rule
    keep[0] = False
    return keep


def binarise(grey: np.ndarray, glyph: float) -> np.ndarray:
    """Local (adaptive) threshold: blurred, low-contrast or unevenly lit text comes out crisp, where
    Tesseract's own global threshold loses bold words on grey paper."""
    block = int(max(15, 1.5 * glyph)) | 1
    return cv2.adaptiveThreshold(grey, 255, cv2.ADAPTIVE_THRESH_GAUSSIAN_C, cv2.THRESH_BINARY, block, 15)


LIGHT_TEXT_BG = 190  # a background darker than this may hold light text
TEXT_DELTA = 40  # grey levels between a text pixel and its background
POLARITY_WINDOW = 9  # small (1/8) pixels: the neighbourhood whose text decides, ~3 lines of text
SHADE_STEP = 24  # grey levels between two neighbouring backgrounds
MIN_DARK_SHARE = 0.2  # of the page: below this, dark backgrounds are a header or a few cells
MIN_TEXT_SHARE = 0.003  # of a background's pixels: fewer light ones than this are specks, not text


def invert_light_text(grey: np.ndarray) -> np.ndarray:
    """Dark backgrounds (a chalkboard, a dark-mode screen, white-on-colour cells) whose text is
    lighter than they are get inverted, so all text is dark on light before letters are measured.
    Each neighbourhood is judged by its own pixels: clearly more of them lighter than the background
    than darker means light text; a dark desk's noise is both, a grey cell with black print darker,
    and both are left alone."""
    h, w = grey.shape
    sw, sh = max(1, w // 8), max(1, h // 8)
    small = cv2.resize(grey, (sw, sh), interpolation=cv2.INTER_AREA)
    bg_small = cv2.medianBlur(small, 7)  # a background is most of its neighbourhood's pixels
    if (bg_small < 128).mean() < MIN_DARK_SHARE:
        return grey  # a dark header or a few dark cells: even_light's own inversion handles them
    bg = cv2.resize(bg_small, (w, h), interpolation=cv2.INTER_LINEAR)
    diff = grey.astype(np.int16) - bg.astype(np.int16)
    light = cv2.resize((diff > TEXT_DELTA).astype(np.float32), (sw, sh), interpolation=cv2.INTER_AREA)
    dark = cv2.resize((diff < -TEXT_DELTA).astype(np.float32), (sw, sh), interpolation=cv2.INTER_AREA)
    flip = _light_text_regions(light, dark, bg_small)
    if not flip.any():
        return grey
    mask = cv2.resize(flip, (w, h), interpolation=cv2.INTER_NEAREST).astype(bool) & (bg < LIGHT_TEXT_BG)
    return np.where(mask, 255 - grey, grey).astype(np.uint8)


def _light_text_regions(light: np.ndarray, dark: np.ndarray, bg_small: np.ndarray) -> np.ndarray:
    """Small-scale mask of the dark backgrounds to invert. Backgrounds are told apart by steps in
    shade (a dark page on a grey desk, two coloured cells) and each votes with all its pixels, so a
    dim photo of white paper beside white-on-colour cells stays as it is. Big letters shift the
    shade and fall between backgrounds: there the text's own neighbourhood decides."""
    dark_bg = bg_small < LIGHT_TEXT_BG
    step = cv2.morphologyEx(bg_small, cv2.MORPH_GRADIENT, np.ones((3, 3), np.uint8)) > SHADE_STEP
    n, labels = cv2.connectedComponents((dark_bg & ~step).astype(np.uint8), connectivity=4)
    lit = np.bincount(labels.ravel(), light.ravel(), n)
    dim = np.bincount(labels.ravel(), dark.ravel(), n)
    area = np.bincount(labels.ravel(), minlength=n)
    votes = (lit > 2 * dim) & (lit > MIN_TEXT_SHARE * area)
    votes[0] = False
    window = (POLARITY_WINDOW, POLARITY_WINDOW)
    lw, dw = cv2.blur(light, window), cv2.blur(dark, window)
    local = ((lw > 2 * dw) & (lw > MIN_TEXT_SHARE)).astype(np.uint8)
    # Only next to a background that voted light: where a dark desk meets white paper the paper
    # itself looks like light text to the desk's edge.
    near = cv2.dilate(votes[labels].astype(np.uint8), np.ones(window, np.uint8)).astype(bool)
    between = cv2.dilate(local, np.ones(window, np.uint8)).astype(bool) & (labels == 0) & near
    return ((votes[labels] | between) & dark_bg).astype(np.uint8)


def needs_light_fix(grey: np.ndarray) -> bool:
    """True when the paper is not an even white (photo, shadow, tinted scan, dark cells)."""
    small = cv2.resize(grey, (128, 128), interpolation=cv2.INTER_AREA)
    mid = ((small > 40) & (small < 215)).mean()  # shaded or coloured cells, grey paper
    return (
        float(np.percentile(small, 90)) < 235 or float(small.std()) > 60 or (small < 90).mean() > 0.01
        or mid > 0.04
    )  # fmt: skip


def scale_to_glyphs(grey: np.ndarray, gh: float | None) -> tuple[np.ndarray, float | None]:
    """Letters to about TARGET_CHAR_H px: small print is enlarged (Tesseract misreads it), large
    print reduced (Tesseract's time grows with the pixels); the readable band is left alone."""
    if gh is not None and not (0.75 * TARGET_CHAR_H <= gh <= 1.6 * TARGET_CHAR_H):
        scale = TARGET_CHAR_H / gh
        interp = cv2.INTER_CUBIC if scale > 1 else cv2.INTER_AREA
        grey = cv2.resize(grey, None, fx=scale, fy=scale, interpolation=interp)
        gh = TARGET_CHAR_H
    return grey, gh


def _grey(image: np.ndarray) -> np.ndarray:
    return image if image.ndim == 2 else cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)


MIN_WIDTH = 400  # px: below this a timetable's small print cannot be read reliably
MIN_GLYPH = 7.0  # px: letters smaller than this are guesses after any upscaling


class Steps:
    """What OpenCvPreprocessor (plugin.py) runs."""

    def preprocess(self, image: np.ndarray) -> PageImage:
        with stage("sheet and light text"):
            grey, corners, painted = self._upright_sheet(image)
        notes = []
        with stage("letter height"):
            small_gh = glyph_height(grey)
        if grey.shape[1] < MIN_WIDTH or (small_gh is not None and small_gh < MIN_GLYPH):
            size = f"{grey.shape[1]}x{grey.shape[0]} px" + (
                f", letters {small_gh:.0f} px high" if small_gh else ""
            )
            notes.append(f"the image is very small ({size}): upload a larger photo or the original file")
        with stage("scale to letters"):
            grey, gh = scale_to_glyphs(grey, small_gh)
        shade = None
        if painted is not None:
            # Flat backgrounds repainted white (white text on coloured boxes) lose the fills that
            # tell one box from the next (a calendar's lessons): the page as painted keeps them.
            shade = cv2.resize(painted, (grey.shape[1], grey.shape[0]), interpolation=cv2.INTER_AREA)
        with stage("uneven light"):
            uneven = corners is not None or needs_light_fix(grey)
        if uneven:
            with stage("even light, specks"):
                shade = grey if shade is None else shade
                grey = binarise(even_light(grey, gh or TARGET_CHAR_H), gh or TARGET_CHAR_H)
                # Dotted rules first: their dots are specks, and a textured cell's clearing keeps rules.
                grey = join_dotted_rules(grey, gh or TARGET_CHAR_H)
                grey = clear_speckle(grey, gh or TARGET_CHAR_H)
                # Strips of paper between shaded cells are the rules binarisation just evened away.
                grey = draw_light_gaps(grey, shade, gh or TARGET_CHAR_H)
        if corners is None:
            with stage("cell borders"):
                grey = join_cell_borders(grey, gh or TARGET_CHAR_H)
        with stage("skew"):
            angle = skew_angle(grey)
            if abs(angle) >= MIN_SKEW_DEG:
                grey = rotate(grey, angle)
                shade = None if shade is None else rotate(shade, angle)
        # `shade`, the page in grey before binarisation, keeps the fills that tell one coloured box
        # from the next (a calendar's lessons); the notes tell a reviewer why the page was doubted.
        return PageImage(grey, shade, notes)

    @staticmethod
    def _upright_sheet(image: np.ndarray) -> tuple[np.ndarray, np.ndarray | None, np.ndarray | None]:
        """Grey page with light-on-dark text turned dark on light, cut from a photo's background
        when the sheet is found, the sheet's corners (None when the page fills the frame), and the
        grey page as painted when flat backgrounds were repainted (else None)."""
        # Turned before anything measures letters: the letter-size and light estimates take ink to
        # be the dark minority. A sheet found on its desk is turned alone, without the desk.
        corners = find_sheet(image)
        if corners is not None:
            return invert_light_text(_grey(warp_sheet(image, corners))), corners, None
        grey = _grey(image)
        upright = invert_light_text(grey)
        if upright is not grey:
            corners = find_sheet(upright)  # a dark sheet is told from its desk once it is light
        if corners is not None:
            return warp_sheet(upright, corners), corners, None
        # Flat painted backgrounds are a screenshot's, never a photographed sheet's. Looked for
        # only where the dark inversion left the page as it was: inverted, its cells' shades are
        # no longer the painted ones and a white cell framed in them would pass for light text.
        if upright is not grey:
            return upright, None, None
        repainted = invert_light_on_flat(grey, image if image.ndim == 3 else None)
        return repainted, None, (grey if repainted is not grey else None)
