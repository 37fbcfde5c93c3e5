"""Removing what Redis holds of erased data: keys named by its ids (rate limits, caches, leases)
and queued Dramatiq messages that carry its ids.

The Redis broker keeps each message in a ``<namespace>:<queue>.msgs`` hash (id -> message) and its
id in the queue's list (``.DQ`` for delayed, ``.XQ`` for dead letters). Messages carry ids only, so
a message of an erased school or person is found by the ids in its arguments. The in-memory broker
of the embedded default needs nothing: a stage whose job is gone drops its message. A stage already
running when the data goes sends no retry and no next stage (core/jobs/actors.py), so the sweep is
not undone a moment later by a worker that was busy with the school.
"""

from __future__ import annotations

import logging

from core.settings import Settings

log = logging.getLogger(__name__)
NAMESPACE = "dramatiq"


def drop_queued_messages(settings: Settings, ids: list[str]) -> int:
    if not settings.redis_url or not ids:
        return 0
    import redis

    client = redis.Redis.from_url(settings.redis_url)
    needles = [i.encode() for i in ids]
    dropped = 0
    for needle in ids:  # ids are uuids: nothing to escape in a SCAN pattern
        for key in client.scan_iter(match=f"*{needle}*", count=500):
            dropped += client.delete(key)
    for key in client.scan_iter(match=f"{NAMESPACE}:*.msgs", count=500):
        queue_key = key[: -len(b".msgs")]
        for message_id, body in client.hscan_iter(key, count=500):
            if not any(needle in body for needle in needles):
                continue
            client.hdel(key, message_id)
            kind = client.type(queue_key)
            if kind == b"list":
                client.lrem(queue_key, 0, message_id)
            elif kind == b"zset":
                client.zrem(queue_key, message_id)
            dropped += 1
    # Messages a worker holds (acknowledgement sets) end on their own: their job is gone.
    client.close()
    if dropped:
        log.info("dropped %d queued messages of erased data", dropped)
    return dropped
