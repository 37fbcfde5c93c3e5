"""Compare the PDFium reader with the pdfplumber reader it replaced, on every text PDF given.

For each PDF: the words (by text), the rules and filled cells (within 0.05 pt) both readers find,
how far matching words' boxes drift, each reader's time (median of 3) and, where a `.truth.json`
sits beside the PDF, the F1 of the whole extraction with either reader. pdfplumber is no longer a
dependency, so run it with:

    uv run --with pdfplumber python -m bench.compare_pdf_readers \\
        bench/corpus/real bench/out/corpus
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from core.extraction.model import FilledRect, Page, Rule, Word
from plugins.reader_pdf_text.plugin import _THIN, PdfTextReader, _vertical_words

# ---- the pdfplumber reader as it was (plugin.py before PDFium) -----------------------------------


def _plumber_colour(c: object) -> str | None:
    if isinstance(c, (int, float)):
        c = (c,)
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


def _plumber_rotated(c: dict) -> bool:
    m = c.get("matrix")
    return bool(m) and abs(float(m[1])) > 0.5 and abs(float(m[0])) < 0.5


def _plumber_private(c: dict) -> bool:
    return any(0xE000 <= ord(ch) <= 0xF8FF for ch in c.get("text", ""))


def _plumber_vertical(chars: list[dict]) -> list[Word]:
    """The old vertical-word grouping, fed through the new one (same rule) via light char records."""
    from plugins.reader_pdf_text.plugin import _Char

    recs = [
        _Char(c["text"], float(c["x0"]), float(c["top"]), float(c["x1"]), float(c["bottom"]),
              float(c.get("size", 10)), True, float(c["matrix"][1]) > 0, i, False)
        for i, c in enumerate(chars)
    ]  # fmt: skip
    return _vertical_words(recs)


def plumber_read(path: Path) -> list[Page]:
    import pdfplumber

    pages: list[Page] = []
    with pdfplumber.open(path) as pdf:
        for number, p in enumerate(pdf.pages, start=1):
            flat = p.filter(
                lambda o: (
                    not (o.get("object_type") == "char" and (_plumber_rotated(o) or _plumber_private(o)))
                )
            )
            words = [
                Word(w["text"], float(w["x0"]), float(w["top"]), float(w["x1"]), float(w["bottom"]))
                for w in flat.extract_words(keep_blank_chars=False, use_text_flow=False)
            ]
            words += _plumber_vertical(
                [c for c in p.chars if _plumber_rotated(c) and not _plumber_private(c)]
            )
            rules = [
                Rule(float(n["x0"]), float(n["top"]), float(n["x1"]), float(n["bottom"])) for n in p.lines
            ]
            rects: list[FilledRect] = []
            for r in p.rects:
                x0, y0, x1, y1 = float(r["x0"]), float(r["top"]), float(r["x1"]), float(r["bottom"])
                if x1 - x0 < _THIN or y1 - y0 < _THIN:
                    rules.append(Rule(x0, y0, x1, y1))
                    continue
                if r.get("stroke"):
                    rules += [
                        Rule(x0, y0, x1, y0),
                        Rule(x0, y1, x1, y1),
                        Rule(x0, y0, x0, y1),
                        Rule(x1, y0, x1, y1),
                    ]
                if r.get("fill"):
                    rects.append(FilledRect(x0, y0, x1, y1, _plumber_colour(r.get("non_stroking_color"))))
            for c in p.curves:
                pts = c.get("pts") or []
                if len(pts) == 2:
                    (ax, ay), (bx, by) = pts
                    rules.append(Rule(min(ax, bx), min(ay, by), max(ax, bx), max(ay, by)))
            pages.append(
                Page(number, float(p.width), float(p.height), words, rules, rects, source="pdf_text")
            )
    return pages


# ---- comparison ------------------------------------------------------------------------------------


def _unmatched(old: list, new: list) -> tuple[list, list]:
    """Shapes of one list with no partner in the other (same colour, corners within 0.05 pt)."""
    rest = list(new)
    missing = []
    for a in old:
        hit = next(
            (
                i
                for i, b in enumerate(rest)
                if getattr(a, "color", None) == getattr(b, "color", None)
                and max(abs(a.x0 - b.x0), abs(a.y0 - b.y0), abs(a.x1 - b.x1), abs(a.y1 - b.y1)) < 0.05
            ),
            None,
        )
        if hit is None:
            missing.append(a)
        else:
            rest.pop(hit)
    return missing, rest


def _drift(old: list[Word], new: list[Word]) -> float:
    """The largest distance (pt) from a new word's box to the nearest old box with the same text."""
    by_text: dict[str, list[Word]] = {}
    for w in old:
        by_text.setdefault(w.text, []).append(w)
    worst = 0.0
    for w in new:
        near = [
            max(abs(w.x0 - o.x0), abs(w.y0 - o.y0), abs(w.x1 - o.x1), abs(w.y1 - o.y1))
            for o in by_text.get(w.text, [])
        ]
        if near:
            worst = max(worst, min(near))
    return worst


