"""The project's own corpus generator: timetable documents with their truth, in many styles.

Each document is a random week (5 or 6 days, 5-8 periods, breaks and lunch across all days, double
periods as merged cells, empty slots) drawn in a random style (layout, font, size, colours, dark
header, time and day formats, rules or none) and written as PNG, phone photo (perspective, shadow,
blur, noise, JPEG), scanned PDF, text PDF or DOCX. Truth files follow bench/corpus/README.md.

usage: uv run python -m bench.corpus_gen OUT_DIR [--n 60] [--seed 1]
"""

from __future__ import annotations

import json
import math
import random
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from bench.gen_cli import run_generator
from tests.extraction.gen import write_pdf  # one minimal PDF writer for the tests and the bench

DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]
FONT_DIR = "/usr/share/fonts/truetype/dejavu/"
FONTS = {  # family: (regular, bold) — the fonts this machine has
    "DejaVu Sans": ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"),
    "DejaVu Serif": ("DejaVuSerif.ttf", "DejaVuSerif-Bold.ttf"),
    "DejaVu Sans Condensed": ("DejaVuSansCondensed.ttf", "DejaVuSansCondensed-Bold.ttf"),
    "DejaVu Serif Condensed": ("DejaVuSerifCondensed.ttf", "DejaVuSerifCondensed-Bold.ttf"),
    "DejaVu Sans Mono": ("DejaVuSansMono.ttf", "DejaVuSansMono-Bold.ttf"),
}
SUBJECTS = [
    "Maths", "English", "Science", "History", "Geography", "French", "Spanish", "German", "Art",
    "Music", "Drama", "PE", "Computing", "Biology", "Chemistry", "Physics", "Religious Studies",
    "Design Technology", "Food Technology", "Citizenship", "Latin", "Economics", "Psychology",
    "Sociology", "Media Studies", "Business Studies", "Statistics", "Literacy", "Numeracy", "PSHE",
    "Further Maths", "Dance", "Library", "Study Skills",
]  # fmt: skip
SURNAMES = ["Rivera", "Okafor", "Nguyen", "Schmidt", "Patel", "Kowalski", "Haddad", "Lindqvist",
            "Moreau", "Tanaka", "Novak", "Brennan", "Achebe", "Silva", "Ferreira", "Dubois"]  # fmt: skip
PASTELS = [(255, 236, 179), (200, 230, 201), (187, 222, 251), (248, 187, 208), (225, 190, 231),
           (255, 204, 188), (178, 235, 242), (240, 244, 195)]  # fmt: skip
LAYOUTS = ["days_cols", "days_rows", "list", "ruleless"]
FORMATS = ["png", "photo", "pdf_scan", "pdf_text", "docx"]


@dataclass
class Style:
    font: str = "DejaVu Sans"
    size: int = 14
    time_fmt: str = "24"  # 24 | 24nz | dot | ampm | ampm_lc | bare12
    dash: str = " - "
    day_fmt: str = "full"  # full | abbr | upper | upper_abbr
    colors: bool = False  # pastel cell fills per subject
    dark_header: bool = False  # white text on a dark header row
    period_labels: bool = True  # "Period 1" above the time
    header_bg: tuple[int, int, int] = (255, 255, 255)


@dataclass
class Week:
    teacher: str
    class_name: str
    days: list[str]
    periods: list[tuple[int, int, str]]  # start and end minutes, label ("1", "Break", "Lunch")
    cells: dict[tuple[int, int], tuple[int, str, str]] = field(
        default_factory=dict
    )  # (d,p): (span, name, code)
    week: str | None = None  # one week of a two-week timetable: its label as printed ("Week A")

    def is_break(self, p: int) -> bool:
        return not self.periods[p][2].isdigit()

    def covered(self) -> set[tuple[int, int]]:
        return {(d, p + k) for (d, p), (n, _, _) in self.cells.items() for k in range(1, n)}

    def truth(self) -> list[dict[str, str]]:
        out = []
        for d, day in enumerate(self.days):
            for p, (s, e, label) in enumerate(self.periods):
                if self.is_break(p):
                    out.append(_block(day, s, e, label))
                elif (d, p) in self.cells:
                    n, name, _ = self.cells[(d, p)]
                    out.append(_block(day, s, self.periods[p + n - 1][1], name))
        return out


