"""Registers the Claude engine ("claude"); see plugins.llm_claude.engine for its configuration."""

from __future__ import annotations

import os
from pathlib import Path

from core.plugin_api import hookimpl
from plugins.llm_claude.engine import ClaudeEngine


@hookimpl
def register_llm_engines() -> list[ClaudeEngine]:
    # Off unless asked for: the pipeline already reuses a school's earlier answer for the same file
    # (core.jobs.escalation); this disk cache serves `timetabler extract`, which has no database.
    cache = os.environ.get("TIMETABLER_CLAUDE_CACHE_DIR")
    return [ClaudeEngine(cache_dir=Path(cache) if cache else None)]
