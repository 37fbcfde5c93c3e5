"""The embedded database (SQLite): connections kept open between queries, and the database's
version, which moves whenever anything is written to it, from this process or any other.

Piccolo's SQLite engine opens a connection (and a thread to run it) for every query; a timetable
read made six of them. This engine keeps a few open and reuses them. Queries inside a
transaction still run on the transaction's own connection, as before. The database keeps a
write-ahead log, so a page of the app is read while the worker writes a job's steps.
"""

from __future__ import annotations

import sqlite3
import threading
from typing import Any

import aiosqlite
from piccolo.engine.sqlite import SQLiteEngine, dict_factory

MAX_IDLE = 8  # idle connections kept; more are opened when needed and closed after their query
RETURNING = sqlite3.sqlite_version_info >= (3, 35)  # older SQLite: inserts go Piccolo's own way


class PooledSQLiteEngine(SQLiteEngine):
    """Piccolo's SQLiteEngine, reusing its connections (shared by the web app's event loop and the
    in-process worker's: aiosqlite answers on whichever loop asked)."""

    def __init__(self, path: str, **connection_kwargs: Any) -> None:
        super().__init__(path=path, **connection_kwargs)
        self._idle: list[aiosqlite.Connection] = []
        self._lock = threading.Lock()
        self._watch: sqlite3.Connection | None = None  # asks for the version, never writes
        self._watches = 0  # which watching connection: versions of two connections do not compare
        self._wal = False

    async def _open(self) -> aiosqlite.Connection:
        connection = aiosqlite.connect(**self.connection_kwargs)
        connection._thread.daemon = True  # an idle connection must not hold the process open at exit
        await connection
        connection.row_factory = dict_factory  # type: ignore[assignment]
        await connection.execute("PRAGMA foreign_keys = 1")
        if not self._wal:
            # Write-ahead logging (kept in the file once set): readers are not blocked by the worker's
            # writes, and a commit syncs the log once instead of the database and its journal.
            await connection.execute("PRAGMA journal_mode = WAL")
            self._wal = True
        # With the log, NORMAL is safe from corruption; a power cut may lose the last commits only.
        await connection.execute("PRAGMA synchronous = NORMAL")
        return connection

    async def get_connection(self) -> aiosqlite.Connection:
        """A transaction's own connection, set up as the pool's are."""
        return await self._open()

    async def _take(self) -> aiosqlite.Connection:
        with self._lock:
            if self._idle:
                return self._idle.pop()
        return await self._open()

    def _give_back(self, connection: aiosqlite.Connection) -> None:
        with self._lock:
            if len(self._idle) < MAX_IDLE:
                self._idle.append(connection)
                return
        connection.stop()

    async def _run_in_new_connection(
        self, query: str, args: list[Any] | None = None, query_type: str = "generic", table: Any = None
    ) -> Any:
        if query_type == "insert" and not RETURNING:
            return await super()._run_in_new_connection(query, args, query_type, table)
        connection = await self._take()
        try:
            async with connection.execute(query, args or []) as cursor:
                await connection.commit()
                rows = await cursor.fetchall()
        except BaseException:
            connection.stop()  # a failed or cancelled statement may leave it mid-transaction
            raise
        self._give_back(connection)
        return rows

    async def version(self) -> tuple[int, int]:
        """Changes whenever a change is committed to the database by anyone (SQLite's
        ``data_version``, read on a connection that never writes). Asked on the calling thread, not
        through aiosqlite's: with the write-ahead log it reads a counter in shared memory (microseconds),
        where a hop to another thread and back costs a wake-up on a busy machine."""
        with self._lock:
            if self._watch is None:
                self._watch = sqlite3.connect(self.connection_kwargs["database"], check_same_thread=False)
                self._watches += 1
            try:
                return self._watches, self._watch.execute("PRAGMA data_version").fetchone()[0]
            except sqlite3.Error:
                self._watch.close()
                self._watch = None
                raise
