"""The PDFium text-layer reader on PDFs drawn the ways real exporters draw them: a whole grid as one
path, the timetable inside a form XObject, a page turned with /Rotate, coloured cells (RGB, grey,
CMYK), "LUNCH" set at 90 degrees down a merged column. PDFs are written by hand (exact operators,
no dependencies); each test checks what a teacher would: the right blocks, or the words and cells."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.engines import DocumentUnreadable
from core.extraction import stages
from core.extraction.model import Page
from core.extraction.validate import validate_draft
from core.plugins import EngineRegistry
from plugins.reader_pdf_text.plugin import PdfTextReader
from tests.extraction import gen


def write_pdf(
    path: Path, size: tuple[float, float], content: str, rotate: int = 0, form: str | None = None
) -> Path:
    """A one-page PDF with Helvetica (F1, F2); `form` becomes a form XObject /Fm0 the content can draw."""
    fonts = "/Font << /F1 5 0 R /F2 6 0 R >>"
    xobjects = " /XObject << /Fm0 7 0 R >>" if form is not None else ""
    page = (
        f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {size[0]:.2f} {size[1]:.2f}] /Rotate {rotate} "
        f"/Resources << {fonts}{xobjects} >> /Contents 4 0 R >>"
    )
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        page.encode(),
        _stream(content.encode("latin-1")),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>",
    ]
    if form is not None:
        bbox = f"[0 0 {max(size):.2f} {max(size):.2f}]"
        head = f"/Type /XObject /Subtype /Form /BBox {bbox} /Resources << {fonts} >>"
        objs.append(_stream(form.encode("latin-1"), head))
    path.write_bytes(gen.assemble_pdf(objs))
    return path


def _stream(data: bytes, head: str = "") -> bytes:
    return f"<< {head} /Length {len(data)} >>\nstream\n".encode() + data + b"\nendstream"


def timetable_ops(cv: gen.Canvas, fills: tuple[str, ...] = ("0.9 0.9 0.9 rg",)) -> str:
    """The canvas as PDF operators (y up), its whole grid stroked as ONE path of m/l pairs."""
    h = cv.height
    ops = ["0.5 w"]
    for i, (a, b, c, d, _) in enumerate(cv.fills):
        ops.append(f"{fills[i % len(fills)]} {a:.2f} {h - d:.2f} {c - a:.2f} {d - b:.2f} re f")
    ops.append(
        "0 g " + " ".join(f"{a:.2f} {h - b:.2f} m {c:.2f} {h - d:.2f} l" for a, b, c, d in cv.lines) + " S"
    )
    for cx, cy, s, size, bold in cv.texts:
        s = s.replace("·", "-")
        x = abs(cx) if cx < 0 else cx - 0.25 * size * len(s)
        font = "F2" if bold else "F1"
        esc = s.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        ops.append(f"BT /{font} {size} Tf {x:.2f} {h - cy - size * 0.35:.2f} Td ({esc}) Tj ET")
    return "\n".join(ops)


def extract_blocks(pm, registry: EngineRegistry, path: Path) -> set[tuple[str, str, str, str]]:  # noqa: ANN001
    kind = stages.classify(pm, path, path.name)
    assert kind == "pdf_text"
    draft, _ = validate_draft(stages.interpret(stages.read(registry, path, kind)))
    return {(b.day, b.start_time, b.end_time, b.name) for b in draft.blocks}


def read_page(path: Path) -> Page:
    (page,) = PdfTextReader().read(path)
    return page


def test_grid_drawn_as_one_path(pm, registry, tmp_path: Path) -> None:  # noqa: ANN001
    """Exporters that stroke every ruling line in one path object: each straight segment is a rule."""
    spec = gen.Spec()
    cv = gen._table_canvas(spec, days_cols=True)
    path = write_pdf(tmp_path / "one_path.pdf", (cv.width, cv.height), timetable_ops(cv))
    page = read_page(path)
    assert len(page.rules) >= len(cv.lines)
    assert all(
        r.x0 == pytest.approx(r.x1, abs=0.01) or r.y0 == pytest.approx(r.y1, abs=0.01) for r in page.rules
    )
    assert extract_blocks(pm, registry, path) == spec.expected()


def test_timetable_inside_a_form_xobject(pm, registry, tmp_path: Path) -> None:  # noqa: ANN001
    """Word processors wrap the page in a form XObject, sometimes moved by its own matrix."""
    spec = gen.Spec()
    cv = gen._table_canvas(spec, days_cols=False)
    form = "1 0 0 1 -20 -10 cm\n" + timetable_ops(cv)
    path = write_pdf(tmp_path / "form.pdf", (cv.width, cv.height), "q 1 0 0 1 20 10 cm /Fm0 Do Q", form=form)
    page = read_page(path)
    assert any(w.text == "Monday" for w in page.words)
    assert len(page.rules) >= len(cv.lines)
    assert extract_blocks(pm, registry, path) == spec.expected()


@pytest.mark.parametrize("rotate", [90, 270])
def test_rotated_page(pm, registry, tmp_path: Path, rotate: int) -> None:  # noqa: ANN001
    """A landscape timetable stored as a portrait page turned by /Rotate: read as it is shown."""
    spec = gen.Spec()
    cv = gen._table_canvas(spec, days_cols=True)
    # Draw the landscape page into the portrait media box so that the viewer's turn sets it upright.
    turn = f"0 1 -1 0 {cv.height:.2f} 0 cm" if rotate == 90 else f"0 -1 1 0 0 {cv.width:.2f} cm"
    content = f"q {turn}\n{timetable_ops(cv)}\nQ"
    path = write_pdf(tmp_path / f"rot{rotate}.pdf", (cv.height, cv.width), content, rotate=rotate)
    page = read_page(path)
    assert (page.width, page.height) == pytest.approx((cv.width, cv.height), abs=0.5)
    monday = next(w for w in page.words if w.text == "Monday")
    assert monday.x1 - monday.x0 > monday.y1 - monday.y0  # upright on the page as shown
    assert extract_blocks(pm, registry, path) == spec.expected()


def test_filled_cell_colours(tmp_path: Path) -> None:
    """Cell backgrounds keep their colour, whatever the colour space; thin filled bars are rules."""
    content = "\n".join(
        [
            "0.2 0.6 1 rg 50 600 100 30 re f",  # RGB
            "0.5 g 50 550 100 30 re f",  # grey
            "0 0 0 0 k 200 600 100 30 re f",  # CMYK white
            "0 0 0 1 k 200 550 100 30 re f",  # CMYK black
            "0 0 0 rg 50 500 250 1 re f",  # a 1 pt bar: a ruling line, not a cell
        ]
    )
    page = read_page(write_pdf(tmp_path / "fills.pdf", (400, 700), content))
    colours = {(round(r.x0), round(r.y0)): r.color for r in page.rects}
    cmyk_black = colours.pop((200, 120))
    assert colours == {(50, 70): "#3399ff", (50, 120): "#808080", (200, 70): "#ffffff"}
    assert all(int(cmyk_black[i : i + 2], 16) < 0x40 for i in (1, 3, 5))  # rendered as a rich near-black
    assert [(round(r.x0), round(r.y0), round(r.x1), round(r.y1)) for r in page.rules] == [(50, 199, 300, 200)]


def test_stroked_rectangle_is_four_rules(tmp_path: Path) -> None:
    page = read_page(write_pdf(tmp_path / "box.pdf", (400, 700), "1 0 0 RG 1 1 0 rg 50 500 200 100 re B"))
    edges = sorted((round(r.x0), round(r.y0), round(r.x1), round(r.y1)) for r in page.rules)
    assert edges == [(50, 100, 50, 200), (50, 100, 250, 100), (50, 200, 250, 200), (250, 100, 250, 200)]
    assert [(round(r.x0), round(r.y0), round(r.x1), round(r.y1), r.color) for r in page.rects] == [
        (50, 100, 250, 200, "#ffff00")
    ]


def test_rotated_text_reads_along_its_column(tmp_path: Path) -> None:
    """'LUNCH' set at 90 degrees down a merged column, turned either way, reads as one word."""
    content = "\n".join(
        [
            "BT /F2 14 Tf 0 1 -1 0 100 300 Tm (LUNCH) Tj ET",  # anticlockwise: runs bottom to top
            "BT /F2 14 Tf 0 -1 1 0 200 500 Tm (BREAK) Tj ET",  # clockwise: runs top to bottom
            "BT /F1 12 Tf 50 650 Td (Period 1 09:00 - 09:45) Tj ET",
        ]
    )
    page = read_page(write_pdf(tmp_path / "turned.pdf", (400, 700), content))
    words = {w.text: w for w in page.words}
    assert {"LUNCH", "BREAK", "Period", "1", "09:00", "-", "09:45"} == set(words)
    for name in ("LUNCH", "BREAK"):
        w = words[name]
        assert w.y1 - w.y0 > 2 * (w.x1 - w.x0)  # a tall, narrow word
    assert words["LUNCH"].y1 == pytest.approx(700 - 300, abs=1)  # starts at its origin, runs up
    assert words["BREAK"].y0 == pytest.approx(700 - 500, abs=1)  # starts at its origin, runs down


def test_words_split_like_pdfplumber(tmp_path: Path) -> None:
    """Words break at spaces and at gaps wider than 3 pt, not at kerning; a line spans a 3 pt wobble."""
    content = "\n".join(
        [
            "BT /F1 12 Tf 50 600 Td [(Ma) 60 (ths)] TJ ET",  # kerned: still one word
            "BT /F1 12 Tf 50 570 Td [(Room) -800 (12)] TJ ET",  # a 9.6 pt gap: two words
            "BT /F1 12 Tf 50 540 Td (09:00 ) Tj ET BT /F1 12 Tf 84.7 541.5 Td (AM) Tj ET",  # trailing space
        ]
    )
    page = read_page(write_pdf(tmp_path / "gaps.pdf", (400, 700), content))
    lines: dict[int, list[str]] = {}
    for w in sorted(page.words, key=lambda w: w.x0):
        lines.setdefault(round(w.y1 / 10), []).append(w.text)
    assert sorted(lines.values()) == [["09:00", "AM"], ["Maths"], ["Room", "12"]]


def test_damaged_pdf_is_unreadable(tmp_path: Path) -> None:
    path = tmp_path / "cut.pdf"
    path.write_bytes(
        write_pdf(tmp_path / "whole.pdf", (400, 700), "BT /F1 12 Tf 50 600 Td (Maths) Tj ET").read_bytes()[
            :150
        ]
    )
    with pytest.raises(DocumentUnreadable):
        PdfTextReader().read(path)


def test_a_path_of_millions_of_segments_is_cut_short(tmp_path: Path) -> None:
    """A hostile drawing is not walked segment by segment: its rules are left out and the page noted."""
    zigzag = " ".join(f"{i % 400} 0 m {i % 400} 700 l" for i in range(100_001)) + " S"
    content = "BT /F1 12 Tf 50 600 Td (Maths) Tj ET\n" + zigzag
    page = read_page(write_pdf(tmp_path / "huge.pdf", (400, 700), content))
    assert [w.text for w in page.words] == ["Maths"]
    assert page.rules == [] and any("too complex" in n for n in page.notes)
