"""The real corpus's split into a development part and a held-out part, fixed once for good.

A document is held out when the SHA-256 of its name (without the extension) is 0 or 1 modulo 5: a
random 40 % that a new document joins by the same rule, without anyone choosing. r01-r08 were tuned
on before the split was made, so they are development documents whatever their hash.
Tune on `dev`; only ever *measure* `heldout`, and never open its documents when a figure disappoints.

Generator seeds are split the same way, for bench/corpus_gen.py and the randomised bench/generator.py
alike (`run_bench --gen classic|random --seed S`): seeds 1-999 are for development, seeds 1000 and
above are held out (bench/README.md's figures say which they use). Read a held-out seed's summary
and its F1 per property; never open its documents to tune on them.

usage: uv run python -m bench.split CORPUS_DIR [--part dev|heldout]   (prints the truth files' names)
"""

from __future__ import annotations

import argparse
import hashlib
import re
from pathlib import Path

TUNED_BEFORE_THE_SPLIT = re.compile(r"^r0[1-8]_")
HELD_OUT_SEEDS_FROM = 1000


def part_of(name: str) -> str:
    """'dev' or 'heldout' for a document's file name (extension or .truth.json ignored)."""
    stem = name.split(".", 1)[0]
    if TUNED_BEFORE_THE_SPLIT.match(stem):
        return "dev"
    return "heldout" if int(hashlib.sha256(stem.encode()).hexdigest(), 16) % 5 < 2 else "dev"


def truth_files(corpus: Path, part: str) -> list[Path]:
    return sorted(p for p in corpus.glob("*.truth.json") if part_of(p.name) == part)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("corpus", type=Path)
    ap.add_argument("--part", choices=["dev", "heldout"], default="dev")
    a = ap.parse_args()
    for path in truth_files(a.corpus, a.part):
        print(path.name)


if __name__ == "__main__":
    main()
