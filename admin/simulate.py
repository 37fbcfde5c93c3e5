"""The what-if simulator: replay recorded confidences through proposed thresholds.

Each recorded job keeps the confidence its document first scored; routing it again through other
thresholds (with the installed routing policy, exactly as the pipeline does) shows where it would
have gone, and the pricing table turns the routes into a projected monthly cost. A step whose
engine the school has not set up (or that is not installed) is passed over as the pipeline passes
it over (core/jobs/escalation.py): no second OCR means on to the LLM, no LLM means human review.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from core.db.scoping import TenantScope
from core.db.tables import Document, Job, StageResult
from core.extraction.stages import TEXT_KINDS
from core.policy import ROUTES, Thresholds
from core.schools.settings import SchoolSettings
from tenants.pricing import REVIEW_PER_DOCUMENT_USD, llm_price_per_document, ocr_price_per_page

DEFAULT_SAMPLE = 200
MAX_SAMPLE = 5000
# Jobs that scored a confidence and finished: accepted ones end "completed", routed-to-review ones
# end "review". Leaving the latter out would hide exactly the documents thresholds matter most for.
FINISHED = ("completed", "review")
LABELS = {"accept": "Accept", "secondary_ocr": "Secondary OCR", "llm": "LLM", "review": "Human review"}


@dataclass(frozen=True)
class Recorded:
    """One finished job: its confidence, its page count and the settings it is judged under."""

    confidence: float
    pages: int
    school_id: UUID
    created_at: dt.datetime | None = None
    kind: str | None = None  # pdf_text | docx have their own text: no OCR, no second OCR


@dataclass(frozen=True)
class Installed:
    """The engines this platform has installed (the runtime's registry), by name."""

    ocr: frozenset[str]
    llm: frozenset[str]


@dataclass
class CostLine:
    step: str
    engine: str
    unit: str
    unit_price: float
    quantity: float = 0.0  # per month

    @property
    def cost(self) -> float:
        return self.unit_price * self.quantity


@dataclass
class Projection:
    documents: int  # in the sample
    per_month: float  # documents a month the cost is projected for
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(ROUTES, 0))
    lines: dict[tuple[str, str], CostLine] = field(default_factory=dict)

    def share(self, route: str) -> float:
        return self.counts[route] / self.documents if self.documents else 0.0

    @property
    def monthly_cost(self) -> float:
        return sum(line.cost for line in self.lines.values())

    def add(self, step: str, engine: str, unit: str, price: float, quantity: float) -> None:
        line = self.lines.setdefault((step, engine), CostLine(step, engine, unit, price))
        line.quantity += quantity


def route_for(pm: Any, confidence: float, thresholds: Thresholds) -> str:
    """The route the installed policy gives; a policy that answers nothing means review."""
    return pm.hook.route_document(confidence=confidence, thresholds=thresholds) or "review"


def can_read_again(settings: SchoolSettings, installed: Installed | None, kind: str | None) -> bool:
    """Whether the pipeline would run a second OCR engine on this document."""
    name = settings.secondary_ocr_engine
    if name is None or (installed is not None and name not in installed.ocr):
        return False
    return kind not in TEXT_KINDS and name != settings.ocr_engine  # its own text; the same reader


def can_ask_llm(settings: SchoolSettings, installed: Installed | None) -> bool:
    name = settings.llm_engine
    return name is not None and (installed is None or name in installed.llm)


def real_route(route: str, settings: SchoolSettings, installed: Installed | None, kind: str | None) -> str:
    """The step the document really reaches: the escalation ladder skips an engine not set up."""
    if route == "secondary_ocr" and not can_read_again(settings, installed, kind):
        route = "llm"
    if route == "llm" and not can_ask_llm(settings, installed):
        route = "review"
    return route


def missing_steps(settings: SchoolSettings, installed: Installed | None) -> list[str]:
    """The escalation steps this school's settings leave out, for the page to say."""
    missing = []
    if not can_read_again(settings, installed, None):
        missing.append("a second OCR engine")
    if not can_ask_llm(settings, installed):
        missing.append("an LLM")
    return missing


