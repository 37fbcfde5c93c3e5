"""RapidOCR's text lines cut into the words that layout analysis works on.

RapidOCR (with ``return_word_box``) places every recognised character from the recogniser's CTC
columns; a word's box is the union of its characters' boxes and its confidence the mean of their
probabilities. When the characters and their boxes do not line up, the line's box is shared out in
proportion to character counts instead.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import cv2
import numpy as np

from core.plugin_api import Word

# The recogniser often drops the space between words ("MsRiveraClass8B"). Character boxes come
# from coarse CTC columns: gaps inside a word reach 0.33 of the line height and spaces can be as
# small as 0.25, so only a gap wider than this is taken as a space from the boxes alone...
GAP_SPLIT = 0.5
# ...and otherwise the page itself decides: a run of blank pixel columns between two letters at
# least this share of the line height wide is a space (letters sit 0-3 px apart at 20 px). Digits
# and punctuation ("1", ":") carry wide blank margins, so a letter beside a digit needs more and
# two digits are never cut apart this way ("10:00" stays whole).
INK_SPLIT = {2: 0.22, 1: 0.32}  # by how many of the two characters are letters

# Marks that stand between words ("5M · Term 3"), never inside one.
SEPARATORS = "·•|"

Box = tuple[float, float, float, float]


def _bounds(quad: Sequence[Sequence[float]]) -> Box:
    xs = [float(p[0]) for p in quad]
    ys = [float(p[1]) for p in quad]
    return min(xs), min(ys), max(xs), max(ys)


def _keep(text: str) -> bool:
    # Leftovers of rules and specks ("|", "_", "."), as Tesseract's reader drops them; dashes stay
    # (an empty cell's "-" or a range's "–").
    return any(ch.isalnum() for ch in text) or all(ch in "-–—" for ch in text)


def _word(chars: list[tuple[str, Box, float]], width: float, height: float) -> Word | None:
    text = "".join(c for c, _, _ in chars).strip()
    if not text or not _keep(text):
        return None
    x0 = max(0.0, min(b[0] for _, b, _ in chars))
    y0 = max(0.0, min(b[1] for _, b, _ in chars))
    x1 = min(width, max(b[2] for _, b, _ in chars))
    y1 = min(height, max(b[3] for _, b, _ in chars))
    conf = sum(p for _, _, p in chars) / len(chars)
    return Word(text, x0, y0, max(x1, x0 + 1.0), max(y1, y0 + 1.0), max(0.0, min(1.0, conf)))


def _proportional(text: str, line: Box, score: float) -> list[tuple[str, Box, float]]:
    """Each character gets an equal share of the line's width (no per-character boxes)."""
    x0, y0, x1, y1 = line
    step = (x1 - x0) / max(len(text), 1)
    return [(ch, (x0 + i * step, y0, x0 + (i + 1) * step, y1), score) for i, ch in enumerate(text)]


def _characters(line: Sequence[Any]) -> list[tuple[str, Box, float]]:
    quad, text, score = line[0], str(line[1]), float(line[2])
    box = _bounds(quad)
    if len(line) >= 6:
        quads, chars, confs = line[3], list(line[4]), list(line[5])
        if quads and len(quads) == len(chars) == len(text) and len(confs) == len(chars):
            # Keep the line's own top and bottom: character boxes take them from the crop, which
            # on a tilted line can reach into the line above.
            return [
                (ch, (b[0], box[1], b[2], box[3]), float(p))
                for ch, b, p in zip(chars, map(_bounds, quads), confs, strict=True)
            ]
    return _proportional(text, box, score)


def _blank_columns(grey: np.ndarray | None, box: Box) -> np.ndarray | None:
    """Per pixel column of the line's box: True where the column holds no ink."""
    if grey is None:
        return None
    x0, y0, x1, y1 = (int(round(v)) for v in box)
    crop = grey[max(0, y0) : max(0, y1), max(0, x0) : max(0, x1)]
    if crop.size == 0 or crop.shape[1] < 2:
        return None
    ink = cv2.threshold(crop, 0, 1, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)[1]
    if ink.mean() > 0.6:  # light text on a dark cell: Otsu took the background for ink
        ink = 1 - ink
    return ink.sum(axis=0) <= 1  # a speck of noise does not close a gap


def _longest_blank(blank: np.ndarray, start: float, end: float) -> int:
    run = best = 0
    for empty in blank[max(0, int(start)) : max(0, int(end))]:
        run = run + 1 if empty else 0
        best = max(best, run)
    return best


def line_words(
    line: Sequence[Any], width: float, height: float, grey: np.ndarray | None = None
) -> list[Word]:
    """Words of one RapidOCR line: ``[quad, text, score]`` plus, optionally, per-character
    ``[char_quads, chars, char_confs]`` as RapidOCR returns them with ``return_word_box``.

    ``grey``, the page the line was read from, lets blank columns split words the recogniser ran
    together."""
    chars = _characters(line)
    if not chars:
        return []
    top, bottom = min(b[1] for _, b, _ in chars), max(b[3] for _, b, _ in chars)
    left = min(b[0] for _, b, _ in chars)
    line_h = max(1.0, bottom - top)
    blank = _blank_columns(grey, (left, top, max(b[2] for _, b, _ in chars), bottom))
    words: list[Word] = []
    current: list[tuple[str, Box, float]] = []
    prev: Box | None = None
    prev_ch = ""
    for ch, b, p in chars:
        gap = b[0] - prev[2] if prev is not None else 0.0
        spaced = gap > GAP_SPLIT * line_h
        letters = int(prev_ch.isalpha()) + int(ch.isalpha())
        pair_ok = letters == 2 or (letters == 1 and (prev_ch + ch).isalnum())
        if prev is not None and not spaced and blank is not None and pair_ok:
            # Between the two characters' centres, in the line box's own columns.
            mid0, mid1 = (prev[0] + prev[2]) / 2 - left, (b[0] + b[2]) / 2 - left
            spaced = _longest_blank(blank, mid0, mid1) >= INK_SPLIT[letters] * line_h
        if ch.isspace() or ch in SEPARATORS or spaced:
            if current and (w := _word(current, width, height)):
                words.append(w)
            current = []
        if not ch.isspace() and ch not in SEPARATORS:
            current.append((ch, b, p))
        prev, prev_ch = b, ch
    if current and (w := _word(current, width, height)):
        words.append(w)
    return words


def page_words(
    lines: Sequence[Sequence[Any]], width: float, height: float, grey: np.ndarray | None = None
) -> list[Word]:
    words: list[Word] = []
    for line in lines:
        words.extend(line_words(line, width, height, grey))
    return words
