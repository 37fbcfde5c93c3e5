"""Readiness: can this process do its work now? The database answers, Redis (when configured)
answers, and storage is reachable (the S3 bucket, or the data folder is writable)."""

from __future__ import annotations

import asyncio
import os
import tempfile
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from core.db.tables import Tenant
from core.runtime import Runtime
from core.settings import Settings

CHECK_TIMEOUT_SECONDS = 3.0


async def check_database() -> None:
    await Tenant._meta.db.run_querystring(_select_one())


def _select_one() -> Any:
    from piccolo.querystring import QueryString

    return QueryString("SELECT 1")


def _check_redis(url: str) -> None:
    import redis

    client = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
    try:
        client.ping()
    finally:
        client.close()


def _check_storage(runtime: Runtime, settings: Settings) -> None:
    storage = runtime.storage
    bucket, client = getattr(storage, "bucket", None), getattr(storage, "client", None)
    if bucket and client is not None:
        client.head_bucket(Bucket=bucket)
        return
    root = getattr(storage, "root", None) or settings.data_dir
    os.makedirs(root, exist_ok=True)
    # Really write: a read-only mount or a full disk fails here, not on the next upload.
    with tempfile.NamedTemporaryFile(dir=root, prefix=f".ready-{uuid.uuid4().hex}", delete=True) as tmp:
        tmp.write(b"ok")
        tmp.flush()


async def run_checks(runtime: Runtime, settings: Settings) -> dict[str, str]:
    """Each part's state: "ok", or what went wrong."""
    checks: dict[str, Callable[[], Awaitable[Any]]] = {"database": check_database}
    if settings.redis_url:
        url = settings.redis_url
        checks["redis"] = lambda: asyncio.to_thread(_check_redis, url)
    checks["storage"] = lambda: asyncio.to_thread(_check_storage, runtime, settings)

    async def one(check: Callable[[], Awaitable[Any]]) -> str:
        try:
            await asyncio.wait_for(check(), timeout=CHECK_TIMEOUT_SECONDS)
        except TimeoutError:
            return f"no answer within {CHECK_TIMEOUT_SECONDS:.0f} s"
        except Exception as exc:
            return f"{type(exc).__name__}: {str(exc)[:200]}"
        return "ok"

    names = list(checks)
    results = await asyncio.gather(*(one(checks[name]) for name in names))
    return dict(zip(names, results, strict=True))
