"""One worker's reading, as its own process: `python -m tests.cache.read_once ocr|llm FILE TENANT`.

Prints JSON: how many times the engine was really called, what it read, and this process's cache
counters. The cache is whatever TIMETABLER_REDIS_URL points at, as in `timetabler worker`.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from core import cache
from core.extraction import stages
from core.extraction.model import Page, Word
from core.plugins import EngineRegistry


class CountingOcr:
    """A stand-in OCR engine that says what it saw and counts its calls."""

    name = "counting"
    calls = 0

    def recognize(self, image, page_number: int) -> Page:  # noqa: ANN001 (a numpy array)
        CountingOcr.calls += 1
        height, width = image.shape[:2]
        return Page(
            number=page_number,
            width=float(width),
            height=float(height),
            words=[Word(text=f"Maths {width}x{height}", x0=1, y0=2, x1=30, y1=12, confidence=0.9)],
            source=self.name,
        )


def main() -> None:
    mode, path, tenant = sys.argv[1], Path(sys.argv[2]), sys.argv[3]
    cache.use_tenant(tenant)  # what the pipeline does when a job's stage starts
    if mode == "ocr":
        registry = EngineRegistry(ocr={"counting": CountingOcr()})
        result = stages.ocr_document(registry, path, "image", ocr_engine="counting", preprocessors=())
        calls, read = CountingOcr.calls, [w.text for p in result.pages for w in p.words]
    else:
        from plugins.llm_claude.engine import ClaudeEngine

        answer = ClaudeEngine().extract(path, None)
        calls, read = int(answer.input_tokens > 0), [answer.cost_usd]
    print(json.dumps({"calls": calls, "read": read, "stats": cache.stats()}))


if __name__ == "__main__":
    main()
