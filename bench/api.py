"""API latency under concurrent load: scope list, scope detail and search, next to /api/health as the ceiling.

    .venv/bin/python bench/api.py [--scopes 200] [--sections 20] [--requests 400] [--concurrency 8] [--workers 4]

What it does, and undoes:
1. Creates a separate database (`<DATABASE_URL name>_bench_api`, dropped first if it exists) and migrates it.
2. Loads one realistic workspace: --scopes scopes of --sections sections each (text drawn from the public
   templates' content), a few comments per scope, some favourites, and the search vectors.
3. Serves the API with gunicorn (sync workers, DEBUG off) on 127.0.0.1 at a free port.
4. Fires --requests requests per endpoint from --concurrency threads (httpx), as the workspace owner with a
   real bearer token, and prints p50/p95 latency and requests/s per endpoint.
5. Stops gunicorn (SIGTERM to its pid, SIGKILL after 10 s) and drops the database (unless --keep-db).
The load generator runs on the same machine as the server, so the figures are a floor, not a capacity plan.
"""

import argparse
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
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


def bench_database_url() -> tuple[str, dict]:
    base = os.environ.get("DATABASE_URL", LOCAL_DATABASE_URL)
    parts = urlsplit(base)
    name = parts.path.lstrip("/") + "_bench_api"
    return urlunsplit(parts._replace(path="/" + name)), environ.Env.db_url_config(base) | {"BENCH_NAME": name}


def admin_connection(config: dict):
    return psycopg.connect(
        host=config.get("HOST") or "127.0.0.1",
        port=config.get("PORT") or 5432,
        user=config.get("USER") or "postgres",
        password=config.get("PASSWORD") or None,
        dbname="postgres",
        autocommit=True,
    )


def recreate_database(config: dict) -> None:
    with admin_connection(config) as connection:
        name = sql.Identifier(config["BENCH_NAME"])
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
        connection.execute(sql.SQL("CREATE DATABASE {}").format(name))


def drop_database(config: dict) -> None:
    with admin_connection(config) as connection:
        connection.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(config["BENCH_NAME"]))
        )


def paragraph(rng: random.Random, sentences: int) -> str:
    return " ".join(
        " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 16))).capitalize() + "." for _ in range(sentences)
    )


def load_workspace(*, scopes: int, sections: int) -> tuple[str, str, list[str]]:
    """One Team-plan workspace full of scopes. Returns (workspace id, owner's access token, scope ids)."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import transaction

    from accounts.tokens import issue_token_pair
    from scopes import search
    from scopes.models import Comment, Favourite, Project, Scope, ScopeSection
    from templates.models import Template
    from workspaces.models import Membership, Workspace

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
        search.refresh([scope.pk for scope in created])
    return str(workspace.pk), issue_token_pair(owner)["access_token"], [str(scope.pk) for scope in created]


def print_search_plan(workspace_id: str) -> None:
    """How PostgreSQL runs the list's search condition here (the scan lines of EXPLAIN ANALYZE)."""
    from scopes import search
    from scopes.models import Scope

    scopes = search.apply(Scope.objects.filter(workspace_id=workspace_id).alive(), "17")
    plan = scopes.order_by("-rank", "-created_at")[:26].explain(analyze=True)
    print("search plan (q=17):")
    for line in plan.splitlines():
        if "Scan" in line or "BitmapAnd" in line or "Execution Time" in line:
            print("   ", line.strip())


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(*, port: int, workers: int, env: dict) -> subprocess.Popen:
    command = [
        str(ROOT / ".venv" / "bin" / "gunicorn"),
        "orbit.wsgi",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--log-level",
        "warning",
    ]
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, start_new_session=True)


def stop_server(server: subprocess.Popen) -> None:
    if server.poll() is not None:
        return
    server.send_signal(signal.SIGTERM)
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait(timeout=10)


