"""End-to-end: generated documents through the real stages (real Tesseract, no mocks)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from core.extraction import stages
from core.extraction.validate import validate_draft
from core.plugins import EngineRegistry
from tests.extraction import gen


def run(pm, registry: EngineRegistry, path: Path):  # noqa: ANN001, ANN201
    kind = stages.classify(pm, path, path.name)
    rr = stages.read(registry, path, kind)
    draft, _ = validate_draft(stages.interpret(rr))
    return kind, rr, draft, stages.score(pm, draft, rr)


def blocks(draft) -> set[tuple[str, str, str, str]]:  # noqa: ANN001
    return {(b.day, b.start_time, b.end_time, b.name) for b in draft.blocks}


CASES: list[tuple[str, Callable[..., Path], dict, str, str]] = [
    ("cols.pdf", gen.table_pdf, {"days_cols": True}, "pdf_text", "days_cols"),
    ("rows.pdf", gen.table_pdf, {"days_cols": False}, "pdf_text", "days_rows"),
    ("list.pdf", gen.list_pdf, {}, "pdf_text", "list"),
    ("cols.docx", gen.table_docx, {"days_cols": True}, "docx", "days_cols"),
    ("rows.docx", gen.table_docx, {"days_cols": False}, "docx", "days_rows"),
    ("list.docx", gen.list_docx, {}, "docx", "list"),
    ("cols.png", gen.table_png, {"days_cols": True}, "image", "days_cols"),
    ("rows.png", gen.table_png, {"days_cols": False}, "image", "days_rows"),
    ("list.png", gen.list_png, {}, "image", "list"),
]


@pytest.mark.parametrize(("fname", "make", "kw", "kind", "layout"), CASES, ids=[c[0] for c in CASES])
def test_generated_document(pm, registry, tmp_path: Path, fname, make, kw, kind, layout) -> None:  # noqa: ANN001
    spec = gen.Spec()
    path = make(spec, tmp_path / fname, **kw)
    got_kind, rr, draft, conf = run(pm, registry, path)
    assert got_kind == kind
    assert draft.layout == layout
    assert blocks(draft) == spec.expected()
    assert draft.teacher == spec.teacher
    assert draft.class_name == spec.class_name
    assert all(p.number == i for i, p in enumerate(rr.pages, start=1))
    if kind in ("pdf_text", "docx"):
        assert conf >= 0.98
    else:
        assert 0.5 <= conf <= 1.0


def test_scanned_pdf(pm, registry, tmp_path: Path) -> None:  # noqa: ANN001
    spec = gen.Spec()
    path = gen.scan_pdf(spec, tmp_path / "scan.pdf")
    kind, rr, draft, _ = run(pm, registry, path)
    assert kind == "pdf_scan" and rr.engine == "tesseract"
    exp = spec.expected()
    tp = len(blocks(draft) & exp)
    assert tp >= 0.85 * len(exp)


def test_docx_merged_cells_become_rules(tmp_path: Path) -> None:
    from plugins.reader_docx.plugin import DocxReader

    spec = gen.Spec()
    pages = DocxReader().read(gen.table_docx(spec, tmp_path / "t.docx"))
    assert len(pages) == 1 and pages[0].rules and pages[0].words
    texts = {w.text for w in pages[0].words}
    assert {"Science", "Lab", "Monday"} - texts == {"Monday"}  # days are "Mon" in the docx


def test_pdf_reader_rules_and_fills(tmp_path: Path) -> None:
    from plugins.reader_pdf_text.plugin import PdfTextReader

    pages = PdfTextReader().read(gen.table_pdf(gen.Spec(), tmp_path / "t.pdf"))
    assert pages[0].number == 1 and pages[0].rules and pages[0].rects
    assert any(r.color == "#e6e6e6" for r in pages[0].rects)
