"""Registers the Claude engine ("claude"); see plugins.llm_claude.settings for its configuration."""

from __future__ import annotations

from pathlib import Path

from core.plugin_api import PluginSettingsError, hookimpl
from plugins.llm_claude.engine import ClaudeEngine
from plugins.llm_claude.settings import claude_settings


@hookimpl
def register_llm_engines() -> list[ClaudeEngine]:
    # Off unless asked for: the pipeline already reuses a school's earlier answer for the same file
    # (core.jobs.escalation); this disk cache serves `timetabler extract`, which has no database.
    try:
        cache = claude_settings().cache_dir
    except PluginSettingsError:  # the engine names the refused value when it runs
        cache = None
    return [ClaudeEngine(cache_dir=Path(cache) if cache else None)]
