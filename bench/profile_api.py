"""Where the CPU of one hot API request goes: a CPU-time sampling profile over many in-process requests.

    .venv/bin/python bench/profile_api.py [--rounds 150] [--endpoints health list detail search activity patch]
                                          [--interval-ms 0.5] [--top 25]

Uses the database `bench/api.py --keep-db` leaves (`<DATABASE_URL name>_bench_api`), creating and loading it
when it is missing. Each round calls every endpoint once in a shuffled order through the WSGI application (as
gunicorn does). Prints the median CPU ms per request (time.process_time, no profiler), then, from a second set of
rounds sampled by SIGPROF every --interval-ms of CPU time (so waiting on PostgreSQL is never counted and the
profiler barely slows the code, unlike cProfile's 5x), each endpoint's CPU by layer and its heaviest functions.

Layers are decided on the whole stack of a sample, first match wins: the membership lookup and the JWT user
lookup include their own ORM work; then DRF serializers, JSON rendering, the SQL driver, ORM compilation, ORM
execution and model instances, queryset building (filter/annotate/django-filter/ordering), logging; the rest is
the handler, middlewares and DRF glue.
"""

import argparse
import collections
import os
import signal
import statistics
import time

import harness
from api import Endpoints

# (layer, predicate over one frame's (filename, function)); a sample goes to the first layer any frame matches.
LAYERS = [
    ("membership lookup", lambda f, n: n == "get_membership_or_404"),
    ("JWT auth + user lookup", lambda f, n: "rest_framework_simplejwt/" in f),
    ("DRF serializer", lambda f, n: "rest_framework/serializers.py" in f or "rest_framework/fields.py" in f),
    ("lean representation", lambda f, n: f.endswith("/representations.py")),
    ("JSON rendering", lambda f, n: "rest_framework/renderers.py" in f or "/json/" in f),
    ("SQL driver + row decoding", lambda f, n: "psycopg" in f or "django/db/backends/" in f),
    ("ORM compile", lambda f, n: "django/db/models/sql/compiler.py" in f and n != "results_iter"),
    ("ORM execute + model instances", lambda f, n: n in ("__iter__", "_fetch_all", "from_db", "results_iter")),
    (
        "queryset building (annotate, filters, ordering)",
        lambda f, n: "django/db/models/" in f or "django_filters/" in f or "filters.py" in f,
    ),
    ("logging", lambda f, n: "/logging/" in f or "structlog/" in f),
]
OTHER = "handler, middlewares, DRF glue"


class Sampler:
    """SIGPROF every `interval` seconds of this process's CPU time; records the stack of the running request."""

    def __init__(self, interval: float):
        self.interval = interval
        self.current = None  # the endpoint being measured, None between requests
        self.stacks = collections.defaultdict(list)

    def _sample(self, signum, frame):
        if self.current is None:
            return
        stack = []
        while frame is not None:
            stack.append((frame.f_code.co_filename, frame.f_code.co_name, frame.f_lineno))
            frame = frame.f_back
        self.stacks[self.current].append(stack)  # innermost first

    def __enter__(self):
        signal.signal(signal.SIGPROF, self._sample)
        signal.setitimer(signal.ITIMER_PROF, self.interval, self.interval)
        return self

    def __exit__(self, *exc):
        signal.setitimer(signal.ITIMER_PROF, 0, 0)
        signal.signal(signal.SIGPROF, signal.SIG_DFL)


def layer_of(stack) -> str:
    for layer, matches in LAYERS:
        if any(matches(filename, name) for filename, name, _line in stack):
            return layer
    return OTHER


