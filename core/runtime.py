"""One process's long-lived parts: settings, plugins, engines and storage, built once on first use."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from core.plugins import EngineRegistry, TimetablerPluginManager, make_plugin_manager
from core.settings import Settings, get_settings
from core.storage import Storage, make_storage


@dataclass(frozen=True)
class Runtime:
    settings: Settings
    plugins: TimetablerPluginManager
    engines: EngineRegistry
    storage: Storage


def build_runtime(settings: Settings) -> Runtime:
    plugins = make_plugin_manager()
    return Runtime(
        settings=settings,
        plugins=plugins,
        engines=EngineRegistry.from_plugins(plugins),
        storage=make_storage(settings),
    )


@cache
def get_runtime() -> Runtime:
    return build_runtime(get_settings())
