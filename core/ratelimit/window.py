"""A sliding-window counter: this window's count plus the last window's, weighted by how much of it
still overlaps the last minute. Two integers per key, no per-request log, close to a true window.

Redis holds the counts when it is set, so every app process sees the same numbers (a Lua script
checks and counts in one step); without Redis, a dict in this process.
"""

from __future__ import annotations

import asyncio
import math
import time
from typing import Protocol

PREFIX = "timetabler:ratelimit:"

# KEYS: this window, last window. ARGV: weight of the last window, limit, expiry seconds.
_CHECK_AND_COUNT = """
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
local previous = tonumber(redis.call('GET', KEYS[2]) or '0')
if current + previous * tonumber(ARGV[1]) >= tonumber(ARGV[2]) then
  return {0, current, previous}
end
redis.call('INCR', KEYS[1])
redis.call('EXPIRE', KEYS[1], ARGV[3])
return {1, current + 1, previous}
"""


class Verdict:
    __slots__ = ("allowed", "retry_after")

    def __init__(self, allowed: bool, retry_after: int = 0) -> None:
        self.allowed, self.retry_after = allowed, retry_after


def _retry_after(current: int, previous: int, limit: int, elapsed: float, window: int) -> int:
    """Seconds until current + previous * (1 - t / window) drops below the limit."""
    if current >= limit or previous <= 0:
        return max(1, math.ceil(window - elapsed))  # only the next window helps
    # previous * (1 - (elapsed + t) / window) < limit - current
    wait = window * (1 - (limit - current) / previous) - elapsed
    return max(1, math.ceil(wait))


class Limiter(Protocol):
    async def hit(self, key: str, limit: int, window: int = 60) -> Verdict: ...


class LocalLimiter:
    """One process's counts (the embedded default): per key, the counts of its last two windows."""

    def __init__(self) -> None:
        self._counts: dict[str, dict[int, int]] = {}
        self._lock = asyncio.Lock()

    async def hit(self, key: str, limit: int, window: int = 60) -> Verdict:
        number, elapsed = divmod(time.time(), window)
        this = int(number)
        async with self._lock:
            counts = self._counts.setdefault(key, {})
            for old in [n for n in counts if n < this - 1]:
                del counts[old]
            current, previous = counts.get(this, 0), counts.get(this - 1, 0)
            if current + previous * (1 - elapsed / window) >= limit:
                return Verdict(False, _retry_after(current, previous, limit, elapsed, window))
            counts[this] = current + 1
            if len(self._counts) > 100_000:  # forget keys idle for two windows, so the dict stays small
                self._counts = {k: v for k, v in self._counts.items() if max(v, default=0) >= this - 1}
            return Verdict(True)

    def forget(self, ids: list[str]) -> int:
        """Drop the counts whose key names any of ``ids`` (an erased school or person)."""
        gone = [key for key in self._counts if any(i in key for i in ids)]
        for key in gone:
            self._counts.pop(key, None)
        return len(gone)


class RedisLimiter:
    """Counts shared by every app process through one Redis."""

    def __init__(self, url: str) -> None:
        import redis.asyncio as redis

        self.client = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
        self.script = self.client.register_script(_CHECK_AND_COUNT)

    async def hit(self, key: str, limit: int, window: int = 60) -> Verdict:
        number, elapsed = divmod(time.time(), window)
        keys = [f"{PREFIX}{key}:{int(number)}", f"{PREFIX}{key}:{int(number) - 1}"]
        weight = 1 - elapsed / window
        allowed, current, previous = await self.script(keys=keys, args=[weight, limit, window * 2])
        if allowed:
            return Verdict(True)
        return Verdict(False, _retry_after(int(current), int(previous), limit, elapsed, window))
