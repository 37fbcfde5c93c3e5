"""Word files as people make them, beyond corpus_gen's one plain table (issue 16: real DOCX read
0.245 held out while generated DOCX read 1.0). corpus_gen's week and table, then one form:

- `plain`: corpus_gen's table as it is (the control);
- `sdt`: the table inside a content control (`w:sdt`), as templates and forms wrap it;
- `nested`: the table inside a cell of a layout table that also holds the title;
- `split`: the table cut in two over a page break, the header row repeated on the second part;
- `breaks`: a lesson's lines as line breaks in one paragraph, not as two paragraphs;
- `picture`: a picture of the table pasted into the document (no table at all);
- `textbox`: the title and class in a text box (its text would otherwise be read twice, once from
  the drawing and once from its VML fallback);
- `title_row`: the title and class in a first row merged across the table, a note in a last one;
- `tabs`: no table, one paragraph per row with the cells separated by tabs;
- `split_bare`: the table cut in two over a page break, the second part without a header row.

usage: uv run python -m bench.gen_docx OUT [--n 24] [--seed 1]; `run_bench --gen docx`.
"""

from __future__ import annotations

import copy
import io
import json
import random
from dataclasses import asdict
from pathlib import Path

from bench import corpus_gen as cg
from bench.gen_cli import run_generator

FORMS = ["plain", "sdt", "nested", "split", "breaks", "picture", "textbox", "title_row", "tabs", "split_bare"]
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _el(tag: str, **attrs: str):  # noqa: ANN202 (lxml element)
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    el = OxmlElement(tag)
    for k, v in attrs.items():
        el.set(qn(k), v)
    return el


def _sdt(tbl) -> None:  # noqa: ANN001
    sdt, content = _el("w:sdt"), _el("w:sdtContent")
    sdt.append(_el("w:sdtPr"))
    tbl.addprevious(sdt)
    content.append(tbl)
    sdt.append(content)


def _nested(doc, tbl) -> None:  # noqa: ANN001
    """The table moved into the second row of a one-column layout table whose first row holds the
    document's heading paragraphs."""
    body = doc.element.body
    heads = [p for p in body if p.tag == W + "p" and p.getnext() is not None][:2]
    outer = doc.add_table(rows=2, cols=1)._tbl
    tbl.addprevious(outer)
    cells = [tc for tc in outer.iter(W + "tc")]
    for p in heads:
        cells[0].append(p)
    cells[0].remove(cells[0].find(W + "p"))
    cells[1].append(tbl)  # a cell must end with a paragraph: its own empty one stays after
    cells[1].append(cells[1].find(W + "p"))


def _split(tbl, rng: random.Random, header: bool = True) -> None:  # noqa: ANN001
    rows = [tr for tr in tbl if tr.tag == W + "tr"]
    cut = rng.randint(2, len(rows) - 1)
    second = copy.deepcopy(tbl)
    for tr in [tr for tr in second if tr.tag == W + "tr"][0 if not header else 1 : cut]:
        second.remove(tr)
    for tr in rows[cut:]:
        tbl.remove(tr)
    p = _el("w:p")
    r = _el("w:r")
    r.append(_el("w:br", **{"w:type": "page"}))
    p.append(r)
    tbl.addnext(p)
    p.addnext(second)


def _breaks(tbl) -> None:  # noqa: ANN001
    """Every cell's second paragraph joined to its first by a line break."""
    for tc in tbl.iter(W + "tc"):
        ps = tc.findall(W + "p")
        for p in ps[1:]:
            runs = p.findall(W + "r")
            if not runs:
                continue
            r = _el("w:r")
            r.append(_el("w:br"))
            ps[0].append(r)
            for run in runs:
                ps[0].append(run)
            tc.remove(p)


def _title_row(doc, tbl) -> None:  # noqa: ANN001
    """The heading paragraphs moved into a first row spanning every column; a note row last."""
    body = doc.element.body
    heads = [p for p in body if p.tag == W + "p"][:2]
    ncols = len(tbl.find(W + "tblGrid").findall(W + "gridCol"))
    rows = tbl.findall(W + "tr")
    for where, paras in ((rows[0], heads), (rows[-1], None)):
        tr = _el("w:tr")
        tc = _el("w:tc")
        pr = _el("w:tcPr")
        pr.append(_el("w:gridSpan", **{"w:val": str(ncols)}))
        tc.append(pr)
        if paras:
            for p in paras:
                tc.append(p)
        else:
            p, r, t = _el("w:p"), _el("w:r"), _el("w:t")
            t.text = "Note: report to the form room at the start of the day."
            r.append(t)
            p.append(r)
            tc.append(p)
        tr.append(tc)
        if paras:
            where.addprevious(tr)
        else:
            where.addnext(tr)


def _cell_text(tc) -> str:  # noqa: ANN001
    vm = tc.find(f"{W}tcPr/{W}vMerge")
    if vm is not None and vm.get(W + "val") != "restart":
        return ""  # the lower part of a merged cell: left empty
    text = " ".join(
        "".join((t.text or "") if t.tag == W + "t" else " " for t in q.iter(W + "t", W + "br"))
        for q in tc.findall(W + "p")
    )
    return " ".join(text.split())


