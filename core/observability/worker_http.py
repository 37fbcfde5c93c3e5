"""The workers' /metrics: ``timetabler worker`` serves every worker process's samples on
``TIMETABLER_WORKER_METRICS_PORT`` (default 9191 in the deployment files; 0 turns it off).

Why one port per ``timetabler worker`` and not one per process: the worker processes come and go
(recycled, replaced after a crash), so they write their samples to files in
``PROMETHEUS_MULTIPROC_DIR`` (prometheus_client's multiprocess mode) and the long-lived supervisor
adds them up when scraped. Prometheus then scrapes one address per machine or pod. The same access
rule as the API's /metrics applies: loopback, or the bearer token of TIMETABLER_METRICS_TOKEN.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import tempfile
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from core.observability.access import REFUSED, metrics_allowed
from core.settings import Settings

log = logging.getLogger(__name__)


def prepare_multiprocess_dir() -> str:
    """Point prometheus_client's multiprocess mode at a fresh folder, before it is imported anywhere.

    An operator's ``PROMETHEUS_MULTIPROC_DIR`` is used as given (emptied: the samples of a previous
    run would be counted again); otherwise a new temporary folder.
    """
    given = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if given:
        folder = Path(given)
        if folder.exists():
            for item in folder.iterdir():
                if item.is_file() and item.suffix == ".db":
                    item.unlink()
        folder.mkdir(parents=True, exist_ok=True)
    else:
        folder = Path(tempfile.mkdtemp(prefix="timetabler-metrics-"))
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(folder)
    return str(folder)


def remove_multiprocess_dir(folder: str) -> None:
    if folder.startswith(tempfile.gettempdir()) and "timetabler-metrics-" in folder:
        shutil.rmtree(folder, ignore_errors=True)


# The pipeline's queues (core/jobs/queue.py QUEUES and DEFAULT_QUEUE; a test keeps them equal). The
# supervisor does not import the actors (and the whole pipeline) just to name them.
KNOWN_QUEUES = ("classify", "ocr", "llm", "pipeline", "notify")


class _RedisQueues:
    """Enough of a broker for the queue-depth collector: the Redis client and the queues it holds."""

    def __init__(self, url: str, namespace: str = "dramatiq") -> None:
        import redis

        self.client = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
        self.namespace = namespace

    def get_declared_queues(self) -> set[str]:
        # Known queues always show (0 when empty: Redis drops an empty queue's keys); others when used.
        names = set(KNOWN_QUEUES)
        for key in self.client.scan_iter(match=f"{self.namespace}:*.msgs", count=500):
            name = key.decode().removeprefix(f"{self.namespace}:").removesuffix(".msgs")
            names.add(name.removesuffix(".DQ").removesuffix(".XQ"))
        return names


def start_worker_metrics(settings: Settings) -> ThreadingHTTPServer | None:
    """Serve the workers' metrics on a thread of this (supervisor) process."""
    from core.observability import metrics  # prometheus_client: after prepare_multiprocess_dir

    port = settings.worker_metrics_port
    if not port:
        return None
    broker: Any = _RedisQueues(settings.redis_url) if settings.redis_url else None
    token = settings.metrics_token

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's name)
            if self.path.split("?")[0] not in ("/metrics", "/health"):
                self._reply(404, b'{"code": "not_found", "message": "Only /metrics and /health are here."}')
                return
            if self.path.startswith("/health"):
                self._reply(200, b'{"status": "ok"}')
                return
            if not metrics_allowed(self.client_address[0], self.headers.get("Authorization"), token):
                self._reply(403, json.dumps({"code": "metrics_forbidden", "message": REFUSED}).encode())
                return
            body = metrics.render(metrics.exposition_registry(broker))
            self._reply(200, body, "text/plain; version=0.0.4; charset=utf-8")

        def _reply(self, status: int, body: bytes, media_type: str = "application/json") -> None:
            self.send_response(status)
            self.send_header("Content-Type", media_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (scrapes are not news)
            return

    server = ThreadingHTTPServer((settings.worker_metrics_host, port), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, name="worker-metrics", daemon=True).start()
    log.info("worker metrics on http://%s:%d/metrics", settings.worker_metrics_host, port)
    return server
