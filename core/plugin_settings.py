"""A plugin's settings, declared as a msgspec Struct and read through this one module.

The deployment's values come from the environment (``PREFIX_FIELD_NAME``, or the names a field's
``setting(env=...)`` gives); a field declared ``setting(school=True)`` can also be set by each school
(its ``engineSettings`` in the school's settings), and the running job's school's value wins for its
documents. Values are read when used, never at import, and checked by the schema: a refused value
raises PluginSettingsError naming the variable (or the school's setting) and what it takes. The
console's plugin settings page shows each field with its variable, default and value (secrets
hidden)."""

from __future__ import annotations

import contextvars
import html
import os
import re
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from types import MappingProxyType
from typing import Any, Protocol, TypeVar

import msgspec
import msgspec.inspect

S = TypeVar("S", bound=msgspec.Struct)


class PluginSettingsError(ValueError):
    """A setting has a value its schema refuses; the message names the variable and what it takes."""


class HasSettings(Protocol):
    name: str
    settings_schema: type[msgspec.Struct]
    settings_prefix: str


def setting(
    description: str,
    *,
    env: str | tuple[str, ...] = (),
    school: bool = False,
    secret: bool = False,
    **constraints: Any,
) -> msgspec.Meta:
    """A field's metadata: ``Annotated[float, setting("seconds a page may take", gt=0)] = 60.0``.

    ``env``: the variable(s) read instead of ``PREFIX_FIELD_NAME``, first set wins (for names
    deployments already use). ``school``: each school may set its own value. ``secret``: shown only
    as set or not set, and never settable by a school. ``constraints``: msgspec's (gt, ge, pattern…).
    """
    if school and secret:
        raise ValueError("a secret is the deployment's: it cannot be a school's setting")
    names = (env,) if isinstance(env, str) else tuple(env)
    extra = {"env": names, "school": school, "secret": secret}
    return msgspec.Meta(description=description, extra=extra, **constraints)


@dataclass(frozen=True)
class Field:
    name: str  # the attribute
    key: str  # its name in JSON and in a school's settings (camelCase)
    env: tuple[str, ...]  # the variables it is read from, first set wins
    kind: str
    default: Any
    description: str
    school: bool
    secret: bool


@cache
def fields(schema: type[msgspec.Struct], prefix: str) -> tuple[Field, ...]:
    """The schema's fields with what ``setting(...)`` said of each."""
    info = msgspec.inspect.type_info(schema)
    assert isinstance(info, msgspec.inspect.StructType)
    hints = typing.get_type_hints(schema)
    found = []
    for field in info.fields:
        meta = field.type if isinstance(field.type, msgspec.inspect.Metadata) else None
        extra = (meta.extra or {}) if meta else {}
        env = tuple(extra.get("env") or ()) or (env_name(prefix, field.name),)
        found.append(
            Field(
                name=field.name,
                key=field.encode_name,
                env=env,
                kind=_kind(hints[field.name]),
                default=field.default,
                description=str(((meta.extra_json_schema or {}) if meta else {}).get("description", "")),
                school=bool(extra.get("school")),
                secret=bool(extra.get("secret")),
            )
        )
    return tuple(found)


def _kind(hint: Any) -> str:
    """The type as a person reads it: ``float``, ``str | None``."""
    if typing.get_origin(hint) is typing.Annotated:
        return _kind(typing.get_args(hint)[0])
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        return " | ".join(_kind(arg) for arg in typing.get_args(hint))
    if hint is type(None):
        return "None"
    return getattr(hint, "__name__", None) or str(hint).replace("typing.", "")


def env_name(prefix: str, field: str) -> str:
    return f"{prefix}_{re.sub(r'(?<!^)(?=[A-Z])', '_', field).upper()}"


def _from_env(field: Field) -> tuple[str, str] | None:
    """(variable, value) of the first of the field's variables that is set, or None."""
    for name in field.env:
        raw = os.environ.get(name)
        if raw is not None and raw.strip():
            return name, raw.strip()
    return None


def _convert(schema: type[S], values: dict[str, Any], origin: dict[str, str], prefix: str) -> S:
    try:
        return msgspec.convert(values, schema, strict=False)
    except msgspec.ValidationError as exc:
        reason, _, path = str(exc).partition(" - at `$.")
        key = path.split("`")[0].split(".")[0].split("[")[0]
        named = next((f for f in fields(schema, prefix) if f.key == key), None)
        where = origin.get(key) or (named.env[0] if named else f"{prefix}_*")
        about = f" ({key}: {named.description})" if named and named.description else f" ({key})"
        value = "" if named and named.secret else f"={values.get(key)!r}"
        default = "" if named is None or named.default is msgspec.NODEFAULT else f", {named.default!r}"
        if named is not None and where in named.env:
            fix = f"Correct the variable, or unset it for the default{default}"
        else:  # a school's value
            fix = "Correct it in the school's settings, or remove it for the platform's value"
        raise PluginSettingsError(f"{where}{value} is refused: {reason}{about}. {fix}.") from exc


