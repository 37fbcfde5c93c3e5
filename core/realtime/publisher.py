"""Publish a job's event to its channel from any thread of any process.

Three cases: the app process with in-memory channels (the embedded default, where the worker is a
thread of the app) hands the event to the app's event loop; any other process with Redis set (a
separate ``timetabler worker``, or an app server) publishes to Redis directly, where every app
server's channels listen; with neither, nobody can be listening and the event is dropped.
"""

from __future__ import annotations

import asyncio
import logging
from functools import cache
from typing import TYPE_CHECKING, Any, Protocol

import msgspec

from core.settings import get_settings

if TYPE_CHECKING:
    import redis

log = logging.getLogger(__name__)


class Channels(Protocol):
    """What this needs of the app's channels (core/api/channels.py, Litestar's ChannelsPlugin)."""

    def publish(self, data: bytes, channels: list[str]) -> None: ...


_app: dict[str, Any] = {}  # "loop": the app's event loop; "channels": its in-memory channels


def bind_app(loop: asyncio.AbstractEventLoop, in_memory_channels: Channels | None) -> None:
    _app.update(loop=loop, channels=in_memory_channels)


def unbind_app() -> None:
    _app.clear()


@cache
def _redis(url: str) -> redis.Redis:
    import redis

    return redis.Redis.from_url(url)  # thread-safe: a connection pool behind one client


def channel_name(tenant_id: object, job_id: object) -> str:
    """The one channel of a job's events; built only here, from ids the server checked."""
    return f"tenant:{tenant_id}:job:{job_id}"


def publish(tenant_id: object, job_id: object, message: dict[str, Any]) -> None:
    channel = channel_name(tenant_id, job_id)
    data = msgspec.json.encode(message)
    channels, loop = _app.get("channels"), _app.get("loop")
    if channels is not None and loop is not None:
        try:
            loop.call_soon_threadsafe(channels.publish, data, [channel])
        except RuntimeError:  # the app is shutting down and its loop is closed
            log.debug("event for %s dropped: the app's loop is closed", channel)
        return
    url = get_settings().redis_url
    if url:
        _redis(url).publish(channel, data)
