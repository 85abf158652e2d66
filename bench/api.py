"""API cost of the hot endpoints: throughput as a ratio to /api/health/ measured in the same run, in-process CPU
ms per request, and a mixed read/write soak.

    .venv/bin/python bench/api.py [--scopes 200] [--sections 20] [--requests 400] [--concurrency 8] [--workers 4]
                                  [--passes 1] [--cpu-rounds 150] [--soak SECONDS [--soak-concurrency 50]]
                                  [--skip-throughput] [--keep-db] [--reuse-db]

Endpoints: /api/health/ (the ceiling), the scope list (25 a page), a scope detail, ranked search (broad and
selective), the activity feed, and a write: a section PATCH with If-Match (its ETag tracked per section, and a
section is never in two requests at once, so every write must succeed).

1. Creates `<DATABASE_URL name>_bench_api` (dropped first; --reuse-db keeps one left by --keep-db) and loads one
   workspace: --scopes scopes of --sections sections, comments, favourites, 2,000 activity events, search vectors.
2. In-process CPU: --cpu-rounds rounds, each calling every endpoint once in a shuffled order through the WSGI
   application (what gunicorn calls), timing each with `time.process_time`; prints the median ms. The load of other
   processes on the machine hardly moves this figure, unlike wall-clock throughput.
3. Throughput: gunicorn (sync workers, DEBUG off) on 127.0.0.1; --requests requests per endpoint from
   --concurrency threads (httpx) with the owner's bearer token; p50/p95, req/s, and req/s as a ratio to health
   from the same pass. With --passes N the endpoints are measured N times and the medians printed.
4. Soak (--soak SECONDS): --soak-concurrency clients for that long, a mix of reads and section PATCHes; prints
   requests, errors (anything but 2xx, or a transport error: must be 0) and p50/p95/p99. Exit status 1 on errors.
5. Stops gunicorn and drops the database (unless --keep-db).
The load generator shares the machine with the server, so the figures are a floor, not a capacity plan.
"""

import argparse
import collections
import json
import os
import random
import statistics
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import harness
import httpx

SOAK_MIX = {"list": 25, "detail": 30, "search": 15, "activity": 10, "patch": 20}


class SectionPool:
    """Sections to PATCH, each with the version its next If-Match names. A section is lent to one request at a
    time and comes back with the version its response's ETag gave, so a write never races another."""

    def __init__(self, sections):
        self._free = collections.deque(sections)
        self._lock = threading.Lock()

    def take(self):
        with self._lock:
            return self._free.popleft()

    def give_back(self, section, etag: str | None):
        scope_id, section_id, version = section
        if etag:
            version = int(etag.strip('W/"'))
        with self._lock:
            self._free.append((scope_id, section_id, version))


class Endpoints:
    """Builds the requests of each endpoint: (method, path, headers, body) and what to do with the answer."""

    def __init__(self, fixture: dict, *, seed: int = 7):
        self.rng = random.Random(seed)
        self.fixture = fixture
        self.workspace_id = fixture["workspace_id"]
        self.pool = SectionPool(fixture["sections"])
        self.scope_list = harness.url("scope-list", self.workspace_id)
        self.activity = harness.url("activity-list", self.workspace_id)
        self.health = harness.url("health")
        self.count = len(fixture["scope_ids"])

    def request(self, name: str):
        rng, ws = self.rng, self.workspace_id
        if name == "health":
            return "GET", self.health, None
        if name == "list":
            return "GET", f"{self.scope_list}?limit=25", None
        if name == "detail":
            return "GET", harness.url("scope-detail", ws, rng.choice(self.fixture["scope_ids"])), None
        if name in ("search", "search_broad"):
            # Bench text draws on a small vocabulary, so two common words match nearly every scope: the worst case.
            return "GET", f"{self.scope_list}?q={rng.choice(harness.WORDS)}+{rng.choice(harness.WORDS)}&limit=25", None
        if name == "search_selective":
            # A client number matches a few scopes (titles "... for client N", clients "Client N % 20 Ltd").
            return "GET", f"{self.scope_list}?q={rng.randrange(self.count)}&limit=25", None
        if name == "activity":
            return "GET", f"{self.activity}?limit=25", None
        if name == "patch":
            section = self.pool.take()
            scope_id, section_id, version = section
            path = harness.url("scope-section-detail", ws, scope_id, section_id)
            body = {"content": f"Edited {time.time_ns()}: " + " ".join(rng.choice(harness.WORDS) for _ in range(60))}
            return "PATCH", path, {"if_match": f'"{version}"', "body": json.dumps(body).encode(), "section": section}
        raise ValueError(name)

    def done(self, name: str, extra, etag: str | None) -> None:
        if name == "patch":
            self.pool.give_back(extra["section"], etag)


ENDPOINTS = {
    "health": "GET /api/health/ (ceiling)",
    "list": "scope list (25/page, flags+counts)",
    "detail": "scope detail",
    "search_broad": "search ?q= (ranked, broad)",
    "search_selective": "search ?q= (ranked, selective)",
    "activity": "activity feed (25/page)",
    "patch": "section PATCH (If-Match)",
}


