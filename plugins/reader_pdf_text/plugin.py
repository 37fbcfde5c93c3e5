"""Reads PDFs that carry a text layer with PDFium (pypdfium2): words with boxes, ruling lines, filled cells.

PDFium parses content streams in C, ten times faster than pdfminer did. Characters are grouped into
words the way pdfplumber's `extract_words` grouped them (same line within 3 pt, split at spaces and
at gaps over 3 pt), so interpretation sees the words it always saw. Everything is reported in the
page as shown: the page's /Rotate applied, origin top-left, y growing downwards.
"""

from __future__ import annotations

import ctypes
import math
from pathlib import Path
from typing import NamedTuple

from core.plugin_api import PDFIUM, DocumentUnreadable, FilledRect, Page, Rule, Word, check_pdf, hookimpl

# A rectangle thinner than this (points) is a drawn line, not a filled cell.
_THIN = 2.5
# pdfplumber's word tolerances: characters on one line share a top within 3 pt; a gap over 3 pt splits.
_Y_TOLERANCE = 3.0
_X_TOLERANCE = 3.0
# A segment of a path off the horizontal or vertical by less than this (points) is straight.
_STRAIGHT = 0.5
# Form XObjects nest; a hostile file nests them without end.
_MAX_FORM_DEPTH = 12
# A timetable's paths hold a few thousand segments; a hostile page can hold millions in one path.
_MAX_SEGMENTS = 200_000
_LIGATURES = {"ﬀ": "ff", "ﬃ": "ffi", "ﬄ": "ffl", "ﬁ": "fi", "ﬂ": "fl", "ﬆ": "st", "ﬅ": "st"}

Matrix = tuple[float, float, float, float, float, float]
_IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


class _Char(NamedTuple):
    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    size: float
    vertical: bool  # set at 90 degrees to the page as shown ("LUNCH" down a merged column)
    upward: bool  # vertical text running from the bottom up (turned anticlockwise)
    seq: int  # position in content order
    break_before: bool  # PDFium saw a space between this character and the one before it


def _compose(inner: Matrix, outer: Matrix) -> Matrix:
    """The matrix applying `inner` first, then `outer` (PDF row-vector convention)."""
    a, b, c, d, e, f = inner
    A, B, C, D, E, F = outer
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


def _apply(m: Matrix, x: float, y: float) -> tuple[float, float]:
    return (m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5])


def _display_matrix(box: tuple[float, float, float, float], rotation: int) -> Matrix:
    """PDF user space (y up) to the page as shown: crop box corner at the origin, y down, /Rotate applied."""
    x0, y0, x1, y1 = box
    return {
        90: (0.0, 1.0, 1.0, 0.0, -y0, -x0),
        180: (-1.0, 0.0, 0.0, 1.0, x1, -y0),
        270: (0.0, -1.0, -1.0, 0.0, y1, x1),
    }.get(rotation, (1.0, 0.0, 0.0, -1.0, -x0, y1))


def _bbox(
    m: Matrix, left: float, bottom: float, right: float, top: float
) -> tuple[float, float, float, float]:
    """A user-space rectangle as shown on the page, (x0, top, x1, bottom); `m` turns by right angles only."""
    ax, ay = _apply(m, left, bottom)
    bx, by = _apply(m, right, top)
    return min(ax, bx), min(ay, by), max(ax, bx), max(ay, by)


def _private(code: int) -> bool:
    """Symbol-font glyphs (Wingdings arrows around "<- LAB ->") map to the private use area."""
    return 0xE000 <= code <= 0xF8FF


