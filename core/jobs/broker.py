"""The Dramatiq broker, set before any actor module is imported (actors bind to it when declared).

Redis when ``TIMETABLER_REDIS_URL`` is set; otherwise an in-memory broker that the web process
drains with its own worker threads (the embedded default).
"""

from __future__ import annotations

import os

import dramatiq
import redis
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

from core.db.tables import Tenant
from core.jobs.reclaim import WORKER_ID_ENV
from core.observability.broker_middleware import Observability
from core.settings import Settings, get_settings


class DatabasePool(dramatiq.Middleware):
    """A PostgreSQL connection pool on the worker's event loop (worker processes only).

    The pool belongs to one event loop, so it is opened on the loop that runs the actors, once the
    AsyncIO middleware has started it, and closed before that loop stops.
    """

    def after_worker_boot(self, broker: dramatiq.Broker, worker: dramatiq.Worker) -> None:
        from dramatiq.asyncio import get_event_loop_thread

        get_event_loop_thread().run_coroutine(Tenant._meta.db.start_connection_pool(min_size=1, max_size=10))

    def before_worker_shutdown(self, broker: dramatiq.Broker, worker: dramatiq.Worker) -> None:
        from dramatiq.asyncio import get_event_loop_thread

        get_event_loop_thread().run_coroutine(Tenant._meta.db.close_connection_pool())


def middleware(settings: Settings) -> list[dramatiq.Middleware]:
    pool = [DatabasePool()] if settings.database_url and settings.redis_url else []
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
        # Traces across the broker, job ids in log lines, stage timings (core/observability).
        Observability(),
        # Async actors run on one event loop thread per worker process.
        AsyncIO(),
        # Separate worker processes keep a database pool on that loop.
        *pool,
        # The scale middleware (fairness, reaper, recycling) is added by the worker's composition
        # roots: core/jobs/scale.py.
    ]


def make_broker(settings: Settings) -> dramatiq.Broker:
    if settings.redis_url:
        client = redis.Redis(connection_pool=redis.ConnectionPool.from_url(settings.redis_url))
        made = RedisBroker(
            client=client,
            middleware=middleware(settings),
            heartbeat_timeout=settings.worker_heartbeat_timeout_ms,
        )
        # The id `timetabler worker` gave this process: when the process dies, its supervisor gives
        # the messages it held back to the queues under that id (core/jobs/reclaim.py).
        made.broker_id = os.environ.get(WORKER_ID_ENV) or made.broker_id
        return made
    return StubBroker(middleware=middleware(settings))


broker = make_broker(get_settings())
dramatiq.set_broker(broker)
