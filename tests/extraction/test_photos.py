"""Phone photos of a printed timetable as teachers take them: turned in the pixels with or without
EXIF, small on a desk, grainy. Each is built in code from the generator's page and phone photo."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from bench import corpus_gen as cg
from bench.scoring import f1, match
from core.extract import extract_file
from core.extraction.model import Page, Word
from plugins.ocr_tesseract.plugin import _mostly_noise
from plugins.preprocess_opencv.plugin import glyph_height
from tests.extraction.gen import FONT


def _photo(seed: int) -> tuple[cg.Week, Image.Image]:
    rng = random.Random(seed)
    week, style = cg.random_week(rng), cg.random_style(rng)
    style.dark_header, style.font, style.size = False, "DejaVu Sans", 14
    im = cg.render_png(cg.table_canvas(week, style, True), style, 1.6)
    return week, cg.photograph(im, rng)


def _f1(out: dict, week: cg.Week) -> float:
    return f1(*match(out["timeblocks"], week.truth()))


@pytest.mark.parametrize("turn", [Image.Transpose.ROTATE_90, Image.Transpose.ROTATE_270])
def test_a_photo_turned_in_its_pixels_without_exif_is_read_upright(
    pm, registry, tmp_path: Path, turn
) -> None:  # noqa: ANN001
    """A resaved photo whose pixels lie on their side and whose EXIF says nothing: read as noise,
    the page is turned by Tesseract's orientation check (or, when that cannot tell, by reading both
    quarter turns) and read upright."""
    week, photo = _photo(7)
    photo.transpose(turn).save(tmp_path / "sideways.jpg", quality=90)
    out = extract_file(tmp_path / "sideways.jpg", pm, registry)
    assert _f1(out, week) >= 0.9
    assert out["confidence"] <= 0.5  # a turned page goes to a person, saying so
    assert any("turned" in w for w in out["warnings"])


def test_a_photo_turned_by_exif_is_read_upright(pm, registry, tmp_path: Path) -> None:  # noqa: ANN001
    week, photo = _photo(7)
    exif = Image.Exif()
    exif[0x0112] = 6  # the camera's "turn 90 degrees clockwise to show"
    photo.transpose(Image.Transpose.ROTATE_90).save(tmp_path / "exif.jpg", quality=90, exif=exif)
    out = extract_file(tmp_path / "exif.jpg", pm, registry)
    assert _f1(out, week) >= 0.9


def test_letter_height_is_measured_on_letters_not_on_a_field_of_specks() -> None:
    """JPEG grain and paper texture binarise into specks that can outnumber the letters; their
    height must not set the scale (a page enlarged fivefold for specks reads as noise, slowly)."""
    page = Image.new("L", (1400, 900), 255)
    draw = ImageDraw.Draw(page)
    font = ImageFont.truetype(FONT, 26)
    for i in range(6):
        draw.text((60, 60 + 130 * i), "Monday 08:30 - 09:20 Maths English", font=font, fill=0)
    grey = np.asarray(page).copy()
    clean = glyph_height(grey)
    rng = np.random.default_rng(2)
    for y, x in zip(rng.integers(0, 895, 350), rng.integers(0, 1395, 350), strict=True):
        grey[y : y + 4, x : x + 3] = 0  # 4 px specks, twice as many as the letters
    assert clean is not None and 14 <= clean <= 26
    assert glyph_height(grey) == pytest.approx(clean, abs=3)


def _words(good: int, noise: int) -> Page:
    words = [Word("Maths", 0, 0, 10, 10, 0.9)] * good + [Word("i", 0, 0, 10, 10, 0.4)] * noise
    return Page(1, 100.0, 100.0, words, [], [])


def test_a_page_read_as_mostly_noise_asks_for_its_orientation() -> None:
    """A small sideways photo reads as some twenty digits and short words among a hundred specks:
    enough to pass a count of good words, not a share of them."""
    assert _mostly_noise(_words(5, 0))
    assert _mostly_noise(_words(20, 124))  # r13-like: 14 % good
    assert not _mostly_noise(_words(40, 60))
    assert not _mostly_noise(_words(104, 143))