def _chars(raw, textpage, display: Matrix) -> list[_Char]:  # noqa: ANN001 (pypdfium2.raw, FPDF_TEXTPAGE)
    """Every character PDFium found, in content order, with pdfminer-like boxes in page-as-shown points."""
    rect, m = raw.FS_RECTF(), raw.FS_MATRIX()
    ox, oy = ctypes.c_double(), ctypes.c_double()
    unicode, generated, matrix = raw.FPDFText_GetUnicode, raw.FPDFText_IsGenerated, raw.FPDFText_GetMatrix
    loose_box, font_size, origin = (
        raw.FPDFText_GetLooseCharBox,
        raw.FPDFText_GetFontSize,
        raw.FPDFText_GetCharOrigin,
    )
    da, db, dc, dd, de, _ = display
    chars: list[_Char] = []
    brk = False  # a word break before the next character drawn
    for i in range(raw.FPDFText_CountChars(textpage)):
        code = unicode(textpage, i)
        if generated(textpage, i):
            # PDFium drops a space drawn at the end of a text object and reports one it "generated"
            # between the objects instead: that is a word break. Spaces it infers inside an object
            # (letter-spaced "A D V I S O R") are left to the gap rule, as pdfplumber did.
            brk = brk or (code == 32 and not raw.FPDFText_GetTextObject(textpage, i))
            continue
        if code < 32 or _private(code) or code > 0x10FFFF:
            continue
        matrix(textpage, i, m)
        loose_box(textpage, i, rect)
        # The em size as drawn: the font size scaled by the text and graphics matrices.
        size = font_size(textpage, i) * math.hypot(m.c, m.d)
        dx, dy = da * m.a + dc * m.b, db * m.a + dd * m.b
        x0, top, x1, bottom = _bbox(display, rect.left, rect.bottom, rect.right, rect.top)
        if abs(dy) > abs(dx):  # runs up or down the page as shown
            # One em across the column from the descender side, as pdfminer measured it; text running
            # up has its descenders on the right.
            x0, x1 = (x1 - size, x1) if dy < 0 else (x0, x0 + size)
            chars.append(_Char(chr(code), x0, top, x1, bottom, size, True, dy < 0, len(chars), brk))
        else:
            if dx > 0:  # pdfminer's box starts at the origin (PDFium's takes in overhanging ink)
                origin(textpage, i, ox, oy)
                x0 = da * ox.value + dc * oy.value + de
            # ... and is one em high above the descender line.
            chars.append(_Char(chr(code), x0, bottom - size, x1, bottom, size, False, False, len(chars), brk))
        brk = False
    return chars


def _horizontal_words(chars: list[_Char]) -> list[Word]:
    """pdfplumber's extract_words: cluster lines by top, sort each by x0, split at spaces and gaps."""
    tops = sorted({c.top for c in chars})
    line_of: dict[float, int] = {}
    line = 0
    for i, top in enumerate(tops):
        if i and top > tops[i - 1] + _Y_TOLERANCE:
            line += 1
        line_of[top] = line
    lines: dict[int, list[_Char]] = {}
    for c in chars:
        lines.setdefault(line_of[c.top], []).append(c)
    words: list[Word] = []
    for key in sorted(lines):
        words += _split_line(sorted(lines[key], key=lambda c: c.x0))
    return words


def _split_line(line: list[_Char]) -> list[Word]:
    words: list[Word] = []
    run: list[_Char] = []
    for c in line:
        if c.text.isspace():
            words += _word(run)
            run = []
            continue
        if run:
            prev = run[-1]
            dropped_space = c.break_before and prev.seq == c.seq - 1
            if (
                dropped_space
                or c.x0 < prev.x0
                or c.x0 > prev.x1 + _X_TOLERANCE
                or abs(c.top - prev.top) > _Y_TOLERANCE
            ):
                words += _word(run)
                run = []
        run.append(c)
    return words + _word(run)


def _word(run: list[_Char]) -> list[Word]:
    if not run:
        return []
    text = "".join(_LIGATURES.get(c.text, c.text) for c in run)
    return [
        Word(text, min(c.x0 for c in run), min(c.top for c in run),
             max(c.x1 for c in run), max(c.bottom for c in run))
    ]  # fmt: skip


def _vertical_words(chars: list[_Char]) -> list[Word]:
    """Rotated characters joined into words along their column, in reading order."""
    cols: list[list[_Char]] = []
    for c in sorted(chars, key=lambda c: (round(c.x0), c.top)):
        if cols and abs(cols[-1][0].x0 - c.x0) <= 2.0:
            cols[-1].append(c)
        else:
            cols.append([c])
    words: list[Word] = []
    for col in cols:
        col.sort(key=lambda c: c.top)
        runs: list[list[_Char]] = [[]]
        for c in col:
            prev = runs[-1][-1] if runs[-1] else None
            if c.text.isspace() or (prev is not None and c.top - prev.bottom > 0.6 * c.size):
                runs.append([])
            if not c.text.isspace():
                runs[-1].append(c)
        for run in filter(None, runs):
            word = _word(run)[0]
            if run[0].upward:  # turned anticlockwise: reads from the bottom up
                word = Word(word.text[::-1], word.x0, word.y0, word.x1, word.y1)
            words.append(word)
    return words


class _Path(NamedTuple):
    """One painted path: its subpaths as point lists (page-as-shown points), how it is painted."""

    subpaths: list[list[tuple[float, float, bool]]]  # (x, y, straight segment leads here)
    closed: list[bool]
    fill: bool
    stroke: bool
    colour: str | None


