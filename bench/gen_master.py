"""Master (class-wise) timetables: one sheet of every class's lessons, a block of rows per day.

Three arrangements, as schools print them: `class_rows` (each day's block holds a row per class, the
periods across with their times in a heading row at the top, or repeated over each block) and
`time_rows` (each day's block holds a row per period with a time column, a column per class; times
as ranges or as start times only), and `page_per_day` (a class_rows grid per page, headed by its
day, with no day column; a picture shows the first page). The day's label is merged over its block
or printed in its first row; blocks may be parted by an empty row; a break runs down its column
(or across its row) in each block. Lessons may carry a teacher's code ("Maths - T12") or a second
line. Formats: text PDF, DOCX, PNG, scanned PDF, phone photo.

Truth follows bench/corpus/README.md: a block per class per day per lesson (parallel lessons, no
class name on the document), one break block per day; where only start times are printed the
last period ends one even step on (every period is then as long).

    python -m bench.gen_master OUT --n N --seed S      (seeds < 1000 development, >= 1000 held out)
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench import corpus_gen as cg
from bench.gen_cli import run_generator

ARRANGEMENTS = ["class_rows", "time_rows", "page_per_day"]
FORMATS = ["pdf_text", "docx", "png", "pdf_scan", "photo"]
CLASS_FORMS = ["{n}{s}", "Class {n} {s}", "{r}-{s}", "{n}TH", "Grade {n}{s}", "{r} {s}"]
ROMAN = ["", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]


@dataclass
class GridCell:
    r0: int
    c0: int
    r1: int
    c1: int
    lines: list[str]
    bold: bool = False
    fill: cg.Colour | None = None


@dataclass
class Master:
    arrangement: str
    days: list[str]
    classes: list[str]
    periods: list[tuple[int, int, str]]  # start, end, label ("1", "Break")
    lessons: dict[tuple[int, int, int], str]  # (day, class, period) -> subject
    codes: dict[tuple[int, int, int], str] = field(default_factory=dict)  # teacher code, "" when none

    def truth(self) -> list[dict[str, str]]:
        out = []
        for d, day in enumerate(self.days):
            for p, (s, e, label) in enumerate(self.periods):
                if not label.isdigit():
                    out.append(cg._block(day, s, e, label))
                    continue
                out.extend(
                    cg._block(day, s, e, self.lessons[(d, k, p)])
                    for k in range(len(self.classes))
                    if (d, k, p) in self.lessons
                )
        return out


def class_names(rng: random.Random) -> list[str]:
    form = rng.choice(CLASS_FORMS)
    n = rng.randint(3, 6)
    if "{s}" in form and rng.random() < 0.5:  # sections of one year: 9 A, 9 B, 9 C
        year = rng.randint(6, 12)
        return [form.format(n=year, s=chr(65 + i), r=ROMAN[year]) for i in range(n)]
    first = rng.randint(6, 12 - n + 1) if 12 - n + 1 >= 6 else 6
    return [form.format(n=first + i, s=rng.choice("ABC"), r=ROMAN[first + i]) for i in range(n)]


def random_master(rng: random.Random, arrangement: str, starts_only: bool) -> Master:
    days = cg.DAYS[: rng.choice([5, 6])]
    t = rng.choice([480, 490, 500, 510, 540])
    n = rng.randint(4, 7)
    length = rng.choice([35, 40, 45, 50, 60])
    brk = None if starts_only else rng.choice([None, rng.randint(2, n - 1)])
    periods: list[tuple[int, int, str]] = []
    for i in range(n):
        if i == brk:
            periods.append((t, t + rng.choice([15, 20, 30]), rng.choice(["Break", "Recess", "Lunch"])))
            t = periods[-1][1]
        periods.append((t, t + length, str(i + 1)))
        t += length
        if not starts_only and rng.random() < 0.3:
            length = rng.choice([35, 40, 45, 50, 60])
    classes = class_names(rng)
    subjects = rng.sample(cg.SUBJECTS, rng.randint(7, 12))
    coded = rng.random() < 0.4
    m = Master(arrangement, days, classes, periods, {})
    for d in range(len(days)):
        for k in range(len(classes)):
            for p, (_, _, label) in enumerate(periods):
                if label.isdigit() and rng.random() > 0.1:
                    m.lessons[(d, k, p)] = rng.choice(subjects)
                    m.codes[(d, k, p)] = f"T{rng.randint(1, 60):02d}" if coded else ""
    return m


@dataclass
class Look:
    style: cg.Style
    day_label: str  # merged | top
    spacer: bool  # an empty row between days' blocks
    times_each: bool  # class_rows: the times' row repeated over each block
    code_sep: str  # " - " / "-" joins a teacher's code to the subject; "\n" puts it on a line of its own
    period_row: bool  # class_rows: period numbers in a row of their own above the times
    starts_only: bool = False  # time_rows: the time column prints each period's start only


def grid_of(m: Master, look: Look) -> list[GridCell]:
    st = look.style
    cells: list[GridCell] = []
    head = (220, 230, 245) if st.colors else None

    def lesson(d: int, k: int, p: int) -> list[str]:
        name = m.lessons.get((d, k, p), "")
        code = m.codes.get((d, k, p), "")
        if not name or not code:
            return [name] if name else []
        return [name, code] if look.code_sep == "\n" else [f"{name}{look.code_sep}{code}"]

    if m.arrangement == "class_rows":
        nper = len(m.periods)
        heads = 2 if look.period_row else 1
        cells.append(GridCell(0, 0, heads, 1, ["Day"], True, head))
        cells.append(GridCell(0, 1, heads, 2, ["Class"], True, head))

        def time_row(r: int) -> None:
            for p, (s, e, label) in enumerate(m.periods):
                text = cg.fmt_range(s, e, st)
                if look.period_row and r == 0:
                    cells.append(
                        GridCell(
                            0, 2 + p, 1, 3 + p, [label if label.isdigit() else label.upper()], True, head
                        )
                    )
                    cells.append(GridCell(1, 2 + p, 2, 3 + p, [text], False, head))
                else:
                    cells.append(GridCell(r, 2 + p, r + 1, 3 + p, [text], False, head))

        time_row(0)
        r = heads
        for d, day in enumerate(m.days):
            if look.times_each and d > 0:
                cells.append(GridCell(r, 0, r + 1, 2, [], False, head))
                time_row(r)
                r += 1
            top = r
            nk = len(m.classes)
            if look.day_label == "merged":
                cells.append(GridCell(top, 0, top + nk, 1, [cg.fmt_day(day, st)], True))
            else:
                cells.append(GridCell(top, 0, top + 1, 1, [cg.fmt_day(day, st)], True))
                cells.extend(GridCell(top + i, 0, top + i + 1, 1, []) for i in range(1, nk))
            for k, cls in enumerate(m.classes):
                cells.append(GridCell(top + k, 1, top + k + 1, 2, [cls], True))
                for p, (_, _, label) in enumerate(m.periods):
                    if label.isdigit():
                        cells.append(GridCell(top + k, 2 + p, top + k + 1, 3 + p, lesson(d, k, p)))
            for p, (_, _, label) in enumerate(m.periods):
                if not label.isdigit():
                    cells.append(
                        GridCell(top, 2 + p, top + nk, 3 + p, [label.upper()], True, (235, 235, 235))
                    )
            r = top + nk
            if look.spacer and d + 1 < len(m.days):
                cells.extend(GridCell(r, c, r + 1, c + 1, []) for c in range(2 + nper))
                r += 1
        return cells
    # time_rows: a row per period in each day's block, a column per class
    nk = len(m.classes)
    cells.append(GridCell(0, 0, 1, 1, ["Day"], True, head))
    cells.append(GridCell(0, 1, 1, 2, ["Time"], True, head))
    cells.extend(GridCell(0, 2 + k, 1, 3 + k, [cls], True, head) for k, cls in enumerate(m.classes))
    r = 1
    np_ = len(m.periods)
    for d, day in enumerate(m.days):
        top = r
        if look.day_label == "merged":
            cells.append(GridCell(top, 0, top + np_, 1, [cg.fmt_day(day, st)], True))
        else:
            cells.append(GridCell(top, 0, top + 1, 1, [cg.fmt_day(day, st)], True))
            cells.extend(GridCell(top + i, 0, top + i + 1, 1, []) for i in range(1, np_))
        for p, (s, e, label) in enumerate(m.periods):
            text = cg.fmt_time(s, st) if look.starts_only else cg.fmt_range(s, e, st)
            cells.append(GridCell(top + p, 1, top + p + 1, 2, [text]))
            if not label.isdigit():
                cells.append(
                    GridCell(top + p, 2, top + p + 1, 2 + nk, [label.upper()], True, (235, 235, 235))
                )
                continue
            cells.extend(GridCell(top + p, 2 + k, top + p + 1, 3 + k, lesson(d, k, p)) for k in range(nk))
        r = top + np_
        if look.spacer and d + 1 < len(m.days):
            cells.extend(GridCell(r, c, r + 1, c + 1, []) for c in range(2 + nk))
            r += 1
    return cells


def canvas_of(cells: list[GridCell], title: str, look: Look) -> cg.Canvas:
    s = look.style.size
    nrows = max(c.r1 for c in cells)
    ncols = max(c.c1 for c in cells)
    cw, ch, x0, y0 = 9.5 * s + 12, 2.9 * s, 30.0, 80.0
    widths = [cw * (0.9 if c == 0 else 1.0) for c in range(ncols)]
    xs = [x0]
    for w in widths:
        xs.append(xs[-1] + w)
    cv = cg.Canvas(xs[-1] + x0, y0 + ch * nrows + 40)
    cv.texts.append((30, 40, title, s + 6, True, "lm", (0, 0, 0)))
    for cell in cells:
        a, b, c, d = xs[cell.c0], y0 + cell.r0 * ch, xs[cell.c1], y0 + cell.r1 * ch
        if cell.fill is not None:
            cv.fills.append((a, b, c, d, cell.fill))
        cv.lines.extend([(a, b, c, b), (a, d, c, d), (a, b, a, d), (c, b, c, d)])
        cx, cy = (a + c) / 2, (b + d) / 2
        top = cy - (len(cell.lines) - 1) * 0.6 * s
        for i, text in enumerate(cell.lines):
            size = s if i == 0 else s - 2
            cv.texts.append((cx, top + i * 1.2 * s, text, size, cell.bold, "mm", (0, 0, 0)))
    return cv


def _one_day(m: Master, d: int, look: Look) -> list[GridCell]:
    """Day d's block of a class_rows grid, its day column left out (the day heads the page)."""
    day = Master("class_rows", [m.days[d]], m.classes, m.periods,
                 {(0, k, p): v for (dd, k, p), v in m.lessons.items() if dd == d},
                 {(0, k, p): v for (dd, k, p), v in m.codes.items() if dd == d})  # fmt: skip
    cells = grid_of(day, look)
    return [GridCell(c.r0, c.c0 - 1, c.r1, c.c1 - 1, c.lines, c.bold, c.fill) for c in cells if c.c0 > 0]


