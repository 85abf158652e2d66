"""Prometheus metrics at `/metrics`: off (404) unless `METRICS_TOKEN` or `METRICS_ALLOWED_NETWORKS` is set.

What is exposed:
- requests by view, method and status, and latency histograms: django-prometheus' middleware (added to
  MIDDLEWARE only when metrics are on, so an unmonitored deployment pays nothing per request);
- tasks by kind and outcome with their durations: `orbit_tasks_total` / `orbit_task_duration_seconds`, counted in
  the worker through django-q2's signals;
- read from the database at scrape time, so they hold across hosts and processes: queue depth and the age of the
  oldest queued task, AI runs/tokens/cost by provider, documents and exports by status.

Several processes (gunicorn workers, qcluster) share counters through `PROMETHEUS_MULTIPROC_DIR` when it is set
(prometheus-client's multiprocess mode); without it each process reports its own.
"""

from __future__ import annotations

import hmac
import ipaddress
import os
import time

from django.apps import apps
from django.conf import settings
from django.db.models import Count, Min, Sum
from django.http import HttpResponse
from django.utils import timezone
from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.exposition import CONTENT_TYPE_LATEST

from orbit import http_errors

TASKS = Counter("orbit_tasks_total", "Worker tasks finished, by kind and outcome.", ["kind", "outcome"])
TASK_SECONDS = Histogram(
    "orbit_task_duration_seconds",
    "Worker task duration, by kind.",
    ["kind"],
    buckets=(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600),
)


def enabled() -> bool:
    return bool(settings.METRICS_TOKEN or settings.METRICS_ALLOWED_NETWORKS)


def task_kind(func) -> str:
    """`documents.tasks.process_document` → `documents.process_document`: the app and the task, a bounded set."""
    name = str(func or "unknown")
    parts = name.split(".")
    return f"{parts[0]}.{parts[-1]}" if len(parts) > 1 else name


_task_started: dict[str, float] = {}


def _task_starts(sender, func, task, **kwargs) -> None:
    _task_started[str(task.get("id"))] = time.monotonic()


def record_task(sender, func, task, **kwargs) -> None:
    kind = task_kind(task.get("func"))
    outcome = "success" if task.get("success") else "failure"
    TASKS.labels(kind=kind, outcome=outcome).inc()
    started = _task_started.pop(str(task.get("id")), None)  # django-q2's own "started" is the enqueue time
    if started is not None:
        TASK_SECONDS.labels(kind=kind).observe(time.monotonic() - started)


def connect_task_metrics() -> None:
    from django_q.signals import post_execute_in_worker, pre_execute

    pre_execute.connect(_task_starts, dispatch_uid="orbit.metrics.task_starts")
    post_execute_in_worker.connect(record_task, dispatch_uid="orbit.metrics.record_task")


class DatabaseCollector:
    """Gauges read from PostgreSQL at scrape time: the same answer whichever process is scraped."""

    def collect(self):
        yield from self._queue()
        yield from self._by_status("documents", "Document", "orbit_documents", "Documents by status.")
        yield from self._by_status("exports", "Export", "orbit_exports", "Exports by status.")
        yield from self._ai()

    def _queue(self):
        from django_q.models import OrmQ

        now = timezone.now()
        queued = OrmQ.objects.filter(lock__lte=now)  # not yet taken by a worker (a taken task's lock is its lease)
        stats = queued.aggregate(depth=Count("id"), oldest=Min("lock"))
        depth = GaugeMetricFamily("orbit_queue_depth", "Tasks waiting in the queue.")
        depth.add_metric([], stats["depth"] or 0)
        yield depth
        age = GaugeMetricFamily("orbit_queue_oldest_age_seconds", "Age of the oldest waiting task (0 when none).")
        age.add_metric([], (now - stats["oldest"]).total_seconds() if stats["oldest"] else 0.0)
        yield age

    def _by_status(self, app_label, model_name, metric, documentation):
        try:
            model = apps.get_model(app_label, model_name)
        except LookupError:
            return
        family = GaugeMetricFamily(metric, documentation, labels=["status"])
        for row in model.objects.values("status").annotate(n=Count("id")).order_by("status"):
            family.add_metric([row["status"]], row["n"])
        yield family

    def _ai(self):
        try:
            run = apps.get_model("ai", "AIRun")
        except LookupError:
            return
        runs = GaugeMetricFamily(
            "orbit_ai_runs", "AI runs by provider, kind and status.", labels=["provider", "kind", "status"]
        )
        for row in run.objects.values("provider", "kind", "status").annotate(n=Count("id")).order_by():
            runs.add_metric([row["provider"] or "", row["kind"] or "", row["status"] or ""], row["n"])
        yield runs
        rows = (
            run.objects.values("provider")
            .annotate(input_tokens=Sum("input_tokens"), output_tokens=Sum("output_tokens"), cost_usd=Sum("cost_usd"))
            .order_by("provider")
        )
        tokens = GaugeMetricFamily(
            "orbit_ai_tokens", "AI tokens used, by provider and direction.", labels=["provider", "direction"]
        )
        cost = GaugeMetricFamily("orbit_ai_cost_usd", "AI cost recorded, by provider (USD).", labels=["provider"])
        for row in rows:
            for direction in ("input", "output"):
                tokens.add_metric([row["provider"] or "", direction], row[f"{direction}_tokens"] or 0)
            cost.add_metric([row["provider"] or ""], float(row["cost_usd"] or 0))
        yield tokens
        yield cost


_database_registry = CollectorRegistry(auto_describe=False)
_database_registry.register(DatabaseCollector())


def _process_registry():
    from prometheus_client import REGISTRY

    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return registry
    return REGISTRY


def _allowed(request) -> bool:
    token = settings.METRICS_TOKEN
    if token:
        header = request.headers.get("Authorization", "")
        if header.startswith("Bearer ") and hmac.compare_digest(header[7:].encode(), token.encode()):
            return True
    networks = settings.METRICS_ALLOWED_NETWORKS
    if networks:
        try:
            address = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
        except ValueError:
            return False
        return any(address in ipaddress.ip_network(network, strict=False) for network in networks)
    return False


def metrics_view(request):
    """The scrape endpoint. Not configured → 404 (as if absent); configured but not allowed → 403."""
    if not enabled():
        return http_errors.not_found(request)
    if not _allowed(request):
        return http_errors.permission_denied(request)
    body = generate_latest(_process_registry()) + generate_latest(_database_registry)
    return HttpResponse(body, content_type=CONTENT_TYPE_LATEST)
