"""`assert_timetabler_loads`: the check a plugin's own tests make that Timetabler finds it, loads it
and uses its engine, failing with the reason (not installed, failed to load, refused, another
plugin's engine under that name) instead of a dump of every engine installed."""

from __future__ import annotations

from typing import Any

from core.plugins import KIND_LABELS, EngineRegistry, make_plugin_manager


def assert_timetabler_loads(plugin: str, engine_type: type, kind: str, engine: str | None = None) -> Any:
    """The engine Timetabler uses under ``engine`` (default: the plugin's own name) for ``kind``
    (ocr, llm, preprocessor, notifier or reader), checked to be an ``engine_type`` of this plugin."""
    pm = make_plugin_manager()
    registry = EngineRegistry.from_plugins(pm)
    name = engine or plugin
    label = KIND_LABELS[kind]
    if plugin in pm.broken:
        raise AssertionError(
            f"Timetabler found the plugin '{plugin}' but it failed to load: {pm.broken[plugin]}"
        )
    if plugin in pm.skipped:
        raise AssertionError(f"Timetabler did not load the plugin '{plugin}': {pm.skipped[plugin]}")
    if pm.get_plugin(plugin) is None:
        raise AssertionError(
            f"Timetabler has no plugin '{plugin}': install this package into the environment the tests "
            "run in (`pip install -e .` in its folder) so its `timetabler` entry point is found, and "
            "check the entry point's name in pyproject.toml."
        )
    found = registry.of(kind).get(name)
    owner = registry.owners.get((kind, name))
    if found is None or owner != plugin:
        refused = registry.refused.get(plugin, [])
        why = "; ".join(refused) if refused else f"its hook returned no {label} named '{name}'"
        if found is not None and not refused:
            why = f"the {label} '{name}' is plugin {owner}'s"
        raise AssertionError(
            f"The plugin '{plugin}' loaded, but Timetabler does not use its {label} '{name}': {why}"
        )
    if not isinstance(found, engine_type):
        made = f"{type(found).__module__}.{type(found).__qualname__}"
        wanted = f"{engine_type.__module__}.{engine_type.__qualname__}"
        raise AssertionError(f"The {label} '{name}' of plugin {plugin} is {made}, not {wanted}.")
    return found