# --- In-process CPU ----------------------------------------------------------------------------------
def cpu_per_request(endpoints: Endpoints, *, rounds: int, warmup: int = 15) -> dict[str, float]:
    """Median CPU ms of each endpoint over `rounds` shuffled rounds through the WSGI application."""
    from django.core.wsgi import get_wsgi_application

    application = get_wsgi_application()
    auth = {"Authorization": f"Bearer {endpoints.fixture['token']}"}
    samples = {name: [] for name in ENDPOINTS}
    order = list(ENDPOINTS)
    for round_number in range(warmup + rounds):
        endpoints.rng.shuffle(order)
        for name in order:
            method, path, extra = endpoints.request(name)
            headers = dict(auth)
            body = b""
            if extra:
                headers["If-Match"] = extra["if_match"]
                body = extra["body"]
            started = time.process_time()
            answer = harness.wsgi_call(application, method, path, headers=headers, body=body)
            spent = time.process_time() - started
            status, response_headers, content = answer
            endpoints.done(name, extra, response_headers.get("ETag"))
            if status >= 400:
                raise SystemExit(f"in-process {method} {path} answered {status}: {content[:300]!r}")
            if round_number >= warmup:
                samples[name].append(spent * 1000)
    return {name: statistics.median(values) for name, values in samples.items()}


# --- Throughput over HTTP ----------------------------------------------------------------------------
def send(client: httpx.Client, endpoints: Endpoints, name: str) -> tuple[float, int]:
    method, path, extra = endpoints.request(name)
    started = time.perf_counter()
    etag = None
    try:
        if extra:
            response = client.request(
                method, path, content=extra["body"], headers={"If-Match": extra["if_match"], **JSON}
            )
        else:
            response = client.request(method, path)
        status, etag = response.status_code, response.headers.get("ETag")
    except httpx.TransportError:
        status = 0
    finally:
        endpoints.done(name, extra, etag)
    return time.perf_counter() - started, status


JSON = {"Content-Type": "application/json"}


def percentile(sorted_values: list[float], share: float) -> float:
    return sorted_values[max(0, min(len(sorted_values) - 1, int(len(sorted_values) * share + 0.5) - 1))]


def measure(client: httpx.Client, endpoints: Endpoints, name: str, *, requests: int, concurrency: int) -> dict:
    for _ in range(concurrency * 2):  # warm the workers' connections and caches
        send(client, endpoints, name)
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        results = list(pool.map(lambda _n: send(client, endpoints, name), range(requests)))
    elapsed = time.perf_counter() - started
    latencies = sorted(seconds * 1000 for seconds, _status in results)
    return {
        "p50": statistics.median(latencies),
        "p95": percentile(latencies, 0.95),
        "rps": len(results) / elapsed,
        "errors": sum(1 for _seconds, status in results if not 200 <= status < 300),
    }


def throughput(client, endpoints: Endpoints, *, passes: int, requests: int, concurrency: int) -> dict:
    runs = {name: [] for name in ENDPOINTS}
    for _ in range(passes):
        for name in ENDPOINTS:
            runs[name].append(measure(client, endpoints, name, requests=requests, concurrency=concurrency))
        health = runs["health"][-1]["rps"]
        for name in ENDPOINTS:
            runs[name][-1]["ratio"] = runs[name][-1]["rps"] / health
    return {
        name: {key: statistics.median(run[key] for run in results) for key in ("p50", "p95", "rps", "ratio")}
        | {"errors": sum(run["errors"] for run in results)}
        for name, results in runs.items()
    }


