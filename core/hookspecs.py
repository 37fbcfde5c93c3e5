"""Every Timetabler hook, as a typed stub with a docstring.

Plugins implement these with ``@core.hookimpl`` and are registered through the ``timetabler`` entry
point group, built-in plugins exactly like third-party ones. Policy hooks (``firstresult``) must be
synchronous and pure: an async implementation would return a coroutine, which is never None and so
would always win.

The hook API is versioned: ``HOOK_API_VERSION`` rises when a hook is added, and a plugin may say which
version it targets with a module (or class) attribute ``TIMETABLER_HOOK_API = 2``; a plugin that
targets a newer API than this Timetabler offers is refused with a message saying so. A deprecated
hook keeps working but warns its implementers when they load (``warn_on_impl``). docs/plugins.md
documents every hook here with its exact signature, and a test compares the two.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pluggy

# Plugin authors import the warning from here (it lives apart so PageImage can raise it too).
from core.deprecation import TimetablerDeprecationWarning as TimetablerDeprecationWarning
from core.engines import LlmEngine, Notifier, OcrEngine, Preprocessor, Reader
from core.extraction.model import DraftTimetable, ReadResult
from core.policy import PipelineEvent, Thresholds

hookspec = pluggy.HookspecMarker("timetabler")

# 1: the engine, policy and event hooks. 2: register_admin_routes (and scan_upload). 3: preprocessors
# return a core.page_image.PageImage and OCR engines are handed one (older plugins still get arrays).
HOOK_API_VERSION = 3
OLDEST_SUPPORTED_HOOK_API = 1


@hookspec
def register_readers() -> list[Reader]:
    """Return readers for documents that carry their own text (text-layer PDF, DOCX).

    Called once when the engine registry is built. A reader declares the document ``kinds`` it
    reads; the first reader registered for a kind is used unless a school picks another by name.
    """


@hookspec
def register_preprocessors() -> list[Preprocessor]:
    """Return image preprocessors (deskew, denoise, binarise, ...) applied before OCR.

    ``preprocess(image)`` takes the page as a numpy array and returns a ``core.page_image.PageImage``
    (hook API 3): the page to read, the page in grey before binarisation, and notes for reviewers.
    A bare array is still accepted and warned.
    """


@hookspec
def register_ocr_engines() -> list[OcrEngine]:
    """Return OCR engines. The primary engine is chosen by name in the settings (default tesseract).

    ``recognize(image, page_number)`` is handed a ``core.page_image.PageImage`` when the plugin
    targets hook API 3, else the numpy array (with ``notes`` and ``shade`` attributes) of API 2.
    """


@hookspec
def register_llm_engines() -> list[LlmEngine]:
    """Return LLM engines used when the route is ``llm``."""


@hookspec
def register_notifiers() -> list[Notifier]:
    """Return notifiers; each is called with every notification of the notify stage."""


@hookspec(firstresult=True)
def classify_document(path: Path, filename: str, head: bytes) -> str | None:
    """Return the document kind: ``pdf_text``, ``pdf_scan``, ``docx`` or ``image``.

    ``head`` is the first 8 KiB of the file. Return None to let the next implementation decide.
    Raise ``core.engines.DocumentUnreadable`` when the file cannot be a timetable document.
    """


@hookspec(firstresult=True)
def score_confidence(draft: DraftTimetable, read: ReadResult, vocabulary: list[str]) -> float | None:
    """Return a confidence in 0..1 that ``draft`` is exactly what the document shows.

    ``vocabulary`` lists the school's own subject names (learnt from its reviewers' corrections), to
    count beside the built-in subject list. Implementations may leave out arguments they do not use.
    """


@hookspec(firstresult=True)
def route_document(confidence: float, thresholds: Thresholds) -> str | None:
    """Return the route for a document: ``accept``, ``secondary_ocr``, ``llm`` or ``review``."""


@hookspec
def pipeline_event(event: PipelineEvent) -> None:
    """Called on every stage change of every job (metrics, billing, audit). Must not raise."""


@hookspec
def register_admin_routes() -> list[Any]:
    """Return Litestar route handlers for the plugin's own admin pages (hook API 2).

    Called once when the app is built. The handlers are mounted under ``/admin/plugins/<name>/``
    (``<name>`` is the plugin's entry point name) behind the admin console's sign-in: each handler
    names who may see it with ``opt=admin.session.console(...)`` and has an ``operation_id``; a
    handler that names no roles is refused to everyone.
    """


@hookspec(firstresult=True)
def scan_upload(path: Path, media_type: str) -> str | None:
    """Scan an upload before it is stored (a virus scanner, a content policy).

    ``path`` is the uploaded file on local disk; ``media_type`` is its type as read from its bytes
    (``application/pdf``, ``image/png``, ...), never the uploader's claim. Return a short reason to
    refuse the file, which the uploader sees in a 422 ``upload_refused`` error; return None to let
    it through. Must be synchronous; it runs in a worker thread, so it may block on a scanner.
    """
