"""Observability is off and costs nothing without configuration, and works with it: Sentry events (scrubbed of
document text, prompts and tokens), OTLP traces that follow a request into the task it queued, and Prometheus
metrics behind a token or a network allow-list. The "on" cases run real processes against local receivers."""

import json
import os
import signal
import subprocess
import sys
import time
from datetime import timedelta

import pytest
import requests
from django.conf import settings
from django.db import connection
from django.utils import timezone
from django_q.models import OrmQ

from documents.models import Document
from documents.tests import samples
from orbit import metrics, observability
from orbit.testing import assert_error, child_env, serve, start_qcluster
from orbit.tests.receivers import Sink, envelope_items, spans

SECRET_TEXT = "CONFIDENTIAL client pricing 4,200,000 EUR"


# --- the scrubber ------------------------------------------------------------------------------------------------
def test_scrubber_drops_bodies_secrets_and_locals_and_keeps_where_it_happened():
    import structlog

    structlog.contextvars.bind_contextvars(request_id="req-123456789", user_id="u-1", workspace_id="w-1")
    try:
        event = observability.scrub_event(
            {
                "request": {
                    "url": "http://api/x",
                    "data": {"text": SECRET_TEXT},
                    "cookies": {"sessionid": "abc"},
                    "query_string": "token=abc",
                    "headers": {"Authorization": "Bearer eyJ.secret", "User-Agent": "spa"},
                },
                "extra": {"prompt": SECRET_TEXT, "nested": {"content": SECRET_TEXT, "count": 3}, "_logger": "x"},
                "exception": {
                    "values": [{"type": "ValueError", "stacktrace": {"frames": [{"vars": {"t": SECRET_TEXT}}]}}]
                },
                "breadcrumbs": {"values": [{"data": {"quote": SECRET_TEXT, "status": 200}}]},
                "user": {"email": "someone@example.com"},
            }
        )
    finally:
        structlog.contextvars.clear_contextvars()
    assert SECRET_TEXT not in json.dumps(event)
    assert "eyJ.secret" not in json.dumps(event)
    assert "someone@example.com" not in json.dumps(event)
    assert event["request"]["headers"]["User-Agent"] == "spa"
    assert event["extra"]["nested"]["count"] == 3
    assert "_logger" not in event["extra"]
    assert event["exception"]["values"][0]["type"] == "ValueError"
    assert event["tags"] == {"request_id": "req-123456789", "user_id": "u-1", "workspace_id": "w-1"}
    assert event["user"] == {"id": "u-1"}


def test_scrubber_keeps_only_the_safe_fields_of_a_structlog_record():
    import logging

    record = logging.LogRecord("orbit", logging.ERROR, __file__, 1, {}, (), None)
    record.msg = {"event": "ai_run_failed", "provider": "openai", "text": SECRET_TEXT, "prompt": SECRET_TEXT}
    event = observability.scrub_event({"logentry": {"message": str(record.msg), "params": []}}, {"log_record": record})
    assert SECRET_TEXT not in json.dumps(event)
    assert event["logentry"]["message"] == "ai_run_failed"
    assert event["extra"]["log"] == {"event": "ai_run_failed", "provider": "openai"}


# --- off by default ------------------------------------------------------------------------------------------------
def test_everything_is_off_without_configuration(api_client, db):
    import sentry_sdk
    from opentelemetry import trace
    from opentelemetry.sdk.trace import TracerProvider

    assert not settings.SENTRY_DSN
    assert not settings.OTEL_EXPORTER_OTLP_ENDPOINT
    assert not sentry_sdk.get_client().is_active()
    assert not isinstance(trace.get_tracer_provider(), TracerProvider)
    assert not metrics.enabled()
    assert not any("prometheus" in middleware for middleware in settings.MIDDLEWARE)
    response = api_client.get("/metrics")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


# --- metrics endpoint access ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("header", "status"),
    [(None, 403), ("Bearer wrong-token", 403), ("Basic czNjcmV0", 403), ("Bearer s3cret-metrics-token", 200)],
)
def test_metrics_need_the_token(api_client, db, settings, header, status):
    settings.METRICS_TOKEN = "s3cret-metrics-token"
    response = api_client.get("/metrics", **({"HTTP_AUTHORIZATION": header} if header else {}))
    assert response.status_code == status
    if status == 200:
        assert response["Content-Type"].startswith("text/plain")
        assert b"orbit_queue_depth " in response.content
    else:
        assert response.json()["error"]["code"] == "permission_denied"


@pytest.mark.parametrize(("networks", "status"), [(["127.0.0.0/8"], 200), (["10.0.0.0/8", "::1/128"], 403)])
def test_metrics_from_allowed_networks(api_client, db, settings, networks, status):
    settings.METRICS_ALLOWED_NETWORKS = networks
    response = api_client.get("/metrics", REMOTE_ADDR="127.0.0.1")
    if status == 403:
        assert_error(response, 403, "permission_denied")
    else:
        assert response.status_code == 200


