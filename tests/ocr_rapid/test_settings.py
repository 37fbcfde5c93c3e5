"""RapidOCR reads its settings (the deployment's alone: they size the machine's work) through its
schema when it reads a page; a refused value skips the step, naming the variable."""

from __future__ import annotations

import pytest

from core.plugin_api import EngineUnavailable
from plugins.ocr_rapid.plugin import RapidOcrEngine
from tests.ocr_rapid import render


@pytest.fixture(autouse=True)
def deployment_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("TIMEOUT", "MAX_SIDE", "THREADS"):
        monkeypatch.delenv(f"TIMETABLER_RAPIDOCR_{name}", raising=False)


def test_the_time_limit_is_the_setting_read_when_a_page_is_read(monkeypatch: pytest.MonkeyPatch) -> None:
    engine = RapidOcrEngine()  # as the plugin registers it
    monkeypatch.setenv("TIMETABLER_RAPIDOCR_TIMEOUT", "0.05")
    with pytest.raises(EngineUnavailable, match=r"RapidOCR took longer than .* on page 2"):
        engine.recognize(render.bgr(render.render()), 2)
    monkeypatch.delenv("TIMETABLER_RAPIDOCR_TIMEOUT")
    title = engine.recognize(render.bgr(render.render())[:60], 1)
    assert [w.text for w in title.words] == render.TITLE.split()


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("TIMEOUT", "soon", "Expected `float`, got `str`"),
        ("MAX_SIDE", "50", "Expected `int` >= 100"),
        ("THREADS", "0", "Expected `int` >= 1"),
    ],
)
def test_a_refused_value_names_the_variable(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str, expected: str
) -> None:
    monkeypatch.setenv(f"TIMETABLER_RAPIDOCR_{name}", value)
    with pytest.raises(EngineUnavailable) as refused:
        RapidOcrEngine().recognize(render.bgr(render.render()), 1)
    assert str(refused.value).startswith(f"TIMETABLER_RAPIDOCR_{name}={value!r} is refused: {expected}")
    assert "Correct the variable, or unset it for the default" in str(refused.value)
