"""Timetables drawn light on dark: a chalkboard picture, a dark-mode app screenshot, white text on
strongly coloured or bright cells. Written as PNG or phone photo, with truth as bench/corpus/README.md says.

The week and the table geometry come from bench/corpus_gen.py; only the drawing differs. A chalkboard
prints its period times on two lines ("8.00" over "8.55") and "-" in empty cells, as school
pictures do; a handwriting-like font is used when this machine has one (else DejaVu).

bench/generator.py (the randomised generator) draws this themes too, with its sampled font, size
and format (bench/generator_layouts.py).

usage: uv run python -m bench.gen_dark OUT_DIR [--n 6] [--seed 1]
"""

from __future__ import annotations

import json
import random
from dataclasses import asdict, dataclass
from functools import cache
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from bench.corpus_gen import Canvas, Style, Week, font_file, photograph, random_week, table_canvas
from bench.fonts import face_class, face_file, faces
from bench.gen_cli import run_generator

Colour = tuple[int, int, int]


@dataclass(frozen=True)
class Theme:
    page: Colour  # the page's background
    ink: Colour  # text drawn straight on the page
    rule: Colour  # grid lines
    cell_ink: Colour = (255, 255, 255)  # text on a filled cell
    fills: tuple[Colour, ...] = ()  # cell colours; empty: cells are not filled
    chalk: bool = False  # chalk texture, two-line times, "-" in empty cells


THEMES = {
    "chalkboard": Theme(page=(36, 76, 56), ink=(236, 236, 226), rule=(200, 162, 70), chalk=True),
    "dark_mode": Theme(page=(30, 31, 36), ink=(222, 224, 230), rule=(78, 80, 92)),
    "white_on_colour": Theme(
        page=(255, 255, 255),
        ink=(20, 20, 20),
        rule=(170, 170, 170),
        fills=((21, 101, 192), (198, 40, 40), (46, 125, 50), (106, 27, 154), (0, 121, 107), (69, 90, 100)),
    ),  # fmt: skip
    # A school system's export: white text on bright cells, as light as the page around them.
    "white_on_bright": Theme(
        page=(255, 255, 255),
        ink=(20, 20, 20),
        rule=(170, 170, 170),
        fills=((245, 124, 0), (124, 179, 66), (240, 98, 146), (149, 117, 205), (38, 166, 154), (255, 160, 0)),
    ),  # fmt: skip
}


@cache
def handwriting_font() -> str | None:
    """Path of an installed handwriting-like font (bench/fonts.py), or None."""
    hands = [face for face in faces() if face_class(face) == "handwriting"]
    return face_file(hands[0], False) if hands else None


def _font(style: Style, bold: bool, theme: Theme, size: int) -> ImageFont.FreeTypeFont:
    hand = handwriting_font() if theme.chalk else None
    if hand:
        return ImageFont.truetype(hand, size)
    return ImageFont.truetype(font_file(style.font, bold), size)


def _fill_colour(rgb: Colour, theme: Theme, order: dict[Colour, int]) -> Colour | None:
    """The canvas's pastel or grey fill drawn in the theme's strong colours (none on dark pages)."""
    if not theme.fills:
        return None
    return theme.fills[order.setdefault(rgb, len(order)) % len(theme.fills)]


def _inside(x: float, y: float, box: tuple[float, float, float, float]) -> bool:
    return box[0] <= x <= box[2] and box[1] <= y <= box[3]


