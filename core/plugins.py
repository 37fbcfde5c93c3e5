"""The plugin manager factory and the registry of engines that plugins provide.

A plugin manager is made per app or per CLI run (never a module global), loads the ``timetabler``
entry point group and isolates a plugin that fails to import: start-up goes on and the failure is
listed by ``timetabler plugins``. Loading guides a plugin's author: an implementation that matches
no hook is reported with the nearest hook's name, an engine missing an attribute is named, a plugin
targeting a newer hook API is refused with the reason, and implementing a deprecated hook warns.

Environment:
- ``TIMETABLER_PLUGINS_ALLOW``: comma-separated entry point names; when set, only these load.
- ``TIMETABLER_PLUGINS_DENY``: comma-separated entry point names that never load.
- ``TIMETABLER_PLUGINS_TRACE=1``: log every hook call (implementations, arguments, outcome).
"""

from __future__ import annotations

import difflib
import logging
import os
import sys
import warnings
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import metadata
from types import ModuleType
from typing import TYPE_CHECKING, Any

import pluggy

from core import hookspecs
from core.engines import LlmEngine, Notifier, OcrEngine, Preprocessor, Reader
from core.page_image import PageImage, legacy_array
from core.plugin_kit.selection import ALLOW_ENV, DENY_ENV
from core.plugin_kit.selection import names as _names

if TYPE_CHECKING:
    import numpy as np

log = logging.getLogger(__name__)
trace_log = logging.getLogger("timetabler.plugins.trace")
ENTRY_POINT_GROUP = "timetabler"
TRACE_ENV = "TIMETABLER_PLUGINS_TRACE"
API_ATTRIBUTE = "TIMETABLER_HOOK_API"

# What each kind of engine must have: its attributes and the methods the pipeline calls.
ENGINE_SHAPES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "reader": (("name", "kinds"), ("read",)),
    "preprocessor": (("name",), ("preprocess",)),
    "ocr": (("name",), ("recognize",)),
    "llm": (("name",), ("extract",)),
    "notifier": (("name",), ("notify",)),
}


@dataclass
class PluginInfo:
    name: str
    version: str | None
    hooks: list[str]
    error: str | None = None
    warnings: list[str] = field(default_factory=list)


class TimetablerPluginManager(pluggy.PluginManager):
    def __init__(self) -> None:
        super().__init__("timetabler")
        self.add_hookspecs(hookspecs)
        self.broken: dict[str, str] = {}  # entry point name -> error
        self.skipped: dict[str, str] = {}  # entry point name -> why it was not loaded (allow/deny)
        self.dists: dict[str, str | None] = {}  # plugin name -> distribution version
        self.plugin_warnings: dict[str, list[str]] = {}  # plugin name -> deprecation warnings


def hook_names() -> list[str]:
    return sorted(name for name in dir(hookspecs) if hasattr(getattr(hookspecs, name), "timetabler_spec"))


def unknown_hook_message(name: str) -> str:
    """What to tell the author of an implementation named ``name`` that matches no hook."""
    near = difflib.get_close_matches(name, hook_names(), n=1, cutoff=0.6)
    hint = f"did you mean '{near[0]}'?" if near else f"the hooks are: {', '.join(hook_names())}"
    return f"'{name}' is not a Timetabler hook; {hint}"


def api_version_problem(plugin: object) -> str | None:
    """Why a plugin's declared hook API version cannot be served, or None when it can."""
    wanted = getattr(plugin, API_ATTRIBUTE, hookspecs.OLDEST_SUPPORTED_HOOK_API)
    if not isinstance(wanted, int):
        return f"{API_ATTRIBUTE} must be a whole number such as {hookspecs.HOOK_API_VERSION}, not {wanted!r}"
    if wanted > hookspecs.HOOK_API_VERSION:
        return (
            f"it targets hook API {wanted} but this Timetabler offers {hookspecs.HOOK_API_VERSION}; "
            "upgrade Timetabler or install an older release of the plugin"
        )
    if wanted < hookspecs.OLDEST_SUPPORTED_HOOK_API:
        return (
            f"it targets hook API {wanted}, older than the oldest supported "
            f"({hookspecs.OLDEST_SUPPORTED_HOOK_API}); upgrade the plugin"
        )
    return None