def project(
    pm: Any,
    samples: list[Recorded],
    settings_for: dict[UUID, SchoolSettings],
    per_month: float,
    declared: dict[str, dict[str, float]] | None = None,
    installed: Installed | None = None,
) -> Projection:
    """Where the sampled documents go under each school's settings in ``settings_for``, and what a
    month of ``per_month`` documents like them costs, at the prices installed engines declare
    (``declared``, as core.plugin_kit.costs.declared_costs gives them) or the platform's list.
    Only the engines a school chose (and, given ``installed``, that are installed) run and cost."""
    ocr_prices = (declared or {}).get("ocr_per_page", {})
    llm_prices = (declared or {}).get("llm_per_document", {})
    result = Projection(documents=len(samples), per_month=per_month)
    scale = per_month / len(samples) if samples else 0.0
    for sample in samples:
        settings = settings_for[sample.school_id]
        route = route_for(pm, sample.confidence, settings.thresholds)
        route = real_route(route, settings, installed, sample.kind)
        result.counts[route] += 1
        if sample.kind not in TEXT_KINDS:
            engine, price = ocr_price_per_page(settings.ocr_engine, declared=ocr_prices)
            result.add("OCR (scans and photos)", engine, "page", price, sample.pages * scale)
        if route == "secondary_ocr":
            engine, price = ocr_price_per_page(
                settings.secondary_ocr_engine, secondary=True, declared=ocr_prices
            )
            result.add("Secondary OCR", engine, "page", price, sample.pages * scale)
        elif route == "llm":
            engine, price = llm_price_per_document(settings.llm_engine, llm_prices)
            result.add("LLM", engine, "document", price, scale)
        elif route == "review":
            result.add("Human review", "staff", "document", REVIEW_PER_DOCUMENT_USD, scale)
    return result


async def recorded_jobs(school_ids: list[UUID], limit: int) -> list[Recorded]:
    """The last ``limit`` finished jobs with a confidence across these schools, newest first."""
    samples: list[Recorded] = []
    for school_id in school_ids:
        scope = TenantScope(school_id)
        rows = (
            await scope.select(Job, Job.confidence, Job.document_id, Job.created_at)
            .where(Job.status.is_in(list(FINISHED)), Job.confidence.is_not_null())
            .order_by(Job.created_at, ascending=False)
            .limit(limit)
        )
        document_ids = [row["document_id"] for row in rows]
        documents, first = await _documents(scope, document_ids), await first_scores(scope, document_ids)
        samples += [
            Recorded(
                confidence=first.get(row["document_id"], float(row["confidence"])),
                pages=documents.get(row["document_id"], {}).get("pages") or 1,
                school_id=school_id,
                created_at=row["created_at"],
                kind=documents.get(row["document_id"], {}).get("kind"),
            )
            for row in rows
        ]
    samples.sort(key=lambda s: s.created_at or dt.datetime.min.replace(tzinfo=dt.UTC), reverse=True)
    return samples[:limit]


async def _documents(scope: TenantScope, document_ids: list[UUID]) -> dict[UUID, dict[str, Any]]:
    """Each document's page count and kind."""
    if not document_ids:
        return {}
    columns = (Document.id, Document.pages, Document.kind)
    rows = await scope.select(Document, *columns).where(Document.id.is_in(document_ids))
    return {row["id"]: row for row in rows}


async def first_scores(scope: TenantScope, document_ids: list[UUID]) -> dict[UUID, float]:
    """The confidence each document scored before any escalation: the one thresholds route.

    The job's own confidence ends as the best reading after secondary OCR or the LLM, which would
    replay an escalated document as if it had been accepted at once.
    """
    if not document_ids:
        return {}
    rows = await scope.select(StageResult, StageResult.document_id, StageResult.payload).where(
        StageResult.stage == "score", StageResult.document_id.is_in(document_ids)
    )
    scores = {}
    for row in rows:
        payload = row["payload"]
        payload = json.loads(payload) if isinstance(payload, str | bytes) else payload
        if isinstance(payload, dict) and isinstance(payload.get("confidence"), int | float):
            scores[row["document_id"]] = float(payload["confidence"])
    return scores


async def documents_last_30_days(school_ids: list[UUID]) -> int:
    since = dt.datetime.now(dt.UTC) - dt.timedelta(days=30)
    total = 0
    for school_id in school_ids:
        total += await TenantScope(school_id).count(Job).where(Job.created_at >= since)
    return total


def parse_sample_size(raw: str | None) -> int:
    try:
        value = int(raw or DEFAULT_SAMPLE)
    except ValueError:
        return DEFAULT_SAMPLE
    return min(max(value, 1), MAX_SAMPLE)
