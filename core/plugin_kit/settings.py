"""A plugin's settings declared as a msgspec Struct: read and checked from the environment, and
shown on its admin page as a table of each field, its type, default and value."""

from __future__ import annotations

import html
import os
import re
from typing import Any, TypeVar

import msgspec

S = TypeVar("S", bound=msgspec.Struct)


class PluginSettingsError(ValueError):
    """A setting has a value its schema refuses; the message names the variable and what it takes."""


def env_name(prefix: str, field: str) -> str:
    return f"{prefix}_{re.sub(r'(?<!^)(?=[A-Z])', '_', field).upper()}"


def settings_from_env(schema: type[S], prefix: str) -> S:
    """The schema's values, each from ``PREFIX_FIELD_NAME`` when set (strings converted to the
    field's type), checked by the schema itself."""
    values: dict[str, Any] = {}
    for field in msgspec.structs.fields(schema):
        raw = os.environ.get(env_name(prefix, field.name))
        if raw is not None and raw.strip():
            values[field.encode_name] = raw.strip()
    try:
        return msgspec.convert(values, schema, strict=False)
    except msgspec.ValidationError as exc:
        raise PluginSettingsError(f"{prefix}_*: {exc} (see the plugin's settings page)") from exc


def settings_table(settings: msgspec.Struct) -> str:
    """An HTML table of the settings: name, type, default and current value (escaped)."""
    rows = []
    for field in msgspec.structs.fields(type(settings)):
        kind = getattr(field.type, "__name__", str(field.type))
        default = "—" if field.default is msgspec.NODEFAULT else repr(field.default)
        cells = (field.encode_name, kind, default, repr(getattr(settings, field.name)))
        rows.append("<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in cells) + "</tr>")
    head = "<tr><th>Setting</th><th>Type</th><th>Default</th><th>Value</th></tr>"
    return f"<table><thead>{head}</thead><tbody>{''.join(rows)}</tbody></table>"