def test_metrics_read_queue_documents_and_ai_from_the_database(api_client, db, settings, workspace):
    from documents.tests.factories import DocumentFactory

    settings.METRICS_TOKEN = "s3cret-metrics-token"
    DocumentFactory(workspace=workspace, status=Document.Status.FAILED)
    OrmQ.objects.create(key="orbit", payload="x", lock=timezone.now() - timedelta(seconds=90))
    body = api_client.get("/metrics", HTTP_AUTHORIZATION="Bearer s3cret-metrics-token").content.decode()
    assert 'orbit_documents{status="failed"} 1.0' in body
    assert "orbit_queue_depth 1.0" in body
    age_line = next(line for line in body.splitlines() if line.startswith("orbit_queue_oldest_age_seconds "))
    age = float(age_line.split()[1])
    assert 90 <= age < 120


# --- readiness and the queue ---------------------------------------------------------------------------------------
def test_ready_reports_the_queue_and_fails_when_it_stalls(api_client, db, settings):
    settings.READY_MAX_QUEUE_AGE = 60
    OrmQ.objects.create(key="orbit", payload="x", lock=timezone.now() - timedelta(seconds=5))
    fresh = api_client.get("/api/ready/")
    assert fresh.status_code == 200, fresh.json()
    assert fresh.json()["checks"]["queue"]["queued"] == 1
    assert 5 <= fresh.json()["checks"]["queue"]["oldest_age_seconds"] < 60

    OrmQ.objects.create(key="orbit", payload="x", lock=timezone.now() - timedelta(seconds=600))
    stalled = api_client.get("/api/ready/")
    assert stalled.status_code == 503
    assert stalled.json()["checks"]["queue"]["ok"] is False
    assert stalled.json()["checks"]["queue"]["error"] == "queue_stalled"


def test_ready_fails_past_the_queue_depth(api_client, db, settings):
    settings.READY_MAX_QUEUE_DEPTH = 2
    OrmQ.objects.bulk_create([OrmQ(key="orbit", payload="x", lock=timezone.now()) for _ in range(3)])
    response = api_client.get("/api/ready/")
    assert response.status_code == 503
    assert response.json()["checks"]["queue"]["error"] == "queue_backlog"


def test_a_task_being_worked_on_is_not_waiting(api_client, db):
    OrmQ.objects.create(key="orbit", payload="x", lock=timezone.now() + timedelta(seconds=600))  # leased
    assert api_client.get("/api/ready/").json()["checks"]["queue"]["queued"] == 0


# --- on, in real processes -----------------------------------------------------------------------------------------
_SENTRY_SCRIPT = """
import os, structlog, sentry_sdk
from orbit.exception_handler import exception_handler
structlog.contextvars.bind_contextvars(request_id="req-abcdef123", user_id="user-42", workspace_id="ws-7")
try:
    raise ValueError("boom")
except ValueError as exc:
    structlog.get_logger("orbit.test").error("document_parse_failed", text=os.environ["SECRET"], document_id="d-1")
    exception_handler(exc, {})  # what an unhandled error in a view does: log it, answer 500
sentry_sdk.flush(timeout=10)
"""