def _tabs(doc, tbl, rng: random.Random) -> None:  # noqa: ANN001
    """The table replaced by one paragraph per row, cells separated by tabs: tab stops set where
    each column's widest text ends, as a person setting a table out with tabs sets them, or (half
    the time) one tab between cells and no stops, as a table copied out as text comes."""
    rows = []
    for tr in tbl.findall(W + "tr"):
        row = []
        for tc in tr.findall(W + "tc"):
            span = tc.find(f"{W}tcPr/{W}gridSpan")
            # a cell over several columns: its text, then a tab per column it covers
            row += [_cell_text(tc)] + [""] * (int(span.get(W + "val")) - 1 if span is not None else 0)
        rows.append(row)
    ncols = max(len(r) for r in rows)
    stops = None
    if rng.random() < 0.5:
        stops, x = _el("w:tabs"), 0
        for k in range(ncols - 1):
            x += max(len(r[k]) for r in rows if len(r) > k) * 130 + rng.randint(200, 600)
            stops.append(_el("w:tab", **{"w:val": "left", "w:pos": str(x)}))
    for cells in rows:
        p = _el("w:p")
        if stops is not None:
            pr = _el("w:pPr")
            pr.append(copy.deepcopy(stops))
            p.append(pr)
        for i, text in enumerate(cells):
            if i:
                r = _el("w:r")
                r.append(_el("w:tab"))
                p.append(r)
            r, t = _el("w:r"), _el("w:t")
            t.text = text  # an empty cell: nothing between two tabs
            r.append(t)
            p.append(r)
        tbl.addprevious(p)
    tbl.getparent().remove(tbl)


def _textbox(doc, rng: random.Random) -> None:  # noqa: ANN001
    """The heading and class paragraphs moved into a floating text box, in Word's own form: the
    DrawingML shape and its VML fallback, each holding the same text."""
    body = doc.element.body
    heads = [p for p in body if p.tag == W + "p"][:2]
    texts = ["".join(t.text or "" for t in p.iter(W + "t")) for p in heads]
    mc = "http://schemas.openxmlformats.org/markup-compatibility/2006"
    wps = "http://schemas.microsoft.com/office/word/2010/wordprocessingShape"
    from lxml import etree

    def content() -> etree._Element:
        box = etree.Element(W + "txbxContent")
        for text in texts:
            p = etree.SubElement(box, W + "p")
            r = etree.SubElement(p, W + "r")
            etree.SubElement(r, W + "t").text = text
        return box

    alt = etree.Element(f"{{{mc}}}AlternateContent", nsmap={"mc": mc, "wps": wps})
    choice = etree.SubElement(alt, f"{{{mc}}}Choice", Requires="wps")
    shape = etree.SubElement(etree.SubElement(choice, W + "drawing"), f"{{{wps}}}wsp")
    etree.SubElement(shape, f"{{{wps}}}txbx").append(content())
    fallback = etree.SubElement(alt, f"{{{mc}}}Fallback")
    etree.SubElement(etree.SubElement(fallback, W + "pict"), W + "txbxContent").append(content())
    p = _el("w:p")
    r = _el("w:r")
    r.append(alt)
    p.append(r)
    heads[0].addprevious(p)
    for h in heads:
        body.remove(h)


def _picture(week: cg.Week, style: cg.Style, layout: str, path: Path, rng: random.Random) -> None:
    from docx import Document
    from docx.shared import Inches

    cv = (
        cg.list_canvas(week, style)
        if layout == "list"
        else cg.table_canvas(week, style, days_cols=layout != "days_rows", rules=layout != "ruleless")
    )
    im = cg.render_png(cv, style, scale=rng.uniform(1.3, 2.0))
    buf = io.BytesIO()
    im.save(buf, "PNG")
    buf.seek(0)
    doc = Document()
    if rng.random() < 0.5:
        doc.add_paragraph("Timetable")
    doc.add_picture(buf, width=Inches(6.5))
    doc.save(path)


def write_form(
    week: cg.Week, style: cg.Style, layout: str, form: str, path: Path, rng: random.Random
) -> None:
    from docx import Document

    if form == "picture":
        _picture(week, style, layout, path, rng)
        return
    cg.write_docx(week, style, layout, path)
    doc = Document(str(path))
    tables = [t for t in doc.element.body if t.tag == W + "tbl"]
    if tables:
        tbl = tables[0]
        if form == "sdt":
            _sdt(tbl)
        elif form == "nested":
            _nested(doc, tbl)
        elif form in ("split", "split_bare"):
            _split(tbl, rng, header=form == "split")
        elif form == "title_row":
            _title_row(doc, tbl)
        elif form == "tabs":
            _tabs(doc, tbl, rng)
        elif form == "breaks":
            _breaks(tbl)
    if form == "textbox":
        _textbox(doc, rng)
    doc.save(str(path))


def make_corpus(out: Path, n: int = 24, seed: int = 1) -> list[Path]:
    """n Word files cycling through the forms; table layouts (days as columns or rows) and, for
    pictures, every layout."""
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    paths = []
    for i in range(n):
        form = FORMS[i % len(FORMS)]
        layout = rng.choice(["days_cols", "days_rows"] + (["list", "ruleless"] if form == "picture" else []))
        week, style = cg.random_week(rng), cg.random_style(rng)
        stem = f"{i:03d}_{form}_{layout}"
        path = out / f"{stem}.docx"
        write_form(week, style, layout, form, path, rng)
        truth = {
            "file": path.name, "family": form, "format": "docx", "layout": layout,
            "teacher": week.teacher, "className": week.class_name, "style": asdict(style),
            "timeblocks": week.truth(),
        }  # fmt: skip
        (out / f"{stem}.truth.json").write_text(json.dumps(truth, indent=1))
        paths.append(path)
    return paths


def main() -> None:
    run_generator(make_corpus, 24)


if __name__ == "__main__":
    main()
