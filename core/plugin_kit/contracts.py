"""Contract suites any engine can run: what the pipeline relies on, checked the way it relies on it.

Each ``assert_*_contract`` raises ``AssertionError`` with a message naming what to fix, and returns
what the engine produced so a test can check more (the words it read, the answer it gave).
"""

from __future__ import annotations

import re
import sys
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import msgspec
import numpy as np

from core.engines import EngineError, LlmAnswer, Notification
from core.extraction.daytime import DAYS
from core.extraction.model import DraftTimetable, Page
from core.hookspecs import OLDEST_SUPPORTED_HOOK_API
from core.page_image import PageImage, from_preprocessor
from core.plugin_kit import samples
from core.plugins import engine_problems

T = TypeVar("T")
DOCUMENT_KINDS = ("pdf_text", "pdf_scan", "docx", "image")
_TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
SLACK = 1.0  # a box may touch the page's edge by rounding


def _within(seconds: float, what: str, call: Callable[[], T]) -> T:
    """Run ``call``; fail when it takes longer than the pipeline's budget (it must time out itself)."""
    box: dict[str, Any] = {}

    def run() -> None:
        try:
            box["value"] = call()
        except BaseException as exc:  # handed back to the caller's thread
            box["error"] = exc

    worker = threading.Thread(target=run, daemon=True, name=f"contract:{what}")
    worker.start()
    worker.join(seconds)
    if worker.is_alive():
        raise AssertionError(
            f"{what} took longer than {seconds:g} s: put a timeout on the engine's slow calls "
            "(a subprocess, an HTTP request) so a stuck call ends with an EngineError"
        )
    if "error" in box:
        raise box["error"]
    return box["value"]


def _clean_failure(what: str, call: Callable[[], T], seconds: float) -> T | None:
    """Call something that may fail: failing is fine only as an EngineError with a message."""
    try:
        return _within(seconds, what, call)
    except EngineError as exc:
        assert str(exc).strip(), f"{what} raised {type(exc).__name__} without a message to show the user"
        return None
    except AssertionError:
        raise
    except Exception as exc:
        raise AssertionError(
            f"{what} raised {type(exc).__name__}: {exc}. Raise core.engines.EngineError (or "
            "DocumentUnreadable / EngineUnavailable) with a message a teacher can act on instead"
        ) from exc


def _shape(kind: str, engine: Any) -> None:
    problems = engine_problems(kind, engine)
    assert not problems, "; ".join(problems)


def assert_page_contract(
    page: object, *, number: int, width: float | None = None, height: float | None = None
) -> Page:
    """A page as layout analysis needs it: its number, its size, words with boxes inside it."""
    assert isinstance(page, Page), f"expected a core.extraction.model.Page, got {type(page).__name__}"
    assert page.number == number, f"the page says it is page {page.number}; it was asked for page {number}"
    assert page.width > 0 and page.height > 0, f"page size must be positive, got {page.width} x {page.height}"
    if width is not None and height is not None:
        assert (page.width, page.height) == (width, height), (
            f"page size {page.width} x {page.height} is not the image's {width} x {height}: "
            "boxes must be in the image's own pixels"
        )
    for word in page.words:
        assert isinstance(word.text, str) and word.text.strip(), f"a word has no text: {word!r}"
        assert 0.0 <= word.confidence <= 1.0, f"confidence of {word.text!r} is {word.confidence}, not in 0..1"
        assert word.x0 <= word.x1 and word.y0 <= word.y1, f"box of {word.text!r} is upside down: {word!r}"
        inside = word.x0 >= -SLACK and word.x1 <= page.width + SLACK
        inside = inside and word.y0 >= -SLACK and word.y1 <= page.height + SLACK
        assert inside, f"box of {word.text!r} {word!r} is outside the page ({page.width} x {page.height})"
    for rule in page.rules:
        assert min(rule.x0, rule.x1) >= -SLACK and max(rule.x0, rule.x1) <= page.width + SLACK, rule
        assert min(rule.y0, rule.y1) >= -SLACK and max(rule.y0, rule.y1) <= page.height + SLACK, rule
    return page


def _image(path: Path) -> np.ndarray:
    from PIL import Image

    with Image.open(path) as image:
        return np.asarray(image.convert("RGB"))[:, :, ::-1].copy()  # BGR, as the pipeline passes