# --- Soak --------------------------------------------------------------------------------------------
def soak(client, endpoints: Endpoints, *, seconds: float, concurrency: int) -> dict:
    names, weights = zip(*SOAK_MIX.items(), strict=True)
    results = collections.defaultdict(list)  # name -> [(seconds, status)]
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def client_loop(seed: int):
        rng = random.Random(seed)
        mine = []
        while time.monotonic() < deadline:
            name = rng.choices(names, weights)[0]
            mine.append((name, *send(client, endpoints, name)))
        with lock:
            for name, elapsed, status in mine:
                results[name].append((elapsed, status))

    started = time.perf_counter()
    threads = [threading.Thread(target=client_loop, args=(seed,)) for seed in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    report = {}
    for name in (*names, "all"):
        rows = [row for rows in results.values() for row in rows] if name == "all" else results[name]
        latencies = sorted(seconds * 1000 for seconds, _status in rows) or [0.0]
        statuses = collections.Counter(status for _seconds, status in rows if not 200 <= status < 300)
        report[name] = {
            "requests": len(rows),
            "errors": sum(statuses.values()),
            "statuses": dict(statuses),
            "p50": statistics.median(latencies),
            "p95": percentile(latencies, 0.95),
            "p99": percentile(latencies, 0.99),
            "rps": len(rows) / elapsed,
        }
    return report


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scopes", type=int, default=200)
    parser.add_argument("--sections", type=int, default=20)
    parser.add_argument("--requests", type=int, default=400, help="per endpoint and pass")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers")
    parser.add_argument("--passes", type=int, default=1)
    parser.add_argument("--cpu-rounds", type=int, default=150, help="0 skips the in-process CPU measure")
    parser.add_argument("--skip-throughput", action="store_true")
    parser.add_argument("--soak", type=float, default=0, metavar="SECONDS")
    parser.add_argument("--soak-concurrency", type=int, default=50)
    parser.add_argument("--keep-db", action="store_true")
    parser.add_argument("--reuse-db", action="store_true", help="use the database a --keep-db run left")
    args = parser.parse_args()

    database_url, config = harness.bench_database("bench_api")
    env = harness.child_env(database_url)
    os.environ.update(env)
    import warnings

    import django

    warnings.filterwarnings("ignore", message="No directory at")  # whitenoise: no collectstatic for a benchmark
    reuse = args.reuse_db and harness.database_exists(config)
    if not reuse:
        print(f"database {config['BENCH_NAME']}: creating and migrating ...", flush=True)
        harness.recreate_database(config)
    server = None
    failed = False
    try:
        django.setup()
        if not reuse:
            started = time.perf_counter()
            harness.load_workspace(scopes=args.scopes, sections=args.sections)
            print(f"loaded {args.scopes} scopes x {args.sections} sections in {time.perf_counter() - started:.1f}s")
        else:
            from django.core.management import call_command

            call_command("migrate", verbosity=0, interactive=False)
        harness.analyze()
        fixture = harness.workspace_fixture()
        print_search_plan(fixture["workspace_id"])
        endpoints = Endpoints(fixture)
        cpu = {}
        if args.cpu_rounds:
            cpu = cpu_per_request(endpoints, rounds=args.cpu_rounds)
        from django.db import connections

        connections.close_all()

        rates = {}
        if not args.skip_throughput or args.soak:
            port = harness.free_port()
            base = f"http://127.0.0.1:{port}"
            server = harness.start_gunicorn(port=port, workers=args.workers, env=env)
            harness.wait_until_up(base, endpoints.health, server)
        limits = httpx.Limits(max_connections=max(args.concurrency, args.soak_concurrency))
        headers = {"Authorization": f"Bearer {fixture['token']}"}
        print(
            f"\n{args.scopes} scopes x {args.sections} sections; in-process CPU: median of {args.cpu_rounds} shuffled "
            f"rounds; HTTP: {args.requests} requests per endpoint x {args.passes} pass(es), {args.concurrency} "
            f"concurrent clients, gunicorn {args.workers} sync workers, {os.cpu_count()} CPUs shared with the client"
        )
        if server is not None:
            with httpx.Client(base_url=base, headers=headers, limits=limits, timeout=60.0) as client:
                if not args.skip_throughput:
                    rates = throughput(
                        client, endpoints, passes=args.passes, requests=args.requests, concurrency=args.concurrency
                    )
                print_table(cpu, rates)
                if args.soak:
                    report = soak(client, endpoints, seconds=args.soak, concurrency=args.soak_concurrency)
                    print_soak(report, seconds=args.soak, concurrency=args.soak_concurrency)
                    failed = report["all"]["errors"] > 0
        else:
            print_table(cpu, rates)
    finally:
        if server is not None:
            harness.stop_process(server)
        if not args.keep_db:
            harness.drop_database(config)
    if failed:
        sys.exit(1)


def print_table(cpu: dict, rates: dict) -> None:
    print(f"\n{'endpoint':<36} {'CPU ms':>7} {'p50 ms':>8} {'p95 ms':>8} {'req/s':>8} {'x health':>9} {'errors':>7}")
    for name, label in ENDPOINTS.items():
        row = rates.get(name)
        figures = (
            f"{row['p50']:>8.1f} {row['p95']:>8.1f} {row['rps']:>8.1f} {row['ratio']:>9.2f} {row['errors']:>7}"
            if row
            else ""
        )
        cpu_ms = f"{cpu[name]:>7.2f}" if name in cpu else f"{'':>7}"
        print(f"{label:<36} {cpu_ms} {figures}", flush=True)


def print_soak(report: dict, *, seconds: float, concurrency: int) -> None:
    print(f"\nsoak: {seconds:.0f}s, {concurrency} concurrent clients, mix {SOAK_MIX}")
    print(f"{'':<10} {'requests':>9} {'errors':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'req/s':>8}")
    for name, row in report.items():
        print(
            f"{name:<10} {row['requests']:>9} {row['errors']:>7} {row['p50']:>8.1f} {row['p95']:>8.1f} "
            f"{row['p99']:>8.1f} {row['rps']:>8.1f}" + (f"  {row['statuses']}" if row["statuses"] else "")
        )


if __name__ == "__main__":
    main()