def _block(day: str, s: int, e: int, name: str) -> dict[str, str]:
    return {"day": day, "startTime": f"{s // 60:02d}:{s % 60:02d}", "endTime": f"{e // 60:02d}:{e % 60:02d}",
            "name": name}  # fmt: skip


def random_week(rng: random.Random, days: list[str] | None = None) -> Week:
    """A random week; `days` gives other days (a cycle's "Day 1" … "Day 6") than Monday … ."""
    title = rng.choice(["Mr", "Ms", "Mrs", "Dr"])
    teacher = f"{title} {rng.choice('ABCDEFGHJKLMNPRST')}. {rng.choice(SURNAMES)}"
    class_name = f"{rng.randint(5, 11)}{rng.choice('ABCDXYZ')}"
    days = days or DAYS[: rng.choice([5, 5, 5, 6])]
    t = rng.choice([465, 480, 490, 500, 510, 520, 540])  # 07:45 .. 09:00
    periods: list[tuple[int, int, str]] = []
    n = rng.randint(5, 8)
    break_at = rng.randint(2, 3) if n >= 5 else None
    lunch_at = rng.randint(break_at + 2, n) if break_at is not None and n >= 6 else None
    number = 1
    for i in range(n):
        if i == break_at:
            periods.append(
                (t, t + rng.choice([15, 20, 25]), rng.choice(["Break", "Morning Break", "Recess"]))
            )
            t = periods[-1][1]
        if i == lunch_at:
            periods.append((t, t + rng.choice([30, 40, 45, 60]), rng.choice(["Lunch", "Lunch Break"])))
            t = periods[-1][1]
        length = rng.choice([35, 40, 45, 50, 55, 60])
        periods.append((t, t + length, str(number)))
        number += 1
        t += length
    week = Week(teacher, class_name, days, periods)
    lessons = [p for p in range(len(periods)) if not week.is_break(p)]
    for d in range(len(days)):
        p_i = 0
        while p_i < len(lessons):
            p = lessons[p_i]
            if rng.random() < 0.15:
                p_i += 1
                continue  # an empty slot
            nxt = lessons[p_i + 1] if p_i + 1 < len(lessons) else None
            span = 2 if nxt == p + 1 and rng.random() < 0.15 else 1
            code = rng.choice(
                [
                    "",
                    f"R{rng.randint(1, 40)}",
                    f"Rm {rng.randint(1, 40)}",
                    f"{rng.randint(7, 11)}{rng.choice('ABXY')}",
                ]
            )
            week.cells[(d, p)] = (span, rng.choice(SUBJECTS), code)
            p_i += span
    return week


def random_style(rng: random.Random) -> Style:
    return Style(
        font=rng.choice(list(FONTS)),
        size=rng.randint(12, 16),
        time_fmt=rng.choice(["24", "24nz", "dot", "ampm", "ampm_lc", "bare12"]),
        dash=rng.choice([" - ", "-", " – ", "–"]),
        day_fmt=rng.choice(["full", "full", "abbr", "upper", "upper_abbr"]),
        colors=rng.random() < 0.35,
        dark_header=rng.random() < 0.25,
        period_labels=rng.random() < 0.5,
        header_bg=rng.choice([(255, 255, 255), (232, 232, 232), (220, 235, 250)]),
    )


