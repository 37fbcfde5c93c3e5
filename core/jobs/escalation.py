"""Escalation: a reading below the school's bar goes to a second OCR engine, then to an LLM, then to
a person. After each step the result is scored again and the better reading is kept; every step,
run or skipped, is recorded on the job with its reason.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path
from typing import Any

import msgspec

from core.db.tables import StageResult, UsageEvent, decode_json, json_list
from core.engines import EngineUnavailable
from core.escalation.crosscheck import check_columns
from core.extraction import stages
from core.extraction.model import DraftTimetable, ReadResult
from core.policy import Thresholds
from core.schools import vocabulary
from core.schools.service import effective_settings
from core.schools.settings import SchoolSettings
from core.usage import record_usage

LADDER = ("secondary_ocr", "llm", "review")
FIRST_STEP = {"accept": "accept", "secondary_ocr": "secondary_ocr", "llm": "llm", "review": "review"}


class Outcome(msgspec.Struct, rename="camel", kw_only=True):
    """Where a document stands after a step: its best reading so far and what comes next."""

    best_source: str  # the stage whose draft is best: interpret | secondary_ocr | llm
    best_confidence: float
    next: str  # accept | secondary_ocr | llm | review
    draft: DraftTimetable | None = None  # this step's own reading, when it made one
    reason: str = ""
    made_by: str = ""  # the engine that made ``draft``, by EngineRegistry.key (for reuse)


def after(step: str, confidence: float, thresholds: Thresholds) -> str:
    """What follows a step: accepted when sure enough, otherwise the next rung of the ladder."""
    if confidence >= thresholds.accept:
        return "accept"
    return LADDER[LADDER.index(step) + 1]


async def month_spend(ctx: Any) -> float:
    start = dt.datetime.now(dt.UTC).replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    rows = await ctx.scope.select(UsageEvent, UsageEvent.cost_usd).where(UsageEvent.created_at >= start)
    return sum(row["cost_usd"] or 0.0 for row in rows)


async def over_cap(ctx: Any, settings: SchoolSettings) -> bool:
    cap = settings.monthly_spend_cap_usd
    return cap is not None and await month_spend(ctx) >= cap


async def record_decision(ctx: Any, **decision: Any) -> None:
    decision["at"] = dt.datetime.now(dt.UTC).isoformat()
    await ctx.update_job(decisions=json_list(ctx.job.decisions) + [decision])


async def previous_outcome(ctx: Any, step: str) -> Outcome:
    before = {"secondary_ocr": "route", "llm": "secondary_ocr"}[step]
    return msgspec.convert(await ctx.result(before), Outcome)


async def skip(
    ctx: Any,
    step: str,
    prior: Outcome,
    reason: str,
    engine: str | None,
    *,
    then: str,
    could_not_run: bool = False,
) -> Outcome:
    """Record a step passed over. ``could_not_run``: the school wanted this reading and did not get
    it (engine missing or down, spend cap), so an empty reading proves nothing about the document."""
    await record_decision(
        ctx,
        step=step,
        engine=engine,
        confidenceBefore=prior.best_confidence,
        confidenceAfter=None,
        kept="previous",
        reason=f"Skipped: {reason}",
        couldNotRun=could_not_run,
    )
    return Outcome(
        best_source=prior.best_source, best_confidence=prior.best_confidence, next=then, reason=reason
    )


async def keep_better(
    ctx: Any,
    step: str,
    prior: Outcome,
    draft: DraftTimetable,
    confidence: float,
    engine: str,
    thresholds: Thresholds,
    detail: str = "",
    **extra: Any,
) -> Outcome:
    better = confidence > prior.best_confidence
    best_source = step if better else prior.best_source
    best = confidence if better else prior.best_confidence
    following = after(step, best, thresholds)
    kept = "new" if better else "previous"
    reason = (
        f"{engine} read it with confidence {confidence:.2f} (before {prior.best_confidence:.2f}); kept the "
        f"{'new' if better else 'earlier'} reading; next: {following}. {detail}"
    ).strip()
    await record_decision(
        ctx,
        step=step,
        engine=engine,
        confidenceBefore=prior.best_confidence,
        confidenceAfter=confidence,
        kept=kept,
        reason=reason,
        **extra,
    )
    await ctx.update_job(confidence=best)
    return Outcome(best_source=best_source, best_confidence=best, next=following, draft=draft, reason=reason)


async def secondary_ocr(ctx: Any) -> None:
    prior = await previous_outcome(ctx, "secondary_ocr")
    if prior.next != "secondary_ocr":
        await ctx.keep("secondary_ocr", msgspec.structs.replace(prior, draft=None, reason="not needed"))
        return
    settings = await effective_settings(ctx.scope.tenant_id)
    name = settings.secondary_ocr_engine
    engine = ctx.runtime.engines.ocr.get(name) if name else None
    kind, first_engine = ctx.document.kind, ctx.job.engine  # set by the classify and read stages
    cost_per_page = float(getattr(engine, "cost_per_page_usd", 0.0) or 0.0)
    if name is None:
        outcome = await skip(ctx, "secondary_ocr", prior, "no second OCR engine is chosen", None, then="llm")
    elif engine is None:
        outcome = await skip(
            ctx,
            "secondary_ocr",
            prior,
            f"the OCR engine '{name}' is not installed",
            name,
            then="llm",
            could_not_run=True,
        )
    elif kind in stages.TEXT_KINDS or name == first_engine:
        reason = (
            "the document has its own text"
            if kind in stages.TEXT_KINDS
            else "it is the engine that read it first"
        )
        outcome = await skip(ctx, "secondary_ocr", prior, reason, name, then="llm")
    elif cost_per_page and await over_cap(ctx, settings):
        outcome = await skip(
            ctx,
            "secondary_ocr",
            prior,
            "the school's monthly spend cap is reached",
            name,
            then="review",
            could_not_run=True,
        )
    else:
        try:
            outcome = await _second_reading(ctx, prior, name, kind, settings.thresholds, cost_per_page)
        except EngineUnavailable as exc:
            outcome = await skip(ctx, "secondary_ocr", prior, str(exc), name, then="llm", could_not_run=True)
    await ctx.keep("secondary_ocr", outcome)


async def _second_reading(
    ctx: Any, prior: Outcome, name: str, kind: str, thresholds: Thresholds, cost_per_page: float
) -> Outcome:
    def work() -> tuple[ReadResult, DraftTimetable]:
        with ctx.local_file() as path:
            result = stages.ocr_document(ctx.runtime.engines, Path(path), kind, ocr_engine=name)
        return result, stages.interpret(result)

    result, draft = await asyncio.to_thread(work)
    confidence = stages.score(ctx.runtime.plugins, draft, result, await vocabulary.terms(ctx.scope))
    pages = len(result.pages)
    await record_usage(
        ctx.scope.tenant_id,
        ctx.job.id,
        "ocr_call",
        quantity=pages,
        engine=name,
        cost_usd=pages * cost_per_page,
    )
    return await keep_better(ctx, "secondary_ocr", prior, draft, confidence, name, thresholds)


async def llm(ctx: Any) -> None:
    prior = await previous_outcome(ctx, "llm")
    if prior.next != "llm":
        await ctx.keep("llm", msgspec.structs.replace(prior, draft=None, reason="not needed"))
        return
    settings = await effective_settings(ctx.scope.tenant_id)
    name = settings.llm_engine
    engine = ctx.runtime.engines.llm.get(name) if name else None
    if name is None:
        outcome = await skip(ctx, "llm", prior, "no LLM engine is chosen", None, then="review")
    elif engine is None:
        outcome = await skip(
            ctx,
            "llm",
            prior,
            f"the LLM engine '{name}' is not installed",
            name,
            then="review",
            could_not_run=True,
        )
    elif await over_cap(ctx, settings):
        outcome = await skip(
            ctx,
            "llm",
            prior,
            "the school's monthly spend cap is reached",
            name,
            then="review",
            could_not_run=True,
        )
    else:
        try:
            outcome = await _llm_reading(ctx, prior, engine, settings.thresholds)
        except EngineUnavailable as exc:
            outcome = await skip(ctx, "llm", prior, str(exc), name, then="review", could_not_run=True)
    await ctx.keep("llm", outcome)


async def _earlier_answer(ctx: Any, made_by: str | None) -> Outcome | None:
    """The same school sent the same bytes to the same LLM engine before (same name, version, prompt
    version and model): reuse its answer (no second bill). Another engine's answer is not reused."""
    if not made_by:
        return None
    rows = await ctx.scope.select(StageResult, StageResult.payload).where(
        StageResult.stage == "llm",
        StageResult.document_id.content_hash == ctx.document.content_hash,
        StageResult.document_id != ctx.document.id,
    )
    for row in rows:
        earlier = msgspec.convert(decode_json(row["payload"]), Outcome)
        if earlier.draft is not None and earlier.made_by == made_by:
            return earlier
    return None


