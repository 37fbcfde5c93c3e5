"""PostgreSQL row-level security: the database's own backstop behind TenantScope.

Every tenant-owned table has a policy that shows a row only when its tenant_id equals the
``app.tenant_id`` setting of the session. The engine below sets that setting before every query
from a context variable: the signed-in user's school, the job's school in a worker, or ``*`` where
the code knowingly works across schools (the escape hatch). Unset, it matches nothing: a query that
forgot its tenant finds no rows instead of every school's.
"""

from __future__ import annotations

import weakref
from contextvars import ContextVar
from typing import Any
from uuid import UUID

from piccolo.engine.postgres import PostgresEngine, PostgresTransaction

BYPASS = "*"
SETTING = "app.tenant_id"
_db_tenant: ContextVar[str] = ContextVar("db_tenant", default="")
_SET = f"SELECT set_config('{SETTING}', $1, false)"
_SET_LOCAL = f"SELECT set_config('{SETTING}', $1, true)"


def use_tenant(tenant_id: UUID | str) -> None:
    """Queries from here on, in this task, see only this school's rows."""
    _db_tenant.set(str(tenant_id))


def bypass_row_security() -> None:
    """Queries from here on, in this task, may see every school's rows (the escape hatch)."""
    _db_tenant.set(BYPASS)


def current_db_tenant() -> str:
    return _db_tenant.get()


class TenantTransaction(PostgresTransaction):
    async def begin(self) -> None:
        await super().begin()
        await self.connection.execute(_SET_LOCAL, current_db_tenant())


async def _keep_session(connection: Any) -> None:
    """What a pooled connection is given back with: nothing sent. asyncpg's default sends RESET ALL,
    UNLISTEN and more, a round trip after every query; a transaction left open is still rolled back
    by asyncpg itself, and this app holds no advisory lock, cursor or LISTEN on pooled connections."""


class TenantAwarePostgresEngine(PostgresEngine):
    """Sets ``app.tenant_id`` on the connection before each query runs on it, unless the
    connection already has that tenant (a query is then one round trip, not two)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The session's app.tenant_id per pooled connection, as last set by _run_in_pool. A
        # transaction sets it LOCAL, which ends with the transaction, so this stays true.
        self._tenant_of: weakref.WeakKeyDictionary[Any, str] = weakref.WeakKeyDictionary()

    async def start_connection_pool(self, **kwargs: Any) -> None:
        await super().start_connection_pool(reset=_keep_session, **kwargs)

    async def _run_in_pool(self, query: str, args: Any = None) -> Any:
        if not self.pool:
            raise ValueError("A pool isn't currently running.")
        tenant = current_db_tenant()
        async with self.pool.acquire() as connection:
            raw = connection._con  # the connection itself, not the pool's proxy for this use
            if self._tenant_of.get(raw) != tenant:
                self._tenant_of.pop(raw, None)  # unknown until the setting is known to be made
                await connection.execute(_SET, tenant)
                self._tenant_of[raw] = tenant
            return await connection.fetch(query, *(args or []))

    async def snapshot(self) -> str:
        """Which transactions' writes are visible now (xmin:xmax:in-progress list). It moves when
        any transaction that writes starts or ends, from any process; two reads that see the same
        snapshot see the same rows. One round trip, on any connection: no table is read."""
        if not self.pool:
            raise ValueError("A pool isn't currently running.")
        async with self.pool.acquire() as connection:
            return str(await connection.fetchval("SELECT pg_current_snapshot()::text"))

    async def _run_in_new_connection(self, query: str, args: Any = None) -> Any:
        connection = await self.get_new_connection()
        try:
            await connection.execute(_SET, current_db_tenant())
            return await connection.fetch(query, *(args or []))
        finally:
            await connection.close()

    def transaction(self, allow_nested: bool = True) -> PostgresTransaction:
        return TenantTransaction(engine=self, allow_nested=allow_nested)
