"""On Redis, every app process counts against the same limit (two limiters stand for two processes)."""

from __future__ import annotations

import asyncio
import uuid

from core.ratelimit.window import LocalLimiter, RedisLimiter
from tests.ratelimit import away_from_window_edge


def test_two_app_processes_share_one_count(redis_srv) -> None:
    async def run() -> list[tuple[bool, int]]:
        first, second = RedisLimiter(redis_srv.url), RedisLimiter(redis_srv.url)
        key = f"user:{uuid.uuid4()}"
        verdicts = [await first.hit(key, 3), await second.hit(key, 3), await first.hit(key, 3)]
        verdicts.append(await second.hit(key, 3))
        verdicts.append(await first.hit(f"user:{uuid.uuid4()}", 3))  # someone else is not affected
        return [(v.allowed, v.retry_after) for v in verdicts]

    away_from_window_edge(5)
    verdicts = asyncio.run(run())
    assert [allowed for allowed, _ in verdicts] == [True, True, True, False, True]
    assert 1 <= verdicts[3][1] <= 60


def test_without_redis_the_process_counts_alone() -> None:
    async def run() -> list[bool]:
        limiter = LocalLimiter()
        return [(await limiter.hit("ip:192.0.2.1", 2)).allowed for _ in range(3)]

    away_from_window_edge(5)
    assert asyncio.run(run()) == [True, True, False]
