"""F1 broken down by each sampled property value of the randomised generator (bench/generator.py),
so a benchmark run says which properties read worst.

Formats differ far more than most properties (a photo reads worse than a DOCX whatever it shows),
and some properties occur only in some formats (themes in pictures), so each value also gets
`vs_format`: the mean, over its documents, of the document's F1 minus the mean F1 of its format.
A negative figure is what the property itself costs.

usage: uv run python -m bench.by_property bench/out/results.json   (a run_bench --json file)
"""

from __future__ import annotations

import argparse
import json
from collections import defaultdict
from pathlib import Path
from typing import Any

from bench.scoring import f1

SKIP = {"font", "size"}  # too many values to read; font_class and size_band group them


def by_property(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One entry per (property, value) over the documents whose truth recorded it."""
    per_format: dict[str, list[float]] = defaultdict(list)
    for r in rows:
        per_format[r.get("format", "?")].append(r["f1"])
    format_mean = {k: sum(v) / len(v) for k, v in per_format.items()}
    groups: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        for key, value in (r.get("properties") or {}).items():
            if key not in SKIP and value != "n/a":
                groups[(key, str(value))].append(r)
    out = []
    for (key, value), rs in sorted(groups.items()):
        tp, fp, fn = (sum(r[k] for r in rs) for k in ("tp", "fp", "fn"))
        lift = sum(r["f1"] - format_mean[r.get("format", "?")] for r in rs) / len(rs)
        out.append(dict(property=key, value=value, docs=len(rs), f1=round(f1(tp, fp, fn), 4),
                        perfect=sum(r["f1"] == 1.0 for r in rs), vs_format=round(lift, 3)))  # fmt: skip
    return out


def markdown(entries: list[dict[str, Any]]) -> str:
    """The table, one line per property with its values, worst value (against its formats) first."""
    by_key: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for e in entries:
        by_key[e["property"]].append(e)
    lines = ["| property | value: F1 (documents, vs format), worst first |", "| --- | --- |"]
    for key in sorted(by_key, key=lambda k: min(e["vs_format"] for e in by_key[k])):
        cells = sorted(by_key[key], key=lambda e: e["vs_format"])
        text = ", ".join(f"{e['value']}: {e['f1']:.3f} ({e['docs']}, {e['vs_format']:+.2f})" for e in cells)
        lines.append(f"| {key} | {text} |")
    return "\n".join(lines)


def worst(entries: list[dict[str, Any]], n: int = 10, min_docs: int = 3) -> list[dict[str, Any]]:
    """The values that cost most against their formats' mean, among those with enough documents."""
    picked = (e for e in entries if e["docs"] >= min_docs and e["property"] != "format")
    return sorted(picked, key=lambda e: e["vs_format"])[:n]


def report(entries: list[dict[str, Any]]) -> str:
    lines = [
        "F1 by sampled property value",
        markdown(entries),
        "",
        "worst property values (3 documents or more)",
    ]
    for e in worst(entries):
        lines.append(f"  {e['property']}={e['value']:16s} f1={e['f1']:.3f} vs_format={e['vs_format']:+.3f} "
                     f"docs={e['docs']} perfect={e['perfect']}")  # fmt: skip
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("results", type=Path)
    a = ap.parse_args()
    print(report(by_property(json.loads(a.results.read_text())["rows"])))


if __name__ == "__main__":
    main()
