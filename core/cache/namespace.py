"""The school whose data the running stage reads: the cache keys' namespace.

A context variable, set when a job's stage starts; ``asyncio.to_thread`` copies it into the thread
that runs the engine. Outside a job (``timetabler extract``) it is unset and nothing is cached.
"""

from __future__ import annotations

import contextvars
import uuid

_tenant: contextvars.ContextVar[str | None] = contextvars.ContextVar("timetabler_cache_tenant", default=None)


def use_tenant(tenant_id: uuid.UUID | str | None) -> None:
    _tenant.set(str(tenant_id) if tenant_id else None)


def current_tenant() -> str | None:
    return _tenant.get()
