"""Fairness: how long a small school waits behind a big school's backlog, with and without the
per-school limit (TIMETABLER_TENANT_CONCURRENCY).

    uv run --frozen python bench/fairness.py [--big 100] [--small 5] [--limit 2] [--threads 4]

Each run starts PostgreSQL, Redis, S3, the API and one `timetabler worker` on loopback, queues the big
school's documents and then the small school's (a text-layer PDF, so no OCR), starts the worker and
reports when each school's last document is done.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.scale.fairness import measure  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--big", type=int, default=100)
    parser.add_argument("--small", type=int, default=5)
    parser.add_argument("--limit", type=int, default=2, help="stages per school per queue group")
    parser.add_argument("--threads", type=int, default=4)
    args = parser.parse_args()
    print(f"big school: {args.big} documents, small school: {args.small}, worker threads: {args.threads}")
    print(f"{'limit':>8} {'small done (s)':>15} {'big median (s)':>15} {'big done (s)':>13}  statuses")
    for limit in (0, args.limit):
        with tempfile.TemporaryDirectory(prefix="timetabler-fairness-") as folder:
            out = measure(Path(folder), big=args.big, small=args.small, limit=limit, threads=args.threads)
        label = "off" if limit == 0 else str(limit)
        print(
            f"{label:>8} {out.small_done_s:>15.1f} {out.big_median_s:>15.1f} {out.big_done_s:>13.1f}"
            f"  {', '.join(sorted(out.statuses))}",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
