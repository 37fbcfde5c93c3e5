"""API benchmark: GET /timetables/{id} latency under concurrent clients, and upload -> completed time.

usage: uv run python -m bench.api_latency [--stack sqlite|postgres|both] [--clients 20] [--requests 2000]

Starts the product as real processes (tests/support/stacks.py), on the embedded defaults and/or on
PostgreSQL + Redis + S3 with two separate workers, and prints the figures: upload -> final state
per format, GET p95 with 20 clients, and the same GETs while two photos are being read (uploads
kept going by two threads). The rate limits are raised so that they count but never refuse.
The documents uploaded (a text PDF, a PNG and a
Word file) are drawn by the project's own generator, bench/corpus_gen.py. Not a test: figures go in
the issue note.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import os
import random
import statistics
import tempfile
import threading
import time
import uuid
import zipfile
from pathlib import Path

import httpx

from bench.corpus_gen import make_document
from tests.support.servers import postgres_server, redis_server, s3_server
from tests.support.stacks import Stack, production_env, running_stack

# The limiter still runs on every request (its cost is part of the figure) but never says 429.
UNLIMITED = {
    "TIMETABLER_RATE_LIMIT_USER_PER_MINUTE": "10000000",
    "TIMETABLER_RATE_LIMIT_IP_PER_MINUTE": "10000000",
    "TIMETABLER_RATE_LIMIT_SCHOOL_PER_MINUTE": "10000000",
    "TIMETABLER_RATE_LIMIT_UPLOADS_PER_MINUTE": "100000",
    "TIMETABLER_RATE_LIMIT_SCHOOL_UPLOADS_PER_MINUTE": "100000",
}
SAMPLES = {"text PDF": "pdf_text", "PNG": "png", "DOCX": "docx"}  # label -> corpus_gen format


def make_samples(folder: Path) -> dict[str, Path]:
    """One days-as-columns timetable per format, the same drawing seed every run."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(7)
    return {
        label: make_document(folder, i, "days_cols", fmt, rng)
        for i, (label, fmt) in enumerate(SAMPLES.items())
    }


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def sign_up(stack: Stack) -> httpx.Client:
    email = f"bench-{uuid.uuid4().hex[:8]}@school.test"
    body = {"email": email, "password": "benchmark password", "name": "Bench", "school": f"Bench {email}"}
    token = httpx.post(stack.base_url + "/api/v1/auth/register", json=body, timeout=30).json()["accessToken"]
    return stack.client(token)


