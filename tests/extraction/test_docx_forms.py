"""Word files in the forms people make them (issue 16): the timetable table inside a content
control, inside a layout table, cut in two over a page, or pasted as a picture."""

from __future__ import annotations

import copy
from pathlib import Path

from docx import Document
from docx.oxml import OxmlElement
from lxml import etree

from plugins.reader_docx.plugin import W, _is_layout_table, _para_text
from tests.extraction import gen
from tests.extraction.test_documents import blocks, run


def _table_doc(tmp_path: Path, days_cols: bool = True):  # noqa: ANN202
    spec = gen.Spec()
    path = gen.table_docx(spec, tmp_path / "t.docx", days_cols=days_cols)
    doc = Document(str(path))
    tbl = next(el for el in doc.element.body if el.tag == W + "tbl")
    return spec, doc, tbl


def test_table_inside_a_content_control(pm, registry, tmp_path: Path) -> None:  # noqa: ANN001
    spec, doc, tbl = _table_doc(tmp_path)
    sdt, content = OxmlElement("w:sdt"), OxmlElement("w:sdtContent")
    sdt.append(OxmlElement("w:sdtPr"))
    tbl.addprevious(sdt)
    content.append(tbl)
    sdt.append(content)
    doc.save(str(tmp_path / "sdt.docx"))
    _, _, draft, conf = run(pm, registry, tmp_path / "sdt.docx")
    assert blocks(draft) == spec.expected() and conf >= 0.98


def test_table_inside_a_layout_table(pm, registry, tmp_path: Path) -> None:  # noqa: ANN001
    spec, doc, tbl = _table_doc(tmp_path, days_cols=False)
    outer = doc.add_table(rows=2, cols=1)._tbl
    tbl.addprevious(outer)
    top, bottom = list(outer.iter(W + "tc"))
    top.find(W + "p").append(copy.deepcopy(doc.paragraphs[1]._p.find(W + "r")))  # "Class 8B"
    bottom.insert(len(bottom) - 1, tbl)  # a cell ends with a paragraph
    doc.save(str(tmp_path / "nested.docx"))
    _, _, draft, conf = run(pm, registry, tmp_path / "nested.docx")
    assert blocks(draft) == spec.expected() and conf >= 0.98
    assert _is_layout_table(outer)


def test_small_table_in_a_timetable_cell_keeps_the_timetable(tmp_path: Path) -> None:
    _, doc, tbl = _table_doc(tmp_path)
    cell = next(iter(tbl.iter(W + "tc")))
    inner = doc.add_table(rows=1, cols=2)._tbl
    cell.insert(0, inner)  # two groups' lessons side by side in one cell
    assert not _is_layout_table(tbl)


def test_table_split_over_two_pages_with_its_header_repeated(pm, registry, tmp_path: Path) -> None:  # noqa: ANN001
    spec, doc, tbl = _table_doc(tmp_path)
    rows = tbl.findall(W + "tr")
    second = copy.deepcopy(tbl)
    for tr in second.findall(W + "tr")[1:4]:
        second.remove(tr)
    for tr in rows[4:]:
        tbl.remove(tr)
    page_break = OxmlElement("w:p")
    run_ = OxmlElement("w:r")
    br = OxmlElement("w:br")
    br.set(W + "type", "page")
    run_.append(br)
    page_break.append(run_)
    tbl.addnext(page_break)
    page_break.addnext(second)
    doc.save(str(tmp_path / "split.docx"))
    _, _, draft, conf = run(pm, registry, tmp_path / "split.docx")
    assert blocks(draft) == spec.expected() and conf >= 0.98