def fmt_time(m: int, style: Style) -> str:
    h, mm = divmod(m, 60)
    h12 = h % 12 or 12
    return {
        "24": f"{h:02d}:{mm:02d}", "24nz": f"{h}:{mm:02d}", "dot": f"{h}.{mm:02d}",
        "ampm": f"{h12}:{mm:02d} {'AM' if h < 12 else 'PM'}",
        "ampm_lc": f"{h12}:{mm:02d}{'am' if h < 12 else 'pm'}",
        "bare12": f"{h12}:{mm:02d}",
    }[style.time_fmt]  # fmt: skip


def fmt_range(s: int, e: int, style: Style) -> str:
    return f"{fmt_time(s, style)}{style.dash}{fmt_time(e, style)}"


def fmt_day(day: str, style: Style) -> str:
    if day not in DAYS:  # a cycle day, "Day 3" or "Day C": as schools print it
        key = day.split()[-1]
        short = key if key.isalpha() else f"D{key}"  # bare "C" over the column, or "D3"
        short = f"DO {key}" if day.startswith("Day Order") else short  # a day order's "DO 3"
        return {"full": day, "abbr": short, "upper": day.upper(), "upper_abbr": short}[style.day_fmt]
    return {"full": day, "abbr": day[:3], "upper": day.upper(), "upper_abbr": day[:3].upper()}[style.day_fmt]


# ---- a canvas in points, drawn by the PNG and PDF backends ----------------------------------------

Colour = tuple[int, int, int]


@dataclass
class Canvas:
    width: float
    height: float
    texts: list[tuple[float, float, str, float, bool, str, Colour]] = field(
        default_factory=list
    )  # x,y,s,size,bold,anchor,rgb
    lines: list[tuple[float, float, float, float]] = field(default_factory=list)
    fills: list[tuple[float, float, float, float, Colour]] = field(default_factory=list)


def _header(cv: Canvas, week: Week, style: Style) -> None:
    cv.texts.append((30, 40, f"Timetable - {week.teacher}", style.size + 8, True, "lm", (0, 0, 0)))
    cv.texts.append(
        (30, 72, f"Class {week.class_name} · Term 1 2026", style.size + 1, False, "lm", (0, 0, 0))
    )
    if week.week:  # at the right of the title, as schools print "WEEK A" over the grid
        cv.texts.append((cv.width - 30, 40, week.week, style.size + 8, True, "rm", (0, 0, 0)))


