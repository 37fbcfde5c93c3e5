"""Erasing a person or a whole school: rows, stored files and queued messages.

The database does most of the work through its foreign keys (every tenant-owned table cascades
from its school and every personal table from its user). What no key reaches is scrubbed here:
audit entries that name the person, invites and sign-in attempts under their email, the files in
storage and the Redis messages that carry the ids. Tables that carry a ``tenant_id`` are read from
the database itself, so a table added later (a plugin's too) is erased without changes here.
"""

from __future__ import annotations

import hashlib
import json
import logging
from typing import Any
from uuid import UUID

import anyio

from core.accounts.tables import LoginAttempt
from core.cache import store as result_cache
from core.db.scoping import unscoped_query_across_all_tenants
from core.db.tables import AuditEntry, Document, Invite, Job, Tenant, UsageEvent, User
from core.privacy.queue import drop_queued_messages
from core.privacy.storage import delete_prefix
from core.privacy.tables import RetainedUsage
from core.ratelimit import limiters as rate_limits
from core.runtime import Runtime

log = logging.getLogger(__name__)
ERASED = "[erased]"


async def tenant_owned_tables() -> list[str]:
    """Every table of the database with a ``tenant_id`` column."""
    engine = Tenant._meta.db
    if engine.engine_type == "postgres":
        rows = await Tenant.raw(
            "SELECT table_name AS name FROM information_schema.columns "
            "WHERE column_name = 'tenant_id' AND table_schema = current_schema() ORDER BY table_name"
        )
        return [row["name"] for row in rows]
    names = await Tenant.raw("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
    owned = []
    for row in names:
        columns = await Tenant.raw(f'PRAGMA table_info("{row["name"]}")')
        if any(column["name"] == "tenant_id" for column in columns):
            owned.append(row["name"])
    return owned


def _email_hash(email: str) -> str:
    # login_attempts names an account only by this hash (core.accounts.throttle).
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()


def _scrub(value: Any, needles: list[str]) -> Any:
    """A JSON value with every needle (an id, an email, a name) replaced."""
    text = json.dumps(value)
    for needle in needles:
        if needle:
            text = text.replace(needle, ERASED)
    return json.loads(text)


async def _scrub_audit(needles: list[str], user_ids: list[UUID]) -> None:
    """Audit entries stay (what happened, when), but no longer say who it was about or by."""
    audit = unscoped_query_across_all_tenants(AuditEntry)
    rows = await audit.select(audit.id, audit.actor_id, audit.actor_email, audit.before, audit.after)
    for row in rows:
        text = json.dumps([row["actor_email"], row["before"], row["after"]], default=str)
        if row["actor_id"] not in user_ids and not any(n and n in text for n in needles):
            continue
        values: dict[Any, Any] = {
            audit.before: _scrub(row["before"], needles),
            audit.after: _scrub(row["after"], needles),
        }
        if row["actor_id"] in user_ids or row["actor_email"] in needles:
            values |= {audit.actor_id: None, audit.actor_email: None}
        await audit.update(values).where(audit.id == row["id"])


async def _scrub_person(users: list[dict[str, Any]]) -> None:
    """What their user row's foreign keys do not reach: audit text, invites, sign-in attempts."""
    needles = [str(u["id"]) for u in users] + [u["email"] for u in users] + [u["name"] for u in users]
    await _scrub_audit([n for n in needles if len(n) >= 3], [u["id"] for u in users])
    emails = [u["email"] for u in users]
    if emails:
        invites = unscoped_query_across_all_tenants(Invite)
        await invites.delete().where(invites.email.is_in(emails))
        attempts = unscoped_query_across_all_tenants(LoginAttempt)
        # Sign-in failures, and password-reset requests (counted under "reset:" + the email).
        hashes = [_email_hash(e) for e in emails] + [_email_hash(f"reset:{e}") for e in emails]
        await attempts.delete().where(attempts.account.is_in(hashes))


def forget_in_process(ids: list[str]) -> int:
    """This process's own cached readings and rate-limit counts naming the erased ids (the embedded
    default keeps them in memory; on Redis they are swept with the queued messages)."""
    return result_cache.forget_in_process(ids) + rate_limits.forget_in_process(ids)


async def erase_user(runtime: Runtime, user_id: UUID) -> bool:
    """Delete a person and everything of theirs. False when there is no such person."""
    users = unscoped_query_across_all_tenants(User)  # platform work: checked by the caller
    user = await users.select(users.id, users.email, users.name, users.tenant_id).where(users.id == user_id)
    if not user:
        return False
    documents = unscoped_query_across_all_tenants(Document)
    files = await documents.select(documents.id, documents.tenant_id, documents.storage_key).where(
        documents.user_id == user_id
    )
    jobs = unscoped_query_across_all_tenants(Job)
    job_ids = [str(r["id"]) for r in await jobs.select(jobs.id).where(jobs.user_id == user_id)]
    if job_ids:
        # Usage stays for billing, unlinked from the person's jobs (its key named the job too).
        usage = unscoped_query_across_all_tenants(UsageEvent)
        rows = await usage.select(usage.id).where(usage.job_id.is_in([UUID(j) for j in job_ids]))
        for row in rows:
            unlinked = {usage.job_id: None, usage.idempotency_key: f"erased:{row['id']}"}
            await usage.update(unlinked).where(usage.id == row["id"])
    await _scrub_person(user)
    # Documents, jobs, timetables, blocks, reviews of their documents, sessions, push subscriptions,
    # preferences, the calendar feed and the notification log all cascade from the user row.
    await users.delete().where(users.id == user_id)
    for row in files:
        await anyio.to_thread.run_sync(runtime.storage.delete, row["storage_key"])
        # The document's own folder too (a local folder would stay behind, named by its id).
        folder = f"tenants/{row['tenant_id']}/documents/{row['id']}/"
        await anyio.to_thread.run_sync(delete_prefix, runtime.storage, folder)
    traces = [str(user_id), *job_ids, *(str(row["id"]) for row in files)]
    dropped = await anyio.to_thread.run_sync(drop_queued_messages, runtime.settings, traces)
    dropped += forget_in_process(traces)
    log.info("erased a user: %d files, %d Redis keys and messages", len(files), dropped)
    return True


async def erase_school(runtime: Runtime, school_id: UUID) -> None:
    """Delete a school: every row of every tenant-owned table, its files and its queued messages.

    Its usage is first copied to ``retained_usage`` (kind, engine, quantity, cost and dates only).
    """
    usage = unscoped_query_across_all_tenants(UsageEvent)
    for row in await usage.select().where(usage.tenant_id == school_id):
        await RetainedUsage(
            former_school=school_id,
            kind=row["kind"],
            engine=row["engine"],
            quantity=row["quantity"],
            cost_usd=row["cost_usd"],
            reported_at=row["reported_at"],
            created_at=row["created_at"],
        ).save()
    users = unscoped_query_across_all_tenants(User)
    people = await users.select(users.id, users.email, users.name).where(users.tenant_id == school_id)
    await _scrub_person(people)
    jobs = unscoped_query_across_all_tenants(Job)
    job_ids = [str(r["id"]) for r in await jobs.select(jobs.id).where(jobs.tenant_id == school_id)]
    documents = unscoped_query_across_all_tenants(Document)
    files = await documents.select(documents.id, documents.storage_key).where(
        documents.tenant_id == school_id
    )
    # The school's row first: every table whose tenant_id is a foreign key cascades from it.
    await unscoped_query_across_all_tenants(Tenant).delete().where(Tenant.id == school_id)
    # Then whatever carries a tenant_id without a foreign key (a plugin's table, say).
    for table in await tenant_owned_tables():
        await Tenant.raw(f'DELETE FROM "{table}" WHERE tenant_id = {{}}', school_id)
    for row in files:
        await anyio.to_thread.run_sync(runtime.storage.delete, row["storage_key"])
    await anyio.to_thread.run_sync(delete_prefix, runtime.storage, f"tenants/{school_id}/")
    traces = [str(school_id), *job_ids, *(str(p["id"]) for p in people), *(str(f["id"]) for f in files)]
    dropped = await anyio.to_thread.run_sync(drop_queued_messages, runtime.settings, traces)
    dropped += forget_in_process(traces)
    log.info("erased a school: %d Redis keys and messages", dropped)
