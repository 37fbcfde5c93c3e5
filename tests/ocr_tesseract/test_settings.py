"""Tesseract reads its settings through its schema when it reads a page: the languages (the
deployment's, or a school's own for its documents) and its time per call; a refused value is named."""

from __future__ import annotations

import contextvars
from collections.abc import Callable
from typing import TypeVar

import numpy as np
import pytest

from core.plugin_api import EngineError
from core.plugin_settings import use_school_settings
from plugins.ocr_tesseract.plugin import TesseractEngine
from tests.ocr_rapid import render

T = TypeVar("T")
# ISO 639's "reserved for local use": no Tesseract language data is ever named so.
NOT_INSTALLED = "qaa"


@pytest.fixture(scope="module")
def page() -> np.ndarray:
    return render.bgr(render.render())


@pytest.fixture(autouse=True)
def deployment_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("TIMETABLER_TESSERACT_LANGUAGES", "TIMETABLER_TESSERACT_TIMEOUT"):
        monkeypatch.delenv(name, raising=False)


def as_school(languages: str, read: Callable[[], T]) -> T:
    """``read`` as a job stage of a school that chose these languages runs it."""

    def stage() -> T:
        use_school_settings({"tesseract": {"languages": languages}})
        return read()

    return contextvars.copy_context().run(stage)


def test_the_languages_come_from_the_environment_or_the_schools_own(
    page: np.ndarray, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = TesseractEngine()
    assert (engine.lang, engine.version) == ("eng", "4")
    words = {w.text for w in engine.recognize(page, 1).words}
    assert set(render.DAYS) <= words

    monkeypatch.setenv("TIMETABLER_TESSERACT_LANGUAGES", f"eng+{NOT_INSTALLED}")
    assert engine.version == f"4-eng+{NOT_INSTALLED}"  # pages read in other languages are read anew
    with pytest.raises(EngineError) as missing:
        engine.recognize(page, 1)
    assert str(missing.value).startswith(f"Tesseract has no {NOT_INSTALLED} language data on this server")
    assert f"install tesseract-ocr-{NOT_INSTALLED}" in str(missing.value)

    # A school that chose English reads in English whatever the deployment says, and only it.
    assert set(render.DAYS) <= {w.text for w in as_school("eng", lambda: engine.recognize(page, 1)).words}
    with pytest.raises(EngineError, match=f"no {NOT_INSTALLED} language data"):
        engine.recognize(page, 1)


def test_a_schools_languages_reach_tesseract_itself(page: np.ndarray) -> None:
    engine = TesseractEngine()
    with pytest.raises(EngineError, match=r"engineSettings\.tesseract\.languages"):
        as_school(NOT_INSTALLED, lambda: engine.recognize(page, 1))
    assert engine.recognize(page, 1).words  # the next school's page, in the deployment's English


def test_the_time_limit_is_the_setting(page: np.ndarray, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TIMETABLER_TESSERACT_TIMEOUT", "0.001")  # less than Tesseract takes to start
    with pytest.raises(EngineError, match=r"OCR took longer than 0\.001 s on page 1"):
        TesseractEngine().recognize(page, 1)


def test_a_refused_value_names_the_variable(page: np.ndarray, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TIMETABLER_TESSERACT_TIMEOUT", "a minute")
    with pytest.raises(EngineError) as refused:
        TesseractEngine().recognize(page, 1)
    assert str(refused.value) == (
        "TIMETABLER_TESSERACT_TIMEOUT='a minute' is refused: Expected `float`, got `str` (timeout: "
        "seconds Tesseract may take on one page). Correct the variable, or unset it for the default, 60.0."
    )
    monkeypatch.delenv("TIMETABLER_TESSERACT_TIMEOUT")
    monkeypatch.setenv("TIMETABLER_TESSERACT_LANGUAGES", "English")
    with pytest.raises(EngineError, match=r"TIMETABLER_TESSERACT_LANGUAGES='English' is refused: .*eng\+deu"):
        TesseractEngine().recognize(page, 1)
