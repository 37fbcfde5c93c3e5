"""Rotating timetables (issue 19) in corpus_gen's styles: cycle days ("Day 1" … "Day 6", "Day 1" …
"Day 10", lettered "Day A" … or bare "A" … "F" over the columns) and two-week timetables (a grid per
week, headed "Week A" / "Week B" or "Week 1" / "Week 2", a page each), in every format: text PDF,
DOCX, PNG, scanned PDF, phone photo. A two-week picture (PNG, photo) holds both grids, one above the
other, each under its label. Truth follows bench/corpus/README.md, with its rotation rules:
a cycle lesson's day is its cycle day, a two-week lesson carries its `week` as printed ("A", "1").

    python -m bench.gen_rotation OUT --n N --seed S      (seeds < 1000 development, >= 1000 held out)
"""

from __future__ import annotations

import json
import random
from dataclasses import asdict
from pathlib import Path

from PIL import Image

from bench import corpus_gen as cg
from bench.gen_cli import run_generator

KINDS = ["cycle6", "cycle10", "cycle_letters", "two_week"]
FORMATS = ["pdf_text", "docx", "png", "pdf_scan", "photo"]
LAYOUTS = ["days_cols", "days_rows"]
WEEK_LABELS = [("Week A", "Week B"), ("Week 1", "Week 2"), ("WEEK A", "WEEK B")]


def cycle_days(kind: str, rng: random.Random) -> list[str]:
    if kind == "cycle_letters":
        return [f"Day {chr(ord('A') + i)}" for i in range(rng.choice([6, 8]))]
    return [f"Day {i}" for i in range(1, (10 if kind == "cycle10" else 6) + 1)]


def _truth_week(week: cg.Week) -> list[dict[str, str]]:
    label = (week.week or "").split()[-1].upper() if week.week else None
    return [{**b, "week": label} if label else b for b in week.truth()]


def _stack(images: list[Image.Image]) -> Image.Image:
    """Two grids on one picture, one above the other (a two-week timetable's usual print)."""
    width = max(im.width for im in images)
    out = Image.new("RGB", (width, sum(im.height for im in images)), "white")
    y = 0
    for im in images:
        out.paste(im, (0, y))
        y += im.height
    return out


def _docx(weeks: list[cg.Week], style: cg.Style, layout: str, path: Path) -> None:
    """One table per week; the second week on a page of its own, under its label."""
    if len(weeks) == 1:
        cg.write_docx(weeks[0], style, layout, path)
        return
    from docx import Document
    from docx.enum.text import WD_BREAK

    parts = []
    for n, week in enumerate(weeks):
        part = path.with_name(f"{path.stem}.w{n}.docx")
        cg.write_docx(week, style, layout, part)
        parts.append(Document(str(part)))
        part.unlink()
    doc = parts[0]
    doc.paragraphs[0].insert_paragraph_before(weeks[0].week or "")
    for other, week in zip(parts[1:], weeks[1:], strict=True):
        doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        doc.add_paragraph(week.week or "")
        for element in other.element.body:
            if not element.tag.endswith("sectPr"):
                doc.element.body.append(element)
    doc.save(str(path))


def make_document(out: Path, index: int, kind: str, layout: str, fmt: str, rng: random.Random) -> Path:
    style = cg.random_style(rng)
    if kind == "two_week":
        weeks = list(cg.fortnight(cg.random_week(rng), rng.choice(WEEK_LABELS)))
    else:
        weeks = [cg.random_week(rng, cycle_days(kind, rng))]
    if fmt == "pdf_text":
        style.dark_header = False  # as corpus_gen: the minimal PDF writer draws text colour only
    stem = f"{index:03d}_{kind}_{layout}_{fmt}"
    ext = {"png": ".png", "photo": ".jpg", "pdf_scan": ".pdf", "pdf_text": ".pdf", "docx": ".docx"}[fmt]
    path = out / (stem + ext)
    canvases = [cg.table_canvas(w, style, days_cols=layout == "days_cols") for w in weeks]
    if fmt == "docx":
        _docx(weeks, style, layout, path)
    elif fmt == "pdf_text":
        cg.pages_pdf(canvases, path)
    else:
        scale = rng.uniform(1.3, 2.0)
        images = [cg.render_png(cv, style, scale=scale) for cv in canvases]
        if fmt == "png":
            _stack(images).save(path)
        elif fmt == "photo":
            cg.photograph(_stack(images), rng).save(path, quality=rng.randint(70, 92))
        else:
            pages = [cg.scan(im, rng) for im in images]
            pages[0].save(
                path, "PDF", resolution=rng.choice([150, 200]), save_all=True, append_images=pages[1:]
            )
    truth = {
        "file": path.name, "family": kind, "format": fmt, "layout": f"{kind}_{layout}",
        "teacher": weeks[0].teacher, "className": weeks[0].class_name, "style": asdict(style),
        "rotation": "two_week" if kind == "two_week" else "cycle",
        "timeblocks": [b for w in weeks for b in _truth_week(w)],
        "properties": {"rotation": kind, "layout": layout},
    }  # fmt: skip
    if kind != "two_week":
        truth["cycleDays"] = weeks[0].days
    (out / f"{stem}.truth.json").write_text(json.dumps(truth, indent=1))
    return path


def make_corpus(out: Path, n: int = 40, seed: int = 1, formats: list[str] | None = None) -> list[Path]:
    """n documents cycling through every rotation kind, format and layout."""
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(f"rotation{seed}")
    fmts = formats or FORMATS
    paths = []
    for i in range(n):
        kind = KINDS[i % len(KINDS)]
        fmt = fmts[(i // len(KINDS)) % len(fmts)]
        layout = LAYOUTS[(i // (len(KINDS) * len(fmts))) % len(LAYOUTS)]
        paths.append(make_document(out, i, kind, layout, fmt, rng))
    return paths


def main() -> None:
    run_generator(make_corpus, 40, FORMATS)


if __name__ == "__main__":
    main()
