"""The contract suites pass the built-in engines and catch each way an engine can break the pipeline."""

from __future__ import annotations

import time
from pathlib import Path

import msgspec
import numpy as np
import pytest

from core.engines import DocumentUnreadable, LlmAnswer, Notification
from core.extraction.model import DraftBlock, DraftTimetable, Page, Word
from core.plugin_kit.contracts import (
    assert_llm_engine_contract,
    assert_notifier_contract,
    assert_ocr_engine_contract,
    assert_preprocessor_contract,
    assert_reader_contract,
)
from core.plugin_kit.samples import SAMPLE_LESSONS
from core.plugins import EngineRegistry, make_plugin_manager


@pytest.fixture(scope="module")
def builtins() -> EngineRegistry:
    return EngineRegistry.from_plugins(make_plugin_manager())


def test_the_built_in_readers_and_preprocessor_keep_their_contracts(
    builtins: EngineRegistry, timetabler_samples: dict[str, Path]
) -> None:
    assert_preprocessor_contract(builtins.preprocessors["opencv"])
    pdf_pages = assert_reader_contract(builtins.readers["pdf_text"], timetabler_samples["pdf"])
    docx_pages = assert_reader_contract(builtins.readers["docx"], timetabler_samples["docx"])
    for pages in (pdf_pages, docx_pages):
        assert "Physics" in {word.text for page in pages for word in page.words}


@pytest.mark.parametrize("name", ["tesseract", "rapidocr"])
def test_the_built_in_ocr_engines_keep_their_contract(builtins: EngineRegistry, name: str) -> None:
    # Blank, empty and 2 x 2 pixel pages included: each gives a page with no words, never a crash.
    page = assert_ocr_engine_contract(builtins.ocr[name])
    assert "Physics" in {word.text for word in page.words}


class Ocr:
    """An OCR engine that answers what it is told to, to break the contract one way at a time."""

    name = "scripted"

    def __init__(
        self,
        *,
        box: tuple[float, float, float, float] = (10, 10, 60, 30),
        confidence: float = 0.9,
        size_scale: float = 1.0,
        delay: float = 0.0,
        empty_error: Exception | None = None,
    ) -> None:
        self.box, self.confidence, self.size_scale = box, confidence, size_scale
        self.delay, self.empty_error = delay, empty_error

    def recognize(self, image: np.ndarray, page_number: int) -> Page:
        time.sleep(self.delay)
        if image.size == 0 or min(image.shape[:2]) < 8:
            raise self.empty_error or DocumentUnreadable("The page is too small to read.")
        h, w = image.shape[:2]
        blank = image.min() == 255
        words = [] if blank else [Word(f"w{i}", *self.box, self.confidence) for i in range(6)]
        return Page(page_number, w * self.size_scale, h * self.size_scale, words)


def test_a_scripted_engine_that_keeps_the_rules_passes() -> None:
    assert len(assert_ocr_engine_contract(Ocr()).words) == 6


@pytest.mark.parametrize(
    ("engine", "message"),
    [
        (Ocr(box=(10, 10, 99_999, 30)), "outside the page"),
        (Ocr(confidence=93.0), "not in 0..1"),
        (Ocr(size_scale=0.5), "is not the image's"),
        (Ocr(empty_error=ValueError("cannot reshape array of size 0")), "Raise core.engines.EngineError"),
        (Ocr(empty_error=DocumentUnreadable("")), "without a message"),
    ],
)
def test_the_ocr_contract_names_what_an_engine_gets_wrong(engine: Ocr, message: str) -> None:
    with pytest.raises(AssertionError, match=message):
        assert_ocr_engine_contract(engine)


def test_the_ocr_contract_fails_an_engine_that_does_not_time_out() -> None:
    with pytest.raises(AssertionError, match="took longer than 0.2 s: put a timeout"):
        assert_ocr_engine_contract(Ocr(delay=1.0), timeout_s=0.2)


class Llm:
    name = "scripted_llm"

    def __init__(self, *, day: str = "", cost: float = 0.01) -> None:
        self.day, self.cost = day, cost

    def extract(self, path: Path, hint: DraftTimetable | None) -> LlmAnswer:
        if not path.read_bytes().rstrip().endswith(b"%%EOF"):
            raise DocumentUnreadable(f"{path.name} is not a complete PDF.")
        blocks = [DraftBlock(self.day or d, s, e, n) for d, s, e, n in sorted(SAMPLE_LESSONS)]
        return LlmAnswer(
            draft=DraftTimetable(blocks=blocks), input_tokens=900, output_tokens=300, cost_usd=self.cost
        )


def test_the_llm_contract() -> None:
    answer = assert_llm_engine_contract(Llm())
    assert len(answer.draft.blocks) == len(SAMPLE_LESSONS)
    with pytest.raises(AssertionError, match="'Mon' is not a full English day name"):
        assert_llm_engine_contract(Llm(day="Mon"))
    with pytest.raises(AssertionError, match="a negative cost"):
        assert_llm_engine_contract(Llm(cost=-1.0))


def test_the_preprocessor_contract() -> None:
    class InPlace:
        name = "in_place"

        def preprocess(self, image: np.ndarray) -> np.ndarray:
            image[:] = 255 - image
            return image

    class Floats:
        name = "floats"

        def preprocess(self, image: np.ndarray) -> np.ndarray:
            return image / 255.0

    with pytest.raises(AssertionError, match="changed a BGR image in place"):
        assert_preprocessor_contract(InPlace())
    with pytest.raises(AssertionError, match="float64 array"):
        assert_preprocessor_contract(Floats())


def test_the_notifier_contract() -> None:
    class Outbox:
        name = "outbox"

        def __init__(self, drop: str = "") -> None:
            self.sent: list[Notification] = []
            self.drop = drop

        def notify(self, notification: Notification) -> None:
            if notification.kind != self.drop:
                self.sent.append(msgspec.structs.replace(notification))

    good = Outbox()
    assert_notifier_contract(good, delivered=lambda note: note in good.sent)
    assert {n.kind for n in good.sent} == {
        "processing_complete",
        "processing_failed",
        "hitl_required",
        "hitl_completed",  # sent when a person has checked the timetable (core/api/reviews.py)
    }
    lossy = Outbox(drop="hitl_required")
    with pytest.raises(AssertionError, match="did not deliver the hitl_required notification"):
        assert_notifier_contract(lossy, delivered=lambda note: note in lossy.sent)


def test_the_reader_contract(timetabler_samples: dict[str, Path]) -> None:
    class Spreadsheets:
        name = "xlsx"
        kinds = ("spreadsheet",)

        def read(self, path: Path) -> list[Page]:
            return []

    with pytest.raises(AssertionError, match="unknown: \\['spreadsheet'\\]"):
        assert_reader_contract(Spreadsheets(), timetabler_samples["pdf"])
