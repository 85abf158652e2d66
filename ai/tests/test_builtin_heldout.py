"""The built-in engine on documents it was not tuned on (written for these tests in styles the fixtures do not
use: 'SECTION 1 -' headings with a dotted table of contents and running headers in a text file, Roman-numbered
and bold-only headings in markdown), and on the five development fixtures with the project's scorer."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from ai import builtin
from ai.builtin.outline import _split_number, strip_marks
from ai.inputs import pages_for_file

HERE = Path(__file__).parent / "heldout"
EXPECTED = json.loads((HERE / "expected.json").read_text())
SHARED = Path(settings.BASE_DIR).parent / "shared"
FIXTURES = SHARED / "fixtures" / "documents"
SCORER = SHARED / "tools" / "score_headings.py"


def _key(title: str) -> str:
    return _split_number(strip_marks(title))[1].strip(" -–:").lower()


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_heldout_documents_are_read_and_typed(name):
    pages = pages_for_file(HERE / name)
    sections = builtin.extract(pages)["sections"]
    got = {_key(s["title"]): s["section_type"] for s in sections}
    expected = EXPECTED[name]
    correct = 0
    for heading, types in expected.items():
        key = heading.lower()
        if not types:
            assert key not in got or got[key] in ("terms", "custom"), f"{heading!r} is not scope material"
            correct += 1
        elif got.get(key) in types:
            correct += 1
    assert correct / len(expected) >= 0.9, (name, got)
    expected_keys = {h.lower() for h in expected}
    extra = [t for t in got if t not in expected_keys]
    assert not extra, f"headings that are not in the document: {extra}"  # running headers, TOC lines


def test_quotes_are_verbatim_on_their_page():
    for name in EXPECTED:
        pages = {p.page: " ".join(p.text.split()) for p in pages_for_file(HERE / name)}
        for section in builtin.extract(pages_for_file(HERE / name))["sections"]:
            assert section["sources"], section["title"]
            for source in section["sources"]:
                assert " ".join(source["quote"].split()) in pages[source["page"]]


@pytest.mark.skipif(not SCORER.exists(), reason="the shared scorer is not present")
def test_development_fixtures_score_at_least_090(tmp_path):
    predictions = {}
    for path in sorted(FIXTURES.iterdir()):
        if path.suffix not in (".pdf", ".docx", ".md") or path.name == "GROUND_TRUTH.md":
            continue
        sections = builtin.extract(pages_for_file(path))["sections"]
        predictions[path.name] = [
            {"title": s["title"], "type": s["section_type"], "content": s["content"]} for s in sections
        ]
    out = tmp_path / "pred.json"
    out.write_text(json.dumps(predictions))
    summary = tmp_path / "summary.json"
    subprocess.run([sys.executable, str(SCORER), str(out), "--json", str(summary)], check=True, capture_output=True)
    dev = json.loads(summary.read_text())["dev"]
    assert dev["documents"] == 5
    assert dev["accuracy"] >= 0.90
    assert dev["dash_wrong_rate"] <= 0.10
