"""Generator of one-row-per-lesson timetables (course registration exports, class lists) with truth.

Each document lists a few courses; each course has one to three classes (lecture, tutorial, lab),
one row each with a day and a time; only a course's first row carries its code and title (the
others continue it), as registration systems print them. Styles vary: university export (code,
title, AU, type, group, day, time, venue, remark) or school class list (day, start, end, subject,
room); times as "1430-1620", "08:30 - 09:20" or separate start and end columns; day names as MON,
Mon or Monday; written as a text PDF, a DOCX table or a PNG with rules around every cell, only between
rows or none, cells top-aligned or centred, rows plain or striped.
Truth files follow bench/corpus/README.md (the name is the title, never the code or type).

bench/generator.py (the randomised generator) draws this one-row-per-lesson layout too, with its
sampled font, size and format (bench/generator_layouts.py).

usage: uv run python -m bench.gen_records OUT_DIR [--n 12] [--seed 1]
"""

from __future__ import annotations

import json
import random
import textwrap
from dataclasses import asdict, dataclass, field
from pathlib import Path

from bench.corpus_gen import Canvas, Style, render_pdf, render_png
from bench.gen_cli import run_generator

DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
COURSES = [
    "Calculus", "Discrete Mathematics", "Digital Logic", "Data Structures", "Linear Algebra",
    "Organic Chemistry", "Academic Writing", "Introduction to Programming", "Microeconomics",
    "Engineering Physics", "Statistics", "Computer Networks", "Operating Systems", "Modern History",
    "Cell Biology", "Financial Accounting", "Signals and Systems", "Public Speaking", "Art History",
    "Database Systems",
]  # fmt: skip
TYPES = ["LEC", "TUT", "LAB"]
VENUES = ["LT1A", "TR+53", "HPL", "LHS-TR12", "Room 204", "Lab 3", "Hall B", "N2-B1-07", "COLLAB 2"]
FORMATS = ["pdf_text", "docx", "png_ruled", "png_plain"]
TIME_STYLES = ["compact", "colon", "split"]


@dataclass
class Lesson:
    code: str
    title: str  # empty on a row that continues the course above
    kind: str
    group: str
    day: str
    start: int  # minutes
    end: int
    venue: str


@dataclass
class RecordStyle:
    fmt: str = "pdf_text"
    times: str = "compact"  # compact "1430-1620" | colon "08:30 - 09:20" | split Start/End columns
    days: str = "upper_abbr"  # upper_abbr MON | abbr Mon | full Monday
    upper_titles: bool = True
    school: bool = False  # a school class list (Day, Start, End, Subject, Room) not a university export
    subject_title: str = "Title"
    size: int = 11
    merged_titles: bool = False  # DOCX: a course's title cell merged down over its rows
    rules: str = "grid"  # PDF and PNG: grid (every cell) | rows (lines between rows) | none
    middle: bool = False  # cells centred vertically (HTML tables), not top-aligned
    zebra: bool = False  # every other row shaded
    header: bool = True  # a row of column titles above the lessons
    days_once: bool = False  # rows sorted by day, each day printed (or its cell merged) once
    columns: list[str] = field(default_factory=list)


def _hhmm(m: int, colon: bool) -> str:
    return f"{m // 60:02d}:{m % 60:02d}" if colon else f"{m // 60:02d}{m % 60:02d}"


def _day(day: str, style: RecordStyle) -> str:
    return {"upper_abbr": day[:3].upper(), "abbr": day[:3], "full": day}[style.days]


def random_lessons(rng: random.Random, upper: bool) -> list[Lesson]:
    """Four to six courses, each with one to three classes at distinct day and time slots."""
    taken: set[tuple[str, int]] = set()
    out: list[Lesson] = []
    for title in rng.sample(COURSES, rng.randint(4, 6)):
        code = f"{rng.choice(['MH', 'SC', 'CZ', 'HG', 'BM'])}{rng.randint(1000, 4999)}"
        for k in range(rng.randint(1, 3)):
            while True:
                day, start = rng.choice(DAYS), rng.choice(range(8 * 60 + 30, 19 * 60, 60))
                if (day, start) not in taken:
                    break
            taken.add((day, start))
            end = start + rng.choice([50, 50, 110])
            name = (title.upper() if upper else title) if k == 0 else ""
            group, venue = f"G{rng.randint(1, 9)}", rng.choice(VENUES)
            out.append(Lesson(code if k == 0 else "", name, TYPES[k % 3], group, day, start, end, venue))
    return out


