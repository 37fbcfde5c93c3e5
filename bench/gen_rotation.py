"""Rotating timetables (issue 19) in corpus_gen's styles: cycle days ("Day 1" … "Day 6", "Day 1" …
"Day 10", lettered "Day A" … or bare "A" … "F" over the columns, day orders "Day Order 1" / "DO 1" …
"Day Order 6" as Indian colleges print them) and two-week timetables (a grid per
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

KINDS = ["cycle6", "cycle10", "cycle_letters", "two_week", "two_week_days", "day_order"]
FORMATS = ["pdf_text", "docx", "png", "pdf_scan", "photo"]
LAYOUTS = ["days_cols", "days_rows", "ruleless", "list"]
WEEK_LABELS = [
    ("Week A", "Week B"), ("Week 1", "Week 2"), ("WEEK A", "WEEK B"), ("Odd week", "Even week"),
    ("Week One", "Week Two"),
]  # fmt: skip
# Where a two-week timetable prints each week's label: right of its title, or in its grid's
# corner cell (where "Time" would be); the grids on a page each or one under the other.
WEEK_PLACES = ["title", "corner"]
# One grid of both weeks, each day's header carrying its week: "Mon A", "AMon", "Monday 1", "Mon Wk2".
DAY_WEEK_FORMATS = ["{d3} {w}", "{w}{d3}", "{day} {w}", "{d3} Wk{w}", "{D3} {w}"]


def cycle_days(kind: str, rng: random.Random) -> list[str]:
    if kind == "day_order":  # Indian colleges: "Day Order 1" … (printed "DO 1", "DAY ORDER 1")
        return [f"Day Order {i}" for i in range(1, rng.choice([5, 6]) + 1)]
    if kind == "cycle_letters":
        return [f"Day {chr(ord('A') + i)}" for i in range(rng.choice([6, 8]))]
    return [f"Day {i}" for i in range(1, (10 if kind == "cycle10" else 6) + 1)]


def _truth_week(week: cg.Week) -> list[dict[str, str]]:
    blocks = [{**b, "day": _cycle_day(b["day"])} for b in week.truth()]
    return [{**b, "week": _printed_label(week.week)} if week.week else b for b in blocks]


def _cycle_day(day: str) -> str:
    """The truth's name of a printed day: day order n is cycle day "Day n"."""
    return day.replace("Day Order", "Day")


def _printed_label(week: str | None) -> str:
    """The week as the truth names it: "A" for "Week A", "2" for "Week Two", "Odd" for "Odd week"."""
    words = (week or "").replace("Week", "").replace("WEEK", "").replace("week", "").split()
    label = words[0] if words else ""
    printed = label.upper() if len(label) == 1 else label.capitalize()
    return {"one": "1", "two": "2"}.get(label.lower(), printed)


def days_with_weeks(first: cg.Week, second: cg.Week, form: str) -> tuple[cg.Week, dict[str, tuple[str, str]]]:
    """Both weeks in one grid of twice the days, each day's header carrying its week ("Mon A"):
    the grid's week and, per printed header, the (weekday, week label) it stands for."""
    days, truth_of = [], {}
    for week in (first, second):
        w = _printed_label(week.week)
        for day in week.days:
            head = form.format(day=day, d3=day[:3], D3=day[:3].upper(), w=w)
            days.append(head)
            truth_of[head] = (day, w)
    nd = len(first.days)
    cells = dict(first.cells) | {(d + nd, p): v for (d, p), v in second.cells.items()}
    return cg.Week(first.teacher, first.class_name, days, first.periods, cells), truth_of


def _truth(weeks: list[cg.Week], truth_of: dict[str, tuple[str, str]]) -> list[dict[str, str]]:
    return _truth_days(weeks[0], truth_of) if truth_of else [b for w in weeks for b in _truth_week(w)]


def _truth_days(week: cg.Week, truth_of: dict[str, tuple[str, str]]) -> list[dict[str, str]]:
    return [{**b, "day": truth_of[b["day"]][0], "week": truth_of[b["day"]][1]} for b in week.truth()]


def _canvas(week: cg.Week, style: cg.Style, layout: str, place: str) -> cg.Canvas:
    """A week's canvas; with its label in the grid's corner cell instead of beside the title."""
    if layout == "list":
        return _roomy(cg.list_canvas(week, style), week, style)
    label = week.week
    if place == "corner":
        week = cg.Week(week.teacher, week.class_name, week.days, week.periods, week.cells)
    cv = cg.table_canvas(week, style, days_cols=layout != "days_rows", rules=layout != "ruleless")
    if place == "corner" and label:
        corner = next(i for i, t in enumerate(cv.texts) if t[2] in ("Time", "Day") and t[5] == "mm")
        cv.texts[corner] = (*cv.texts[corner][:2], label, *cv.texts[corner][3:])
    return cv


