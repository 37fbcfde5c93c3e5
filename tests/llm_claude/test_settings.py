"""The Claude engine reads its TIMETABLER_CLAUDE_* settings through its schema, at each call."""

from __future__ import annotations

import pytest

from core.plugin_api import EngineUnavailable
from plugins.llm_claude.engine import ClaudeEngine


def test_the_settings_are_read_when_used(monkeypatch: pytest.MonkeyPatch) -> None:
    engine = ClaudeEngine()
    monkeypatch.setenv("TIMETABLER_CLAUDE_MODEL", "claude-haiku-4-5")
    monkeypatch.setenv("TIMETABLER_CLAUDE_TIMEOUT", "12.5")
    assert (engine.model, engine.timeout_s) == ("claude-haiku-4-5", 12.5)


def test_a_refused_value_skips_the_step_naming_the_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TIMETABLER_CLAUDE_TIMEOUT", "0")
    with pytest.raises(EngineUnavailable, match=r"TIMETABLER_CLAUDE_\*.*timeout"):
        _ = ClaudeEngine().timeout_s