def register_plugin(pm: TimetablerPluginManager, plugin: object, name: str | None) -> str:
    """Register one plugin, refusing it (with a message for its author) when it cannot work."""
    problem = api_version_problem(plugin)
    if problem:
        raise pluggy.PluginValidationError(plugin, problem)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", hookspecs.TimetablerDeprecationWarning)
        try:
            registered = pm.register(plugin, name=name)
        except Exception:
            if pm.is_registered(plugin):  # pluggy keeps what it registered before the bad hook
                pm.unregister(plugin)
            raise
    assert registered is not None
    unknown = sorted(c.name for c in pm.get_hookcallers(plugin) or [] if c.spec is None)
    if unknown:
        pm.unregister(plugin)
        raise pluggy.PluginValidationError(plugin, "; ".join(unknown_hook_message(n) for n in unknown))
    for warning in caught:
        if issubclass(warning.category, hookspecs.TimetablerDeprecationWarning):
            pm.plugin_warnings.setdefault(registered, []).append(str(warning.message))
            log.warning("plugin %s: %s", registered, warning.message)
        else:
            warnings.warn_explicit(warning.message, warning.category, warning.filename, warning.lineno)
    return registered


def _trace(pm: pluggy.PluginManager) -> None:
    """Log every hook call: which implementations ran, with which arguments, and what came back."""
    if not trace_log.handlers and not logging.getLogger().handlers:
        trace_log.addHandler(logging.StreamHandler(sys.stderr))
    trace_log.setLevel(logging.INFO)

    def before(hook_name: str, impls: Sequence[pluggy.HookImpl], kwargs: Mapping[str, object]) -> None:
        names = ", ".join(impl.plugin_name for impl in impls) or "no implementation"
        args = ", ".join(f"{k}={_short(v)}" for k, v in kwargs.items())
        trace_log.info("hook %s(%s) -> %s", hook_name, args, names)

    def after(
        outcome: pluggy.Result[Any],
        hook_name: str,
        impls: Sequence[pluggy.HookImpl],
        kwargs: Mapping[str, object],
    ) -> None:
        if outcome.exception is not None:
            trace_log.info("hook %s raised %r", hook_name, outcome.exception)
        else:
            trace_log.info("hook %s returned %s", hook_name, _short(outcome.get_result()))

    pm.add_hookcall_monitoring(before, after)


