"""Route shares on a corpus at the default thresholds: how many documents would be accepted, go to
a second OCR engine, to an LLM, or to a person — the first routing decision, before escalation.

usage: uv run python bench/route_shares.py CORPUS_DIR [CORPUS_DIR ...] [--workers 2]
"""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

from core.batch import extract_many
from core.policy import ROUTES, Thresholds

DOCUMENT_SUFFIXES = {".pdf", ".docx", ".png", ".jpg", ".jpeg", ".tif", ".tiff", ".webp"}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("folders", nargs="+")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    files = sorted(
        str(p)
        for folder in args.folders
        for p in Path(folder).iterdir()
        if p.suffix.lower() in DOCUMENT_SUFFIXES
    )
    thresholds = Thresholds()
    routes: Counter[str] = Counter()
    by_kind: dict[str, Counter[str]] = {}
    for outcome in extract_many(files, workers=args.workers):
        route = outcome.result["route"] if outcome.result else "error"
        kind = outcome.result["kind"] if outcome.result else "error"
        routes[route] += 1
        by_kind.setdefault(kind, Counter())[route] += 1
    total = sum(routes.values())
    print(
        f"{total} documents; thresholds accept {thresholds.accept}, second OCR {thresholds.secondary_ocr}, "
        f"LLM {thresholds.llm}"
    )
    for route in (*ROUTES, "error"):
        if routes[route]:
            print(f"  {route:14s} {routes[route]:4d}  {100 * routes[route] / total:5.1f}%")
    for kind, counts in sorted(by_kind.items()):
        print(f"  {kind:10s} " + ", ".join(f"{r} {n}" for r, n in counts.most_common()))


if __name__ == "__main__":
    main()
