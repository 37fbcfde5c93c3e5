"""Single letters set apart in a row or a column, which Tesseract's sparse-text pass drops.

`--psm 11` leaves out a glyph that stands alone: a cycle timetable's bare day letters "A" … "F"
over its columns (or down its side), day initials "M T W T F". Each is one letter-sized blob of ink
with nothing beside it, and they line up: three or more at one height (a header row) or under one
another (a header column). Such blobs that no word covers are cut out, laid side by side in one
small strip and read once as a line of text (`--psm 7`); each letter read, paired with its blob,
becomes a word of its own. One call on a few hundred pixels, and none on a page without
such a row. Rows and columns of anything else (specks, bullets, icons) do not read as capitals.
"""

from __future__ import annotations

from collections.abc import Callable

import cv2
import numpy as np

from core.plugin_api import Word

Box = tuple[int, int, int, int]  # x0, y0, x1, y1 in page pixels

MIN_RUN = 3  # fewer aligned letters are a coincidence (a stray "I" and a bullet)
MAX_BLOBS = 40  # more lone blobs in line than this is noise or a picture, not a header
MIN_CONFIDENCE = 0.4  # a word of lone letters reads low (0.45-0.9) even when right
_PAD = 4  # white margin around each blob in the strip, px
_CASELESS = set("cosvwxz")  # alone, a capital of these looks like its small letter: read as either


def _lone_blobs(ink: np.ndarray, words: list[Word], glyph: float) -> list[Box]:
    """Letter-sized components of `ink` (text white) that no word of three or more characters covers
    and that have no other ink beside them on their line: a letter standing alone, not a piece of
    an unread word."""
    h, w = ink.shape
    n, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    covered = np.zeros((h, w), np.uint8)
    # A word of one or two characters read there does not cover it: it is as likely the letter
    # misread ("Cc", "AN") as a word of its own.
    for word in (w for w in words if len(w.text.strip()) >= 3):
        covered[max(0, int(word.y0) - 2) : int(word.y1) + 3, max(0, int(word.x0) - 2) : int(word.x1) + 3] = 1
    # Scan noise and paper grain beside a letter do not make it part of a word.
    speck = (stats[:, cv2.CC_STAT_AREA] < max(4.0, 0.03 * glyph * glyph)) & (
        stats[:, cv2.CC_STAT_HEIGHT] < 0.3 * glyph
    )
    boxes = []
    for i in range(1, n):
        x, y, bw, bh, area = (int(v) for v in stats[i])
        if not (0.7 * glyph <= bh <= 3.0 * glyph and 0.15 * bh <= bw <= 1.6 * bh and area >= 0.1 * bw * bh):
            continue
        if covered[y + bh // 2, x + bw // 2]:
            continue
        # Nothing else inked within a letter's height either side, nor just above or below.
        gap = int(1.2 * bh)
        x0, x1 = max(0, x - gap), min(w, x + bw + gap)
        y0, y1 = max(0, y - bh // 3), min(h, y + bh + bh // 3)
        around = np.unique(labels[y0:y1, x0:x1])
        if any(j not in (0, i) and not speck[j] for j in around):
            continue
        boxes.append((x, y, x + bw, y + bh))
    return boxes


def _aligned(boxes: list[Box]) -> list[list[Box]]:
    """Runs of three or more blobs of about one height in line: in one row (centres at one height),
    left to right, or one column (centres under one another), top down. A blob joins one run."""
    runs: list[list[Box]] = []
    taken: set[Box] = set()
    for axis in (1, 0):  # rows by their centre's y, then columns by their centre's x
        ordered = sorted((b for b in boxes if b not in taken), key=lambda b: b[axis] + b[axis + 2])
        group: list[Box] = []
        for b in [*ordered, None]:
            if b is not None and group:
                last = group[-1]
                size = b[3] - b[1]
                similar = 0.7 <= size / max(1, last[3] - last[1]) <= 1.4
                if abs((b[axis] + b[axis + 2]) - (last[axis] + last[axis + 2])) / 2 <= 0.4 * size and similar:
                    group.append(b)
                    continue
            if len(group) >= MIN_RUN:
                runs.append(sorted(group, key=lambda g: g[1 - axis]))
                taken.update(group)
            group = [b] if b is not None else []
    return runs


def is_letter_header(letters: str) -> bool:
    """Letters that head columns or rows: a cycle's days in order ("ABCDEF", one lost between
    two allowed) or weekday initials ("MTWTF", US "R" for Thursday). Anything else read in a row
    of lone blobs is specks, ticks or bullets."""
    if len(letters) < MIN_RUN:
        return False
    if set(letters) <= set("MTWRFSU"):
        return True
    steps = [ord(b) - ord(a) for a, b in zip(letters, letters[1:], strict=False)]
    return all(step in (1, 2) for step in steps) and steps.count(2) <= 1


def reread_lone_letters(
    ink: np.ndarray,
    words: list[Word],
    glyph: float,
    read_line: Callable[[np.ndarray], list[Word]],
) -> list[Word]:
    """Capital letters standing alone in a row or column of three or more that read as a header of
    letters (`is_letter_header`), read from `ink` (the page binarised, text white) by `read_line`,
    as words in page coordinates."""
    runs = _aligned(_lone_blobs(ink, words, glyph))
    blobs = [b for run in runs for b in run]
    if not runs or len(blobs) > MAX_BLOBS:
        return []
    height = max(b[3] - b[1] for b in blobs) + 2 * _PAD
    # Set a quarter of their height apart they read as one word ("ABCDEF"), a letter to a blob; set
    # far apart, Tesseract's LSTM reads each alone and doubles some ("cC", "OD", "€E"). Runs are
    # set further apart, so that no word spans two.
    gap = int(0.25 * height)
    slots: list[float] = []  # each blob's centre x in the strip
    width = sum(b[2] - b[0] + 2 * _PAD + gap for b in blobs) + 6 * height * len(runs)
    strip = np.full((height + 2 * _PAD, width), 255, np.uint8)
    x = 3 * height
    for run in runs:
        for x0, y0, x1, y1 in run:
            # The blob's own ink, black on white: a photo's shading around it would read as a letter.
            piece = 255 - ink[max(0, y0 - _PAD) : y1 + _PAD, max(0, x0 - _PAD) : x1 + _PAD]
            strip[_PAD : _PAD + piece.shape[0], x : x + piece.shape[1]] = piece
            slots.append(x + piece.shape[1] / 2)
            x += piece.shape[1] + gap
        x += 6 * height - gap
    read: dict[int, Word] = {}  # blob index -> its letter
    for word in read_line(strip):
        if word.confidence < MIN_CONFIDENCE:
            continue
        text = word.text.strip(".,:;'\"|-")
        inside = [k for k, cx in enumerate(slots) if word.x0 - gap / 2 <= cx <= word.x1 + gap / 2]
        if len(text) != len(inside):
            continue  # letters and blobs do not pair up: a speck read as a letter, or one lost
        for ch, k in zip(text, inside, strict=True):
            ch = ch.upper() if ch in _CASELESS else ch
            if "A" <= ch <= "Z":
                read[k] = Word(ch, *map(float, blobs[k]), word.confidence)
    found: list[Word] = []
    start = 0
    for run in runs:
        letters = [read[k] for k in range(start, start + len(run)) if k in read]
        start += len(run)
        if is_letter_header("".join(w.text for w in letters)):
            found += letters
    return found