def table_canvas(week: Week, style: Style, days_cols: bool, rules: bool = True) -> Canvas:
    cw, ch, x0, y0 = 10.5 * style.size + 10, 4.0 * style.size, 30.0, 100.0
    np_, nd = len(week.periods), len(week.days)
    ncols, nrows = (nd + 1, np_ + 1) if days_cols else (np_ + 1, nd + 1)
    cv = Canvas(x0 * 2 + cw * ncols, y0 + ch * nrows + 40)
    _header(cv, week, style)
    s = style.size

    def box(r: int, c: int, r1: int, c1: int) -> tuple[float, float, float, float]:
        return x0 + c * cw, y0 + r * ch, x0 + c1 * cw, y0 + r1 * ch

    def put(
        bx: tuple[float, float, float, float],
        lines: list[tuple[str, float, bool]],
        fill: Colour | None = None,
        ink: Colour = (0, 0, 0),
    ) -> None:
        if fill is not None:
            cv.fills.append((*bx, fill))
        if rules:
            a, b, c, d = bx
            cv.lines.extend([(a, b, c, b), (a, d, c, d), (a, b, a, d), (c, b, c, d)])
        cx, cy = (bx[0] + bx[2]) / 2, (bx[1] + bx[3]) / 2
        top = cy - (len(lines) - 1) * 0.65 * s
        for i, (text, size, bold) in enumerate(lines):
            cv.texts.append((cx, top + i * 1.3 * s, text, size, bold, "mm", ink))

    head_fill, head_ink = (
        ((30, 50, 110), (255, 255, 255)) if style.dark_header else (style.header_bg, (0, 0, 0))
    )
    put(box(0, 0, 1, 1), [("Time" if days_cols else "Day", s, True)], head_fill, head_ink)
    for d, day in enumerate(week.days):
        r, c = (0, d + 1) if days_cols else (d + 1, 0)
        put(box(r, c, r + 1, c + 1), [(fmt_day(day, style), s, True)], head_fill if days_cols else None,
            head_ink if days_cols else (0, 0, 0))  # fmt: skip
    colours = {
        name: PASTELS[i % len(PASTELS)] for i, name in enumerate(sorted({v[1] for v in week.cells.values()}))
    }
    for p, (ps, pe, label) in enumerate(week.periods):
        r, c = (p + 1, 0) if days_cols else (0, p + 1)
        lines = [(fmt_range(ps, pe, style), s - 2, False)]
        if label.isdigit() and style.period_labels:
            lines.insert(0, (f"Period {label}", s - 1, True))
        put(box(r, c, r + 1, c + 1), lines, head_fill if not days_cols else None,
            head_ink if not days_cols else (0, 0, 0))  # fmt: skip
    covered = week.covered()
    for p in range(np_):
        if week.is_break(p):
            r, c = (p + 1, 1) if days_cols else (1, p + 1)
            r1, c1 = (r + 1, nd + 1) if days_cols else (nd + 1, c + 1)
            put(box(r, c, r1, c1), [(week.periods[p][2], s, True)], (235, 235, 235))
            continue
        for d in range(nd):
            if (d, p) in covered:
                continue
            r, c = (p + 1, d + 1) if days_cols else (d + 1, p + 1)
            n, name, code = week.cells.get((d, p), (1, "", ""))
            r1, c1 = (r + n, c + 1) if days_cols else (r + 1, c + n)
            lines = [(name, s, True)] + ([(code, s - 2, False)] if code and name else [])
            put(
                box(r, c, r1, c1), lines if name else [], colours.get(name) if style.colors and name else None
            )
    return cv


def list_canvas(week: Week, style: Style) -> Canvas:
    s = style.size
    cv = Canvas(12 * s + 320, 0)
    _header(cv, week, style)
    y = 110.0
    for d, day in enumerate(week.days):
        cv.texts.append((30, y, fmt_day(day, style), s + 2, True, "lm", (0, 0, 0)))
        y += 1.9 * s
        for p, (ps, pe, label) in enumerate(week.periods):
            if week.is_break(p):
                name, code, end = label, "", pe
            elif (d, p) in week.cells:
                n, name, code = week.cells[(d, p)]
                end = week.periods[p + n - 1][1]
            else:
                continue
            cv.texts.append((30, y, fmt_range(ps, end, style), s, False, "lm", (0, 0, 0)))
            cv.texts.append((30 + 11 * s, y, f"{name} ({code})" if code else name, s, False, "lm", (0, 0, 0)))
            y += 1.6 * s
        y += s
    cv.height = y + 30
    return cv


def render_png(cv: Canvas, style: Style, scale: float = 1.6) -> Image.Image:
    im = Image.new("RGB", (round(cv.width * scale), round(cv.height * scale)), "white")
    dr = ImageDraw.Draw(im)
    for a, b, c, d, rgb in cv.fills:
        dr.rectangle([a * scale, b * scale, c * scale, d * scale], fill=rgb)
    for a, b, c, d in cv.lines:
        dr.line([a * scale, b * scale, c * scale, d * scale], fill=(50, 50, 50), width=max(1, round(scale)))
    for x, y, text, size, is_bold, anchor, rgb in cv.texts:
        font = ImageFont.truetype(font_file(style.font, is_bold), round(size * scale))
        dr.text((x * scale, y * scale), text, font=font, fill=rgb, anchor=anchor)
    return im


