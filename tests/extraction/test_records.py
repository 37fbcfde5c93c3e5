"""Timetables with one row per lesson (course registration exports, class lists) through the real
pipeline: text PDFs ruled, ruled between rows only or not at all, top-aligned or centred cells,
DOCX with merged title cells, PNGs (ruled, plain, striped) read by Tesseract;
compact ("1430-1620"), "08:30 - 09:20" and separate start and end columns; continuation rows that
take the course title above. Ordinary grids and day-by-day lists must not be read as records."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from bench import gen_records as gr
from bench.scoring import f1, match
from core.extract import extract_file
from core.extraction.model import Page, Word
from core.extraction.records import read_records
from tests.extraction import gen

UNI_COLUMNS = ["Course", "Title", "AU", "Type", "Group", "Day", "Time", "Venue", "Remark"]
SCHOOL_COLUMNS = ["Day", "Start", "End", "Subject", "Room"]


def lessons() -> list[gr.Lesson]:
    """Three courses; rows without a code and title continue the course above."""
    return [
        gr.Lesson("MA2001", "LINEAR ALGEBRA", "LEC", "LE1", "Monday", 510, 560, "LT2"),
        gr.Lesson("", "", "TUT", "T4", "Wednesday", 870, 980, "TR+12"),
        gr.Lesson("CH1102", "ORGANIC CHEMISTRY", "LEC", "LE3", "Tuesday", 630, 680, "LT5"),
        gr.Lesson("", "", "LAB", "L2", "Thursday", 780, 890, "Lab 3"),
        gr.Lesson("", "", "TUT", "T1", "Friday", 570, 620, "TR+7"),
        gr.Lesson("HW0110", "ACADEMIC WRITING", "TUT", "T9", "Thursday", 1050, 1100, "COLLAB 1"),
    ]


EXPECTED = {
    ("Monday", "08:30", "09:20", "LINEAR ALGEBRA"),
    ("Wednesday", "14:30", "16:20", "LINEAR ALGEBRA"),
    ("Tuesday", "10:30", "11:20", "ORGANIC CHEMISTRY"),
    ("Thursday", "13:00", "14:50", "ORGANIC CHEMISTRY"),
    ("Friday", "09:30", "10:20", "ORGANIC CHEMISTRY"),
    ("Thursday", "17:30", "18:20", "ACADEMIC WRITING"),
}


def blocks(out: dict) -> set[tuple[str, str, str, str]]:
    return {(b["day"], b["startTime"], b["endTime"], b["name"]) for b in out["timeblocks"]}


def export_style(fmt: str, times: str, **kw: object) -> gr.RecordStyle:
    cols = list(UNI_COLUMNS)
    if times == "split":
        cols[cols.index("Time") : cols.index("Time") + 1] = ["Start", "End"]
    return gr.RecordStyle(fmt=fmt, times=times, columns=cols, **kw)  # type: ignore[arg-type]


@pytest.mark.parametrize("rules", ["none", "grid"])
def test_text_pdf_export_names_come_from_title_column(pm, registry, tmp_path: Path, rules: str) -> None:  # noqa: ANN001
    path = gr.write_document(tmp_path / "r.pdf", lessons(), export_style("pdf_text", "compact", rules=rules))
    out = extract_file(path, pm, registry)
    assert blocks(out) == EXPECTED  # continuation rows named after the course above; no codes
    lab = next(b for b in out["timeblocks"] if b["day"] == "Thursday" and b["startTime"] == "13:00")
    assert "LAB" in lab["notes"] and "Lab 3" in lab["notes"]  # class type and venue kept as notes
    assert out["confidence"] >= 0.8


def test_school_class_list_with_start_and_end_columns(pm, registry, tmp_path: Path) -> None:  # noqa: ANN001
    style = gr.RecordStyle(fmt="pdf_text", times="split", days="full", columns=SCHOOL_COLUMNS,
                           subject_title="Subject", rules="none")  # fmt: skip
    rows = [gr.Lesson("", t.title(), "", "", d, s, e, v) for t, d, s, e, v in (
        ("Maths", "Monday", 530, 580, "R12"), ("English", "Monday", 580, 630, "R3"),
        ("Science", "Tuesday", 530, 630, "Lab 1"), ("History", "Friday", 780, 830, "R7"),
    )]  # fmt: skip
    out = extract_file(gr.write_document(tmp_path / "s.pdf", rows, style), pm, registry)
    assert blocks(out) == {
        ("Monday", "08:50", "09:40", "Maths"), ("Monday", "09:40", "10:30", "English"),
        ("Tuesday", "08:50", "10:30", "Science"), ("Friday", "13:00", "13:50", "History"),
    }  # fmt: skip


def test_docx_with_merged_title_cells(pm, registry, tmp_path: Path) -> None:  # noqa: ANN001
    style = export_style("docx", "colon", days="abbr", merged_titles=True)
    out = extract_file(gr.write_document(tmp_path / "r.docx", lessons(), style), pm, registry)
    assert blocks(out) == EXPECTED


@pytest.mark.parametrize(("fmt", "times"), [("png_ruled", "colon"), ("png_plain", "compact")])
def test_png_read_by_ocr(pm, registry, tmp_path: Path, fmt: str, times: str) -> None:  # noqa: ANN001
    style = export_style(fmt, times, rules="grid" if fmt == "png_ruled" else "none")
    out = extract_file(gr.write_document(tmp_path / "r.png", lessons(), style), pm, registry)
    assert blocks(out) == EXPECTED


@pytest.mark.parametrize("rules", ["rows", "none"])
def test_centred_cells_wrapped_above_and_below_the_day(pm, registry, tmp_path: Path, rules: str) -> None:  # noqa: ANN001
    # HTML tables centre cells vertically: a wrapped title has a line above its row's day and time.
    style = export_style("pdf_text", "colon", rules=rules, middle=True)
    rows = lessons()
    rows[2].title = "ORGANIC CHEMISTRY OF NATURAL PRODUCTS"
    out = extract_file(gr.write_document(tmp_path / "r.pdf", rows, style), pm, registry)
    rename = {"ORGANIC CHEMISTRY": "ORGANIC CHEMISTRY OF NATURAL PRODUCTS"}
    assert blocks(out) == {(d, s, e, rename.get(n, n)) for d, s, e, n in EXPECTED}


def test_striped_rows_png_with_centred_cells(pm, registry, tmp_path: Path) -> None:  # noqa: ANN001
    style = export_style("png_plain", "compact", rules="none", middle=True, zebra=True, days="full")
    out = extract_file(gr.write_document(tmp_path / "r.png", lessons(), style), pm, registry)
    assert blocks(out) == EXPECTED


@pytest.mark.parametrize(("fmt", "rules"), [("docx", "grid"), ("pdf_text", "rows")])
def test_day_printed_once_per_day(pm, registry, tmp_path: Path, fmt: str, rules: str) -> None:  # noqa: ANN001
    # A class list sorted by day: the day cell is merged (DOCX) or left blank below its first row.
    style = gr.RecordStyle(fmt=fmt, times="compact", days="abbr", columns=["Day", "Time", "Subject", "Room"],
                           subject_title="Subject", rules=rules, days_once=True)  # fmt: skip
    path = gr.write_document(
        tmp_path / f"r.{'docx' if fmt == 'docx' else 'pdf'}", gr.by_day(lessons()), style
    )
    assert blocks(extract_file(path, pm, registry)) == EXPECTED


def test_no_header_row_subject_found_by_content(pm, registry, tmp_path: Path) -> None:  # noqa: ANN001
    style = export_style("pdf_text", "compact", rules="none", header=False)
    out = extract_file(gr.write_document(tmp_path / "r.pdf", lessons(), style), pm, registry)
    assert blocks(out) == EXPECTED  # the titles, not the codes, venues or remarks


def test_first_row_without_a_title_gives_no_block(pm, registry, tmp_path: Path) -> None:  # noqa: ANN001
    rows = [gr.Lesson("", "", "TUT", "T1", "Monday", 480, 530, "R1"), *lessons()]
    path = gr.write_document(tmp_path / "r.pdf", rows, export_style("pdf_text", "compact"))
    assert blocks(extract_file(path, pm, registry)) == EXPECTED  # no name is invented for it


def test_generated_text_documents(pm, registry, tmp_path: Path) -> None:  # noqa: ANN001
    rng = random.Random(7)
    for i in range(6):
        path = gr.make_document(tmp_path, i, ["pdf_text", "docx"][i % 2], rng)
        truth = json.loads((path.parent / f"{path.stem}.truth.json").read_text())
        out = extract_file(path, pm, registry)
        assert f1(*match(out["timeblocks"], truth["timeblocks"])) == 1.0, path.name


@pytest.mark.parametrize("days_cols", [True, False])
def test_grids_and_lists_are_not_records(registry, tmp_path: Path, days_cols: bool) -> None:  # noqa: ANN001
    reader = registry.reader_for("pdf_text")
    spec = gen.Spec()
    for path in (gen.table_pdf(spec, tmp_path / "g.pdf", days_cols), gen.list_pdf(spec, tmp_path / "l.pdf")):
        assert all(read_records(page) is None for page in reader.read(path))


def _line(y: float, cells: list[tuple[float, str]]) -> list[Word]:
    words = []
    for x, text in cells:
        for k, part in enumerate(text.split()):
            words.append(Word(part, x + 60 * k, y - 10, x + 60 * k + 50, y + 10))
    return words


def test_crowded_lines_that_overlap_still_read() -> None:
    # OCR boxes of a dense screenshot: a wrapped line overlaps the rows above and below it.
    words = _line(0, [(0, "Day"), (100, "Time"), (300, "Subject"), (500, "Room")])
    words += _line(50, [(0, "MON"), (100, "08:30-09:20"), (300, "Maths"), (500, "R1")])
    words += _line(62, [(300, "Advanced")])
    words += _line(74, [(0, "TUE"), (100, "09:30-10:20"), (300, "English"), (500, "R2")])
    reading = read_records(Page(1, 800, 200, words))
    assert reading is not None
    assert [(b.day, b.start_time, b.end_time) for b in reading.blocks] == [
        ("Monday", "08:30", "09:20"), ("Tuesday", "09:30", "10:20"),
    ]  # fmt: skip


def test_garbled_times_of_small_print_are_left_out_not_guessed() -> None:
    """OCR of a small screenshot: a cell's border read as a "1" glued to a time, two times
    garbled past reading, and a day and time run together across the rule between them. The
    time column is still found; the readable rows give their lessons, the garbled ones none."""
    words = _line(0, [(0, "Day"), (100, "Time"), (300, "Title"), (500, "Room")])
    rows = [("THU", "11430-1620", "CALCULUS"), ("WED", "1S90-4620", "ALGEBRA"), ("TUE", "1130-1220", "LOGIC"),
            ("MON", "0 1820", "PHYSICS"), ("FRI", "0930-1020", "DRAWING")]  # fmt: skip
    for i, (day, time, title) in enumerate(rows):
        words += _line(40 + 40 * i, [(0, day), (100, time), (300, title), (500, "R1")])
    words += _line(240, [(0, "MON|1230-1420"), (300, "CHEMISTRY"), (500, "R2")])
    reading = read_records(Page(1, 800, 300, words))
    assert reading is not None
    assert {(b.day, b.start_time, b.end_time, b.name) for b in reading.blocks} == {
        ("Thursday", "14:30", "16:20", "CALCULUS"),
        ("Tuesday", "11:30", "12:20", "LOGIC"),
        ("Friday", "09:30", "10:20", "DRAWING"),
        ("Monday", "12:30", "14:20", "CHEMISTRY"),
    }
