"""The built-in AI engine: reading and extraction speed on a 100-page document, and heading accuracy on the
development fixtures (../shared/fixtures/documents, scored by ../shared/tools/score_headings.py).

    .venv/bin/python bench/ai.py [--pages 100] [--rounds 3]

1. Generates a 100-page statement of work twice — a PDF (reportlab: bold numbered headings, running header
   and footer, body paragraphs, a table of contents) and the same text as markdown — in a temporary folder.
2. For each: reading time (ai.inputs.pages_for_file, the documents app's extraction), builtin extract time,
   builtin analyze time (requirements, coverage, questions), pages/s; best of --rounds.
3. Runs the builtin engine on the five fixtures and prints the scorer's table, overall and per document.

No database is touched. Request → scope-ready latency through the queue is measured by the AI service's own
benchmark (it owns the endpoint and worker), not here.
"""

import argparse
import itertools
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "orbit.settings")

import django  # noqa: E402

django.setup()

from ai import builtin  # noqa: E402
from ai.inputs import pages_for_file  # noqa: E402

FIXTURES = ROOT.parent / "shared" / "fixtures" / "documents"
SCORER = ROOT.parent / "shared" / "tools" / "score_headings.py"
TOPICS = [
    ("Background", "The agency operates a licensing service used by {n} businesses each year."),
    ("Objectives", "The goal is to cut processing time for application {n} from weeks to days."),
    ("Requirements", "The contractor shall support {n} concurrent users and must log every change."),
    ("Deliverables", "The contractor will deliver release {n} with documentation and a test report."),
    ("Schedule", "Phase {n} starts on March 1, 2026 and ends twelve weeks later."),
    ("Budget", "The ceiling for task {n} is $120,000, invoiced monthly."),
    ("Acceptance Criteria", "Deliverable {n} is accepted after a ten-day review by the product owner."),
    ("Out of Scope", "Hosting for component {n} is not included in this work."),
]


def sow_sections(pages: int):
    """(number, title, paragraphs) enough to fill about `pages` pages."""
    for chapter in itertools.count(1):
        for sub, (title, sentence) in enumerate(TOPICS[chapter % len(TOPICS) :][:2] or TOPICS[:2], start=1):
            body = [" ".join(sentence.format(n=chapter * 10 + k) for k in range(4)) for _ in range(5)]
            yield f"{chapter}.{sub}", f"{title} for Workstream {chapter}", body


def make_pdf(path: Path, pages: int) -> None:
    from reportlab.lib.pagesizes import letter
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), pagesize=letter)
    page, y = 1, 0

    def new_page():
        nonlocal page, y
        if y:
            c.showPage()
            page += 1
        c.setFont("Helvetica", 8)
        c.drawString(72, 760, "Agency Licensing Modernisation - Statement of Work")
        c.drawString(290, 30, f"Page {page}")
        y = 730

    new_page()
    c.setFont("Helvetica-Bold", 18)
    c.drawString(72, y, "Statement of Work: Licensing Modernisation")
    y -= 40
    for number, title, body in sow_sections(pages):
        if page > pages:
            break
        if y < 200:
            new_page()
        c.setFont("Helvetica-Bold", 12)
        c.drawString(72, y, f"{number} {title}")
        y -= 20
        c.setFont("Helvetica", 10)
        for paragraph in body:
            words, line = paragraph.split(), ""
            for word in words:
                if len(line) + len(word) > 95:
                    c.drawString(72, y, line)
                    y -= 13
                    line = ""
                line = f"{line} {word}".strip()
            c.drawString(72, y, line)
            y -= 20
            if y < 80:
                new_page()
    c.save()


def make_markdown(path: Path, pages: int) -> None:
    from django.conf import settings

    parts = ["# Statement of Work: Licensing Modernisation"]
    size = 0
    for number, title, body in sow_sections(pages):
        if size >= pages * settings.DOCUMENT_TEXT_PAGE_CHARS * 0.97:
            break
        parts.append(f"## {number} {title}")
        parts.extend(body)
        size += sum(len(p) + 2 for p in parts[-len(body) - 1 :])
    path.write_text("\n\n".join(parts), encoding="utf-8")


def best_of(rounds: int, fn):
    times, result = [], None
    for _ in range(rounds):
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    return min(times), result


def speed(pages: int, rounds: int) -> None:
    print(f"== builtin engine on a generated {pages}-page statement of work (best of {rounds}) ==")
    print(
        f"{'file':10s} {'pages':>5s} {'read s':>8s} {'extract s':>10s} {'pages/s':>8s} {'analyze s':>10s} "
        f"{'sections':>8s} {'reqs':>5s}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        for kind, maker in (("pdf", make_pdf), ("markdown", make_markdown)):
            path = Path(tmp) / f"sow.{'pdf' if kind == 'pdf' else 'md'}"
            maker(path, pages)
            read_s, source = best_of(1 if kind == "pdf" else rounds, lambda p=path: pages_for_file(p))
            extract_s, result = best_of(rounds, lambda s=source: builtin.extract(s))
            sections = [dict(s, id=str(n)) for n, s in enumerate(result["sections"])]
            analyze_s, analysis = best_of(1, lambda s=sections, p=source: builtin.analyze({}, s, p))
            print(
                f"{kind:10s} {len(source):5d} {read_s:8.2f} {extract_s:10.3f} {len(source) / extract_s:8.0f} "
                f"{analyze_s:10.2f} {len(sections):8d} {len(analysis['coverage']['requirements']):5d}"
            )
    print("(read = the documents app's extraction of the file; pages/s = extraction by the engine alone)\n")


def accuracy() -> None:
    files = [p for p in sorted(FIXTURES.glob("*")) if p.suffix in (".pdf", ".docx", ".md") and "__" in p.name]
    predictions = {}
    for path in files:
        sections = builtin.extract(pages_for_file(path))["sections"]
        predictions[path.name] = [
            {"title": s["title"], "type": s["section_type"], "content": s["content"]} for s in sections
        ]
    with tempfile.TemporaryDirectory() as tmp:
        all_path = Path(tmp) / "all.json"
        all_path.write_text(json.dumps(predictions))
        print("== heading accuracy on the development fixtures (score_headings.py) ==")
        out = subprocess.run([sys.executable, str(SCORER), str(all_path)], capture_output=True, text=True, check=True)
        print(out.stdout.strip())
        print("\nper document:")
        print(f"  {'document':62s} {'accuracy':>8s} {'correct':>8s} {'dash wrong':>10s}")
        for name, sections in predictions.items():
            one, summary = Path(tmp) / "one.json", Path(tmp) / "summary.json"
            one.write_text(json.dumps({name: sections}))
            subprocess.run(
                [sys.executable, str(SCORER), str(one), "--skip-missing", "--json", str(summary)],
                capture_output=True,
                check=True,
            )
            dev = json.loads(summary.read_text())["dev"]
            print(
                f"  {name[:62]:62s} {dev['accuracy']:8.3f} {dev['correct']:>3d}/{dev['categorised']:<4d} "
                f"{dev['dash_wrongly_scoped']:>4d}/{dev['dash_headings']:<4d}"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    speed(args.pages, args.rounds)
    if SCORER.exists():
        accuracy()
    else:
        print(f"{SCORER} not found: no accuracy table")


if __name__ == "__main__":
    main()
