"""The built-in engine's contract: shapes, section types, verbatim quotes, determinism."""

import pytest

from ai import builtin
from ai.inputs import SourcePage
from scopes.models import ScopeSection

SOW = """STATEMENT OF WORK

1. Background
The Agency runs a grants portal built in 2009. It is slow and hard to maintain.

2. Objectives
The goal is to replace the portal with a modern service that applicants can use on a phone.

3. Scope of Work
3.1 Tasks
The Contractor shall migrate all 40,000 records. The Contractor must provide weekly status reports.

3.2 Out of Scope
Hosting and licences are not included.

4. Deliverables
- Migration plan
- Working service

5. Period of Performance
The period of performance is twelve months from award, starting March 1, 2026.

6. Budget
The ceiling price is $250,000.

7. Instructions to Offerors
Quotes are due by email.
"""


def pages(text, doc="doc-1"):
    return [SourcePage(document_id=doc, filename="sow.txt", page=1, text=text)]


def test_extract_shape_types_and_quotes():
    result = builtin.extract(pages(SOW))
    assert set(result) == {"title", "summary", "sections"}
    valid = set(ScopeSection.SectionType.values)
    by_title = {s["title"]: s for s in result["sections"]}
    for s in result["sections"]:
        assert s["section_type"] in valid
        assert 0 <= s["confidence"] <= 1
        for src in s["sources"]:
            assert " ".join(src["quote"].split()) in " ".join(SOW.split())
            assert src["document_id"] == "doc-1"
            assert src["page"] == 1
    assert by_title["1. Background"]["section_type"] == "overview"
    assert by_title["2. Objectives"]["section_type"] == "objectives"
    assert by_title["3.2 Out of Scope"]["section_type"] == "exclusions"
    assert by_title["4. Deliverables"]["section_type"] == "deliverables"
    assert by_title["5. Period of Performance"]["section_type"] == "timeline"
    assert by_title["6. Budget"]["section_type"] == "budget"
    assert "7. Instructions to Offerors" not in by_title  # proposal logistics are not scope
    assert "40,000 records" in by_title["3.1 Tasks"]["content"]


def test_extract_is_deterministic():
    assert builtin.extract(pages(SOW)) == builtin.extract(pages(SOW))


def test_suggest_gives_three_to_five():
    section = {"section_type": "deliverables", "title": "Deliverables", "content": "Reports as needed, etc. TBD"}
    out = builtin.suggest(section, {"title": "X"})
    assert 3 <= len(out) <= 5
    assert {o["kind"] for o in out} <= {"rewrite", "add", "remove"}


@pytest.mark.parametrize("missing", ["acceptance", "budget"])
def test_analyze_reports_missing_sections_and_requirements(missing):
    result = builtin.extract(pages(SOW))
    sections = [dict(s, id=n) for n, s in enumerate(result["sections"]) if s["section_type"] != missing]
    analysis = builtin.analyze({"title": "X"}, sections, pages(SOW))
    assert any(g["section_id"] is None and missing.split("_")[0] in g["title"].lower() for g in analysis["gaps"]) or (
        missing == "acceptance" and any("acceptance" in g["title"].lower() for g in analysis["gaps"])
    )
    reqs = analysis["coverage"]["requirements"]
    assert any("migrate all 40,000 records" in r["quote"] for r in reqs)
    assert 0 <= analysis["coverage"]["covered_ratio"] <= 1


def _page(text, doc="d1", name="a.md", page=1):
    return SourcePage(document_id=doc, filename=name, page=page, text=text)


def test_analyze_flags_sums_dates_placeholders_and_unassigned_work():
    sections = [
        {
            "id": "b",
            "section_type": "budget",
            "title": "Budget",
            "content": "- Design: $10,000\n- Build: $20,000\n- Total: $45,000",
        },
        {
            "id": "t",
            "section_type": "timeline",
            "title": "Timeline",
            "content": "- Start: 2026-05-01\n- Launch: 2026-03-01",
        },
        {
            "id": "d",
            "section_type": "deliverables",
            "title": "Deliverables",
            "content": "Reports will be delivered as needed. Hosting: TBD.",
        },
    ]
    result = builtin.analyze({}, sections, [_page("x")])
    titles = {(r["section_id"], r["title"].split(" “")[0]) for r in result["risks"]}
    assert ("b", "Budget figures do not add up") in titles
    assert ("t", "Dates out of order") in titles
    assert ("d", "Placeholders left in") in titles
    assert ("d", "Vague wording in") in titles
    assert ("d", "Unassigned responsibilities in") in titles


def test_requirements_cite_page_and_verbatim_quote_and_match_sections():
    text = "3.1 Tasks\nThe contractor shall migrate all customer\nrecords to the new platform.\n\nBackground prose."
    pages = [_page("Intro page."), _page(text, page=2)]
    sections = [
        {
            "id": "s1",
            "section_type": "scope",
            "title": "Tasks",
            "content": "The contractor shall migrate all customer records to the new platform.",
        },
        {"id": "s2", "section_type": "overview", "title": "Background", "content": "Other things."},
    ]
    coverage = builtin.analyze({}, sections, pages)["coverage"]
    [req] = coverage["requirements"]
    assert req["page"] == 2
    assert req["quote"] in " ".join(text.split())
    assert req["status"] == "covered"
    assert req["covered_by"][0] == "s1"
    assert coverage["covered_ratio"] == 1.0
    uncovered = builtin.analyze({}, sections[1:], pages)["coverage"]
    assert uncovered["requirements"][0]["status"] == "uncovered"
    assert uncovered["covered_ratio"] == 0.0


def test_questions_cite_contradicting_documents():
    pages = [
        _page("The budget is $100,000 for the work.", doc="d1", name="rfp.md"),
        _page("Total budget: $120,000.", doc="d2", name="addendum.md"),
    ]
    questions = builtin.analyze({}, [], pages)["questions"]
    assert any("100,000" in q["text"] and "120,000" in q["text"] and q["document_id"] == "d1" for q in questions)


@pytest.mark.parametrize("text", ["", "3\n\n4", "\n\n"])
def test_nothing_to_read_gives_no_sections(text):
    assert builtin.extract([SourcePage("d", "f", 1, text)]) == {"title": "", "summary": "", "sections": []}


def test_a_title_with_a_short_text_is_one_section():
    result = builtin.extract([SourcePage("d", "f.md", 1, "# Website\n\nWe need a site that loads fast.")])
    [section] = result["sections"]
    assert section["title"] == "Website"
    assert "loads fast" in section["content"]
    assert result["title"] == "Website"


def test_malformed_layout_is_ignored():
    page = SourcePage("d", "f", 1, "1. Background\nThe agency runs a portal.", layout=((99, 1, 1.0, True),))
    assert builtin.extract([page])["sections"][0]["section_type"] == "overview"
