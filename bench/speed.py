"""Speed where a person waits: the CLI's start-up, images through `timetabler extract` against
Tesseract alone, and a worker's start-up and memory. Not a test: figures go in the issue note.

    uv run python -m bench.speed CORPUS_FOLDER [--runs 5] [--images 12]

CORPUS_FOLDER holds documents (any of the corpus layouts: files next to their .truth.json); the
first text-layer PDF found is the start-up probe, and up to --images PNG/JPEG files are read both
ways. Every figure is a median of --runs wall-clock runs of real processes, start-up included.
With --api sqlite|postgres|both the API figures follow in the same run (upload -> final state,
GET p95 with 20 clients and while two photos are read: bench/api_latency.py).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg")


def _wall(cmd: list[str], env: dict[str, str] | None = None) -> float:
    started = time.perf_counter()
    subprocess.run(cmd, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def _median(cmd: list[str], runs: int, env: dict[str, str] | None = None) -> float:
    return statistics.median(_wall(cmd, env) for _ in range(runs))


def _cli(*args: str) -> list[str]:
    # The installed console script, as a person runs it (not `uv run`, whose own start-up is not ours).
    return [str(Path(sys.executable).with_name("timetabler")), *args]


def _documents(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() and not p.name.endswith(".json"))


def startup(folder: Path, runs: int) -> dict[str, float]:
    pdf = next((p for p in _documents(folder) if p.suffix.lower() == ".pdf" and _has_text(p)), None)
    out = {"help_s": _median(_cli("--help"), runs)}
    if pdf is not None:
        out["extract_text_pdf_s"] = _median(_cli("extract", str(pdf), "--no-cache"), runs)
    return out


def _has_text(pdf: Path) -> bool:
    done = subprocess.run(["pdftotext", "-l", "1", str(pdf), "-"], capture_output=True, text=True)
    return bool(done.stdout.strip())


def images(folder: Path, runs: int, limit: int) -> dict[str, float]:
    files = [p for p in _documents(folder) if p.suffix.lower() in IMAGE_SUFFIXES][:limit]
    if not files:
        return {}
    single = dict(os.environ, OMP_THREAD_LIMIT="1")  # Tesseract on one thread, the floor
    ours = sum(_median(_cli("extract", str(p), "--no-cache"), runs) for p in files)
    floor = sum(_median(["tesseract", str(p), "-", "--psm", "11"], runs, single) for p in files)
    return {"images": len(files), "extract_s_per_image": ours / len(files),
            "tesseract_s_per_image": floor / len(files), "ratio": ours / floor}  # fmt: skip


def worker(seconds: float = 60.0) -> dict[str, float]:
    """Seconds from `timetabler worker` starting to its consumers taking messages, and its RSS."""
    from tests.support.servers import redis_server  # the bench starts its own Redis, as the tests do

    with redis_server() as redis, tempfile.TemporaryDirectory() as data:
        env = dict(os.environ, TIMETABLER_REDIS_URL=redis.url, TIMETABLER_DATA_DIR=data, PYTHONUNBUFFERED="1")
        started = time.perf_counter()
        proc = subprocess.Popen(
            _cli("worker", "--processes", "1", "--threads", "1"),
            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )  # fmt: skip
        ready = None
        try:
            assert proc.stdout is not None
            for line in proc.stdout:
                if "is ready for action" in line or "Worker process is ready" in line:
                    ready = time.perf_counter() - started
                    break
                if time.perf_counter() - started > seconds:
                    break
            rss = _rss_mb(proc.pid)
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    return {"worker_ready_s": ready if ready is not None else float("nan"), "worker_rss_mb": rss}


def _rss_mb(pid: int) -> float:
    """The largest resident memory among a process and its children (the supervisor forks the
    worker processes; the issue's bar is per process)."""
    largest = 0.0
    pids = [pid, *_children(pid)]
    for p in pids:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    largest = max(largest, int(line.split()[1]) / 1024)
        except OSError:
            continue
    return largest


def _children(pid: int) -> list[int]:
    try:
        kids = [int(k) for k in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []
    return kids + [g for k in kids for g in _children(k)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", type=Path, help="a folder of documents (e.g. bench/corpus/real)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--images", type=int, default=12)
    parser.add_argument("--api", choices=["sqlite", "postgres", "both"], help="the API figures too, on these")
    args = parser.parse_args()
    figures = {**startup(args.corpus, args.runs), **images(args.corpus, args.runs, args.images), **worker()}
    for name, value in figures.items():
        print(f"{name:24} {value:.3f}" if isinstance(value, float) else f"{name:24} {value}", flush=True)
    if args.api:
        from bench import api_latency  # starts servers: only when asked

        api_latency.run(args.api)


if __name__ == "__main__":
    main()
