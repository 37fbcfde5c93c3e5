"""Checking a document that was not read surely enough: who checks it (the school's `checkedBy`),
which of its lessons are in doubt and why, and the reason in words a teacher reads.

Shared by the API's review routes and the console's review screen, so both say the same thing.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import Any

import msgspec

from core.db.scoping import TenantScope
from core.db.tables import StageResult, decode_json
from core.errors import DomainError
from core.extraction.confidence import name_score, vocabulary
from core.extraction.found import Found
from core.pdfium_lock import PDFIUM
from core.schools.roles import TEACHER
from core.schools.settings import SchoolSettings
from core.timetables.blocks import TimeblockIn, block_values
from core.timetables.rotation import WEEKLY, Rotation

# A lesson read with less than this is marked for a look: Tesseract reads clean print at 0.95 and
# more, so below 0.9 some letters of the cell were guesses.
DOUBT_BELOW = 0.9
PREVIEW_SIDE = 1600  # px: the longest side of a page drawn for the check screens


def uploader_checks(settings: SchoolSettings) -> bool:
    return settings.checked_by in ("uploader", "both")


def reviewers_check(settings: SchoolSettings) -> bool:
    return settings.checked_by in ("reviewers", "both")


def may_check_own(role: str, settings: SchoolSettings) -> bool:
    """A teacher checks their own document only where the school leaves it to uploaders; reviewers
    and admins check any of their school's, whatever the setting (they may always help)."""
    return role != TEACHER or uploader_checks(settings)


def _when(block: dict[str, Any]) -> str:
    return f"{block['day']} {block['start_time']}-{block['end_time']}"


def doubts(
    blocks: Iterable[dict[str, Any]], warnings: Iterable[str], school_terms: Iterable[str]
) -> dict[str, list[str]]:
    """Why each doubtful lesson is doubted (by its id): read unclearly, a name that is no subject
    the school or the product knows, a time no school keeps, or a warning of the reading naming it
    (two lessons at once). Lessons with nothing against them are left out."""
    known = vocabulary(extra=school_terms)
    notes = list(warnings)
    found: dict[str, list[str]] = {}
    for block in blocks:
        why = []
        if block.get("confidence") is not None and block["confidence"] < DOUBT_BELOW:
            why.append("the writing was hard to read")
        if name_score(block["name"], known) < 0.6:
            why.append("the name is not a subject we know")
        start, end = block["start_time"], block["end_time"]
        if not ("06:00" <= start < end <= "22:00"):
            why.append("the time is unusual for a school")
        label = f"{start}-{end} '{block['name']}'"
        if any(block["day"] in note and label in note and note.startswith("overlap") for note in notes):
            why.append("it overlaps another lesson")
        if why:
            found[str(block["id"])] = why
    return found


def plain_reason(
    confidence: float | None,
    lessons: int | None = None,
    doubtful: int | None = None,
    found: Found | None = None,
) -> str:
    """Why a document waits for a check, without the engines' words (those stay in the job's
    history for the school's admins). With no lessons, what the pages showed, so the person starts
    from something."""
    if lessons == 0:
        seen = found.describe() if found else None
        if seen:
            return (
                f"We could read {seen}, but could not place the lessons. Add them from your original below."
            )
        return "We found no lessons in it. Add them from the original, or upload a clearer photo."
    sure = f" (we are {round(confidence * 100)}% sure of it)" if confidence is not None else ""
    head = f"We are not sure we read every lesson right{sure}."
    if doubtful:
        marked = "1 lesson is" if doubtful == 1 else f"{doubtful} lessons are"
        return f"{head} {marked} marked: check those first, then the rest against the original."
    return f"{head} Compare the lessons with the original."


async def found_on(scope: TenantScope, document_id: object) -> Found | None:
    """What the pages of a document that gave no lessons showed (kept by the pipeline), or None."""
    row = (
        await scope.select(StageResult, StageResult.payload)
        .where(StageResult.document_id == document_id, StageResult.stage == "found")
        .first()
    )
    return msgspec.convert(decode_json(row["payload"]), Found) if row else None


def row_label(number: int, block: TimeblockIn) -> str:
    """A row as a person finds it again: "Row 3 (Monday 09:00, Maths)"."""
    parts = [block.day.strip(), block.start_time.strip()]
    where = " ".join(p for p in parts if p)
    name = block.name.strip() or "no name"
    return f"Row {number} ({where + ', ' if where else ''}{name})"


def checked_values(blocks: list[TimeblockIn], rotation: Rotation = WEEKLY) -> list[dict[str, Any]]:
    """Every corrected lesson checked with the API's own rule; a bad one answers 400 naming its row,
    its day, time and name, and what is wrong."""
    values = []
    for number, block in enumerate(blocks, start=1):
        try:
            values.append(block_values(block, rotation))
        except DomainError as exc:
            raise DomainError(400, exc.code, f"{row_label(number, block)}: {exc.detail}") from exc
    return values


def first_page_png(content: bytes) -> bytes:
    """Page 1 of a PDF as PNG, its longest side at most PREVIEW_SIDE pixels."""
    import pypdfium2 as pdfium

    with PDFIUM:
        pdf = pdfium.PdfDocument(content)
        try:
            first = pdf[0]
            width, height = first.get_size()
            scale = min(150 / 72, PREVIEW_SIDE / max(width, height, 1))
            image = first.render(scale=scale).to_pil()
        finally:
            pdf.close()
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def image_png(content: bytes) -> bytes:
    """An image browsers cannot show (TIFF) as PNG: its first frame, at most PREVIEW_SIDE pixels."""
    from PIL import Image

    with Image.open(io.BytesIO(content)) as image:
        image.thumbnail((PREVIEW_SIDE, PREVIEW_SIDE))
        out = io.BytesIO()
        image.convert("RGB").save(out, format="PNG")
        return out.getvalue()