class _Buffers:
    """ctypes out-parameters reused across PDFium calls (making them costs more than the calls)."""

    def __init__(self) -> None:
        self.fill_mode, self.stroke = ctypes.c_int(), ctypes.c_int()
        self.x, self.y = ctypes.c_float(), ctypes.c_float()
        self.rgba = tuple(ctypes.c_uint() for _ in range(4))


def _path(raw, obj, to_page: Matrix, buf: _Buffers) -> _Path | None:  # noqa: ANN001 (pypdfium2.raw, FPDF_PAGEOBJECT)
    if not raw.FPDFPath_GetDrawMode(obj, buf.fill_mode, buf.stroke):
        return None
    fill, stroke = bool(buf.fill_mode.value), bool(buf.stroke.value)
    if not (fill or stroke):
        return None  # a clipping path, drawn nowhere
    subpaths: list[list[tuple[float, float, bool]]] = []
    closed: list[bool] = []
    a, b, c, d, e, f = to_page
    moveto, lineto = raw.FPDF_SEGMENT_MOVETO, raw.FPDF_SEGMENT_LINETO
    for i in range(raw.FPDFPath_CountSegments(obj)):
        seg = raw.FPDFPath_GetPathSegment(obj, i)
        raw.FPDFPathSegment_GetPoint(seg, buf.x, buf.y)
        kind = raw.FPDFPathSegment_GetType(seg)
        x, y = buf.x.value, buf.y.value
        point = (a * x + c * y + e, b * x + d * y + f, kind == lineto)
        if kind == moveto or not subpaths:
            subpaths.append([point])
            closed.append(False)
        else:
            subpaths[-1].append(point)
        if raw.FPDFPathSegment_GetClose(seg):
            closed[-1] = True
    return _Path(subpaths, closed, fill, stroke, _fill_colour(raw, obj, buf) if fill else None)


def _fill_colour(raw, obj, buf: _Buffers) -> str | None:  # noqa: ANN001
    if not raw.FPDFPageObj_GetFillColor(obj, *buf.rgba):
        return None  # a pattern or shading fill
    r, g, b, _ = (v.value for v in buf.rgba)
    return f"#{r:02x}{g:02x}{b:02x}"


def _rectangle(points: list[tuple[float, float, bool]]) -> tuple[float, float, float, float] | None:
    """The box of a subpath that outlines an axis-aligned rectangle (how `re` and most cells are drawn)."""
    pts = [(p[0], p[1]) for p in points]
    if len(pts) == 5 and _near(pts[0], pts[4]):
        pts = pts[:4]
    if len(pts) != 4 or not all(p[2] for p in points[1:4]):
        return None
    xs, ys = [p[0] for p in pts], [p[1] for p in pts]
    edges_straight = all(
        abs(a[0] - b[0]) < _STRAIGHT or abs(a[1] - b[1]) < _STRAIGHT
        for a, b in zip(pts, pts[1:] + pts[:1], strict=True)
    )
    if len({round(v, 2) for v in xs}) > 2 or len({round(v, 2) for v in ys}) > 2 or not edges_straight:
        return None
    return min(xs), min(ys), max(xs), max(ys)


def _near(a: tuple[float, float], b: tuple[float, float]) -> bool:
    return abs(a[0] - b[0]) < 0.01 and abs(a[1] - b[1]) < 0.01


def _shapes(path: _Path, rules: list[Rule], rects: list[FilledRect]) -> None:
    """Rules and filled cells a painted path draws, as pdfplumber's lines, rects and curves gave them."""
    for points, closed in zip(path.subpaths, path.closed, strict=True):
        box = _rectangle(points) if closed or len(points) == 5 else None
        if box is not None:
            _box_shapes(box, path, rules, rects)
        elif len(points) == 2 and points[1][2]:
            (ax, ay, _), (bx, by, _) = points
            rules.append(Rule(min(ax, bx), min(ay, by), max(ax, bx), max(ay, by)))
        elif path.stroke:
            # A whole grid drawn as one path: every straight, level or upright segment is a rule.
            rules += _straight_segments(points, closed)


