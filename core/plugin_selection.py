"""Which installed plugins load: the allow and deny lists, and the plugins' own Piccolo apps.

Light on imports on purpose: Piccolo's configuration reads it before any table exists.
"""

from __future__ import annotations

import logging
import os
from importlib import import_module, metadata

log = logging.getLogger(__name__)
ALLOW_ENV = "TIMETABLER_PLUGINS_ALLOW"  # comma-separated entry point names; when set, only these load
DENY_ENV = "TIMETABLER_PLUGINS_DENY"  # comma-separated entry point names that never load
# Comma-separated entry point names that keep an engine name which other installed (outside) plugins
# claim too: without it, every claimant of a shared name is refused. A built-in name is never given up.
PREFER_ENV = "TIMETABLER_PLUGINS_PREFER"
PICCOLO_APPS_GROUP = "timetabler_piccolo_apps"


def names(env: str) -> set[str]:
    return {name.strip() for name in os.environ.get(env, "").split(",") if name.strip()}


def selected(name: str) -> bool:
    allow, deny = names(ALLOW_ENV), names(DENY_ENV)
    return name not in deny and (not allow or name in allow)


def plugin_piccolo_apps() -> list[str]:
    """Module paths of the Piccolo apps that plugins add (entry point group
    ``timetabler_piccolo_apps``, named like the plugin): their tables are migrated with ours.

    Read from the installed metadata; an app that cannot be imported is left out with a logged
    reason, so the database still starts."""
    apps = []
    for ep in metadata.entry_points(group=PICCOLO_APPS_GROUP):
        if not selected(ep.name) or ep.value in apps:
            continue
        try:
            import_module(ep.value).APP_CONFIG  # noqa: B018 - the app must define it
        except Exception as exc:
            log.error("plugin %s: its Piccolo app %s cannot be loaded: %s", ep.name, ep.value, exc)
            continue
        apps.append(ep.value)
    return apps
