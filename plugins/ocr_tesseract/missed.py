"""A second look at ink that Tesseract's sparse-text pass left unread in empty grid cells.

`--psm 11` reads a ruled grid well but drops lone short words: a period number "1" alone in its
cell, "PE", "7". Every patch of letter-sized ink inside a ruled cell where nothing was read is cut
out, the patches are stacked into one small strip, and Tesseract reads the strip once as lines of
text (`--psm 6`): one call on a few hundred pixels, and none when nothing was missed. Cells that
already hold words are left alone: their leftover ink is icons and specks, not dropped words.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import cv2
import numpy as np

from core.plugin_api import Rule, Word

# Arrows drawn around a word set down a column ("<- LUNCH ->") read as these at its ends.
_ARROWS = re.compile(r"^[^\w(]+|[^\w).]+$")
MIN_CONFIDENCE = 0.6  # a re-read below this is more likely a speck or an icon than a word
_PAD = 6  # white margin around each patch, px
_GAP = 3  # patches are stacked with this many glyph heights of white between them
MAX_PATCHES = 60  # more unread patches than this is a picture or noise, not dropped words


def _cell_around(x: float, y: float, rules: list[Rule]) -> tuple[float, float, float, float] | None:
    """The box between the nearest rules left, right, above and below (x, y); None when it is not
    enclosed (a page without a grid)."""
    left = [r.x0 for r in rules if r.x0 == r.x1 and r.x0 < x and r.y0 <= y <= r.y1]
    right = [r.x0 for r in rules if r.x0 == r.x1 and r.x0 > x and r.y0 <= y <= r.y1]
    above = [r.y0 for r in rules if r.y0 == r.y1 and r.y0 < y and r.x0 <= x <= r.x1]
    below = [r.y0 for r in rules if r.y0 == r.y1 and r.y0 > y and r.x0 <= x <= r.x1]
    if not (left and right and above and below):
        return None
    return max(left), max(above), min(right), min(below)


def _empty_cell(box: tuple[int, int, int, int], rules: list[Rule], words: list[Word]) -> bool:
    x0, y0, x1, y1 = box
    cell = _cell_around((x0 + x1) / 2, (y0 + y1) / 2, rules)
    if cell is None:
        return False
    cx0, cy0, cx1, cy1 = cell
    # A lone character read there is as likely a fragment of what was missed ("5" of a sideways
    # "LUNCH"): it does not make the cell read.
    inside = [w for w in words if cx0 < (w.x0 + w.x1) / 2 < cx1 and cy0 < (w.y0 + w.y1) / 2 < cy1]
    return all(len(w.text.strip()) <= 1 for w in inside)


def _patches(
    ink: np.ndarray, words: list[Word], rules: list[Rule], glyph: float
) -> list[tuple[int, int, int, int]]:
    """Boxes (x0, y0, x1, y1) of word-sized ink in ruled cells where no word was read."""
    h, w = ink.shape
    covered = np.zeros_like(ink)
    for word in words:
        x0, y0 = max(0, int(word.x0) - 2), max(0, int(word.y0) - 2)
        covered[y0 : int(word.y1) + 3, x0 : int(word.x1) + 3] = 255
    free = cv2.bitwise_and(ink, cv2.bitwise_not(covered))
    # Letters of one word join into one patch; neighbouring words of a line too.
    k = max(3, int(0.6 * glyph))
    joined = cv2.dilate(free, cv2.getStructuringElement(cv2.MORPH_RECT, (k, max(1, k // 3))))
    n, _, stats, _ = cv2.connectedComponentsWithStats(joined, connectivity=8)
    boxes = []
    for i in range(1, n):
        x, y, bw, bh, _area = stats[i]
        inked = int(np.count_nonzero(free[y : y + bh, x : x + bw]))
        line = 0.5 * glyph <= bh <= 2.5 * glyph and bw <= 40 * glyph
        column = 0.5 * glyph <= bw <= 2.5 * glyph and 2.5 * glyph < bh <= 15 * glyph  # a word set sideways
        if not (line or column) or inked < 0.05 * bw * bh:
            continue  # specks, rule ends and pictures are not words
        if not _empty_cell((x, y, x + bw, y + bh), rules, words):
            continue
        boxes.append((max(0, x - _PAD), max(0, y - _PAD), min(w, x + bw + _PAD), min(h, y + bh + _PAD)))
    return boxes if len(boxes) <= MAX_PATCHES else []


Box = tuple[int, int, int, int]


def _ruled_between(upper: Box, lower: Box, rules: list[Rule]) -> bool:
    cx = (upper[0] + upper[2] + lower[0] + lower[2]) / 4
    return any(
        r.y0 == r.y1 and r.x0 <= cx <= r.x1 and upper[1] + _PAD < r.y0 < lower[3] - _PAD for r in rules
    )


def _stacks(boxes: list[Box], rules: list[Rule], glyph: float) -> list[list[Box]]:
    """Patches grouped into rows to read: a column of single letters one under another in one cell
    ("LUNCH" set down a merged column) is one row, its letters laid side by side; any other patch
    is a row alone. Letters in cells of their own (row numbers) are not a stack."""
    letters = sorted((b for b in boxes if b[2] - b[0] - 2 * _PAD <= 2.2 * glyph), key=lambda b: b[1])
    columns: list[list[Box]] = []
    for b in letters:
        cx = (b[0] + b[2]) / 2
        for col in columns:
            last = col[-1]
            under = abs((last[0] + last[2]) / 2 - cx) <= 0.5 * glyph
            near = -2 * _PAD <= b[1] - last[3] <= 1.2 * glyph  # padded boxes of stacked letters overlap
            if under and near and not _ruled_between(last, b, rules):
                col.append(b)
                break
        else:
            columns.append([b])
    stacked = [col for col in columns if len(col) >= 3]
    in_stack = {b for col in stacked for b in col}
    return stacked + [[b] for b in boxes if b not in in_stack]


def _union(boxes: list[Box]) -> Box:
    x0s, y0s, x1s, y1s = zip(*boxes, strict=True)
    return min(x0s), min(y0s), max(x1s), max(y1s)


def _side_by_side(clean: np.ndarray, letters: list[Box], spacing: int) -> np.ndarray:
    height = max(b[3] - b[1] for b in letters)
    width = sum(b[2] - b[0] for b in letters) + spacing * (len(letters) - 1)
    out = np.full((height, width), 255, np.uint8)
    x = 0
    for x0, y0, x1, y1 in letters:
        out[: y1 - y0, x : x + x1 - x0] = clean[y0:y1, x0:x1]
        x += x1 - x0 + spacing
    return out


Piece = tuple[np.ndarray, int, Box, bool]


def _pieces(clean: np.ndarray, rows: list[list[Box]], glyph: float) -> list[Piece]:
    """What to read: (image, group, page box, whether a word covers the whole box). A column of
    letters may be upright letters stacked or a word turned sideways: each way is one candidate of
    its group, and the best read of the group wins."""
    pieces = []
    for group, row in enumerate(rows):
        x0, y0, x1, y1 = cover = _union(row)
        if len(row) == 1 and y1 - y0 <= 2 * (x1 - x0):
            pieces.append((clean[y0:y1, x0:x1], group, cover, False))
            continue
        column = clean[y0:y1, x0:x1]
        if len(row) > 1:
            pieces.append((_side_by_side(clean, row, max(2, int(0.2 * glyph))), group, cover, True))
        pieces.append((cv2.rotate(column, cv2.ROTATE_90_CLOCKWISE), group, cover, True))
        pieces.append((cv2.rotate(column, cv2.ROTATE_90_COUNTERCLOCKWISE), group, cover, True))
    return pieces


def _kept(word: Word) -> bool:
    alnum = sum(ch.isalnum() for ch in word.text)
    # A lone letter is as likely an icon, a tick or one letter of a column of text.
    return word.confidence >= MIN_CONFIDENCE and (alnum >= 2 or word.text.strip(".:)").isdigit())


def reread_missed(
    clean: np.ndarray,
    ink: np.ndarray,
    words: list[Word],
    rules: list[Rule],
    glyph: float,
    read_strip: Callable[[np.ndarray], list[Word]],
) -> list[Word]:
    """Words in the ink patches (`ink`: binary, text white) of empty ruled cells, read from `clean`
    (the page with its rules erased) by `read_strip`, in page coordinates."""
    if not rules:
        return []
    boxes = _patches(ink, words, rules, glyph)
    if not boxes:
        return []
    pieces = _pieces(clean, _stacks(boxes, rules, glyph), glyph)
    gap = int(_GAP * glyph)
    height = sum(im.shape[0] for im, *_ in pieces) + gap * (len(pieces) + 1)
    strip = np.full((height, max(im.shape[1] for im, *_ in pieces) + 2 * _PAD), 255, np.uint8)
    tops = []
    y = gap
    for im, *_ in pieces:
        strip[y : y + im.shape[0], _PAD : _PAD + im.shape[1]] = im
        tops.append(y)
        y += im.shape[0] + gap
    read: dict[int, list[Word]] = {}  # piece index -> its words, in page coordinates
    for word in filter(_kept, read_strip(strip)):
        cy = (word.y0 + word.y1) / 2
        for i, ((im, _, box, covers), top) in enumerate(zip(pieces, tops, strict=True)):
            if top <= cy < top + im.shape[0]:
                dx, dy = box[0] - _PAD, box[1] - top
                at = box if covers else (word.x0 + dx, word.y0 + dy, word.x1 + dx, word.y1 + dy)
                text = _ARROWS.sub("", word.text)
                read.setdefault(i, []).append(Word(text, *map(float, at), word.confidence))
                break
    best: dict[int, list[Word]] = {}
    for i, found in read.items():
        group = pieces[i][1]
        if sum(w.confidence for w in found) > sum(w.confidence for w in best.get(group, [])):
            best[group] = found
    return [w for found in best.values() for w in found]


def with_reread(words: list[Word], reread: list[Word]) -> list[Word]:
    """The page's words with the re-read ones in place of the fragments they cover."""

    def covered(w: Word) -> bool:
        cx, cy = (w.x0 + w.x1) / 2, (w.y0 + w.y1) / 2
        return any(r.x0 <= cx <= r.x1 and r.y0 <= cy <= r.y1 for r in reread)

    return [w for w in words if not covered(w)] + reread
