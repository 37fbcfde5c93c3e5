"""Engines declare their list prices; a price that is not dollars at or above zero is refused."""

from __future__ import annotations

import pytest

from core import hookimpl
from core.plugin_kit.costs import CostError, declared_costs
from core.plugins import EngineRegistry, make_plugin_manager


class PricedOcr:
    name = "priced_ocr"
    cost_per_page_usd = 0.002

    def recognize(self, image: object, page_number: int) -> None: ...


class PricedLlm:
    name = "priced_llm"

    def __init__(self, price: object) -> None:
        self.cost_per_document_usd = price

    def extract(self, path: object, hint: object) -> None: ...


def registry(llm_price: object) -> EngineRegistry:
    class Plugin:
        @hookimpl
        def register_ocr_engines(self) -> list:
            return [PricedOcr()]

        @hookimpl
        def register_llm_engines(self) -> list:
            return [PricedLlm(llm_price)]

    return EngineRegistry.from_plugins(make_plugin_manager(extra_plugins=[Plugin()]))


def test_declared_prices_are_collected_by_engine_name() -> None:
    costs = declared_costs(registry(0.04))
    assert costs["ocr_per_page"]["priced_ocr"] == 0.002
    assert costs["llm_per_document"] == {"priced_llm": 0.04}
    assert "tesseract" not in costs["ocr_per_page"]  # no declaration: the platform's price list decides


@pytest.mark.parametrize("price", [-0.01, "0.04", True])
def test_a_price_that_is_not_dollars_is_refused_with_the_engine_named(price: object) -> None:
    with pytest.raises(CostError, match="PricedLlm.cost_per_document_usd must be US dollars >= 0"):
        declared_costs(registry(price))
