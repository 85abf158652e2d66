"""Export cost: seconds and peak memory to build the PDF and the DOCX of a 100-section scope, cold (the first
export in a fresh process: fonts loaded, nothing cached), warm (a second build after an edit) and cached (the
same content asked again: hashed and answered from the finished export, nothing rendered).

    .venv/bin/python bench/exports.py [--sections 100] [--keep-db]

Runs the real path: exports.services.request_export, then the worker's exports.processing.run (snapshot, render,
store through the blob store into a temporary folder). Peak memory is tracemalloc's peak of Python allocations
during the step, plus the process's max RSS at the end. Uses `<DATABASE_URL name>_bench_exports`, dropped after.
"""

import argparse
import os
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import harness

SECTION = """The **vendor** delivers the *intake service* described in the brief, including [accessibility](https://example.com).

### Work items

1. Discovery with the agency's team
   - interviews and a service map
   - a prioritised backlog
2. Build and test in two-week sprints

| Item | Weeks | Cost |
|:-----|------:|-----:|
| Discovery | 4 | $40,000 |
| Build | 12 | $180,000 |

> Changes go through the change-control board.
"""


def measure(step, *, memory=False):
    """(result, seconds, peak MB). tracemalloc slows Python several times over, so seconds come from runs without
    it and the peak from a run of its own."""
    if memory:
        tracemalloc.start()
    started = time.perf_counter()
    result = step()
    seconds = time.perf_counter() - started
    peak = 0.0
    if memory:
        peak = tracemalloc.get_traced_memory()[1] / 1024 / 1024
        tracemalloc.stop()
    return result, seconds, peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sections", type=int, default=100)
    parser.add_argument("--keep-db", action="store_true")
    args = parser.parse_args()

    database_url, config = harness.bench_database("bench_exports")
    harness.recreate_database(config)
    os.environ.update(harness.child_env(database_url))
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    media = tempfile.mkdtemp(prefix="orbit-bench-exports-")
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": media}},
    }
    settings.EXPORT_RATE_LIMIT = "100000/minute"
    from orbit.blobstore import get_blob_store

    get_blob_store.cache_clear()
    from accounts.models import User
    from exports import processing, services
    from exports.models import Export
    from orbit import worker
    from scopes import counts
    from scopes.models import Scope, ScopeSection
    from workspaces.models import Membership, Workspace

    owner = User.objects.create_user(email="bench-exports@example.com", password="x" * 12)
    workspace = Workspace.objects.create(name="Bench", slug="bench-exports", owner=owner, plan="team")
    Membership.objects.create(workspace=workspace, user=owner, role=Membership.Role.OWNER)
    scope = Scope.objects.create(workspace=workspace, title="Benchmark scope", client_name="Client", created_by=owner)
    ScopeSection.objects.bulk_create(
        ScopeSection(scope=scope, title=f"Section {n}", content=SECTION, position=n - 1)
        for n in range(1, args.sections + 1)
    )
    counts.refresh(scope)

    worker.async_task = lambda *a, **k: None  # the benchmark runs the worker step itself, timed apart
    rows = []
    try:
        for fmt in ("pdf", "docx"):
            for label in ("cold", "warm", "memory"):
                if label != "cold":
                    scope.sections.filter(position=0).update(content=SECTION + f"\nEdited for the {fmt} {label} run.")
                (export, cached), request_s, _ = measure(
                    lambda fmt=fmt: services.request_export(
                        workspace=workspace, scope_id=scope.id, actor=owner, data={"format": fmt}
                    )
                )
                assert not cached
                outcome, render_s, peak = measure(
                    lambda export=export: processing.run(str(export.id)), memory=label == "memory"
                )
                assert outcome == "succeeded", Export.objects.get(pk=export.pk).error
                size = Export.objects.get(pk=export.pk).size_bytes
                rows.append((fmt, label, request_s + render_s, peak, size))
            (export, cached), cached_s, _ = measure(
                lambda fmt=fmt: services.request_export(
                    workspace=workspace, scope_id=scope.id, actor=owner, data={"format": fmt}
                )
            )
            assert cached
            assert export.status == Export.Status.SUCCEEDED
            rows.append((fmt, "cached", cached_s, 0.0, export.size_bytes))
    finally:
        if not args.keep_db:
            harness.drop_database(config)
    print(f"{args.sections}-section scope (each section: paragraph, heading, nested lists, table, quote)")
    print("seconds: request + worker run; 'memory' is a further run under tracemalloc (its seconds are inflated)")
    print(f"{'format':<6} {'run':<7} {'seconds':>8} {'peak MB':>8} {'file KB':>8}")
    for fmt, label, seconds, peak, size in rows:
        shown = f"{peak:>8.1f}" if label == "memory" else f"{'':>8}"
        print(f"{fmt:<6} {label:<7} {seconds:>8.2f} {shown} {size / 1024:>8.0f}")
    print(f"max RSS of the process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
