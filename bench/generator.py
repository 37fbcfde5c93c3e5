"""The randomised generator: every property of a timetable document sampled independently.

A document is a random week (bench/corpus_gen.random_week: 5-6 days, 5-8 periods, breaks and lunch,
double periods, empty slots) drawn with properties drawn one by one, each over its whole range:
the installed font face (bench/fonts.py: serif, sans, condensed, mono, handwriting where installed),
9-18 pt, rules (all / none / inner / horizontal / outer), a header band from light to dark, cell
fills (none / pastel / saturated) with black or white text, wide or narrow columns (narrow wraps
headers, cells and times at their spaces), the time format and its dash (en dash, hyphen, "to"),
times over two lines, one to three time columns, a legend (codes in cells, names in a key), the
week's first day (Mon / Sat / Sun), day names (Monday, Mon, MON, Mo), period labels (none, 1,
Period 1, I, A), the layout (days as columns or rows, a day-by-day list continued over pages in the
paged formats, gen_records's one row per lesson, gen_calendar's week view in the image formats), a
page theme for pictures of tables (light, or gen_dark's dark mode, chalkboard, white on colour);
written as text PDF, DOCX, PNG, scanned PDF or phone photo (the rendering of bench/corpus_gen.py
and of the older generators, bench/generator_layouts.py). Each truth file follows
bench/corpus/README.md and carries the sampled `properties`, so bench/run_bench.py can break
F1 down by property value ("n/a" where a property does not apply to the layout or format).

Seeds below 1000 are for development, 1000 and above held out (bench/split.py).

usage: uv run python -m bench.generator OUT_DIR [--n 40] [--seed 1] [--formats pdf_text,docx,...]
"""

from __future__ import annotations

import colorsys
import json
import random
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PIL import Image

from bench.corpus_gen import Canvas, Style, Week, pdf_stream, random_week, render_png, scan
from bench.fonts import base14, face_class, faces, text_width
from bench.gen_cli import run_generator
from bench.generator_layouts import THEMES, calendar_document, records_document, save_image, themed_image
from tests.extraction.gen import assemble_pdf

Colour = tuple[int, int, int]
BLACK, WHITE = (0, 0, 0), (255, 255, 255)
FORMATS = ["pdf_text", "docx", "png", "pdf_scan", "photo"]
PAGED = {"pdf_text", "docx", "pdf_scan"}
IMAGES = {"png", "photo", "pdf_scan"}
WEEK = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
DASHES = {"en": " – ", "en_tight": "–", "hyphen": " - ", "hyphen_tight": "-", "to": " to "}
ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]


# ---- the properties -------------------------------------------------------------------------------


def sample_properties(rng: random.Random, fmt: str) -> dict[str, Any]:
    """Every property drawn on its own; the format is given (the corpus cycles through them)."""
    layouts = ["days_cols", "days_cols", "days_rows", "days_rows", "list", "records"]
    layout = rng.choice(layouts + (["calendar"] if fmt in IMAGES else []))
    props: dict[str, Any] = {
        "format": fmt,
        "layout": layout,
        "font": rng.choice(sorted(faces())),
        "size": rng.randint(9, 18),
        "rules": rng.choice(["all", "none", "inner", "horizontal", "outer"]),
        "header_band": rng.choice(["none", "light", "mid", "dark"]),
        "fills": rng.choice(["none", "pastel", "saturated"]),
        "cell_ink": rng.choice(["black", "white"]),
        "columns": rng.choice(["wide", "narrow"]),
        "time_format": rng.choice(["24", "24nz", "dot", "ampm", "ampm_lc", "ampm_dot_lc"]),
        "dash": rng.choice(list(DASHES)),
        "time_two_lines": rng.random() < 0.3,
        "time_columns": rng.choice([1, 1, 2, 3]),
        "legend": rng.random() < 0.25,
        "week_start": rng.choice(["Mon", "Mon", "Sat", "Sun"]),
        "day_format": rng.choice(["full", "abbr", "upper", "upper_abbr", "two"]),
        "period_labels": rng.choice(["none", "number", "period_n", "roman", "letter"]),
        "continued": rng.random() < 0.5,
        "codes": rng.random() < 0.5,  # a room or group line under the subject
        "theme": rng.choice(["light"] * 4 + THEMES),
    }
    props["font_class"] = face_class(props["font"])
    props["size_band"] = "9-11" if props["size"] <= 11 else "12-14" if props["size"] <= 14 else "15-18"
    if props["fills"] != "saturated":
        props["cell_ink"] = "black" if props["fills"] == "pastel" else "n/a"  # white on pastel is unreadable
    if layout == "list":  # a list's times run on one line: wrapping is a narrow table's
        for k in ("rules", "fills", "cell_ink", "columns", "time_columns", "time_two_lines"):
            props[k] = "n/a"
    if layout != "list" or fmt not in PAGED:
        props["continued"] = "n/a"
    if layout not in ("days_cols", "days_rows") or fmt not in ("png", "photo"):
        props["theme"] = "n/a"  # gen_dark's themes are screens and pictures of tables
    elif props["theme"] != "light":
        props.update(header_band="theme", fills="theme", cell_ink="n/a")  # the theme's colours
    return props


