"""Errors (Sentry) and traces (OpenTelemetry): both off, and free, unless configured.

- `SENTRY_DSN` set: sentry-sdk with the Django and logging integrations (an unhandled 500 is logged with its
  traceback by the exception handler, and a failed worker task by django-q2's logger, so both reach Sentry), the
  request id, user id and workspace id attached from the log context, and `scrub_event` as `before_send`: document
  text, prompts, model answers, tokens and credentials are never sent.
- `OTEL_EXPORTER_OTLP_ENDPOINT` set: an OTLP/HTTP exporter, with Django, psycopg and `requests` (Stripe's SDK)
  instrumented, and django-q2 tasks traced: the trace context of the request that queued a task travels in the task
  and the worker's span continues that trace.

`configure()` runs once per process from `OrbitConfig.ready()` (web workers, qcluster, commands).
"""

from __future__ import annotations

import os
import threading

import structlog
from django.conf import settings

logger = structlog.get_logger(__name__)

_configured = False
_lock = threading.Lock()

# Keys whose values are user content or secrets: replaced wherever they appear in an event.
SCRUBBED_KEYS = frozenset(
    {
        "authorization",
        "cookie",
        "set-cookie",
        "x-session-token",
        "password",
        "new_password",
        "current_password",
        "token",
        "access",
        "refresh",
        "access_token",
        "refresh_token",
        "session_token",
        "id_token",
        "key",
        "secret",
        "api_key",
        "text",
        "extracted_text",
        "content",
        "proposed_content",
        "quote",
        "summary",
        "body",
        "prompt",
        "messages",
        "system",
        "input",
        "output",
        "description",
        "data",
        "payload",
    }
)
SCRUBBED = "[scrubbed]"
# Fields of a structlog record that locate a fault without carrying user content; the others are dropped.
SAFE_LOG_FIELDS = frozenset(
    {
        "event",
        "level",
        "logger",
        "view",
        "path",
        "method",
        "status",
        "func",
        "task",
        "kind",
        "provider",
        "model",
        "outcome",
        "error",
        "error_code",
        "error_type",
        "duration_ms",
        "attempt",
        "document_id",
        "scope_id",
        "run_id",
        "export_id",
        "workspace_id",
        "user_id",
        "request_id",
    }
)
_CONTEXT_TAGS = ("request_id", "user_id", "workspace_id")


def _scrub(value, depth: int = 0):
    if depth > 12:
        return SCRUBBED
    if isinstance(value, dict):
        return {
            key: (SCRUBBED if str(key).lower() in SCRUBBED_KEYS else _scrub(item, depth + 1))
            for key, item in value.items()
        }
    if isinstance(value, list | tuple):
        return [_scrub(item, depth + 1) for item in value]
    return value


def scrub_event(event: dict, hint: dict | None = None) -> dict:
    """Sentry `before_send`: keep what locates a fault (type, stack, route, ids), drop what users wrote."""
    request = event.get("request")
    if isinstance(request, dict):
        request.pop("data", None)  # request bodies carry document text, prompts and passwords
        request.pop("cookies", None)
        request.pop("query_string", None)
        if isinstance(request.get("headers"), dict):
            request["headers"] = _scrub(request["headers"])
    for key in ("extra", "contexts", "tags"):
        if isinstance(event.get(key), dict):
            event[key] = _scrub(event[key])
    for breadcrumb in (event.get("breadcrumbs") or {}).get("values", []) or []:
        if isinstance(breadcrumb.get("data"), dict):
            breadcrumb["data"] = _scrub(breadcrumb["data"])
    record = (hint or {}).get("log_record")
    if record is not None and isinstance(record.msg, dict):
        # structlog hands the whole event dict to logging: keep its name and the fields that are safe to send.
        fields = record.msg
        event["logentry"] = {"message": str(fields.get("event", "")), "formatted": str(fields.get("event", ""))}
        event.setdefault("extra", {})["log"] = {key: fields[key] for key in fields if key in SAFE_LOG_FIELDS}
    logentry = event.get("logentry")
    if isinstance(logentry, dict):
        logentry.pop("params", None)
    if isinstance(event.get("extra"), dict):
        event["extra"] = {key: value for key, value in event["extra"].items() if not str(key).startswith("_")}
    for exception in (event.get("exception") or {}).get("values", []) or []:
        for frame in (exception.get("stacktrace") or {}).get("frames", []) or []:
            frame.pop("vars", None)
    # Where the fault happened, from the structured log context of this request or task.
    context = structlog.contextvars.get_contextvars()
    tags = event.setdefault("tags", {})
    for name in _CONTEXT_TAGS:
        if context.get(name):
            tags[name] = str(context[name])
    if context.get("user_id"):
        event["user"] = {"id": str(context["user_id"])}
    else:
        event.pop("user", None)
    return event


def scrub_breadcrumb(crumb: dict, hint: dict | None = None) -> dict:
    """Sentry `before_breadcrumb`: a log line becomes its event name and safe fields, like events do."""
    record = (hint or {}).get("log_record")
    if record is not None and isinstance(record.msg, dict):
        fields = record.msg
        crumb["message"] = str(fields.get("event", ""))
        crumb["data"] = {key: fields[key] for key in fields if key in SAFE_LOG_FIELDS and key != "event"}
    elif isinstance(crumb.get("data"), dict):
        crumb["data"] = _scrub(crumb["data"])
    return crumb