def random_style(rng: random.Random, fmt: str) -> RecordStyle:
    school = rng.random() < 0.35
    times = rng.choice(TIME_STYLES)
    if school:
        cols = ["Day", "Time", "Subject", "Room"]
    else:
        cols = ["Course", "Title", "AU", "Type", "Group", "Day", "Time", "Venue", "Remark"]
    if times == "split":
        i = cols.index("Time")
        cols[i : i + 1] = ["Start", "End"]
    titles = ["Subject", "Lesson", "Module"] if school else ["Title", "Course Title", "Module", "Description"]
    title = rng.choice(titles)
    cols = [title if c in ("Title", "Subject") else c for c in cols]
    return RecordStyle(fmt=fmt, times=times, days=rng.choice(["upper_abbr", "abbr", "full"]),
                       upper_titles=not school and rng.random() < 0.7, school=school, subject_title=title,
                       size=rng.randint(10, 13), merged_titles=fmt == "docx" and rng.random() < 0.5,
                       rules=_random_rules(rng, fmt), middle=fmt != "docx" and rng.random() < 0.4,
                       zebra=fmt != "docx" and rng.random() < 0.25, days_once=school and rng.random() < 0.5,
                       columns=cols)  # fmt: skip


def _random_rules(rng: random.Random, fmt: str) -> str:
    if fmt == "png_plain":
        return rng.choice(["none", "rows"])
    return "grid" if fmt != "pdf_text" else rng.choice(["grid", "rows", "none"])


def cell_values(lesson: Lesson, style: RecordStyle) -> list[str]:
    colon = style.times != "compact"
    values = {
        "Course": lesson.code, "AU": "3" if lesson.code else "", "Type": lesson.kind,
        "Group": lesson.group, "Day": _day(lesson.day, style), "Venue": lesson.venue,
        "Room": lesson.venue, "Remark": "Teaching Wk1-13" if lesson.kind != "LAB" else "Wk2,4,6",
        "Start": _hhmm(lesson.start, True), "End": _hhmm(lesson.end, True),
        "Time": f"{_hhmm(lesson.start, colon)}{' - ' if colon else '-'}{_hhmm(lesson.end, colon)}",
    }  # fmt: skip
    return [lesson.title if c == style.subject_title else values[c] for c in style.columns]


def by_day(lessons: list[Lesson]) -> list[Lesson]:
    """Every row titled (a class list names each lesson), sorted by day and time."""
    out, title, code = [], "", ""
    for les in lessons:
        title, code = les.title or title, les.code or code
        out.append(Lesson(code, title, les.kind, les.group, les.day, les.start, les.end, les.venue))
    return sorted(out, key=lambda les: (DAYS.index(les.day), les.start))


def table_values(lessons: list[Lesson], style: RecordStyle) -> list[list[str]]:
    """The body's cell texts; with days_once a day's later rows leave the day cell empty."""
    rows = [cell_values(les, style) for les in lessons]
    if style.days_once and "Day" in style.columns:
        c = style.columns.index("Day")
        for prev, row in zip(lessons, rows[1:], strict=False):
            if row[c] == _day(prev.day, style):
                row[c] = ""
    return rows


def truth_blocks(lessons: list[Lesson]) -> list[dict[str, str]]:
    """One block per row; a continuation row takes the title of the course above it."""
    out, title = [], ""
    for les in lessons:
        title = les.title or title
        out.append({"day": les.day, "startTime": _hhmm(les.start, True), "endTime": _hhmm(les.end, True),
                    "name": title})  # fmt: skip
    return out


# ---- drawing ------------------------------------------------------------------------------------


def _wrap(text: str, width: int) -> list[str]:
    return textwrap.wrap(text, width) or [""]


def records_canvas(lessons: list[Lesson], style: RecordStyle) -> Canvas:
    """The table drawn as a page: cells left-aligned, top-aligned or centred, long titles wrapped."""
    s = float(style.size)
    rows = [style.columns] * style.header + table_values(lessons, style)
    wrap = 18
    widths = [max(len(line) for r in rows for line in _wrap(r[c], wrap)) * 0.72 * s + 1.2 * s
              for c in range(len(style.columns))]  # fmt: skip
    x0, y = 30.0, 110.0
    cv = Canvas(2 * x0 + sum(widths), 0)
    heading = "Courses Registered - Semester 1" if not style.school else "Class list - Term 2"
    cv.texts.append((x0, 50, heading, s + 5, True, "lm", (0, 0, 0)))
    cv.texts.append((x0, 78, "Name: Alex Tan", s, False, "lm", (0, 0, 0)))
    for r, row in enumerate(rows):
        cells = [_wrap(v, wrap) for v in row]
        n = max(len(c) for c in cells)
        height = n * 1.3 * s + 0.8 * s
        if style.zebra and r % 2 == 1:
            cv.fills.append((x0, y, x0 + sum(widths), y + height, (232, 236, 242)))
        if style.rules == "rows" or (style.rules == "grid" and r == 0 and style.header):
            cv.lines.append((x0, y + height, x0 + sum(widths), y + height))
        x = x0
        for c, lines in enumerate(cells):
            skip = (n - len(lines)) / 2 if style.middle else 0.0
            for i, line in enumerate(lines):
                ty = y + 0.4 * s + (skip + i + 0.5) * 1.3 * s
                cv.texts.append((x + 0.5 * s, ty, line, s, r == 0 and style.header, "lm", (0, 0, 0)))
            if style.rules == "grid":
                x1, y1 = x + widths[c], y + height
                cv.lines.extend([(x, y, x1, y), (x, y1, x1, y1), (x, y, x, y1), (x1, y, x1, y1)])
            x += widths[c]
        y += height
    cv.height = y + 40
    return cv


