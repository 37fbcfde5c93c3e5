"""The plugin manager factory and the registry of engines that plugins provide.

A plugin manager is made per app or per CLI run (never a module global), loads the ``timetabler``
entry point group and isolates a plugin that fails to import: start-up goes on and the failure is
listed by ``timetabler plugins``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from importlib import metadata
from types import ModuleType
from typing import Any

import pluggy

from core import hookspecs
from core.engines import LlmEngine, Notifier, OcrEngine, Preprocessor, Reader

log = logging.getLogger(__name__)
ENTRY_POINT_GROUP = "timetabler"


@dataclass
class PluginInfo:
    name: str
    version: str | None
    hooks: list[str]
    error: str | None = None


class TimetablerPluginManager(pluggy.PluginManager):
    def __init__(self) -> None:
        super().__init__("timetabler")
        self.add_hookspecs(hookspecs)
        self.broken: dict[str, str] = {}  # entry point name -> error
        self.dists: dict[str, str | None] = {}  # plugin name -> distribution version


def make_plugin_manager(
    *, load_entry_points: bool = True, extra_plugins: list[ModuleType | object] | None = None
) -> TimetablerPluginManager:
    pm = TimetablerPluginManager()
    if load_entry_points:
        for ep in metadata.entry_points(group=ENTRY_POINT_GROUP):
            if pm.get_plugin(ep.name) is not None or ep.name in pm.broken:
                continue
            try:
                plugin = ep.load()
                pm.register(plugin, name=ep.name)
            except Exception as exc:  # one broken plugin must not stop start-up
                log.exception("plugin %s failed to load", ep.name)
                pm.broken[ep.name] = f"{type(exc).__name__}: {exc}"
                continue
            pm.dists[ep.name] = ep.dist.version if ep.dist else None
    for plugin in extra_plugins or []:
        pm.register(plugin)
    pm.check_pending()
    return pm


def list_plugins(pm: TimetablerPluginManager) -> list[PluginInfo]:
    infos = []
    for name, plugin in sorted(pm.list_name_plugin(), key=lambda item: item[0]):
        hooks = sorted(caller.name for caller in pm.get_hookcallers(plugin) or [])
        infos.append(PluginInfo(name=name, version=pm.dists.get(name), hooks=hooks))
    for name, error in sorted(pm.broken.items()):
        infos.append(PluginInfo(name=name, version=None, hooks=[], error=error))
    return infos


def _by_name(results: list[list[Any]]) -> dict[str, Any]:
    engines: dict[str, Any] = {}
    for batch in results:
        for engine in batch or []:
            engines.setdefault(engine.name, engine)
    return engines


@dataclass
class EngineRegistry:
    """Engines by name, as the installed plugins register them."""

    readers: dict[str, Reader] = field(default_factory=dict)
    preprocessors: dict[str, Preprocessor] = field(default_factory=dict)
    ocr: dict[str, OcrEngine] = field(default_factory=dict)
    llm: dict[str, LlmEngine] = field(default_factory=dict)
    notifiers: dict[str, Notifier] = field(default_factory=dict)

    @classmethod
    def from_plugins(cls, pm: pluggy.PluginManager) -> EngineRegistry:
        # pluggy calls implementations last-registered first; reverse so built-ins keep their order.
        def collect(hook: Any) -> dict[str, Any]:
            return _by_name(list(reversed(hook())))

        return cls(
            readers=collect(pm.hook.register_readers),
            preprocessors=collect(pm.hook.register_preprocessors),
            ocr=collect(pm.hook.register_ocr_engines),
            llm=collect(pm.hook.register_llm_engines),
            notifiers=collect(pm.hook.register_notifiers),
        )

    def reader_for(self, kind: str) -> Reader | None:
        return next((r for r in self.readers.values() if kind in r.kinds), None)
