"""The pipeline's stages as the worker runs them: load by id, run the stage, keep its result.

Each stage loads its inputs from the database by document and stage, so a redelivered message
redoes nothing that is already done, and a retried job resumes at the stage that failed.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import msgspec

from core import cache
from core.db.scoping import TenantScope
from core.db.tables import (
    Document,
    Job,
    Review,
    StageResult,
    Timeblock,
    Timetable,
    decode_json,
    json_list,
)
from core.engines import NotATimetable, Notification
from core.extraction import found as structure
from core.extraction import stages
from core.extraction.model import DraftTimetable, ReadResult
from core.extraction.table_like import holds_a_table
from core.extraction.validate import duration_minutes, not_a_timetable_message, validate_draft
from core.jobs import escalation, reading
from core.notifications import fanout as notifications
from core.observability import metrics
from core.plugin_settings import use_school_settings
from core.runtime import Runtime, emit
from core.schools import vocabulary
from core.schools.credentials import use_school_keys
from core.schools.service import effective_settings
from core.usage import record_usage

log = logging.getLogger(__name__)

STAGES = (
    "classify",
    "read",
    "interpret",
    "score",
    "route",
    "secondary_ocr",
    "llm",
    "validate",
    "save",
    "notify",
)
FINAL_STATUSES = ("completed", "failed", "review")


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _plain(value: Any) -> Any:
    """Engines may hand back numpy numbers (a float64 box edge); keep them as plain numbers."""
    if hasattr(value, "item"):
        return value.item()
    raise NotImplementedError(f"cannot store {type(value).__name__}")


@dataclass
class StageContext:
    runtime: Runtime
    scope: TenantScope
    job: Job
    document: Document

    async def result(self, stage: str) -> Any:
        row = (
            await self.scope.select(StageResult, StageResult.payload)
            .where(StageResult.document_id == self.document.id, StageResult.stage == stage)
            .first()
        )
        if row is None:
            raise RuntimeError(f"the {stage} stage has no result for this document")
        return decode_json(row["payload"])

    async def has_result(self, stage: str) -> bool:
        return (
            await self.scope.count(StageResult)
            .where(StageResult.document_id == self.document.id, StageResult.stage == stage)
            .run()
        ) > 0

    async def job_is_gone(self) -> bool:
        """The job's row was deleted while a stage ran (its school or its person was erased)."""
        return await self.scope.count(Job).where(Job.id == self.job.id).run() == 0

    async def keep(self, stage: str, payload: Any) -> None:
        data = msgspec.json.encode(payload, enc_hook=_plain).decode()
        await self.scope.delete(StageResult).where(
            StageResult.document_id == self.document.id, StageResult.stage == stage
        )
        await self.scope.insert(StageResult, document_id=self.document.id, stage=stage, payload=data).save()

    async def update_job(self, **values: Any) -> None:
        values["updated_at"] = now()
        await self.scope.update(Job, {getattr(Job, k): v for k, v in values.items()}).where(
            Job.id == self.job.id
        )
        for key, value in values.items():
            setattr(self.job, key, value)

    def local_file(self) -> Any:
        return self.runtime.storage.local_path(self.document.storage_key)


async def _classify(ctx: StageContext) -> None:
    def work() -> str:
        with ctx.local_file() as path:
            return reading.classify(ctx.runtime, path, ctx.document.filename)

    kind = await asyncio.to_thread(work)
    await ctx.keep("classify", {"kind": kind})
    await ctx.scope.update(Document, {Document.kind: kind, Document.updated_at: now()}).where(
        Document.id == ctx.document.id
    )


async def _read(ctx: StageContext) -> None:
    kind = (await ctx.result("classify"))["kind"]
    ocr_engine = (await effective_settings(ctx.scope.tenant_id)).ocr_engine

    def work() -> ReadResult:
        with ctx.local_file() as path:
            return reading.read(ctx.runtime, Path(path), kind, ocr_engine)

    earlier = await _earlier_reading(ctx, stages.reading_keys(ctx.runtime.engines, kind, ocr_engine))
    metrics.reading_reuse(hit=earlier is not None)  # timetabler_reading_reuse_total (core/observability)
    result = earlier or await asyncio.to_thread(work)
    await ctx.keep("read", result)
    await ctx.update_job(engine=result.engine)


