"""F1 broken down by each sampled property value of the randomised generator (bench/generator.py),
so a benchmark run says which properties read worst."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from bench.scoring import f1

SKIP = {"font", "size"}  # too many values to read; font_class and size_band group them


def by_property(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One entry per (property, value) over the documents whose truth recorded it."""
    groups: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        for key, value in (r.get("properties") or {}).items():
            if key not in SKIP and value != "n/a":
                groups[(key, str(value))].append(r)
    out = []
    for (key, value), rs in sorted(groups.items()):
        tp, fp, fn = (sum(r[k] for r in rs) for k in ("tp", "fp", "fn"))
        out.append(dict(property=key, value=value, docs=len(rs), f1=round(f1(tp, fp, fn), 4),
                        perfect=sum(r["f1"] == 1.0 for r in rs)))  # fmt: skip
    return out


def markdown(entries: list[dict[str, Any]]) -> str:
    """The table, one line per property with its values, worst value first."""
    by_key: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for e in entries:
        by_key[e["property"]].append(e)
    lines = ["| property | values (F1, documents), worst first |", "| --- | --- |"]
    for key in sorted(by_key, key=lambda k: min(e["f1"] for e in by_key[k])):
        cells = sorted(by_key[key], key=lambda e: e["f1"])
        lines.append(
            f"| {key} | " + ", ".join(f"{e['value']} {e['f1']:.3f} ({e['docs']})" for e in cells) + " |"
        )
    return "\n".join(lines)


def worst(entries: list[dict[str, Any]], n: int = 10, min_docs: int = 3) -> list[dict[str, Any]]:
    return sorted((e for e in entries if e["docs"] >= min_docs), key=lambda e: e["f1"])[:n]
