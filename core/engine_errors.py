"""What can go wrong reading a document, for the engines and for the reading itself (core.extraction,
core.uploads and core.ocr_geometry raise these too, so they live below all of them)."""

from __future__ import annotations


class EngineError(Exception):
    """An engine could not do its work; the message says why, in words a teacher can act on."""


class DocumentUnreadable(EngineError):
    """The document itself is the problem (corrupt, empty, unsupported): retrying will not help."""


class NotATimetable(DocumentUnreadable):
    """The document was read but holds no lessons (a letter, a holiday photo): the job fails with
    ``code`` so clients can say so plainly, and no timetable is made for it."""

    code = "not_a_timetable"


class EngineMissing(EngineError):
    """The engine the school chose is not installed on this server: retrying cannot help until the
    school's settings or the server change. The message (with the engine's name) is for operators."""


class EngineUnavailable(EngineError):
    """The engine cannot run now (no key, the network down, a quota reached): the pipeline skips
    its step, records this message as the reason, and goes on to the next step."""


class UnsupportedDocument(DocumentUnreadable):
    """The file is not a kind of document Timetabler reads (a text file, a spreadsheet, ...)."""
