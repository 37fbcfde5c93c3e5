"""Tesseract beside RapidOCR (the offline second OCR engine) on the image-based corpus documents.

usage: uv run python -m bench.second_ocr CORPUS_DIR [CORPUS_DIR ...] [--engines tesseract rapidocr]
       [--out DIR]

For each engine it scores (bench/scoring.py) the corpus documents that go through OCR (photos,
PNGs, scanned PDFs: text PDFs and DOCX never reach an OCR engine), read as
``timetabler extract FILE --no-cache --ocr-engine ENGINE`` reads them, then prints F1 and
seconds per document by format side by side, the documents where the engines disagree, and what
keeping the more confident of the two readings (as the secondary-OCR step does) would score.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

from bench.scoring import score_one

OCR_KINDS = ("image", "pdf_scan")


def ocr_documents(corpus: Path) -> list[Path]:
    """Truth files of the documents that are read by OCR, as the pipeline's classifier sees them."""
    from core.engines import EngineError
    from core.extraction import stages
    from core.plugins import make_plugin_manager

    pm = make_plugin_manager()
    chosen = []
    for truth in sorted(corpus.glob("*.truth.json")):
        doc = corpus / json.loads(truth.read_text())["file"]
        try:
            kind = stages.classify(pm, doc, doc.name)
        except EngineError:
            continue
        if kind in OCR_KINDS:
            chosen.append(truth)
    return chosen


def f1(tp: int, fp: int, fn: int) -> float:
    return 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 1.0


def agg(rows: list[dict]) -> dict:
    tp, fp, fn = (sum(r[k] for r in rows) for k in ("tp", "fp", "fn"))
    secs = [r["seconds"] for r in rows]
    return {
        "docs": len(rows),
        "f1": f1(tp, fp, fn),
        "perfect": sum(r["f1"] == 1.0 for r in rows),
        "errors": sum(bool(r["error"]) for r in rows),
        "s_per_doc": sum(secs) / len(secs) if secs else 0.0,
    }


def run_engine(truths: list[Path], engine: str, out: Path) -> list[dict]:
    rows = [score_one(truth, ocr_engine=engine) for truth in truths]
    out.write_text(json.dumps({"rows": rows}, indent=1))
    return rows


def routes(first: list[dict], second: dict[str, dict], name: str) -> None:
    """Route shares at the default thresholds with ``name`` as the secondary engine, following
    core/jobs/escalation.py: the more confident reading is kept, accepted when it reaches the bar,
    otherwise it goes on to the LLM."""
    from core.policy import Thresholds

    t = Thresholds()
    ends: dict[str, list[dict]] = defaultdict(list)
    for r in first:
        conf = r["confidence"] or 0.0
        if conf >= t.accept:
            ends["accept (first reading)"].append(r)
        elif conf >= t.secondary_ocr:
            o = second.get(r["file"], r)
            kept = o if (o["confidence"] or 0.0) > conf else r
            done = (kept["confidence"] or 0.0) >= t.accept
            ends["accept (after " + name + ")" if done else "llm (after " + name + ")"].append(kept)
        elif conf >= t.llm:
            ends["llm"].append(r)
        else:
            ends["review"].append(r)
    print(f"\nroutes at the default thresholds {t} ({len(first)} documents), F1 of the reading kept:")
    for end, rs in sorted(ends.items()):
        c = agg(rs)
        wrong = sum(r["f1"] < 1.0 for r in rs)
        share = len(rs) / len(first)
        print(f"  {end:28s} {len(rs):3d} ({share:4.0%})  F1 {c['f1']:.3f}  not perfect {wrong}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus", nargs="+", type=Path, help="corpus folders (documents beside .truth.json)")
    ap.add_argument("--engines", nargs="*", default=["tesseract", "rapidocr"])
    ap.add_argument("--out", type=Path, default=Path("bench/out/second_ocr"))
    ap.add_argument("--reuse", nargs="*", default=[], help="engines whose last results in --out are kept")
    a = ap.parse_args()
    a.out.mkdir(parents=True, exist_ok=True)

    rows: dict[str, list[dict]] = defaultdict(list)  # engine -> scored rows
    for corpus in a.corpus:
        truths = ocr_documents(corpus)
        print(f"{corpus.name}: {len(truths)} image-based documents", file=sys.stderr, flush=True)
        for engine in a.engines:
            out = a.out / f"{corpus.name}_{engine}.json"
            if engine in a.reuse and out.exists():
                got = json.loads(out.read_text())["rows"]
            else:
                print(f"  {engine} ...", file=sys.stderr, flush=True)
                got = run_engine(truths, engine, out)
            for r in got:
                r["corpus"] = corpus.name
            rows[engine].extend(got)

    engines = a.engines
    groups: dict[str, dict[str, list[dict]]] = defaultdict(lambda: defaultdict(list))
    for engine in engines:
        for r in rows[engine]:
            groups[f"{r['corpus']}/{r['format']}"][engine].append(r)
            groups[f"{r['corpus']}/all"][engine].append(r)
            groups["all"][engine].append(r)

    head = f"{'group':22s} {'docs':>4s}" + "".join(f" | {e[:10]:>10s} F1  perf  err  s/doc" for e in engines)
    print(head)
    print("-" * len(head))
    for name in sorted(groups, key=lambda g: (g == "all", g)):
        cells = [agg(groups[name][e]) for e in engines]
        line = f"{name:22s} {cells[0]['docs']:4d}"
        for c in cells:
            line += f" | {c['f1']:13.3f} {c['perfect']:5d} {c['errors']:4d} {c['s_per_doc']:6.1f}"
        print(line)

    if len(engines) >= 2:
        a_name, b_name = engines[:2]
        by_file = {r["file"]: r for r in rows[b_name]}
        print(f"\nper document ({a_name} vs {b_name}): F1, confidence")
        best = []
        for r in rows[a_name]:
            o = by_file.get(r["file"])
            if o is None:
                continue
            ca, cb = r["confidence"] or 0.0, o["confidence"] or 0.0
            pick = o if cb > ca else r  # the secondary step keeps the more confident reading
            best.append(pick)
            mark = "<<" if o["f1"] > r["f1"] else (">>" if o["f1"] < r["f1"] else "  ")
            print(
                f"  {r['file']:32s} {r['f1']:.3f} ({ca:.2f})  {mark}  {o['f1']:.3f} ({cb:.2f})"
                f"   {r['error'] or o['error']}"
            )
        print(f"  '<<' = {b_name} better, '>>' = {a_name} better")
        c = agg(best)
        print(f"\nmore confident of the two readings per document: F1 {c['f1']:.3f}, perfect {c['perfect']}")
        routes(rows[a_name], by_file, b_name)
        (a.out / "rows.json").write_text(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
