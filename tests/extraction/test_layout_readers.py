"""One contract for the layout readers: each takes a page and returns a `Reading` or None, and the
page's reading is chosen among them alike. Pages are built in code."""

from __future__ import annotations

import pytest

from core.extraction import interpret, layout_readers
from core.extraction.layout_readers import (
    LAYOUT_READERS,
    LayoutReader,
    page_readings,
    read_listing,
    read_ruled,
)
from core.extraction.model import DraftBlock, Page, Word
from core.extraction.reading import Reading

CH, LH = 6.0, 10.0


def _line(text: str, x: float, y: float) -> list[Word]:
    out = []
    for token in text.split():
        out.append(Word(token, x, y, x + len(token) * CH, y + LH))
        x += (len(token) + 1) * CH
    return out


def _list_page() -> Page:
    lines = ["Monday", "08:30 - 09:20 Maths", "09:20 - 10:10 English", "Tuesday", "08:30 - 09:20 Science",
             "09:20 - 10:10 History", "Wednesday", "08:30 - 09:20 Art", "09:20 - 10:10 Music"]  # fmt: skip
    words = [w for i, text in enumerate(lines) for w in _line(text, 40, 30 + 20 * i)]
    return Page(1, 600, 400, words, [], [], source="pdf_text")


def _reading(n: int, layout: str) -> Reading:
    blocks = [DraftBlock("Monday", f"{8 + i:02d}:00", f"{8 + i:02d}:50", f"L{i}") for i in range(n)]
    return Reading(blocks, layout, n, n, n, n)


def test_every_reader_returns_a_reading_or_none() -> None:
    blank = Page(1, 600, 400, [], [], [])
    page = _list_page()
    assert [r.name for r in LAYOUT_READERS] == ["ruled", "master", "list", "records", "calendar", "ruleless"]
    for reader in LAYOUT_READERS:
        assert reader.read(blank) is None, reader.name
        got = reader.read(page)
        assert got is None or isinstance(got, Reading), reader.name


def test_the_list_reader_gives_a_reading() -> None:
    reading = read_listing(_list_page())
    assert reading is not None and reading.layout == "list" and len(reading.blocks) == 6
    assert reading.rows == reading.rows_timed == reading.candidates


def test_a_fallback_reader_runs_only_when_the_others_found_little() -> None:
    ran: list[str] = []

    def giving(n: int, name: str) -> LayoutReader:
        def read(page: Page) -> Reading | None:
            ran.append(name)
            return _reading(n, name) if n else None

        return LayoutReader(name, read)

    fallback = LayoutReader("guess", lambda page: ran.append("guess") or _reading(2, "guess"), fallback=True)
    page = _list_page()
    assert [r.layout for r in page_readings(page, (giving(5, "a"), giving(0, "b"), fallback))] == ["a"]
    assert ran == ["a", "b"]
    ran.clear()
    assert [r.layout for r in page_readings(page, (giving(3, "a"), fallback))] == ["a", "guess"]
    assert [r.layout for r in page_readings(page, (giving(0, "a"), fallback))] == ["guess"]


def test_the_ruled_reader_keeps_the_table_with_most_lessons_the_first_on_ties(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    tables = {"t1": _reading(4, "days_cols"), "t2": _reading(6, "days_rows"), "t3": _reading(6, "days_cols")}
    monkeypatch.setattr(layout_readers, "ruled_tables", lambda page: list(tables))
    monkeypatch.setattr(layout_readers, "table_reading", lambda table, number: tables[table])
    assert read_ruled(_list_page()) is tables["t2"]


def test_the_page_takes_the_reading_with_most_lessons(monkeypatch: pytest.MonkeyPatch) -> None:
    readings = [_reading(4, "days_cols"), _reading(5, "list"), _reading(5, "records")]
    monkeypatch.setattr(interpret, "page_readings", lambda page: readings)
    chosen = interpret._read_page(_list_page())
    assert chosen is readings[2]  # a tie with a list goes to the one-row-per-lesson reading
