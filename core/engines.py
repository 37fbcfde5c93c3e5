"""The engine contracts that plugins implement. Tenants pick engines by their `name`."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Protocol, runtime_checkable

import msgspec

# The errors an engine raises are the kernel's own (core.engine_errors: the reading raises them
# too, below the engines); they are named here as well, with the contracts they belong to.
from core.engine_errors import (
    DocumentUnreadable,
    EngineError,
    EngineMissing,
    EngineUnavailable,
    NotATimetable,
    UnsupportedDocument,
)
from core.extraction.model import DraftTimetable, Page
from core.page_image import PageImage

if TYPE_CHECKING:  # in signatures only: numpy loads with the first image
    import numpy as np

__all__ = [
    "DocumentUnreadable",
    "EngineError",
    "EngineMissing",
    "EngineUnavailable",
    "LlmAnswer",
    "LlmEngine",
    "NotATimetable",
    "Notification",
    "Notifier",
    "OcrEngine",
    "Preprocessor",
    "Reader",
    "UnsupportedDocument",
]


@runtime_checkable
class Reader(Protocol):
    """Reads a document that carries its own text (text-layer PDF, DOCX) into pages, without OCR."""

    name: str
    kinds: tuple[str, ...]  # document kinds it reads, e.g. ("pdf_text",)

    def read(self, path: Path) -> list[Page]: ...


@runtime_checkable
class Preprocessor(Protocol):
    """Cleans a page image (BGR or grey numpy array) before OCR; returns the page to read with what
    it noticed, as a ``PageImage`` (hook API 3; a bare array is still accepted, with a warning)."""

    name: str

    def preprocess(self, image: np.ndarray) -> PageImage: ...


@runtime_checkable
class OcrEngine(Protocol):
    """Reads words with boxes and confidences from one page image.

    Under hook API 3 ``image`` is a ``PageImage`` in the pipeline, and may be a bare array when a
    page is read straight from a file (tests, the plugin kit): ``core.page_image.as_page_image``
    takes either. An engine of a plugin that targets an older API is handed the array it expects.
    Put the page image's ``notes`` on the returned page. Raise EngineUnavailable when the engine
    cannot run now (no credentials, service down).
    """

    name: str

    def recognize(self, image: PageImage | np.ndarray, page_number: int) -> Page: ...


class LlmAnswer(msgspec.Struct):
    """An LLM's reading of a document, with what it cost."""

    draft: DraftTimetable
    input_tokens: int = 0
    output_tokens: int = 0
    cost_usd: float = 0.0
    confidence: float = 0.9  # the engine's own estimate; the pipeline checks it against the OCR


@runtime_checkable
class LlmEngine(Protocol):
    """Reads a timetable straight from the document with a language model.

    ``hint`` is the OCR reading so far (its teacher and class help the model). Raise
    EngineUnavailable when there is no key, the service is down or a quota is reached.
    """

    name: str

    def extract(self, path: Path, hint: DraftTimetable | None) -> LlmAnswer: ...


class Notification(msgspec.Struct):
    """What a notifier is asked to tell a user."""

    kind: str  # processing_complete | processing_failed | hitl_required | hitl_completed
    tenant_id: str
    user_id: str
    job_id: str
    document_id: str
    message: str
    timetable_id: str | None = None


@runtime_checkable
class Notifier(Protocol):
    name: str

    def notify(self, notification: Notification) -> None: ...