@dataclass
class Look:
    """What the properties mean in colours and strings."""

    band: Colour | None
    band_ink: Colour
    fills: list[Colour] = field(default_factory=list)
    cell_ink: Colour = BLACK
    narrow: float = 0.6  # a narrow column's width, as a part of its longest line


def make_look(props: dict[str, Any], rng: random.Random) -> Look:
    hue = rng.random()
    band = {
        "none": None,
        "theme": (200, 200, 200),  # recoloured by the theme
        "light": _hsv(hue, rng.uniform(0.0, 0.25), rng.uniform(0.88, 0.97)),
        "mid": _hsv(hue, rng.uniform(0.3, 0.6), rng.uniform(0.6, 0.8)),
        "dark": _hsv(hue, rng.uniform(0.3, 0.9), rng.uniform(0.15, 0.45)),
    }[props["header_band"]]
    band_ink = WHITE if band is not None and _luma(band) < 140 else BLACK
    fills = []
    if props["fills"] in ("pastel", "saturated", "theme"):
        sat, val = (
            ((0.6, 1.0), (0.45, 0.85)) if props["fills"] == "saturated" else ((0.15, 0.35), (0.92, 1.0))
        )
        start = rng.random()
        fills = [_hsv((start + k * 0.13) % 1, rng.uniform(*sat), rng.uniform(*val)) for k in range(12)]
    narrow = rng.uniform(0.4, 0.75)
    return Look(band, band_ink, fills, WHITE if props["cell_ink"] == "white" else BLACK, narrow)


def _hsv(h: float, s: float, v: float) -> Colour:
    r, g, b = colorsys.hsv_to_rgb(h, s, v)
    return round(r * 255), round(g * 255), round(b * 255)


def _luma(c: Colour) -> float:
    return 0.299 * c[0] + 0.587 * c[1] + 0.114 * c[2]


def fmt_time(m: int, props: dict[str, Any]) -> str:
    h, mm = divmod(m, 60)
    h12, am = h % 12 or 12, h < 12
    return {
        "24": f"{h:02d}:{mm:02d}", "24nz": f"{h}:{mm:02d}", "dot": f"{h}.{mm:02d}",
        "ampm": f"{h12}:{mm:02d} {'AM' if am else 'PM'}", "ampm_lc": f"{h12}:{mm:02d}{'am' if am else 'pm'}",
        "ampm_dot_lc": f"{h12}.{mm:02d}{'am' if am else 'pm'}",
    }[props["time_format"]]  # fmt: skip


def time_lines(s: int, e: int, props: dict[str, Any]) -> list[str]:
    """A range as printed: one line, or two with the dash (or "to") ending the first."""
    dash = DASHES[props["dash"]]
    if props["time_two_lines"] is True:
        return [f"{fmt_time(s, props)}{dash.rstrip()}", fmt_time(e, props)]
    return [f"{fmt_time(s, props)}{dash}{fmt_time(e, props)}"]


def fmt_day(day: str, props: dict[str, Any]) -> str:
    f = props["day_format"]
    return {
        "full": day,
        "abbr": day[:3],
        "upper": day.upper(),
        "upper_abbr": day[:3].upper(),
        "two": day[:2],
    }[f]


