"""The cross-check on pages really read from generated documents (text PDFs, and a PNG through
Tesseract): a true reading agrees, the same reading with its days shifted is caught."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from core.escalation.crosscheck import check_columns
from core.extraction import stages
from core.extraction.model import DraftBlock, DraftTimetable, Page
from core.plugins import EngineRegistry, make_plugin_manager
from tests.extraction import gen

SHIFT = {"Monday": "Tuesday", "Tuesday": "Wednesday", "Wednesday": "Thursday", "Thursday": "Friday"}


def _pages(path: Path) -> list[Page]:
    pm = make_plugin_manager()
    kind = stages.classify(pm, path, path.name)
    return stages.read(EngineRegistry.from_plugins(pm), path, kind, ocr_engine="tesseract").pages


def _draft(spec: gen.Spec, shift: dict[str, str] | None = None) -> DraftTimetable:
    blocks = [DraftBlock((shift or {}).get(d, d), s, e, n) for d, s, e, n in sorted(spec.expected())]
    # A shifted answer loses the column that fell off the end, as LLMs' shifted answers do.
    return DraftTimetable(
        blocks=[b for b in blocks if not (shift and b.day == "Friday" and "Friday" in shift)]
    )


@pytest.mark.parametrize(
    ("make", "layout"),
    [
        (lambda s, p: gen.table_pdf(s, p / "cols.pdf", days_cols=True), "days_cols"),
        (lambda s, p: gen.table_pdf(s, p / "rows.pdf", days_cols=False), "days_rows"),
        (lambda s, p: gen.list_pdf(s, p / "list.pdf"), "list"),
    ],
)
def test_text_pdfs(tmp_path: Path, make, layout: str) -> None:  # noqa: ANN001
    spec = gen.Spec()
    pages = _pages(make(spec, tmp_path))
    ok = check_columns(_draft(spec), pages)
    assert ok.layout == layout
    assert ok.agreement == 1.0 and ok.checked >= 15, ok.disagreements
    shifted = check_columns(_draft(spec, SHIFT), pages)
    assert shifted.agreement < 0.5 and shifted.factor <= 0.5
    assert "Music on Thursday 08:30 is under Wednesday in the document" in shifted.disagreements


@pytest.mark.skipif(shutil.which("tesseract") is None, reason="Tesseract is not installed")
def test_a_png_read_by_tesseract(tmp_path: Path) -> None:
    spec = gen.Spec()
    pages = _pages(gen.table_png(spec, tmp_path / "cols.png"))
    ok = check_columns(_draft(spec), pages)
    assert ok.layout == "days_cols" and ok.agreement == 1.0 and ok.checked >= 12, ok.disagreements
    shifted = check_columns(_draft(spec, SHIFT), pages)
    assert shifted.shifts and shifted.agreement < 0.5