def write_docx(pages: list[tuple[list[GridCell], str]], path: Path) -> None:
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_BREAK

    doc = Document()
    sec = doc.sections[0]
    sec.orientation = WD_ORIENT.LANDSCAPE
    sec.page_width, sec.page_height = sec.page_height, sec.page_width
    for i, (cells, title) in enumerate(pages):
        if i:
            doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        doc.add_paragraph(title)
        _docx_table(doc, cells)
    doc.save(str(path))


def _docx_table(doc: Any, cells: list[GridCell]) -> None:
    from docx.shared import Pt

    t = doc.add_table(rows=max(c.r1 for c in cells), cols=max(c.c1 for c in cells))
    t.style = "Table Grid"
    for cell in cells:
        target = t.cell(cell.r0, cell.c0)
        if (cell.r1 - cell.r0, cell.c1 - cell.c0) != (1, 1):
            target = target.merge(t.cell(cell.r1 - 1, cell.c1 - 1))
        if cell.lines:
            target.text = cell.lines[0]
            for line in cell.lines[1:]:
                target.add_paragraph(line)
            for par in target.paragraphs:
                for run in par.runs:
                    run.font.size = Pt(9)


def make_document(out: Path, index: int, fmt: str, rng: random.Random) -> Path:
    arrangement = ARRANGEMENTS[index % len(ARRANGEMENTS)]
    starts_only = arrangement == "time_rows" and rng.random() < 0.35
    m = random_master(rng, arrangement, starts_only)
    style = cg.random_style(rng)
    style.size = rng.randint(10, 14)
    style.dark_header = False
    look = Look(
        style=style,
        day_label=rng.choice(["merged", "top"]),
        spacer=rng.random() < 0.4,
        times_each=arrangement == "class_rows" and rng.random() < 0.3,
        code_sep=rng.choice([" - ", "-", "\n"]),
        period_row=arrangement != "time_rows" and rng.random() < 0.4,
        starts_only=starts_only,
    )
    title = rng.choice(["Master Timetable 2026", "CLASS WISE TIME TABLE", "School Timetable - All Classes"])
    if arrangement == "page_per_day":
        # A page per day headed by the day, the grid without a day column; a picture shows one page.
        if fmt in ("png", "photo"):
            m.days = m.days[:1]
        pages = [(_one_day(m, d, look), cg.fmt_day(day, style).upper()) for d, day in enumerate(m.days)]
    else:
        pages = [(grid_of(m, look), title)]
    stem = f"m{index:03d}_{arrangement}_{fmt}"
    ext = {"png": ".png", "photo": ".jpg", "pdf_scan": ".pdf", "pdf_text": ".pdf", "docx": ".docx"}[fmt]
    path = out / (stem + ext)
    if fmt == "docx":
        write_docx(pages, path)
    elif fmt == "pdf_text":
        cg.pages_pdf([canvas_of(cells, head, look) for cells, head in pages], path)
    else:
        scale = rng.uniform(1.4, 2.0)
        ims = [cg.render_png(canvas_of(cells, head, look), style, scale=scale) for cells, head in pages]
        if fmt == "png":
            ims[0].save(path)
        elif fmt == "photo":
            cg.photograph(ims[0], rng).save(path, quality=rng.randint(75, 92))
        else:
            scans = [cg.scan(im, rng) for im in ims]
            scans[0].save(path, "PDF", resolution=200, save_all=True, append_images=scans[1:])
    truth = {
        "file": path.name, "family": "master", "format": fmt, "layout": arrangement, "teacher": "",
        "className": "", "timeblocks": m.truth(),
        "properties": {"arrangement": arrangement, "starts_only": starts_only, "day_label": look.day_label,
                       "spacer": look.spacer, "times_each": look.times_each, "code_sep": look.code_sep,
                       "period_row": look.period_row, "classes": len(m.classes)},
    }  # fmt: skip
    (out / f"{stem}.truth.json").write_text(json.dumps(truth, indent=1))
    return path


def make_corpus(out: Path, n: int = 40, seed: int = 1, formats: list[str] | None = None) -> list[Path]:
    """n documents cycling through every arrangement and every format."""
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    fmts = formats or FORMATS
    return [make_document(out, i, fmts[(i // len(ARRANGEMENTS)) % len(fmts)], rng) for i in range(n)]


def main() -> None:
    run_generator(make_corpus, 40, FORMATS)


if __name__ == "__main__":
    main()
