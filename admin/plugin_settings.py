"""The console's page for a plugin's declared settings: /admin/plugins/<plugin>/settings.

Every engine that declares ``settings_schema`` (a msgspec Struct) and ``settings_prefix`` gets its
settings shown there, each with its type, default, the deployment's value the workers will use
(secrets only as set or not), the variable it is read from and whether a school may set its own,
checked by the schema: a value the schema refuses is shown with what is wrong instead of surfacing
later as a failed job. Platform admins only: the values come from the platform's environment."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from litestar import Response, get
from markupsafe import Markup

from admin.render import page
from admin.session import ConsoleRequest, console
from core.plugin_settings import PluginSettingsError, settings_from_env, settings_table

ENGINE_HOOKS = (
    "register_readers",
    "register_preprocessors",
    "register_ocr_engines",
    "register_llm_engines",
    "register_notifiers",
)


@dataclass(frozen=True)
class Section:
    engine: str
    prefix: str
    table: Markup  # built escaped by settings_table
    error: str | None  # a refused value, said first


def declared_settings(pm: Any) -> dict[str, list[Any]]:
    """Plugin name -> its engines that declare settings."""
    found: dict[str, list[Any]] = {}
    for hook in ENGINE_HOOKS:
        for impl in getattr(pm.hook, hook).get_hookimpls():
            try:
                engines = list(impl.function() or [])
            except Exception:  # the registry already logged and left out a failing plugin
                continue
            for engine in engines:
                if getattr(engine, "settings_schema", None) and getattr(engine, "settings_prefix", None):
                    found.setdefault(impl.plugin_name, []).append(engine)
    return found


def _section(engine: Any) -> Section:
    schema, prefix = engine.settings_schema, engine.settings_prefix
    try:
        table = settings_table(settings_from_env(schema, prefix), prefix)
        return Section(engine.name, prefix, Markup(table), None)  # settings_table escapes each cell
    except PluginSettingsError as exc:  # said first, then the defaults the schema has
        try:
            table = settings_table(schema(), prefix)
        except TypeError:  # a field with no default: nothing more to show
            table = ""
        return Section(engine.name, prefix, Markup(table), str(exc))


def settings_page(plugin: str, engines: list[Any]) -> Any:
    @get("/settings", operation_id=f"pluginSettings_{plugin}", opt=console("platform_admin"))
    async def plugin_settings(request: ConsoleRequest) -> Response:
        sections = [_section(engine) for engine in engines]
        return page(request, "plugin_settings.html", plugin=plugin, sections=sections)

    return plugin_settings
