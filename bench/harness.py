"""What the API and queue benchmarks share: a scratch database, one realistic workspace, gunicorn and qcluster
child processes, URLs by route name, and in-process WSGI calls.

Not a benchmark itself. The scripts next to it import it as `harness` (their own folder is on `sys.path`).
"""

import argparse
import io
import os
import random
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import environ  # noqa: E402
import httpx  # noqa: E402
import psycopg  # noqa: E402
from psycopg import sql  # noqa: E402

from orbit.config import LOCAL_DATABASE_URL  # noqa: E402

WORDS = [
    "discovery",
    "design",
    "build",
    "launch",
    "migration",
    "integration",
    "analytics",
    "dashboard",
    "budget",
    "timeline",
    "stakeholder",
    "workshop",
    "prototype",
    "accessibility",
    "performance",
    "content",
    "strategy",
    "campaign",
    "audience",
    "conversion",
    "pipeline",
    "warehouse",
    "reporting",
    "governance",
    "security",
    "compliance",
    "onboarding",
    "training",
    "support",
    "retainer",
    "hosting",
    "cloud",
    "mobile",
    "platform",
    "api",
    "webhook",
    "payments",
    "checkout",
    "catalogue",
    "search",
    "personalisation",
    "localisation",
    "testing",
]


# --- Command line and in-process test database ------------------------------------------------------
def count_options(description: str, **defaults: int) -> argparse.Namespace:
    """Parse a benchmark's command line whose options are all counts: `pdf_pages=100` is `--pdf-pages 100`."""
    parser = argparse.ArgumentParser(description=description)
    for name, default in defaults.items():
        parser.add_argument(f"--{name.replace('_', '-')}", type=int, default=default)
    return parser.parse_args()


def keep_test_database() -> None:
    """For in-process benchmarks (Django set up with TEST_DATABASE_NAME): create the test database, or keep the
    one a previous run left, and point Django's connection at it."""
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()
    connection.creation.create_test_db(verbosity=0, keepdb=True)


# --- Scratch database --------------------------------------------------------------------------------
def bench_database(suffix: str) -> tuple[str, dict]:
    """(DATABASE_URL, config) of `<DATABASE_URL name>_<suffix>`: a database of its own, never the developer's."""
    base = os.environ.get("DATABASE_URL", LOCAL_DATABASE_URL)
    parts = urlsplit(base)
    name = f"{parts.path.lstrip('/')}_{suffix}"
    return urlunsplit(parts._replace(path="/" + name)), environ.Env.db_url_config(base) | {"BENCH_NAME": name}


def _admin_connection(config: dict):
    return psycopg.connect(
        host=config.get("HOST") or "127.0.0.1",
        port=config.get("PORT") or 5432,
        user=config.get("USER") or "postgres",
        password=config.get("PASSWORD") or None,
        dbname="postgres",
        autocommit=True,
    )


def database_exists(config: dict) -> bool:
    with _admin_connection(config) as connection:
        row = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [config["BENCH_NAME"]]).fetchone()
    return row is not None


def recreate_database(config: dict) -> None:
    with _admin_connection(config) as connection:
        name = sql.Identifier(config["BENCH_NAME"])
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
        connection.execute(sql.SQL("CREATE DATABASE {}").format(name))


def drop_database(config: dict) -> None:
    try:
        from django.db import connections

        connections.close_all()
    except Exception:  # django may not have been set up
        pass
    with _admin_connection(config) as connection:
        connection.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(config["BENCH_NAME"]))
        )


def child_env(database_url: str, **overrides: str) -> dict:
    """The environment of the bench process and of its gunicorn/qcluster children: DEBUG off, quiet logs."""
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "DEBUG": "false",
        "LOG_LEVEL": "WARNING",
        "JWT_ACCESS_MINUTES": "120",
        "DJANGO_SETTINGS_MODULE": "orbit.settings",
        "PYTHONWARNINGS": "ignore:No directory at",  # whitenoise: no collectstatic for a benchmark
        **overrides,
    }


# --- One realistic workspace -------------------------------------------------------------------------
def paragraph(rng: random.Random, sentences: int) -> str:
    return " ".join(
        " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 16))).capitalize() + "." for _ in range(sentences)
    )


