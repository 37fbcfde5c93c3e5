"""Direct upload requests and answers (camelCase on the wire)."""

from __future__ import annotations

import datetime as dt
from uuid import UUID

import msgspec

from core.schema import Schema


class DirectUploadIn(Schema):
    filename: str = msgspec.field()
    size: int  # bytes the client will send; the stored object must have exactly this size
    content_type: str = "application/octet-stream"  # the client's claim; the bytes decide


class PartUrl(Schema):
    part_number: int
    url: str


class DirectUploadOut(Schema):
    id: UUID
    method: str  # PUT
    url: str | None  # one PUT of the whole file, or None for multipart
    parts: list[PartUrl] | None  # multipart: PUT each part to its URL, keep each answer's ETag
    part_size: int | None  # bytes per part (the last part may be smaller)
    expires_at: dt.datetime  # the URLs stop working then
    complete_url: str  # POST here (with the parts' ETags for multipart) once the bytes are up


class CompletedPart(Schema):
    part_number: int
    etag: str


class CompleteIn(Schema):
    parts: list[CompletedPart] | None = None
