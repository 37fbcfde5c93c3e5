"""The console's page for a plugin's declared settings: /admin/plugins/<plugin>/settings.

Every engine that declares ``settings_schema`` (a msgspec Struct) and ``settings_prefix`` gets its
settings shown there, each with its type, default, the deployment's value the workers will use
(secrets only as set or not), the variable it is read from and whether a school may set its own,
checked by the schema: a value the schema refuses is shown with what is wrong instead of surfacing
later as a failed job. Platform admins only: the values come from the platform's environment."""

from __future__ import annotations

import html
from typing import Any

from litestar import MediaType, get

from admin.session import console
from core.plugin_kit.settings import PluginSettingsError, settings_from_env, settings_table

STYLE = (
    "body{font:15px/1.4 system-ui,sans-serif;margin:2rem;max-width:72rem}"
    "table{border-collapse:collapse;width:100%}th,td{border:1px solid #ccc;padding:.3rem .5rem;"
    "text-align:left;vertical-align:top}th{background:#f3f3f3}.error{color:#a00;font-weight:600}"
)
ABOUT = (
    "Values come from the environment of the web app and the workers (set the variable, then "
    "restart). A setting a school may set is changed in that school's settings, under "
    '<code>engineSettings</code>, e.g. <code>{"tesseract": {"languages": "eng+deu"}}</code>; its '
    "documents are then read with the school's value."
)

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
    schema, prefix = engine.settings_schema, engine.settings_prefix
    title = f"<h2>{html.escape(engine.name)} <small>({html.escape(prefix)}_*)</small></h2>"
    try:
        return title + settings_table(settings_from_env(schema, prefix), prefix)
    except PluginSettingsError as exc:  # said first, then the defaults the schema has
        alert = f'<p class="error" role="alert">{html.escape(str(exc))}</p>'
        try:
            return title + alert + settings_table(schema(), prefix)
        except TypeError:  # a field with no default: nothing more to show
            return title + alert


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
            f"<!doctype html><html lang='en'><head><title>{html.escape(plugin)} settings</title>"
            f"<style>{STYLE}</style></head><body><h1>Settings of {html.escape(plugin)}</h1>{body}"
            f"<p>{ABOUT}</p></body></html>"
        )

    return page
