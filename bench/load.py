"""Load: 200 uploads from 20 concurrent clients against `timetabler serve` with 1, then 2 `timetabler
worker` processes, on PostgreSQL + Redis + S3 (moto), all real processes on loopback.

Each client is a teacher of its own school; a school never uploads the same bytes twice, so no
reading is reused and every document is really processed. Documents are small and fast (text PDFs
and Word files from bench/corpus_gen.py) plus a few PNG images that go through Tesseract. While
the uploads run, two readers list and open timetables, for the API's read latency under load.

Reported per run: p50/p95 upload latency (the POST until its 202), documents per minute (first
upload sent to last job finished), every job's final status, and p50/p95 of the timetable reads.
Rate limits are off for the bench (TIMETABLER_RATE_LIMIT_ENABLED=false).

    uv run python bench/load.py [--uploads 200] [--clients 20] [--workers 1,2] [--threads 2]
"""

from __future__ import annotations

import argparse
import concurrent.futures
import random
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import httpx  # noqa: E402

from bench.corpus_gen import make_document  # noqa: E402
from tests.support.servers import postgres_server, redis_server, s3_server  # noqa: E402
from tests.support.stacks import ROOT, _start, _stop, _wait_ready, base_env, free_port  # noqa: E402

FINAL = ("completed", "failed", "review")
BUCKET = "timetabler-load"


