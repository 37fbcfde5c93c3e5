"""Tables with no ink rules whose cells are shaded, a strip of paper between them (banded office
tables, slides, coloured prints), photographed: binarisation evens the shades to paper and took the
strips, the grid's only rules, with them. And 12-hour axes that run on past noon without am/pm."""

from __future__ import annotations

import json
from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from bench.scoring import f1, match
from core.extract import extract_file
from core.extraction.daytime import find_range
from core.extraction.time_axis import afternoon_tail, has_ampm
from plugins.preprocess_opencv import steps
from plugins.preprocess_opencv.gaps import light_gaps
from tests.extraction.gen import FONT

DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
TIMES = [("8:00", "9:00"), ("9:00", "10:00"), ("10:00", "11:00"), ("11:00", "12:00")]
LESSONS = {
    (0, 0): "Maths", (0, 1): "English", (1, 1): "Biology", (1, 3): "History", (2, 0): "Art",
    (2, 2): "Music", (3, 0): "Physics", (3, 3): "Drama", (4, 1): "French", (4, 2): "Chemistry",
}  # fmt: skip


def _banded_table(gap: int = 6) -> Image.Image:
    """Days across a dark header band, times down, rows shaded in two greys, paper between cells."""
    font, bold = ImageFont.truetype(FONT, 24), ImageFont.truetype(FONT, 26)
    col_w, first_w, row_h, x0, y0 = 200, 250, 70, 60, 120
    width = x0 * 2 + first_w + len(DAYS) * col_w
    page = Image.new("L", (width, y0 + row_h * (len(TIMES) + 1) + 120), 236)
    draw = ImageDraw.Draw(page)
    draw.text((x0, 40), "Class 9 Timetable", font=bold, fill=30)
    lefts = [x0] + [x0 + first_w + i * col_w for i in range(len(DAYS))]
    widths = [first_w] + [col_w] * len(DAYS)
    for r in range(len(TIMES) + 1):
        top = y0 + r * row_h
        fill = 70 if r == 0 else (196 if r % 2 else 214)
        for c, (left, w) in enumerate(zip(lefts, widths, strict=True)):
            box = (left + gap // 2, top + gap // 2, left + w - gap // 2, top + row_h - gap // 2)
            draw.rectangle(box, fill=fill)
            if r == 0:
                text, ink = ("" if c == 0 else DAYS[c - 1]), 245
            elif c == 0:
                text, ink = f"{TIMES[r - 1][0]} - {TIMES[r - 1][1]}", 25
            else:
                text, ink = LESSONS.get((c - 1, r - 1), ""), 25
            draw.text((box[0] + 14, box[1] + 16), text, font=font, fill=ink)
    return page


def _photographed(page: Image.Image, path: Path) -> Path:
    """The page as a phone takes it: soft focus, light falling off to one side, grain, JPEG."""
    grey = np.asarray(page.filter(ImageFilter.GaussianBlur(1.2)), dtype=np.float32)
    h, w = grey.shape
    grey *= np.linspace(1.0, 0.86, w)[None, :]
    grey += np.random.default_rng(5).normal(0, 3, grey.shape)
    Image.fromarray(np.clip(grey, 0, 255).astype(np.uint8)).convert("RGB").save(path, quality=80)
    return path


def _truth() -> list[dict[str, str]]:
    return [
        {"day": DAYS[d], "startTime": f"{TIMES[p][0]:0>5}", "endTime": f"{TIMES[p][1]:0>5}", "name": name}
        for (d, p), name in LESSONS.items()
    ]


def test_a_photographed_table_ruled_only_by_paper_between_shaded_cells_reads_every_lesson(
    pm,
    registry,
    tmp_path: Path,  # noqa: ANN001
) -> None:
    path = _photographed(_banded_table(), tmp_path / "banded.jpg")
    out = extract_file(path, pm, registry)
    assert f1(*match(out["timeblocks"], _truth())) == 1.0, json.dumps(out["timeblocks"])


def test_where_the_strips_are_not_found_the_merged_reading_is_not_accepted(
    pm,
    registry,
    tmp_path: Path,
    monkeypatch,  # noqa: ANN001
) -> None:
    """Confidence is a promise: without its strips the grid merges day columns, and that reading
    must go to a person, never be accepted (one scored 0.984 while the strips were being built)."""
    monkeypatch.setattr(steps, "draw_light_gaps", lambda binary, shade, glyph: binary)
    path = _photographed(_banded_table(), tmp_path / "banded.jpg")
    out = extract_file(path, pm, registry)
    assert f1(*match(out["timeblocks"], _truth())) < 1.0  # the strips are what reads it right
    assert out["confidence"] < 0.98, json.dumps(out["timeblocks"])


def test_the_strips_between_shaded_cells_are_found_and_no_line_crosses_a_word() -> None:
    grey = np.asarray(_banded_table())
    gaps = light_gaps(grey, 24.0)
    # The strip between the first and second time rows, under the Monday column, and the strip
    # between the Monday and Tuesday columns in the second row.
    assert gaps[120 + 2 * 70 - 1 : 120 + 2 * 70 + 2, 330:490].any(axis=0).mean() > 0.9
    assert gaps[200:250, 310 + 200 - 1 : 310 + 200 + 2].any(axis=1).mean() > 0.9
    for (d, p), _ in LESSONS.items():  # no strip inside a cell's text
        top, left = 120 + (p + 1) * 70, 310 + d * 200
        assert not gaps[top + 12 : top + 52, left + 12 : left + 150].any()


def test_text_on_plain_paper_makes_no_strips() -> None:
    page = np.full((400, 1200), 205, np.uint8)  # a photo's grey paper
    for i, line in enumerate(["Mathematics English Biology", "History Geography Music Art"]):
        cv2.putText(page, line, (40, 100 + 40 * i), cv2.FONT_HERSHEY_SIMPLEX, 1.1, 40, 3)
    assert not light_gaps(page, 24.0).any()


def test_white_words_on_a_dark_band_are_not_taken_for_strips() -> None:
    page = np.full((200, 1400), 230, np.uint8)
    page[50:130] = 70
    cv2.putText(page, "MON  TUE  WED  THU  FRI", (40, 110), cv2.FONT_HERSHEY_DUPLEX, 1.6, 245, 4)
    assert not light_gaps(page, 30.0)[60:120].any()


def test_an_evening_period_after_noon_without_am_pm_is_evening() -> None:
    times = {1: ("09:00", "10:30"), 2: ("10:30", "12:00"), 3: ("07:00", "08:30")}
    assert afternoon_tail(times, {1, 2, 3})[3] == ("19:00", "20:30")
    # Printed with its am/pm, a period is where it says (a misread is out_of_order's to judge).
    assert afternoon_tail(times, {1, 2})[3] == ("07:00", "08:30")
    # A period that moved would run past the evening is left as read.
    assert afternoon_tail({1: ("10:00", "11:00"), 2: ("09:30", "10:30")}, {1, 2})[2] == ("09:30", "10:30")
    assert has_ampm("1.30 P.M TO 2.15 P.M") and has_ampm("9:00am") and not has_ampm("9:00 to 10:30")


def test_a_speck_before_to_keeps_a_range() -> None:
    assert find_range("10:30.to 12:00") == ("10:30", "12:00", 0, 14)
