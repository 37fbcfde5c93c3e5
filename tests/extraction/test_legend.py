"""Timetables that number their periods and print the times in a legend apart from the grid."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from bench.scoring import match
from core.extraction import stages
from core.extraction.legend import legend_times, with_legend_times
from core.extraction.model import Page, Word
from core.extraction.validate import validate_draft
from core.plugins import EngineRegistry, TimetablerPluginManager
from tests.extraction import gen


def extracted(pm, registry: EngineRegistry, path: Path) -> set[tuple[str, str, str, str]]:  # noqa: ANN001
    kind = stages.classify(pm, path, path.name)
    draft, _ = validate_draft(stages.interpret(stages.read(registry, path, kind)))
    return {(b.day, b.start_time, b.end_time, b.name) for b in draft.blocks}


@pytest.mark.parametrize(
    ("label", "maker", "days_cols"),
    [
        ("{}", gen.table_pdf, True),  # bare numbers down the side, days across
        ("P{}", gen.table_pdf, False),  # "P1".. across the top, days down the side
        ("P{}", gen.table_png, False),  # the same read by Tesseract
        ("{}", gen.table_png, True),  # lone digits, which the sparse pass drops
    ],
)
def test_period_times_come_from_the_legend(
    pm: TimetablerPluginManager,
    registry: EngineRegistry,
    tmp_path: Path,
    label: str,
    maker: Callable[..., Path],
    days_cols: bool,
) -> None:
    spec = gen.Spec(legend_label=label)
    suffix = ".pdf" if maker is gen.table_pdf else ".png"
    path = maker(spec, tmp_path / f"legend{suffix}", days_cols=days_cols)
    got = extracted(pm, registry, path)
    if suffix == ".pdf":
        assert got == spec.expected()
    else:  # OCR may add a misread room code to a name ("Sport cym"): names are matched as scored
        as_dicts = [dict(zip(("day", "startTime", "endTime", "name"), b, strict=True)) for b in got]
        truth = [dict(zip(("day", "startTime", "endTime", "name"), b, strict=True)) for b in spec.expected()]
        assert match(as_dicts, truth) == (len(truth), 0, 0)


def words(*items: tuple[str, float, float]) -> list[Word]:
    return [Word(t, x, y, x + 10 * len(t), y + 12) for t, x, y in items]


def test_legend_entries_in_their_common_forms() -> None:
    page = Page(1, 800, 600, words(
        ("Period", 10, 500), ("1:", 70, 500), ("08:30", 95, 500), ("-", 150, 500), ("09:20", 160, 500),
        ("2nd", 300, 500), ("9.20-10.10", 340, 500),
        ("P3", 10, 530), ("10:30", 40, 530), ("to", 95, 530), ("11:20", 120, 530),
        ("Lunch", 300, 530), ("12:10", 360, 530), ("-", 415, 530), ("1:00", 425, 530),
    ))  # fmt: skip
    times, _ = legend_times(page)
    assert times == {
        1: ("08:30", "09:20"),
        2: ("09:20", "10:10"),
        3: ("10:30", "11:20"),
        "lunch": ("12:10", "13:00"),
    }


def test_numbers_in_a_row_without_a_legend_change_nothing() -> None:
    """Room numbers or dates in a row are not period labels unless a legend times them."""
    page = Page(1, 800, 600, words(("1", 100, 50), ("2", 200, 50), ("3", 300, 50), ("Maths", 100, 90)))
    assert with_legend_times(page) is page


def test_a_grid_that_prints_its_own_times_is_left_as_it_is() -> None:
    page = Page(1, 800, 600, words(
        ("1", 100, 50), ("2", 200, 50), ("3", 300, 50),
        ("08:30-09:20", 100, 70), ("09:20-10:10", 200, 70), ("10:30-11:20", 300, 70),
    ))  # fmt: skip
    assert with_legend_times(page) is page
