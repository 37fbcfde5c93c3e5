"""The plugin manager factory and the registry of engines that plugins provide.

A plugin manager is made per app or per CLI run (never a module global), loads the ``timetabler``
entry point group and isolates a plugin that fails to import: start-up goes on and the failure is
listed by ``timetabler plugins``. Loading guides a plugin's author: an implementation that matches
no hook is reported with the nearest hook's name, an engine missing an attribute is named, a plugin
targeting a newer hook API is refused with the reason, and implementing a deprecated hook warns.

Environment:
- ``TIMETABLER_PLUGINS_ALLOW``: comma-separated entry point names; when set, only these load.
- ``TIMETABLER_PLUGINS_DENY``: comma-separated entry point names that never load.
- ``TIMETABLER_PLUGINS_PREFER``: comma-separated entry point names that keep an engine name other
  outside plugins claim too (without it every claimant of a shared name is refused).

Engine names are unique per kind. A built-in engine's name (``BUILT_IN_ENGINES``) is never taken by
an outside plugin, even when the built-in is denied: schools' settings, the OCR cache and the
password-reset mail (which asks for the ``sendgrid`` notifier) find engines by name.
- ``TIMETABLER_PLUGINS_TRACE=1``: log every hook call (implementations, arguments, outcome).
"""

from __future__ import annotations

import difflib
import inspect
import logging
import os
import sys
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from importlib import metadata
from types import ModuleType
from typing import TYPE_CHECKING, Any

import pluggy

from core import hookspecs
from core.engines import LlmEngine, Notifier, OcrEngine, Preprocessor, Reader
from core.page_image import PageImage, legacy_array
from core.plugin_selection import ALLOW_ENV, DENY_ENV, PREFER_ENV
from core.plugin_selection import names as _names

if TYPE_CHECKING:
    import numpy as np

log = logging.getLogger(__name__)
trace_log = logging.getLogger("timetabler.plugins.trace")
ENTRY_POINT_GROUP = "timetabler"
BUILT_IN_DIST = "timetabler"  # entry points of this distribution are the built-in plugins
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
# The names of the built-in engines, by kind: no outside plugin may take them, even when the built-in
# is not loaded (tests/plugin_kit/test_names.py checks this is what the built-ins register).
BUILT_IN_ENGINES: dict[str, frozenset[str]] = {
    "reader": frozenset({"pdf_text", "docx"}),
    "preprocessor": frozenset({"opencv"}),
    "ocr": frozenset({"tesseract", "gcv", "rapidocr"}),
    "llm": frozenset({"claude"}),
    "notifier": frozenset({"sendgrid", "webpush", "websocket"}),
}
KIND_LABELS = {
    "reader": "reader",
    "preprocessor": "preprocessor",
    "ocr": "OCR engine",
    "llm": "LLM engine",
    "notifier": "notifier",
}


@dataclass
class PluginInfo:
    name: str
    version: str | None
    hooks: list[str]
    error: str | None = None
    warnings: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)  # its engines left out, and why


class TimetablerPluginManager(pluggy.PluginManager):
    def __init__(self) -> None:
        super().__init__("timetabler")
        self.add_hookspecs(hookspecs)
        self.broken: dict[str, str] = {}  # entry point name -> error
        self.skipped: dict[str, str] = {}  # entry point name -> why it was not loaded (allow/deny)
        self.dists: dict[str, str | None] = {}  # plugin name -> distribution version
        self.plugin_warnings: dict[str, list[str]] = {}  # plugin name -> warnings for its author
        self.builtin: set[str] = set()  # plugin names of Timetabler's own entry points


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
    for unmarked in unmarked_hooks(pm, plugin):
        pm.plugin_warnings.setdefault(registered, []).append(unmarked)
        log.warning("plugin %s: %s", registered, unmarked)
    for warning in caught:
        if issubclass(warning.category, hookspecs.TimetablerDeprecationWarning):
            pm.plugin_warnings.setdefault(registered, []).append(str(warning.message))
            log.warning("plugin %s: %s", registered, warning.message)
        else:
            warnings.warn_explicit(warning.message, warning.category, warning.filename, warning.lineno)
    return registered


