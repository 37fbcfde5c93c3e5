"""What each routing step costs, for the console's what-if simulator and cost projections.

List prices in US dollars. They are estimates for planning, not invoices: the billed amounts are
the ``cost_usd`` of recorded usage events.
"""

from __future__ import annotations

# Primary and secondary OCR, per page read.
TESSERACT_PER_PAGE_USD = 0.0  # runs on our own machines
RAPIDOCR_PER_PAGE_USD = 0.0  # the offline second engine: our machines too
# Cloud Vision DOCUMENT_TEXT_DETECTION: $1.50 per 1,000 pages (list price; the free first 1,000
# a month are left out so a projection never understates).
GOOGLE_VISION_PER_PAGE_USD = 0.0015
# LLM reading of a whole document: about 5,000 input and 800 output tokens at Sonnet's list prices
# ($3 and $15 per million), rounded up.
CLAUDE_PER_DOCUMENT_USD = 0.03
# Human review is staff time at the school: counted as review load, never billed.
REVIEW_PER_DOCUMENT_USD = 0.0

OCR_PER_PAGE_USD: dict[str, float] = {
    "tesseract": TESSERACT_PER_PAGE_USD,
    "rapidocr": RAPIDOCR_PER_PAGE_USD,
    "gcv": GOOGLE_VISION_PER_PAGE_USD,
    "google_vision": GOOGLE_VISION_PER_PAGE_USD,
}
LLM_PER_DOCUMENT_USD: dict[str, float] = {
    "claude": CLAUDE_PER_DOCUMENT_USD,
}
# When a school has not chosen an escalation engine yet, price the step as the usual choice would.
DEFAULT_SECONDARY_OCR_ENGINE = "gcv"
DEFAULT_LLM_ENGINE = "claude"


def ocr_price_per_page(
    engine: str | None, *, secondary: bool = False, declared: dict[str, float] | None = None
) -> tuple[str, float]:
    """(engine priced, price per page). ``declared`` holds the prices installed plugins declare
    (core.plugin_kit.costs.declared_costs); an engine priced nowhere is priced as Google Vision, the
    dearer choice, so a projection never understates the cost."""
    name = engine or (DEFAULT_SECONDARY_OCR_ENGINE if secondary else "tesseract")
    prices = {**OCR_PER_PAGE_USD, **(declared or {})}
    return name, prices.get(name, GOOGLE_VISION_PER_PAGE_USD)


def llm_price_per_document(engine: str | None, declared: dict[str, float] | None = None) -> tuple[str, float]:
    name = engine or DEFAULT_LLM_ENGINE
    prices = {**LLM_PER_DOCUMENT_USD, **(declared or {})}
    return name, prices.get(name, CLAUDE_PER_DOCUMENT_USD)
