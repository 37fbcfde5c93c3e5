"""The running stage's school's own engine keys (its Google Vision or Anthropic key), for the engines.

A school that saved its own key (``PUT /schools/{id}/credentials``) has its documents read with it;
otherwise an engine uses the platform's key from the environment. The keys live in a context variable
set afresh when each job stage starts (``core.schools.credentials.use_school_keys``, called by
``core.jobs.pipeline.load_context``), so one school's key never carries into another school's
stage; ``asyncio.to_thread`` copies it into the thread that runs the engine. Outside a job
(``timetabler extract``) none is set. This module loads nothing (no database, no cipher): engines
ask ``school_key`` on every run. The plaintext is never logged.
"""

from __future__ import annotations

import contextvars
from collections.abc import Mapping
from types import MappingProxyType

_NONE: Mapping[str, str] = MappingProxyType({})
_keys: contextvars.ContextVar[Mapping[str, str]] = contextvars.ContextVar(
    "timetabler_engine_keys", default=_NONE
)


def school_key(name: str) -> str | None:
    """The running stage's school's own key by its API name (e.g. ``gcvApiKey``), or None."""
    return _keys.get().get(name)


def use_keys(keys: Mapping[str, str]) -> None:
    _keys.set(MappingProxyType(dict(keys)) if keys else _NONE)


def current_keys() -> Mapping[str, str]:
    """The running stage's school's keys, to carry them into a reading process."""
    return _keys.get()
