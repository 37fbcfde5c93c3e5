"""Per-school fairness: at most N stages of one school run at once in each queue group.

One school's 500 uploads must not fill every worker thread while another school's five wait behind
them. Before a stage runs, the worker takes a slot for (school, queue); when the school already
holds all its slots, the message is queued again a little later instead of holding a worker thread,
and the thread moves on to the next message, which is often another school's.

Slots live in Redis when the broker is Redis (shared by every worker machine) and in the process
otherwise (the embedded default). A Redis slot is a lease with an expiry, so a worker killed while
holding one cannot block its school for longer than the lease.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any, Protocol

import dramatiq
from dramatiq.middleware import SkipMessage

log = logging.getLogger(__name__)

# A slot outlives a stage only when its worker died; the stage's own time limit is shorter.
LEASE_SECONDS = 20 * 60


class Slots(Protocol):
    def acquire(self, key: str, holder: str, limit: int) -> bool: ...
    def release(self, key: str, holder: str) -> None: ...


class LocalSlots:
    """Slots for the in-process worker: a counter per key under one lock."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._held: dict[str, set[str]] = {}

    def acquire(self, key: str, holder: str, limit: int) -> bool:
        with self._lock:
            holders = self._held.setdefault(key, set())
            if holder in holders or len(holders) < limit:
                holders.add(holder)
                return True
            return False

    def release(self, key: str, holder: str) -> None:
        with self._lock:
            self._held.get(key, set()).discard(holder)


# Expired leases are dropped, then a slot is taken only if fewer than the limit remain; atomic in Redis.
_ACQUIRE = """
redis.call('zremrangebyscore', KEYS[1], '-inf', ARGV[1])
if redis.call('zscore', KEYS[1], ARGV[3]) then return 1 end
if redis.call('zcard', KEYS[1]) < tonumber(ARGV[4]) then
  redis.call('zadd', KEYS[1], ARGV[2], ARGV[3])
  redis.call('expire', KEYS[1], ARGV[5])
  return 1
end
return 0
"""


class RedisSlots:
    """Slots shared by every worker: a sorted set of holders scored by when their lease ends."""

    def __init__(self, client: Any, namespace: str = "timetabler:slots") -> None:
        self._client = client
        self._namespace = namespace
        self._acquire = client.register_script(_ACQUIRE)

    def acquire(self, key: str, holder: str, limit: int) -> bool:
        now = time.time()
        args = [now, now + LEASE_SECONDS, holder, limit, LEASE_SECONDS]
        return bool(self._acquire(keys=[f"{self._namespace}:{key}"], args=args))

    def release(self, key: str, holder: str) -> None:
        self._client.zrem(f"{self._namespace}:{key}", holder)

    def held(self, key: str) -> int:
        return int(self._client.zcard(f"{self._namespace}:{key}"))


def slot_key(message: dramatiq.Message) -> str | None:
    """(school, queue group) of a stage message; None for messages that carry no school."""
    if not message.actor_name.startswith("stage_") or len(message.args) < 2:
        return None
    queue = message.queue_name.removesuffix(".DQ")
    return f"{message.args[1]}:{queue}"


class TenantFairness(dramatiq.Middleware):
    """Takes a school's slot before a stage runs and gives it back after, whatever the outcome."""

    def __init__(self, slots: Slots, limit: int, requeue_delay_ms: int) -> None:
        self.slots = slots
        self.limit = limit
        self.requeue_delay_ms = requeue_delay_ms
        self.requeued = 0  # for tests and the bench: how often a school was over its share

    def before_process_message(self, broker: dramatiq.Broker, message: dramatiq.Message) -> None:
        key = slot_key(message)
        if key is None or self.limit <= 0:
            return
        try:
            if self.slots.acquire(key, message.message_id, self.limit):
                return
        except Exception:  # fairness must never stop work: without Redis, run the stage
            log.warning("could not take a fairness slot for %s; running without one", key, exc_info=True)
            return
        # Over the school's share: the same message goes back with a short delay (nothing lost;
        # the copy is queued before this one is acknowledged), and this thread takes the next.
        broker.enqueue(message.copy(), delay=self.requeue_delay_ms)
        self.requeued += 1
        raise SkipMessage(f"school {key} is at its limit of {self.limit} running stages")

    def after_process_message(
        self,
        broker: dramatiq.Broker,
        message: dramatiq.Message,
        *,
        result: Any = None,
        exception: BaseException | None = None,
    ) -> None:
        key = slot_key(message)
        if key is None or self.limit <= 0:
            return
        try:
            self.slots.release(key, message.message_id)
        except Exception:  # the lease expires on its own
            log.warning("could not give back the fairness slot of %s", key, exc_info=True)


def make_fairness(settings: Any, redis_client: Any | None) -> TenantFairness:
    slots: Slots = RedisSlots(redis_client) if redis_client is not None else LocalSlots()
    return TenantFairness(slots, settings.tenant_concurrency, settings.tenant_requeue_delay_ms)