def _short(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 120 else text[:117] + "..."


def make_plugin_manager(
    *, load_entry_points: bool = True, extra_plugins: list[ModuleType | object] | None = None
) -> TimetablerPluginManager:
    pm = TimetablerPluginManager()
    allow, deny = _names(ALLOW_ENV), _names(DENY_ENV)
    if load_entry_points:
        for ep in metadata.entry_points(group=ENTRY_POINT_GROUP):
            if pm.get_plugin(ep.name) is not None or ep.name in pm.broken or ep.name in pm.skipped:
                continue
            if ep.name in deny:
                pm.skipped[ep.name] = f"not loaded: listed in {DENY_ENV}"
                continue
            if allow and ep.name not in allow:
                pm.skipped[ep.name] = f"not loaded: not listed in {ALLOW_ENV}"
                continue
            try:
                register_plugin(pm, ep.load(), ep.name)
            except Exception as exc:  # one broken plugin must not stop start-up
                log.error("plugin %s failed to load: %s", ep.name, exc)
                pm.broken[ep.name] = f"{type(exc).__name__}: {exc}"
                continue
            pm.dists[ep.name] = ep.dist.version if ep.dist else None
        for name in sorted(allow - {ep.name for ep in metadata.entry_points(group=ENTRY_POINT_GROUP)}):
            log.warning("%s names %s, which is not installed", ALLOW_ENV, name)
    for plugin in extra_plugins or []:
        register_plugin(pm, plugin, None)
    pm.check_pending()
    if os.environ.get(TRACE_ENV, "").strip() not in ("", "0", "false", "no"):
        _trace(pm)
    return pm


def list_plugins(pm: TimetablerPluginManager) -> list[PluginInfo]:
    infos = []
    for name, plugin in sorted(pm.list_name_plugin(), key=lambda item: item[0]):
        hooks = sorted(caller.name for caller in pm.get_hookcallers(plugin) or [])
        warned = list(pm.plugin_warnings.get(name, []))
        infos.append(PluginInfo(name=name, version=pm.dists.get(name), hooks=hooks, warnings=warned))
    for name, error in sorted(pm.broken.items()):
        infos.append(PluginInfo(name=name, version=None, hooks=[], error=error))
    return infos


def engine_problems(kind: str, engine: object) -> list[str]:
    """What an engine of ``kind`` lacks for the pipeline to use it (empty when nothing)."""
    attributes, methods = ENGINE_SHAPES[kind]
    what = f"{kind} engine {type(engine).__module__}.{type(engine).__qualname__}"
    problems = [f"{what} has no attribute '{a}'" for a in attributes if not hasattr(engine, a)]
    problems += [f"{what} has no method '{m}'" for m in methods if not callable(getattr(engine, m, None))]
    name = getattr(engine, "name", None)
    if hasattr(engine, "name") and (not isinstance(name, str) or not name.strip()):
        problems.append(f"{what}: 'name' must be a non-empty string (schools choose engines by it)")
    kinds = getattr(engine, "kinds", ())
    if kind == "reader" and not isinstance(kinds, tuple | list | set | frozenset):
        problems.append(f"{what}: 'kinds' must be a tuple of document kinds such as ('pdf_text',)")
    return problems


def _by_name(kind: str, results: Iterable[list[Any] | None], rejected: list[str]) -> dict[str, Any]:
    engines: dict[str, Any] = {}
    for batch in results:
        for engine in batch or []:
            problems = engine_problems(kind, engine)
            if problems:  # named for the author; the pipeline goes on without this engine
                log.error("engine refused: %s", "; ".join(problems))
                rejected.extend(problems)
                continue
            engines.setdefault(engine.name, engine)
    return engines


def plugin_api(plugin: object) -> int:
    """The hook API version a plugin targets (the oldest supported when it does not say)."""
    wanted = getattr(plugin, API_ATTRIBUTE, hookspecs.OLDEST_SUPPORTED_HOOK_API)
    return wanted if isinstance(wanted, int) else hookspecs.OLDEST_SUPPORTED_HOOK_API


def _per_plugin(pm: pluggy.PluginManager, hook: Any) -> tuple[list[list[Any] | None], dict[str, int]]:
    """The hook's results in registration order (as ``reversed(hook())`` gives them), and engine name
    -> the hook API of the plugin that registered it (the first registration wins, as in
    ``_by_name``). Each plugin's implementation is called through a hook caller of its own, so
    tracing still sees every call."""
    batches: list[list[Any] | None] = []
    apis: dict[str, int] = {}
    plugins = [impl.plugin for impl in hook.get_hookimpls()]
    for plugin in plugins:
        others = [p for p in plugins if p is not plugin]
        for batch in pm.subset_hook_caller(hook.name, others)():
            batches.append(batch)
            for engine in batch or []:
                name = getattr(engine, "name", None)
                if isinstance(name, str):
                    apis.setdefault(name, plugin_api(plugin))
    return batches, apis


@dataclass
class EngineRegistry:
    """Engines by name, as the installed plugins register them."""

    readers: dict[str, Reader] = field(default_factory=dict)
    preprocessors: dict[str, Preprocessor] = field(default_factory=dict)
    ocr: dict[str, OcrEngine] = field(default_factory=dict)
    llm: dict[str, LlmEngine] = field(default_factory=dict)
    notifiers: dict[str, Notifier] = field(default_factory=dict)
    rejected: list[str] = field(default_factory=list)  # engines left out, and why
    # OCR engine name -> the hook API its plugin targets: API 3 engines are handed a PageImage.
    ocr_api: dict[str, int] = field(default_factory=dict)

    @classmethod
    def from_plugins(cls, pm: pluggy.PluginManager) -> EngineRegistry:
        rejected: list[str] = []

        # pluggy calls implementations last-registered first; reverse so built-ins keep their order.
        def collect(kind: str, hook: Any) -> dict[str, Any]:
            return _by_name(kind, reversed(hook()), rejected)

        ocr_batches, ocr_api = _per_plugin(pm, pm.hook.register_ocr_engines)
        return cls(
            readers=collect("reader", pm.hook.register_readers),
            preprocessors=collect("preprocessor", pm.hook.register_preprocessors),
            ocr=_by_name("ocr", ocr_batches, rejected),
            llm=collect("llm", pm.hook.register_llm_engines),
            notifiers=collect("notifier", pm.hook.register_notifiers),
            rejected=rejected,
            ocr_api=ocr_api,
        )

    def ocr_input(self, engine_name: str, page: PageImage) -> PageImage | np.ndarray:
        """What OCR engine ``engine_name`` is handed: a PageImage from hook API 3 on, else an array.
        An engine no plugin registered (put in a registry by hand) gets the array, which engines of
        every API take."""
        if self.ocr_api.get(engine_name, hookspecs.OLDEST_SUPPORTED_HOOK_API) >= 3:
            return page
        return legacy_array(page)

    def reader_for(self, kind: str) -> Reader | None:
        return next((r for r in self.readers.values() if kind in r.kinds), None)