def font_file(font: str, bold: bool) -> str:
    """The file of a family of FONTS, or of any installed face bench/fonts.py lists."""
    if font in FONTS:
        return FONT_DIR + FONTS[font][bold]
    from bench.fonts import face_file

    return face_file(font, bold)


def render_pdf(cv: Canvas, path: Path) -> None:
    """A one-page text PDF: Helvetica (widths estimated), RGB fills and text, stroked rules."""
    write_pdf(path, cv.width, cv.height, pdf_stream(cv))


def fortnight(first: Week, labels: tuple[str, str] = ("Week A", "Week B")) -> tuple[Week, Week]:
    """A two-week timetable: `first` and a second week on the same days and periods with its
    lessons in other places (the names moved round by one), each labelled as printed."""
    cells = list(first.cells.items())
    names = [cell[1] for _, cell in cells]
    moved = {key: (span, names[(i + 1) % len(names)], code) for i, (key, (span, _, code)) in enumerate(cells)}
    a = Week(first.teacher, first.class_name, first.days, first.periods, dict(first.cells), labels[0])
    return a, Week(first.teacher, first.class_name, first.days, first.periods, moved, labels[1])


def pages_pdf(canvases: list[Canvas], path: Path) -> Path:
    """A text PDF of several pages, one canvas each (a two-week timetable: a page per week)."""
    doc = pdfium.PdfDocument.new()
    for n, cv in enumerate(canvases):
        page = path.with_name(f"{path.stem}.page{n}.pdf")
        render_pdf(cv, page)
        doc.import_pages(pdfium.PdfDocument(str(page)))
        page.unlink()
    doc.save(str(path))
    return path


def pdf_stream(cv: Canvas, keep_dashes: bool = False) -> bytes:
    """The page's drawing operators (fonts /F1 regular, /F2 bold); en dashes become hyphens unless
    keep_dashes (then the text is WinAnsi-encoded, where the en dash exists)."""
    h = cv.height
    ops = ["0.6 w"]
    for a, b, c, d, (r, g, bl) in cv.fills:
        ops.append(
            f"{r / 255:.3f} {g / 255:.3f} {bl / 255:.3f} rg {a:.2f} {h - d:.2f} {c - a:.2f} {d - b:.2f} re f"
        )
    ops.append("0 0 0 RG")
    for a, b, c, d in cv.lines:
        ops.append(f"{a:.2f} {h - b:.2f} m {c:.2f} {h - d:.2f} l S")
    for x, y, text, size, bold, anchor, (r, g, bl) in cv.texts:
        text = text.replace("·", "-") if keep_dashes else text.replace("·", "-").replace("–", "-")
        width = 0.52 * size * len(text)
        x0 = x if anchor == "lm" else x - width if anchor == "rm" else x - width / 2
        esc = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        ops.append(f"{r / 255:.3f} {g / 255:.3f} {bl / 255:.3f} rg BT /{'F2' if bold else 'F1'} {size} Tf "
                   f"{x0:.2f} {h - y - size * 0.35:.2f} Td ({esc}) Tj ET")  # fmt: skip
    return "\n".join(ops).encode("cp1252" if keep_dashes else "latin-1")


# ---- degradations ---------------------------------------------------------------------------------


