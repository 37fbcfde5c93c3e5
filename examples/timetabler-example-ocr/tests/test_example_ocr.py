"""The example engine against Timetabler's OCR contract, and its admin page in the real app."""

from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from timetabler_example_ocr.plugin import ExampleOcr

from core.plugin_kit.contracts import assert_ocr_engine_contract
from core.plugin_kit.pytest_plugin import console_sign_in, platform_admin, sign_up
from core.plugin_kit.samples import SUBJECTS


def test_the_engine_keeps_the_ocr_contract() -> None:
    page = assert_ocr_engine_contract(ExampleOcr())
    assert {s for row in SUBJECTS for s in row} <= {word.text for word in page.words}


def test_a_small_photo_is_enlarged_and_read_in_its_own_pixels(timetabler_samples: dict[str, Path]) -> None:
    with Image.open(timetabler_samples["png"]) as image:
        small = image.convert("RGB").resize((image.width // 3, image.height // 3))
    page = assert_ocr_engine_contract(ExampleOcr(), image=np.asarray(small)[:, :, ::-1].copy())
    assert {"Maths", "History", "French"} <= {word.text for word in page.words}


def test_a_bad_setting_is_named(monkeypatch: pytest.MonkeyPatch, timetabler_samples: dict[str, Path]) -> None:
    monkeypatch.setenv("TIMETABLER_EXAMPLE_OCR_MIN_WIDTH_PX", "wide")
    with pytest.raises(ValueError, match="minWidthPx"):
        ExampleOcr().recognize(np.full((50, 50, 3), 255, np.uint8), 1)


def test_the_status_page_shows_its_settings_to_platform_admins_only(
    timetabler_client, timetabler_database
) -> None:
    page_url = "/admin/plugins/example_ocr/"
    assert timetabler_client.get(page_url, follow_redirects=False).status_code in (302, 303)
    school_admin = sign_up(timetabler_client, school="Example School")
    console_sign_in(timetabler_client, school_admin["user"]["email"], "a long enough password")
    assert timetabler_client.get(page_url).status_code == 403
    console_sign_in(timetabler_client, *platform_admin(timetabler_database))
    page = timetabler_client.get(page_url)
    assert page.status_code == 200
    assert "minWidthPx" in page.text and "1600" in page.text and "pages-read" in page.text
    # The console's own page for declared settings, from the engine's settings_schema.
    settings = timetabler_client.get(page_url + "settings")
    assert settings.status_code == 200
    assert "<td>language</td><td>str</td><td>&#x27;eng&#x27;</td>" in settings.text
