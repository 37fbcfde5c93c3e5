"""App icons drawn with Pillow in the school's colour: a calendar page on the brand colour.

Android wants 192 and 512 px icons plus a maskable one (its content inside the middle 80%);
iOS wants a 180 px apple-touch-icon without transparency.
"""

from __future__ import annotations

import io
from functools import lru_cache

from PIL import Image, ImageDraw

from core.web.brand import rgb, text_on

ICONS = {
    "icon-192.png": (192, False),
    "icon-512.png": (512, False),
    "maskable-512.png": (512, True),
    "apple-touch-icon.png": (180, True),  # iOS fills the corners itself: draw edge to edge
}


@lru_cache(maxsize=64)
def icon_png(primary: str, accent: str, size: int, full_bleed: bool) -> bytes:
    scale = 4  # draw large and shrink: smooth edges without anti-aliasing support in ImageDraw
    s = size * scale
    image = Image.new("RGBA", (s, s), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    background = rgb(primary)
    if full_bleed:
        draw.rectangle((0, 0, s, s), fill=background)
        inset = s * 0.24  # maskable: keep the glyph inside the safe zone (a circle of 80%)
    else:
        draw.rounded_rectangle((0, 0, s - 1, s - 1), radius=s * 0.22, fill=background)
        inset = s * 0.2
    ink = rgb(text_on(primary))
    left, top, right, bottom = inset, inset * 1.05, s - inset, s - inset
    line = max(2, int(s * 0.03))
    draw.rounded_rectangle((left, top, right, bottom), radius=s * 0.05, outline=ink, width=line)
    header = top + (bottom - top) * 0.24
    draw.rectangle((left, top, right, header), fill=ink)
    # Rings of the calendar page.
    for x in (left + (right - left) * 0.28, left + (right - left) * 0.72):
        draw.rounded_rectangle(
            (x - line, top - s * 0.05, x + line, top + s * 0.04), radius=line, fill=rgb(accent)
        )
    # Three lessons in the grid, one in the accent colour.
    cell_w = (right - left - line * 2) / 3
    cell_h = (bottom - header - line * 2) / 3
    for col, row, rows, colour in ((0, 0, 1, ink), (1, 1, 2, rgb(accent)), (2, 0, 2, ink)):
        x0 = left + line + col * cell_w + s * 0.015
        y0 = header + line + row * cell_h + s * 0.015
        draw.rounded_rectangle(
            (x0, y0, x0 + cell_w - s * 0.03, y0 + rows * cell_h - s * 0.03), radius=s * 0.015, fill=colour
        )
    image = image.resize((size, size), Image.Resampling.LANCZOS)
    if full_bleed:
        image = image.convert("RGB")
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
