"""Answers kept until the database changes.

Each answer remembers the database's version when it was read (``database_version``) and is
served only while the version is still that one: any write, by this process or another (a worker,
the console, a command line), makes every kept answer stale at once. So signing out, a new
password, a changed role or an edited lesson is seen by the very next request. Only the embedded
database can say its version cheaply; on PostgreSQL nothing is kept and every read asks the
database.
"""

from __future__ import annotations

import collections
import threading
from collections.abc import Hashable
from typing import Generic, TypeVar

from core.db.sqlite import PooledSQLiteEngine
from core.db.tables import Tenant

V = TypeVar("V")


async def database_version() -> object | None:
    """The database's version now, or None where it cannot be known cheaply (PostgreSQL)."""
    engine = Tenant._meta.db
    return await engine.version() if isinstance(engine, PooledSQLiteEngine) else None


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
