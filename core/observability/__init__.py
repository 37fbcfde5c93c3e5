"""Observability: Prometheus metrics, structured JSON logs, OpenTelemetry traces and readiness.

- ``context``: the ids a log line carries (requestId, tenant, documentId, jobId), as contextvars.
- ``logs``: JSON or text log lines with personal data masked.
- ``metrics``: the Prometheus metrics, the queue-depth collector and the exposition.
- ``tracing``: the tracer provider and its exporter (OTLP, a JSON-lines file, or none).
- the request middleware (request id, latency and errors by route, the server span) is the web
  surface's: core/api/request_observability.py.
- ``broker_middleware``: the Dramatiq middleware (trace context in messages, job ids in logs, stage timings).
- ``plugin``: the built-in ``pipeline_event`` implementation (documents, confidence, routes).
- ``routes``: ``/metrics`` and ``/ready``.
"""