def unmarked_hooks(pm: pluggy.PluginManager, plugin: object) -> list[str]:
    """Functions named like a hook but not marked ``@hookimpl``: pluggy ignores them silently."""
    implemented = {caller.name for caller in pm.get_hookcallers(plugin) or []}
    found = []
    for name in hook_names():
        # Looked up statically: a plugin module's lazy __getattr__ (one that loads its heavy parts
        # on first use) is not set off by this check.
        function = inspect.getattr_static(plugin, name, None)
        if callable(function) and name not in implemented:
            found.append(
                f"'{name}' is named like a hook but is not marked @hookimpl, so Timetabler never calls it; "
                "add @hookimpl (from core.plugin_api) above it"
            )
    return found


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
        found = list(metadata.entry_points(group=ENTRY_POINT_GROUP))
        # Built-ins first, whatever the order of sys.path: they keep their names and their places.
        found.sort(key=lambda ep: not is_builtin(ep))
        loaded: dict[str, str] = {}  # entry point name -> its value, to tell a clash from a duplicate
        for ep in found:
            if ep.name in loaded and loaded[ep.name] != ep.value:
                clash = f"{ep.name} ({ep.value})"
                pm.broken[clash] = (
                    f"another plugin is installed under the name '{ep.name}' ({loaded[ep.name]}); "
                    "rename this plugin's entry point"
                )
                log.error("plugin %s not loaded: %s", clash, pm.broken[clash])
                continue
            loaded[ep.name] = ep.value
            if pm.get_plugin(ep.name) is not None or ep.name in pm.broken or ep.name in pm.skipped:
                continue
            if ep.name in deny:
                pm.skipped[ep.name] = f"not loaded: listed in {DENY_ENV}"
                continue
            if allow and ep.name not in allow:
                pm.skipped[ep.name] = f"not loaded: not listed in {ALLOW_ENV}"
                continue
            if is_builtin(ep):
                pm.builtin.add(ep.name)
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


def is_builtin(ep: metadata.EntryPoint) -> bool:
    dist = ep.dist.name if ep.dist is not None else ""
    return dist.lower().replace("_", "-").replace(".", "-") == BUILT_IN_DIST


def list_plugins(pm: TimetablerPluginManager, registry: EngineRegistry | None = None) -> list[PluginInfo]:
    """Every plugin with its version and hooks; broken ones with their error, and (given the
    registry built from ``pm``) each plugin's refused engines with the reason."""
    refused = registry.refused if registry is not None else {}
    infos = []
    for name, plugin in sorted(pm.list_name_plugin(), key=lambda item: item[0]):
        hooks = sorted(caller.name for caller in pm.get_hookcallers(plugin) or [])
        warned = list(pm.plugin_warnings.get(name, []))
        infos.append(
            PluginInfo(
                name=name,
                version=pm.dists.get(name),
                hooks=hooks,
                warnings=warned,
                refused=list(refused.get(name, [])),
            )
        )
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


def plugin_api(plugin: object) -> int:
    """The hook API version a plugin targets (the oldest supported when it does not say)."""
    wanted = getattr(plugin, API_ATTRIBUTE, hookspecs.OLDEST_SUPPORTED_HOOK_API)
    return wanted if isinstance(wanted, int) else hookspecs.OLDEST_SUPPORTED_HOOK_API


@dataclass
class Claim:
    """One engine as one plugin registered it."""

    plugin: str
    builtin: bool
    api: int
    engine: Any


def _claims(
    pm: pluggy.PluginManager,
    kind: str,
    hook: Any,
    refused: dict[str, list[str]],
    why_not: dict[tuple[str, str], str],
) -> list[Claim]:
    """The engines of one hook, plugin by plugin in registration order (as ``reversed(hook())`` gives
    them, so built-ins come first), each checked for what its kind needs. Each plugin's
    implementation is called through a hook caller of its own, so tracing still sees every call,
    and a plugin whose hook raises loses its engines of this kind, not the others'."""
    builtin = getattr(pm, "builtin", set())
    claims: list[Claim] = []
    impls = hook.get_hookimpls()
    for impl in impls:
        others = [other.plugin for other in impls if other is not impl]
        try:
            batches = pm.subset_hook_caller(hook.name, others)()
        except Exception as exc:  # named for the author; the other plugins' engines still load
            problem = f"{hook.name} raised {type(exc).__name__}: {exc}"
            log.error("plugin %s: %s", impl.plugin_name, problem)
            refused.setdefault(impl.plugin_name, []).append(problem)
            continue
        for batch in batches:
            for engine in batch or []:
                problems = engine_problems(kind, engine)
                if problems:  # named for the author; the pipeline goes on without this engine
                    log.error("engine refused: %s", "; ".join(problems))
                    refused.setdefault(impl.plugin_name, []).extend(problems)
                    if isinstance(getattr(engine, "name", None), str):
                        why_not.setdefault((kind, engine.name), "; ".join(problems))
                    continue
                claims.append(
                    Claim(impl.plugin_name, impl.plugin_name in builtin, plugin_api(impl.plugin), engine)
                )
    return claims