def configure() -> None:
    """Turn on what the environment asks for; idempotent."""
    global _configured
    with _lock:
        if _configured:
            return
        _configured = True
    if settings.SENTRY_DSN:
        _configure_sentry()
    if settings.OTEL_EXPORTER_OTLP_ENDPOINT:
        _configure_tracing()


def _configure_sentry() -> None:
    import sentry_sdk
    from sentry_sdk.integrations.django import DjangoIntegration
    from sentry_sdk.integrations.logging import LoggingIntegration

    sentry_sdk.init(
        dsn=settings.SENTRY_DSN,
        environment=settings.SENTRY_ENVIRONMENT,
        release=settings.SENTRY_RELEASE or None,
        traces_sample_rate=settings.SENTRY_TRACES_SAMPLE_RATE,
        send_default_pii=False,
        include_local_variables=False,
        max_request_body_size="never",
        integrations=[DjangoIntegration(), LoggingIntegration(event_level="ERROR")],
        before_send=scrub_event,
        before_breadcrumb=scrub_breadcrumb,
        default_integrations=True,
    )


def _configure_tracing() -> None:
    from opentelemetry import trace
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
    from opentelemetry.instrumentation.django import DjangoInstrumentor
    from opentelemetry.instrumentation.psycopg import PsycopgInstrumentor
    from opentelemetry.instrumentation.requests import RequestsInstrumentor
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor

    resource = Resource.create({"service.name": settings.OTEL_SERVICE_NAME, "service.namespace": "orbit"})
    provider = TracerProvider(resource=resource)
    # The exporter reads OTEL_EXPORTER_OTLP_ENDPOINT (and headers, timeout) itself and posts to <endpoint>/v1/traces.
    provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
    trace.set_tracer_provider(provider)
    DjangoInstrumentor().instrument()
    PsycopgInstrumentor().instrument(enable_commenter=False, skip_dep_check=True)
    RequestsInstrumentor().instrument()
    _connect_task_tracing()
    logger.info("tracing_enabled", service=settings.OTEL_SERVICE_NAME)


# --- django-q2 tasks: the request's trace continues in the worker ---------------------------------------------
TRACE_KEY = "otel_context"
_task_spans: dict[str, tuple] = {}


def _connect_task_tracing() -> None:
    from django_q.signals import post_execute_in_worker, pre_enqueue, pre_execute

    pre_enqueue.connect(_inject_trace_context, dispatch_uid="orbit.observability.inject")
    pre_execute.connect(_start_task_span, dispatch_uid="orbit.observability.start")
    post_execute_in_worker.connect(_end_task_span, dispatch_uid="orbit.observability.end")


def _inject_trace_context(sender, task, **kwargs) -> None:
    from opentelemetry import propagate

    carrier: dict[str, str] = {}
    propagate.inject(carrier)
    if carrier:
        task[TRACE_KEY] = carrier


def _start_task_span(sender, func, task, **kwargs) -> None:
    from opentelemetry import context, propagate, trace

    parent = propagate.extract(task.get(TRACE_KEY) or {})
    tracer = trace.get_tracer("orbit.tasks")
    span = tracer.start_span(
        f"task {task.get('func')}",
        context=parent,
        kind=trace.SpanKind.CONSUMER,
        attributes={"orbit.task.func": str(task.get("func")), "orbit.task.id": str(task.get("id"))},
    )
    token = context.attach(trace.set_span_in_context(span))
    _task_spans[str(task.get("id"))] = (span, token)


def _end_task_span(sender, func, task, **kwargs) -> None:
    from opentelemetry import context, trace

    entry = _task_spans.pop(str(task.get("id")), None)
    if entry is None:
        return
    span, token = entry
    if not task.get("success", True):
        span.set_status(trace.Status(trace.StatusCode.ERROR, "task failed"))
    span.end()
    context.detach(token)
    # A worker may be recycled right after; don't keep the span waiting for the next batch.
    provider = trace.get_tracer_provider()
    if hasattr(provider, "force_flush") and os.environ.get("OTEL_FLUSH_EACH_TASK", "1") == "1":
        flush(provider, timeout=FLUSH_SECONDS)


FLUSH_SECONDS = 2.0


def flush(provider, *, timeout: float) -> bool:
    """`provider.force_flush()`, waited for at most `timeout` seconds; whether it finished. The SDK's own ignores
    its timeout (opentelemetry-sdk 1.45 exports synchronously, each request up to the exporter's 10 s and its
    retries), and a task's span is flushed inside django-q2's timer lock, after the task's work is done but before
    its result is handed on: a slow or unreachable collector must cost a task at most this, never stall the worker.
    What is not sent by then goes with the next batch."""
    flusher = threading.Thread(target=provider.force_flush, name="orbit-span-flush", daemon=True)
    flusher.start()
    flusher.join(timeout)
    return not flusher.is_alive()