def period_label(number: int, props: dict[str, Any]) -> str | None:
    f = props["period_labels"]
    if f == "none":
        return None
    return {"number": str(number), "period_n": f"Period {number}", "roman": ROMAN[(number - 1) % 10],
            "letter": "ABCDEFGHIJ"[(number - 1) % 10]}[f]  # fmt: skip


def subject_codes(names: list[str]) -> dict[str, str]:
    """A short unique code per subject ("Maths" MA, "Design Technology" DT) for the legend."""
    codes: dict[str, str] = {}
    for name in sorted(names):
        words = name.split()
        tries = ["".join(w[0] for w in words).upper()] if len(words) > 1 else []
        tries += [name[:2].upper(), name[:3].upper(), name[0] + name[-1].upper(), name[:4].upper()]
        codes[name] = next((t for t in tries if t not in codes.values()), name.upper())
    return codes


def week_for(props: dict[str, Any], rng: random.Random) -> Week:
    """corpus_gen's random week, its days starting on the sampled first day."""
    week = random_week(rng)
    first = {"Mon": 0, "Sat": 5, "Sun": 6}[props["week_start"]]
    week.days = [WEEK[(first + k) % 7] for k in range(len(week.days))]
    return week


# ---- a table in cells, laid out once for every format ---------------------------------------------


@dataclass
class Cell:
    r: int
    c: int
    rs: int
    cs: int
    lines: list[tuple[str, float, bool]]  # text, size, bold
    fill: Colour | None = None
    ink: Colour = BLACK
    shade_key: str = ""  # which cells share a colour


