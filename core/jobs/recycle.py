"""Worker recycling: a worker process that has run many messages, or grown large, stops gracefully.

Long-lived Python processes that load images, OCR models and PDF libraries grow. After
``worker_max_tasks`` messages, or once its resident memory passes ``worker_max_rss_mb``, the worker
process asks itself to stop (SIGTERM: dramatiq finishes the messages in hand and gives back the ones
it prefetched), and the `timetabler worker` supervisor (core/jobs/supervisor.py) starts a fresh one.
"""

from __future__ import annotations

import logging
import os
import signal
import threading
import time
from typing import Any

import dramatiq

log = logging.getLogger(__name__)


def rss_mb() -> float:
    """This process's resident memory in MB (Linux /proc; 0 where it cannot be read)."""
    try:
        with open("/proc/self/statm") as f:
            pages = int(f.read().split()[1])
    except (OSError, ValueError, IndexError):
        return 0.0
    return pages * os.sysconf("SC_PAGE_SIZE") / (1024 * 1024)


class Recycle(dramatiq.Middleware):
    def __init__(self, max_tasks: int, max_rss_mb: int) -> None:
        self.max_tasks = max_tasks
        self.max_rss_mb = max_rss_mb
        self._count = 0
        self._lock = threading.Lock()
        self._asked = False

    def after_worker_boot(self, broker: dramatiq.Broker, worker: dramatiq.Worker) -> None:
        watch = threading.Thread(target=self._watch, args=(worker,), name="consumer-watch", daemon=True)
        watch.start()

    def before_worker_shutdown(self, broker: dramatiq.Broker, worker: dramatiq.Worker) -> None:
        self._asked = True  # consumers stop on purpose now: nothing more to watch

    def _watch(self, worker: dramatiq.Worker) -> None:
        """Dramatiq ends a queue's consumer thread for good when Redis refuses it twice in a row
        (a delayed message moved back while Redis restarts): that queue's messages would then wait
        for ever. A fresh process consumes every queue again."""
        while not self._asked:
            time.sleep(2)
            dead = sorted(name for name, thread in dict(worker.consumers).items() if not thread.is_alive())
            if dead and worker.consumers:
                self._stop(f"lost its consumer of {', '.join(dead)}")
                return

    def _stop(self, reason: str) -> None:
        with self._lock:
            if self._asked:
                return
            self._asked = True
        log.warning("worker process %d %s; stopping gracefully to be replaced", os.getpid(), reason)
        os.kill(os.getpid(), signal.SIGTERM)

    def after_process_message(
        self, broker: dramatiq.Broker, message: dramatiq.Message, *, result: Any = None, exception: Any = None
    ) -> None:
        with self._lock:
            self._count += 1
            count = self._count
            if self._asked:
                return
            reason = None
            if self.max_tasks and count >= self.max_tasks:
                reason = f"ran {count} messages"
            elif self.max_rss_mb and (size := rss_mb()) > self.max_rss_mb:
                reason = f"uses {size:.0f} MB"
            if reason is None:
                return
            self._asked = True
        log.info("worker process %d %s; stopping gracefully to be replaced", os.getpid(), reason)
        os.kill(os.getpid(), signal.SIGTERM)
