"""The running stage's school's own engine keys (its Google Vision or Anthropic key), for the engines.

A school that saved its own key (``PUT /schools/{id}/credentials``) has its documents read with it;
otherwise an engine uses the platform's key from the environment. The keys live in a context variable
set afresh when each job stage starts (``core.jobs.pipeline.load_context``), so one school's key never
carries into another school's stage; ``asyncio.to_thread`` copies it into the thread that runs the
engine. Outside a job (``timetabler extract``) none is set. The plaintext is never logged.
"""

from __future__ import annotations

import contextvars
import logging
from collections.abc import Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING
from uuid import UUID

if TYPE_CHECKING:
    from core.settings import Settings

log = logging.getLogger(__name__)

_NONE: Mapping[str, str] = MappingProxyType({})
_keys: contextvars.ContextVar[Mapping[str, str]] = contextvars.ContextVar(
    "timetabler_engine_keys", default=_NONE
)


def school_key(name: str) -> str | None:
    """The running stage's school's own key by its API name (e.g. ``gcvApiKey``), or None."""
    return _keys.get().get(name)


def use_keys(keys: Mapping[str, str]) -> None:
    _keys.set(MappingProxyType(dict(keys)) if keys else _NONE)


async def use_school_keys(settings: Settings, tenant_id: UUID | str) -> None:
    """Set the school's decrypted keys for this stage (none when it has none or they cannot be read)."""
    use_keys({})  # first: a failure below must not leave an earlier school's keys in place
    if not settings.encryption_key:
        return  # nothing can have been stored, nor read
    # The database and the cipher load here, not with the module: engines ask school_key() on
    # every run, including `timetabler extract`, which has no database.
    from cryptography.fernet import InvalidToken

    from core.db.scoping import TenantScope
    from core.schools.credentials import EncryptionNotConfigured, cipher
    from core.schools.tables import SchoolCredential

    scope = TenantScope(tenant_id)
    rows = await scope.select(SchoolCredential, SchoolCredential.name, SchoolCredential.ciphertext)
    if not rows:
        return
    try:
        fernet = cipher(settings)
    except EncryptionNotConfigured:
        log.warning("school %s has engine keys but TIMETABLER_ENCRYPTION_KEY is not usable", tenant_id)
        return
    keys: dict[str, str] = {}
    for row in rows:
        try:
            keys[row["name"]] = fernet.decrypt(row["ciphertext"].encode()).decode()
        except InvalidToken:
            # Made under a key no longer listed: the platform's key is used instead.
            log.warning("school %s: its %s cannot be decrypted; using the platform's", tenant_id, row["name"])
    use_keys(keys)
