"""Task queue latency: django-q2 on the ORM broker, enqueue → task start, with one and with two `qcluster`s.

    .venv/bin/python bench/task_queue.py [--tasks 60] [--interval 0.3] [--burst 20] [--clusters 1 2] [--keep-db]

(Not `queue.py`: a script in bench/ named like a standard module would shadow it for every bench script.)

1. Creates `<DATABASE_URL name>_bench_queue` (dropped first) and migrates it.
2. For each cluster count: starts that many `manage.py qcluster` processes (the project's Q_CLUSTER settings:
   workers, poll, ...) and waits until one has run a first task.
3. Steady arrivals: enqueues --tasks `orbit.tasks.ping` tasks one at a time, a random 0..2×--interval seconds
   apart (so the queue is mostly empty: the latency is what one user's upload or export waits before a worker
   starts it). Then a burst: --burst tasks at once. Each task reports when it started (`at` in its result);
   start latency = that minus the enqueue time taken just before `async_task`.
4. Prints p50/p95/max of the start latency per cluster count, stops the clusters (SIGTERM to each process
   group), and drops the database unless --keep-db.
"""

import argparse
import os
import random
import statistics
import time
from datetime import datetime

import harness


def wait_results(task_ids: list[str], *, timeout: float) -> dict:
    from django.db import connection
    from django_q.models import Task

    deadline = time.monotonic() + timeout
    found = {}
    while time.monotonic() < deadline:
        rows = Task.objects.filter(id__in=[task_id for task_id in task_ids if task_id not in found])
        for task_id, result, success in rows.values_list("id", "result", "success"):
            if not success:
                raise SystemExit(f"task {task_id} failed: {result}")
            found[task_id] = result
        if len(found) == len(task_ids):
            return found
        connection.close()  # a fresh snapshot each poll, and nothing held while waiting
        time.sleep(0.1)
    raise SystemExit(f"{len(task_ids) - len(found)} of {len(task_ids)} tasks did not run within {timeout:.0f}s")


def enqueue(label: str) -> tuple[str, float]:
    from django_q.tasks import async_task

    enqueued_at = time.time()
    return async_task("orbit.tasks.ping", label), enqueued_at


def start_latencies(enqueued: list[tuple[str, float]], *, timeout: float) -> list[float]:
    results = wait_results([task_id for task_id, _at in enqueued], timeout=timeout)
    return sorted(datetime.fromisoformat(results[task_id]["at"]).timestamp() - at for task_id, at in enqueued)


def summary(latencies: list[float]) -> str:
    p95 = latencies[max(0, int(len(latencies) * 0.95 + 0.5) - 1)]
    return (
        f"p50 {statistics.median(latencies) * 1000:>7.0f} ms   p95 {p95 * 1000:>7.0f} ms   "
        f"max {latencies[-1] * 1000:>7.0f} ms   (n={len(latencies)})"
    )


def run(clusters: int, *, env: dict, tasks: int, interval: float, burst: int, rng: random.Random) -> None:
    processes = [harness.start_qcluster(env=env) for _ in range(clusters)]
    try:
        started = time.monotonic()
        start_latencies([enqueue("warm-up")], timeout=120)  # the cluster is up and a worker has run a task
        print(f"{clusters} qcluster(s) up in {time.monotonic() - started:.1f}s", flush=True)
        steady = []
        for n in range(tasks):
            steady.append(enqueue(f"steady-{n}"))
            time.sleep(rng.uniform(0, 2 * interval))
        print(f"  steady ({interval:.2f}s apart on average): {summary(start_latencies(steady, timeout=120))}")
        if burst:
            bursted = [enqueue(f"burst-{n}") for n in range(burst)]
            print(f"  burst of {burst} at once:{' ' * 14}{summary(start_latencies(bursted, timeout=300))}", flush=True)
    finally:
        for process in processes:
            harness.stop_process(process)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=60)
    parser.add_argument("--interval", type=float, default=0.3, help="mean seconds between steady enqueues")
    parser.add_argument("--burst", type=int, default=20)
    parser.add_argument("--clusters", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--keep-db", action="store_true")
    args = parser.parse_args()

    database_url, config = harness.bench_database("bench_queue")
    env = harness.child_env(database_url, Q_SYNC="false")
    os.environ.update(env)
    import django

    print(f"database {config['BENCH_NAME']}: creating and migrating ...", flush=True)
    harness.recreate_database(config)
    try:
        django.setup()
        from django.conf import settings
        from django.core.management import call_command

        call_command("migrate", verbosity=0, interactive=False)
        q = settings.Q_CLUSTER
        print(
            f"django-q2 ORM broker: workers={q['workers']} poll={q['poll']}s bulk={q.get('bulk', 1)}, "
            f"{os.cpu_count()} CPUs (shared with everything else on the machine)"
        )
        rng = random.Random(3)
        for clusters in args.clusters:
            run(clusters, env=env, tasks=args.tasks, interval=args.interval, burst=args.burst, rng=rng)
    finally:
        if not args.keep_db:
            harness.drop_database(config)


if __name__ == "__main__":
    main()