def wait_until_up(base: str, server: subprocess.Popen, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn exited with {server.returncode}")
        try:
            if httpx.get(f"{base}/api/health", timeout=1.0).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise SystemExit("gunicorn did not answer /api/health in time")


def measure(client: httpx.Client, paths: list[str], concurrency: int) -> dict:
    def one(path: str) -> tuple[float, int]:
        started = time.perf_counter()
        response = client.get(path)
        return time.perf_counter() - started, response.status_code

    for path in paths[: concurrency * 2]:  # warm the workers' connections and caches
        client.get(path)
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        results = list(pool.map(one, paths))
    elapsed = time.perf_counter() - started
    latencies = sorted(seconds for seconds, _status in results)
    errors = sum(1 for _seconds, status in results if status != 200)
    return {
        "p50": statistics.median(latencies) * 1000,
        "p95": latencies[max(0, int(len(latencies) * 0.95) - 1)] * 1000,
        "rps": len(results) / elapsed,
        "errors": errors,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scopes", type=int, default=200)
    parser.add_argument("--sections", type=int, default=20)
    parser.add_argument("--requests", type=int, default=400, help="per endpoint")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers")
    parser.add_argument("--keep-db", action="store_true")
    args = parser.parse_args()

    url, config = bench_database_url()
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DEBUG": "false",
        "LOG_LEVEL": "WARNING",
        "JWT_ACCESS_MINUTES": "120",
        "DJANGO_SETTINGS_MODULE": "orbit.settings",
        "PYTHONWARNINGS": "ignore:No directory at",  # whitenoise: no collectstatic for a benchmark
    }
    os.environ.update(env)
    import django

    print(f"database {config['BENCH_NAME']}: creating and migrating ...", flush=True)
    recreate_database(config)
    server = None
    try:
        django.setup()
        started = time.perf_counter()
        workspace_id, token, scope_ids = load_workspace(scopes=args.scopes, sections=args.sections)
        print(
            f"loaded {args.scopes} scopes x {args.sections} sections in {time.perf_counter() - started:.1f}s",
            flush=True,
        )
        print_search_plan(workspace_id)
        from django.db import connections

        connections.close_all()

        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = start_server(port=port, workers=args.workers, env=env)
        wait_until_up(base, server)

        rng = random.Random(7)
        prefix = f"/api/workspaces/{workspace_id}/scopes/"
        n = args.requests
        plans = {
            "GET /api/health (ceiling)": ["/api/health"] * n,
            "scope list (25/page, flags+counts)": [f"{prefix}?limit=25"] * n,
            f"scope detail ({args.sections} sections)": [f"{prefix}{rng.choice(scope_ids)}/" for _ in range(n)],
            # Bench text draws on a small vocabulary, so two common words match nearly every scope: the worst case.
            "search ?q= (ranked, broad)": [
                f"{prefix}?q={rng.choice(WORDS)}+{rng.choice(WORDS)}&limit=25" for _ in range(n)
            ],
            # A client number matches a few scopes (titles "... for client N", clients "Client N % 20 Ltd").
            "search ?q= (ranked, selective)": [f"{prefix}?q={rng.randrange(args.scopes)}&limit=25" for _ in range(n)],
        }
        limits = httpx.Limits(max_connections=args.concurrency, max_keepalive_connections=args.concurrency)
        headers = {"Authorization": f"Bearer {token}"}
        with httpx.Client(base_url=base, headers=headers, limits=limits, timeout=30.0) as client:
            print(
                f"\n{n} requests per endpoint, {args.concurrency} concurrent clients, "
                f"gunicorn {args.workers} sync workers, {os.cpu_count()} CPUs (client and server share them)\n"
            )
            print(f"{'endpoint':<40} {'p50 ms':>8} {'p95 ms':>8} {'req/s':>8} {'errors':>7}")
            for label, paths in plans.items():
                result = measure(client, paths, args.concurrency)
                print(
                    f"{label:<40} {result['p50']:>8.1f} {result['p95']:>8.1f} {result['rps']:>8.1f} "
                    f"{result['errors']:>7}",
                    flush=True,
                )
    finally:
        if server is not None:
            stop_server(server)
        if not args.keep_db:
            try:
                from django.db import connections

                connections.close_all()
            except Exception:  # django may not have been set up
                pass
            drop_database(config)


if __name__ == "__main__":
    main()