def _roomy(cv: cg.Canvas, week: cg.Week, style: cg.Style) -> cg.Canvas:
    """A narrow list's page widened so the week label right of the title stays clear of it."""
    if not week.week:
        return cv
    size = style.size + 8
    width = 30 + 0.62 * size * (len(f"Timetable - {week.teacher}") + len(week.week)) + 90
    if width > cv.width:
        cv.texts = [(width - 30, *t[1:]) if t[2] == week.week and t[5] == "rm" else t for t in cv.texts]
        cv.width = width
    return cv


def _stack_canvases(canvases: list[cg.Canvas]) -> cg.Canvas:
    """Both weeks' grids on one page, one under the other."""
    out = cg.Canvas(max(cv.width for cv in canvases), sum(cv.height for cv in canvases))
    y = 0.0
    for cv in canvases:
        out.texts += [(x, ty + y, *rest) for x, ty, *rest in cv.texts]
        out.lines += [(a, b + y, c, d + y) for a, b, c, d in cv.lines]
        out.fills += [(a, b + y, c, d + y, rgb) for a, b, c, d, rgb in cv.fills]
        y += cv.height
    return out


def _stack(images: list[Image.Image]) -> Image.Image:
    """Two grids on one picture, one above the other (a two-week timetable's usual print)."""
    width = max(im.width for im in images)
    out = Image.new("RGB", (width, sum(im.height for im in images)), "white")
    y = 0
    for im in images:
        out.paste(im, (0, y))
        y += im.height
    return out


def _docx(
    weeks: list[cg.Week], style: cg.Style, layout: str, path: Path, place: str = "title", paged: bool = True
) -> None:
    """One table per week, under its label (or with it in the table's corner cell); the second
    week on a page of its own or under the first."""
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
    corner = place == "corner" and layout != "list"
    for part, week in zip(parts, weeks, strict=True):
        if corner:
            part.tables[0].cell(0, 0).text = week.week or ""
    doc = parts[0]
    if not corner:
        doc.paragraphs[0].insert_paragraph_before(weeks[0].week or "")
    for other, week in zip(parts[1:], weeks[1:], strict=True):
        if paged:
            doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        if not corner:
            doc.add_paragraph(week.week or "")
        for element in other.element.body:
            if not element.tag.endswith("sectPr"):
                doc.element.body.append(element)
    doc.save(str(path))


def make_document(out: Path, index: int, kind: str, layout: str, fmt: str, rng: random.Random) -> Path:
    style = cg.random_style(rng)
    place, paged = rng.choice(WEEK_PLACES), rng.random() < 0.5
    truth_of: dict[str, tuple[str, str]] = {}
    if kind == "two_week":
        weeks = list(cg.fortnight(cg.random_week(rng), rng.choice(WEEK_LABELS)))
    elif kind == "two_week_days":
        labels = rng.choice([("Week A", "Week B"), ("Week 1", "Week 2")])
        first, second = cg.fortnight(cg.random_week(rng, cg.DAYS[:5]), labels)
        week, truth_of = days_with_weeks(first, second, rng.choice(DAY_WEEK_FORMATS))
        weeks = [week]
        style.day_fmt = "full"  # the headers as formed above
    else:
        weeks = [cg.random_week(rng, cycle_days(kind, rng))]
    if fmt == "pdf_text":
        style.dark_header = False  # as corpus_gen: the minimal PDF writer draws text colour only
    if fmt == "docx" and layout == "ruleless":
        layout = "days_cols"  # as corpus_gen: Word tables always have cells
    stem = f"{index:03d}_{kind}_{layout}_{fmt}"
    ext = {"png": ".png", "photo": ".jpg", "pdf_scan": ".pdf", "pdf_text": ".pdf", "docx": ".docx"}[fmt]
    path = out / (stem + ext)
    canvases = [_canvas(w, style, layout, place) for w in weeks]
    if fmt == "docx":
        _docx(weeks, style, layout, path, place, paged)
    elif fmt == "pdf_text":
        cg.pages_pdf(canvases if paged else [_stack_canvases(canvases)], path)
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
        "rotation": "two_week" if kind.startswith("two_week") else "cycle",
        "timeblocks": _truth(weeks, truth_of),
        "properties": {"rotation": kind, "layout": layout},
    }  # fmt: skip
    if kind == "two_week":
        truth["properties"] |= {"week_place": place, "paged": paged}
    if not kind.startswith("two_week"):
        truth["cycleDays"] = [_cycle_day(d) for d in weeks[0].days]
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
        layout = rng.choice(LAYOUTS)
        paths.append(make_document(out, i, kind, layout, fmt, rng))
    return paths


def main() -> None:
    run_generator(make_corpus, 40, FORMATS)


if __name__ == "__main__":
    main()
