"""The Prometheus metrics of the API and the workers, and their exposition.

Multiprocess-safe: ``timetabler worker`` runs several worker processes, so it sets
``PROMETHEUS_MULTIPROC_DIR`` before anything imports prometheus_client; each process then writes
its samples to files there, and one exposition process (a Dramatiq fork, see ``worker_http``) adds
them up. The API is one process and uses the ordinary registry unless that variable is set for it
too. Queue depth is read from the broker when scraped, so it is right whichever process answers.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Iterator
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest, multiprocess
from prometheus_client.core import REGISTRY, CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from core.cache import shared_stats

log = logging.getLogger(__name__)

NAMESPACE = "timetabler"
STAGE_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600)
HTTP_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)
CONFIDENCE_BUCKETS = (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95, 0.98, 0.99, 1.0)

DOCUMENTS = Counter(
    "documents_processed",
    "Documents whose job reached an end, by document kind and outcome (completed, review, failed).",
    ["kind", "outcome"],
    namespace=NAMESPACE,
)
STAGE_SECONDS = Histogram(
    "stage_duration_seconds",
    "Time one pipeline stage took in a worker, by stage and result (ok, retry, failed).",
    ["stage", "result"],
    namespace=NAMESPACE,
    buckets=STAGE_BUCKETS,
)
STAGE_EVENTS = Counter(
    "pipeline_events",
    "Stage changes seen by the pipeline_event hook, by stage and status.",
    ["stage", "status"],
    namespace=NAMESPACE,
)
CONFIDENCE = Histogram(
    "document_confidence",
    "Confidence (0..1) of each finished document's kept reading.",
    namespace=NAMESPACE,
    buckets=CONFIDENCE_BUCKETS,
)
ROUTES = Counter(
    "document_routes",
    "Where the first scoring sent each document: accept, secondary_ocr, llm or review.",
    ["route"],
    namespace=NAMESPACE,
)
READING_REUSE = Counter(
    "reading_reuse",
    "Read stages that reused the reading of the same bytes uploaded before by the same school (hit) "
    "or read the document (miss).",
    ["result"],
    namespace=NAMESPACE,
)
HTTP_REQUESTS = Counter(
    "http_requests",
    "API requests by method, route template and status code.",
    ["method", "route", "status"],
    namespace=NAMESPACE,
)
HTTP_SECONDS = Histogram(
    "http_request_duration_seconds",
    "API request latency by method and route template.",
    ["method", "route"],
    namespace=NAMESPACE,
    buckets=HTTP_BUCKETS,
)


def reading_reuse(hit: bool) -> None:
    """Count one read stage: reused an earlier reading of the same content (hit) or not (miss)."""
    READING_REUSE.labels(result="hit" if hit else "miss").inc()


class QueueDepthCollector(Collector):
    """Messages waiting per Dramatiq queue, read from the broker at scrape time.

    Redis: the length of each queue's list, of its delayed list (retries waiting for their backoff)
    and the size of its dead-letter set. In memory: the size of each queue.
    """

    def __init__(self, broker: Any) -> None:
        self.broker = broker

    def collect(self) -> Iterator[Metric]:
        waiting = GaugeMetricFamily(
            f"{NAMESPACE}_queue_depth",
            "Messages waiting in each queue (delayed: retries in backoff).",
            labels=["queue", "state"],
        )
        try:
            for queue, state, count in self._depths():
                waiting.add_metric([queue, state], count)
        except Exception:  # a scrape must not fail because the broker is down; /ready says so
            log.warning("could not read queue depths from the broker", exc_info=True)
        yield waiting

    def _depths(self) -> Iterable[tuple[str, str, float]]:
        queues = sorted(q for q in self.broker.get_declared_queues() if not q.endswith((".DQ", ".XQ")))
        client = getattr(self.broker, "client", None)
        if client is None:  # StubBroker: in-memory queues
            for queue in queues:
                yield queue, "ready", self.broker.queues[queue].qsize()
                delayed = self.broker.queues.get(f"{queue}.DQ")
                yield queue, "delayed", delayed.qsize() if delayed is not None else 0
            return
        namespace = getattr(self.broker, "namespace", "dramatiq")
        with client.pipeline(transaction=False) as pipe:
            for queue in queues:
                pipe.llen(f"{namespace}:{queue}")
                pipe.llen(f"{namespace}:{queue}.DQ")
                pipe.zcard(f"{namespace}:{queue}.XQ")
            counts = pipe.execute()
        for index, queue in enumerate(queues):
            ready, delayed, dead = counts[index * 3 : index * 3 + 3]
            yield queue, "ready", ready
            yield queue, "delayed", delayed
            yield queue, "dead", dead


class CacheCollector(Collector):
    """Hits and misses of the content-hash caches (OCR pages, LLM answers: core/cache), counted
    where each lookup is decided. On Redis these are every process's totals, so every API instance
    shows the same fleet-wide numbers (take ``max`` across instances, not ``sum``); in memory, this
    process's."""

    def __init__(self, settings: Any) -> None:
        self.settings = settings

    def collect(self) -> Iterator[Metric]:
        lookups = CounterMetricFamily(
            f"{NAMESPACE}_cache_lookups",
            "Content-hash cache lookups by cache and result.",
            labels=["cache", "result"],
        )
        ratio = GaugeMetricFamily(
            f"{NAMESPACE}_cache_hit_ratio", "Hits / lookups per cache.", labels=["cache"]
        )
        try:
            for cache, counts in shared_stats(self.settings).items():
                lookups.add_metric([cache, "hit"], counts["hits"])
                lookups.add_metric([cache, "miss"], counts["misses"])
                ratio.add_metric([cache], counts["hitRate"])
        except Exception:
            log.warning("could not read the cache statistics", exc_info=True)
        yield lookups
        yield ratio


def multiprocess_dir() -> str | None:
    return os.environ.get("PROMETHEUS_MULTIPROC_DIR") or None


def exposition_registry(broker: Any | None, settings: Any | None = None) -> CollectorRegistry:
    """What /metrics shows: this process's metrics (or every process's, in multiprocess mode), the
    queue depths of ``broker`` and, given ``settings`` (the API), the caches' hits and misses."""
    registry = CollectorRegistry()
    if multiprocess_dir():
        multiprocess.MultiProcessCollector(registry)
    else:
        registry.register(_Everything())
    if broker is not None:
        registry.register(QueueDepthCollector(broker))
    if settings is not None:
        registry.register(CacheCollector(settings))
    return registry


class _Everything(Collector):
    """The process's default registry, shown inside another registry."""

    def collect(self) -> Iterator[Metric]:
        yield from REGISTRY.collect()


def render(registry: CollectorRegistry) -> bytes:
    return generate_latest(registry)
