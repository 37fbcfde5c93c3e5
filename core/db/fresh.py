"""Answers kept until the database changes.

Each answer remembers the database's version when it was read (``database_version``) and is
served only while the version is still that one: any write, by this process or another (a worker,
the console, a command line, another web server), makes every kept answer stale at once. So
signing out, a new password, a changed role or an edited lesson is seen by the very next request.

The version: SQLite's ``data_version`` (a counter in shared memory, moved by every commit); on
PostgreSQL the current snapshot (``pg_current_snapshot()``: which transactions' writes are
visible), which moves when any transaction that writes starts or ends, in any process. An answer
is kept at the version read before reading it, so a write that lands while it is read makes it
stale at once instead of kept. A version is one round trip, where a timetable read was six.
"""

from __future__ import annotations

import collections
import threading
from collections.abc import Hashable
from contextvars import ContextVar
from typing import Generic, TypeVar

from core.db.row_security import TenantAwarePostgresEngine
from core.db.sqlite import PooledSQLiteEngine
from core.db.tables import Tenant

V = TypeVar("V")


_UNREAD = object()
# The version a request began at, read by its first cached read and shared by the next ones (who
# the token names, then the timetable): one look at the database per request, not one per cache.
# Off (None) outside an HTTP request: a socket lives long, its checks read the version each time.
_request: ContextVar[list[object] | None] = ContextVar("fresh_request_version", default=None)


async def database_version() -> object | None:
    """The database's version now, or None where it cannot be known (nothing is then kept)."""
    engine = Tenant._meta.db
    if isinstance(engine, PooledSQLiteEngine):
        return await engine.version()
    if isinstance(engine, TenantAwarePostgresEngine) and engine.pool is not None:
        return await engine.snapshot()
    return None


def begin_request() -> None:
    """An HTTP request starts: its cached reads share one version (``request_version``)."""
    _request.set([_UNREAD])


async def request_version() -> object | None:
    """The version when this request's first cached read began. Earlier than now is safe for a
    read (an answer kept at it is stale the moment anything changes), so long as the request
    wrote nothing before: only reads that come first in a request use it (a GET's)."""
    memo = _request.get()
    if memo is None:
        return await database_version()
    if memo[0] is _UNREAD:
        memo[0] = await database_version()
    return memo[0]


class FreshCache(Generic[V]):
    """At most ``max_entries`` answers, each valid only at the database version it was read at."""

    def __init__(self, max_entries: int) -> None:
        self.max_entries = max_entries
        self._items: collections.OrderedDict[Hashable, tuple[object, V]] = collections.OrderedDict()
        self._lock = threading.Lock()  # the web app's loop and the in-process worker's threads

    def get(self, key: Hashable, version: object | None) -> V | None:
        if version is None:
            return None
        with self._lock:
            item = self._items.get(key)
            if item is None or item[0] != version:
                return None
            self._items.move_to_end(key)
            return item[1]

    def put(self, key: Hashable, version: object | None, value: V) -> None:
        """Keep ``value`` read at ``version`` (taken before the reading began)."""
        if version is None:
            return
        with self._lock:
            self._items[key] = (version, value)
            self._items.move_to_end(key)
            while len(self._items) > self.max_entries:
                self._items.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