def photograph(im: Image.Image, rng: random.Random) -> Image.Image:
    """A phone photo of the printed page: on a desk, in perspective, with a shadow, blur and noise."""
    import cv2

    page = np.asarray(im.convert("RGB")).astype(np.float32)
    h, w = page.shape[:2]
    pad = int(0.18 * max(w, h))
    desk = np.array(
        rng.choice([(70, 55, 40), (120, 100, 80), (150, 140, 130), (60, 60, 65), (170, 160, 150)]), np.float32
    )
    W, H = w + 2 * pad, h + 2 * pad
    jit = 0.06 * min(w, h)
    src = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
    dst = np.float32([[pad + rng.uniform(-jit, jit), pad + rng.uniform(-jit, jit)],
                      [pad + w + rng.uniform(-jit, jit), pad + rng.uniform(-jit, jit)],
                      [pad + w + rng.uniform(-jit, jit), pad + h + rng.uniform(-jit, jit)],
                      [pad + rng.uniform(-jit, jit), pad + h + rng.uniform(-jit, jit)]])  # fmt: skip
    m = cv2.getPerspectiveTransform(src, dst)
    out = cv2.warpPerspective(page, m, (W, H), borderMode=cv2.BORDER_CONSTANT, borderValue=(-1, -1, -1))
    mask = out[..., 0] < 0
    out[mask] = desk
    out += (
        np.random.default_rng(rng.randint(0, 2**31)).normal(0, 6, (H, W, 1)).astype(np.float32)
        * 3
        * mask[..., None]
    )
    # Light falling off across the sheet, sometimes a hard shadow edge.
    yy, xx = np.mgrid[0:H, 0:W].astype(np.float32)
    angle = rng.uniform(0, 2 * math.pi)
    grad = (xx * math.cos(angle) + yy * math.sin(angle)) / max(W, H)
    light = 1.0 - rng.uniform(0.1, 0.35) * (grad - grad.min()) / (np.ptp(grad) + 1e-6)
    if rng.random() < 0.4:
        light *= np.where(xx * math.sin(angle) - yy * math.cos(angle) > rng.uniform(-0.2, 0.2) * W, 0.78, 1.0)
    out *= light[..., None] * rng.uniform(0.85, 1.0)
    out += np.random.default_rng(rng.randint(0, 2**31)).normal(0, rng.uniform(2, 7), out.shape)
    photo = Image.fromarray(np.clip(out, 0, 255).astype(np.uint8))
    photo = photo.filter(ImageFilter.GaussianBlur(rng.uniform(0.4, 1.3)))
    long_side = rng.randint(1300, 2600)
    s = long_side / max(photo.size)
    return photo.resize((round(photo.width * s), round(photo.height * s)), Image.LANCZOS)


def scan(im: Image.Image, rng: random.Random) -> Image.Image:
    grey = im.convert("L").rotate(rng.uniform(-1.5, 1.5), resample=Image.BICUBIC, expand=True, fillcolor=255)
    arr = np.asarray(grey).astype(np.float32)
    arr += np.random.default_rng(rng.randint(0, 2**31)).normal(0, rng.uniform(3, 10), arr.shape)
    arr = arr * rng.uniform(0.9, 1.0) + rng.uniform(0, 15)
    return Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8)).filter(
        ImageFilter.GaussianBlur(rng.uniform(0.2, 0.7))
    )


# ---- DOCX -----------------------------------------------------------------------------------------