async def _llm_reading(ctx: Any, prior: Outcome, engine: Any, thresholds: Thresholds) -> Outcome:
    read_result = msgspec.convert(await ctx.result("read"), ReadResult)
    hint = await best_draft(ctx, prior.best_source)
    made_by = ctx.runtime.engines.key("llm", engine.name)
    cached = await _earlier_answer(ctx, made_by)
    if cached is not None and cached.draft is not None:
        draft, stated, tokens, cost = cached.draft, cached.best_confidence, (0, 0), 0.0
        note = "Reused this school's earlier answer for the same file."
    else:

        def work() -> Any:
            with ctx.local_file() as path:
                return engine.extract(Path(path), hint)

        answer = await asyncio.to_thread(work)
        draft, stated, tokens, cost = (
            answer.draft,
            answer.confidence,
            (answer.input_tokens, answer.output_tokens),
            answer.cost_usd,
        )
        await record_usage(ctx.scope.tenant_id, ctx.job.id, "llm_call", engine=engine.name, cost_usd=cost)
        await record_usage(
            ctx.scope.tenant_id, ctx.job.id, "llm_input_tokens", quantity=tokens[0], engine=engine.name
        )
        await record_usage(
            ctx.scope.tenant_id, ctx.job.id, "llm_output_tokens", quantity=tokens[1], engine=engine.name
        )
        note = ""
    # LLMs shift whole columns: check each lesson's day against where the OCR saw its name.
    check = check_columns(draft, read_result.pages)
    confidence = stated * check.agreement
    if check.disagreements:
        note += f" The OCR disagrees on {len(check.disagreements)} of {check.checked} lessons: " + "; ".join(
            check.disagreements[:3]
        )
    outcome = await keep_better(
        ctx,
        "llm",
        prior,
        draft,
        confidence,
        engine.name,
        thresholds,
        note.strip(),
        inputTokens=tokens[0],
        outputTokens=tokens[1],
        costUsd=round(cost, 6),
    )
    return msgspec.structs.replace(outcome, made_by=made_by or "")


async def best_draft(ctx: Any, source: str) -> DraftTimetable:
    payload = await ctx.result(source)
    if source == "interpret":
        return msgspec.convert(payload, DraftTimetable)
    return msgspec.convert(payload["draft"], DraftTimetable)


def a_wanted_reading_was_missed(ctx: Any) -> bool:
    """Whether a second OCR or LLM reading the school wanted could not be made for this job."""
    return any(d.get("couldNotRun") for d in json_list(ctx.job.decisions))


async def final_outcome(ctx: Any) -> Outcome:
    return msgspec.convert(await ctx.result("llm"), Outcome)
