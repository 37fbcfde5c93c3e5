"""Light text on dark through the real pipeline: a chalkboard picture (two-line times, "-" in free
periods), a dark-mode screenshot and white text on strongly coloured cells, drawn by bench/gen_dark.py
and read by the real Tesseract; plus the polarity decision on its own."""

from __future__ import annotations

import random
from pathlib import Path

import cv2
import numpy as np

from bench import gen_dark
from bench.scoring import f1, match
from core.extract import extract_file
from plugins.preprocess_opencv.plugin import invert_light_text


def _document(tmp_path: Path, theme: str, seed: int) -> tuple[Path, list[dict]]:
    import json

    path = gen_dark.make_dark_document(tmp_path, 0, theme, "png", random.Random(seed))
    truth = json.loads((tmp_path / f"000_{theme}_png.truth.json").read_text())
    return path, truth["timeblocks"]


def test_chalkboard_reads_every_lesson_and_no_dash(pm, registry, tmp_path: Path) -> None:  # noqa: ANN001
    path, truth = _document(tmp_path, "chalkboard", 3)
    out = extract_file(path, pm, registry)
    assert f1(*match(out["timeblocks"], truth)) == 1.0
    assert not any(b["name"].strip("-– ") == "" for b in out["timeblocks"])  # "-" is a free period


def test_dark_mode_screenshot(pm, registry, tmp_path: Path) -> None:  # noqa: ANN001
    path, truth = _document(tmp_path, "dark_mode", 4)
    out = extract_file(path, pm, registry)
    assert f1(*match(out["timeblocks"], truth)) == 1.0
    assert out["confidence"] >= 0.9


def test_white_text_on_coloured_cells(pm, registry, tmp_path: Path) -> None:  # noqa: ANN001
    path, truth = _document(tmp_path, "white_on_colour", 5)
    out = extract_file(path, pm, registry)
    tp, fp, fn = match(out["timeblocks"], truth)
    assert fn <= 2 and fp <= 2, (tp, fp, fn)


def _page(bg: int, ink: int, size: tuple[int, int] = (400, 600)) -> np.ndarray:
    page = np.full(size, bg, np.uint8)
    for row in range(40, size[0] - 40, 40):
        cv2.putText(page, "Maths 09:00", (30, row), cv2.FONT_HERSHEY_SIMPLEX, 0.8, ink, 2)
    return page


def test_polarity_turns_light_text_dark_and_leaves_print_alone() -> None:
    chalk = invert_light_text(_page(50, 235))
    assert np.median(chalk) > 180 and chalk.min() < 60  # a light page with dark text
    printed = _page(255, 0)
    assert invert_light_text(printed) is printed
    grey_cell = _page(150, 0)  # black print on a grey cell is not light text
    assert np.array_equal(invert_light_text(grey_cell), grey_cell)


def test_noisy_dark_desk_is_left_alone() -> None:
    desk = np.random.default_rng(1).normal(70, 18, (400, 600)).clip(0, 255).astype(np.uint8)
    assert np.array_equal(invert_light_text(desk), desk)