def write_docx(week: Week, style: Style, layout: str, path: Path) -> None:
    from docx import Document
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    doc = Document()
    doc.add_heading(f"Timetable - {week.teacher}", 1)
    doc.add_paragraph(f"Class {week.class_name}")
    if layout == "list":
        for d, day in enumerate(week.days):
            doc.add_heading(fmt_day(day, style), 2)
            for p, (ps, pe, label) in enumerate(week.periods):
                if week.is_break(p):
                    doc.add_paragraph(f"{fmt_range(ps, pe, style)}\t{label}")
                elif (d, p) in week.cells:
                    n, name, code = week.cells[(d, p)]
                    end = week.periods[p + n - 1][1]
                    doc.add_paragraph(f"{fmt_range(ps, end, style)}\t{name}" + (f" ({code})" if code else ""))
        doc.save(path)
        return
    days_cols = layout != "days_rows"
    np_, nd = len(week.periods), len(week.days)
    t = doc.add_table(rows=np_ + 1 if days_cols else nd + 1, cols=nd + 1 if days_cols else np_ + 1)
    t.style = "Table Grid"

    def at(d: int, p: int) -> tuple[int, int]:
        return (p + 1, d + 1) if days_cols else (d + 1, p + 1)

    def shade(cell, rgb: Colour) -> None:  # noqa: ANN001
        tc_pr = cell._tc.get_or_add_tcPr()
        shd = OxmlElement("w:shd")
        shd.set(qn("w:val"), "clear")
        shd.set(qn("w:fill"), "".join(f"{v:02X}" for v in rgb))
        tc_pr.append(shd)

    t.cell(0, 0).text = "Time" if days_cols else "Day"
    for d, day in enumerate(week.days):
        r, c = (0, d + 1) if days_cols else (d + 1, 0)
        t.cell(r, c).text = fmt_day(day, style)
    for p, (ps, pe, label) in enumerate(week.periods):
        r, c = (p + 1, 0) if days_cols else (0, p + 1)
        t.cell(r, c).text = (
            f"Period {label}\n" if label.isdigit() and style.period_labels else ""
        ) + fmt_range(ps, pe, style)
    for p in range(np_):
        if week.is_break(p):
            cell = t.cell(*at(0, p)).merge(t.cell(*at(nd - 1, p)))
            cell.text = week.periods[p][2]
    for (d, p), (n, name, code) in week.cells.items():
        cell = t.cell(*at(d, p)).merge(t.cell(*at(d, p + n - 1))) if n > 1 else t.cell(*at(d, p))
        cell.text = name
        if code:
            cell.add_paragraph(code)
        if style.colors:
            shade(cell, PASTELS[sum(map(ord, name)) % len(PASTELS)])
    doc.save(path)


# ---- a corpus -------------------------------------------------------------------------------------


def make_document(out: Path, index: int, layout: str, fmt: str, rng: random.Random) -> Path:
    week, style = random_week(rng), random_style(rng)
    if fmt == "docx" and layout == "ruleless":
        layout = "days_cols"  # Word tables always have cells; rule-less means no borders, same reading
    if fmt in ("pdf_text",):
        style.dark_header = False  # the minimal PDF writer draws text colour; kept simple
    stem = f"{index:03d}_{layout}_{fmt}"
    ext = {"png": ".png", "photo": ".jpg", "pdf_scan": ".pdf", "pdf_text": ".pdf", "docx": ".docx"}[fmt]
    path = out / (stem + ext)
    if fmt == "docx":
        write_docx(week, style, layout, path)
    else:
        if layout == "list":
            cv = list_canvas(week, style)
        else:
            cv = table_canvas(week, style, days_cols=layout != "days_rows", rules=layout != "ruleless")
        if fmt == "pdf_text":
            render_pdf(cv, path)
        else:
            im = render_png(cv, style, scale=rng.uniform(1.3, 2.0))
            if fmt == "png":
                im.save(path)
            elif fmt == "photo":
                photograph(im, rng).save(path, quality=rng.randint(70, 92))
            else:
                scan(im, rng).save(path, "PDF", resolution=rng.choice([150, 200]))
    truth = {
        "file": path.name, "family": layout, "format": fmt, "layout": layout, "teacher": week.teacher,
        "className": week.class_name, "style": asdict(style), "timeblocks": week.truth(),
    }  # fmt: skip
    (out / f"{stem}.truth.json").write_text(json.dumps(truth, indent=1))
    return path


def make_corpus(out: Path, n: int = 60, seed: int = 1, formats: list[str] | None = None) -> list[Path]:
    """n documents cycling through every layout and format, so each pair is represented."""
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    fmts = formats or FORMATS
    paths = []
    for i in range(n):
        layout = LAYOUTS[i % len(LAYOUTS)]
        fmt = fmts[(i // len(LAYOUTS)) % len(fmts)] if len(fmts) > 1 else fmts[0]
        paths.append(make_document(out, i, layout, fmt, rng))
    return paths


def main() -> None:
    run_generator(make_corpus, 60, FORMATS)


if __name__ == "__main__":
    main()