def table_cells(week: Week, props: dict[str, Any], look: Look, codes: dict[str, str]) -> list[Cell]:
    """The grid with days as columns (time columns before each group of days), then turned when the
    layout has days as rows."""
    s = float(props["size"])
    nd, np_ = len(week.days), len(week.periods)
    groups = max(1, min(int(props["time_columns"]), nd))
    per = -(-nd // groups)
    col_of_day, time_cols, c = {}, [], 0
    for d in range(nd):
        if d % per == 0:
            time_cols.append(c)
            c += 1
        col_of_day[d] = c
        c += 1
    cells: list[Cell] = []
    band = look.band
    for tc in time_cols:
        cells.append(Cell(0, tc, 1, 1, [("Time", s, True)], band, look.band_ink))
        number = 0
        for p, (ps, pe, label) in enumerate(week.periods):
            lines = [(t, s - 1, False) for t in time_lines(ps, pe, props)]
            if label.isdigit():
                number += 1
                if (lab := period_label(number, props)) is not None:
                    lines.insert(0, (lab, s, True))
            cells.append(Cell(p + 1, tc, 1, 1, lines, band, look.band_ink))
    for d, day in enumerate(week.days):
        cells.append(Cell(0, col_of_day[d], 1, 1, [(fmt_day(day, props), s, True)], band, look.band_ink))
    names = sorted({v[1] for v in week.cells.values()})
    colour = {n: look.fills[i % len(look.fills)] for i, n in enumerate(names)} if look.fills else {}
    covered = week.covered()
    for p in range(np_):
        if week.is_break(p):
            for g, tc in enumerate(time_cols):
                first = tc + 1
                last = time_cols[g + 1] - 1 if g + 1 < len(time_cols) else c - 1
                fill = (228, 228, 228) if look.fills else None
                cells.append(Cell(p + 1, first, 1, last - first + 1, [(week.periods[p][2], s, True)], fill))
            continue
        for d in range(nd):
            if (d, p) in covered:
                continue
            if (d, p) not in week.cells:  # an empty slot keeps its box (the rules draw around it)
                cells.append(Cell(p + 1, col_of_day[d], 1, 1, []))
                continue
            n, name, code = week.cells[(d, p)]
            shown = codes.get(name, name)
            lines = [(shown, s, True)] + ([(code, s - 2, False)] if code and props["codes"] else [])
            fill = colour.get(name)
            ink = look.cell_ink if fill is not None else BLACK
            cells.append(Cell(p + 1, col_of_day[d], n, 1, lines, fill, ink, name))
    if props["layout"] == "days_rows":
        cells = [Cell(x.c, x.r, x.cs, x.rs, x.lines, x.fill, x.ink, x.shade_key) for x in cells]
    return cells


def units(text: str) -> list[str]:
    """The pieces a line may wrap between: words, a clock time kept with its AM or PM."""
    return re.split(r" (?!(?:AM|PM|am|pm)\b)", text)


def wrap(text: str, width: float, face: str, size: float, bold: bool) -> list[str]:
    """Greedy wrapping between units; a unit wider than the width stays whole."""
    out: list[str] = []
    for word in units(text):
        if out and text_width(f"{out[-1]} {word}", face, size, bold) <= width + 0.01:
            out[-1] = f"{out[-1]} {word}"
        else:
            out.append(word)
    return out or [""]


@dataclass
class Laid:
    """The table's geometry in points: column edges, row edges, cells with their wrapped lines."""

    xs: list[float]
    ys: list[float]
    cells: list[Cell]


def lay_out(cells: list[Cell], props: dict[str, Any], x0: float, y0: float, narrow: float = 0.6) -> Laid:
    """Columns as wide as their longest line (wide), or a `narrow` part of it but no narrower than
    their longest word (narrow: text wraps); rows as tall as their most-lined cell."""
    face, pad = props["font"], 0.8 * float(props["size"])
    ncols = max(x.c + x.cs for x in cells)
    nrows = max(x.r + x.rs for x in cells)
    need = [3.0 * pad] * ncols
    for x in cells:
        if x.cs == 1:
            for text, size, bold in x.lines:
                line = text_width(text, face, size, bold)
                if props["columns"] == "narrow":
                    word = max(text_width(u, face, size, bold) for u in units(text))
                    line = max(word, narrow * line)
                need[x.c] = max(need[x.c], line + 2 * pad)
    xs = [x0]
    for w in need:
        xs.append(xs[-1] + w)
    wrapped = []
    for x in cells:
        width = xs[x.c + x.cs] - xs[x.c] - 2 * pad
        lines = [
            (part, size, bold) for text, size, bold in x.lines for part in wrap(text, width, face, size, bold)
        ]
        wrapped.append(Cell(x.r, x.c, x.rs, x.cs, lines, x.fill, x.ink, x.shade_key))
    tall = [1.3 * float(props["size"]) + pad] * nrows
    for x in wrapped:
        if x.rs == 1:
            tall[x.r] = max(tall[x.r], sum(1.25 * size for _, size, _ in x.lines) + pad)
    ys = [y0]
    for t in tall:
        ys.append(ys[-1] + t)
    return Laid(xs, ys, wrapped)


def rules_of(laid: Laid, mode: str) -> list[tuple[float, float, float, float]]:
    """The lines the rules property draws around the laid-out cells."""
    left, right, top, bottom = laid.xs[0], laid.xs[-1], laid.ys[0], laid.ys[-1]
    if mode == "none":
        return []
    if mode == "outer":
        return [(left, top, right, top), (left, bottom, right, bottom), (left, top, left, bottom),
                (right, top, right, bottom)]  # fmt: skip
    out = []
    for x in laid.cells:
        a, b, c, d = laid.xs[x.c], laid.ys[x.r], laid.xs[x.c + x.cs], laid.ys[x.r + x.rs]
        edges = [(a, b, c, b), (a, d, c, d)] + ([] if mode == "horizontal" else [(a, b, a, d), (c, b, c, d)])
        if mode == "inner":
            edges = [e for e in edges if not _on_frame(e, left, right, top, bottom)]
        out.extend(edges)
    return out


def _on_frame(
    e: tuple[float, float, float, float], left: float, right: float, top: float, bottom: float
) -> bool:
    a, b, c, d = e
    return (b == d and b in (top, bottom)) or (a == c and a in (left, right))


def _header(cv: Canvas, week: Week, props: dict[str, Any]) -> None:
    s = float(props["size"])
    cv.texts.append((30, 40, f"Timetable - {week.teacher}", s + 6, True, "lm", BLACK))
    cv.texts.append((30, 44 + 2 * s, f"Class {week.class_name} · Term 1 2026", s + 1, False, "lm", BLACK))


def _legend_lines(codes: dict[str, str]) -> list[str]:
    return [f"{code} = {name}" for name, code in sorted(codes.items(), key=lambda kv: kv[1])]


def table_canvas(week: Week, props: dict[str, Any], look: Look, codes: dict[str, str]) -> Canvas:
    s = float(props["size"])
    laid = lay_out(table_cells(week, props, look, codes), props, 30.0, 70 + 3 * s, look.narrow)
    cv = Canvas(laid.xs[-1] + 30, laid.ys[-1] + 40)
    _header(cv, week, props)
    for x in laid.cells:
        box = laid.xs[x.c], laid.ys[x.r], laid.xs[x.c + x.cs], laid.ys[x.r + x.rs]
        if x.fill is not None:
            cv.fills.append((*box, x.fill))
        cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
        heights = [1.25 * size for _, size, _ in x.lines]
        y = cy - sum(heights) / 2
        for (text, size, bold), h in zip(x.lines, heights, strict=True):
            cv.texts.append((cx, y + h / 2, text, size, bold, "mm", x.ink))
            y += h
    cv.lines.extend(rules_of(laid, props["rules"]))
    if codes:
        y = laid.ys[-1] + 1.5 * s
        cv.texts.append((30, y, "Key", s, True, "lm", BLACK))
        per_col = -(-len(codes) // 3)
        col_w = max(text_width(t, props["font"], s) for t in _legend_lines(codes)) + 2 * s
        for i, line in enumerate(_legend_lines(codes)):
            cv.texts.append(
                (30 + (i // per_col) * col_w, y + (1 + i % per_col) * 1.4 * s, line, s, False, "lm", BLACK)
            )
        cv.width = max(cv.width, 60 + 3 * col_w)
        cv.height = y + (per_col + 2) * 1.4 * s
    return cv


# ---- a day-by-day list, in pages ----------------------------------------------------------------


def list_entries(
    week: Week, props: dict[str, Any], codes: dict[str, str]
) -> list[tuple[str, list[str], str]]:
    """("day", [heading], "") and ("entry", time lines, text) in reading order."""
    out: list[tuple[str, list[str], str]] = []
    for d, day in enumerate(week.days):
        out.append(("day", [fmt_day(day, props)], ""))
        for p, (ps, pe, label) in enumerate(week.periods):
            if week.is_break(p):
                out.append(("entry", time_lines(ps, pe, props), label))
            elif (d, p) in week.cells:
                n, name, code = week.cells[(d, p)]
                text = codes.get(name, name) + (f" ({code})" if code and props["codes"] else "")
                out.append(("entry", time_lines(ps, week.periods[p + n - 1][1], props), text))
    return out


def page_breaks(
    entries: list[tuple[str, list[str], str]], props: dict[str, Any], rng: random.Random
) -> list[int]:
    """Where pages start (after index 0): with `continued`, one break inside a day's entries, so the
    next page goes on with that day without naming it again."""
    if props["continued"] is not True:
        return []
    inside = [i for i in range(2, len(entries)) if entries[i][0] == "entry" and entries[i - 1][0] == "entry"]
    middle = [i for i in inside if len(entries) * 0.3 <= i <= len(entries) * 0.75] or inside
    return [rng.choice(middle)] if middle else []


def list_canvases(
    week: Week, props: dict[str, Any], look: Look, codes: dict[str, str], breaks: list[int]
) -> list[Canvas]:
    s = float(props["size"])
    entries = list_entries(week, props, codes)
    face = props["font"]
    time_w = max(text_width(t, face, s) for _, lines, _ in entries[1:] for t in lines) + 2 * s
    text_w = max(text_width(t, face, s) for _, _, t in entries) + 2 * s
    width = 60 + time_w + text_w
    pages, cv, y = [], Canvas(width, 0), 0.0

    def new_page(first: bool) -> None:
        nonlocal cv, y
        cv = Canvas(width, 0)
        pages.append(cv)
        if first:
            _header(cv, week, props)
        y = 70 + 3 * s if first else 40

    new_page(True)
    for i, (kind, lines, text) in enumerate(entries):
        if i in breaks:
            cv.height = y + 40
            new_page(False)
        if kind == "day":
            y += 0.6 * s
            if look.band is not None:
                cv.fills.append((24, y - 0.9 * s, width - 24, y + 0.9 * s, look.band))
            cv.texts.append((30, y, lines[0], s + 2, True, "lm", look.band_ink if look.band else BLACK))
            y += 1.9 * s
            continue
        for k, t in enumerate(lines):
            cv.texts.append((30, y + k * 1.3 * s, t, s, False, "lm", BLACK))
        cv.texts.append((30 + time_w, y, text, s, False, "lm", BLACK))
        y += (len(lines) * 1.3 + 0.4) * s
    if codes:
        y += s
        for line in ["Key"] + _legend_lines(codes):
            cv.texts.append((30, y, line, s, line == "Key", "lm", BLACK))
            y += 1.4 * s
    cv.height = y + 40
    return pages


# ---- writing the formats ----------------------------------------------------------------------------


def write_text_pdf(pages: list[Canvas], face: str, path: Path) -> None:
    """A text PDF, one page per canvas, in the standard font nearest the face (en dashes kept)."""
    regular, bold = base14(face)
    n = len(pages)
    kids = " ".join(f"{3 + 2 * i} 0 R" for i in range(n))
    font1, font2 = 3 + 2 * n, 4 + 2 * n
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", f"<< /Type /Pages /Kids [{kids}] /Count {n} >>".encode()]
    for i, cv in enumerate(pages):
        stream = pdf_stream(cv, keep_dashes=True)
        objs.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {cv.width:.0f} {cv.height:.0f}] "
            f"/Resources << /Font << /F1 {font1} 0 R /F2 {font2} 0 R >> >> "
            f"/Contents {4 + 2 * i} 0 R >>".encode()
        )
        objs.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    for name in (regular, bold):
        objs.append(
            f"<< /Type /Font /Subtype /Type1 /BaseFont /{name} /Encoding /WinAnsiEncoding >>".encode()
        )
    path.write_bytes(assemble_pdf(objs))


def write_images(pages: list[Canvas], props: dict[str, Any], path: Path, rng: random.Random) -> None:
    """PNG or photo of the first page (a picture holds one), or every page scanned into one PDF."""
    if props.get("theme") not in (None, "n/a", "light"):
        save_image(themed_image(pages[0], props, rng), props["format"], path, rng)
        return
    style = Style(font=props["font"], size=int(props["size"]))
    ims = [render_png(cv, style, scale=rng.uniform(1.3, 2.0)) for cv in pages]
    if props["format"] != "pdf_scan" or len(ims) == 1:
        save_image(ims[0], props["format"], path, rng)
        return
    scans: list[Image.Image] = [scan(im, rng) for im in ims]
    scans[0].save(path, "PDF", resolution=rng.choice([150, 200]), save_all=True, append_images=scans[1:])


def write_docx(
    week: Week, props: dict[str, Any], look: Look, codes: dict[str, str], breaks: list[int], path: Path
) -> None:
    """The same document in Word: a table with merged cells, shading, borders by the rules property
    and column widths by the columns property; or the list, with a page break where `breaks` says."""
    from docx import Document
    from docx.shared import Pt

    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.name = props["font"]
    normal.font.size = Pt(int(props["size"]))
    doc.add_heading(f"Timetable - {week.teacher}", 1)
    doc.add_paragraph(f"Class {week.class_name} · Term 1 2026")
    if props["layout"] == "list":
        for i, (kind, lines, text) in enumerate(list_entries(week, props, codes)):
            if i in breaks:
                doc.add_page_break()
            if kind == "day":
                para = doc.add_paragraph()
                para.add_run(lines[0]).bold = True
                if look.band is not None:
                    _shade(para._p.get_or_add_pPr(), look.band)
                    _ink(para.runs[0], look.band_ink)
            else:
                doc.add_paragraph("\n".join(lines) + f"\t{text}")
    else:
        cells = table_cells(week, props, look, codes)
        nrows, ncols = max(x.r + x.rs for x in cells), max(x.c + x.cs for x in cells)
        t = doc.add_table(rows=nrows, cols=ncols)
        _borders(t, props["rules"])
        for x in cells:
            cell = t.cell(x.r, x.c)
            if x.rs > 1 or x.cs > 1:
                cell = cell.merge(t.cell(x.r + x.rs - 1, x.c + x.cs - 1))
            cell.text = ""
            para = cell.paragraphs[0]
            for k, (text, _size, bold) in enumerate(x.lines):
                if k:
                    para = cell.add_paragraph()
                run = para.add_run(text)
                run.bold = bold
                _ink(run, x.ink)
            if x.fill is not None:
                _shade(cell._tc.get_or_add_tcPr(), x.fill)
        if props["columns"] == "narrow":
            for col in t.columns:
                for cell in col.cells:
                    cell.width = Pt(4.5 * int(props["size"]))
    if codes:
        doc.add_paragraph("Key")
        for line in _legend_lines(codes):
            doc.add_paragraph(line)
    doc.save(path)


def _ink(run: Any, rgb: Colour) -> None:
    from docx.shared import RGBColor

    if rgb != BLACK:
        run.font.color.rgb = RGBColor(*rgb)


def _shade(props_el: Any, rgb: Colour) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:fill"), "".join(f"{v:02X}" for v in rgb))
    props_el.append(shd)


def _borders(table: Any, mode: str) -> None:
    """Word's table borders for the rules property (no table style: nothing drawn but these)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    drawn = {
        "all": {"top", "left", "bottom", "right", "insideH", "insideV"},
        "none": set(),
        "inner": {"insideH", "insideV"},
        "horizontal": {"top", "bottom", "insideH"},
        "outer": {"top", "left", "bottom", "right"},
    }[mode]
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "single" if edge in drawn else "nil")
        if edge in drawn:
            el.set(qn("w:sz"), "4")
            el.set(qn("w:color"), "000000")
        borders.append(el)
    tbl_pr.append(borders)


# ---- a corpus -----------------------------------------------------------------------------------------


EXT = {"pdf_text": ".pdf", "docx": ".docx", "png": ".png", "pdf_scan": ".pdf", "photo": ".jpg"}


def make_document(out: Path, index: int, fmt: str, rng: random.Random) -> Path:
    """One document and its truth (NAME.truth.json, with the sampled `properties`)."""
    props = sample_properties(rng, fmt)
    look = make_look(props, rng)
    week = week_for(props, rng)
    codes = subject_codes(sorted({v[1] for v in week.cells.values()})) if props["legend"] else {}
    breaks: list[int] = []
    if props["layout"] == "list":
        breaks = page_breaks(list_entries(week, props, codes), props, rng)
    stem = f"g{index:03d}_{props['layout']}_{fmt}"
    path = out / (stem + EXT[fmt])
    teacher, class_name, blocks = week.teacher, week.class_name, week.truth()
    if props["layout"] == "records":
        teacher = class_name = ""
        blocks = records_document(props, rng, path, lambda pages, p: _write_pages(pages, props, p, rng))
    elif props["layout"] == "calendar":
        teacher = class_name = ""
        blocks = calendar_document(props, rng, path)
    elif fmt == "docx":
        write_docx(week, props, look, codes, breaks, path)
    else:
        if props["layout"] == "list":
            pages = list_canvases(week, props, look, codes, breaks)
        else:
            pages = [table_canvas(week, props, look, codes)]
        _write_pages(pages, props, path, rng)
    truth = {
        "file": path.name, "family": "random", "format": fmt, "layout": props["layout"],
        "teacher": teacher, "className": class_name, "properties": props, "timeblocks": blocks,
    }  # fmt: skip
    (out / f"{stem}.truth.json").write_text(json.dumps(truth, indent=1))
    return path


def _write_pages(pages: list[Canvas], props: dict[str, Any], path: Path, rng: random.Random) -> None:
    if props["format"] == "pdf_text":
        write_text_pdf(pages, props["font"], path)
    else:
        write_images(pages, props, path, rng)


def make_corpus(out: Path, n: int = 40, seed: int = 1, formats: list[str] | None = None) -> list[Path]:
    """n documents cycling through the formats; everything else sampled per document."""
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    fmts = formats or FORMATS
    return [make_document(out, i, fmts[i % len(fmts)], rng) for i in range(n)]


def main() -> None:
    run_generator(make_corpus, 40, FORMATS)


if __name__ == "__main__":
    main()