def test_timetable_pasted_as_a_picture_is_read_by_ocr(pm, registry, tmp_path: Path) -> None:  # noqa: ANN001
    from docx.shared import Inches

    spec = gen.Spec()
    png = gen.table_png(spec, tmp_path / "t.png")
    doc = Document()
    doc.add_paragraph("Timetable")
    doc.add_picture(str(png), width=Inches(6.5))
    doc.save(str(tmp_path / "picture.docx"))
    kind, rr, draft, _ = run(pm, registry, tmp_path / "picture.docx")
    assert kind == "docx" and rr.engine == "tesseract"
    assert len(blocks(draft) & spec.expected()) >= 0.85 * len(spec.expected())


def test_a_text_box_is_read_once() -> None:
    mc = "http://schemas.openxmlformats.org/markup-compatibility/2006"
    p = etree.Element(W + "p")
    alt = etree.SubElement(etree.SubElement(p, W + "r"), f"{{{mc}}}AlternateContent")
    for part in ("Choice", "Fallback"):
        box = etree.SubElement(etree.SubElement(alt, f"{{{mc}}}{part}"), W + "txbxContent")
        etree.SubElement(etree.SubElement(etree.SubElement(box, W + "p"), W + "r"), W + "t").text = "Class 8B"
    assert _para_text(p) == ["Class 8B"]


def test_two_letter_day_headings_over_a_list(pm, registry, tmp_path: Path) -> None:  # noqa: ANN001
    doc = Document()
    doc.add_paragraph("Timetable - Ms J. Rivera")
    lessons = {"Mo": ["Maths", "English"], "Tu": ["Art", "Music"], "We": ["Drama", "French"]}
    for day, names in lessons.items():
        doc.add_paragraph(day)
        doc.add_paragraph(f"8:30 AM – 9:20 AM\t{names[0]}")
        doc.add_paragraph(f"9:20 AM – 10:10 AM\t{names[1]}")
    doc.save(str(tmp_path / "list.docx"))
    _, _, draft, _ = run(pm, registry, tmp_path / "list.docx")
    days = {"Mo": "Monday", "Tu": "Tuesday", "We": "Wednesday"}
    assert blocks(draft) == {
        (days[d], s, e, n)
        for d, names in lessons.items()
        for (s, e), n in zip((("08:30", "09:20"), ("09:20", "10:10")), names, strict=True)
    }


def test_table_typed_with_tabs(pm, registry, tmp_path: Path) -> None:  # noqa: ANN001
    """No Word table: a row per paragraph, cells between tabs (an empty cell, two tabs in a row)."""
    doc = Document()
    doc.add_paragraph("Timetable - Ms J. Rivera")
    rows = [
        ["Time", "Monday", "Tuesday", "Wednesday"],
        ["08:30 - 09:20", "Maths", "English", "Art"],
        ["09:20 - 10:10", "Science", "", "Music"],
        ["10:10 - 10:30", "Break", "Break", "Break"],
        ["10:30 - 11:20", "History", "French", ""],
    ]
    for row in rows:
        doc.add_paragraph("\t".join(row))
    doc.save(str(tmp_path / "tabs.docx"))
    _, _, draft, _ = run(pm, registry, tmp_path / "tabs.docx")
    expected = {
        (day, *row[0].split(" - "), row[d + 1])
        for row in rows[1:]
        for d, day in enumerate(rows[0][1:])
        if row[d + 1]
    }
    assert blocks(draft) == expected


def test_tab_stop_definitions_are_not_tabs() -> None:
    from plugins.reader_docx.plugin import _tab_segments

    p = etree.fromstring(
        f'<w:p xmlns:w="{W[1:-1]}"><w:pPr><w:tabs><w:tab w:val="left" w:pos="2000"/>'
        '<w:tab w:val="left" w:pos="4000"/></w:tabs></w:pPr><w:r><w:t>Mon</w:t><w:tab/>'
        "<w:t>Maths</w:t><w:tab/><w:t>Art</w:t></w:r></w:p>"
    )
    assert _tab_segments(p, 720) == [(0, "Mon"), (2000, "Maths"), (4000, "Art")]


