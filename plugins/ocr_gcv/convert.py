"""Vision's fullTextAnnotation (pages → blocks → paragraphs → words → symbols) to the common form.

Vision cuts punctuation into words of its own ("08:30-09:30" comes back as "08:30", "-", "09:30")
and says, on each word's last symbol, whether a space or line break follows. Words with no break
between them are joined back into one token, as printed, so layout and interpretation see the same
tokens from Vision as from Tesseract.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from google.cloud import vision

from core.plugin_api import Word

_BREAK = vision.TextAnnotation.DetectedBreak.BreakType


@dataclass
class _Piece:
    text: str
    x0: float
    y0: float
    x1: float
    y1: float
    confidence: float | None
    glued: bool  # no space or line break follows it in the text


def _box(poly: vision.BoundingPoly, page_w: float, page_h: float) -> tuple[float, float, float, float] | None:
    """Min/max of the polygon's vertices (rotated text gives a tilted quadrilateral)."""
    if poly.vertices:
        xs = [float(v.x) for v in poly.vertices]
        ys = [float(v.y) for v in poly.vertices]
    elif poly.normalized_vertices:
        xs = [v.x * page_w for v in poly.normalized_vertices]
        ys = [v.y * page_h for v in poly.normalized_vertices]
    else:
        return None
    return min(xs), min(ys), max(xs), max(ys)


def _confidence(*levels: float) -> float | None:
    """The word's own confidence, else its paragraph's, block's or page's; None when Vision gave none
    (proto3 drops zeros, so 0.0 means "not given")."""
    return next((c for c in levels if c > 0), None)


def _pieces(page: vision.Page) -> Iterator[list[_Piece]]:
    """Each paragraph's words, in Vision's reading order."""
    for block in page.blocks:
        for para in block.paragraphs:
            out = []
            words = list(para.words)
            for i, word in enumerate(words):
                text = "".join(s.text for s in word.symbols).strip()
                box = _box(word.bounding_box, page.width, page.height)
                if not text or box is None:
                    continue
                last = word.symbols[-1].property.detected_break.type_ if word.symbols else _BREAK.SPACE
                glued = last in (_BREAK.UNKNOWN, _BREAK.HYPHEN) and i < len(words) - 1
                conf = _confidence(word.confidence, para.confidence, block.confidence, page.confidence)
                out.append(_Piece(text, *box, conf, glued))
            yield out


def _join(pieces: list[_Piece]) -> Iterator[_Piece]:
    cur: _Piece | None = None
    for p in pieces:
        # Joined only when on the same text line: a glued word wrapped to the next line is another token.
        if cur is not None and cur.glued and p.y0 < cur.y1 and p.y1 > cur.y0:
            n_cur, n_p = len(cur.text), len(p.text)
            conf = None
            if cur.confidence is not None and p.confidence is not None:
                conf = (cur.confidence * n_cur + p.confidence * n_p) / (n_cur + n_p)  # per character
            cur = _Piece(
                cur.text + p.text,
                min(cur.x0, p.x0),
                min(cur.y0, p.y0),
                max(cur.x1, p.x1),
                max(cur.y1, p.y1),
                conf if conf is not None else (cur.confidence or p.confidence),
                p.glued,
            )
            continue
        if cur is not None:
            yield cur
        cur = p
    if cur is not None:
        yield cur


def words_from(
    annotation: vision.TextAnnotation, width: float, height: float, sent_scale: float = 1.0
) -> list[Word]:
    """Words in image pixels of a `width` x `height` image.

    Vision reports each page's size in the pixels it read; boxes are scaled from those, so an image
    sent downscaled (to fit Vision's request size limit) still gives boxes on the original. When a
    page has no size, `sent_scale` (sent size / original size) is undone instead.
    """
    words: list[Word] = []
    for page in annotation.pages:
        sx = width / page.width if page.width else 1.0 / sent_scale
        sy = height / page.height if page.height else 1.0 / sent_scale
        for para in _pieces(page):
            for p in _join(para):
                x0, x1 = sorted((min(max(p.x0 * sx, 0.0), width), min(max(p.x1 * sx, 0.0), width)))
                y0, y1 = sorted((min(max(p.y0 * sy, 0.0), height), min(max(p.y1 * sy, 0.0), height)))
                if p.confidence is None:
                    words.append(Word(p.text, x0, y0, x1, y1))  # the model's default: unknown
                else:
                    words.append(Word(p.text, x0, y0, x1, y1, min(max(p.confidence, 0.0), 1.0)))
    return words
