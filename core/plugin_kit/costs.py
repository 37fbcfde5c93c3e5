"""What installed engines say they cost: ``cost_per_page_usd`` (OCR) and ``cost_per_document_usd``
(LLM), list prices in US dollars, for projections. Billing uses the recorded ``cost_usd`` of each
LLM answer, not these."""

from __future__ import annotations

from core.plugins import EngineRegistry


class CostError(ValueError):
    """An engine declares a cost that is not a number of dollars at or above zero."""


def _price(engine: object, attribute: str) -> float | None:
    value = getattr(engine, attribute, None)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        raise CostError(f"{type(engine).__name__}.{attribute} must be US dollars >= 0, not {value!r}")
    return float(value)


def declared_costs(registry: EngineRegistry) -> dict[str, dict[str, float]]:
    """``{"ocr_per_page": {engine: usd}, "llm_per_document": {engine: usd}}`` for the engines that
    declare a price; an engine without one is left for the platform's price list."""
    ocr = {name: p for name, e in registry.ocr.items() if (p := _price(e, "cost_per_page_usd")) is not None}
    llm = {
        name: p for name, e in registry.llm.items() if (p := _price(e, "cost_per_document_usd")) is not None
    }
    return {"ocr_per_page": ocr, "llm_per_document": llm}
