"""Tenant scoping that fails closed.

Every read or write of a tenant-owned table goes through a ``TenantScope``; building one without a
tenant raises. The one way around it, for platform-level work such as job recovery, has a loud name.
"""

from __future__ import annotations

from typing import Any, TypeVar
from uuid import UUID

from piccolo.table import Table

from core.db.row_security import bypass_row_security

T = TypeVar("T", bound=Table)


class UnscopedQueryError(RuntimeError):
    """A tenant-owned table was queried without a tenant."""


class TenantScope:
    def __init__(self, tenant_id: UUID | str | None) -> None:
        if not tenant_id:
            raise UnscopedQueryError("a query on tenant-owned data needs a tenant")
        self.tenant_id = UUID(str(tenant_id))

    def _check(self, table: type[Table]) -> Any:
        column = getattr(table, "tenant_id", None)
        if column is None:
            raise UnscopedQueryError(f"{table.__name__} is not tenant-owned")
        return column

    def select(self, table: type[T], *columns: Any) -> Any:
        return table.select(*columns).where(self._check(table) == self.tenant_id)

    def objects(self, table: type[T]) -> Any:
        return table.objects().where(self._check(table) == self.tenant_id)

    def count(self, table: type[T]) -> Any:
        return table.count().where(self._check(table) == self.tenant_id)

    def update(self, table: type[T], values: dict[Any, Any]) -> Any:
        return table.update(values).where(self._check(table) == self.tenant_id)

    def delete(self, table: type[T]) -> Any:
        return table.delete().where(self._check(table) == self.tenant_id)

    def insert(self, table: type[T], **values: Any) -> T:
        self._check(table)
        return table(tenant_id=self.tenant_id, **values)

    async def get(self, table: type[T], row_id: UUID | str) -> T | None:
        try:
            key = UUID(str(row_id))
        except ValueError:
            return None
        return await self.objects(table).where(table._meta.primary_key == key).first()


def unscoped_query_across_all_tenants(table: type[T]) -> type[T]:
    """The escape hatch: returns the bare table. Use only for platform work that spans tenants.

    It also lifts PostgreSQL's row-level security for the rest of the current task, so it belongs
    only in code paths that check access themselves (sign-in, invites, webhooks, recovery).
    """
    bypass_row_security()
    return table
