"""The randomised benchmark generator (bench/generator.py): the same seed gives the same corpus, every
format is written with a truth file in bench/corpus/README.md's format and the sampled properties, and a
text PDF prints what its truth says."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pypdfium2 as pdfium

from bench import generator
from bench.by_property import by_property

DAYS = {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"}
MAGIC = {"pdf_text": b"%PDF", "pdf_scan": b"%PDF", "docx": b"PK", "png": b"\x89PNG", "photo": b"\xff\xd8"}


def _truths(out: Path) -> list[dict]:
    return [json.loads(p.read_text()) for p in sorted(out.glob("*.truth.json"))]


def test_same_seed_same_corpus_and_valid_truth(tmp_path: Path) -> None:
    n = len(generator.FORMATS)
    generator.make_corpus(tmp_path / "a", n, seed=3)
    generator.make_corpus(tmp_path / "b", n, seed=3)
    generator.make_corpus(tmp_path / "c", 1, seed=4)
    a, b, c = _truths(tmp_path / "a"), _truths(tmp_path / "b"), _truths(tmp_path / "c")
    assert a == b
    assert a[0] != c[0]
    png = next(t["file"] for t in a if t["format"] == "png")
    assert (tmp_path / "a" / png).read_bytes() == (tmp_path / "b" / png).read_bytes()
    assert {t["format"] for t in a} == set(generator.FORMATS)
    for t in a:
        doc = tmp_path / "a" / t["file"]
        assert doc.read_bytes().startswith(MAGIC[t["format"]])
        assert t["timeblocks"]
        if t["layout"] not in ("records", "calendar"):  # an export or an app view names no one
            assert t["teacher"] and t["className"]
        props = t["properties"]
        assert props["format"] == t["format"] and props["layout"] == t["layout"]
        assert 9 <= props["size"] <= 18
        for block in t["timeblocks"]:
            assert block["day"] in DAYS and block["name"]
            assert re.fullmatch(r"\d\d:\d\d", block["startTime"]) and re.fullmatch(
                r"\d\d:\d\d", block["endTime"]
            )
            assert block["startTime"] < block["endTime"]


def test_text_pdf_prints_its_truth(tmp_path: Path) -> None:
    """Every truth block's name (in a cell, or in the legend's key) and start time are on the page:
    the truth describes the document drawn, for tables, lists and pages continued."""
    for i in range(5):
        path = generator.make_document(tmp_path, i, "pdf_text", generator.random.Random(100 + i))
        truth = json.loads((tmp_path / (path.stem + ".truth.json")).read_text())
        props = truth["properties"]
        pdf = pdfium.PdfDocument(path)
        text = " ".join(pdf[k].get_textpage().get_text_range() for k in range(len(pdf)))
        text = re.sub(r"\s+", " ", text)
        for block in truth["timeblocks"]:
            assert block["name"] in text
            h, m = (int(x) for x in block["startTime"].split(":"))
            if props["time_format"] == "n/a":  # a records export: 08:30 or 0830
                assert block["startTime"] in text or block["startTime"].replace(":", "") in text
            else:
                assert generator.fmt_time(60 * h + m, props) in text


def test_f1_by_property_value() -> None:
    """F1 per value, and against the mean F1 of each document's format."""
    rows = [
        {
            "format": "png",
            "tp": 4,
            "fp": 0,
            "fn": 0,
            "f1": 1.0,
            "properties": {"rules": "none", "legend": False},
        },
        {
            "format": "png",
            "tp": 0,
            "fp": 2,
            "fn": 2,
            "f1": 0.0,
            "properties": {"rules": "all", "legend": False},
        },
        {
            "format": "docx",
            "tp": 1,
            "fp": 0,
            "fn": 0,
            "f1": 1.0,
            "properties": {"rules": "n/a", "legend": True},
        },
    ]
    got = {(e["property"], e["value"]): (e["docs"], e["f1"], e["vs_format"]) for e in by_property(rows)}
    assert got == {
        ("rules", "none"): (1, 1.0, 0.5),
        ("rules", "all"): (1, 0.0, -0.5),
        ("legend", "False"): (2, 0.6667, 0.0),
        ("legend", "True"): (1, 1.0, 0.0),
    }