def variant(path: Path, n: int) -> bytes:
    """The same document with different bytes, so that no earlier reading is reused."""
    data = path.read_bytes()
    if path.suffix == ".pdf":
        return data + f"\n%bench {n}\n".encode()
    if path.suffix == ".png":
        from PIL import Image

        # Other pixels too (a corner dot), or the OCR cache, keyed by the page's pixels, answers.
        image = Image.open(path).convert("RGB")
        image.putpixel((n % 7, n // 7 % 7), (n * 37 % 256, n * 91 % 256, 128))
        out = io.BytesIO()
        image.save(out, format="PNG")
        return out.getvalue()
    out = io.BytesIO(data)
    with zipfile.ZipFile(out, "a") as archive:
        archive.comment = f"bench {n}".encode()
    return out.getvalue()


def upload_to_completed(client: httpx.Client, path: Path, n: int) -> tuple[float, dict]:
    content = variant(path, n)
    start = time.perf_counter()
    job_id = client.post("/documents/upload", files={"file": (path.name, content)}).json()["jobId"]
    while True:
        job = client.get(f"/jobs/{job_id}").json()
        if job["status"] in ("completed", "failed", "review"):
            return time.perf_counter() - start, job
        time.sleep(0.02)


async def hammer(stack: Stack, token: str, url: str, clients: int, total: int) -> list[float]:
    latencies: list[float] = []
    per_client = total // clients
    limits = httpx.Limits(max_connections=clients)
    async with httpx.AsyncClient(
        base_url=stack.base_url + "/api/v1", headers={"Authorization": f"Bearer {token}"}, limits=limits
    ) as http:

        async def one_client() -> None:
            for _ in range(per_client):
                start = time.perf_counter()
                response = await http.get(url)
                latencies.append(time.perf_counter() - start)
                response.raise_for_status()

        await asyncio.gather(*(one_client() for _ in range(clients)))
    return latencies


def reading_photos(client: httpx.Client, png: Path, stop: threading.Event, readers: int = 2) -> list[int]:
    """Keep ``readers`` photos being read (a new upload as soon as one finishes) until ``stop``."""
    done: list[int] = []

    def keep_reading(first: int) -> None:
        http = httpx.Client(base_url=str(client.base_url), headers=client.headers, timeout=60)
        n = first
        while not stop.is_set():
            try:
                upload_to_completed(http, png, n)
            except httpx.HTTPError:
                if stop.is_set():
                    return  # the server stopped with the stack
                raise
            done.append(n)
            n += readers

    for i in range(readers):
        threading.Thread(target=keep_reading, args=(1000 + i,), daemon=True).start()
    return done


def server_cpu_seconds(stack: Stack) -> float:
    """CPU time used so far by the stack's processes (found by their data folder): a figure that,
    unlike latency, does not depend on what else the machine runs."""
    tick, total = os.sysconf("SC_CLK_TCK"), 0.0
    marker = f"TIMETABLER_DATA_DIR={stack.data_dir}".encode()
    for proc in Path("/proc").iterdir():
        try:
            if proc.name.isdigit() and marker in (proc / "environ").read_bytes().split(b"\0"):
                fields = (proc / "stat").read_text().rsplit(")", 1)[1].split()
                total += (int(fields[11]) + int(fields[12])) / tick  # utime + stime
        except OSError:
            continue
    return total


def report_gets(label: str, latencies: list[float], wall: float, cpu: float | None = None) -> None:
    per_request = f", server CPU {cpu / len(latencies) * 1000:.2f} ms per request" if cpu is not None else ""
    print(
        f"GET /timetables/{{id}} {label}, {len(latencies)} requests: "
        f"p50 {percentile(latencies, 0.5) * 1000:.1f} ms, p95 {percentile(latencies, 0.95) * 1000:.1f} ms, "
        f"{len(latencies) / wall:.0f} req/s{per_request}",
        flush=True,
    )


def measure(stack: Stack, samples: dict[str, Path], clients: int, requests: int, repeats: int) -> None:
    client = sign_up(stack)
    print(f"\n== {stack.name} ==")
    timetable_id = None
    for n, path in enumerate(samples.values()):  # a warm server, as the issue measures it
        upload_to_completed(client, path, 100 + n)
    for label, path in samples.items():
        times = []
        for n in range(repeats):
            seconds, job = upload_to_completed(client, path, n)
            times.append(seconds)
            timetable_id = timetable_id or job["timetableId"]
        print(
            f"upload -> completed, {label:8s}: median {statistics.median(times):.2f} s over {repeats} "
            f"(min {min(times):.2f}, max {max(times):.2f}); status {job['status']}",
            flush=True,
        )
    token = client.headers["Authorization"].split()[1]
    blocks = len(client.get(f"/timetables/{timetable_id}").json()["timeblocks"])
    asyncio.run(hammer(stack, token, f"/timetables/{timetable_id}", clients, clients * 5))  # warm up
    start, cpu = time.perf_counter(), server_cpu_seconds(stack)
    latencies = asyncio.run(hammer(stack, token, f"/timetables/{timetable_id}", clients, requests))
    wall, cpu = time.perf_counter() - start, server_cpu_seconds(stack) - cpu
    report_gets(f"({blocks} blocks), {clients} concurrent clients", latencies, wall, cpu)
    stop = threading.Event()
    photos = reading_photos(client, samples["PNG"], stop)
    time.sleep(1.0)  # both photos under way
    start = time.perf_counter()
    latencies = asyncio.run(hammer(stack, token, f"/timetables/{timetable_id}", clients, requests))
    wall = time.perf_counter() - start
    stop.set()
    label = f"{clients} clients while two photos are read ({len(photos)} read meanwhile)"
    report_gets(label, latencies, wall)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--stack", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    run(args.stack, args.clients, args.requests, args.repeats)


def run(stacks: str, clients: int = 20, requests: int = 2000, repeats: int = 3) -> None:
    """Every API figure of the issue on ``stacks`` (sqlite, postgres or both)."""
    with tempfile.TemporaryDirectory() as tmp:
        samples = make_samples(Path(tmp) / "documents")
        if stacks in ("sqlite", "both"):
            with running_stack("sqlite", Path(tmp) / "sqlite", UNLIMITED, worker=False) as stack:
                measure(stack, samples, clients, requests, repeats)
        if stacks in ("postgres", "both"):
            with postgres_server() as pg, redis_server() as redis, s3_server() as s3:
                # The app's role, so row-level security binds its reads as in production.
                env = {**production_env(pg, redis.url, s3.endpoint_url, "bench"), **s3.env, **UNLIMITED}
                with running_stack("postgres", Path(tmp) / "pg", env, worker=True, worker_count=2) as stack:
                    measure(stack, samples, clients, requests, repeats)


if __name__ == "__main__":
    main()
