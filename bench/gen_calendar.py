"""Calendar week-view images (a teacher's screenshot of a calendar or lesson-planner app), with truth.

A week view has one column per day under a header ("Mon 12 Jul", "Monday", "TUE"), a time axis down
the left ("9:00 AM", "09:00", "9 AM"; hourly or half-hourly rows; the label marks the start of its
row and sits in the row's middle, at its top, or on its top line) and each lesson as a box whose top
edge is its start and bottom edge its end, with the name on its first line and notes below. Styles
vary the clock, the rows, 5 or 7 days, box fills and outlines, grid lines and shading, and boxes at
:15/:45 on hourly axes. Written as PNG, or as a JPEG "photo of a screen" (blur, noise, uneven light).
Truth files follow bench/corpus/README.md (layout "calendar").

bench/generator.py (the randomised generator) draws this week view too, with its sampled font, size
and format (bench/generator_layouts.py).

usage: uv run python -m bench.gen_calendar OUT_DIR [--n 12] [--seed 1]
"""

from __future__ import annotations

import json
import random
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from bench.corpus_gen import PASTELS, SUBJECTS, font_file
from bench.gen_cli import run_generator

DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
NOTES = ["Room 12", "Lab 3", "Sports Hall", "Year 9", "10B", "Library", "Chapter 4", "Homework due"]
MONTH_DAY = 12  # "Mon 12 Jul": dates only decorate the header


@dataclass
class CalStyle:
    clock: str = "12"  # 12 ("9:00 AM") | 24 ("09:00") | 12short ("9 AM")
    row_min: int = 30  # minutes per labelled row: 30 | 60
    days: int = 5  # 5 | 7
    header: str = "date"  # date ("Mon 12 Jul") | full ("Monday") | upper ("MON")
    label_at: str = "middle"  # middle | top | line (where a label sits in its row)
    box: str = "outlined"  # outlined (fill + dark border) | filled (fill only) | strong (darker fill)
    grid: bool = True  # a line at every row
    shade: bool = False  # empty slots lightly shaded
    font: str = "DejaVu Sans"
    size: int = 15
    row_px: int = 46
    first_hour: int = 8
    last_hour: int = 17  # the axis ends at this hour
    # Phone apps' styles (bench/gen_apps.py draws them; random_style never does, so the corpora of
    # this generator and of bench/generator.py stay as they were):
    box_times: str = "none"  # none | start ("8:00 am" above the name) | both (end at the bottom)
    dark: bool = False  # black page, grey grid, light labels, saturated boxes with white text


@dataclass
class Event:
    day: str
    start: int  # minutes since midnight
    end: int
    name: str
    notes: list[str] = field(default_factory=list)


def _fmt_label(minutes: int, style: CalStyle) -> str:
    h, m = divmod(minutes, 60)
    if style.clock == "24":
        return f"{h:02d}:{m:02d}"
    if style.clock == "bare":  # hours alone, 12-hour and zero-padded: "08" ... "12", "01"
        return f"{h % 12 or 12:02d}"
    suffix = "AM" if h < 12 else "PM"
    h12 = h % 12 or 12
    if style.clock == "12short" and m == 0:
        return f"{h12} {suffix}"
    return f"{h12}:{m:02d} {suffix}"


def random_style(rng: random.Random) -> CalStyle:
    row_min = rng.choice([30, 60])
    clock = rng.choice(["12", "24", "12short"] if row_min == 60 else ["12", "24"])
    size = rng.randint(14, 17)
    # Rows tall enough for the text a box of the shortest lesson holds (one line per 30 minutes).
    row_px = rng.randint(int(2.6 * size), int(3.2 * size)) * (2 if row_min == 60 else 1)
    return CalStyle(
        clock=clock, row_min=row_min, days=rng.choice([5, 5, 7]),
        header=rng.choice(["date", "full", "upper"]), label_at=rng.choice(["middle", "top", "line"]),
        box=rng.choice(["outlined", "filled", "strong"]), grid=rng.random() < 0.8,
        shade=rng.random() < 0.4, font=rng.choice(["DejaVu Sans", "DejaVu Sans Condensed", "DejaVu Serif"]),
        size=size, row_px=row_px, first_hour=rng.choice([8, 9]), last_hour=rng.choice([16, 17, 18]),
    )  # fmt: skip


