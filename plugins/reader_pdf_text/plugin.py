"""Reads PDFs that carry a text layer with pdfplumber: words with boxes, ruling lines, filled cells."""

from __future__ import annotations

from pathlib import Path

from core import hookimpl
from core.engines import DocumentUnreadable
from core.extraction.model import FilledRect, Page, Rule, Word
from core.uploads.limits import check_pdf

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


def _is_char(o: dict) -> bool:
    return o.get("object_type") == "char"


def _rotated(c: dict) -> bool:
    """Text set at 90 degrees (a "LUNCH" running down a merged column); pdfplumber calls it upright."""
    m = c.get("matrix")
    return bool(m) and abs(float(m[1])) > 0.5 and abs(float(m[0])) < 0.5


def _private(c: dict) -> bool:
    return any(0xE000 <= ord(ch) <= 0xF8FF for ch in c.get("text", ""))


def _vertical_words(chars: list[dict]) -> list[Word]:
    """Rotated characters joined into words along their column, in reading order."""
    cols: list[list[dict]] = []
    for c in sorted(chars, key=lambda c: (round(float(c["x0"])), float(c["top"]))):
        if cols and abs(float(cols[-1][0]["x0"]) - float(c["x0"])) <= 2.0:
            cols[-1].append(c)
        else:
            cols.append([c])
    words: list[Word] = []
    for col in cols:
        col.sort(key=lambda c: float(c["top"]))
        runs: list[list[dict]] = [[]]
        for c in col:
            prev = runs[-1][-1] if runs[-1] else None
            gap = float(c["top"]) - float(prev["bottom"]) if prev else 0.0
            if c["text"].isspace() or (prev is not None and gap > 0.6 * float(c.get("size", 10))):
                runs.append([])
            if not c["text"].isspace():
                runs[-1].append(c)
        for run in filter(None, runs):
            text = "".join(c["text"] for c in run)
            if float(run[0]["matrix"][1]) > 0:  # turned anticlockwise: reads from the bottom up
                text = text[::-1]
            words.append(
                Word(text, min(float(c["x0"]) for c in run), min(float(c["top"]) for c in run),
                     max(float(c["x1"]) for c in run), max(float(c["bottom"]) for c in run))
            )  # fmt: skip
    return words


class PdfTextReader:
    name = "pdf_text"
    kinds = ("pdf_text",)

    def read(self, path: Path) -> list[Page]:
        import pdfplumber
        from pdfminer.psexceptions import PSException
        from pdfplumber.utils.exceptions import PdfminerException

        check_pdf(path, path.name)  # page count, page sizes and objects before pdfminer parses it
        try:
            pdf = pdfplumber.open(path)
        except Exception as exc:  # pdfminer raises many types for a broken file
            raise DocumentUnreadable(f"The PDF could not be opened ({type(exc).__name__}).") from exc
        pages: list[Page] = []
        with pdf:
            try:
                for number, p in enumerate(pdf.pages, start=1):
                    pages.append(self._page(p, number))
            except RecursionError as exc:  # objects nested thousands deep
                raise DocumentUnreadable(f"The PDF '{path.name}' is nested too deeply to read.") from exc
            except (PSException, PdfminerException, ValueError, TypeError, KeyError, AttributeError) as exc:
                # pdfminer's answer to a malformed object: the file is the problem, retrying won't help.
                raise DocumentUnreadable(
                    f"The PDF '{path.name}' is damaged ({type(exc).__name__}). Export it again."
                ) from exc
        return pages

    def _page(self, p, number: int) -> Page:  # noqa: ANN001 (pdfplumber page)
        # Symbol-font glyphs (Wingdings arrows around "<- LAB ->") map to the private use area.
        flat = p.filter(lambda o: not (_is_char(o) and (_rotated(o) or _private(o))))
        words = [
            Word(w["text"], float(w["x0"]), float(w["top"]), float(w["x1"]), float(w["bottom"]))
            for w in flat.extract_words(keep_blank_chars=False, use_text_flow=False)
        ]
        words += _vertical_words([c for c in p.chars if _rotated(c) and not _private(c)])
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
