"""Types shared by the confidence and routing policy hooks."""

from __future__ import annotations

import msgspec

ROUTES = ("accept", "secondary_ocr", "llm", "review")


class Thresholds(msgspec.Struct, frozen=True):
    """A document at or above ``accept`` is accepted; at or above ``secondary_ocr`` a second OCR
    engine reads it; at or above ``llm`` an LLM does; below that a person reviews it."""

    accept: float = 0.98
    secondary_ocr: float = 0.90
    llm: float = 0.80

    def __post_init__(self) -> None:
        if not (0.0 <= self.llm <= self.secondary_ocr <= self.accept <= 1.0):
            raise ValueError("thresholds must satisfy 0 <= llm <= secondary_ocr <= accept <= 1")


class PipelineEvent(msgspec.Struct, frozen=True):
    """A stage change of a job, as seen by ``pipeline_event`` implementations."""

    tenant_id: str
    job_id: str
    document_id: str
    stage: str
    status: str  # queued | running | completed | failed | review
    detail: str | None = None