def test_an_hour_merged_over_two_columns_times_both(pm, registry, tmp_path: Path) -> None:  # noqa: ANN001
    """Bare hour headers ("8 - 9", "12 - 1") where an hour's heading is merged over two columns, the
    lessons taking one half or both (and the next hour): every column under a heading has its hour."""
    heads = ["", "8 - 9", None, "9 - 10", "10 - 11", "11 - 12", "12 - 1", None, "1 - 2", "2 - 3"]
    doc = Document()
    table = doc.add_table(rows=4, cols=len(heads))
    for c, text in enumerate(heads):
        if text is not None:
            table.cell(0, c).text = text
    table.cell(0, 1).merge(table.cell(0, 2))
    table.cell(0, 6).merge(table.cell(0, 7))
    lessons = {  # (row, first column, last column): name
        (1, 1, 3): "Biology",  # both halves of 8-9, then 9-10
        (1, 6, 7): "Chemistry",  # both halves of 12-1
        (2, 1, 1): "History",  # the first half of 8-9 only
        (2, 4, 5): "French",
        (3, 6, 6): "Drama",  # the first half of 12-1 only
        (3, 8, 9): "Physics",
    }
    for r, day in enumerate(["Monday", "Tuesday", "Wednesday"], start=1):
        table.cell(r, 0).text = day
    for (r, c0, c1), name in lessons.items():
        cell = table.cell(r, c0) if c0 == c1 else table.cell(r, c0).merge(table.cell(r, c1))
        cell.text = name
    doc.save(str(tmp_path / "hours.docx"))
    _, _, draft, _ = run(pm, registry, tmp_path / "hours.docx")
    assert blocks(draft) == {
        ("Monday", "08:00", "10:00", "Biology"),
        ("Monday", "12:00", "13:00", "Chemistry"),
        ("Tuesday", "08:00", "09:00", "History"),
        ("Tuesday", "10:00", "12:00", "French"),
        ("Wednesday", "12:00", "13:00", "Drama"),
        ("Wednesday", "13:00", "15:00", "Physics"),
    }


def test_an_untimed_lunch_column_takes_the_gap_beside_a_misprinted_hour(pm, registry, tmp_path: Path) -> None:  # noqa: ANN001
    """A LUNCH BREAK column merged from the header down, with no time of its own, next to a period
    printed "12.00AM TO 1.00PM" (noon written AM, read again in the axis's order): the lunch is
    timed by the gap between its neighbours, one block a day."""
    heads = [
        "DAYS",
        "10.00AM TO 11.00AM",
        "11.00AM TO 12.00",
        "12.00AM TO 1.00PM",
        "LUNCH BREAK",
        "2.00PM TO 3.00PM",
    ]
    rows = {
        "MONDAY": ["ENGLISH", "SCIENCE", "TELUGU", "GK"],
        "TUESDAY": ["MATHS", "HINDI", "SOCIAL", "PHYSICS"],
    }
    doc = Document()
    table = doc.add_table(rows=3, cols=len(heads))
    for c, text in enumerate(heads):
        table.cell(0, c).text = text
    for r, (day, names) in enumerate(rows.items(), start=1):
        table.cell(r, 0).text = day
        for c, name in zip([1, 2, 3, 5], names, strict=True):
            table.cell(r, c).text = name
    table.cell(0, 4).merge(table.cell(2, 4))
    doc.save(str(tmp_path / "lunch.docx"))
    _, _, draft, _ = run(pm, registry, tmp_path / "lunch.docx")
    slots = [("10:00", "11:00"), ("11:00", "12:00"), ("12:00", "13:00"), ("14:00", "15:00")]
    expected = {
        (day.title(), s, e, n) for day, names in rows.items() for (s, e), n in zip(slots, names, strict=True)
    }
    expected |= {(day.title(), "13:00", "14:00", "LUNCH BREAK") for day in rows}
    assert blocks(draft) == expected
