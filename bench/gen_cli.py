"""The command line every corpus generator shares: OUT, --n, --seed (and --formats where it has them)."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path


def run_generator(make_corpus: Callable[..., list[Path]], n: int, formats: list[str] | None = None) -> None:
    """Parse the arguments, write the corpus with `make_corpus(out, n, seed[, formats])` and print
    each document's path."""
    ap = argparse.ArgumentParser()
    ap.add_argument("out", type=Path)
    ap.add_argument("--n", type=int, default=n)
    ap.add_argument("--seed", type=int, default=1)
    if formats is not None:
        ap.add_argument("--formats", default=",".join(formats))
    a = ap.parse_args()
    extra = [a.formats.split(",")] if formats is not None else []
    for p in make_corpus(a.out, a.n, a.seed, *extra):
        print(p)