def random_events(rng: random.Random, style: CalStyle) -> list[Event]:
    """Lessons day by day on the style's grid of start times, a lunch box on school days."""
    starts = [0, 30] if style.row_min == 30 else [0, 15, 30, 45]
    lengths = [60, 90] if style.row_min == 30 else [45, 60, 75, 90]
    events: list[Event] = []
    lunch = rng.choice([(12 * 60, 12 * 60 + 30), (12 * 60 + 30, 13 * 60), (12 * 60, 13 * 60)])
    subjects = rng.sample(SUBJECTS, 8)
    for d in range(style.days):
        day = DAYS[d]
        if d < 5:
            events.append(Event(day, *lunch, "Lunch"))
        chance = (0.12 if d >= 5 else 0.4) * style.row_min / 60
        t, end_of_day = style.first_hour * 60, style.last_hour * 60
        while t < end_of_day:
            length = rng.choice(lengths)
            clash = any(e.day == day and t < e.end and e.start < t + length for e in events)
            if t % 60 not in starts or t + length > end_of_day or clash or rng.random() > chance:
                t += 15
                continue
            notes = rng.sample(NOTES, rng.choice([0, 1, 1, 2]))
            events.append(Event(day, t, t + length, rng.choice(subjects), notes))
            t += length
    return events


def _font(style: CalStyle, bold: bool, size: int | None = None) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(font_file(style.font, bold), size or style.size)


def _header_text(day: str, index: int, style: CalStyle) -> str:
    if style.header == "full":
        return day
    if style.header == "upper":
        return day[:3].upper()
    if style.header == "letter":  # "M 3", "T 4": the two Ts told apart by their place
        return f"{day[0]} {MONTH_DAY + index}"
    return f"{day[:3]} {MONTH_DAY + index} Jul"


def render(events: list[Event], style: CalStyle, rng: random.Random) -> Image.Image:
    axis_w, head_h, margin = 5 * style.size + 20, 2 * style.size + 16, 24
    col_w = rng.randint(11, 14) * style.size
    rows = (style.last_hour - style.first_hour) * 60 // style.row_min
    width = margin * 2 + axis_w + col_w * style.days
    top = margin + 2 * style.size + head_h  # a title line above the grid
    height = top + rows * style.row_px + margin
    ink, grey, line = ((235, 235, 235), (200, 200, 200), (70, 70, 70)) if style.dark else (
        (30, 30, 60), (90, 90, 90), (190, 190, 190))  # fmt: skip
    im = Image.new("RGB", (width, height), "black" if style.dark else "white")
    d = ImageDraw.Draw(im)
    bold, small = _font(style, True), _font(style, False, style.size - 2)
    title = ink if style.dark else (40, 40, 40)
    d.text((margin, margin), "My week", font=_font(style, True, style.size + 4), fill=title)
    x0 = margin + axis_w
    grid_bottom = top + rows * style.row_px

    def y_of(minutes: int) -> float:
        return top + (minutes - style.first_hour * 60) * style.row_px / style.row_min

    # Day headers and the empty grid.
    for i in range(style.days):
        cx = x0 + i * col_w + col_w / 2
        d.text((cx, top - head_h / 2), _header_text(DAYS[i], i, style), font=bold, fill=ink, anchor="mm")
        if style.shade:
            d.rectangle([x0 + i * col_w, top, x0 + (i + 1) * col_w, grid_bottom], fill=(236, 240, 246))
        d.line([x0 + i * col_w, top - head_h, x0 + i * col_w, grid_bottom], fill=line, width=1)
    d.line([x0 + style.days * col_w, top - head_h, x0 + style.days * col_w, grid_bottom], fill=line)
    for r in range(rows + 1):
        y = top + r * style.row_px
        if style.grid or r in (0, rows):
            row_line = (55, 55, 55) if style.dark else (205, 205, 205) if style.shade else (215, 215, 215)
            d.line([x0, y, x0 + style.days * col_w, y], fill=row_line)
        if r == rows:
            break
        label = _fmt_label(style.first_hour * 60 + r * style.row_min, style)
        ly = {"middle": y + style.row_px / 2, "top": y + 4 + style.size / 2, "line": y}[style.label_at]
        if style.label_at == "line" and r == 0:
            continue  # apps leave the grid's top line unlabelled in this style
        d.text((x0 - 8, ly), label, font=small, fill=grey, anchor="rm")
    # Lesson boxes: top edge = start, bottom edge = end; name first, notes under it.
    colours = {}
    for ev in events:
        i = DAYS.index(ev.day)
        bx0, bx1 = x0 + i * col_w + 3, x0 + (i + 1) * col_w - 3
        by0, by1 = y_of(ev.start) + 1, y_of(ev.end) - 1
        fill = colours.setdefault(ev.name, rng.choice(PASTELS))
        text_fill = (20, 20, 20)
        if style.box == "strong" or style.dark:
            fill = tuple(int(c * (0.55 if style.dark else 0.72)) for c in fill)
            text_fill = (250, 250, 250) if style.dark else text_fill
        outline = (60, 60, 60) if style.box == "outlined" else None
        d.rounded_rectangle([bx0, by0, bx1, by1], radius=5, fill=fill, outline=outline, width=2)
        line_h = style.size + 5
        room = int((by1 - by0 - 8) // line_h)
        lines = [(ev.name, bold)] + [(n, small) for n in ev.notes]
        if style.box_times != "none" and room >= 2:  # a short box shows its name only
            # Apps print the start above the name and, when there is room, the end at the bottom.
            lines.insert(0, (_fmt_clock(ev.start), small))
            if style.box_times == "both" and room >= 3:
                d.text((bx1 - 6, by1 - 4), _fmt_clock(ev.end), font=small, fill=text_fill, anchor="rd")
                room -= 1
        for k, (text, font) in enumerate(lines[: max(1, room)]):
            d.text((bx0 + 8, by0 + 6 + k * line_h), text, font=font, fill=text_fill)
    return im


def _fmt_clock(minutes: int) -> str:
    """A time as phone apps print it in a box: "8:00 am", "2:15 pm"."""
    h, m = divmod(minutes, 60)
    return f"{h % 12 or 12}:{m:02d} {'am' if h < 12 else 'pm'}"


def screen_photo(im: Image.Image, rng: random.Random) -> Image.Image:
    """A phone photo of the screen, cropped to it: soft focus, sensor noise, uneven light, JPEG."""
    arr = np.asarray(im.filter(ImageFilter.GaussianBlur(rng.uniform(0.5, 1.0)))).astype(np.float32)
    h, w = arr.shape[:2]
    xx = np.linspace(0, 1, w, dtype=np.float32)[None, :, None]
    arr *= 1.0 - rng.uniform(0.05, 0.15) * xx
    arr += np.random.default_rng(rng.randint(0, 2**31)).normal(0, rng.uniform(2, 5), arr.shape)
    return Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))