def assert_ocr_engine_contract(
    engine: Any, *, image: np.ndarray | None = None, timeout_s: float = 60.0, expect_words: int = 5
) -> Page:
    """An OCR engine reads a page image (BGR or grey) into words with boxes inside the page and
    confidences in 0..1, within ``timeout_s``; a blank page gives few words, not an exception; an
    empty or tiny image gives a page or fails with an EngineError, never another exception.
    Returns the page read from ``image`` (default: the sample)."""
    _shape("ocr", engine)
    if image is None:
        with tempfile.TemporaryDirectory() as folder:
            image = _image(samples.timetable_png(Path(folder) / "sample.png"))
    height, width = image.shape[:2]
    page = _within(timeout_s, f"{engine.name}.recognize", lambda: engine.recognize(image.copy(), 1))
    assert_page_contract(page, number=1, width=float(width), height=float(height))
    assert len(page.words) >= expect_words, (
        f"{engine.name} read {len(page.words)} words from the sample timetable; expected at least "
        f"{expect_words}"
    )
    grey = image if image.ndim == 2 else image.mean(axis=2).astype(np.uint8)
    # The pipeline hands an engine of hook API 3 the preprocessors' PageImage: the grey page is given
    # so (one read, not one more: a page read is the slow part of this suite).
    note = "a note from preprocessing"
    second: PageImage | np.ndarray = PageImage(grey, None, [note]) if _declared_api(engine) >= 3 else grey
    again = _within(timeout_s, f"{engine.name}.recognize (grey)", lambda: engine.recognize(second, 2))
    assert_page_contract(again, number=2, width=float(width), height=float(height))
    if isinstance(second, PageImage):
        assert note in again.notes, f"{engine.name} left out the PageImage's notes; put them on the page"
    blank = np.full((200, 300, 3), 255, np.uint8)
    empty = _clean_failure(
        f"{engine.name}.recognize (blank page)", lambda: engine.recognize(blank, 1), timeout_s
    )
    if empty is not None:
        assert_page_contract(empty, number=1, width=300.0, height=200.0)
        assert len(empty.words) <= 2, f"{engine.name} read {len(empty.words)} words from a blank page"
    for label, shape in (("an empty image", (0, 0, 3)), ("a 2 x 2 pixel image", (2, 2, 3))):
        tiny = _clean_failure(
            f"{engine.name}.recognize ({label})",
            lambda s=shape: engine.recognize(np.zeros(s, np.uint8), 1),
            timeout_s,
        )
        if tiny is not None:
            assert_page_contract(tiny, number=1, width=float(shape[1]), height=float(shape[0]))
    return page


def assert_preprocessor_contract(preprocessor: Any, *, image: np.ndarray | None = None) -> PageImage:
    """A preprocessor returns a PageImage (hook API 3) whose image is a non-empty uint8 array (grey or
    BGR), and leaves its input untouched. An array back (the older form) passes with a warning."""
    _shape("preprocessor", preprocessor)
    if image is None:
        with tempfile.TemporaryDirectory() as folder:
            image = _image(samples.timetable_png(Path(folder) / "sample.png"))
    for label, given in (("a BGR image", image), ("a grey image", image.mean(axis=2).astype(np.uint8))):
        before = given.copy()
        returned = preprocessor.preprocess(given)
        assert np.array_equal(given, before), f"{preprocessor.name} changed {label} in place; work on a copy"
        assert isinstance(returned, PageImage | np.ndarray), (
            f"{preprocessor.name} returned {type(returned).__name__}; return a core.page_image.PageImage"
        )
        page = from_preprocessor(returned, preprocessor.name)
        out = page.image
        assert isinstance(out, np.ndarray), f"{preprocessor.name} returned {type(out).__name__}, not an image"
        assert page.grey is None or page.grey.shape[:2] == out.shape[:2], (
            f"{preprocessor.name}'s grey page is {page.grey.shape[:2]}, its image {out.shape[:2]}: "
            "give the grey page at the image's size and turn, or None"
        )
        assert all(isinstance(n, str) for n in page.notes), f"{preprocessor.name}'s notes must be strings"
        assert out.dtype == np.uint8 and out.ndim in (2, 3) and out.size, (
            f"{preprocessor.name} returned a {out.dtype} array of shape {out.shape} for {label}; "
            "return a non-empty uint8 grey (h, w) or BGR (h, w, 3) image"
        )
        if out.ndim == 3:
            assert out.shape[2] == 3, f"a colour image has 3 channels (BGR), not {out.shape[2]}"
    return page


def _declared_api(engine: Any) -> int:
    """The hook API that the engine's own module declares (the oldest when it says nothing)."""
    module = sys.modules.get(type(engine).__module__)
    wanted = getattr(module, "TIMETABLER_HOOK_API", OLDEST_SUPPORTED_HOOK_API)
    return wanted if isinstance(wanted, int) else OLDEST_SUPPORTED_HOOK_API


def _assert_draft(draft: object, who: str) -> None:
    assert isinstance(draft, DraftTimetable), f"{who}: the answer's draft is a {type(draft).__name__}"
    for block in draft.blocks:
        assert block.day in DAYS, f"{who}: day {block.day!r} is not a full English day name"
        for value in (block.start_time, block.end_time):
            assert _TIME.match(value), f"{who}: time {value!r} is not HH:MM on a 24-hour clock"
        assert block.start_time < block.end_time, f"{who}: {block!r} ends before it starts"
        assert block.name.strip(), f"{who}: a lesson has no name"
        assert 0.0 <= block.confidence <= 1.0, f"{who}: block confidence {block.confidence} not in 0..1"


