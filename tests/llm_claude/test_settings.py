"""The Claude engine reads its settings through its schema, at each call: the deployment's from
TIMETABLER_CLAUDE_* (and the key's own variables), and a school's own model for its documents."""

from __future__ import annotations

import contextvars
from pathlib import Path

import pytest

from core.plugin_api import EngineUnavailable
from core.plugin_settings import use_school_settings
from plugins.llm_claude.engine import ClaudeEngine
from tests.llm_claude.test_engine import _engine, fake, photo  # noqa: F401 (fixtures)
from tests.support.fakes.anthropic_server import FakeAnthropic


def test_the_settings_are_read_when_used(monkeypatch: pytest.MonkeyPatch) -> None:
    engine = ClaudeEngine()
    monkeypatch.setenv("TIMETABLER_CLAUDE_MODEL", "claude-haiku-4-5")
    monkeypatch.setenv("TIMETABLER_CLAUDE_TIMEOUT", "12.5")
    assert (engine.model, engine.timeout_s) == ("claude-haiku-4-5", 12.5)


def test_a_refused_value_skips_the_step_naming_the_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TIMETABLER_CLAUDE_TIMEOUT", "0")
    with pytest.raises(EngineUnavailable) as refused:
        _ = ClaudeEngine().timeout_s
    assert str(refused.value) == (
        "TIMETABLER_CLAUDE_TIMEOUT='0' is refused: Expected `float` > 0.0 (timeout: seconds one call "
        "may take). Correct the variable, or unset it for the default, 30.0."
    )


def test_a_schools_own_model_reads_its_documents(
    fake: FakeAnthropic,  # noqa: F811 (the fixture)
    photo: Path,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TIMETABLER_CLAUDE_MODEL", "claude-sonnet-4-6")
    engine = _engine(fake)

    def as_school(model: str) -> None:
        use_school_settings({"claude": {"model": model}})  # as a job stage of that school starts
        engine.extract(photo, None)

    contextvars.copy_context().run(as_school, "claude-haiku-4-5")
    engine.extract(photo, None)  # no school's stage: the deployment's model
    assert [r.body["model"] for r in fake.requests] == ["claude-haiku-4-5", "claude-sonnet-4-6"]

    with pytest.raises(EngineUnavailable, match=r"engineSettings\.claude\.model='claude haiku' is refused"):
        contextvars.copy_context().run(as_school, "claude haiku")
    assert len(fake.requests) == 2  # a refused model is never sent
