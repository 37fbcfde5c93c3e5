"""`timetabler serve` reads photos and scans in processes of its own (core/jobs/reading.py), so the
API is not kept waiting behind a photo. A photo read there reads exactly as on the stage's thread."""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.corpus_gen import make_document
from core.engine_errors import DocumentUnreadable
from core.jobs import reading
from core.runtime import Runtime, get_runtime


@pytest.fixture
def reading_processes() -> Iterator[None]:
    reading.start(1)
    yield
    reading.stop()


def test_a_photo_read_in_a_reading_process_reads_as_on_the_thread(
    tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    photo = make_document(tmp_path, 0, "days_cols", "png", random.Random(3))
    runtime: Runtime = get_runtime()
    kind = reading.classify(runtime, photo, photo.name)
    on_thread = reading.read(runtime, photo, kind, "tesseract")
    draft_on_thread = reading.interpret(on_thread)
    assert draft_on_thread.blocks  # a timetable: there is something to compare

    request.getfixturevalue("reading_processes")
    in_process = reading.read(runtime, photo, kind, "tesseract")
    assert in_process == on_thread
    assert reading.interpret(in_process) == draft_on_thread


def test_a_damaged_photo_says_so_from_the_reading_process(tmp_path: Path, reading_processes: None) -> None:
    photo = tmp_path / "timetable.png"
    photo.write_bytes(b"\x89PNG\r\n\x1a\n" + b"cut off here" * 50)
    with pytest.raises(DocumentUnreadable, match="damaged or incomplete image"):
        reading.read(get_runtime(), photo, "image", "tesseract")


def _how_it_runs() -> tuple[int, int, str | None]:
    import os

    import cv2

    return os.nice(0), cv2.getNumThreads(), os.environ.get("OMP_THREAD_LIMIT")


def test_a_reading_process_yields_the_processor_to_the_app(reading_processes: None) -> None:
    """Requests are served before a photo's reading: the readers run at a lower priority than
    the app, on one thread each (OpenCV and Tesseract), so they do not crowd out its loop."""
    import os

    assert reading._pool is not None
    niceness, opencv_threads, tesseract_threads = reading._pool.submit(_how_it_runs).result()
    assert niceness == os.nice(0) + reading.READER_NICENESS
    assert (opencv_threads, tesseract_threads) == (1, "1")