def _unique(
    kind: str, claims: list[Claim], refused: dict[str, list[str]], why_not: dict[tuple[str, str], str]
) -> dict[str, Claim]:
    """Engine name -> the claim that keeps it. A built-in keeps its name; a built-in name is never
    taken by an outside plugin; a name two outside plugins claim goes to the one listed in
    TIMETABLER_PLUGINS_PREFER, or to neither (a school would otherwise get whichever happened to
    load first)."""
    label = KIND_LABELS[kind]
    prefer = _names(PREFER_ENV)
    by_name: dict[str, list[Claim]] = {}
    for claim in claims:
        by_name.setdefault(claim.engine.name, []).append(claim)
    kept: dict[str, Claim] = {}

    def refuse(claim: Claim, why: str) -> None:
        what = f"{label} '{claim.engine.name}' of plugin {claim.plugin}"
        log.error("engine refused: %s: %s", what, why)
        refused.setdefault(claim.plugin, []).append(f"{what}: {why}")
        why_not.setdefault((kind, claim.engine.name), why)

    for name, named in by_name.items():
        builtins = [c for c in named if c.builtin]
        plugins = list(dict.fromkeys(c.plugin for c in named))
        preferred = [p for p in plugins if p in prefer]
        if builtins or name in BUILT_IN_ENGINES[kind]:
            winner = builtins[0] if builtins else None
            why = (
                f"'{name}' is the name of Timetabler's built-in {label}"
                + ("" if winner else " (not loaded here, but still its name)")
                + "; give your engine a name of its own, such as your plugin's name"
            )
        elif len(plugins) > 1 and len(preferred) != 1:
            winner = None
            listed = " and ".join(plugins)
            why = (
                f"plugins {listed} both name an engine '{name}', so neither is used; keep one by "
                f"listing it in {PREFER_ENV} (or deny the other with {DENY_ENV})"
            )
        else:
            owner = preferred[0] if len(plugins) > 1 else plugins[0]
            winner = next(c for c in named if c.plugin == owner)
            why = (
                f"'{name}' is kept by plugin {owner} ({PREFER_ENV})"
                if len(plugins) > 1
                else f"plugin {owner} registers '{name}' twice; the first is used"
            )
        if winner is not None:
            kept[name] = winner
        for claim in named:
            if claim is not winner:
                refuse(claim, why)
    return kept


