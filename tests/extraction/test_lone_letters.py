"""Bare letters heading a cycle timetable's columns or rows ("A" … "F") in a picture: Tesseract's
sparse pass drops a letter standing alone, so the page read no days at all. A row or column of
lone letter-sized blobs is read again as one line (plugins/ocr_tesseract/lone_letters.py)."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from bench import corpus_gen as cg
from bench.scoring import f1, match
from core.extract import extract_file
from core.plugin_api import Word
from plugins.ocr_tesseract.lone_letters import is_letter_header, reread_lone_letters

LETTER_DAYS = [f"Day {c}" for c in "ABCDEF"]


def test_a_header_of_letters_is_a_cycle_in_order_or_weekday_initials() -> None:
    assert is_letter_header("ABCDEF") and is_letter_header("ABDE")  # one lost between two
    assert is_letter_header("MTWTF") and is_letter_header("MTWRFS")
    assert not is_letter_header("AB")  # too few to be a header
    assert not is_letter_header("IOLE") and not is_letter_header("ACEG")  # specks read as letters


def _ink_of(texts: list[tuple[float, float, str]], size: int = 40) -> np.ndarray:
    """A binarised page (text white on black) with each text drawn at (x, y)."""
    im = Image.new("L", (1400, 700), 0)
    draw = ImageDraw.Draw(im)
    font = ImageFont.truetype(cg.FONTS["DejaVu Sans"][1], size)
    for x, y, text in texts:
        draw.text((x, y), text, fill=255, font=font)
    return np.array(im)


def _read_line(strip: np.ndarray) -> list[Word]:
    from plugins.ocr_tesseract.plugin import TesseractEngine

    return TesseractEngine(lang="eng")._words(strip, 7, 1)


def test_lone_letters_in_a_row_and_in_a_column_are_read_where_they_stand() -> None:
    row = [(200 + 180 * i, 60, c) for i, c in enumerate("ABCDE")]
    column = [(40, 200 + 100 * i, c) for i, c in enumerate("ABCD")]
    ink = _ink_of([*row, *column, (600, 400, "Maths")])
    maths = Word("Maths", 600, 400, 720, 440, 0.95)  # read by the sparse pass: left alone
    found = reread_lone_letters(ink, [maths], 30.0, _read_line)
    assert [w.text for w in found if w.y0 < 150] == list("ABCDE")
    assert [w.text for w in found if w.x0 < 150] == list("ABCD")
    a = next(w for w in found if w.text == "A")
    assert 195 <= a.x0 <= 215 and 55 <= a.y0 <= 80  # the blob's own box on the page


def test_a_letter_the_sparse_pass_misread_as_two_characters_is_read_again() -> None:
    """ "Cc" over a lone "C" does not cover it: the run is read again and "C" takes its place."""
    from plugins.ocr_tesseract.missed import with_reread

    ink = _ink_of([(200 + 180 * i, 60, c) for i, c in enumerate("ABCD")])
    misread = Word("Cc", 555, 60, 600, 100, 0.6)
    words = with_reread([misread], reread_lone_letters(ink, [misread], 30.0, _read_line))
    assert sorted(w.text for w in words) == list("ABCD")


def test_scan_specks_beside_a_letter_leave_it_alone() -> None:
    """A scan's grain: one-pixel specks just beside "B" do not make it part of a word."""
    ink = _ink_of([(200 + 180 * i, 60, c) for i, c in enumerate("ABCD")])
    ink[95, 420] = ink[70, 370] = 255  # within a letter's height of B's sides
    found = reread_lone_letters(ink, [], 30.0, _read_line)
    assert [w.text for w in found] == list("ABCD")


def test_specks_and_a_word_are_not_letters() -> None:
    dots = [(200 + 180 * i, 60, "•") for i in range(5)]
    ink = _ink_of([*dots, (600, 400, "Maths")])
    assert reread_lone_letters(ink, [], 30.0, _read_line) == []


def _cycle_week(seed: str) -> tuple[cg.Week, cg.Style]:
    rng = random.Random(seed)
    week, style = cg.random_week(rng, LETTER_DAYS), cg.random_style(rng)
    style.day_fmt = "abbr"  # bare "A" … "F"
    return week, style


@pytest.mark.parametrize("days_cols", [True, False])
def test_a_picture_of_a_cycle_grid_headed_by_bare_letters_reads_its_cycle_days(
    pm,
    registry,
    tmp_path: Path,
    days_cols: bool,  # noqa: ANN001
) -> None:
    week, style = _cycle_week(f"bare letters {days_cols}")
    style.dark_header = False
    cg.render_png(cg.table_canvas(week, style, days_cols=days_cols), style).save(tmp_path / "cycle.png")
    out = extract_file(tmp_path / "cycle.png", pm, registry)
    assert out["rotation"] == "cycle" and out["cycleDays"] == LETTER_DAYS
    assert f1(*match(out["timeblocks"], week.truth())) >= 0.9
