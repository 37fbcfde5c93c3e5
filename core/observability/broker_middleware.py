"""Dramatiq middleware: traces across the broker, job ids in the logs, and stage timings.

- ``before_enqueue``: the sender's trace context (the upload request's span, or the previous
  stage's) goes into the message options as W3C ``traceparent``, so the trace follows the job from
  the API through every stage on any worker machine.
- ``before_process_message``: a consumer span is started as a child of that context, and the
  message's job and school go into the log context (async actors inherit both: the event loop
  thread copies the worker thread's context when the coroutine is scheduled).
- ``after_process_message`` / ``after_skip_message``: the span ends and the stage's duration is
  observed (ok, retry when it raised, failed when it raised on its last attempt).
- ``after_process_boot`` (worker processes only): JSON or text logs and the tracer provider. Their
  metrics are served by the `timetabler worker` supervisor (see ``worker_http``).
"""

from __future__ import annotations

import contextlib
import contextvars
import logging
import threading
import time
from typing import Any

import dramatiq
from opentelemetry import context as otel_context
from opentelemetry import propagate
from opentelemetry.trace import SpanKind, Status, StatusCode, set_span_in_context

from core.observability import context, metrics
from core.observability.logs import reformat_existing
from core.observability.tracing import setup_tracing, tracer
from core.settings import get_settings

log = logging.getLogger(__name__)
TRACE_OPTION = "trace_context"


class _Running:
    """What one message in progress holds until it ends."""

    def __init__(
        self,
        span: Any,
        tokens: list[tuple[contextvars.ContextVar[Any], contextvars.Token[Any]]],
        otel_token: object,
        started: float,
    ) -> None:
        self.span, self.tokens, self.otel_token, self.started = span, tokens, otel_token, started


class Observability(dramatiq.Middleware):
    def __init__(self) -> None:
        self._running: dict[str, _Running] = {}
        self._lock = threading.Lock()

    def after_process_boot(self, broker: dramatiq.Broker) -> None:
        settings = get_settings()
        reformat_existing("worker", settings.log_format)
        setup_tracing("worker", settings.otel_endpoint, settings.otel_file)

    def before_enqueue(self, broker: dramatiq.Broker, message: dramatiq.Message, delay: int) -> None:
        carrier: dict[str, str] = {}
        propagate.inject(carrier)
        if carrier:
            message.options[TRACE_OPTION] = carrier

    def before_process_message(self, broker: dramatiq.Broker, message: dramatiq.Message) -> None:
        parent = propagate.extract(message.options.get(TRACE_OPTION) or {})
        stage = message.actor_name.removeprefix("stage_")
        span = tracer().start_span(f"stage {stage}", context=parent, kind=SpanKind.CONSUMER)
        span.set_attribute("messaging.system", "dramatiq")
        span.set_attribute("messaging.destination.name", message.queue_name)
        span.set_attribute("messaging.message.id", message.message_id)
        span.set_attribute("timetabler.stage", stage)
        span.set_attribute("timetabler.retries", message.options.get("retries", 0))
        tokens: list[tuple[contextvars.ContextVar[Any], contextvars.Token[Any]]] = [
            (context.service, context.service.set("worker"))
        ]
        if message.actor_name.startswith("stage_") and len(message.args) >= 2:
            job_id, tenant_id = str(message.args[0]), str(message.args[1])
            span.set_attribute("timetabler.job_id", job_id)
            span.set_attribute("timetabler.tenant", tenant_id)
            tokens += [
                (context.job_id, context.job_id.set(job_id)),
                (context.tenant, context.tenant.set(tenant_id)),
            ]
        otel_token = otel_context.attach(set_span_in_context(span, parent))
        with self._lock:
            self._running[message.message_id] = _Running(span, tokens, otel_token, time.perf_counter())

    def after_process_message(
        self,
        broker: dramatiq.Broker,
        message: dramatiq.Message,
        *,
        result: Any = None,
        exception: BaseException | None = None,
    ) -> None:
        with self._lock:
            running = self._running.pop(message.message_id, None)
        if running is None:
            return
        stage = message.actor_name.removeprefix("stage_")
        if exception is None:
            outcome = "ok"
        else:
            last = message.options.get("retries", 0) >= _max_retries(broker, message)
            outcome = "failed" if last else "retry"
            running.span.record_exception(exception)
            running.span.set_status(Status(StatusCode.ERROR, type(exception).__name__))
        if message.actor_name.startswith("stage_"):
            metrics.STAGE_SECONDS.labels(stage=stage, result=outcome).observe(
                time.perf_counter() - running.started
            )
        running.span.end()
        # Attached and detached on the same worker thread; suppressed so a stray token cannot fail a job.
        with contextlib.suppress(Exception):
            otel_context.detach(running.otel_token)
        for var, token in reversed(running.tokens):
            try:
                var.reset(token)
            except ValueError:
                var.set(None)

    def after_skip_message(self, broker: dramatiq.Broker, message: dramatiq.Message) -> None:
        self.after_process_message(broker, message)


def _max_retries(broker: dramatiq.Broker, message: dramatiq.Message) -> int:
    try:
        return int(broker.get_actor(message.actor_name).options.get("max_retries", 3))
    except Exception:  # an actor this process does not know
        return 3
