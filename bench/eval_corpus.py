"""Score a corpus folder in-process (score.py's rules), printing each document and the summary.

usage: uv run python bench/eval_corpus.py CORPUS_DIR [--workers N] [--glob PATTERN] [--json OUT]
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
    a = ap.parse_args()
    rows = score_corpus(a.corpus, a.workers, a.glob)
    for r in rows:
        print(
            f"{r['file']:34s} f1={r['f1']:.3f} tp={r['tp']} fp={r['fp']} fn={r['fn']} {r['seconds']:6.2f}s "
            f"conf={r['confidence']} T={int(r['teacher_ok'])} C={int(r['class_ok'])} {r['error']}"
        )
    summary = aggregate(rows)
    for k, v in summary.items():
        print(f"{k:24s} {v}")
    if a.json:
        Path(a.json).write_text(json.dumps({"summary": summary, "rows": rows}, indent=1))


if __name__ == "__main__":
    main()
