"""Claude's tool call turned into a DraftTimetable, and what the call cost."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from core.plugin_api import DAYS, DraftBlock, DraftTimetable, clock_24h, day_name, printed_week, settle_weeks

# USD per million tokens: (input, output, 5-minute cache write, cache read), from Anthropic's price
# list. A model not listed is priced by its family; the Sonnet prices are the fallback.
SONNET_PRICES = (3.00, 15.00, 3.75, 0.30)
OPUS_PRICES = (5.00, 25.00, 6.25, 0.50)
HAIKU_PRICES = (1.00, 5.00, 1.25, 0.10)
FABLE_PRICES = (10.00, 50.00, 12.50, 1.00)  # Fable and Mythos
PRICES_PER_MTOK: dict[str, tuple[float, float, float, float]] = {
    "claude-sonnet-4-5": SONNET_PRICES,
    "claude-sonnet-4-6": SONNET_PRICES,
    "claude-opus-4-5": OPUS_PRICES,
    "claude-opus-4-6": OPUS_PRICES,
    "claude-opus-4-7": OPUS_PRICES,
    "claude-opus-4-8": OPUS_PRICES,
    "claude-haiku-4-5": HAIKU_PRICES,
    "claude-opus-5": OPUS_PRICES,
}

# Block confidences: the model's own "unsure" flag is the only per-block signal it gives; the
# pipeline checks the whole answer against the OCR afterwards (core.escalation.crosscheck).
SURE_CONFIDENCE = 0.92
UNSURE_CONFIDENCE = 0.6


@dataclass(frozen=True)
class Usage:
    input_tokens: int = 0  # uncached prompt tokens
    output_tokens: int = 0
    cache_creation_tokens: int = 0
    cache_read_tokens: int = 0

    @property
    def prompt_tokens(self) -> int:
        """Every prompt token, cached or not: what the school's usage counts."""
        return self.input_tokens + self.cache_creation_tokens + self.cache_read_tokens


def prices_for(model: str) -> tuple[float, float, float, float]:
    base = re.sub(r"-\d{8}$", "", model)  # dated snapshots cost what their alias costs
    if base in PRICES_PER_MTOK:
        return PRICES_PER_MTOK[base]
    if "fable" in base or "mythos" in base:
        return FABLE_PRICES
    if "opus" in base:
        return OPUS_PRICES
    if "haiku" in base:
        return HAIKU_PRICES
    return SONNET_PRICES


def cost_usd(model: str, usage: Usage) -> float:
    p_in, p_out, p_write, p_read = prices_for(model)
    total = (
        usage.input_tokens * p_in
        + usage.output_tokens * p_out
        + usage.cache_creation_tokens * p_write
        + usage.cache_read_tokens * p_read
    ) / 1_000_000
    return round(total, 6)


hhmm = clock_24h  # '9:05', '09.05', '0905' -> '09:05'; None when it is not a 24-hour time


def _text(value: Any) -> str | None:
    value = str(value).strip() if value is not None else ""
    return value or None


def to_draft(data: dict[str, Any]) -> DraftTimetable:
    """The tool input as a DraftTimetable. Blocks the schema should have prevented (a bad day or
    time) are dropped and listed in problems, never repaired by guessing."""
    problems = [str(p) for p in data.get("problems") or [] if str(p).strip()]
    blocks: list[DraftBlock] = []
    for i, raw in enumerate(data.get("blocks") or [], 1):
        if not isinstance(raw, dict):
            problems.append(f"entry {i} of Claude's answer is not a timeblock")
            continue
        day = day_name(str(raw.get("day") or ""))
        start, end = hhmm(raw.get("start_time")), hhmm(raw.get("end_time"))
        name = _text(raw.get("name"))
        if day not in DAYS or not start or not end or not name or end <= start:
            problems.append(
                f"Claude gave an unusable timeblock ({raw.get('day')} {raw.get('start_time')}-"
                f"{raw.get('end_time')} {raw.get('name')!r}); it was left out"
            )
            continue
        try:
            page = max(1, int(raw.get("page") or 1))
        except (TypeError, ValueError):
            page = 1
        unsure = bool(raw.get("unsure"))
        blocks.append(
            DraftBlock(
                day=day,
                start_time=start,
                end_time=end,
                name=name,
                notes=_text(raw.get("notes")),
                page=page,
                confidence=UNSURE_CONFIDENCE if unsure else SURE_CONFIDENCE,
                week=printed_week(_text(raw.get("week"))),
            )
        )
    year = data.get("year")
    layout = data.get("layout")
    draft = DraftTimetable(
        teacher=_text(data.get("teacher")),
        class_name=_text(data.get("class_name")),
        term=_text(data.get("term")),
        year=year if isinstance(year, int) and not isinstance(year, bool) else None,
        blocks=blocks,
        layout=layout if layout in ("days_cols", "days_rows", "list") else "unknown",
        problems=problems,
    )
    settle_weeks(draft)  # both weeks of a two-week timetable, or none
    return draft


def answer_confidence(draft: DraftTimetable, truncated: bool) -> float:
    """The engine's own estimate: the mean block confidence, lowered for an answer that stopped
    early or left blocks out."""
    if not draft.blocks:
        return 0.0
    conf = sum(b.confidence for b in draft.blocks) / len(draft.blocks)
    if truncated:
        conf *= 0.5  # the answer hit max_tokens: blocks are missing
    dropped = sum(1 for p in draft.problems if p.startswith("Claude gave an unusable"))
    conf *= len(draft.blocks) / (len(draft.blocks) + dropped)
    return round(conf, 4)