def truth_of(events: list[Event]) -> list[dict[str, str]]:
    out = []
    for ev in sorted(events, key=lambda e: (DAYS.index(e.day), e.start)):
        out.append({"day": ev.day, "startTime": f"{ev.start // 60:02d}:{ev.start % 60:02d}",
                    "endTime": f"{ev.end // 60:02d}:{ev.end % 60:02d}", "name": ev.name})  # fmt: skip
    return out


def make_document(out: Path, index: int, rng: random.Random, photo: bool = False,
                  style: CalStyle | None = None, family: str = "calendar", kind: str = "calendar",
                  properties: bool = False) -> Path:  # fmt: skip
    """One week view as a screenshot or a photo of the screen; `family`, `kind` (in the file name)
    and `properties` (the style again, for by_property's tables) let gen_apps draw through it."""
    style = style or random_style(rng)
    events = random_events(rng, style)
    im = render(events, style, rng)
    stem = f"{index:03d}_{kind}_{'photo' if photo else 'png'}"
    path = out / (stem + (".jpg" if photo else ".png"))
    if photo:
        screen_photo(im, rng).save(path, quality=rng.randint(72, 90))
    else:
        im.save(path)
    truth = {
        "file": path.name, "family": family, "format": "photo" if photo else "png", "layout": "calendar",
        "teacher": "", "className": "", "style": asdict(style),
        **({"properties": asdict(style)} if properties else {}), "timeblocks": truth_of(events),
    }  # fmt: skip
    (out / f"{stem}.truth.json").write_text(json.dumps(truth, indent=1))
    return path


def make_corpus(out: Path, n: int = 12, seed: int = 1) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    return [make_document(out, i, rng, photo=i % 3 == 2) for i in range(n)]


def main() -> None:
    run_generator(make_corpus, 12)


if __name__ == "__main__":
    main()