def _chalk_texture(im: Image.Image, rng: random.Random) -> Image.Image:
    """Smudged chalk dust: large soft blotches a little lighter and darker than the board."""
    arr = np.asarray(im).astype(np.float32)
    h, w = arr.shape[:2]
    gen = np.random.default_rng(rng.randint(0, 2**31))
    blot = gen.normal(0, 1, (max(2, h // 40), max(2, w // 40))).astype(np.float32)
    blot = np.asarray(Image.fromarray(blot).resize((w, h), Image.BICUBIC))
    arr += 9 * blot[..., None] + gen.normal(0, 3, arr.shape)
    return Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))


def render_themed(
    cv: Canvas, style: Style, theme: Theme, rng: random.Random, scale: float = 1.6
) -> Image.Image:
    im = Image.new("RGB", (round(cv.width * scale), round(cv.height * scale)), theme.page)
    dr = ImageDraw.Draw(im)
    order: dict[Colour, int] = {}
    filled = []
    for a, b, c, d, rgb in cv.fills:
        if (colour := _fill_colour(rgb, theme, order)) is not None:
            dr.rectangle([a * scale, b * scale, c * scale, d * scale], fill=colour)
            filled.append((a, b, c, d))
    if theme.chalk:
        im = _chalk_texture(im, rng)
        dr = ImageDraw.Draw(im)
    for a, b, c, d in cv.lines:
        dr.line(
            [a * scale, b * scale, c * scale, d * scale], fill=theme.rule, width=max(2, round(1.5 * scale))
        )
    for x, y, text, size, bold, anchor, _rgb in cv.texts:
        ink = theme.cell_ink if any(_inside(x, y, f) for f in filled) else theme.ink
        font = _font(style, bold, theme, round(size * scale))
        lines = text.split("\n")  # two-line times: start over end
        for i, part in enumerate(lines):
            dy = (i - (len(lines) - 1) / 2) * 1.15 * size
            dr.text((x * scale, (y + dy) * scale), part, font=font, fill=ink, anchor=anchor)
    return im


def dark_style(theme: Theme, rng: random.Random) -> Style:
    return Style(
        font=rng.choice(["DejaVu Sans", "DejaVu Sans Condensed", "DejaVu Serif"]),
        size=rng.randint(13, 16),
        time_fmt="dot" if theme.chalk else rng.choice(["24", "dot", "ampm"]),
        dash="\n" if theme.chalk else rng.choice([" - ", "-", " – "]),
        day_fmt="full" if theme.chalk else rng.choice(["full", "abbr"]),
        colors=bool(theme.fills),
        dark_header=False,
        period_labels=False if theme.chalk else rng.random() < 0.5,
        header_bg=(210, 210, 210),
    )


def _dash_empty_cells(week: Week) -> None:
    """Chalkboards print "-" in a free period; the truth has no block there."""
    covered = week.covered()
    for d in range(len(week.days)):
        for p in range(len(week.periods)):
            if not week.is_break(p) and (d, p) not in week.cells and (d, p) not in covered:
                week.cells[(d, p)] = (1, "-", "")


def make_dark_document(out: Path, index: int, theme_name: str, fmt: str, rng: random.Random) -> Path:
    """One timetable in the theme, as "png" or "photo"; its truth file is written beside it."""
    theme = THEMES[theme_name]
    week, style = random_week(rng), dark_style(theme, rng)
    if theme.chalk:
        week.periods = [(s, e, lab if lab.isdigit() else "Break") for s, e, lab in week.periods]
        _dash_empty_cells(week)
        week.cells = {k: (n, name, "") for k, (n, name, _code) in week.cells.items()}  # no room codes
    days_cols = theme.chalk is False and rng.random() < 0.5
    cv = table_canvas(week, style, days_cols=days_cols)
    if theme.chalk:
        cv.texts = cv.texts[2:]  # a picture, not a document: only the title, no teacher or class line
        cv.texts.insert(0, (cv.width / 2, 50, "School Schedule", style.size + 14, False, "mm", theme.ink))
    im = render_themed(cv, style, theme, rng, scale=rng.uniform(1.3, 1.8))
    stem = f"{index:03d}_{theme_name}_{fmt}"
    path = out / (stem + (".png" if fmt == "png" else ".jpg"))
    if fmt == "png":
        im.save(path)
    else:
        photograph(im, rng).save(path, quality=rng.randint(75, 92))
    blocks = [b for b in week.truth() if b["name"] != "-"]
    layout = "days_cols" if days_cols else "days_rows"
    truth = {
        "file": path.name, "family": "dark", "format": fmt, "layout": layout, "theme": theme_name,
        "teacher": "" if theme.chalk else week.teacher, "className": "" if theme.chalk else week.class_name,
        "style": asdict(style), "timeblocks": blocks,
    }  # fmt: skip
    (out / f"{stem}.truth.json").write_text(json.dumps(truth, indent=1))
    return path


def make_dark_corpus(out: Path, n: int = 6, seed: int = 1) -> list[Path]:
    """n documents cycling through the themes, PNG then photo."""
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    names = list(THEMES)
    return [
        make_dark_document(
            out, i, names[i % len(names)], "png" if (i // len(names)) % 2 == 0 else "photo", rng
        )
        for i in range(n)
    ]


def main() -> None:
    run_generator(make_dark_corpus, 6)


if __name__ == "__main__":
    main()
