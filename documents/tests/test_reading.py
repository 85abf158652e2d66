"""Stored page text reads as a person reads it, on the real development documents in ../shared/fixtures
(issue 10 §3): PDF reading order, numbered headings on one line, no DOCX bookmark artifacts, and the outline
signal kept with each page."""

import re
from pathlib import Path

import pytest
from django.conf import settings

from documents import file_types, processing, text_extraction
from documents.markdown import html_to_markdown, markdown_layout
from documents.models import DocumentPage
from documents.tests.factories import stored_document

FIXTURES = Path(settings.BASE_DIR).parent / "shared" / "fixtures" / "documents"
TDRS = FIXTURES / "18F-tdrs-app-rfq__Draft-RFQ_DRAFT-RFQ-TDRS.pdf"
PWS = FIXTURES / "GSA-cto-website__AgileContractsPWSTemplate.docx"
PSF = FIXTURES / "psf-request-for__2019-Q1-PyPI_RFP.md"

needs_fixtures = pytest.mark.skipif(not TDRS.exists(), reason="development fixtures not present")


@pytest.fixture(scope="module")
def tdrs_pages():
    return text_extraction.extract(TDRS, file_types.PDF)


@pytest.fixture(scope="module")
def pws_pages():
    return text_extraction.extract(PWS, file_types.DOCX)


@needs_fixtures
def test_pdf_paragraph_reads_in_order_with_its_numbered_heading(tdrs_pages):
    page5 = tdrs_pages[4].text
    assert "1.4 Vision\n" in page5
    flat = " ".join(page5.split())
    assert (
        "OFA will build a new, secure, web-based data system to improve the federal reporting experience for "
        "states, tribes, territories, and federal staff." in flat
    )
    assert "\u200b" not in page5


@needs_fixtures
@pytest.mark.parametrize(
    "heading", ["1.0 Purpose and Background", "1.1 Purpose", "2.2 Anticipated Period of Performance", "5.3 Special"]
)
def test_pdf_numbered_headings_stay_on_one_line(tdrs_pages, heading):
    text = "\n".join(p.text for p in tdrs_pages)
    assert re.search(rf"^{re.escape(heading)}", text, re.M)


@needs_fixtures
def test_pdf_outline_signal_marks_bold_headings(tdrs_pages):
    page5 = tdrs_pages[4]
    lines = page5.text.split("\n")
    marked = {lines[hint[0]] for hint in page5.layout}
    assert "1.4 Vision" in marked
    assert "2.0 Scope" in marked
    body = next(line for line in lines if line.startswith("OFA will build"))
    assert body not in marked
    for line, level, size, bold in page5.layout:
        assert 0 <= line < len(lines)
        assert level >= 0
        assert size > 0
        assert isinstance(bold, bool)


@needs_fixtures
def test_docx_has_no_bookmark_artifacts_and_keeps_heading_levels(pws_pages):
    text = "\n".join(p.text for p in pws_pages)
    assert "[]" not in text
    assert "## Background" in text
    assert "# PERFORMANCE WORK STATEMENT (PWS)" in text  # Word's Title style is a heading too
    assert "# Place of Performance" in text  # a Heading wholly in bold loses the ** marks
    first = pws_pages[0]
    levels = {first.text.split("\n")[line]: level for line, level, _size, _bold in first.layout}
    assert levels["## Background"] == 2


@needs_fixtures
def test_markdown_pages_carry_their_heading_levels():
    pages = text_extraction.extract(PSF, file_types.MARKDOWN)
    hints = [(p.text.split("\n")[line], level) for p in pages for line, level, _s, _b in p.layout]
    assert ("## Timeline", 2) in hints
    assert ("#### Specific tasks", 4) in hints


@pytest.mark.parametrize(
    ("html", "markdown"),
    [
        ('<h2><a id="_Toc1"></a>Background</h2>', "## Background"),
        ('<p><a id="x"></a><a href="https://e.org"></a>Text</p>', "Text"),
        ("<h1><strong>Place of Performance</strong></h1>", "# Place of Performance"),
    ],
)
def test_bookmarks_and_empty_links_leave_nothing(html, markdown):
    assert html_to_markdown(html) == markdown


def test_markdown_layout_marks_headings_and_bold_lines():
    assert markdown_layout("# T\n\ntext\n\n**Review and Acceptance**\n\n### Sub") == (
        (0, 1, 0.0, False),
        (4, 0, 0.0, True),
        (6, 3, 0.0, False),
    )


@needs_fixtures
@pytest.mark.django_db
def test_processing_stores_the_layout_with_each_page(workspace, local_storage):
    document = stored_document(workspace, local_storage, PSF.read_bytes(), file_types.MARKDOWN)
    assert processing.process(str(document.id)) == "completed"
    page = DocumentPage.objects.get(document=document, number=1)
    assert [0, 1, 0.0, False] in page.layout  # "# PyPI Quarter 1 2019 Request for Proposals"