async def _earlier_reading(ctx: StageContext, made_by: set[str]) -> ReadResult | None:
    """The same school uploaded the same bytes before: reuse that reading instead of OCR again, but
    only when reading it now would be done the same way (``made_by``: the engines the school's
    settings choose now, at the versions installed now). After a switch of engine, an upgrade or
    a plugin denied, the document is read anew."""
    if not made_by:
        return None
    rows = (
        await ctx.scope.select(StageResult, StageResult.payload)
        .where(
            StageResult.stage == "read",
            StageResult.document_id.content_hash == ctx.document.content_hash,
            StageResult.document_id != ctx.document.id,
        )
        .order_by(StageResult.created_at, ascending=False)  # the newest way of reading it first
        .limit(20)
    )
    for row in rows:
        earlier = msgspec.convert(decode_json(row["payload"]), ReadResult)
        if earlier.made_by in made_by:
            return earlier
    return None


async def _load_read(ctx: StageContext) -> ReadResult:
    return msgspec.convert(await ctx.result("read"), ReadResult)


async def _load_draft(ctx: StageContext, stage: str = "interpret") -> DraftTimetable:
    return msgspec.convert(await ctx.result(stage), DraftTimetable)


async def _interpret(ctx: StageContext) -> None:
    read_result = await _load_read(ctx)
    draft = await asyncio.to_thread(reading.interpret, read_result)
    await ctx.keep("interpret", draft)


async def _score(ctx: StageContext) -> None:
    draft, read_result = await _load_draft(ctx), await _load_read(ctx)
    confidence = stages.score(ctx.runtime.plugins, draft, read_result, await vocabulary.terms(ctx.scope))
    await ctx.keep("score", {"confidence": confidence})
    await ctx.update_job(confidence=confidence)


async def _route(ctx: StageContext) -> None:
    confidence = (await ctx.result("score"))["confidence"]
    thresholds = (await effective_settings(ctx.scope.tenant_id)).thresholds  # the school's own bar
    route = stages.route(ctx.runtime.plugins, confidence, thresholds)
    reason = (
        f"Confidence {confidence:.2f} against the school's thresholds (accept {thresholds.accept}, "
        f"second OCR {thresholds.secondary_ocr}, LLM {thresholds.llm}): {route}."
    )
    if confidence == 0.0 and route == "review" and holds_a_table((await _load_read(ctx)).pages):
        # Nothing found is not the end: a table of text the local reading did not understand goes
        # to the school's LLM (when it has none, the ladder skips on and it ends as before).
        route = "llm"
        reason = "No lessons were found, but the page holds a table of text: the LLM reads it."
    await escalation.record_decision(
        ctx,
        step="route",
        engine=ctx.job.engine,
        confidenceBefore=confidence,
        confidenceAfter=None,
        kept="first",
        reason=reason,
    )
    outcome = escalation.Outcome(
        best_source="interpret", best_confidence=confidence, next=escalation.FIRST_STEP[route], reason=reason
    )
    await ctx.keep("route", outcome)
    await ctx.update_job(route=route)


async def _validate(ctx: StageContext) -> None:
    final = await escalation.final_outcome(ctx)
    draft, problems = validate_draft(await escalation.best_draft(ctx, final.best_source))
    if problems:
        await ctx.update_job(warnings=json_list(ctx.job.warnings) + problems)
    if not draft.blocks:
        await _nothing_placed(ctx)
    await ctx.keep("validate", draft)


async def _nothing_placed(ctx: StageContext) -> None:
    """The best reading holds no lessons. A letter or a photo is not a timetable: the job fails, so
    no empty timetable and no review are made for it (the document and file stay). But a page that
    plainly holds a table of text is a timetable whose lessons we could not place, and when an engine
    the school wanted was down or over its cap an empty reading proves nothing: either way a person
    checks the empty draft beside the original, told what the pages showed."""
    pages = (await _load_read(ctx)).pages
    found = structure.find(pages)
    await ctx.keep("found", found)  # the check screen says it and offers its days and times
    if escalation.a_wanted_reading_was_missed(ctx):
        return  # its decisions already say which reading could not be made
    if found.plainly_a_table():
        await escalation.record_decision(
            ctx,
            step="validate",
            engine=None,
            confidenceBefore=ctx.job.confidence,
            confidenceAfter=None,
            kept="previous",
            reason=f"No lessons could be placed, but the pages show {found.describe()}: a person adds them.",
        )
    else:
        notes = [note for page in pages for note in page.notes]
        raise NotATimetable(not_a_timetable_message(sum(len(page.words) for page in pages), notes))


