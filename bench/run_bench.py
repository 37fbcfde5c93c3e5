"""The project's benchmark: generate a corpus in its own styles, extract every document in-process,
score (scoring.py) and print F1 by format and by layout, seconds per document, peak memory
and (with --tesseract) the time against one plain `tesseract FILE - --psm 11` run per image.

usage: uv run python -m bench.run_bench [--n 60] [--seed 1] [--out bench/out/corpus] [--workers 2]
       [--gen classic|random|rotation|docx|master] [--tesseract] [--json bench/out/results.json]
       [--corpus DIR ...]
--gen random writes bench/generator.py's randomised corpus (every property sampled independently)
and adds F1 per sampled property value, worst first. Seeds below 1000 are for development, 1000 and
above held out (bench/split.py).
Generated documents go under bench/out/ (ignored by git); never commit them.
"""

from __future__ import annotations

import argparse
import json
import shutil
import time
from pathlib import Path

from bench import corpus_gen, gen_apps, gen_docx, gen_master, gen_rotation, generator
from bench.by_property import by_property, report
from bench.calibrate import table
from bench.scoring import aggregate, score_corpus

GENERATORS = {
    "classic": corpus_gen.make_corpus,
    "random": generator.make_corpus,
    "rotation": gen_rotation.make_corpus,  # cycle days and two-week timetables (issue 19)
    "docx": gen_docx.make_corpus,  # Word files in the forms people make them (bench/gen_docx.py)
    "master": gen_master.make_corpus,  # many classes in one grid, a block per day (bench/gen_master.py)
    "apps": gen_apps.make_corpus,  # phone timetable apps' week views (bench/gen_apps.py)
}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=60)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", type=Path, default=Path("bench/out/corpus"))
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument(
        "--gen",
        choices=list(GENERATORS),
        default="classic",
        help="classic: corpus_gen's styles; random: every property sampled (bench/generator.py); "
        "rotation: cycle-day and two-week timetables (bench/gen_rotation.py)",
    )
    ap.add_argument("--tesseract", action="store_true", help="time plain tesseract side by side (serial)")
    ap.add_argument("--json", type=Path)
    ap.add_argument("--corpus", type=Path, action="append", help="score an existing corpus instead")
    a = ap.parse_args()
    corpora = a.corpus or []
    if not corpora:
        if a.out.exists():
            shutil.rmtree(a.out)
        t0 = time.perf_counter()
        GENERATORS[a.gen](a.out, a.n, a.seed)
        print(f"generated {a.n} documents in {time.perf_counter() - t0:.1f} s into {a.out}")
        corpora = [a.out]
    rows = [r for c in corpora for r in score_corpus(c, a.workers, with_tesseract=a.tesseract)]
    for r in rows:
        if r["f1"] < 1.0 or r["error"]:
            print(f"  {r['file']:34s} f1={r['f1']:.3f} tp={r['tp']} fp={r['fp']} fn={r['fn']} "
                  f"conf={r['confidence']} {r['error']}")  # fmt: skip
    summary = aggregate(rows)
    for k, v in summary.items():
        print(f"{k:24s} {v}")
    print("\nconfidence vs F1\n" + table(rows))
    props = by_property(rows)
    if props:
        print("\n" + report(props))
    if a.json:
        a.json.parent.mkdir(parents=True, exist_ok=True)
        a.json.write_text(json.dumps({"summary": summary, "by_property": props, "rows": rows}, indent=1))


if __name__ == "__main__":
    main()