@pytest.mark.slow
def test_sentry_receives_scrubbed_errors_when_configured(db):
    with Sink() as sink:
        result = subprocess.run(
            [sys.executable, "manage.py", "shell", "-c", _SENTRY_SCRIPT],
            cwd=settings.BASE_DIR,
            env=child_env(SENTRY_DSN=f"http://publickey@{sink.url.removeprefix('http://')}/1", SECRET=SECRET_TEXT),
            capture_output=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr.decode()[-2000:]
        envelopes = sink.wait_for(lambda: sink.received("/api/1/envelope/"))
    raw = b"".join(request["body"] for request in envelopes)
    assert SECRET_TEXT.encode() not in raw
    events = [item for request in envelopes for item in envelope_items(request["body"])]
    assert {event["logentry"]["message"] for event in events} == {"document_parse_failed", "unhandled_exception"}
    crash = next(event for event in events if event["logentry"]["message"] == "unhandled_exception")
    assert crash["exception"]["values"][-1]["type"] == "ValueError"
    assert crash["tags"]["request_id"] == "req-abcdef123"
    assert crash["tags"]["workspace_id"] == "ws-7"
    assert crash["user"] == {"id": "user-42"}


def database_sessions() -> list[tuple]:
    """The other sessions on the test database: state, what they wait on, for how long, and their query."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT application_name, state, wait_event_type, wait_event, now() - query_start, left(query, 200)"
            " FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return cursor.fetchall()


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_request_is_traced_into_the_task_it_queued_and_counted(make_client, workspace, tmp_path):
    owner = make_client(workspace.owner)
    auth = {"Authorization": owner._credentials["HTTP_AUTHORIZATION"]}
    data = samples.structured_docx()
    docx = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    multiproc = tmp_path / "prometheus"
    multiproc.mkdir()
    with Sink() as sink:
        common = {
            "DJANGO_SETTINGS_MODULE": "orbit.settings",
            "OTEL_EXPORTER_OTLP_ENDPOINT": sink.url,
            "OTEL_BSP_SCHEDULE_DELAY": "100",
            "METRICS_TOKEN": "s3cret-metrics-token",
            "PROMETHEUS_MULTIPROC_DIR": str(multiproc),
            "MEDIA_ROOT": str(tmp_path),
        }
        worker_log = (tmp_path / "worker.log").open("w")  # a file, not a pipe: a full pipe would stall the worker
        # INFO logs and faulthandler: when the document never finishes, the log says what the worker did, and
        # SIGABRT (below) makes it print where each of its threads is stuck.
        worker = start_qcluster(
            **common, OTEL_SERVICE_NAME="orbit-worker", LOG_LEVEL="INFO", PYTHONFAULTHANDLER="1", stderr=worker_log
        )
        try:
            with serve(**common, Q_SYNC="false", OTEL_SERVICE_NAME="orbit-web") as server:
                base = f"{server}/api/workspaces/{workspace.id}/documents/"
                asked = requests.post(
                    base, json={"filename": "brief.docx", "size": len(data), "content_type": docx}, headers=auth
                )
                assert asked.status_code == 201, asked.text
                upload = asked.json()["upload"]
                assert requests.put(upload["url"], data=data, headers=upload["headers"]).status_code == 200
                document_id = asked.json()["document"]["id"]
                confirmed = requests.post(f"{base}{document_id}/confirm/", headers=auth, timeout=60)
                assert confirmed.status_code in (200, 202), confirmed.text

                def completed():
                    document = Document.objects.get(pk=document_id)
                    assert document.status != Document.Status.FAILED, document.error
                    return document.status == Document.Status.COMPLETED

                try:
                    sink.wait_for(completed, timeout=120)  # a cold worker on a loaded 2-core machine is slow
                except AssertionError:
                    document = Document.objects.get(pk=document_id)
                    sessions = database_sessions()
                    os.killpg(worker.pid, signal.SIGABRT)  # faulthandler: every thread's stack, into the log
                    time.sleep(2)
                    log = (tmp_path / "worker.log").read_text()[-12000:]
                    raise AssertionError(
                        f"document {document.status} ({document.error!r}); database sessions: {sessions}; worker: {log}"
                    ) from None

                def linked():
                    found = [span for request in sink.received("/v1/traces") for span in spans(request["body"])]
                    tasks = [s for s in found if s["service"] == "orbit-worker" and s["name"].startswith("task ")]
                    web = {s["trace_id"] for s in found if s["service"] == "orbit-web" and "confirm" in s["name"]}
                    return [task for task in tasks if task["trace_id"] in web] and found

                try:
                    found = sink.wait_for(linked, timeout=30)
                except AssertionError:
                    seen = sorted(
                        {(s["service"], s["name"]) for r in sink.received("/v1/traces") for s in spans(r["body"])}
                    )
                    os.killpg(worker.pid, signal.SIGABRT)  # faulthandler: every thread's stack, into the log
                    time.sleep(2)
                    log = (tmp_path / "worker.log").read_text()[-12000:]
                    raise AssertionError(f"no worker task span linked to the confirm; spans: {seen}; worker: {log}")
                scraped = requests.get(f"{server}/metrics", headers={"Authorization": "Bearer s3cret-metrics-token"})
        finally:
            os.killpg(worker.pid, signal.SIGKILL)  # the cluster and its worker processes
            worker.wait(timeout=30)
            worker_log.close()
    task = next(s for s in found if s["service"] == "orbit-worker" and s["name"].startswith("task "))
    assert task["name"] == "task documents.tasks.process_document"
    assert task["parent_id"] in {s["span_id"] for s in found if s["service"] == "orbit-web"}
    assert any(s["service"] == "orbit-worker" and s["name"] != task["name"] for s in found)  # psycopg spans
    assert scraped.status_code == 200
    body = scraped.text
    assert 'orbit_tasks_total{kind="documents.process_document",outcome="success"} 1.0' in body
    assert 'orbit_documents{status="completed"} 1.0' in body
    assert "django_http_responses_total_by_status_view_method_total" in body
    assert "django_http_requests_latency_seconds_by_view_method_bucket" in body