async def _save(ctx: StageContext) -> None:
    draft = await _load_draft(ctx, "validate")
    try:
        timetable_id = await _write_timetable(ctx, draft)
    except Exception as exc:
        if not _is_unique_violation(exc):
            raise
        # Another delivery of this message inserted the document's timetable a moment ago (the
        # unique index of migration 2026_11_29_jobs refused a second one): replace what it wrote.
        log.info("job %s: a concurrent save won; replacing its timetable", ctx.job.id)
        timetable_id = await _write_timetable(ctx, draft)
    await ctx.keep("save", {"timetableId": str(timetable_id)})
    await ctx.update_job(timetable_id=timetable_id)


def _is_unique_violation(exc: BaseException) -> bool:
    # asyncpg's UniqueViolationError, sqlite3's IntegrityError: one timetable per document.
    return type(exc).__name__ in ("UniqueViolationError", "IntegrityError")


async def _write_timetable(ctx: StageContext, draft: DraftTimetable) -> Any:
    """The document's one timetable and its blocks, in one transaction.

    A redelivered save replaces what the first delivery wrote. The timetable row is updated
    before its blocks are replaced: that row lock makes a concurrent delivery wait for this one
    to commit, so its delete then sees (and removes) these blocks rather than adding to them.
    """
    async with Timetable._meta.db.transaction():
        existing = (
            await ctx.scope.select(Timetable, Timetable.id)
            .where(Timetable.document_id == ctx.document.id)
            .first()
        )
        if existing:
            timetable_id = existing["id"]
            await ctx.scope.update(Timetable, _timetable_values(draft)).where(Timetable.id == timetable_id)
            await ctx.scope.delete(Timeblock).where(Timeblock.timetable_id == timetable_id)
        else:
            timetable = ctx.scope.insert(
                Timetable,
                user_id=ctx.job.user_id,
                document_id=ctx.document.id,
                name=Path(ctx.document.filename).stem[:200],
            )
            for column, value in _timetable_values(draft).items():
                setattr(timetable, column._meta.name, value)
            await timetable.save()
            timetable_id = timetable.id
        blocks = [
            ctx.scope.insert(
                Timeblock,
                timetable_id=timetable_id,
                name=block.name[:200],
                day=block.day,
                start_time=block.start_time,
                end_time=block.end_time,
                duration=duration_minutes(block.start_time, block.end_time),
                # A master timetable's lesson keeps its class where the teacher sees it.
                notes=" · ".join(filter(None, [block.class_name, block.notes])) or None,
                color=block.color,
                page=block.page,
                confidence=block.confidence,
                week=block.week,
            )
            for block in draft.blocks
        ]
        if blocks:
            await Timeblock.insert(*blocks)
    return timetable_id


def _timetable_values(draft: DraftTimetable) -> dict[Any, Any]:
    return {
        Timetable.teacher: draft.teacher,
        Timetable.class_name: draft.class_name,
        Timetable.term: draft.term,
        Timetable.year: draft.year,
        Timetable.rotation: draft.rotation,
        Timetable.rotation_labels: list(draft.weeks or draft.cycle_days),
        Timetable.updated_at: now(),
    }


async def _notify(ctx: StageContext) -> None:
    # The job row is final (and committed) before anyone is told: a client that reads the job when
    # its final event arrives must find it final (core/realtime/README.md).
    await finish_job(ctx)
    await tell(ctx)


async def tell(ctx: StageContext) -> None:
    """Tell everyone concerned how a finished job ended (the websocket's final event among them)."""
    review = ctx.job.status == "review"
    count = len((await _load_draft(ctx, "validate")).blocks)
    notification = Notification(
        kind="hitl_required" if review else "processing_complete",
        tenant_id=str(ctx.scope.tenant_id),
        user_id=str(ctx.job.user_id),
        job_id=str(ctx.job.id),
        document_id=str(ctx.document.id),
        timetable_id=str(ctx.job.timetable_id) if ctx.job.timetable_id else None,
        message=(
            f"'{ctx.document.filename}' needs a review before it is final."
            if review
            else f"'{ctx.document.filename}' is ready: {count} lessons found."
        ),
    )
    await send_notification(ctx.runtime, notification)
    await ctx.keep("notify", {"kind": notification.kind})  # a redelivered message does not tell twice