def run_rounds(endpoints: Endpoints, application, names: list[str], rounds: int, sampler=None) -> dict:
    auth = {"Authorization": f"Bearer {endpoints.fixture['token']}"}
    samples = {name: [] for name in names}
    order = list(names)
    for _ in range(rounds):
        endpoints.rng.shuffle(order)
        for name in order:
            method, path, extra = endpoints.request(name)
            headers, body = dict(auth), b""
            if extra:
                headers["If-Match"], body = extra["if_match"], extra["body"]
            started = time.process_time()
            if sampler:
                sampler.current = name
            answer = harness.wsgi_call(application, method, path, headers=headers, body=body)
            if sampler:
                sampler.current = None
            samples[name].append((time.process_time() - started) * 1000)
            status, response_headers, content = answer
            endpoints.done(name, extra, response_headers.get("ETag"))
            if status >= 400:
                raise SystemExit(f"{method} {path} answered {status}: {content[:300]!r}")
    return {name: statistics.median(values) for name, values in samples.items()}


def short(filename: str) -> str:
    return filename.split("site-packages/")[-1].replace(str(harness.ROOT) + "/", "")


def report(name: str, median_ms: float, stacks: list, top: int, verbose: bool) -> None:
    total = len(stacks)
    layers = collections.Counter(layer_of(stack) for stack in stacks)
    print(f"\n=== {name}: median {median_ms:.2f} ms CPU per request; {total} samples, by layer (share x median ms)")
    within = collections.defaultdict(collections.Counter)  # layer -> innermost frame of our code or a library
    for stack in stacks:
        within[layer_of(stack)][(short(stack[0][0]), stack[0][1])] += 1
    for layer, count in layers.most_common():
        print(f"    {layer:<48} {100 * count / total:>5.1f} %  {median_ms * count / total:>6.2f} ms")
        if verbose:
            for (filename, function), n in within[layer].most_common(5):
                print(f"        {100 * n / total:>5.1f} %  {filename} {function}")
    inclusive = collections.Counter()
    own = collections.Counter()
    for stack in stacks:
        own[(stack[0][0], stack[0][1])] += 1
        for key in {(filename, function) for filename, function, _line in stack}:
            inclusive[key] += 1
    print(f"--- top {top} functions by inclusive share (self share)")
    shown = 0
    for (filename, function), count in inclusive.most_common():
        if count == total or "bench/" in filename:
            continue  # the frames every sample passes through say nothing
        print(
            f"    {100 * count / total:>5.1f} % ({100 * own[(filename, function)] / total:>4.1f} %)  "
            f"{short(filename)} {function}"
        )
        shown += 1
        if shown >= top:
            break


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=150)
    parser.add_argument("--endpoints", nargs="+", default=["health", "list", "detail", "search", "activity"])
    parser.add_argument("--interval-ms", type=float, default=0.5)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--verbose", action="store_true", help="the innermost functions of each layer too")
    parser.add_argument("--scopes", type=int, default=200)
    parser.add_argument("--sections", type=int, default=20)
    args = parser.parse_args()

    database_url, config = harness.bench_database("bench_api")
    os.environ.update(harness.child_env(database_url))
    import warnings

    import django

    warnings.filterwarnings("ignore", message="No directory at")
    fresh = not harness.database_exists(config)
    if fresh:
        harness.recreate_database(config)
    django.setup()
    from django.core.management import call_command
    from django.core.wsgi import get_wsgi_application

    if fresh:
        harness.load_workspace(scopes=args.scopes, sections=args.sections)
    else:
        call_command("migrate", verbosity=0, interactive=False)
    harness.analyze()
    endpoints = Endpoints(harness.workspace_fixture())
    application = get_wsgi_application()
    run_rounds(endpoints, application, args.endpoints, 15)  # warm up
    medians = run_rounds(endpoints, application, args.endpoints, args.rounds)
    print("median CPU ms per request: " + ", ".join(f"{name} {ms:.2f}" for name, ms in medians.items()))
    with Sampler(args.interval_ms / 1000) as sampler:
        run_rounds(endpoints, application, args.endpoints, args.rounds, sampler)
    for name in args.endpoints:
        report(name, medians[name], sampler.stacks[name], args.top, args.verbose)


if __name__ == "__main__":
    main()
