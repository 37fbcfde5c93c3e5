"""Confidence against measured F1: the table that says what a threshold means.

usage: uv run python -m bench.calibrate RESULTS.json [RESULTS.json ...]   (from eval_corpus/run_bench --json)
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

BINS = [(0.0, 0.0001), (0.0001, 0.5), (0.5, 0.8), (0.8, 0.9), (0.9, 0.95), (0.95, 0.98), (0.98, 1.01)]


def table(rows: list[dict[str, Any]]) -> str:
    lines = ["| confidence | docs | mean F1 | min F1 | docs with F1 = 1 |", "| --- | --- | --- | --- | --- |"]
    for lo, hi in BINS:
        rs = [r for r in rows if r.get("confidence") is not None and lo <= r["confidence"] < hi]
        if not rs:
            continue
        f1s = [r["f1"] for r in rs]
        label = "0 (nothing found)" if hi <= 0.0001 else f"{lo:.2f}-{min(hi, 1.0):.2f}"
        perfect = sum(f == 1.0 for f in f1s)
        lines.append(f"| {label} | {len(rs)} | {sum(f1s) / len(f1s):.3f} | {min(f1s):.3f} | {perfect} |")
    return "\n".join(lines)


def main() -> None:
    rows = [r for p in sys.argv[1:] for r in json.loads(Path(p).read_text())["rows"]]
    print(table(rows))


if __name__ == "__main__":
    main()
