"""manage.py extract_scope: local files in, the scorer's format out, nothing written to the database."""

import io
import json

import pytest
from django.core.management import CommandError, call_command
from docx import Document as Docx
from reportlab.lib.pagesizes import letter
from reportlab.pdfgen import canvas

from ai.builtin.outline import _split_number

BODY = (
    "The contractor shall provide the services described here with care and diligence, and report progress "
    "to the agency every week during the whole period of the engagement."
)


def _pdf(path):
    """Three pages with a running header and footer, a large title, bold numbered headings and body text."""
    c = canvas.Canvas(str(path), pagesize=letter)
    headings = [
        ["1. Introduction", "2. Objectives"],
        ["3. Deliverables", "4. Period of Performance"],
        ["5. Budget", "6. Evaluation Criteria"],
    ]
    for n, pair in enumerate(headings, start=1):
        c.setFont("Helvetica", 9)
        c.drawString(72, 760, "Agency RFP 2026-01 - Draft for comment")
        c.drawString(300, 30, f"Page {n} of 3")
        y = 720
        if n == 1:
            c.setFont("Helvetica-Bold", 18)
            c.drawString(72, y, "Request for Proposals: Records Portal")
            y -= 40
        for heading in pair:
            c.setFont("Helvetica-Bold", 12)
            c.drawString(72, y, heading)
            y -= 20
            c.setFont("Helvetica", 11)
            for _ in range(4):
                c.drawString(72, y, BODY[:95])
                c.drawString(72, y - 14, BODY[95:])
                y -= 34
        c.showPage()
    c.save()


def _docx(path):
    doc = Docx()
    doc.add_heading("Statement of Work", 0)
    doc.add_heading("Background", 1)
    doc.add_paragraph("The county clerk's office issues 30,000 licences a year on paper forms.")
    doc.add_heading("Out of Scope", 1)
    doc.add_paragraph("Payment processing is not included in this work.")
    p = doc.add_paragraph()
    p.add_run("Acceptance").bold = True
    doc.add_paragraph("Each deliverable is accepted after a ten-day review by the clerk.")
    doc.add_heading("Milestones", 1)
    table = doc.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Milestone", "Date"
    table.cell(1, 0).text, table.cell(1, 1).text = "Go-live", "2026-09-01"
    doc.save(str(path))


@pytest.fixture
def files(tmp_path):
    pdf, docx = tmp_path / "rfp.pdf", tmp_path / "sow.docx"
    _pdf(pdf)
    _docx(docx)
    return pdf, docx


@pytest.mark.django_db
def test_extract_scope_prints_the_scorer_format_without_touching_the_database(files, django_assert_num_queries):
    out = io.StringIO()
    with django_assert_num_queries(0):
        call_command("extract_scope", *map(str, files), "--provider", "builtin", stdout=out, stderr=io.StringIO())
    result = json.loads(out.getvalue())
    assert set(result) == {"rfp.pdf", "sow.docx"}
    for sections in result.values():
        for s in sections:
            assert set(s) == {"title", "type", "content", "confidence", "sources"}
    pdf = {_split_number(s["title"])[1]: s["type"] for s in result["rfp.pdf"]}
    assert pdf == {
        "Introduction": "overview",
        "Objectives": "objectives",
        "Deliverables": "deliverables",
        "Period of Performance": "timeline",
        "Budget": "budget",
    }  # the running header, the footer's page numbers and the evaluation criteria are not sections
    assert all("Draft for comment" not in s["content"] for s in result["rfp.pdf"])
    docx = {s["title"]: s["type"] for s in result["sow.docx"]}
    assert docx == {
        "Background": "overview",
        "Out of Scope": "exclusions",
        "Acceptance": "acceptance",
        "Milestones": "milestones",
    }


def test_extract_scope_writes_json_to_a_file(files, tmp_path):
    target = tmp_path / "out.json"
    call_command("extract_scope", str(files[1]), "--json", str(target), stdout=io.StringIO(), stderr=io.StringIO())
    assert "sow.docx" in json.loads(target.read_text())


@pytest.mark.parametrize("args", [["/no/such/file.pdf"], ["--provider", "nope", "x"]])
def test_extract_scope_refuses_bad_input(args):
    with pytest.raises((CommandError, SystemExit)):
        call_command("extract_scope", *args, stdout=io.StringIO(), stderr=io.StringIO())