def make_documents(folder: Path, per_client: int, images: int) -> list[Path]:
    """per_client distinct documents: text PDFs and Word files, ``images`` of them PNG photos."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(42)
    kinds = ["png"] * images + ["pdf_text", "docx"] * per_client
    return [make_document(folder, i, "days_cols", kinds[i], rng) for i in range(per_client)]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))] if ordered else float("nan")


class Client:
    def __init__(self, base_url: str) -> None:
        body = {
            "email": f"{uuid.uuid4().hex[:10]}@load.test",
            "password": "correct horse battery",
            "name": "Load Teacher",
            "school": f"Load school {uuid.uuid4().hex[:6]}",
        }
        self.http = httpx.Client(base_url=base_url + "/api/v1", timeout=120)
        answer = self.http.post("/auth/register", json=body)
        answer.raise_for_status()
        self.http.headers["Authorization"] = f"Bearer {answer.json()['accessToken']}"

    @classmethod
    def signed_in_as(cls, other: Client) -> Client:
        twin = cls.__new__(cls)
        twin.http = httpx.Client(base_url=other.http.base_url, headers=other.http.headers, timeout=120)
        return twin

    def upload(self, path: Path) -> tuple[float, str]:
        started = time.perf_counter()
        with path.open("rb") as handle:
            answer = self.http.post("/documents/upload", files={"file": (path.name, handle)})
        elapsed = time.perf_counter() - started
        answer.raise_for_status()
        return elapsed, answer.json()["jobId"]

    def wait(self, job_ids: list[str], timeout: float) -> dict[str, str]:
        statuses: dict[str, str] = {}
        deadline = time.monotonic() + timeout
        pending = list(job_ids)
        while pending and time.monotonic() < deadline:
            for job_id in list(pending):
                status = self.http.get(f"/jobs/{job_id}").json()["status"]
                if status in FINAL:
                    statuses[job_id] = status
                    pending.remove(job_id)
            if pending:
                time.sleep(1.0)
        statuses.update({job_id: "unfinished" for job_id in pending})
        return statuses


def read_timetables(client: Client, stop: threading.Event, latencies: list[float]) -> None:
    """A teacher opening the app: the list of timetables, then the newest one."""
    while not stop.is_set():
        started = time.perf_counter()
        page = client.http.get("/timetables/", params={"limit": 20})
        latencies.append(time.perf_counter() - started)
        items = page.json().get("items", []) if page.status_code == 200 else []
        if items:
            started = time.perf_counter()
            client.http.get(f"/timetables/{items[0]['id']}")
            latencies.append(time.perf_counter() - started)
        stop.wait(0.2)


def run(base_url: str, docs: list[Path], uploads: int, clients: int, timeout: float) -> dict[str, Any]:
    people = [Client(base_url) for _ in range(clients)]
    # Two of the uploading teachers also keep opening their timetables, on connections of their own.
    readers_as = [Client.signed_in_as(people[i % clients]) for i in range(2)]
    per_client = uploads // clients
    upload_times: list[float] = []
    statuses: dict[str, str] = {}
    lock = threading.Lock()
    read_latencies: list[float] = []
    stop = threading.Event()
    readers = [threading.Thread(target=read_timetables, args=(r, stop, read_latencies)) for r in readers_as]
    for thread in readers:
        thread.start()

    def one_client(index: int) -> None:
        person = people[index]
        job_ids = []
        for n in range(per_client):
            elapsed, job_id = person.upload(docs[(index + n) % len(docs)])
            job_ids.append(job_id)
            with lock:
                upload_times.append(elapsed)
        finished = person.wait(job_ids, timeout)
        with lock:
            statuses.update(finished)

    started = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(max_workers=clients) as pool:
        list(pool.map(one_client, range(clients)))
    elapsed = time.perf_counter() - started
    stop.set()
    for thread in readers:
        thread.join()
    counts: dict[str, int] = {}
    for status in statuses.values():
        counts[status] = counts.get(status, 0) + 1
    done = sum(n for status, n in counts.items() if status in FINAL)
    return {
        "uploads": len(upload_times),
        "statuses": counts,
        "upload_p50_ms": 1000 * percentile(upload_times, 0.5),
        "upload_p95_ms": 1000 * percentile(upload_times, 0.95),
        "seconds": elapsed,
        "docs_per_minute": 60 * done / elapsed,
        "reads": len(read_latencies),
        "read_p50_ms": 1000 * percentile(read_latencies, 0.5),
        "read_p95_ms": 1000 * percentile(read_latencies, 0.95),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--uploads", type=int, default=200)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--workers", default="1,2", help="worker process counts to run, in order")
    parser.add_argument("--threads", type=int, default=2, help="threads per worker process")
    parser.add_argument("--images", type=int, default=1, help="PNG photos among each client's documents")
    parser.add_argument("--timeout", type=float, default=1800)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="timetabler-load-"))
    docs = make_documents(folder / "docs", args.uploads // args.clients, args.images)
    results = []
    with postgres_server() as pg, redis_server() as redis, s3_server() as s3:
        s3.create_bucket(BUCKET)
        app_url = pg.create_role("timetabler_app", password="app-password")
        for workers in [int(n) for n in args.workers.split(",")]:
            data_dir = folder / f"run-{workers}"
            data_dir.mkdir(parents=True)
            env = {
                **base_env(data_dir),
                "TIMETABLER_DATABASE_URL": app_url,
                "TIMETABLER_MIGRATION_DATABASE_URL": pg.url,
                "TIMETABLER_REDIS_URL": redis.url_for(workers),  # a fresh queue and cache per run
                "TIMETABLER_S3_BUCKET": BUCKET,
                "TIMETABLER_S3_ENDPOINT_URL": s3.endpoint_url,
                "TIMETABLER_RATE_LIMIT_ENABLED": "false",
                "TIMETABLER_LOG_LEVEL": "WARNING",
                "AWS_ACCESS_KEY_ID": "testing",
                "AWS_SECRET_ACCESS_KEY": "testing",
                "AWS_DEFAULT_REGION": "us-east-1",
            }
            port = free_port()
            base_url = f"http://127.0.0.1:{port}"
            processes = []
            migrated = subprocess.run(
                [sys.executable, "-m", "core.cli", "migrate"],
                cwd=ROOT,
                env=env,
                capture_output=True,
                text=True,
            )
            if migrated.returncode != 0:
                raise SystemExit(f"timetabler migrate failed:\n{migrated.stderr[-3000:]}")
            try:
                log = data_dir / "serve.log"
                server = _start(["serve", "--host", "127.0.0.1", "--port", str(port)], env, log)
                processes.append(server)
                _wait_ready(base_url, server, log, timeout=120)
                for n in range(workers):
                    command = ["worker", "--processes", "1", "--threads", str(args.threads)]
                    processes.append(_start(command, env, data_dir / f"worker-{n}.log"))
                result = run(base_url, docs, args.uploads, args.clients, args.timeout)
            finally:
                for process in reversed(processes):
                    _stop(process)
            result["workers"] = workers
            results.append(result)
            print(result, flush=True)
    print("\nworkers | uploads | statuses | upload p50/p95 ms | docs/min | timetable reads p50/p95 ms")
    for r in results:
        uploads = f"{r['upload_p50_ms']:.0f}/{r['upload_p95_ms']:.0f}"
        reads = f"{r['read_p50_ms']:.0f}/{r['read_p95_ms']:.0f} ({r['reads']} reads)"
        print(
            f"{r['workers']} | {r['uploads']} | {r['statuses']} | {uploads}"
            f" | {r['docs_per_minute']:.1f} | {reads}"
        )
    if len(results) == 2:
        growth = results[1]["docs_per_minute"] / results[0]["docs_per_minute"]
        print(f"throughput 1 -> 2 workers: x{growth:.2f} (this machine has 2 CPU cores, shared with the API)")


if __name__ == "__main__":
    main()
