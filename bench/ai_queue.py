"""AI request → scope-ready latency through the queue: POST ai/extract/ (in-process WSGI, as gunicorn hands it
over) until the worker has committed the scope with all its sections, with one `qcluster`.

    .venv/bin/python bench/ai_queue.py [--repeat 5] [--keep-db]

(bench/ai.py is the built-in engine's own speed and accuracy; this is the service around it.)

1. Creates `<DATABASE_URL name>_bench_ai` (dropped first), migrates it, and stores the fixture documents of
   ../shared/fixtures/documents as completed documents (pages read by ai.inputs.pages_for_file), plus a synthetic
   100-page statement of work.
2. Starts a loopback stand-in for the OpenAI API answering at once (a fake model: one section per page), and one
   `manage.py qcluster` pointed at it, and waits until the worker has run a first task.
3. Per document and engine, --repeat times: clears the result cache (a real extraction each time), POSTs
   extract, polls the run; the figure is the run's `finished_at` (the commit of the scope) minus the time taken
   just before the POST. Then once more without clearing the cache (a cache hit).
4. Prints p50/max of request → scope-ready, of queue wait (run started − requested) and of engine time; stops
   the worker and the stand-in, and drops the database unless --keep-db.
"""

import argparse
import json
import os
import statistics
import sys
import time

import harness

FIXTURES = harness.ROOT.parent / "shared" / "fixtures" / "documents"


def synthetic_pages(count: int) -> list[str]:
    pages = []
    for n in range(1, count + 1):
        body = " ".join(
            f"The contractor shall deliver work item {n}.{k} within {k + 2} weeks of the task order."
            for k in range(1, 25)
        )
        pages.append(f"{n}. Work package {n}\n{body}")
    return pages


def store_documents(workspace) -> list[tuple[str, str, int]]:
    """(label, document id, pages) of every bench document, stored as processed."""
    from ai.inputs import pages_for_file
    from documents.models import Document, DocumentPage

    def store(name: str, texts: list[str]) -> str:
        document = Document.objects.create(
            workspace=workspace,
            uploaded_by=workspace.owner,
            filename=name,
            content_type="text/plain",
            detected_type="text/plain",
            size_bytes=sum(len(t) for t in texts),
            sha256=str(abs(hash(name))).ljust(64, "0")[:64],
            upload_key=f"uploads/bench/{name}",
            storage_key=f"documents/bench/{name}",
            status=Document.Status.COMPLETED,
            page_count=len(texts),
        )
        DocumentPage.objects.bulk_create(
            DocumentPage(document=document, number=i, text=text) for i, text in enumerate(texts, start=1)
        )
        return str(document.pk)

    stored = []
    for path in sorted(FIXTURES.glob("*")):
        if path.suffix.lower() not in (".pdf", ".docx", ".md") or path.name == "GROUND_TRUTH.md":
            continue
        texts = [page.text for page in pages_for_file(path)]
        stored.append((path.name.split("__")[-1][:38], store(path.name, texts), len(texts)))
    stored.append(("synthetic SOW", store("synthetic-sow.txt", synthetic_pages(100)), 100))
    return stored


def request_extract(application, token: str, workspace_id: str, document_id: str, provider: str) -> tuple[str, float]:
    body = json.dumps({"document_ids": [document_id], "provider": provider}).encode()
    asked_at = time.time()
    status, _headers, content = harness.wsgi_call(
        application,
        "POST",
        f"/api/workspaces/{workspace_id}/ai/extract/",
        headers={"Authorization": f"Bearer {token}"},
        body=body,
    )
    if status != 202:
        raise SystemExit(f"extract answered {status}: {content[:300]!r}")
    return json.loads(content)["id"], asked_at


def wait_run(run_id: str, timeout: float = 300):
    from django.db import connection

    from ai.models import AIRun

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        run = AIRun.objects.get(pk=run_id)
        if run.status == AIRun.Status.SUCCEEDED:
            return run
        if run.status == AIRun.Status.FAILED:
            raise SystemExit(f"run {run_id} failed: {run.error_code}: {run.error_message}")
        connection.close()
        time.sleep(0.05)
    raise SystemExit(f"run {run_id} did not finish within {timeout:.0f}s")


