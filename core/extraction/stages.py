"""The pipeline's stages as plain functions, shared by the Dramatiq actors and `timetabler extract`.

Each function takes what the stage before it produced and returns what the next one needs; none
touches the database, storage or the queue, so the same stages run in-process with no server.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from core import cache
from core.engine_errors import DocumentUnreadable, EngineError, EngineMissing, UnsupportedDocument
from core.extraction import images
from core.extraction.daytime import TIME_RE
from core.extraction.interpret import interpret_pages
from core.extraction.model import DraftTimetable, Page, ReadResult
from core.extraction.validate import validate_draft
from core.page_image import PageImage, chain, from_preprocessor
from core.plugins import EngineRegistry, TimetablerPluginManager
from core.policy import Thresholds
from core.profiling import stage

log = logging.getLogger(__name__)
TEXT_KINDS = ("pdf_text", "docx")
KINDS = ("pdf_text", "pdf_scan", "docx", "image")


def classify(pm: TimetablerPluginManager, path: Path, filename: str) -> str:
    with path.open("rb") as f:
        head = f.read(8192)
    if not head:
        raise DocumentUnreadable("The file is empty. Upload the timetable file again.")
    kind = pm.hook.classify_document(path=path, filename=filename, head=head)
    if kind not in KINDS:
        raise UnsupportedDocument(
            f"'{filename}' is not a supported timetable document. Upload a PDF, a Word (.docx) file "
            "or a photo or scan (PNG, JPEG, TIFF, WebP)."
        )
    return kind


def read(
    registry: EngineRegistry,
    path: Path,
    kind: str,
    *,
    ocr_engine: str = "tesseract",
    preprocessors: tuple[str, ...] | None = None,
) -> ReadResult:
    """Read the text layer when the document has one, else preprocess its page images and OCR them."""
    if kind in TEXT_KINDS:
        reader = registry.reader_for(kind)
        if reader is None:
            raise EngineError(f"No reader is installed for {kind} documents.")
        pages = reader.read(path)
        if kind == "pdf_text" and not any(page.words for page in pages):
            kind = "pdf_scan"  # an empty text layer: read it as a scan
        elif kind == "docx" and _pictures_hold_the_timetable(pages, path):
            pass  # a timetable pasted into Word as a picture: OCR the pictures
        else:
            return ReadResult(
                kind=kind, engine=reader.name, pages=pages, made_by=reader_key(registry, reader)
            )
    return ocr_document(registry, path, kind, ocr_engine=ocr_engine, preprocessors=preprocessors)


def _pictures_hold_the_timetable(pages: list[Page], path: Path) -> bool:
    """A Word file whose text holds no table and hardly a time (a title at most) but has a large
    picture: the timetable is the picture."""
    if any(page.rules for page in pages):
        return False
    text = " ".join(w.text for page in pages for w in page.words)
    return len(TIME_RE.findall(text)) < 3 and bool(images.docx_pictures(path))


def reader_key(registry: EngineRegistry, reader: Any) -> str:
    return registry.key("reader", reader.name) or reader.name


def ocr_key(
    registry: EngineRegistry, ocr_engine: str, preprocessors: tuple[str, ...] | None = None
) -> str | None:
    """The OCR engine's key with the preprocessors' (None when the engine is not installed)."""
    engine = registry.key("ocr", ocr_engine)
    if engine is None:
        return None
    chosen = list(registry.preprocessors) if preprocessors is None else list(preprocessors)
    steps = [registry.key("preprocessor", name) or name for name in chosen]
    return "+".join([engine, *steps])


def reading_keys(registry: EngineRegistry, kind: str, ocr_engine: str) -> set[str]:
    """The ``made_by`` of every reading that reading a document of ``kind`` now could give: an
    earlier reading is reused only when it is one of them (the school's OCR engine changed, or a
    plugin was upgraded or denied: read anew)."""
    keys = set()
    if kind in TEXT_KINDS and (reader := registry.reader_for(kind)) is not None:
        keys.add(reader_key(registry, reader))  # a PDF with an empty text layer is OCR'd, below
    if (ocr := ocr_key(registry, ocr_engine)) is not None:
        keys.add(ocr)
    return keys


def ocr_document(
    registry: EngineRegistry,
    path: Path,
    kind: str,
    *,
    ocr_engine: str,
    preprocessors: tuple[str, ...] | None = None,
) -> ReadResult:
    engine = registry.ocr.get(ocr_engine)
    if engine is None:
        installed = ", ".join(sorted(registry.ocr)) or "none"
        raise EngineMissing(f"OCR engine '{ocr_engine}' is not installed (installed: {installed}).")
    chosen = list(registry.preprocessors) if preprocessors is None else list(preprocessors)
    steps = [(name, registry.key("preprocessor", name) or name) for name in chosen]
    pages: list[Page] = []
    for number, image in enumerate(_timed(images.page_images(path, kind), "page images"), start=1):

        def recognize(image: Any = image, number: int = number) -> Page:
            page = PageImage(image)
            for name in chosen:
                with stage(f"preprocess {name}"):
                    done = registry.preprocessors[name].preprocess(page.image)
                page = chain(page, from_preprocessor(done, name))
            with stage(f"ocr {engine.name}"):
                return engine.recognize(registry.ocr_input(engine.name, page), number)

        # A page seen before (by this school, on any worker) skips preprocessing and OCR. The
        # engine's and preprocessors' versions are in the key: a new version reads the page anew.
        engine_key = registry.key("ocr", engine.name) or engine.name
        page = cache.cached_ocr_page(engine_key, image, steps, Page, recognize)
        page.number = number
        pages.append(page)
    made_by = ocr_key(registry, ocr_engine, preprocessors) or engine.name
    return ReadResult(kind=kind, engine=engine.name, pages=pages, made_by=made_by)


def _timed(pages: Any, name: str) -> Any:
    """The pages of a generator, each one's making timed as stage `name`."""
    iterator = iter(pages)
    while True:
        with stage(name):
            page = next(iterator, None)
            if page is None:
                return
        yield page


def interpret(result: ReadResult) -> DraftTimetable:
    return interpret_pages(result.pages)


def score(
    pm: TimetablerPluginManager,
    draft: DraftTimetable,
    result: ReadResult,
    vocabulary: list[str] | None = None,
) -> float:
    """The confidence of the draft as it will be saved: validated first (impossible lessons dropped
    and counted), so the pipeline, a second engine and `timetabler extract` give one document one
    figure. Validating a validated draft changes nothing."""
    checked, _ = validate_draft(draft)
    confidence = pm.hook.score_confidence(draft=checked, read=result, vocabulary=list(vocabulary or []))
    return 0.0 if confidence is None else max(0.0, min(1.0, float(confidence)))


def route(pm: TimetablerPluginManager, confidence: float, thresholds: Thresholds) -> str:
    return pm.hook.route_document(confidence=confidence, thresholds=thresholds) or "review"
