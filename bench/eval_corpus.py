"""Score a corpus folder in-process (bench/scoring.py, by bench/corpus/README.md's rules), printing
each document and the summary.

usage: uv run python -m bench.eval_corpus CORPUS_DIR [--part dev|heldout|all] [--workers N]
       [--glob PATTERN] [--json OUT]

--part heldout prints the summary only: the held-out documents are measured, never looked into.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from bench.scoring import aggregate, score_corpus


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus", type=Path)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--glob", default="*.truth.json")
    ap.add_argument("--json")
    ap.add_argument("--part", choices=["dev", "heldout", "all"], default="all", help="bench/split.py's part")
    a = ap.parse_args()
    rows = score_corpus(a.corpus, a.workers, a.glob, part=a.part)
    for r in rows if a.part != "heldout" else ():
        print(
            f"{r['file']:34s} f1={r['f1']:.3f} tp={r['tp']} fp={r['fp']} fn={r['fn']} {r['seconds']:6.2f}s "
            f"conf={r['confidence']} T={int(r['teacher_ok'])} C={int(r['class_ok'])} {r['error']}"
        )
    summary = aggregate(rows)
    for k, v in summary.items():
        print(f"{k:24s} {v}")
    if a.json:
        kept = rows if a.part != "heldout" else []  # held-out documents stay unread, even in files
        Path(a.json).write_text(json.dumps({"summary": summary, "rows": kept}, indent=1))


if __name__ == "__main__":
    main()
