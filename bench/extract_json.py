"""Run the extraction stages on one file and print the timetable as JSON (bench tool).

usage: uv run python bench/extract_json.py FILE
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from core.extraction import stages
from core.extraction.validate import duration_minutes, validate_draft
from core.plugins import EngineRegistry, make_plugin_manager
from core.policy import Thresholds


def extract(path: Path) -> dict:
    t0 = time.perf_counter()
    pm = make_plugin_manager()
    reg = EngineRegistry.from_plugins(pm)
    kind = stages.classify(pm, path, path.name)
    rr = stages.read(reg, path, kind)
    draft = stages.interpret(rr)
    draft, warnings = validate_draft(draft)
    conf = stages.score(pm, draft, rr)
    return {
        "teacher": draft.teacher,
        "className": draft.class_name,
        "term": draft.term,
        "year": draft.year,
        "layout": draft.layout,
        "timeblocks": [
            {
                "day": b.day,
                "startTime": b.start_time,
                "endTime": b.end_time,
                "name": b.name,
                "notes": b.notes,
                "duration": duration_minutes(b.start_time, b.end_time),
            }
            for b in draft.blocks
        ],
        "confidence": conf,
        "route": stages.route(pm, conf, Thresholds()),
        "engine": rr.engine,
        "kind": rr.kind,
        "warnings": warnings,
        "seconds": round(time.perf_counter() - t0, 3),
    }


if __name__ == "__main__":
    print(json.dumps(extract(Path(sys.argv[1])), indent=1))
