"""A small ruled timetable (days as columns) drawn with PIL: the words on it are known exactly."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
PERIODS = [("08:30", "09:30"), ("09:30", "10:30"), ("11:00", "12:00")]
SUBJECTS = [  # [period][day]
    ["Maths", "English", "Science", "History", "Art"],
    ["French", "Music", "Geography", "Maths", "Drama"],
    ["Biology", "Chemistry", "Physics", "Computing", "English"],
]
TITLE = "Ms Rivera Class 8B"
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
COL_W, ROW_H, LEFT, TOP = 170, 56, 190, 70


def expected_blocks() -> set[tuple[str, str, str, str]]:
    return {
        (day, start, end, SUBJECTS[p][d])
        for p, (start, end) in enumerate(PERIODS)
        for d, day in enumerate(DAYS)
    }


def words() -> set[str]:
    """Every word drawn on the page."""
    out = set(TITLE.split()) | set(DAYS) | {w for row in SUBJECTS for w in row}
    return out | {f"{s}-{e}" for s, e in PERIODS}


def render() -> Image.Image:
    try:
        font = ImageFont.truetype(FONT, 22)
    except OSError:
        font = ImageFont.load_default(size=22)
    w = LEFT + COL_W * len(DAYS) + 20
    h = TOP + ROW_H * (len(PERIODS) + 1) + 20
    im = Image.new("RGB", (w, h), "white")
    draw = ImageDraw.Draw(im)
    draw.text((20, 20), TITLE, font=font, fill="black")

    def cell(x: float, y: float, text: str) -> None:
        draw.text((x + COL_W / 2, y + ROW_H / 2), text, font=font, fill="black", anchor="mm")

    for d, day in enumerate(DAYS):
        cell(LEFT + d * COL_W, TOP, day)
    for p, (start, end) in enumerate(PERIODS):
        y = TOP + (p + 1) * ROW_H
        draw.text(((10 + LEFT) / 2, y + ROW_H / 2), f"{start}-{end}", font=font, fill="black", anchor="mm")
        for d in range(len(DAYS)):
            cell(LEFT + d * COL_W, y, SUBJECTS[p][d])
    right, bottom = LEFT + COL_W * len(DAYS), TOP + ROW_H * (len(PERIODS) + 1)
    for r in range(len(PERIODS) + 2):
        draw.line([(10, TOP + r * ROW_H), (right, TOP + r * ROW_H)], fill="black", width=2)
    for x in [10, *(LEFT + c * COL_W for c in range(len(DAYS) + 1))]:
        draw.line([(x, TOP), (x, bottom)], fill="black", width=2)
    return im


def bgr(im: Image.Image) -> np.ndarray:
    return np.ascontiguousarray(np.asarray(im.convert("RGB"))[:, :, ::-1])


def save(path: Path) -> Path:
    render().save(path)
    return path
