"""Unit tests: time parsing, days, validation, header, classify and route."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.engines import DocumentUnreadable
from core.extraction.daytime import day_name, find_range, normalize_time, parse_time
from core.extraction.header import read_header
from core.extraction.model import DraftBlock, DraftTimetable
from core.extraction.spelling import correct_variants
from core.extraction.table import split_name
from core.extraction.validate import duration_minutes, validate_draft
from core.policy import Thresholds
from plugins.policy_default import plugin as policy
from plugins.reader_docx.plugin import DocxReader
from plugins.reader_pdf_text.plugin import PdfTextReader


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("8:30", "08:30"), ("8.30", "08:30"), ("08:30", "08:30"), ("1:30 pm", "13:30"),
        ("12:15pm", "12:15"), ("12:05 AM", "00:05"), ("13:05", "13:05"), ("2:15", "14:15"),
        ("9:05 a.m.", "09:05"),
    ],
)  # fmt: skip
def test_parse_time(text: str, want: str) -> None:
    assert parse_time(text) == want


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("08:30-09:20", ("08:30", "09:20")), ("8.30 - 9.20", ("08:30", "09:20")),
        ("11:30 - 12:15pm", ("11:30", "12:15")), ("11:30 - 1:00", ("11:30", "13:00")),
        ("12:15pm - 1:15pm", ("12:15", "13:15")), ("1:00 - 1:45", ("13:00", "13:45")),
        ("9:00 AM - 9:40 AM", ("09:00", "09:40")), ("10:45 to 11:40", ("10:45", "11:40")),
        ("Period 1 8:00am - 9:00am", ("08:00", "09:00")), ("12:00 - 12:45", ("12:00", "12:45")),
    ],
)  # fmt: skip
def test_find_range(text: str, want: tuple[str, str]) -> None:
    got = find_range(text)
    assert got is not None and got[:2] == want


def test_no_range() -> None:
    assert find_range("Maths 7B") is None
    assert normalize_time("banana") is None
    assert normalize_time("0930") == "09:30"


def test_day_names() -> None:
    assert day_name("Mon") == "Monday"
    assert day_name("THURSDAY") == "Thursday"
    assert day_name("Wednesdav") == "Wednesday"
    assert day_name("Maths") is None


def test_split_name() -> None:
    assert split_name(["Geography", "7B"]) == ("Geography", "7B")
    assert split_name(["Psychology (10B Rm 23)"]) == ("Psychology", "10B Rm 23")
    assert split_name(["Physical Edu-", "cation", "Gym"]) == ("Physical Edu- cation", "Gym")
    assert split_name(["Break"]) == ("Break", None)


def test_validate() -> None:
    draft = DraftTimetable(
        blocks=[
            DraftBlock("Tue", "9:00", "9:40", "Art"),
            DraftBlock("Monday", "1:30 pm", "2:15 pm", "Maths"),
            DraftBlock("Monday", "08:00", "08:45", " English  "),
            DraftBlock("Monday", "08:00", "08:45", "English"),  # duplicate
            DraftBlock("Monday", "10:00", "09:00", "Backwards"),
            DraftBlock("Monday", "10:00", "11:00", "  "),
            DraftBlock("Someday", "10:00", "11:00", "Lost"),
        ]
    )
    out, warnings = validate_draft(draft)
    assert [(b.day, b.start_time, b.end_time, b.name) for b in out.blocks] == [
        ("Monday", "08:00", "08:45", "English"),
        ("Monday", "13:30", "14:15", "Maths"),
        ("Tuesday", "09:00", "09:40", "Art"),
    ]
    assert len(warnings) == 3 and any("Backwards" in w for w in warnings)
    assert duration_minutes("08:30", "09:20") == 50


def test_header() -> None:
    d = DraftTimetable()
    read_header(["Timetable — Dr S. Mensah", "Class 5M · Term 3 2026"], d)
    assert (d.teacher, d.class_name, d.term, d.year) == ("Dr S. Mensah", "5M", "3", 2026)
    d = DraftTimetable()
    read_header(["Teacher: Mr A. Smith", "Class: 9C"], d)
    assert (d.teacher, d.class_name) == ("Mr A. Smith", "9C")


def test_column_titles_above_a_table_are_no_class() -> None:
    d = DraftTimetable()
    read_header(["Name PHAN KANG XUN", "Course Title AU Status Class Type Group Day Time Venue Remark"], d)
    assert d.class_name is None
    d = DraftTimetable()
    read_header(["Group: Year Nine Blue"], d)  # after a colon, any value names the class
    assert d.class_name == "Year Nine Blue"


def test_classify(tmp_path: Path) -> None:
    from tests.extraction import gen

    spec = gen.Spec()
    png = gen.table_png(spec, tmp_path / "t.png", scale=1.0)
    pdf = gen.table_pdf(spec, tmp_path / "t.pdf")
    scan = gen.scan_pdf(spec, tmp_path / "s.pdf")
    docx = gen.table_docx(spec, tmp_path / "t.docx")
    junk = tmp_path / "j.txt"
    junk.write_text("hello")
    for path, want in [(png, "image"), (pdf, "pdf_text"), (scan, "pdf_scan"), (docx, "docx"), (junk, None)]:
        head = path.read_bytes()[:8192]
        assert policy.classify_document(path=path, filename=path.name, head=head) == want


@pytest.mark.parametrize(
    ("conf", "route"),
    [(0.99, "accept"), (0.98, "accept"), (0.95, "secondary_ocr"), (0.85, "llm"), (0.1, "review")],
)
def test_route(conf: float, route: str) -> None:
    assert policy.route_document(confidence=conf, thresholds=Thresholds()) == route


def test_corrupt_documents(tmp_path: Path) -> None:
    from core.extraction.images import page_images

    bad = tmp_path / "bad.docx"
    bad.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(DocumentUnreadable):
        DocxReader().read(bad)
    bad_pdf = tmp_path / "bad.pdf"
    bad_pdf.write_bytes(b"%PDF-1.4 garbage")
    with pytest.raises(DocumentUnreadable):
        PdfTextReader().read(bad_pdf)
    with pytest.raises(DocumentUnreadable):
        list(page_images(bad_pdf, "pdf_scan"))
    bad_png = tmp_path / "bad.png"
    bad_png.write_bytes(b"\x89PNG\r\n\x1a\n truncated")
    with pytest.raises(DocumentUnreadable):
        list(page_images(bad_png, "image"))


def test_a_subject_misread_two_ways_across_the_week_is_mended() -> None:
    names = ["Acts", "Sports", "Aets", "Music"]
    assert correct_variants(names) == ["Arts", "Sports", "Arts", "Music"]
    # One slip alone may be a real name outside the vocabulary: left as printed.
    assert correct_variants(["Acts", "Sports", "Acts"]) == ["Acts", "Sports", "Acts"]
    assert correct_variants(["Farm", "Music"]) == ["Farm", "Music"]


def test_a_bare_name_label_is_no_teacher() -> None:
    d = DraftTimetable()
    read_header(["Class list - Term 2", "Name: Alex Tan"], d)  # a student's own list
    assert d.teacher is None
    d = DraftTimetable()
    read_header(["Name: Mr A. Smith"], d)  # a titled name is a teacher's
    assert d.teacher == "Mr A. Smith"
