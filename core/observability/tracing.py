"""OpenTelemetry traces: one tracer provider per process, its exporter chosen by settings.

- ``TIMETABLER_OTEL_ENDPOINT`` set: spans go over OTLP/HTTP to that collector
  (e.g. ``http://otel-collector:4318``; ``/v1/traces`` is added when missing).
- ``TIMETABLER_OTEL_FILE`` set: spans are appended to that file as JSON lines (tests and
  debugging; every process of a stack may share the file).
- neither: spans are made (so trace ids still reach the logs and the messages) and exported nowhere.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Sequence

from opentelemetry import trace
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import (
    BatchSpanProcessor,
    SimpleSpanProcessor,
    SpanExporter,
    SpanExportResult,
)

TRACER_NAME = "timetabler"
_lock = threading.Lock()
_configured: dict[str, TracerProvider] = {}


class JsonLinesExporter(SpanExporter):
    """Appends each span as one JSON line: name, ids, parent, attributes, service, times."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._lock = threading.Lock()

    def export(self, spans: Sequence[ReadableSpan]) -> SpanExportResult:
        lines = []
        for span in spans:
            ctx = span.get_span_context()
            lines.append(
                json.dumps(
                    {
                        "name": span.name,
                        "traceId": format(ctx.trace_id, "032x"),
                        "spanId": format(ctx.span_id, "016x"),
                        "parentId": format(span.parent.span_id, "016x") if span.parent else None,
                        "service": span.resource.attributes.get("service.name"),
                        "pid": os.getpid(),
                        "kind": span.kind.name,
                        "attributes": dict(span.attributes or {}),
                        "start": span.start_time,
                        "end": span.end_time,
                        "status": span.status.status_code.name,
                    },
                    default=str,
                )
            )
        with self._lock, open(self.path, "a", encoding="utf-8") as out:
            out.write("".join(line + "\n" for line in lines))
        return SpanExportResult.SUCCESS

    def shutdown(self) -> None:
        return None


def setup_tracing(service: str, endpoint: str | None = None, file: str | None = None) -> TracerProvider:
    """Install this process's tracer provider once (each worker process installs its own at boot)."""
    key = str(os.getpid())
    with _lock:
        if key in _configured:
            return _configured[key]
        provider = TracerProvider(resource=Resource.create({"service.name": f"timetabler-{service}"}))
        if endpoint:
            from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

            base = endpoint.rstrip("/")
            url = base if base.endswith("/v1/traces") else base + "/v1/traces"
            provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter(endpoint=url)))
        if file:
            # Written at once: a test reads the file while the processes still run.
            provider.add_span_processor(SimpleSpanProcessor(JsonLinesExporter(file)))
        trace.set_tracer_provider(provider)
        _configured[key] = provider
        return provider


_tracer: tuple[object, trace.Tracer] | None = None


def tracer() -> trace.Tracer:
    """The app's tracer, made once per provider (making one costs more than a request's span)."""
    global _tracer
    provider = trace.get_tracer_provider()
    if _tracer is None or _tracer[0] is not provider:
        _tracer = (provider, trace.get_tracer(TRACER_NAME))
    return _tracer[1]


def current_trace_id() -> str | None:
    ctx = trace.get_current_span().get_span_context()
    return format(ctx.trace_id, "032x") if ctx.is_valid else None
