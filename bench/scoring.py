"""Scoring in-process, by the corpus's rules (bench/corpus/README.md): a block counts when day,
start and end match exactly and the name is equal, similar (ratio >= 0.8) or contains every word of
the true name. Rotating timetables: a day may be a cycle day ("Day 3", "D3", "Day3"; "Day A"), and
where a true block has a `week` ("A", "1"; "Week A" and "Wk A" mean "A") a found block must name
the same week."""

from __future__ import annotations

import difflib
import json
import os
import re
import resource
import subprocess
import time
from collections import defaultdict
from functools import partial
from pathlib import Path
from typing import Any

_NAMES = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
DAYS = {d[:3].lower(): d for d in _NAMES}


def norm_day(d: str) -> str:
    m = re.match(r"(?i)^\s*(?:day\s*|d)(\d{1,2})\s*$", str(d))
    if m:
        return f"Day {int(m.group(1))}"
    m = re.match(r"(?i)^\s*day\s*([a-z]\d{0,2})\s*$", str(d))
    if m:
        return f"Day {m.group(1).upper()}"
    return DAYS.get(str(d).strip().lower()[:3], str(d))


def norm_week(w: Any) -> str:
    return re.sub(r"(?i)^\s*(?:week|wk)\.?\s*", "", str(w or "")).strip().upper()


def norm_time(t: str) -> str:
    m = re.match(r"^\s*(\d{1,2})[:.]?(\d{2})\s*$", str(t))
    return f"{int(m.group(1)):02d}:{m.group(2)}" if m else str(t)


def norm_name(s: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"[^\w\s]", " ", str(s).lower())).strip()


def name_ok(pred: str, truth: str) -> bool:
    p, t = norm_name(pred), norm_name(truth)
    if not t:
        return not p
    if p == t or difflib.SequenceMatcher(None, p, t).ratio() >= 0.8:
        return True
    return set(t.split()) <= set(p.split())


def strip_class(s: Any) -> str:
    return re.sub(r"(?i)^\s*class\s+", "", str(s or ""))


def match(pred: list[dict], truth: list[dict]) -> tuple[int, int, int]:
    used = [False] * len(pred)
    keyed = [
        (norm_day(b.get("day", "")), norm_time(b.get("startTime", "")), norm_time(b.get("endTime", "")),
         str(b.get("name", "")) + " " + str(b.get("notes") or ""), norm_week(b.get("week")))
        for b in pred
    ]  # fmt: skip
    tp = 0
    for tb in truth:
        k = (norm_day(tb["day"]), tb["startTime"], tb["endTime"])
        week = norm_week(tb.get("week"))  # a lesson in the wrong week is wrong
        for i, (d, s, e, n, w) in enumerate(keyed):
            if not used[i] and (d, s, e) == k and (not week or w == week) and name_ok(n.strip(), tb["name"]):
                used[i] = True
                tp += 1
                break
    return tp, len(pred) - tp, len(truth) - tp


def f1(tp: int, fp: int, fn: int) -> float:
    return 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 1.0


def tesseract_seconds(path: Path, threads: str | None = None) -> float | None:
    """One plain `tesseract FILE - --psm 11` run, the yardstick for an image's extraction time: as a
    user would type it (threads None: OMP_THREAD_LIMIT unset), or with OMP_THREAD_LIMIT=threads."""
    if path.suffix.lower() not in (".png", ".jpg", ".jpeg", ".tif", ".tiff", ".webp"):
        return None
    env = {k: v for k, v in os.environ.items() if k != "OMP_THREAD_LIMIT"}
    if threads is not None:
        env["OMP_THREAD_LIMIT"] = threads
    t0 = time.perf_counter()
    subprocess.run(["tesseract", str(path), "-", "--psm", "11"], capture_output=True, check=False, env=env)
    return time.perf_counter() - t0


