"""`timetabler worker`: a small supervisor over dramatiq worker processes.

It starts ``processes`` dramatiq workers (each ``dramatiq core.worker --processes 1``) bound to
the given queues, and starts a fresh one whenever one exits: recycled on purpose (recycle.py),
killed by the kernel, or crashed. SIGTERM or SIGINT stops them gracefully: each finishes the
messages in hand and gives back what it prefetched; a message it never acknowledged goes back to
the queue at once: each process has its own worker id, and the messages a process held when it
stopped are given back to their queues as soon as it is seen gone (core/jobs/reclaim.py), rather
than when the broker's own maintenance happens to run minutes later. The reaper covers the rest.
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import os
import signal
import subprocess
import sys
import time
from collections.abc import Sequence

from core.jobs.reclaim import WORKER_ID_ENV, Reclaimer, new_worker_id

log = logging.getLogger(__name__)

PR_SET_PDEATHSIG = 1
RET_IMPORT = 2  # dramatiq's code for a module that does not import: restarting would not help
QUICK_EXIT_SECONDS = 5.0  # a worker that dies this fast is restarted after a pause, not in a loop
RESTART_PAUSE_SECONDS = 2.0
SHUTDOWN_GRACE_MS = 30_000
STOP_TIMEOUT_SECONDS = 60.0  # then SIGKILL: longer than the grace above


def worker_command(threads: int, queues: Sequence[str] | None) -> list[str]:
    command = [sys.executable, "-m", "dramatiq", "core.worker", "--processes", "1"]
    # A stopping worker finishes what it holds for up to this long; past it, the broker hands the
    # message to another worker once this one's heartbeat stops.
    command += ["--threads", str(threads), "--worker-shutdown-timeout", str(SHUTDOWN_GRACE_MS)]
    if queues:
        command += ["--queues", *queues]
    return command


def _die_with_parent() -> None:
    """In the child before exec: its own session, so a terminal's or a test's signal to our group
    reaches it once, through us; and SIGTERM if this supervisor dies without stopping it (Linux)."""
    os.setsid()
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


Worker = tuple[subprocess.Popen[bytes], float, str]  # the process, when it started, its worker id


def _spawn(command: list[str]) -> Worker:
    worker_id = new_worker_id()
    env = {**os.environ, WORKER_ID_ENV: worker_id}
    proc = subprocess.Popen(command, env=env, preexec_fn=_die_with_parent)  # noqa: PLW1509 (no threads yet)
    return proc, time.monotonic(), worker_id


def supervise(
    processes: int,
    threads: int,
    queues: Sequence[str] | None,
    reclaimer: Reclaimer | None = None,
    heartbeat_timeout_ms: int = 60_000,
) -> int:
    command = worker_command(threads, queues)
    stopping = False
    reclaimer = reclaimer or Reclaimer(None)
    # Messages of workers that died with their machine (no supervisor left to give them back).
    reclaimer.silent_workers(heartbeat_timeout_ms)

    def stop(signum: int, frame: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    workers: list[Worker] = [_spawn(command) for _ in range(max(1, processes))]
    log.info("timetabler worker: %d processes on queues %s", len(workers), ", ".join(queues or ["all"]))
    code = 0
    while not stopping:
        time.sleep(0.5)
        for index, (proc, started, worker_id) in enumerate(workers):
            status = proc.poll()
            if status is None or stopping:
                continue
            reclaimer.dead_worker(worker_id)  # what it held goes back now, to the others or its successor
            if status == RET_IMPORT:
                log.error("worker process could not load the actors; stopping")
                stopping, code = True, RET_IMPORT
                break
            log.warning("worker process %d exited (%s); starting a fresh one", proc.pid, status)
            if time.monotonic() - started < QUICK_EXIT_SECONDS:
                time.sleep(RESTART_PAUSE_SECONDS)
            workers[index] = _spawn(command)
    for proc, _, _ in workers:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + STOP_TIMEOUT_SECONDS
    for proc, _, worker_id in workers:
        try:
            proc.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        reclaimer.dead_worker(worker_id)  # a message it still held past its grace goes to another worker
    return code
