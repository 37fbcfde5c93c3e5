"""Batch extraction for `timetabler extract`: worker processes, a progress bar, a content-hash cache."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import sys
import threading
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any, TextIO

from core import profiling
from core.engines import EngineError
from core.extract import extract_file
from core.plugins import ENTRY_POINT_GROUP, EngineRegistry, make_plugin_manager

SOURCE_ROOTS = ("core", "plugins")


@dataclass(frozen=True)
class Outcome:
    path: str
    result: dict[str, Any] | None = None
    error: str | None = None
    cached: bool = False
    profile: profiling.Times | None = None  # stage times, when asked for (--profile)


@cache
def code_fingerprint() -> str:
    """A hash of the extraction code and of the installed plugins' packages: a cached result is
    reused only by the code that made it (an outside engine upgraded or removed reads anew)."""
    root = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256()
    for top in SOURCE_ROOTS:
        for source in sorted((root / top).rglob("*.py")):
            digest.update(str(source.relative_to(root)).encode())
            digest.update(source.read_bytes())
    for plugin in installed_plugins():
        digest.update(plugin.encode())
    return digest.hexdigest()[:16]


def installed_plugins() -> list[str]:
    """Each plugin entry point with the package and version that provides it (read from the
    package metadata: no plugin is imported)."""
    found = []
    for ep in metadata.entry_points(group=ENTRY_POINT_GROUP):
        dist = ep.dist
        found.append(f"{ep.name}={ep.value} {dist.name if dist else '?'} {dist.version if dist else '?'}")
    return sorted(found)


def file_hash(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(1024 * 1024):
            digest.update(chunk)
    return digest.hexdigest()


def default_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "timetabler" / "extract"


class ResultCache:
    """Results by file content, OCR engine and code fingerprint, one JSON file each."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _path(self, content_hash: str, ocr_engine: str) -> Path:
        return self.folder / f"{content_hash}-{ocr_engine}-{code_fingerprint()}.json"

    def get(self, content_hash: str, ocr_engine: str) -> dict[str, Any] | None:
        try:
            return json.loads(self._path(content_hash, ocr_engine).read_text())
        except (OSError, ValueError):
            return None

    def put(self, content_hash: str, ocr_engine: str, result: dict[str, Any]) -> None:
        path = self._path(content_hash, ocr_engine)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            partial = path.with_suffix(f".{os.getpid()}.partial")
            partial.write_text(json.dumps(result, ensure_ascii=False))
            partial.replace(path)
        except OSError:
            pass  # a cache that cannot be written only costs time


_engines: tuple[Any, Any] | None = None


def _extract_in_worker(path: str, ocr_engine: str, profile: bool = False) -> Outcome:
    """Runs in a worker process (or in-process): plugins are loaded once per process."""
    with profiling.recording() as times:
        outcome = _extract(path, ocr_engine)
    return dataclasses.replace(outcome, profile=times) if profile else outcome


def _extract(path: str, ocr_engine: str) -> Outcome:
    global _engines

    if _engines is None:
        with profiling.stage("load plugins"):
            plugins = make_plugin_manager()
            _engines = (plugins, EngineRegistry.from_plugins(plugins))
    try:
        return Outcome(path, result=extract_file(Path(path), *_engines, ocr_engine=ocr_engine))
    except EngineError as exc:
        return Outcome(path, error=str(exc))
    except Exception as exc:  # one file's crash must not end a batch of hundreds
        return Outcome(path, error=f"could not be read ({type(exc).__name__}: {exc})")


class Progress:
    """A one-line progress bar on a terminal; silent when stderr is not one."""

    def __init__(self, total: int, stream: TextIO = sys.stderr) -> None:
        self.total, self.done, self.stream = total, 0, stream
        self.enabled = stream.isatty() and total > 1
        self.lock = threading.Lock()

    def step(self, label: str) -> None:
        with self.lock:
            self.done += 1
            if self.enabled:
                filled = int(30 * self.done / self.total)
                bar = "#" * filled + "." * (30 - filled)
                self.stream.write(f"\r[{bar}] {self.done}/{self.total} {Path(label).name[:40]:<40}")
                if self.done == self.total:
                    self.stream.write("\n")
                self.stream.flush()


def extract_many(
    paths: list[str],
    *,
    workers: int = 1,
    ocr_engine: str = "tesseract",
    cache: ResultCache | None = None,
    profile: bool = False,
) -> Iterator[Outcome]:
    """Yield one outcome per path, in the order given, as soon as each is ready.

    A file whose content was read before (in this batch or, with a cache, in an earlier run) is not
    read again.
    """
    progress = Progress(len(paths))
    plan: list[Future[Outcome] | Outcome | int | None] = []  # int: same content as that earlier path
    hashes: dict[int, str] = {}
    first_with_hash: dict[str, int] = {}
    pool = ProcessPoolExecutor(max_workers=workers) if workers > 1 else None
    try:
        for index, name in enumerate(paths):
            path = Path(name)
            if not path.is_file():
                plan.append(Outcome(name, error="no such file"))
                progress.step(name)
                continue
            content_hash = hashes[index] = file_hash(path)
            hit = cache.get(content_hash, ocr_engine) if cache else None
            if content_hash in first_with_hash:
                plan.append(first_with_hash[content_hash])
                progress.step(name)
            elif hit is not None:
                plan.append(Outcome(name, result={**hit, "file": str(path)}, cached=True))
                progress.step(name)
            elif pool is None:
                plan.append(None)  # read in order below, without a pool
            else:
                future = pool.submit(_extract_in_worker, name, ocr_engine, profile)
                future.add_done_callback(lambda _f, n=name: progress.step(n))
                plan.append(future)
            first_with_hash.setdefault(content_hash, index)
        done: list[Outcome] = []
        for index, item in enumerate(plan):
            if item is None:
                outcome = _extract_in_worker(paths[index], ocr_engine, profile)
                progress.step(paths[index])
            elif isinstance(item, int):
                earlier = done[item]
                result = {**earlier.result, "file": paths[index]} if earlier.result else None
                outcome = Outcome(paths[index], result=result, error=earlier.error, cached=True)
            else:
                outcome = item.result() if isinstance(item, Future) else item
            if cache and outcome.result is not None and not outcome.cached:
                cache.put(hashes[index], ocr_engine, outcome.result)
            done.append(outcome)
            yield outcome
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
