"""Periodic maintenance inside the app: the retention purge, deleted timetables past their undo
(and re-encrypting credentials under the newest key), every
``TIMETABLER_MAINTENANCE_INTERVAL_SECONDS`` (default hourly).

Every app server runs the loop, but one run happens per interval across all of them: with Redis a
``SET NX`` lock that expires after the interval decides who runs; without Redis there is one app
process, and an in-process lock keeps runs from overlapping.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets

from core.db.row_security import bypass_row_security
from core.privacy.retention import purge_expired_documents
from core.runtime import Runtime
from core.schools.credentials import rotate_all
from core.timetables.service import purge_deleted

log = logging.getLogger(__name__)
LOCK_KEY = "timetabler:maintenance:lock"
_local_lock = asyncio.Lock()


async def _acquire(runtime: Runtime, interval: float) -> bool:
    url = runtime.settings.redis_url
    if not url:
        return not _local_lock.locked()
    from redis.asyncio import Redis

    client = Redis.from_url(url)
    try:
        ttl_ms = max(int(interval * 1000), 1000)
        return bool(await client.set(LOCK_KEY, secrets.token_hex(8), nx=True, px=ttl_ms))
    finally:
        await client.aclose()


async def run_once(runtime: Runtime) -> int:
    async with _local_lock:
        bypass_row_security()  # platform work: every school in turn
        removed = await purge_expired_documents(runtime.storage)
        await purge_deleted()  # timetables deleted more than 30 days ago: past their undo
        await rotate_all(runtime.settings)
        return removed


async def maintenance_loop(runtime: Runtime) -> None:
    interval = runtime.settings.maintenance_interval_seconds
    while True:
        await asyncio.sleep(interval)
        try:
            if await _acquire(runtime, interval):
                removed = await run_once(runtime)
                log.debug("maintenance: retention purge removed %d documents", removed)
        except Exception:  # a failed run must not end the loop; the next one tries again
            log.exception("maintenance run failed")


def start(runtime: Runtime) -> asyncio.Task[None] | None:
    if runtime.settings.maintenance_interval_seconds <= 0:
        return None
    return asyncio.get_running_loop().create_task(maintenance_loop(runtime), name="maintenance")


async def stop(task: asyncio.Task[None] | None) -> None:
    if task is not None:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