@dataclass
class EngineRegistry:
    """Engines by name, as the installed plugins register them."""

    readers: dict[str, Reader] = field(default_factory=dict)
    preprocessors: dict[str, Preprocessor] = field(default_factory=dict)
    ocr: dict[str, OcrEngine] = field(default_factory=dict)
    llm: dict[str, LlmEngine] = field(default_factory=dict)
    notifiers: dict[str, Notifier] = field(default_factory=dict)
    rejected: list[str] = field(default_factory=list)  # engines left out, and why
    refused: dict[str, list[str]] = field(default_factory=dict)  # plugin name -> its engines left out, why
    # (kind, engine name) -> why a school cannot choose it though it is installed: its plugin failed
    # to load (a plugin's engine is named like its entry point, as `new-plugin` writes it) or the
    # engine was refused
    unusable: dict[tuple[str, str], str] = field(default_factory=dict)
    # (kind, engine name) -> the plugin that registered it
    owners: dict[tuple[str, str], str] = field(default_factory=dict)
    # plugin name -> its distribution's version: the version of an engine that declares none
    plugin_versions: dict[str, str | None] = field(default_factory=dict)
    # OCR engine name -> the hook API its plugin targets: API 3 engines are handed a PageImage.
    ocr_api: dict[str, int] = field(default_factory=dict)

    def configurable(self) -> dict[str, Any]:
        """The engines that declare settings (``settings_schema`` and ``settings_prefix``), by name."""
        engines = {**self.readers, **self.preprocessors, **self.ocr, **self.llm, **self.notifiers}
        return {
            name: engine
            for name, engine in engines.items()
            if getattr(engine, "settings_schema", None) and getattr(engine, "settings_prefix", None)
        }

    @classmethod
    def from_plugins(cls, pm: pluggy.PluginManager) -> EngineRegistry:
        refused: dict[str, list[str]] = {}
        why_not: dict[tuple[str, str], str] = {}
        hooks = {
            "reader": pm.hook.register_readers,
            "preprocessor": pm.hook.register_preprocessors,
            "ocr": pm.hook.register_ocr_engines,
            "llm": pm.hook.register_llm_engines,
            "notifier": pm.hook.register_notifiers,
        }
        kept = {
            kind: _unique(kind, _claims(pm, kind, h, refused, why_not), refused, why_not)
            for kind, h in hooks.items()
        }
        for kind, name in list(why_not):
            if name in kept[kind]:
                del why_not[(kind, name)]  # another plugin's claim was refused; this name works

        def engines(kind: str) -> dict[str, Any]:
            return {name: claim.engine for name, claim in kept[kind].items()}

        return cls(
            readers=engines("reader"),
            preprocessors=engines("preprocessor"),
            ocr=engines("ocr"),
            llm=engines("llm"),
            notifiers=engines("notifier"),
            rejected=[problem for problems in refused.values() for problem in problems],
            refused=refused,
            unusable={
                **{
                    (kind, name): f"failed to load: {error}"
                    for name, error in getattr(pm, "broken", {}).items()
                    for kind in ENGINE_SHAPES
                },
                **{key: f"was refused: {why}" for key, why in why_not.items()},
            },
            ocr_api={name: claim.api for name, claim in kept["ocr"].items()},
            owners={(kind, name): claim.plugin for kind in kept for name, claim in kept[kind].items()},
            plugin_versions=dict(getattr(pm, "dists", {})),
        )

    def ocr_input(self, engine_name: str, page: PageImage) -> PageImage | np.ndarray:
        """What OCR engine ``engine_name`` is handed: a PageImage from hook API 3 on, else an array.
        An engine no plugin registered (put in a registry by hand) gets the array, which engines of
        every API take."""
        if self.ocr_api.get(engine_name, hookspecs.OLDEST_SUPPORTED_HOOK_API) >= 3:
            return page
        return legacy_array(page)

    def key(self, kind: str, name: str) -> str | None:
        """What a reading by engine ``name`` is reused by: its name and version (and an LLM engine's
        prompt version and model). None when no such engine is installed: nothing it read before is
        reused then. An engine without a ``version`` goes by its plugin's package version, so an
        upgraded plugin reads documents anew."""
        engine = self.of(kind).get(name)
        if engine is None:
            return None
        version = getattr(engine, "version", None) or self.plugin_versions.get(
            self.owners.get((kind, name), ""), None
        )
        parts = [f"{name}@{version or '1'}"]
        for attribute in ("prompt_version", "model"):
            try:
                value = getattr(engine, attribute, None)
            except Exception:  # a setting read when asked (an LLM's model) may be wrong: not part of it
                value = None
            if isinstance(value, str) and value:
                parts.append(f"{attribute}={value}")
        return "/".join(parts)

    def unusable_names(self, kind: str) -> dict[str, str]:
        """Engine name -> why it is installed but cannot be chosen, for one kind."""
        return {
            name: why for (k, name), why in self.unusable.items() if k == kind and name not in self.of(kind)
        }

    def of(self, kind: str) -> dict[str, Any]:
        return {
            "reader": self.readers,
            "preprocessor": self.preprocessors,
            "ocr": self.ocr,
            "llm": self.llm,
            "notifier": self.notifiers,
        }[kind]

    def reader_for(self, kind: str) -> Reader | None:
        return next((r for r in self.readers.values() if kind in r.kinds), None)
