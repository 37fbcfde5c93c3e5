"""The Claude engine's settings, declared as its schema: the deployment's from ``TIMETABLER_CLAUDE_*``
(and the key's and endpoint's own variables), read at each call so a value set after start-up is
picked up, checked, and shown to platform admins at /admin/plugins/llm_claude/settings (the key as
set or not). A school may choose its own model (``engineSettings.claude.model``); a school's own key
is saved apart, encrypted (``anthropicApiKey``, core.engine_keys)."""

from __future__ import annotations

from typing import Annotated

import msgspec

from core.plugin_api import setting

PREFIX = "TIMETABLER_CLAUDE"


class ClaudeSettings(msgspec.Struct, rename="camel", kw_only=True, frozen=True):
    model: Annotated[
        str, setting("the Claude model that reads documents", school=True, pattern=r"^[A-Za-z0-9][\w.:@-]*$")
    ] = "claude-sonnet-4-6"
    timeout: Annotated[float, setting("seconds one call may take", gt=0)] = 30.0
    backoff: Annotated[float, setting("first wait between attempts in seconds, doubled after each", ge=0)] = (
        1.0
    )
    cache_dir: Annotated[
        str | None, setting("a folder keeping answers on disk for `timetabler extract` (unset: off)")
    ] = None
    api_key: Annotated[
        str | None,
        setting(
            "the platform's Anthropic key; unset: the step is skipped",
            env=("TIMETABLER_ANTHROPIC_API_KEY", "ANTHROPIC_API_KEY"),
            secret=True,
        ),
    ] = None
    base_url: Annotated[
        str | None,
        setting("another endpoint (a proxy, or the tests' fake)", env="TIMETABLER_ANTHROPIC_BASE_URL"),
    ] = None

    def __repr__(self) -> str:  # the key never in a log line or traceback
        return f"ClaudeSettings(model={self.model!r}, api_key={'hidden' if self.api_key else None})"
