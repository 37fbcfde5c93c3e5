"""The Claude engine's settings, declared as its schema: read from ``TIMETABLER_CLAUDE_*`` at each
call (a value set after start-up is picked up), checked, and shown to platform admins at
/admin/plugins/llm_claude/settings. The key and the endpoint (``ANTHROPIC_API_KEY`` or a school's
own key, ``TIMETABLER_ANTHROPIC_BASE_URL``) stay out of it: a settings page shows its values."""

from __future__ import annotations

from typing import Annotated

import msgspec

from core.plugin_api import settings_from_env

PREFIX = "TIMETABLER_CLAUDE"


class ClaudeSettings(msgspec.Struct, rename="camel", kw_only=True):
    model: str = "claude-sonnet-4-6"  # TIMETABLER_CLAUDE_MODEL
    timeout: Annotated[float, msgspec.Meta(gt=0)] = 30.0  # TIMETABLER_CLAUDE_TIMEOUT: seconds a call
    backoff: Annotated[float, msgspec.Meta(ge=0)] = 1.0  # TIMETABLER_CLAUDE_BACKOFF: first wait, doubled
    # TIMETABLER_CLAUDE_CACHE_DIR: answers kept on disk for `timetabler extract` (off when unset).
    cache_dir: str | None = None


def claude_settings() -> ClaudeSettings:
    """The settings now; raises PluginSettingsError naming the variable whose value is refused."""
    return settings_from_env(ClaudeSettings, PREFIX)
