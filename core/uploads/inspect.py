"""Everything an upload passes before it is stored: its type from its bytes, the limits, the
document's own check, and any virus scanner a plugin provides."""

from __future__ import annotations

from pathlib import Path

import msgspec

from core.engine_errors import DocumentUnreadable, UnsupportedDocument
from core.errors import DomainError
from core.extraction import stages
from core.extraction.limits import LimitExceeded, UnsafeContent, check_docx, check_image, check_pdf
from core.extraction.probe import check_readable
from core.plugins import TimetablerPluginManager
from core.uploads.sniff import sniff

# Which document kinds each sniffed type may be classified as.
_KINDS = {"application/pdf": ("pdf_text", "pdf_scan"), "application/zip": ("docx",)}
_SUPPORTED = (
    "'{name}' is not a supported timetable document. Upload a PDF, a Word (.docx) file or a photo "
    "or scan (PNG, JPEG, TIFF, WebP)."
)


class UploadRefused(DocumentUnreadable):
    """A scanner plugin refused the file."""

    code = "upload_refused"


class Inspected(msgspec.Struct, frozen=True):
    kind: str  # pdf_text, pdf_scan, docx or image
    media_type: str  # what the bytes are, whatever the name or Content-Type said
    suffix: str  # the suffix it is stored and served under


def inspect_upload(pm: TimetablerPluginManager, path: Path, filename: str) -> Inspected:
    """The checked upload, or an UnsupportedDocument / LimitExceeded / UnsafeContent / UploadRefused /
    DocumentUnreadable that says what to do."""
    sniffed = sniff(path)
    if sniffed is None:
        raise UnsupportedDocument(_SUPPORTED.format(name=filename))
    # Limits come first: nothing below may decode a bomb.
    if sniffed.media_type == "application/pdf":
        check_pdf(path, filename)
    elif sniffed.media_type.startswith("image/"):
        check_image(path, filename)
    else:  # a Word file, or a zip that is too damaged to tell
        check_docx(path, filename)
    kind = stages.classify(pm, path, filename)
    allowed = _KINDS.get(sniffed.media_type, ("docx",) if sniffed.suffix == ".docx" else ("image",))
    if kind not in allowed:
        raise UnsupportedDocument(_SUPPORTED.format(name=filename))
    check_readable(path, kind, filename)
    reason = pm.hook.scan_upload(path=path, media_type=sniffed.media_type)
    if reason:
        raise UploadRefused(f"'{filename}' was refused by the virus scan: {reason}")
    return Inspected(kind=kind, media_type=sniffed.media_type, suffix=sniffed.suffix)


def inspect_or_refuse(pm: TimetablerPluginManager, path: Path, filename: str) -> Inspected:
    """`inspect_upload` for the surfaces that take uploads: each refusal as a DomainError with the
    status the API answers it with."""
    try:
        return inspect_upload(pm, path, filename)
    except UnsupportedDocument as exc:
        raise DomainError(415, "unsupported_type", str(exc)) from exc
    except LimitExceeded as exc:
        raise DomainError(413, exc.code, str(exc)) from exc
    except (UnsafeContent, UploadRefused) as exc:
        raise DomainError(422, exc.code, str(exc)) from exc
    except DocumentUnreadable as exc:
        raise DomainError(422, "unreadable_document", str(exc)) from exc