def figures(runs) -> str:
    def ms(values):
        values = sorted(values)
        return f"{statistics.median(values) * 1000:>6.0f} / {values[-1] * 1000:>6.0f}"

    ready = [run.finished_at.timestamp() - asked for run, asked in runs]
    wait = [run.started_at.timestamp() - asked for run, asked in runs]
    engine = [(run.latency_ms or 0) / 1000 for run, _asked in runs]
    sections = runs[0][0].scope.sections.count()
    return f"{ms(ready)} ms   {ms(wait)} ms   {ms(engine)} ms   {sections:>4} sections"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--keep-db", action="store_true")
    args = parser.parse_args()

    sys.path.insert(0, str(harness.ROOT))
    from ai.tests import standin as fake

    model = fake.StandIn()
    for _ in range(10_000):
        model.reply(fake.as_openai(fake.extraction_per_page))
    database_url, config = harness.bench_database("bench_ai")
    env = harness.child_env(
        database_url,
        Q_SYNC="false",
        AI_PROVIDER="builtin",
        OPENAI_API_KEY="sk-bench",
        OPENAI_BASE_URL=f"{model.url}/v1",
        AI_RATE_LIMIT_USER="100000/minute",
        AI_RATE_LIMIT_WORKSPACE="100000/minute",
        OPENAI_MAX_INPUT_TOKENS="100000",
    )
    os.environ.update(env)
    import django

    print(f"database {config['BENCH_NAME']}: creating and migrating ...", flush=True)
    harness.recreate_database(config)
    worker = None
    try:
        django.setup()
        from django.core.management import call_command
        from django.core.wsgi import get_wsgi_application

        from accounts.models import User
        from accounts.tokens import issue_token_pair
        from ai.models import AIResultCache
        from workspaces.models import Membership, Workspace

        call_command("migrate", verbosity=0, interactive=False)
        owner = User.objects.create_user(email="bench-ai@example.com", password="bench-password-1")
        workspace = Workspace.objects.create(name="Bench AI", slug="bench-ai", owner=owner, plan="team")
        Membership.objects.get_or_create(workspace=workspace, user=owner, defaults={"role": Membership.Role.OWNER})
        documents = store_documents(workspace)
        token = issue_token_pair(owner)["access_token"]
        application = get_wsgi_application()

        worker = harness.start_qcluster(env=env)
        started = time.monotonic()
        warm_id, _ = request_extract(application, token, str(workspace.pk), documents[-1][1], "builtin")
        wait_run(warm_id, timeout=180)
        print(f"1 qcluster up and warm in {time.monotonic() - started:.1f}s; {os.cpu_count()} CPUs (shared)")
        print(f"{'document':<40}{'pages':>6}  {'engine':<9} request→scope-ready  queue wait      engine time")
        print(f"{'':<57}p50 / max            p50 / max       p50 / max")
        for label, document_id, pages in documents:
            for provider in ("builtin", "openai"):
                cold = []
                for _ in range(args.repeat):
                    AIResultCache.objects.all().delete()
                    run_id, asked = request_extract(application, token, str(workspace.pk), document_id, provider)
                    cold.append((wait_run(run_id), asked))
                run_id, asked = request_extract(application, token, str(workspace.pk), document_id, provider)
                hit = [(wait_run(run_id), asked)]
                name = provider if provider == "builtin" else "openai*"
                print(f"{label:<40}{pages:>6}  {name:<9}{figures(cold)}", flush=True)
                print(f"{'':<46}  {'(cached)':<9}{figures(hit)}", flush=True)
        print("openai* = the real openai SDK against a loopback stand-in answering at once (pipeline overhead only)")
    finally:
        if worker is not None:
            harness.stop_process(worker)
        model.stop()
        if not args.keep_db:
            harness.drop_database(config)


if __name__ == "__main__":
    main()