def _box_shapes(
    box: tuple[float, float, float, float], path: _Path, rules: list[Rule], rects: list[FilledRect]
) -> None:
    x0, y0, x1, y1 = box
    if x1 - x0 < _THIN or y1 - y0 < _THIN:
        rules.append(Rule(x0, y0, x1, y1))
        return
    if path.stroke:  # a stroked rectangle draws its four edges: they are rules too
        rules += [Rule(x0, y0, x1, y0), Rule(x0, y1, x1, y1), Rule(x0, y0, x0, y1), Rule(x1, y0, x1, y1)]
    if path.fill:
        rects.append(FilledRect(x0, y0, x1, y1, path.colour))


def _straight_segments(points: list[tuple[float, float, bool]], closed: bool) -> list[Rule]:
    ends = list(zip(points, points[1:], strict=False))
    if closed and len(points) > 2:
        ends.append((points[-1], (*points[0][:2], True)))
    rules: list[Rule] = []
    for (ax, ay, _), (bx, by, straight) in ends:
        level, upright = abs(ay - by) < _STRAIGHT, abs(ax - bx) < _STRAIGHT
        if straight and (level or upright) and not (level and upright):
            rules.append(Rule(min(ax, bx), min(ay, by), max(ax, bx), max(ay, by)))
    return rules


def _objects(raw, page, to_page: Matrix, depth: int = 0):  # noqa: ANN001, ANN202 (pypdfium2 handles; generator)
    """Every path on the page with the matrix to the page as shown, form XObjects' contents included."""
    count = raw.FPDFFormObj_CountObjects(page) if depth else raw.FPDFPage_CountObjects(page)
    for i in range(count):
        obj = raw.FPDFFormObj_GetObject(page, i) if depth else raw.FPDFPage_GetObject(page, i)
        kind = raw.FPDFPageObj_GetType(obj)
        if kind not in (raw.FPDF_PAGEOBJ_PATH, raw.FPDF_PAGEOBJ_FORM):
            continue
        m = raw.FS_MATRIX()
        own = (m.a, m.b, m.c, m.d, m.e, m.f) if raw.FPDFPageObj_GetMatrix(obj, m) else _IDENTITY
        if kind == raw.FPDF_PAGEOBJ_PATH:
            yield obj, _compose(own, to_page)
        elif depth < _MAX_FORM_DEPTH:
            yield from _objects(raw, obj, _compose(own, to_page), depth + 1)


class PdfTextReader:
    name = "pdf_text"
    kinds = ("pdf_text",)

    def read(self, path: Path) -> list[Page]:
        import pypdfium2

        check_pdf(path, path.name)  # page count, page sizes and objects before PDFium parses pages
        with PDFIUM:
            try:
                pdf = pypdfium2.PdfDocument(str(path))
            except Exception as exc:  # PdfiumError, and PDFium's own limits on broken files
                raise DocumentUnreadable(f"The PDF could not be opened ({type(exc).__name__}).") from exc
            try:
                return [self._page_at(pdf, index, path.name) for index in range(len(pdf))]
            finally:
                pdf.close()

    def _page_at(self, pdf, index: int, name: str) -> Page:  # noqa: ANN001 (pypdfium2.PdfDocument)
        import pypdfium2

        try:
            page = pdf[index]
            try:
                return self._page(page, index + 1)
            finally:
                page.close()
        except pypdfium2.PdfiumError as exc:  # a page or its text PDFium cannot load: the file is the problem
            raise DocumentUnreadable(
                f"The PDF '{name}' is damaged (page {index + 1}). Export it again."
            ) from exc

    def _page(self, page, number: int) -> Page:  # noqa: ANN001 (pypdfium2.PdfPage)
        import pypdfium2.raw as raw

        width, height = page.get_size()
        display = _display_matrix(page.get_cropbox(), page.get_rotation() % 360)
        textpage = page.get_textpage()
        try:
            chars = _chars(raw, textpage.raw, display)
        finally:
            textpage.close()
        words = _horizontal_words([c for c in chars if not c.vertical])
        words += _vertical_words([c for c in chars if c.vertical])
        rules: list[Rule] = []
        rects: list[FilledRect] = []
        notes: list[str] = []
        buf = _Buffers()
        segments = 0
        for obj, to_page in _objects(raw, page.raw, display):
            segments += raw.FPDFPath_CountSegments(obj)
            if segments > _MAX_SEGMENTS:
                notes.append("drawing too complex: ruling lines past the first 200,000 segments left out")
                break
            path = _path(raw, obj, to_page, buf)
            if path is not None:
                _shapes(path, rules, rects)
        return Page(number, float(width), float(height), words, rules, rects, source=self.name, notes=notes)


@hookimpl
def register_readers() -> list[PdfTextReader]:
    return [PdfTextReader()]
