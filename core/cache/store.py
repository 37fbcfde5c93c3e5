"""Where cached results live: Redis when TIMETABLER_REDIS_URL is set, else an in-process LRU.

A cache is never worth a failed job: every Redis error is logged and read as a miss.
"""

from __future__ import annotations

import collections
import logging
import threading
import time
from typing import Protocol

from core.settings import Settings, get_settings

log = logging.getLogger(__name__)
PREFIX = "timetabler:cache:"
STATS_KEY = PREFIX + "stats"  # a Redis hash: "{kind}:hits" / "{kind}:misses" across all processes

_counts: collections.Counter[str] = collections.Counter()
_counts_lock = threading.Lock()


class Store(Protocol):
    def get(self, key: str) -> bytes | None: ...

    def set(self, key: str, value: bytes, ttl_seconds: int) -> None: ...

    def count(self, field: str) -> None: ...

    def totals(self) -> dict[str, int]: ...


class LocalStore:
    """A bounded least-recently-used map with expiry, for one process (the embedded default)."""

    def __init__(self, max_entries: int) -> None:
        self.max_entries = max_entries
        self._items: collections.OrderedDict[str, tuple[float, bytes]] = collections.OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> bytes | None:
        with self._lock:
            item = self._items.get(key)
            if item is None:
                return None
            if item[0] < time.monotonic():
                del self._items[key]
                return None
            self._items.move_to_end(key)
            return item[1]

    def set(self, key: str, value: bytes, ttl_seconds: int) -> None:
        with self._lock:
            self._items[key] = (time.monotonic() + ttl_seconds, value)
            self._items.move_to_end(key)
            while len(self._items) > self.max_entries:
                self._items.popitem(last=False)

    def forget(self, ids: list[str]) -> int:
        """Drop the entries whose key names any of ``ids`` (an erased school or person)."""
        with self._lock:
            gone = [key for key in self._items if any(i in key for i in ids)]
            for key in gone:
                del self._items[key]
        return len(gone)

    def count(self, field: str) -> None:
        pass  # one process: its own counters are the totals

    def totals(self) -> dict[str, int]:
        return stats_fields()


class RedisStore:
    def __init__(self, url: str) -> None:
        import redis

        self.client = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)

    def get(self, key: str) -> bytes | None:
        try:
            value = self.client.get(PREFIX + key)
        except Exception:
            log.warning("cache read failed; computing instead", exc_info=True)
            return None
        return value if isinstance(value, bytes) else None

    def set(self, key: str, value: bytes, ttl_seconds: int) -> None:
        try:
            self.client.set(PREFIX + key, value, ex=max(1, ttl_seconds))
        except Exception:
            log.warning("cache write failed; the result is kept only by its job", exc_info=True)

    def count(self, field: str) -> None:
        try:
            self.client.hincrby(STATS_KEY, field, 1)
        except Exception:
            log.debug("cache counter not updated", exc_info=True)

    def totals(self) -> dict[str, int]:
        raw = self.client.hgetall(STATS_KEY)
        return {k.decode(): int(v) for k, v in raw.items()}


_store: tuple[str, Store] | None = None
_store_lock = threading.Lock()


def get_store(settings: Settings | None = None) -> Store:
    """The process's store, made once per Redis URL (or once in-process)."""
    global _store
    settings = settings or get_settings()
    ident = settings.redis_url or "local"
    with _store_lock:
        if _store is None or _store[0] != ident:
            store: Store = (
                RedisStore(settings.redis_url)
                if settings.redis_url
                else LocalStore(settings.cache_local_entries)
            )
            _store = (ident, store)
        return _store[1]


def forget_in_process(ids: list[str]) -> int:
    """Erasure: this process's own cache entries naming ``ids`` (Redis keys are swept by the eraser)."""
    store = _store[1] if _store is not None else None
    return store.forget(ids) if isinstance(store, LocalStore) else 0


def reset_store() -> None:
    """Forget the store and this process's counters (tests, and settings that changed)."""
    global _store
    with _store_lock:
        _store = None
    with _counts_lock:
        _counts.clear()


def record(kind: str, hit: bool, store: Store) -> None:
    field = f"{kind}:{'hits' if hit else 'misses'}"
    with _counts_lock:
        _counts[field] += 1
    store.count(field)


def stats_fields() -> dict[str, int]:
    with _counts_lock:
        return dict(_counts)


def _shape(fields: dict[str, int]) -> dict[str, dict[str, float]]:
    out: dict[str, dict[str, float]] = {}
    for kind in ("ocr", "llm"):
        hits, misses = fields.get(f"{kind}:hits", 0), fields.get(f"{kind}:misses", 0)
        total = hits + misses
        out[kind] = {"hits": hits, "misses": misses, "hitRate": hits / total if total else 0.0}
    return out


def stats() -> dict[str, dict[str, float]]:
    """This process's counts: ``{"ocr": {"hits", "misses", "hitRate"}, "llm": {...}}``."""
    return _shape(stats_fields())


def shared_stats(settings: Settings | None = None) -> dict[str, dict[str, float]]:
    """Every process's counts added up (from Redis; in-process this equals ``stats()``)."""
    return _shape(get_store(settings).totals())
