"""The layouts of the older generators, drawn for bench/generator.py with its sampled properties:
one-row-per-lesson records (bench/gen_records.py), calendar week views (bench/gen_calendar.py) and
the light-on-dark themes (bench/gen_dark.py). Their own style choices are recorded as properties
too; the grid properties that mean nothing to them are "n/a"."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

from PIL import Image

from bench import gen_calendar, gen_dark, gen_records
from bench.corpus_gen import Canvas, Style, photograph, scan

GRID_ONLY = (
    "header_band",
    "fills",
    "cell_ink",
    "columns",
    "time_format",
    "dash",
    "time_two_lines",
    "time_columns",
    "legend",
    "week_start",
    "day_format",
    "period_labels",
    "continued",
    "codes",
)
THEMES = ["dark_mode", "chalkboard", "white_on_colour", "white_on_bright"]


def not_applicable(props: dict[str, Any], keys: tuple[str, ...] = GRID_ONLY) -> None:
    for k in keys:
        props[k] = "n/a"


def records_document(props: dict[str, Any], rng: random.Random, path: Path, write_pages: Any) -> list[dict]:
    """A course-registration export or class list; rules and font from the properties. Returns the
    truth's blocks. `write_pages(pages, path)` writes canvases in the document's format."""
    fmt = props["format"]
    style = gen_records.random_style(rng, {"pdf_text": "pdf_text", "docx": "docx"}.get(fmt, "png_ruled"))
    style.size = int(props["size"])
    if fmt == "docx":
        props["rules"] = "all"  # Word's "Table Grid"
    else:
        style.rules = {"all": "grid", "inner": "grid", "horizontal": "rows"}.get(props["rules"], "none")
        props["rules"] = {"grid": "all", "rows": "horizontal", "none": "none"}[style.rules]
    not_applicable(props)
    props["records_times"] = style.times
    props["records_kind"] = "school" if style.school else "university"
    lessons = gen_records.random_lessons(rng, style.upper_titles)
    if style.days_once:
        lessons = gen_records.by_day(lessons)
    if fmt == "docx":
        gen_records.write_docx(lessons, style, path)
    else:
        write_pages([gen_records.records_canvas(lessons, style)], path)
    return gen_records.truth_blocks(lessons)


def calendar_document(props: dict[str, Any], rng: random.Random, path: Path) -> list[dict]:
    """A calendar app's week view in the sampled font, as a screenshot, a photo of the screen or a
    scanned print."""
    style = gen_calendar.random_style(rng)
    style.font = props["font"]
    props["size"] = style.size  # the view's rows are sized for its own text
    props["size_band"] = "12-14" if style.size <= 14 else "15-18"
    props["rules"] = "horizontal" if style.grid else "none"
    not_applicable(props)
    props["calendar_clock"] = style.clock
    props["calendar_rows"] = style.row_min
    events = gen_calendar.random_events(rng, style)
    im = gen_calendar.render(events, style, rng)
    save_image(im, props["format"], path, rng, screen=True)
    return gen_calendar.truth_of(events)


def themed_image(cv: Canvas, props: dict[str, Any], rng: random.Random) -> Image.Image:
    """The table drawn in one of gen_dark's themes (dark page, chalkboard, white on strong colours)."""
    theme = gen_dark.THEMES[props["theme"]]
    style = Style(font=props["font"], size=int(props["size"]))
    return gen_dark.render_themed(cv, style, theme, rng, scale=rng.uniform(1.3, 1.8))


def save_image(im: Image.Image, fmt: str, path: Path, rng: random.Random, screen: bool = False) -> None:
    if fmt == "png":
        im.save(path)
    elif fmt == "photo":
        shot = gen_calendar.screen_photo(im, rng) if screen else photograph(im, rng)
        shot.save(path, quality=rng.randint(70, 92))
    else:
        scan(im, rng).save(path, "PDF", resolution=rng.choice([150, 200]))
