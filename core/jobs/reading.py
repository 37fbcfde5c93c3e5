"""Where the in-process worker reads documents: in reading processes of their own.

On the embedded default the worker runs inside the web app's process. Reading a photo is seconds
of Python work; on a thread of the web app it holds the interpreter's lock, and every API request
waits behind it. So `timetabler serve` hands the reading of photos and scans (OCR, then laying
out the words: the read and interpret steps) to a few processes started with the app (``start``),
one per worker thread; a text layer is read in tens of milliseconds and stays on the thread.
Anywhere else (a separate `timetabler worker`, whose process does nothing else; an app a test
builds with its own plugins) they run on the stage's thread as before.

A reading process has the same plugins and settings as the app (both build the default runtime);
what a stage sets for its school (the cache's namespace, the school's engine keys and settings)
is carried over with each call.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import tempfile
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw

from core import cache
from core.engine_errors import EngineError
from core.engine_keys import current_keys, use_keys
from core.extraction import stages
from core.extraction.model import DraftTimetable, ReadResult
from core.plugin_settings import school_settings, use_school_settings
from core.runtime import Runtime, get_runtime

log = logging.getLogger(__name__)

_pool: ProcessPoolExecutor | None = None
_processes = 0
READER_NICENESS = 10  # lower priority than the app's (0): requests first, then reading


@dataclass(frozen=True)
class Carried:
    """What the stage set for its school, set again in the reading process."""

    tenant: str | None
    keys: dict[str, str]
    settings: dict[str, dict[str, Any]]

    @classmethod
    def here(cls) -> Carried:
        return cls(cache.current_tenant(), dict(current_keys()), school_settings())

    def use(self) -> None:
        cache.use_tenant(self.tenant)
        use_keys(self.keys)
        use_school_settings(self.settings)


def start(processes: int) -> None:
    """Start ``processes`` reading processes now (their start-up is not paid by the first upload)."""
    global _pool, _processes
    if _pool is not None or processes < 1:
        return
    # spawn, not fork: the app's process has threads (the worker's, the database's) by now.
    _pool = ProcessPoolExecutor(
        processes,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_follow_the_app,
        initargs=(os.getpid(),),
    )
    _processes = processes
    for _ in range(processes):
        _pool.submit(_warm)


def stop() -> None:
    global _pool, _processes
    _processes = 0  # a reader lost while the app stops is not replaced
    if _pool is not None:
        _pool.shutdown(wait=False, cancel_futures=True)
        _pool = None


def _follow_the_app(app: int) -> None:
    """Ctrl-C in a terminal reaches every process of the group: the app stops its readers itself.
    And a reader never outlives the app (killed, or stopped while starting a reader): it watches
    whether its parent is still the app and ends when it is not.

    A reader also yields the processor to the app: a person waiting for a page is served first,
    a photo's reading (seconds anyway) takes the time left over. And it reads on one thread: the
    readers already fill the cores between them, and OpenCV's pool of one thread per core on top
    only makes them take turns with the app and each other."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    os.nice(READER_NICENESS)
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")  # Tesseract's, before its first run
    import cv2  # here, not at the top: the app itself never needs OpenCV

    cv2.setNumThreads(1)
    threading.Thread(target=_end_without_the_app, args=(app,), daemon=True).start()


def _end_without_the_app(app: int) -> None:
    while os.getppid() == app:
        time.sleep(1.0)
    os._exit(0)


def _warm() -> None:
    """Load the plugins and what they load with their first page (OpenCV, Tesseract's wrapper,
    the layout of words) before the first photo arrives, by reading a small drawn one."""
    runtime = get_runtime()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "warm.png"
        picture = Image.new("L", (360, 120), 255)
        ImageDraw.Draw(picture).text((20, 50), "Monday 09:00 Mathematics", fill=0)
        picture.save(path)
        try:
            stages.interpret(stages.read(runtime.engines, path, "image"))
        except Exception:  # a warm-up only: the first real photo will say what is wrong
            log.debug("warming up the reading failed", exc_info=True)


def _in_process(step: str, carried: Carried, *args: Any) -> Any:
    carried.use()
    if step == "read":
        path, kind, ocr_engine = args
        return stages.read(get_runtime().engines, path, kind, ocr_engine=ocr_engine)
    return stages.interpret(*args)


def _run(step: str, *args: Any) -> Any:
    """Run ``step`` in a reading process and wait for it (called on the stage's thread)."""
    pool = _pool
    assert pool is not None
    try:
        return pool.submit(_in_process, step, Carried.here(), *args).result()
    except BrokenProcessPool as exc:  # a reading process died (out of memory, a crash in a library)
        log.error("a reading process stopped during %s; starting new ones", step)
        processes = _processes
        stop()
        start(processes)
        raise EngineError("The reading stopped unexpectedly; it is tried again.") from exc


def classify(runtime: Runtime, path: Path, filename: str) -> str:
    """Quick (the file's first bytes): on the stage's thread."""
    return stages.classify(runtime.plugins, path, filename)


def read(runtime: Runtime, path: Path, kind: str, ocr_engine: str) -> ReadResult:
    """A photo or scan in a reading process; a text layer (tens of milliseconds) on the thread."""
    if _pool is None or kind in stages.TEXT_KINDS:
        return stages.read(runtime.engines, path, kind, ocr_engine=ocr_engine)
    return _run("read", path, kind, ocr_engine)


def interpret(read_result: ReadResult) -> DraftTimetable:
    """Where the page was read: a photo's words and rules take long to lay out."""
    if _pool is None or read_result.kind in stages.TEXT_KINDS:
        return stages.interpret(read_result)
    return _run("interpret", read_result)
