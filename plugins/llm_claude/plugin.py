"""Registers the Claude engine ("claude"); see plugins.llm_claude.settings for its configuration."""

from __future__ import annotations

from core.plugin_api import hookimpl
from plugins.llm_claude.engine import ClaudeEngine


@hookimpl
def register_llm_engines() -> list[ClaudeEngine]:
    # Its settings (the disk cache of answers among them) are read when it runs, not here.
    return [ClaudeEngine()]