def write_docx(lessons: list[Lesson], style: RecordStyle, path: Path) -> None:
    from docx import Document

    doc = Document()
    doc.add_heading("Courses Registered - Semester 1" if not style.school else "Class list", 1)
    doc.add_paragraph("Name: Alex Tan")
    t = doc.add_table(rows=len(lessons) + 1, cols=len(style.columns))
    t.style = "Table Grid"
    for c, title in enumerate(style.columns):
        t.cell(0, c).text = title
    for r, values in enumerate(table_values(lessons, style), start=1):
        for c, value in enumerate(values):
            t.cell(r, c).text = value
    if style.merged_titles:
        _merge_continuations(t, lessons, style)
    if style.days_once:
        _merge_days(t, lessons, style)
    doc.save(path)


def _merge_continuations(t: object, lessons: list[Lesson], style: RecordStyle) -> None:
    """Merge each course's code and title cells down over the rows that continue it."""
    merge_cols = [c for c, name in enumerate(style.columns) if name in ("Course", style.subject_title)]
    r = 1
    while r <= len(lessons):
        n = 1
        while r + n <= len(lessons) and not lessons[r + n - 1].title:
            n += 1
        if n > 1:
            for c in merge_cols:
                top = t.cell(r, c)  # type: ignore[attr-defined]
                text = top.text
                merged = top.merge(t.cell(r + n - 1, c))  # type: ignore[attr-defined]
                merged.text = text
        r += n


def _merge_days(t: object, lessons: list[Lesson], style: RecordStyle) -> None:
    """Merge each day's cell down over its rows (the table is sorted by day)."""
    c = style.columns.index("Day")
    r = 1
    while r <= len(lessons):
        n = 1
        while r + n <= len(lessons) and lessons[r + n - 1].day == lessons[r - 1].day:
            n += 1
        if n > 1:
            top = t.cell(r, c)  # type: ignore[attr-defined]
            text = top.text
            top.merge(t.cell(r + n - 1, c)).text = text  # type: ignore[attr-defined]
        r += n


def write_document(path: Path, lessons: list[Lesson], style: RecordStyle, scale: float = 1.8) -> Path:
    """Draw the lessons in the style's format (the path's suffix must match it)."""
    if style.fmt == "docx":
        write_docx(lessons, style, path)
        return path
    cv = records_canvas(lessons, style)
    if style.fmt == "pdf_text":
        render_pdf(cv, path)
    else:
        render_png(cv, Style(size=style.size), scale=scale).save(path)
    return path


def make_document(out: Path, index: int, fmt: str, rng: random.Random) -> Path:
    style = random_style(rng, fmt)
    lessons = random_lessons(rng, style.upper_titles)
    if style.days_once:
        lessons = by_day(lessons)
    stem = f"rec{index:03d}_{fmt}_{style.times}"
    path = out / (stem + {"pdf_text": ".pdf", "docx": ".docx"}.get(fmt, ".png"))
    write_document(path, lessons, style, scale=rng.uniform(1.6, 2.0))
    truth = {"file": path.name, "family": "records", "format": fmt, "layout": "records", "teacher": "",
             "className": "", "style": asdict(style), "timeblocks": truth_blocks(lessons)}  # fmt: skip
    (out / f"{stem}.truth.json").write_text(json.dumps(truth, indent=1))
    return path


def make_corpus(out: Path, n: int = 12, seed: int = 1, formats: list[str] | None = None) -> list[Path]:
    """n documents cycling through the formats."""
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    fmts = formats or FORMATS
    return [make_document(out, i, fmts[i % len(fmts)], rng) for i in range(n)]


def main() -> None:
    run_generator(make_corpus, 12, FORMATS)


if __name__ == "__main__":
    main()