async def send_notification(runtime: Runtime, notification: Notification) -> None:
    """Everyone it concerns is told on the channels they left on (core/notifications/fanout.py);
    a notifier that fails is logged and does not fail the job."""
    await notifications.dispatch(runtime, notification)


STAGE_FUNCTIONS: dict[str, Callable[[StageContext], Awaitable[None]]] = {
    "classify": _classify,
    "read": _read,
    "interpret": _interpret,
    "score": _score,
    "route": _route,
    "secondary_ocr": escalation.secondary_ocr,
    "llm": escalation.llm,
    "validate": _validate,
    "save": _save,
    "notify": _notify,
}


async def load_context(runtime: Runtime, job_id: str, tenant_id: str) -> StageContext | None:
    scope = TenantScope(tenant_id)
    cache.use_tenant(tenant_id)  # OCR and LLM results this stage caches are this school's own
    await use_school_keys(runtime.settings, tenant_id)  # its own Vision/Claude keys, if any
    use_school_settings(None)  # first: a failure below must not leave an earlier school's values
    use_school_settings((await effective_settings(scope.tenant_id)).engine_settings)  # e.g. its OCR languages
    job = await scope.get(Job, job_id)
    if job is None:
        return None
    document = await scope.get(Document, job.document_id)
    if document is None:
        return None
    return StageContext(runtime=runtime, scope=scope, job=job, document=document)


async def set_document_status(ctx: StageContext, status: str) -> None:
    await ctx.scope.update(Document, {Document.status: status, Document.updated_at: now()}).where(
        Document.id == ctx.document.id
    )


async def fail_job(ctx: StageContext, stage: str, message: str, code: str | None = None) -> None:
    """End the job failed with a message the teacher reads; ``code`` says why for clients
    ("not_a_timetable"). Rows first, then the events and notifications that announce them."""
    # The document first: a client that sees the job final must see the document final too.
    await set_document_status(ctx, "failed")
    await ctx.update_job(status="failed", stage=stage, error=message, error_code=code, finished_at=now())
    emit(ctx.runtime, ctx.job, stage, "failed", message)
    told = (
        f"'{ctx.document.filename}': {message}"
        if code == NotATimetable.code
        else f"'{ctx.document.filename}' could not be read: {message}"
    )
    await send_notification(
        ctx.runtime,
        Notification(
            kind="processing_failed",
            tenant_id=str(ctx.scope.tenant_id),
            user_id=str(ctx.job.user_id),
            job_id=str(ctx.job.id),
            document_id=str(ctx.document.id),
            message=told,
        ),
    )


async def finish_job(ctx: StageContext) -> None:
    final = await escalation.final_outcome(ctx)
    # An empty draft is never a finished timetable, whatever an engine said of its own reading.
    empty = not (await _load_draft(ctx, "validate")).blocks
    status = "review" if final.next == "review" or empty else "completed"
    if status == "review":
        await open_review(ctx, final)
    await set_document_status(ctx, "review" if status == "review" else "processed")
    # Before the job is final: a redelivered message finds it unfinished and records again (a no-op).
    await record_usage(ctx.scope.tenant_id, ctx.job.id, "document", engine=ctx.job.engine)
    await ctx.update_job(status=status, stage="done", error=None, error_code=None, finished_at=now())
    emit(ctx.runtime, ctx.job, "done", status)  # after the row it announces is committed


async def open_review(ctx: StageContext, final: escalation.Outcome) -> None:
    """A person checks the draft: one open review per job, however often this runs."""
    if await ctx.scope.count(Review).where(Review.job_id == ctx.job.id):
        return
    await ctx.scope.insert(
        Review,
        job_id=ctx.job.id,
        document_id=ctx.document.id,
        reason=final.reason or "The reading is not sure enough to use without a check.",
        confidence=final.best_confidence,
    ).save()
