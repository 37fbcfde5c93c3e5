"""This process's limiters: one per Redis URL (its connection pool reused by every request), or one in
memory; erasure forgets the in-memory counts that name a person."""

from __future__ import annotations

from core.ratelimit.window import Limiter, LocalLimiter, RedisLimiter
from core.settings import Settings

_limiters: dict[str, Limiter] = {}


def forget_in_process(ids: list[str]) -> int:
    """Erasure: this process's own counts naming ``ids`` (Redis keys are swept by the eraser)."""
    return sum(limiter.forget(ids) for limiter in _limiters.values() if isinstance(limiter, LocalLimiter))


def limiter_for(settings: Settings) -> Limiter:
    """One limiter per process and Redis URL (its connection pool is reused by every request)."""
    ident = settings.redis_url or "local"
    if ident not in _limiters:
        _limiters[ident] = RedisLimiter(settings.redis_url) if settings.redis_url else LocalLimiter()
    return _limiters[ident]
