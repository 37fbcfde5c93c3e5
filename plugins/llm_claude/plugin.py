"""Registers the Claude engine ("claude"); see plugins.llm_claude.engine for its configuration."""

from __future__ import annotations

from pathlib import Path

from core import hookimpl
from plugins.llm_claude.engine import ClaudeEngine


def _cache_dir() -> Path | None:
    """Answers are kept by document hash under the data folder: the same file is paid for once."""
    try:
        from core.settings import load_settings

        return load_settings().data_dir / "cache" / "claude"
    except (Exception, SystemExit):  # bad settings must not stop the engine from registering
        return None


@hookimpl
def register_llm_engines() -> list[ClaudeEngine]:
    return [ClaudeEngine(cache_dir=_cache_dir())]
