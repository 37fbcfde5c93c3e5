"""The channels plugin: in memory in the embedded default, Redis pub/sub when Redis is configured.

Channel names are only ever built on the server (core/realtime/publisher.py `channel_name`), from
the tenant and job ids the server checked; a client never names a channel.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable

from litestar.channels import ChannelsPlugin, Subscriber
from litestar.channels.backends.base import ChannelsBackend
from litestar.channels.backends.memory import MemoryChannelsBackend

from core.realtime import publisher
from core.settings import Settings

# A slow client may fall this far behind before its oldest events are dropped (progress is
# idempotent: the latest status is what matters).
MAX_BACKLOG = 200


class TimetablerChannels(ChannelsPlugin):
    """ChannelsPlugin that lets in-process worker threads publish into it and forgets empty channels."""

    def __init__(self, backend: ChannelsBackend, *, in_memory: bool) -> None:
        super().__init__(
            backend,
            arbitrary_channels_allowed=True,
            subscriber_max_backlog=MAX_BACKLOG,
            subscriber_backlog_strategy="dropleft",
        )
        self.in_memory = in_memory

    async def _on_startup(self) -> None:
        await super()._on_startup()
        # Worker threads of this process publish through this loop (asyncio queues are not thread-safe).
        publisher.bind_app(asyncio.get_running_loop(), self if self.in_memory else None)

    async def _on_shutdown(self) -> None:
        publisher.unbind_app()
        await super()._on_shutdown()

    async def unsubscribe(self, subscriber: Subscriber, channels: str | Iterable[str] | None = None) -> None:
        names = [channels] if isinstance(channels, str) else list(channels or [])
        await super().unsubscribe(subscriber, names or None)
        for name in names:  # one channel per job: drop it once nobody listens, or the map only grows
            if not self._channels.get(name):
                self._channels.pop(name, None)


def make_channels(settings: Settings) -> TimetablerChannels:
    if settings.redis_url:
        from litestar.channels.backends.redis import RedisChannelsPubSubBackend
        from redis.asyncio import Redis

        backend = RedisChannelsPubSubBackend(redis=Redis.from_url(settings.redis_url))
        return TimetablerChannels(backend, in_memory=False)
    return TimetablerChannels(MemoryChannelsBackend(), in_memory=True)
