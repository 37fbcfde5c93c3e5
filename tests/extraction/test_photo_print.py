"""Photographed print that binarisation used to break: letters inside a textured (halftoned) cell,
dotted cell borders, and a dark header band with light letters inverted in patches."""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from plugins.preprocess_opencv.borders import join_dotted_rules
from plugins.preprocess_opencv.plugin import clear_speckle, even_light
from tests.extraction.gen import FONT


def _text(size: tuple[int, int], words: str, at: tuple[int, int], fill: int = 0, bg: int = 255) -> np.ndarray:
    page = Image.new("L", size, bg)
    ImageDraw.Draw(page).text(at, words, font=ImageFont.truetype(FONT, 30), fill=fill)
    return np.asarray(page).copy()


def test_letters_in_a_textured_cell_are_kept_while_its_specks_go() -> None:
    binary = _text((1200, 300), "EarthLife Maths 08:30", (100, 120))
    letters = binary < 128
    rng = np.random.default_rng(3)
    specks = rng.random(binary.shape) < 0.08  # a halftoned colour cell, binarised
    noisy = binary.copy()
    noisy[specks & ~letters] = 0
    cleared = clear_speckle(noisy, glyph=24.0)
    kept = (cleared < 128) & letters
    assert kept.sum() >= 0.9 * letters.sum()  # the words are still there
    assert ((cleared < 128) & ~letters).sum() <= 0.05 * (specks & ~letters).sum()  # the specks are not


def test_a_dotted_border_is_drawn_solid_and_words_are_not_struck_through() -> None:
    binary = _text((1200, 300), "Barrinuevo Monday Komunikasyon", (60, 40))
    words = binary.copy()
    for x in range(40, 1160, 8):  # a dotted rule: 3 px dots every 8 px
        binary[200:202, x : x + 3] = 0
    joined = join_dotted_rules(binary, glyph=24.0)
    assert (joined[200:202, 60:1140] < 128).mean() > 0.95
    assert np.array_equal(joined[:150], words[:150])  # no line drawn through the letters


def test_a_dark_header_band_is_inverted_whole_and_a_mid_tone_cell_not_at_all() -> None:
    grey = np.full((600, 1400), 235, np.uint8)
    band = _text((1400, 70), "Mon   Tue   Wed   Thu   Fri   Sat", (60, 15), fill=250, bg=95)
    grey[100:170] = band
    cell = _text((600, 90), "GenMath 8", (40, 25), fill=20, bg=135)  # orange printed, in grey
    grey[300:390, 200:800] = cell
    out = even_light(grey, 24.0)
    head = out[100:170, 40:1360]
    assert (head > 128).mean() > 0.8  # the band reads dark on light, with no dark patches
    letters = cell < 80
    assert out[300:390, 200:800][letters].mean() < 110  # the cell's print stays dark
