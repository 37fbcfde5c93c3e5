"""A school's own engine keys (e.g. its Google Vision or Anthropic key), encrypted at rest.

Encrypted with Fernet under ``TIMETABLER_ENCRYPTION_KEY``: a comma-separated list of keys, newest
first. The newest encrypts; every key decrypts (MultiFernet), so a key is rotated by putting a new
one in front; the maintenance run re-encrypts every stored credential under it, after which the old
key can be dropped. The API shows only whether a key is set and its last four characters; the
plaintext never leaves this module except to an engine, and is never logged.
"""

from __future__ import annotations

import logging
from typing import Any
from uuid import UUID

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

from core.db.scoping import TenantScope, unscoped_query_across_all_tenants
from core.engine_keys import use_keys
from core.errors import DomainError
from core.schools.tables import SchoolCredential
from core.settings import Settings

# The credentials a school may set, by the name the API uses.
KNOWN = {
    "gcvApiKey": "Google Cloud Vision API key (engine gcv)",
    "anthropicApiKey": "Anthropic API key (engine claude)",
}
MAX_LENGTH = 4096

log = logging.getLogger(__name__)


class EncryptionNotConfigured(RuntimeError):
    pass


def cipher(settings: Settings) -> MultiFernet:
    keys = [k.strip() for k in (settings.encryption_key or "").split(",") if k.strip()]
    if not keys:
        raise EncryptionNotConfigured("TIMETABLER_ENCRYPTION_KEY is not set")
    try:
        return MultiFernet([Fernet(k.encode()) for k in keys])
    except ValueError as exc:
        # Never echo the key itself.
        raise EncryptionNotConfigured(
            "TIMETABLER_ENCRYPTION_KEY holds a key that is not a Fernet key"
        ) from exc


def _cipher_or_error(settings: Settings) -> MultiFernet:
    try:
        return cipher(settings)
    except EncryptionNotConfigured as exc:
        raise DomainError(
            409,
            "encryption_not_configured",
            f"Engine keys cannot be stored: {exc}. Ask the platform operator to set it "
            "(generate one with: python -c 'from cryptography.fernet import Fernet; "
            "print(Fernet.generate_key().decode())').",
        ) from exc


def describe(rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """What the API shows: set or not, the last four characters, when it changed."""
    stored = {row["name"]: row for row in rows}
    return {
        name: {
            "set": name in stored,
            "last4": stored[name]["last4"] if name in stored else None,
            "updatedAt": stored[name]["updated_at"].isoformat() if name in stored else None,
            "label": label,
        }
        for name, label in KNOWN.items()
    }


async def list_credentials(school_id: UUID) -> dict[str, dict[str, Any]]:
    scope = TenantScope(school_id)
    rows = await scope.select(
        SchoolCredential, SchoolCredential.name, SchoolCredential.last4, SchoolCredential.updated_at
    )
    return describe(rows)


def check_body(body: Any) -> dict[str, str | None]:
    if not isinstance(body, dict) or not body:
        raise DomainError(400, "invalid_credentials", 'Send {"gcvApiKey": "..."}; null removes a key.')
    unknown = sorted(set(body) - set(KNOWN))
    if unknown:
        raise DomainError(
            400, "invalid_credentials", f"Unknown key(s): {', '.join(unknown)}. Known: {', '.join(KNOWN)}."
        )
    for name, value in body.items():
        if value is not None and (not isinstance(value, str) or not 8 <= len(value.strip()) <= MAX_LENGTH):
            raise DomainError(
                400, "invalid_credentials", f"{name} must be the key as text (8 to {MAX_LENGTH} characters)."
            )
    return {name: value.strip() if isinstance(value, str) else None for name, value in body.items()}


async def save_credentials(settings: Settings, school_id: UUID, body: Any) -> list[str]:
    """Store (or remove, for null) each key; returns the names changed, never the values."""
    values = check_body(body)
    scope = TenantScope(school_id)
    fernet = _cipher_or_error(settings) if any(v is not None for v in values.values()) else None
    for name, value in values.items():
        await scope.delete(SchoolCredential).where(SchoolCredential.name == name)
        if value is not None and fernet is not None:
            token = fernet.encrypt(value.encode()).decode()
            await scope.insert(SchoolCredential, name=name, ciphertext=token, last4=value[-4:]).save()
    return sorted(values)


async def read_credential(settings: Settings, school_id: UUID, name: str) -> str | None:
    """The plaintext for an engine to use, or None when the school set none (or it cannot be read)."""
    row = (
        await TenantScope(school_id)
        .select(SchoolCredential, SchoolCredential.ciphertext)
        .where(SchoolCredential.name == name)
    )
    if not row:
        return None
    try:
        return cipher(settings).decrypt(row[0]["ciphertext"].encode()).decode()
    except (InvalidToken, EncryptionNotConfigured):
        return None


async def rotate_all(settings: Settings) -> int:
    """Re-encrypt every stored credential under the newest key; returns how many."""
    try:
        fernet = cipher(settings)
    except EncryptionNotConfigured:
        return 0
    table = unscoped_query_across_all_tenants(SchoolCredential)  # platform work across schools
    rotated = 0
    for row in await table.select(table.id, table.ciphertext):
        try:
            token = fernet.rotate(row["ciphertext"].encode()).decode()
        except InvalidToken:
            continue  # made under a key no longer listed: left as it is, and unreadable
        await table.update({table.ciphertext: token}).where(table.id == row["id"])
        rotated += 1
    return rotated


async def use_school_keys(settings: Settings, tenant_id: UUID | str) -> None:
    """Hand the engines this school's decrypted keys for the running stage (core.engine_keys); none
    when it has none or they cannot be read."""
    use_keys({})  # first: a failure below must not leave an earlier school's keys in place
    if not settings.encryption_key:
        return  # nothing can have been stored, nor read
    rows = await TenantScope(tenant_id).select(
        SchoolCredential, SchoolCredential.name, SchoolCredential.ciphertext
    )
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