def score_one(
    truth_path: Path, with_tesseract: bool = False, ocr_engine: str = "tesseract"
) -> dict[str, Any]:
    """Extract one corpus document in-process (images read by `ocr_engine`) and score it."""
    from core.extract import extract_file
    from core.plugins import EngineRegistry, make_plugin_manager

    truth = json.loads(truth_path.read_text())
    f = truth_path.parent / truth["file"]
    pm = make_plugin_manager()
    reg = EngineRegistry.from_plugins(pm)
    t0 = time.perf_counter()
    err = ""
    try:
        out = extract_file(f, pm, reg, ocr_engine=ocr_engine)
    except Exception as exc:  # a crash is scored as an error, like a failing command
        out, err = {}, f"{type(exc).__name__}: {exc}"[:160]
    dt = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # MB, this worker so far
    tess = tesseract_seconds(f) if with_tesseract else None
    tess1 = tesseract_seconds(f, "1") if with_tesseract else None
    pred = out.get("timeblocks", [])
    tp, fp, fn = match(pred, truth["timeblocks"])
    return dict(
        file=truth["file"], family=truth.get("family", "?"), format=truth.get("format", "?"),
        layout=truth.get("layout", truth.get("family", "?")), tp=tp, fp=fp, fn=fn,
        f1=round(f1(tp, fp, fn), 4), seconds=round(dt, 3), error=err, peak_mb=round(peak, 1),
        teacher_ok=bool(out) and name_ok(str(out.get("teacher") or ""), truth.get("teacher", "")),
        class_ok=bool(out)
        and name_ok(strip_class(out.get("className")), strip_class(truth.get("className"))),
        confidence=out.get("confidence"), route=out.get("route"), warnings=out.get("warnings", [])[:5],
        tesseract_s=None if tess is None else round(tess, 3),
        tesseract_1thread_s=None if tess1 is None else round(tess1, 3),
        properties=truth.get("properties", {}),
    )  # fmt: skip


ACCEPT_BAR = 0.98  # the default accept threshold


def aggregate(rows: list[dict[str, Any]]) -> dict[str, Any]:
    def agg(rs: list[dict[str, Any]]) -> dict[str, Any]:
        tp, fp, fn = (sum(r[k] for r in rs) for k in ("tp", "fp", "fn"))
        secs = sorted(r["seconds"] for r in rs)
        return dict(
            docs=len(rs), f1=round(f1(tp, fp, fn), 4), perfect=sum(r["f1"] == 1.0 for r in rs),
            errors=sum(bool(r["error"]) for r in rs), median_s=secs[len(secs) // 2] if secs else None,
            mean_s=round(sum(secs) / len(secs), 3) if secs else None,
        )  # fmt: skip

    by: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        by[("format", r["format"])].append(r)
        by[("layout", r["layout"])].append(r)
    return {
        "overall": agg(rows),
        **{f"{k}={v}": agg(rs) for (k, v), rs in sorted(by.items())},
        "teacher_ok": f"{sum(r['teacher_ok'] for r in rows)}/{len(rows)}",
        "class_ok": f"{sum(r['class_ok'] for r in rows)}/{len(rows)}",
        # Confidence is a promise: nothing read below perfect may reach the default accept bar.
        "accepted_not_perfect": sum((r["confidence"] or 0) >= ACCEPT_BAR and r["f1"] < 1.0 for r in rows),
        "peak_mb_max": max((r["peak_mb"] for r in rows), default=0.0),
        **_tesseract_ratio(rows),
    }


def _tesseract_ratio(rows: list[dict[str, Any]]) -> dict[str, Any]:
    out = {}
    for key, label in (("tesseract_s", "vs_tesseract_psm11"), ("tesseract_1thread_s", "vs_1thread")):
        pairs = [(r["seconds"], r[key]) for r in rows if r.get(key)]
        if pairs:
            ours, tess = sum(p[0] for p in pairs), sum(p[1] for p in pairs)
            worst = max(p[0] / p[1] for p in pairs)
            out[label] = f"{ours / tess:.2f}x total over {len(pairs)} images (worst {worst:.2f}x)"
    return out


def score_corpus(
    corpus: Path,
    workers: int = 2,
    pattern: str = "*.truth.json",
    with_tesseract: bool = False,
    part: str = "all",
    ocr_engine: str = "tesseract",
) -> list[dict[str, Any]]:
    """Score every truth file of `corpus` matching `pattern`; `part` keeps bench/split.py's dev or
    heldout documents only; images are read by `ocr_engine`."""
    from bench.split import part_of

    truths = sorted(t for t in corpus.glob(pattern) if part == "all" or part_of(t.name) == part)
    if workers <= 1 or with_tesseract:  # side by side timing needs an otherwise idle machine
        return [score_one(t, with_tesseract, ocr_engine) for t in truths]
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(workers) as ex:
        return list(ex.map(partial(score_one, ocr_engine=ocr_engine), truths))
