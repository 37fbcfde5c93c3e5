"""The worker's scale middleware, added by the composition roots (core/worker.py, and core/app.py
for its in-process worker) to the broker core/jobs/broker.py made.

A school over its share of running stages waits (fairness.py); stalled jobs are sent again or
failed (reaper.py); big or old worker processes are replaced (recycle.py). They sit here rather
than in broker.py because the reaper sends stages and reads jobs: the broker must not import it.
"""

from __future__ import annotations

import dramatiq
from dramatiq.brokers.redis import RedisBroker

from core.jobs.fairness import TenantFairness, make_fairness
from core.jobs.reaper import PeriodicReaper
from core.jobs.recycle import Recycle
from core.settings import Settings


def add_scale_middleware(broker: dramatiq.Broker, settings: Settings) -> None:
    if any(isinstance(m, TenantFairness) for m in broker.middleware):
        return  # once per process, however many apps a process makes
    client = broker.client if isinstance(broker, RedisBroker) else None
    broker.add_middleware(make_fairness(settings, client))
    broker.add_middleware(PeriodicReaper(settings, client))
    if client is not None:  # only `timetabler worker` processes have a supervisor to start a fresh one
        broker.add_middleware(Recycle(settings.worker_max_tasks, settings.worker_max_rss_mb))
