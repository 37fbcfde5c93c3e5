"""`timetabler new-plugin NAME --kind ...`: a package with its own pyproject.toml and entry point,
a working skeleton and its tests, ready to install next to Timetabler."""

from __future__ import annotations

import re
from importlib import metadata
from pathlib import Path
from string import Template

from core.hookspecs import HOOK_API_VERSION
from core.plugins import BUILT_IN_ENGINES, ENTRY_POINT_GROUP, KIND_LABELS, is_builtin

KINDS = ("ocr", "llm", "preprocess", "notify", "reader")
# --kind -> the engine kind of core.plugins (its names and built-in engines)
ENGINE_KIND = {
    "ocr": "ocr",
    "llm": "llm",
    "preprocess": "preprocessor",
    "notify": "notifier",
    "reader": "reader",
}
TEMPLATES = Path(__file__).parent / "template"
_NAME = re.compile(r"^[a-z][a-z0-9_]{1,39}$")


class TemplateError(ValueError):
    """The plugin cannot be written; the message says what to change."""


def plugin_name(raw: str) -> str:
    """The engine's name as schools will choose it: lower case, digits and underscores."""
    name = raw.strip().lower().replace("-", "_")
    if not _NAME.match(name):
        raise TemplateError(
            f"'{raw}' cannot name a plugin: use 2 to 40 lower-case letters, digits and underscores, "
            "starting with a letter (e.g. ocr_acme)."
        )
    return name


def not_built_in(name: str, kind: str) -> None:
    """Refuse a name a built-in engine of this kind (or a built-in plugin) has: Timetabler would
    refuse the engine at load."""
    engine_kind = ENGINE_KIND[kind]
    if name in BUILT_IN_ENGINES[engine_kind]:
        raise TemplateError(
            f"'{name}' is the name of Timetabler's built-in {KIND_LABELS[engine_kind]}; an engine of "
            f"yours cannot take it. Choose a name of your own (e.g. {kind}_{name}_acme)."
        )
    builtin_plugins = {ep.name for ep in metadata.entry_points(group=ENTRY_POINT_GROUP) if is_builtin(ep)}
    if name in builtin_plugins:
        raise TemplateError(f"'{name}' is the name of a built-in Timetabler plugin; choose one of your own.")


def host_values() -> dict[str, str]:
    """How the plugin depends on the Timetabler that writes it: a version range it works with (the
    same minor release while Timetabler is 0.x), Timetabler's Python, and, when Timetabler runs from
    a source checkout (it is not on PyPI), that checkout as where `uv` gets it."""
    meta = metadata.metadata("timetabler")
    major, minor = (int(part) for part in meta["Version"].split(".")[:2])
    upper = f"{major}.{minor + 1}" if major == 0 else f"{major + 1}"
    checkout = Path(__file__).resolve().parents[2]
    sources = ""
    if (checkout / "pyproject.toml").is_file() and (checkout / "core" / "plugin_api.py").is_file():
        sources = (
            "\n[tool.uv.sources]\n"
            "# Where `uv` gets Timetabler: the checkout that wrote this plugin. For a release from an\n"
            "# index, delete these two lines.\n"
            f'timetabler = {{ path = "{checkout}", editable = true }}\n'
        )
    return {
        "timetabler_range": f">={meta['Version']},<{upper}",
        "requires_python": meta["Requires-Python"] or ">=3.11",
        "uv_sources": sources,
    }


def new_plugin(raw_name: str, kind: str, where: Path) -> Path:
    """Write the plugin package into ``where``/timetabler-NAME and return its folder."""
    if kind not in KINDS:
        raise TemplateError(f"--kind must be one of {', '.join(KINDS)}, not '{kind}'.")
    name = plugin_name(raw_name)
    not_built_in(name, kind)
    package = f"timetabler_{name}"
    folder = where / f"timetabler-{name.replace('_', '-')}"
    if folder.exists():
        raise TemplateError(f"{folder} already exists; choose another name or folder.")
    values = {
        "name": name,
        "kind": kind,
        "package": package,
        "dist": folder.name,
        "api": str(HOOK_API_VERSION),
        "env_prefix": f"TIMETABLER_{name.upper()}",
        **host_values(),
    }
    files = {
        "pyproject.toml": "common/pyproject.toml.tmpl",
        "README.md": "common/README.md.tmpl",
        f"{package}/__init__.py": "common/__init__.py.tmpl",
        f"{package}/plugin.py": f"{kind}/plugin.py.tmpl",
        f"tests/test_{name}.py": f"{kind}/test_plugin.py.tmpl",
    }
    for target, source in files.items():
        path = folder / target
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(Template((TEMPLATES / source).read_text()).substitute(values))
    return folder
