"""An extracted scope never holds more than the API accepts in a request body, whatever the model answers (issue
9, "A contract a typed client can trust": the schema says a source's quote is at most 2,000 characters, a title
300, a section at most 50 sources). Both SDKs talk over HTTP to the stand-in (ai/tests/standin.py); its model
quotes a whole 3,000-character page, cites 61 passages and writes a 440-character title. The cuts are in
ai.postprocess, which every provider's answer (the builtin engine's too) goes through."""

from itertools import pairwise

import pytest

from ai.models import AIRun
from ai.tests import standin as fake
from ai.tests.conftest import make_document
from orbit.errors import MAX_QUOTE, MAX_SOURCES, MAX_TITLE
from orbit.tests.schemas import problems

pytestmark = pytest.mark.django_db

SENTENCES = [f"The portal shall support permit type {n} with online card payment and a receipt." for n in range(40)]
PAGE = " ".join(SENTENCES)


def talkative(request_json) -> dict:
    ((ref, page, body),) = fake.pages_in(request_json)
    whole = " ".join(body.split())
    sources = [{"document": ref, "page": page, "quote": whole}]
    sources += [{"document": ref, "page": page, "quote": s} for s in SENTENCES] * 2  # repeats are dropped
    sources += [{"document": ref, "page": page, "quote": f"{a} {b}"} for a, b in pairwise(SENTENCES)]
    section = {
        "section_type": "scope",
        "title": "Online permits " * 30,
        "content": whole,
        "confidence": 0.9,
        "sources": sources,
    }
    return {"title": "Permit portal " * 30, "summary": "Permits online.", "sections": [section]}


@pytest.fixture(params=["openai", "anthropic"])
def model(request):
    standin = request.getfixturevalue(f"{request.param}_standin")
    wire = fake.as_openai if request.param == "openai" else fake.as_anthropic
    return standin.reply(wire(talkative))


def test_an_extracted_section_fits_the_schema_and_goes_back_unchanged(model, editor, workspace, run_jobs):
    assert len(PAGE) > MAX_QUOTE + 1000
    document = make_document(workspace, pages=[PAGE])
    base = f"/api/workspaces/{workspace.pk}"
    with run_jobs():
        response = editor.post(f"{base}/ai/extract/", {"document_ids": [str(document.pk)]}, format="json")
    run = AIRun.objects.get(pk=response.json()["id"])
    assert run.status == "succeeded", run.error_message

    scope = editor.get(f"{base}/scopes/{run.scope_id}/").json()
    assert problems("ScopeDetail", scope) == []
    assert len(scope["title"]) <= MAX_TITLE
    (section,) = scope["sections"]
    assert problems("Section", section) == []
    assert len(section["title"]) <= MAX_TITLE
    assert section["title"] == ("Online permits " * 30)[:MAX_TITLE].rsplit(" ", 1)[0]  # at a word boundary
    sources = section["sources"]
    assert len(sources) == MAX_SOURCES  # 81 distinct verified passages, the first 50 kept
    longest = sources[0]["quote"]
    assert MAX_QUOTE - 100 < len(longest) <= MAX_QUOTE
    assert PAGE.startswith(longest)  # still verbatim on its page, so the verification holds
    assert PAGE[len(longest)] == " "  # cut between two words
    assert all(source["quote"] in PAGE for source in sources)

    # What the API sends is what it accepts back: the section PUT as read is a 200.
    body = {key: section[key] for key in ("section_type", "title", "content", "confidence", "ai_generated")}
    url = f"{base}/scopes/{scope['id']}/sections/{section['id']}/"
    response = editor.put(url, {**body, "sources": sources}, format="json", HTTP_IF_MATCH=f'"{section["version"]}"')
    assert response.status_code == 200, response.json()
    assert response.json()["sources"] == sources
