"""The root answer and the liveness and readiness probes."""

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import JsonResponse
from django.urls import reverse
from django.views.decorators.http import require_safe
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from orbit.schema import documented


class HealthView(APIView):
    """The process is alive and serving requests. Touches nothing else."""

    authentication_classes = []
    permission_classes = [AllowAny]

    @extend_schema(responses=inline_serializer("Health", {"status": serializers.CharField()}))
    def get(self, request):
        return Response({"status": "ok"})


def _database_check() -> dict:
    try:
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute("SELECT 1")
        return {"ok": True}
    except Exception as exc:  # any driver error means "not ready"
        return {"ok": False, "error": exc.__class__.__name__}


def _migrations_check() -> dict:
    try:
        executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
        return {"ok": not pending, "pending": len(pending)}
    except Exception as exc:
        return {"ok": False, "error": exc.__class__.__name__}


def _queue_check() -> dict:
    """Reachable and draining: fails past READY_MAX_QUEUE_AGE (oldest wait) or READY_MAX_QUEUE_DEPTH (tasks)."""
    from django.conf import settings
    from django.db.models import Count, Min
    from django.utils import timezone
    from django_q.brokers import get_broker
    from django_q.models import OrmQ

    try:
        broker = get_broker()
        reachable = bool(broker.ping())
        now = timezone.now()
        # A waiting task's lock is its enqueue time; a taken one's lock is its lease, in the future.
        stats = OrmQ.objects.filter(lock__lte=now).aggregate(depth=Count("id"), oldest=Min("lock"))
    except Exception as exc:
        return {"ok": False, "error": exc.__class__.__name__}
    age = round((now - stats["oldest"]).total_seconds(), 1) if stats["oldest"] else 0.0
    check = {
        "ok": reachable,
        "queued": stats["depth"],
        "oldest_age_seconds": age,
        "max_age_seconds": settings.READY_MAX_QUEUE_AGE,
        "max_depth": settings.READY_MAX_QUEUE_DEPTH,
    }
    if age > settings.READY_MAX_QUEUE_AGE:
        check.update(ok=False, error="queue_stalled")
    elif stats["depth"] > settings.READY_MAX_QUEUE_DEPTH:
        check.update(ok=False, error="queue_backlog")
    return check


# Each check answers `ok`, and why not (`error`) or what it saw; migrations and queue only once the database is up.
_CHECK = {
    "type": "object",
    "properties": {
        "ok": {"type": "boolean"},
        "error": {"type": "string", "description": "Why not ok: an exception name, queue_stalled, queue_backlog."},
        "pending": {"type": "integer", "description": "migrations: unapplied migrations."},
        "queued": {"type": "integer"},
        "oldest_age_seconds": {"type": "number"},
        "max_age_seconds": {"type": "number"},
        "max_depth": {"type": "integer"},
    },
    "required": ["ok"],
}
READY_CHECKS = documented(
    serializers.DictField,
    {
        "type": "object",
        "properties": {"database": _CHECK, "migrations": _CHECK, "queue": _CHECK},
        "required": ["database"],
    },
)


class ReadyView(APIView):
    """Ready to serve: database reachable, migrations applied, task queue reachable. 503 otherwise."""

    authentication_classes = []
    permission_classes = [AllowAny]

    @extend_schema(
        responses={
            (200, "application/json"): inline_serializer(
                "Readiness", {"status": serializers.CharField(), "checks": READY_CHECKS}
            ),
            (503, "application/json"): inline_serializer(
                "NotReady", {"status": serializers.CharField(), "checks": READY_CHECKS}
            ),
        }
    )
    def get(self, request):
        checks = {"database": _database_check()}
        if checks["database"]["ok"]:
            checks["migrations"] = _migrations_check()
            checks["queue"] = _queue_check()
        ready = all(check["ok"] for check in checks.values()) and len(checks) == 3
        return Response({"status": "ready" if ready else "unavailable", "checks": checks}, status=200 if ready else 503)


@require_safe
def root(request):
    """`GET /`: what this server is and where to start, instead of a 404 page."""
    return JsonResponse(
        {
            "name": "Orbit API",
            "docs": reverse("docs"),
            "schema": reverse("schema"),
            "health": reverse("health"),
            "auth_docs": "/_allauth/openapi.html",
        }
    )
