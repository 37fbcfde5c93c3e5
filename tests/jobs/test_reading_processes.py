"""`timetabler serve` reads documents in processes of its own (core/jobs/reading.py), so the API
is not kept waiting behind a photo. A document read there reads exactly as on the stage's thread."""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.corpus_gen import make_document
from core.engine_errors import UnsupportedDocument
from core.jobs import reading
from core.runtime import Runtime, get_runtime


@pytest.fixture
def reading_processes() -> Iterator[None]:
    reading.start(1)
    yield
    reading.stop()


@pytest.mark.parametrize("fmt", ["png", "pdf_text"])
def test_a_document_read_in_a_reading_process_reads_as_on_the_thread(
    tmp_path: Path, fmt: str, request: pytest.FixtureRequest
) -> None:
    document = make_document(tmp_path, 0, "days_cols", fmt, random.Random(3))
    runtime: Runtime = get_runtime()
    kind = reading.classify(runtime, document, document.name)
    on_thread = reading.read(runtime, document, kind, "tesseract")
    draft_on_thread = reading.interpret(on_thread)
    assert draft_on_thread.blocks  # a timetable: there is something to compare

    request.getfixturevalue("reading_processes")
    assert reading.classify(runtime, document, document.name) == kind
    in_process = reading.read(runtime, document, kind, "tesseract")
    assert in_process == on_thread
    assert reading.interpret(in_process) == draft_on_thread


def test_a_document_that_cannot_be_read_says_so_from_the_reading_process(
    tmp_path: Path, reading_processes: None
) -> None:
    letter = tmp_path / "notes.txt"
    letter.write_text("Dear parents, the school trip is on Friday.")
    with pytest.raises(UnsupportedDocument, match="not a supported timetable document"):
        reading.classify(get_runtime(), letter, letter.name)
