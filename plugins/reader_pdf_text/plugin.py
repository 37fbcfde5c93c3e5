"""Reads PDFs that carry a text layer with pdfplumber: words with boxes, ruling lines, filled cells."""

from __future__ import annotations

from pathlib import Path

from core import hookimpl
from core.engines import DocumentUnreadable
from core.extraction.model import FilledRect, Page, Rule, Word

# A rectangle thinner than this (points) is a drawn line, not a filled cell.
_THIN = 2.5


def _colour(c: object) -> str | None:
    """pdfplumber colours are tuples of 1 (grey), 3 (RGB) or 4 (CMYK) floats."""
    if isinstance(c, (int, float)):
        c = (c,)  # a bare grey level
    if not isinstance(c, (tuple, list)) or not c:
        return None
    try:
        v = [float(x) for x in c]
    except (TypeError, ValueError):
        return None
    if len(v) == 1:
        v = v * 3
    elif len(v) == 4:
        k = v[3]
        v = [(1 - v[0]) * (1 - k), (1 - v[1]) * (1 - k), (1 - v[2]) * (1 - k)]
    elif len(v) != 3:
        return None
    return "#" + "".join(f"{max(0, min(255, round(x * 255))):02x}" for x in v)


class PdfTextReader:
    name = "pdf_text"
    kinds = ("pdf_text",)

    def read(self, path: Path) -> list[Page]:
        import pdfplumber

        try:
            pdf = pdfplumber.open(path)
        except Exception as exc:  # pdfminer raises many types for a broken file
            raise DocumentUnreadable(f"The PDF could not be opened ({type(exc).__name__}).") from exc
        pages: list[Page] = []
        with pdf:
            for number, p in enumerate(pdf.pages, start=1):
                pages.append(self._page(p, number))
        return pages

    def _page(self, p, number: int) -> Page:  # noqa: ANN001 (pdfplumber page)
        words = [
            Word(w["text"], float(w["x0"]), float(w["top"]), float(w["x1"]), float(w["bottom"]))
            for w in p.extract_words(keep_blank_chars=False, use_text_flow=False)
            if w.get("upright", True)
        ]
        rules: list[Rule] = []
        rects: list[FilledRect] = []
        for ln in p.lines:
            rules.append(Rule(float(ln["x0"]), float(ln["top"]), float(ln["x1"]), float(ln["bottom"])))
        for r in p.rects:
            x0, y0, x1, y1 = float(r["x0"]), float(r["top"]), float(r["x1"]), float(r["bottom"])
            if x1 - x0 < _THIN or y1 - y0 < _THIN:
                rules.append(Rule(x0, y0, x1, y1))
                continue
            if r.get("stroke"):
                # A stroked rectangle draws its four edges: they are rules too.
                rules += [
                    Rule(x0, y0, x1, y0),
                    Rule(x0, y1, x1, y1),
                    Rule(x0, y0, x0, y1),
                    Rule(x1, y0, x1, y1),
                ]
            if r.get("fill"):
                rects.append(FilledRect(x0, y0, x1, y1, _colour(r.get("non_stroking_color"))))
        for c in p.curves:
            pts = c.get("pts") or []
            # Straight "curves" (some generators draw lines as paths) count as rules.
            if len(pts) == 2:
                (ax, ay), (bx, by) = pts
                rules.append(Rule(min(ax, bx), min(ay, by), max(ax, bx), max(ay, by)))
        return Page(number, float(p.width), float(p.height), words, rules, rects, source=self.name)


@hookimpl
def register_readers() -> list[PdfTextReader]:
    return [PdfTextReader()]
