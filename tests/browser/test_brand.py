"""A school's colours stay readable: text on the brand colour and links in it keep WCAG AA contrast."""

from __future__ import annotations

import pytest

from core.web.brand import AA, AppBrand, contrast

COLOURS = ["#f2c200", "#1f4e79", "#ffffff", "#000000", "#7fdbff", "#ff4136", "#0b6e4f", "#767676"]


@pytest.mark.parametrize("primary", COLOURS)
def test_text_on_and_in_the_brand_colour_reads(primary: str) -> None:
    brand = AppBrand(primary=primary)
    assert contrast(brand.on_primary, brand.primary) >= AA  # black or white: one always reaches 4.5
    assert contrast(brand.ink, "#ffffff") >= AA


def test_a_dark_brand_keeps_its_own_colour_for_links() -> None:
    assert AppBrand(primary="#1f4e79").ink == "#1f4e79"
    assert AppBrand(primary="#f2c200").ink != "#f2c200"  # yellow on white is unreadable: darkened


def test_short_name_keeps_whole_words() -> None:
    assert AppBrand(name="St Hilda's College").short_name == "St Hilda's"
    assert AppBrand(name="Oakfield").short_name == "Oakfield"
    assert AppBrand(name="Supercalifragilistic Academy").short_name == "Supercalifra"