def analyze() -> None:
    """VACUUM ANALYZE, what autovacuum keeps done in production. Without it (a fresh load, an earlier run's writes,
    or a server with autovacuum off, as this machine's is) PostgreSQL guesses a handful of rows per table and plans
    for that, e.g. sorting all 7,000 activity events of the workspace for a 25-row page (9.5 ms) instead of reading
    the index in order (0.2 ms), and an index scan still visits every dead row version the bench's writes left."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def load_workspace(*, scopes: int, sections: int, events: int = 2000) -> None:
    """One Team-plan workspace: `scopes` scopes of `sections` sections (text drawn from the public templates), a
    few comments per scope, some favourites, `events` activity events, and the search vectors."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import transaction

    from scopes import counts, search
    from scopes.models import Comment, Favourite, Project, Scope, ScopeSection
    from templates.models import Template
    from workspaces.models import ActivityEvent, Membership, Workspace

    call_command("migrate", verbosity=0, interactive=False)
    rng = random.Random(42)
    outlines = [section for template in Template.objects.public() for section in template.sections]
    with transaction.atomic():
        owner = get_user_model().objects.create_user(email="bench-owner@example.com", password=None)
        workspace = Workspace.objects.create(name="Bench agency", slug="bench-agency", owner=owner, plan="team")
        Membership.objects.create(workspace=workspace, user=owner, role=Membership.Role.OWNER)
        projects = Project.objects.bulk_create(
            Project(workspace=workspace, name=f"Client {n}", client_name=f"Client {n} Ltd") for n in range(20)
        )
        created = Scope.objects.bulk_create(
            Scope(
                workspace=workspace,
                project=rng.choice(projects),
                title=f"{rng.choice(WORDS).capitalize()} {rng.choice(WORDS)} for client {n}",
                client_name=f"Client {n % 20} Ltd",
                summary=paragraph(rng, 3),
                status=rng.choice(Scope.Status.values),
                created_by=owner,
            )
            for n in range(scopes)
        )
        rows = []
        for scope in created:
            for position in range(sections):
                outline = rng.choice(outlines)
                rows.append(
                    ScopeSection(
                        scope=scope,
                        position=position,
                        section_type=outline["section_type"],
                        title=outline["title"],
                        content=outline["content"] + "\n\n" + paragraph(rng, 4),
                        confidence=round(rng.uniform(0.5, 1.0), 2),
                        sources=[{"document_id": "00000000-0000-0000-0000-000000000000", "page": 1, "quote": "..."}],
                    )
                )
        ScopeSection.objects.bulk_create(rows, batch_size=2000)
        Comment.objects.bulk_create(
            Comment(scope=scope, author=owner, body=paragraph(rng, 1)) for scope in created for _ in range(3)
        )
        Favourite.objects.bulk_create(Favourite(user=owner, scope=scope) for scope in created[::10])
        ActivityEvent.objects.bulk_create(
            ActivityEvent(
                workspace=workspace,
                actor=owner,
                verb=rng.choice(["scope.created", "scope.updated", "comment.added", "scope.status_changed"]),
                target_type="scopes.scope",
                target_id=str(scope.pk),
                metadata={"change": "section_updated", "fields": ["content"]},
            )
            for scope in (rng.choice(created) for _ in range(events))
        )
        search.refresh([scope.pk for scope in created])
        counts.refresh(*created)  # rows made here in bulk, not through the services that keep the counts


def workspace_fixture() -> dict:
    """The loaded workspace as the benchmarks address it: ids, the owner's bearer token, the sections."""
    from accounts.tokens import issue_token_pair
    from scopes.models import ScopeSection
    from workspaces.models import Workspace

    workspace = Workspace.objects.select_related("owner").get(slug="bench-agency")
    sections = list(
        ScopeSection.objects.filter(scope__workspace=workspace).values_list("scope_id", "pk", "version").order_by("pk")
    )
    return {
        "workspace_id": str(workspace.pk),
        "token": issue_token_pair(workspace.owner)["access_token"],
        "scope_ids": sorted({str(scope_id) for scope_id, _pk, _version in sections}),
        "sections": [(str(scope_id), str(pk), version) for scope_id, pk, version in sections],
    }


def url(name: str, *args) -> str:
    """The path of a named route. Positional arguments, so renaming a URL parameter does not break the bench."""
    from django.urls import reverse

    return reverse(name, args=[str(arg) for arg in args])


# --- Child processes ---------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_gunicorn(*, port: int, workers: int, env: dict) -> subprocess.Popen:
    command = [
        str(ROOT / ".venv" / "bin" / "gunicorn"),
        "orbit.wsgi",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--backlog",
        "2048",
        "--log-level",
        "warning",
    ]
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, start_new_session=True)


def start_qcluster(*, env: dict) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "manage.py", "qcluster"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def stop_process(process: subprocess.Popen) -> None:
    """SIGTERM to the child (gunicorn/qcluster stop their own workers), SIGKILL to its whole group after 10 s."""
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


def wait_until_up(base: str, health_path: str, server: subprocess.Popen, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn exited with {server.returncode}")
        try:
            if httpx.get(f"{base}{health_path}", timeout=1.0).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"gunicorn did not answer {health_path} in time")


# --- In-process requests -----------------------------------------------------------------------------
def wsgi_call(application, method: str, path: str, *, headers: dict | None = None, body: bytes = b""):
    """One request through the WSGI application, as gunicorn hands it over: (status code, headers, body)."""
    path, _, query = path.partition("?")
    environ_ = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_HOST": "127.0.0.1",
        "CONTENT_TYPE": "application/json",
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": sys.stderr,
        "wsgi.url_scheme": "http",
        "wsgi.version": (1, 0),
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    for name, value in (headers or {}).items():
        environ_["HTTP_" + name.upper().replace("-", "_")] = value
    answer = {}

    def start_response(status, response_headers, exc_info=None):
        answer["status"] = int(status.split()[0])
        answer["headers"] = dict(response_headers)

    result = application(environ_, start_response)
    try:
        content = b"".join(result)
    finally:
        if hasattr(result, "close"):
            result.close()
    return answer["status"], answer["headers"], content
