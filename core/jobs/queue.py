"""Sending a pipeline stage by name: the queues, their priorities, and the message itself.

Whoever starts or resumes a job (the API, the reaper, dead letters, the stage before) sends the
stage's message from here, without importing the actors and the pipeline behind them.
"""

from __future__ import annotations

import dramatiq

from core.jobs.broker import broker

# Separate queues give priority: a worker group can be bound to each (`timetabler worker --queues`).
# The quick steps between them (interpret, score, route, validate, save) share "pipeline".
QUEUES = {"classify": "classify", "read": "ocr", "secondary_ocr": "ocr", "llm": "llm", "notify": "notify"}
DEFAULT_QUEUE = "pipeline"
# Within one worker that consumes several queues, prefetched messages run lowest number first:
# classification > the quick steps > OCR > LLM > notify (dramatiq's actor priority).
PRIORITIES = {"classify": 0, "pipeline": 10, "ocr": 20, "llm": 30, "notify": 40}


def queue_for(stage: str) -> str:
    return QUEUES.get(stage, DEFAULT_QUEUE)


def actor_name(stage: str) -> str:
    return f"stage_{stage}"


def enqueue_stage(stage: str, job_id: str, tenant_id: str) -> None:
    """Send a stage's message. Call only after the rows it reads are committed."""
    broker.enqueue(
        dramatiq.Message(
            queue_name=queue_for(stage),
            actor_name=actor_name(stage),
            args=(job_id, tenant_id),
            kwargs={},
            options={},
        )
    )
