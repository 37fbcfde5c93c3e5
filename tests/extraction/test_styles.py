"""The corpus generator's styles through the real pipeline: time and day formats, colours, dark
headers, rule-less tables, photos, several pages; plus confidence and validation behaviour."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from bench import corpus_gen as cg
from bench.scoring import f1, match
from core.extract import extract_file
from core.extraction.confidence import factors, name_score, vocabulary
from core.extraction.model import DraftBlock, DraftTimetable
from core.extraction.validate import validate_draft


def score(out: dict, truth: list[dict]) -> float:
    return f1(*match(out["timeblocks"], truth))


@pytest.mark.parametrize("time_fmt", ["24", "24nz", "dot", "ampm", "ampm_lc", "bare12"])
@pytest.mark.parametrize("layout", ["days_cols", "days_rows", "list"])
def test_text_pdf_time_formats(pm, registry, tmp_path: Path, time_fmt: str, layout: str) -> None:  # noqa: ANN001
    rng = random.Random(f"{time_fmt}{layout}")
    week, style = cg.random_week(rng), cg.random_style(rng)
    style.time_fmt = time_fmt
    cv = (
        cg.list_canvas(week, style)
        if layout == "list"
        else cg.table_canvas(week, style, layout == "days_cols")
    )
    cg.render_pdf(cv, tmp_path / "t.pdf")
    out = extract_file(tmp_path / "t.pdf", pm, registry)
    assert score(out, week.truth()) == 1.0
    assert out["teacher"] == week.teacher and out["className"] == week.class_name


@pytest.mark.parametrize("layout", ["days_cols", "days_rows", "list"])
def test_docx_styles(pm, registry, tmp_path: Path, layout: str) -> None:  # noqa: ANN001
    rng = random.Random(layout)
    week, style = cg.random_week(rng), cg.random_style(rng)
    style.colors = True
    cg.write_docx(week, style, layout, tmp_path / "t.docx")
    out = extract_file(tmp_path / "t.docx", pm, registry)
    assert score(out, week.truth()) == 1.0
    assert out["confidence"] >= 0.95


@pytest.mark.parametrize(("layout", "fmt", "dark"), [("ruleless", "png", False), ("days_rows", "png", True),
                                                      ("days_cols", "photo", False)])  # fmt: skip
def test_images(pm, registry, tmp_path: Path, layout: str, fmt: str, dark: bool) -> None:  # noqa: ANN001
    rng = random.Random(3)
    week, style = cg.random_week(rng), cg.random_style(rng)
    style.dark_header, style.font, style.size = dark, "DejaVu Sans", 14
    cv = cg.table_canvas(week, style, layout != "days_rows", rules=layout != "ruleless")
    im = cg.render_png(cv, style, 1.6)
    path = tmp_path / ("t.png" if fmt == "png" else "t.jpg")
    (cg.photograph(im, rng) if fmt == "photo" else im).save(path)
    out = extract_file(path, pm, registry)
    assert score(out, week.truth()) >= 0.9
    assert out["teacher"] == week.teacher


def _two_page_pdf(tmp_path: Path, second: cg.Week, style: cg.Style, first: cg.Week) -> Path:
    import pypdfium2 as pdfium

    for name, week in (("a.pdf", first), ("b.pdf", second)):
        cg.render_pdf(cg.table_canvas(week, style, True), tmp_path / name)
    doc = pdfium.PdfDocument.new()
    for name in ("a.pdf", "b.pdf"):
        doc.import_pages(pdfium.PdfDocument(str(tmp_path / name)))
    doc.save(str(tmp_path / "two.pdf"))
    return tmp_path / "two.pdf"


def test_multi_page_continuation_keeps_pages(pm, registry, tmp_path: Path) -> None:  # noqa: ANN001
    rng = random.Random(5)
    week, style = cg.random_week(rng), cg.random_style(rng)
    first = cg.Week(week.teacher, week.class_name, week.days[:3], week.periods,
                    {k: v for k, v in week.cells.items() if k[0] < 3})  # fmt: skip
    rest = cg.Week(week.teacher, week.class_name, week.days[3:], week.periods,
                   {(d - 3, p): v for (d, p), v in week.cells.items() if d >= 3})  # fmt: skip
    out = extract_file(_two_page_pdf(tmp_path, rest, style, first), pm, registry)
    assert score(out, week.truth()) == 1.0
    assert {b["page"] for b in out["timeblocks"] if b["day"] in week.days[3:]} == {2}
    assert {b["page"] for b in out["timeblocks"] if b["day"] in week.days[:3]} == {1}


def test_multi_page_other_class_is_left_out_with_a_warning(pm, registry, tmp_path: Path) -> None:  # noqa: ANN001
    rng = random.Random(6)
    a, b, style = cg.random_week(rng), cg.random_week(rng), cg.random_style(rng)
    out = extract_file(_two_page_pdf(tmp_path, b, style, a), pm, registry)
    assert score(out, a.truth()) == 1.0
    assert any("page(s) 2 hold another timetable" in w for w in out["warnings"])


def test_vocabulary_a_school_extends() -> None:
    base = vocabulary()
    assert "chemistry" in base and "kapa haka" not in base
    extra = vocabulary(extra=["Kapa Haka"])
    assert name_score("Kapa Haka", extra) == 1.0 > name_score("Kapa Haka", base)


def test_vocabulary_file_setting(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    f = tmp_path / "subjects.txt"
    f.write_text("# our subjects\nMatauranga Maori\n")
    monkeypatch.setenv("TIMETABLER_SUBJECTS_FILE", str(f))
    assert "matauranga maori" in vocabulary() and "maori" in vocabulary()


def test_confidence_factors_follow_the_reading() -> None:
    lessons = [DraftBlock("Monday", f"{h:02d}:00", f"{h:02d}:50", "Maths") for h in (9, 10, 11)]
    good = DraftTimetable(blocks=lessons, stats={"coverage": 1.0, "rows_timed": 1.0})
    noisy = DraftTimetable(blocks=[DraftBlock("Monday", "09:00", "23:30", "xq~v", confidence=0.3)],
                           stats={"coverage": 0.2, "rows_timed": 0.5})  # fmt: skip
    fg, fn = factors(good), factors(noisy)
    assert all(fg[k] > fn[k] for k in fg)


def test_validation_durations_and_overlaps() -> None:
    draft = DraftTimetable(blocks=[
        DraftBlock("Mon", "9:00", "9:50", "Maths"), DraftBlock("Monday", "09:30", "10:20", "Art"),
        DraftBlock("Monday", "10:00", "10:02", "Blip"), DraftBlock("Tuesday", "08:00", "17:00", "Trip"),
    ])  # fmt: skip
    out, warnings = validate_draft(draft)
    assert [b.name for b in out.blocks] == ["Maths", "Art"]  # both kept: overlaps are reported
    assert any("overlap on Monday" in w for w in warnings)
    assert sum("is not a lesson" in w for w in warnings) == 2
