"""The console's page for a plugin's declared settings: /admin/plugins/<plugin>/settings.

Every engine that declares ``settings_schema`` (a msgspec Struct) and ``settings_prefix`` gets its
settings shown there, each with its type, default and the value the workers will use, checked by
the schema: a value the schema refuses is shown with what is wrong instead of surfacing later as
a failed job. Platform admins only: the values come from the platform's environment."""

from __future__ import annotations

import html
from typing import Any

from litestar import MediaType, get

from admin.session import console
from core.plugin_kit.settings import PluginSettingsError, settings_from_env, settings_table

ENGINE_HOOKS = (
    "register_readers",
    "register_preprocessors",
    "register_ocr_engines",
    "register_llm_engines",
    "register_notifiers",
)


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


def _section(engine: Any) -> str:
    title = f"<h2>{html.escape(engine.name)} <small>({html.escape(engine.settings_prefix)}_*)</small></h2>"
    try:
        return title + settings_table(settings_from_env(engine.settings_schema, engine.settings_prefix))
    except PluginSettingsError as exc:
        return title + f'<p class="error" role="alert">{html.escape(str(exc))}</p>'


def settings_page(plugin: str, engines: list[Any]) -> Any:
    @get(
        "/settings",
        operation_id=f"pluginSettings_{plugin}",
        opt=console("platform_admin"),
        media_type=MediaType.HTML,
        sync_to_thread=False,
    )
    def page() -> str:
        body = "".join(_section(engine) for engine in engines)
        return (
            f"<!doctype html><html lang='en'><head><title>{html.escape(plugin)} settings</title></head>"
            f"<body><h1>Settings of {html.escape(plugin)}</h1>{body}</body></html>"
        )

    return page