def compare_pages(old: list[Page], new: list[Page]) -> list[str]:
    notes = [] if len(old) == len(new) else [f"pages {len(old)} -> {len(new)}"]
    for a, b in zip(old, new, strict=False):
        tag = f"p{a.number}"
        if abs(a.width - b.width) > 0.5 or abs(a.height - b.height) > 0.5:
            notes.append(f"{tag} size {a.width:.0f}x{a.height:.0f} -> {b.width:.0f}x{b.height:.0f}")
        wa, wb = Counter(w.text for w in a.words), Counter(w.text for w in b.words)
        if wa != wb:
            notes.append(f"{tag} words only old {dict(wa - wb)} only new {dict(wb - wa)}")
        for label, old_shapes, new_shapes in (("rules", a.rules, b.rules), ("cells", a.rects, b.rects)):
            gone, extra = _unmatched(old_shapes, new_shapes)
            if gone or extra:
                notes.append(
                    f"{tag} {label} {len(old_shapes)} -> {len(new_shapes)}: "
                    f"only old {gone[:3]} only new {extra[:3]}"
                )
        drift = _drift(a.words, b.words)
        if drift > 0.5:
            notes.append(f"{tag} word boxes drift up to {drift:.2f} pt")
    return notes


def _median_seconds(fn: Callable[[], object]) -> float:
    times = []
    for _ in range(3):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


@contextmanager
def _reader(read: Callable[[Path], list[Page]]) -> Iterator[None]:
    """Swap the registered reader's `read` in this process only."""
    original = PdfTextReader.read
    PdfTextReader.read = lambda self, path: read(path)  # type: ignore[method-assign]
    try:
        yield
    finally:
        PdfTextReader.read = original  # type: ignore[method-assign]


def _f1(path: Path) -> tuple[float, float] | None:
    """F1 of the whole extraction with the old and the new reader, when the PDF has a truth file."""
    truth_path = path.with_name(path.stem + ".truth.json")
    if not truth_path.exists():
        return None
    from bench.scoring import f1, match
    from core.extract import extract_file
    from core.plugins import EngineRegistry, make_plugin_manager

    truth = json.loads(truth_path.read_text())["timeblocks"]
    pm = make_plugin_manager()
    reg = EngineRegistry.from_plugins(pm)
    scores = []
    for read in (plumber_read, PdfTextReader().read):
        with _reader(read):
            out = extract_file(path, pm, reg)
        scores.append(round(f1(*match(out.get("timeblocks", []), truth)), 4))
    return scores[0], scores[1]


def _pdfs(args: list[str]) -> list[Path]:
    paths: list[Path] = []
    for arg in map(Path, args):
        paths += sorted(arg.glob("*.pdf")) if arg.is_dir() else [arg]
    return paths


def main(args: list[str]) -> int:
    from core.extraction.stages import classify
    from core.plugins import make_plugin_manager

    pm = make_plugin_manager()
    differing = 0
    for path in _pdfs(args):
        if classify(pm, path, path.name) != "pdf_text":
            continue  # scans go to OCR, not to this reader
        old, new = plumber_read(path), PdfTextReader().read(path)
        notes = compare_pages(old, new)
        differing += bool(notes)
        t_old = _median_seconds(lambda p=path: plumber_read(p))
        t_new = _median_seconds(lambda p=path: PdfTextReader().read(p))
        scores = _f1(path)
        f1_note = f" f1 {scores[0]} -> {scores[1]}" if scores else ""
        print(
            f"{path.name}: read {t_old:.3f}s -> {t_new:.3f}s{f1_note} "
            + ("SAME" if not notes else "; ".join(notes))
        )
    print(f"{differing} PDF(s) read differently")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
