"""`timetabler extract`: the pipeline's stages run in-process on a file, with no server or database."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from core.extraction import stages
from core.extraction.validate import duration_minutes, validate_draft
from core.plugins import EngineRegistry, TimetablerPluginManager
from core.policy import Thresholds
from core.profiling import stage


def extract_file(
    path: Path,
    plugins: TimetablerPluginManager,
    engines: EngineRegistry,
    *,
    ocr_engine: str = "tesseract",
    thresholds: Thresholds | None = None,
) -> dict[str, Any]:
    """Extract one document into the `timetabler extract --format json` contract."""
    with stage("classify"):
        kind = stages.classify(plugins, path, path.name)
    with stage("read"):
        read_result = stages.read(engines, path, kind, ocr_engine=ocr_engine)
    with stage("interpret"):
        draft, warnings = validate_draft(stages.interpret(read_result))
    with stage("score and route"):
        confidence = stages.score(plugins, draft, read_result)
        route = stages.route(plugins, confidence, thresholds or Thresholds())
    return {
        "file": str(path),
        "kind": read_result.kind,
        "teacher": draft.teacher,
        "className": draft.class_name,
        "term": draft.term,
        "year": draft.year,
        # weekly; two_week with its weeks as printed (each lesson then names its week); or cycle
        # with its days ("Day 1" … "Day 6"), each lesson's day one of them
        "rotation": draft.rotation,
        "weeks": draft.weeks or None,
        "cycleDays": draft.cycle_days or None,
        "timeblocks": [
            {
                "day": block.day,
                "startTime": block.start_time,
                "endTime": block.end_time,
                "name": block.name,
                "notes": block.notes,
                "duration": duration_minutes(block.start_time, block.end_time),
                "color": block.color,
                "page": block.page,
                "week": block.week,
                # a master timetable of many classes: the class the lesson is for
                "className": block.class_name,
            }
            for block in draft.blocks
        ],
        "confidence": round(confidence, 4),
        "route": route,
        "engine": read_result.engine,
        "warnings": warnings,
    }


def format_table(result: dict[str, Any]) -> str:
    lines = [
        f"{result['file']}  ({result['kind']}, {result['engine']}, confidence {result['confidence']:.2f}, "
        f"route {result['route']})",
        f"Teacher: {result['teacher'] or '-'}   Class: {result['className'] or '-'}",
    ]
    blocks = result["timeblocks"]
    width = max((len(b["name"]) for b in blocks), default=4)
    lines.append(f"{'Day':<10} {'Start':<5}  {'End':<5}  {'Name':<{width}}  Notes")
    for b in blocks:
        lines.append(
            f"{b['day']:<10} {b['startTime']:<5}  {b['endTime']:<5}  {b['name']:<{width}}  {b['notes'] or ''}"
        )
    lines.append(f"{len(blocks)} timeblocks")
    return "\n".join(lines)
