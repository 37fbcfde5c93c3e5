"""Messages a dead worker process held go back to their queues at once, not minutes later.

Dramatiq's Redis broker keeps, per worker process, a set of the messages it fetched and has not
acknowledged (``dramatiq:__acks__.<worker id>.<queue>``). When a process dies, those messages are
moved back only by the broker's "maintenance", which runs on one command in a thousand and only
for workers silent longer than the heartbeat timeout: several minutes on an idle system, while the
job's row waits for the reaper (``job_stall_seconds``, 20 minutes by default).

`timetabler worker` knows when a process it started has died, and gives each one its worker id
(``TIMETABLER_WORKER_ID``, set as the broker's id in core/jobs/broker.py): it gives that process's
messages back the moment it sees it gone, and at start-up does the same for every worker whose
heartbeat has stopped (a machine that vanished with its supervisor). Stages are idempotent, so a
message given back and run again saves nothing twice.
"""

from __future__ import annotations

import logging
import time
import uuid
from typing import Any

log = logging.getLogger(__name__)

WORKER_ID_ENV = "TIMETABLER_WORKER_ID"
NAMESPACE = "dramatiq"  # the RedisBroker's default, which core/jobs/broker.py keeps

# As the broker's own maintenance does it (dramatiq/brokers/redis/dispatch.lua), for one ack set:
# each message still stored is pushed back on its queue, then the set is dropped.
_GIVE_BACK = """
local acks, queue = KEYS[1], KEYS[2]
local ids = redis.call("smembers", acks)
local moved = 0
for _, id in ipairs(ids) do
    if redis.call("hexists", queue .. ".msgs", id) > 0 then
        redis.call("rpush", queue, id)
        moved = moved + 1
    end
end
redis.call("del", acks)
return moved
"""


def new_worker_id() -> str:
    return str(uuid.uuid4())


def give_back(client: Any, worker_id: str, namespace: str = NAMESPACE) -> int:
    """Put the unacknowledged messages of a dead worker process back on their queues; how many."""
    prefix = f"{namespace}:__acks__.{worker_id}."
    script = client.register_script(_GIVE_BACK)
    moved = 0
    for key in client.scan_iter(match=f"{prefix}*", count=500):
        name = key.decode() if isinstance(key, bytes) else key
        moved += int(script(keys=[name, f"{namespace}:{name[len(prefix) :]}"]))
    client.zrem(f"{namespace}:__heartbeats__", worker_id)
    return moved


def give_back_silent(client: Any, heartbeat_timeout_ms: int, namespace: str = NAMESPACE) -> int:
    """Give back the messages of every worker whose heartbeat stopped over heartbeat_timeout_ms ago."""
    cutoff = int(time.time() * 1000) - heartbeat_timeout_ms
    dead = client.zrangebyscore(f"{namespace}:__heartbeats__", 0, cutoff)
    return sum(give_back(client, w.decode() if isinstance(w, bytes) else w, namespace) for w in dead)


class Reclaimer:
    """The supervisor's side: a Redis client made once, failures logged and never raised (a worker
    is restarted whether or not its messages could be given back; the reaper is the last resort)."""

    def __init__(self, redis_url: str | None) -> None:
        self._client: Any = None
        if redis_url:
            import redis

            self._client = redis.Redis.from_url(redis_url)

    def dead_worker(self, worker_id: str) -> None:
        if self._client is None:
            return
        try:
            moved = give_back(self._client, worker_id)
        except Exception:
            log.warning("could not give back the messages of worker %s", worker_id, exc_info=True)
            return
        if moved:
            log.warning("gave %d unfinished messages of the stopped worker back to their queues", moved)

    def silent_workers(self, heartbeat_timeout_ms: int) -> None:
        if self._client is None:
            return
        try:
            moved = give_back_silent(self._client, heartbeat_timeout_ms)
        except Exception:
            log.warning("could not give back the messages of silent workers", exc_info=True)
            return
        if moved:
            log.warning("gave %d unfinished messages of silent workers back to their queues", moved)
