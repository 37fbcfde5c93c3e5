"""The Dramatiq broker, set before any actor module is imported (actors bind to it when declared).

Redis when ``TIMETABLER_REDIS_URL`` is set; otherwise an in-memory broker that the web process
drains with its own worker threads (the embedded default).
"""

from __future__ import annotations

import dramatiq
from dramatiq.brokers.redis import RedisBroker
from dramatiq.brokers.stub import StubBroker
from dramatiq.middleware import (
    AgeLimit,
    AsyncIO,
    Callbacks,
    CurrentMessage,
    Pipelines,
    Retries,
    ShutdownNotifications,
    TimeLimit,
)

from core.settings import Settings, get_settings


def middleware() -> list[dramatiq.Middleware]:
    return [
        # Message lifetime: drop messages too old to matter, bound each run.
        AgeLimit(),
        TimeLimit(time_limit=15 * 60 * 1000),
        ShutdownNotifications(),
        # Flow: callbacks and pipelines stay available to plugins.
        Callbacks(),
        Pipelines(),
        # Failure: per-actor retry counts and backoff are set on each actor.
        Retries(max_retries=3, min_backoff=1000, max_backoff=4000),
        # Context: the stage wrapper reads the retry count of the message it runs.
        CurrentMessage(),
        # Async actors run on one event loop thread per worker process.
        AsyncIO(),
    ]


def make_broker(settings: Settings) -> dramatiq.Broker:
    if settings.redis_url:
        return RedisBroker(url=settings.redis_url, middleware=middleware())
    return StubBroker(middleware=middleware())


broker = make_broker(get_settings())
dramatiq.set_broker(broker)
