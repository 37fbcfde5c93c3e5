"""The ids a log line carries, kept in contextvars.

The request middleware sets ``request_id`` and ``tenant``; the Dramatiq middleware sets ``job_id``
and ``tenant`` from the message it runs; the pipeline_event hook adds ``document_id``. Async actors
run on the worker's event loop thread, which copies the worker thread's context when the coroutine
is scheduled, so values set before a message runs are seen inside it.
"""

from __future__ import annotations

from contextvars import ContextVar
from typing import Any

service: ContextVar[str | None] = ContextVar("service", default=None)
request_id: ContextVar[str | None] = ContextVar("request_id", default=None)
tenant: ContextVar[str | None] = ContextVar("tenant", default=None)
document_id: ContextVar[str | None] = ContextVar("document_id", default=None)
job_id: ContextVar[str | None] = ContextVar("job_id", default=None)

# Log field name -> the contextvar that holds it.
FIELDS: dict[str, ContextVar[str | None]] = {
    "requestId": request_id,
    "tenant": tenant,
    "documentId": document_id,
    "jobId": job_id,
}


def current() -> dict[str, Any]:
    """The ids known here, without the unknown ones."""
    return {name: var.get() for name, var in FIELDS.items() if var.get() is not None}