def assert_llm_engine_contract(
    engine: Any, *, document: Path | None = None, timeout_s: float = 120.0, expect_lessons: int = 1
) -> LlmAnswer:
    """An LLM engine answers with a valid draft (full day names, HH:MM times, start before end), its
    token counts and cost not negative, its confidence in 0..1, within ``timeout_s``; a file it
    cannot read fails with an EngineError, and a hint may be None."""
    _shape("llm", engine)
    name = engine.name
    with tempfile.TemporaryDirectory() as folder:
        document = document or samples.timetable_pdf(Path(folder) / "sample.pdf")
        answer = _within(timeout_s, f"{name}.extract", lambda: engine.extract(document, None))
        assert isinstance(answer, LlmAnswer), f"{name}.extract returned a {type(answer).__name__}"
        _assert_draft(answer.draft, name)
        assert len(answer.draft.blocks) >= expect_lessons, f"{name} found {len(answer.draft.blocks)} lessons"
        assert answer.input_tokens >= 0 and answer.output_tokens >= 0, f"{name}: negative token counts"
        assert answer.cost_usd >= 0.0, f"{name}: a negative cost ({answer.cost_usd})"
        assert 0.0 <= answer.confidence <= 1.0, f"{name}: confidence {answer.confidence} not in 0..1"
        hint = msgspec.structs.replace(answer.draft, blocks=[])
        _within(timeout_s, f"{name}.extract with a hint", lambda: engine.extract(document, hint))
        broken = samples.not_a_timetable(Path(folder) / "broken.pdf")
        _clean_failure(f"{name}.extract (no document)", lambda: engine.extract(broken, None), timeout_s)
    return answer


def assert_reader_contract(reader: Any, document: Path, *, timeout_s: float = 60.0) -> list[Page]:
    """A reader names the document kinds it reads, reads ``document`` into numbered pages with
    words inside them (confidences in 0..1), and fails on a broken file with an EngineError."""
    _shape("reader", reader)
    name = reader.name
    unknown = set(reader.kinds) - set(DOCUMENT_KINDS)
    assert reader.kinds and not unknown, (
        f"{name}.kinds must name document kinds among {DOCUMENT_KINDS}; unknown: {sorted(unknown)}"
    )
    pages = _within(timeout_s, f"{name}.read", lambda: reader.read(document))
    assert isinstance(pages, list) and pages, f"{name}.read returned {pages!r}; expected a list of pages"
    for number, page in enumerate(pages, start=1):
        assert_page_contract(page, number=number)
    assert any(page.words for page in pages), f"{name} read no words from {document.name}"
    with tempfile.TemporaryDirectory() as folder:
        broken = samples.not_a_timetable(Path(folder) / f"broken{document.suffix}")
        _clean_failure(f"{name}.read (a broken file)", lambda: reader.read(broken), timeout_s)
    return pages


# Every kind of notification the product sends (core.engines.Notification.kind).
NOTIFICATION_KINDS = ("processing_complete", "processing_failed", "hitl_required", "hitl_completed")


def sample_notification(**changes: Any) -> Notification:
    values = {
        "kind": "processing_complete",
        "tenant_id": "00000000-0000-0000-0000-000000000001",
        "user_id": "00000000-0000-0000-0000-000000000002",
        "job_id": "00000000-0000-0000-0000-000000000003",
        "document_id": "00000000-0000-0000-0000-000000000004",
        "message": "Your timetable is ready.",
        "timetable_id": "00000000-0000-0000-0000-000000000005",
    }
    return Notification(**{**values, **changes})


def assert_notifier_contract(
    notifier: Any,
    *,
    delivered: Callable[[Notification], bool] | None = None,
    timeout_s: float = 30.0,
) -> None:
    """A notifier takes every kind of notification (``NOTIFICATION_KINDS``) within ``timeout_s`` and
    returns None; when ``delivered`` is given it must say each one arrived (e.g. by asking the local
    fake it sent to). Run it with its service (or a local fake of it) up: here every notification
    must go through. (In the product a failure is logged and not retried: see docs/plugins.md.)"""
    _shape("notifier", notifier)
    name = notifier.name
    for kind in NOTIFICATION_KINDS:
        with_timetable = kind in ("processing_complete", "hitl_completed")
        note = sample_notification(kind=kind, timetable_id="t-1" if with_timetable else None)
        result = _within(timeout_s, f"{name}.notify({kind})", lambda n=note: notifier.notify(n))
        assert result is None, f"{name}.notify returned {result!r}; it returns None"
        if delivered is not None:
            assert delivered(note), f"{name} did not deliver the {kind} notification"