def settings_from_env(schema: type[S], prefix: str) -> S:
    """The deployment's values: each field from its variable when set (strings converted to the
    field's type), checked by the schema."""
    values, origin = _deployment_values(schema, prefix)
    return _convert(schema, values, origin, prefix)


def _deployment_values(schema: type[msgspec.Struct], prefix: str) -> tuple[dict[str, Any], dict[str, str]]:
    values: dict[str, Any] = {}
    origin: dict[str, str] = {}
    for field in fields(schema, prefix):
        found = _from_env(field)
        if found is not None:
            origin[field.key], values[field.key] = found
    return values, origin


# The running job's school's own engine settings: engine name -> {camelCase key: value}. Set when a
# job stage starts (core.jobs.pipeline.load_context), so one school's values never reach another's
# stage; asyncio.to_thread copies it into the thread that runs the engine. Outside a job: none.
_NONE: Mapping[str, Mapping[str, Any]] = MappingProxyType({})
_school: contextvars.ContextVar[Mapping[str, Mapping[str, Any]]] = contextvars.ContextVar(
    "timetabler_school_engine_settings", default=_NONE
)


def use_school_settings(values: Mapping[str, Mapping[str, Any]] | None) -> None:
    _school.set(MappingProxyType({k: dict(v) for k, v in values.items()}) if values else _NONE)


def school_settings() -> dict[str, dict[str, Any]]:
    """The running stage's school's values, to carry them into a reading process."""
    return {k: dict(v) for k, v in _school.get().items()}


def engine_settings(engine: HasSettings) -> Any:
    """The engine's settings now: the deployment's, with the running school's own values (of fields
    declared ``school=True``) over them. Raises PluginSettingsError naming a refused value."""
    schema, prefix = engine.settings_schema, engine.settings_prefix
    values, origin = _deployment_values(schema, prefix)
    own = _school.get().get(engine.name) or {}
    for field in fields(schema, prefix):
        if field.school and own.get(field.key) is not None:
            values[field.key] = own[field.key]
            origin[field.key] = f"the school's setting engineSettings.{engine.name}.{field.key}"
    return _convert(schema, values, origin, prefix)


def check_school_values(engine: HasSettings, values: Any) -> None:
    """Refuse a school's values for the engine that its schema does not let a school set, or refuses."""
    where = f"engineSettings.{engine.name}"
    if not isinstance(values, dict):
        raise PluginSettingsError(f'{where} is an object of settings, e.g. {{"{_example(engine)}": …}}.')
    allowed = {f.key for f in fields(engine.settings_schema, engine.settings_prefix) if f.school}
    unknown = sorted(set(values) - allowed)
    if unknown:
        choices = ", ".join(sorted(allowed)) or "none"
        raise PluginSettingsError(
            f"{where}: {', '.join(unknown)} cannot be set by a school (a school may set: {choices})."
        )
    given = {k: v for k, v in values.items() if v is not None}
    origin = {key: f"{where}.{key}" for key in given}
    _convert(engine.settings_schema, given, origin, engine.settings_prefix)


def _example(engine: HasSettings) -> str:
    school = [f.key for f in fields(engine.settings_schema, engine.settings_prefix) if f.school]
    return school[0] if school else "setting"


def settings_table(settings: msgspec.Struct, prefix: str | None = None) -> str:
    """An HTML table of the settings: name, type, default, value (secrets hidden), the variables it
    is read from and whether a school may set it (escaped)."""
    rows = []
    for field in fields(type(settings), prefix or "PLUGIN"):
        value = getattr(settings, field.name)
        shown = ("set (hidden)" if value else "not set") if field.secret else repr(value)
        default = "—" if field.default is msgspec.NODEFAULT else repr(field.default)
        cells = [field.key, field.kind, default, shown]
        if prefix is not None:
            cells += [" or ".join(field.env), "yes" if field.school else "no", field.description]
        rows.append("<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in cells) + "</tr>")
    heads = ["Setting", "Type", "Default", "Value"]
    if prefix is not None:
        heads += ["Environment variable", "A school may set it", "What it is"]
    head = "<tr>" + "".join(f"<th>{h}</th>" for h in heads) + "</tr>"
    return f"<table><thead>{head}</thead><tbody>{''.join(rows)}</tbody></table>"
